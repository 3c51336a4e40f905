"""Disaster-relief pages: each renders for its roles, bad input comes back as a Chinese form error
naming the field, the steps run through the shared step page, the ledger exports (audited), areas hold."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.accounts.models import AuditEntry
from doudi.disaster import services as s
from doudi.disaster.models import DisasterEvent, Grant

from ..conftest import HUINING_TOWN
from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db


def test_pages_render_for_the_township(client_for, huining_caseworker, flood, walk, huining_household):
    e = flood()
    g = walk(e, huining_household, to="applied")
    c = client_for(huining_caseworker)
    for url in ("/disaster/", "/disaster/events/new/", f"/disaster/events/{e.pk}/", f"/disaster/events/{e.pk}/ledger/",
                f"/disaster/events/{e.pk}/apply/", "/disaster/grants/", f"/disaster/grants/{g.pk}/",
                "/disaster/reports/", "/disaster/stock/", f"/registry/households/{huining_household.pk}/"):
        r = c.get(url)
        assert r.status_code == 200, url
    assert "受灾人员救助" in c.get(f"/registry/households/{huining_household.pk}/").content.decode()


def test_reporting_an_event_with_bad_input_names_the_field(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    r = c.post("/disaster/events/new/", {"region": "12", "kind": "flood", "stage": "emergency",
                                         "occurred_at": "2026-03-02T08:00", "description": "山洪"})
    assert r.status_code == 400 and "受灾区域应为有效的区划代码" in r.content.decode()
    assert not DisasterEvent.objects.exists()
    r = c.post("/disaster/events/new/", {"region": HUINING_TOWN, "kind": "flood", "stage": "emergency",
                                         "occurred_at": "2026-03-02T08:00", "description": "山洪"})
    assert r.status_code == 302 and DisasterEvent.objects.get().report_late  # long after 08:00 on 2 Mar 2026


def test_zero_report_from_the_page(client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    today = dt.date.today()
    r = c.post("/disaster/reports/", {"township": HUINING_TOWN, "day": today.isoformat()})
    assert r.status_code == 302
    r = c.post("/disaster/reports/", {"township": HUINING_TOWN, "day": today.isoformat()})
    assert r.status_code == 400 and "已报送零报告" in r.content.decode()


def test_the_four_steps_through_the_step_page(client_for, flood, huining_household, huining_caseworker,
                                             huining_village_assistant, huining_reviewer, huining_approver):
    e = flood()
    r = client_for(huining_caseworker).post(f"/disaster/events/{e.pk}/apply/", {
        "household_id": huining_household.pk, "losses": "房屋进水", "house_collapsed": "on"})
    assert r.status_code == 302
    g = Grant.objects.get()
    assert g.priority == 1
    r = client_for(huining_village_assistant).post(f"/disaster/grants/{g.pk}/steps/appraise/", {"appraisal": ""})
    assert r.status_code == 400 and "该字段是必填项" in r.content.decode()
    assert client_for(huining_village_assistant).post(f"/disaster/grants/{g.pk}/steps/appraise/",
                                                     {"appraisal": "同意"}).status_code == 302
    assert client_for(huining_reviewer).post(f"/disaster/grants/{g.pk}/steps/review/",
                                            {"opinion": "属实"}).status_code == 302
    r = client_for(huining_approver).post(f"/disaster/grants/{g.pk}/steps/approve/", {"amount": ""})
    assert r.status_code == 400 and "请填写救助金额或选择救灾物资" in r.content.decode()
    assert client_for(huining_approver).post(f"/disaster/grants/{g.pk}/steps/approve/",
                                            {"amount": "3000"}).status_code == 302
    g.refresh_from_db()
    assert (g.state, g.amount_fen) == ("approved", 300000)


def test_four_eyes_refusal_appears_beside_the_form(client_for, flood, huining_household, huining_caseworker):
    e = flood()
    g = s.apply(huining_caseworker, event_id=e.pk, household_id=huining_household.pk, losses="x", on=DAY)
    # the caseworker holds case.report too, but registered the application: not its appraisal
    r = client_for(huining_caseworker).post(f"/disaster/grants/{g.pk}/steps/appraise/", {"appraisal": "同意"},
                                            HTTP_HX_REQUEST="true")
    assert "不能再办理下一环节" in r.content.decode()
    assert Grant.objects.get().state == "applied"


def test_a_new_household_is_registered_from_the_application_page(client_for, flood, huining_caseworker):
    from ..conftest import HUINING_VILLAGE, make_id_number

    e = flood()
    r = client_for(huining_caseworker).post(f"/disaster/events/{e.pk}/apply/", {
        "new": "1", "head_name": "新户", "id_number": make_id_number(), "region": HUINING_VILLAGE, "residence": "rural",
        "losses": "房屋倒塌"})
    assert r.status_code == 302 and Grant.objects.get().household.head.name == "新户"


def test_the_ledger_exports_and_is_audited(client_for, flood, walk, huining_household, huining_approver):
    e = flood()
    walk(e, huining_household)
    r = client_for(huining_approver).get(f"/disaster/events/{e.pk}/ledger/?format=xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    assert AuditEntry.objects.filter(action="disaster.ledger.export").exists()


def test_funding_and_stock_from_the_pages(client_for, flood, huining_approver):
    e = flood()
    c = client_for(huining_approver)
    r = c.post(f"/disaster/events/{e.pk}/funding/", {"total": "abc"})
    assert r.status_code == 400
    assert c.post(f"/disaster/events/{e.pk}/funding/", {"total": "1000.00"}).status_code == 302
    assert "700.00" in c.get(f"/disaster/events/{e.pk}/").content.decode()  # DR-3: 70 % of 1000.00
    r = c.post("/disaster/stock/", {"region": "620422", "name": "帐篷", "unit": "顶", "quantity": "0"})
    assert r.status_code == 400
    assert c.post("/disaster/stock/", {"region": "620422", "name": "帐篷", "unit": "顶", "quantity": "5"}).status_code == 302


def test_other_areas_see_nothing(client_for, flood, walk, huining_household, other_town_caseworker, baotou_caseworker):
    e = flood()
    g = walk(e, huining_household, to="applied")
    for user in (other_town_caseworker, baotou_caseworker):
        c = client_for(user)
        assert c.get(f"/disaster/grants/{g.pk}/").status_code == 404
        assert c.get(f"/disaster/events/{e.pk}/").status_code == 404
        assert g.number not in c.get("/disaster/grants/").content.decode()


def test_the_charity_role_sees_no_disaster_pages(client_for, charity):
    assert client_for(charity).get("/disaster/").status_code == 403


def test_the_decision_notice_says_who_decided_and_the_amount_in_words(client_for, flood, walk, huining_household,
                                                                    huining_approver, huining_reviewer):
    g = walk(flood(), huining_household, amount="1500.50")
    c = client_for(huining_approver)
    page = c.get(f"/disaster/grants/{g.pk}/documents/decision/").content.decode()
    # 1500.50 yuan in 大写: 壹仟伍佰元伍角
    assert "会宁县民政局" in page and "1500.50 元" in page and "壹仟伍佰元伍角" in page and "盖章处" in page
    pdf = c.get(f"/disaster/grants/{g.pk}/documents/decision/?format=pdf")
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"
    assert AuditEntry.objects.filter(action="disaster.document.decision.pdf").exists()
    assert c.get(f"/disaster/grants/{g.pk}/documents/refusal/").status_code == 404


def test_the_village_list_numbers_each_village_in_dr4_order(client_for, flood, walk, make_household,
                                                            huining_caseworker):
    from ..conftest import HUINING_VILLAGE

    e = flood()
    a = make_household(HUINING_VILLAGE, "rural", [("甲户", "self", D(1970, 1, 1), "M", {})])
    b = make_household(HUINING_VILLAGE, "rural", [("乙户", "self", D(1970, 1, 1), "M", {})])
    walk(e, a, to="applied")
    walk(e, b, to="applied", collapsed=True)
    page = client_for(huining_caseworker).get("/disaster/grants/").content.decode()
    # DR-4: the collapsed house (乙户) first, numbered 1 in its village
    assert page.index("乙户") < page.index("甲户")
    assert '<td data-label="顺序">1</td><td data-label="优先类别">倒房重建户</td>' in page


def test_date_fields_start_with_an_iso_date(client_for, huining_caseworker):
    page = client_for(huining_caseworker).get("/disaster/reports/?day=2026-03-02").content.decode()
    assert 'name="day" value="2026-03-02"' in page  # what <input type=date> takes (not 2026/03/02)


def test_the_refusal_notice_gives_the_reasons(client_for, flood, walk, huining_household, huining_reviewer):
    g = walk(flood(), huining_household, to="appraised")
    s.refuse(huining_reviewer, g.pk, reasons="经核查房屋未受损", on=DAY)
    page = client_for(huining_reviewer).get(f"/disaster/grants/{g.pk}/documents/refusal/").content.decode()
    # refused at the township's review: the township government signs
    assert "不予救助" in page and "经核查房屋未受损" in page and "人民政府" in page
