"""特困 pages and REST endpoints: area and role rules on each, forms that name bad fields, documents."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_worklist_shows_the_proposal_deadline_to_the_township(elder_household, walk, client_for,
                                                                  huining_caseworker):
    case = walk(elder_household, to="accepted", start=D(2026, 2, 12))
    r = client_for(huining_caseworker).get("/support/")
    assert r.status_code == 200
    html = r.content.decode()
    assert case.number in html and "2026-03-11" in html and "受理后15个工作日内提出初审意见" in html


def test_the_case_page_shows_the_timeline_and_the_trace_sentences(elder_household, walk, client_for,
                                                                  huining_approver):
    case = walk(elder_household, unable=("bathing", "dressing"))
    html = client_for(huining_approver).get(f"/support/cases/{case.pk}/").content.decode()
    assert "1260.00 元" in html and "壹仟贰佰陆拾元整" in html  # 910.00 + 350.00
    assert "六项日常生活活动中 2 项不能完成（穿衣、洗澡）" in html
    assert "基本生活标准 = 城市低保标准 700.00 × 1.3 = 910.00" in html
    assert "2026年4月" in html


@pytest.mark.parametrize("user", ["other_town_caseworker", "baotou_caseworker", "baotou_approver", "charity",
                                  "huining_liaison", "administrator"])
def test_users_outside_the_area_or_without_case_rights_cannot_see_the_case(elder_household, walk, client_for, cast,
                                                                          user):
    case = walk(elder_household, to="submitted")
    c = client_for(cast[user])
    assert c.get(f"/support/cases/{case.pk}/").status_code in (403, 404)
    assert c.get(f"/api/v1/support-cases/{case.pk}/").status_code in (403, 404)
    assert case.number not in c.get("/api/v1/support-cases/").content.decode()


def test_a_village_assistant_cannot_accept_through_the_page_or_the_api(elder_household, walk, client_for,
                                                                       huining_village_assistant):
    case = walk(elder_household, to="submitted")
    c = client_for(huining_village_assistant)
    assert c.get(f"/support/cases/{case.pk}/").status_code == 200  # may see (PR-2: report and help)
    assert c.post(f"/support/cases/{case.pk}/steps/accept/", {"version": case.version}).status_code == 403
    assert c.post(f"/api/v1/support-cases/{case.pk}/steps/accept/", {}, content_type="application/json").status_code == 403
    assert c.get("/support/cases/new/").status_code == 403
    case.refresh_from_db()
    assert case.state == "submitted"


def test_a_village_assistant_and_an_investigator_cannot_approve(elder_household, walk, client_for,
                                                                huining_village_assistant, huining_caseworker):
    case = walk(elder_household, to="at_county")
    case.spot_checks.update(selected=False)
    for user in (huining_village_assistant, huining_caseworker):
        r = client_for(user).post(f"/api/v1/support-cases/{case.pk}/steps/approve/", {}, content_type="application/json")
        assert r.status_code == 403
    case.refresh_from_db()
    assert case.state == "at_county"


def test_the_approver_approves_through_the_api(elder_household, walk, client_for, huining_approver):
    case = walk(elder_household, to="at_county")
    case.spot_checks.update(selected=False)
    api = client_for(huining_approver)
    url = f"/api/v1/support-cases/{case.pk}/steps/approve/"
    # Huining's urban 低保 and care standards are placeholders: the API, like the page, asks for the confirmation
    r = api.post(url, {"opinion": "同意", "version": case.version}, content_type="application/json")
    assert r.status_code == 400 and "须勾选确认后才能批准" in r.json()["confirm_placeholder"][0]
    r = api.post(url, {"opinion": "同意", "version": case.version, "confirm_placeholder": True},
                 content_type="application/json")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "approved"
    assert body["decisions"][0]["amount"] == "1260.00"


def test_the_investigation_form_names_the_missing_field_in_chinese(elder_household, walk, client_for,
                                                                   huining_caseworker):
    case = walk(elder_household, to="accepted")
    r = client_for(huining_caseworker).post(f"/support/cases/{case.pk}/steps/investigate/",
                                            {"version": case.version, "findings": "独居", "unable": ["bathing"]})
    assert r.status_code == 400
    html = r.content.decode()
    assert "独居" in html  # what the user typed is kept
    assert "这个字段是必填项" in html or "必填" in html
    r = client_for(huining_caseworker).post(f"/api/v1/support-cases/{case.pk}/steps/investigate/",
                                            {"findings": "独居", "unable": ["flying"], "mode": "dispersed",
                                             "visited_on": "2026-03-02"}, content_type="application/json")
    assert r.status_code == 400
    assert "unable" in r.json() and "investigators" in r.json()


def test_a_step_through_the_page_with_htmx_swaps_the_case_panel(elder_household, walk, client_for, huining_caseworker):
    case = walk(elder_household, to="submitted")
    r = client_for(huining_caseworker).post(f"/support/cases/{case.pk}/steps/accept/", {"version": case.version},
                                            HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert r.content.decode().startswith('<section id="case">')
    case.refresh_from_db()
    assert case.state == "accepted"


def test_a_caseworker_registers_an_application_through_the_page(elder_household, client_for, huining_caseworker):
    person = elder_household.memberships.first().person
    c = client_for(huining_caseworker)
    assert "王老汉" in c.get(f"/support/cases/new/?household={elder_household.pk}").content.decode()
    r = c.post("/support/cases/new/", {"household_id": elder_household.pk, "person_id": person.pk})
    assert r.status_code == 302
    assert person.support_cases.get().state == "submitted"


def test_the_decision_notice_prints_with_the_amount_in_capitals_and_as_pdf(elder_household, walk, client_for,
                                                                           huining_approver):
    case = walk(elder_household, unable=())
    c = client_for(huining_approver)
    html = c.get(f"/support/cases/{case.pk}/documents/decision/").content.decode()
    assert "980.00 元" in html and "玖佰捌拾元整" in html  # 910.00 + 70.00
    r = c.get(f"/support/cases/{case.pk}/documents/decision/?format=pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    from pdf_kit import assert_reads_as_a_citizen_notice, pdf_pages

    text = pdf_pages(r.content, "tekun-decision")
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", case.number)  # no parameter set, no placeholder
    assert c.get(f"/support/cases/{case.pk}/documents/refusal/").status_code == 404


def test_the_refusal_notice_states_the_reasons(elder_household, walk, client_for, huining_approver):
    from doudi.support import services as s

    case = walk(elder_household, to="at_county")
    case.spot_checks.update(selected=False)
    s.refuse(huining_approver, case.pk, reasons="其子有赡养能力", on=D(2026, 3, 11))
    c = client_for(huining_approver)
    html = c.get(f"/support/cases/{case.pk}/documents/refusal/").content.decode()
    assert "不予认定" in html and "其子有赡养能力" in html
    assert "会宁县民政局" in html and "2026年3月11日" in html  # the bureau that decided, the date under its seal
    # the deadline of the written notice is the office's, on the case page: Wed 11 → 12, 13, Mon 16
    assert "2026年3月16日" in c.get(f"/support/cases/{case.pk}/").content.decode()


def test_the_case_list_and_api_list_show_only_the_users_area(elder_household, walk, client_for, huining_reviewer,
                                                            wuhai_caseworker):
    case = walk(elder_household, to="submitted")
    assert case.number in client_for(huining_reviewer).get("/support/cases/").content.decode()
    assert case.number not in client_for(wuhai_caseworker).get("/support/cases/").content.decode()
    assert client_for(huining_reviewer).get("/api/v1/support-cases/").json()["count"] == 1
    assert client_for(wuhai_caseworker).get("/api/v1/support-cases/").json()["count"] == 0


def test_the_case_list_tracks_the_centralised_support_rate(make_household, walk, client_for, huining_reviewer):
    from ..conftest import HUINING_VILLAGE

    for i, mode in enumerate(("centralised", "dispersed", "dispersed")):
        hh = make_household(HUINING_VILLAGE, "urban", [(f"老人{i}", "self", D(1945, 2, 1 + i), "M", {})])
        walk(hh, mode=mode)
    html = client_for(huining_reviewer).get("/support/cases/").content.decode()
    assert "33.3%（供养中 3 人，其中集中供养 1 人" in html  # 1 / 3 = 33.33…% → 33.3%


def test_the_one_worklist_shows_support_and_relief_work(elder_household, walk, client_for, huining_caseworker,
                                                        huining_household):
    from doudi.relief import services as relief

    case = walk(elder_household, to="accepted", start=D(2026, 2, 12))
    urgent = relief.help_first(huining_caseworker, household_id=huining_household.pk, kind="fire", description="失火",
                               simplified_check="现场查看", amount="500", reasoning="受灾", on=D(2026, 2, 12))
    r = client_for(huining_caseworker).get("/cases/worklist/")
    if r.status_code == 404:
        pytest.skip("the cases worklist is not there")
    html = r.content.decode()
    assert case.number in html and "2026-03-11" in html
    assert urgent.number not in html  # the urgent approval is the reviewer's or the county's, not the caseworker's
