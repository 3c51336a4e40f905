"""The pages: lists with filters and export, the detail with its forms, the phone report page,
the worklist, the household file, figures; role and area isolation of every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.monitoring.conftest import DAY, alerts, member, scan

pytestmark = pytest.mark.django_db


@pytest.fixture
def warned(worker, upload):
    p = member(worker, "刘芳")
    upload("medical_cost", ["身份证号", "姓名", "年度", "政策范围内个人自付"], [[p.id_number, p.name, 2026, "20000.00"]])
    scan()
    return alerts(worker, "MW-MEDICAL")[0]


def test_list_filters_by_level_and_rule_and_exports(warned, client_for, huining_caseworker):
    from doudi.accounts.models import AuditEntry

    c = client_for(huining_caseworker)
    page = c.get(reverse("monitoring:warnings"))
    assert page.status_code == 200 and "大额医疗支出" in page.content.decode()
    assert "大额医疗支出" in c.get(reverse("monitoring:warnings") + "?level=red").content.decode()
    assert "共 0 条" in c.get(reverse("monitoring:warnings") + "?level=yellow").content.decode() or \
        f'/warnings/{warned.pk}/' not in c.get(reverse("monitoring:warnings") + "?level=yellow").content.decode()
    x = c.get(reverse("monitoring:warnings") + "?rule=MW-MEDICAL&format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEntry.objects.filter(action="monitoring.export").exists()


def test_detail_shows_the_rule_and_a_refused_step_beside_its_form(warned, client_for, huining_caseworker):
    c = client_for(huining_caseworker)
    page = c.get(reverse("monitoring:alert", args=[warned.pk])).content.decode()
    assert "大额医疗支出" in page and "PR-7" in page and "处置时限" in page
    r = c.post(reverse("monitoring:step", args=[warned.pk, "close"]), {"outcome": "no_need", "note": "x",
                                                                       "version": warned.version})
    assert r.status_code == 400 and "须先入户走访" in r.content.decode()
    r = c.post(reverse("monitoring:step", args=[warned.pk, "visit"]), {"visited_on": "2026/13/01", "visitors": "王",
                                                                       "found": "x"})
    assert r.status_code == 400 and "走访日期" in r.content.decode()
    warned.refresh_from_db()
    assert warned.state == "open"


def test_pages_are_isolated_by_area_and_role(warned, client_for, other_town_caseworker, baotou_caseworker,
                                             huining_village_assistant, huining_liaison, charity):
    for user in (other_town_caseworker, baotou_caseworker, huining_village_assistant):
        c = client_for(user)
        assert c.get(reverse("monitoring:alert", args=[warned.pk])).status_code == 404
        assert f"/warnings/{warned.pk}/" not in c.get(reverse("monitoring:warnings")).content.decode()
        assert c.post(reverse("monitoring:step", args=[warned.pk, "assign"])).status_code == 404
    for user in (huining_liaison, charity):
        c = client_for(user)
        for name in ("monitoring:warnings", "monitoring:register", "monitoring:report_new", "monitoring:scans",
                     "monitoring:figures"):
            assert c.get(reverse(name)).status_code == 403, (user, name)
    c = client_for(huining_village_assistant)
    assert c.get(reverse("monitoring:register")).status_code == 403
    assert c.get(reverse("monitoring:scans")).status_code == 403


def test_village_assistant_reports_and_sees_only_his_reports(client_for, huining_village_assistant, cast):
    from doudi.monitoring import services

    services.report(cast["huining_caseworker"], name="别人报的", village="620422100201", what="困难")
    c = client_for(huining_village_assistant)
    page = c.get(reverse("monitoring:report_new")).content.decode()
    assert 'capture="environment"' in page and 'accept="image/*"' in page
    r = c.post(reverse("monitoring:report_new"), {"name": "", "village": "620422100201", "what": ""})
    assert r.status_code == 400 and "请填写姓名" in r.content.decode()
    r = c.post(reverse("monitoring:report_new"), {"name": "刘老汉", "village": "620422100201", "what": "独居,房屋漏雨"})
    assert r.status_code == 302
    page = c.get(reverse("monitoring:report_new")).content.decode()
    assert "刘老汉" in page and "别人报的" not in page
    assert "别人报的" not in c.get(reverse("monitoring:warnings")).content.decode()


def test_worklist_household_file_figures(warned, client_for, huining_caseworker, huining_approver):
    c = client_for(huining_caseworker)
    assert f"/monitoring/warnings/{warned.pk}/" in c.get(reverse("cases:worklist")).content.decode()
    file = c.get(reverse("registry:household_detail", args=[warned.household_id])).content.decode()
    assert "低收入人口与监测预警" in file and "大额医疗支出" in file
    fig = client_for(huining_approver).get(reverse("monitoring:figures") + f"?month={DAY:%Y-%m}").content.decode()
    assert "监测统计" in fig and "合计" in fig


@pytest.mark.parametrize("month", ["2026-13", "2026/11", "十一月", "2026-11-01"])
def test_a_bad_month_on_the_figures_page_is_refused_beside_the_field_with_what_was_typed(
        client_for, huining_approver, month):
    """Not figures of another month under the typed one: the page again, 400, the refusal above the
    month input, the text typed in it, and no table."""
    r = client_for(huining_approver).get(reverse("monitoring:figures"), {"month": month})
    assert r.status_code == 400
    page = r.content.decode()
    form = page[page.index('<form method="get" id="month-form">'):]
    form = form[:form.index("</form>")]
    assert f"月份应为 年-月，如 2026-11，收到「{month}」" in form and f'value="{month}"' in form
    assert 'id="figures"' not in page
    ok = client_for(huining_approver).get(reverse("monitoring:figures"), {"month": "2026-11"})
    assert ok.status_code == 200 and "监测统计（2026-11）" in ok.content.decode() and 'id="figures"' in ok.content.decode()


def test_scan_page_runs_a_scan_and_refuses_a_bad_county(client_for, huining_approver):
    c = client_for(huining_approver)
    r = c.post(reverse("monitoring:scans"), {"county": "99999x"})
    assert r.status_code == 400 and "县（区）代码" in r.content.decode()
    r = c.post(reverse("monitoring:scans"), {"county": "620422", "on": DAY.isoformat()})
    assert r.status_code == 302


def test_a_disaster_event_outside_the_county_is_refused_beside_its_form(client_for, huining_approver):
    """登记灾害事件 in another county: the scans page again (400) with the refusal under the region field of
    the event's form and what was typed kept; nothing recorded. Then a village of Huining is recorded."""
    from doudi.monitoring.models import Disaster

    c = client_for(huining_approver)
    typed = {"region": "150202001", "kind": "暴雨洪涝", "occurred_on": "2026-11-01", "note": "河道漫溢"}
    r = c.post(reverse("monitoring:disaster_new"), typed)
    form = r.content.decode()
    form = form[form.index('id="disaster-form"'):]
    form = form[:form.index("</form>")]
    assert r.status_code == 400 and "只能登记本县（区）的灾害事件" in form and "河道漫溢" in form
    assert not Disaster.objects.exists()
    r = c.post(reverse("monitoring:disaster_new"), {**typed, "region": "620422100"})
    assert r.status_code == 302 and Disaster.objects.count() == 1


def test_api_lists_and_closes_warnings_within_the_areas(warned, client_for, huining_caseworker, other_town_caseworker,
                                                        huining_village_assistant):
    c = client_for(huining_caseworker)
    data = c.get("/api/v1/warnings/", {"state": "open"}).json()
    rows = data["results"] if isinstance(data, dict) else data
    assert [r["id"] for r in rows] == [warned.pk] and rows[0]["rule"] == "MW-MEDICAL"
    for user in (other_town_caseworker, huining_village_assistant):
        assert client_for(user).get(f"/api/v1/warnings/{warned.pk}/").status_code == 404
    r = c.post(f"/api/v1/warnings/{warned.pk}/close/", {"outcome": "unreachable", "note": ""},
               content_type="application/json")
    assert r.status_code == 400
    r = c.post(f"/api/v1/warnings/{warned.pk}/close/", {"outcome": "unreachable", "note": "多次联系未果"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    assert client_for(huining_village_assistant).get("/api/v1/low-income/").status_code == 200
    assert client_for(huining_village_assistant).get("/api/v1/low-income/").json() in ([], {"count": 0, "next": None,
                                                                                          "previous": None,
                                                                                          "results": []})
