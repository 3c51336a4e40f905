"""Temporary-assistance pages and REST endpoints: area and role rules on each, forms, documents, register."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.relief import services as s

from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db


def test_the_urgent_form_registers_help_first_and_keeps_what_was_typed_on_error(client_for, huining_caseworker,
                                                                              huining_household):
    c = client_for(huining_caseworker)
    assert c.get(f"/relief/cases/urgent/?household={huining_household.pk}").status_code == 200
    data = {"household_id": huining_household.pk, "kind": "fire", "description": "失火", "simplified_check": "现场查看",
            "amount": "3000", "reasoning": "", "stages": "1000\n2000"}
    r = c.post("/relief/cases/urgent/", data)
    assert r.status_code == 400 and "现场查看" in r.content.decode()
    r = c.post("/relief/cases/urgent/", {**data, "reasoning": "房屋烧毁"})
    assert r.status_code == 302
    case = huining_household.relief_cases.get()
    assert case.state == "urgent" and case.stages_fen == [100000, 200000]


def test_a_bad_stage_amount_is_named_in_chinese(client_for, huining_caseworker, huining_household):
    r = client_for(huining_caseworker).post("/api/v1/relief-cases/urgent/", {
        "household_id": huining_household.pk, "kind": "fire", "description": "失火", "simplified_check": "现场查看",
        "amount": "3000", "reasoning": "房屋烧毁", "stages": "1000\n两千"}, content_type="application/json")
    assert r.status_code == 400
    assert "两千" in r.json()["stages"][0]


@pytest.mark.parametrize("user", ["other_town_caseworker", "baotou_caseworker", "baotou_approver", "charity",
                                  "huining_liaison", "administrator"])
def test_users_outside_the_area_or_without_case_rights_cannot_see_the_case(urgent, client_for, cast, user):
    case = urgent()
    c = client_for(cast[user])
    assert c.get(f"/relief/cases/{case.pk}/").status_code in (403, 404)
    assert c.get(f"/api/v1/relief-cases/{case.pk}/").status_code in (403, 404)
    assert c.post(f"/api/v1/relief-cases/{case.pk}/steps/approve/", {}, content_type="application/json"
                  ).status_code in (403, 404)
    assert case.number not in c.get("/api/v1/relief-cases/").content.decode()


def test_a_village_assistant_cannot_register_accept_or_approve(urgent, client_for, huining_village_assistant,
                                                               huining_household, huining_caseworker):
    c = client_for(huining_village_assistant)
    assert c.get("/relief/cases/urgent/").status_code == 403
    assert c.post("/api/v1/relief-cases/", {"household_id": huining_household.pk, "description": "x"},
                  content_type="application/json").status_code == 403
    case = urgent(amount="500")
    assert c.post(f"/relief/cases/{case.pk}/steps/approve/", {"version": case.version}).status_code == 403
    normal = s.submit(huining_caseworker, household_id=huining_household.pk, description="医疗支出大", on=DAY)
    assert c.post(f"/api/v1/relief-cases/{normal.pk}/steps/accept/", {}, content_type="application/json"
                  ).status_code == 403


def test_an_investigator_cannot_approve_through_the_api(client_for, huining_caseworker, huining_caseworker_2,
                                                        huining_household, cast):
    from doudi.accounts.access import forget
    from doudi.accounts.models import RoleAssignment

    case = s.submit(huining_caseworker, household_id=huining_household.pk, description="医疗支出大", on=DAY)
    s.accept(huining_caseworker, case.pk, on=DAY)
    s.investigate(huining_caseworker, case.pk, visited_on=DAY, findings="属实", people=3, months=1,
                  signed_by_family=True, authorisation=True, investigators=[huining_caseworker_2.pk], on=DAY)
    RoleAssignment.objects.create(user=huining_caseworker_2, role="county_approver", area="620422")
    forget(huining_caseworker_2)
    r = client_for(huining_caseworker_2).post(f"/api/v1/relief-cases/{case.pk}/steps/approve/", {},
                                              content_type="application/json")
    assert r.status_code == 403


def test_the_township_reviewer_is_refused_above_the_ceiling_on_the_page(urgent, client_for, huining_reviewer):
    case = urgent(amount="3000")
    r = client_for(huining_reviewer).post(f"/relief/cases/{case.pk}/steps/approve/", {"version": case.version})
    assert r.status_code == 403
    assert "1000.00" in r.content.decode()


def test_the_case_page_shows_stages_trace_and_capitals(urgent, client_for, huining_approver, huining_finance):
    case = urgent(amount="3000", stages=["1000", "2000"])
    s.approve(huining_approver, case.pk, on=DAY)
    r = client_for(huining_finance).post(f"/relief/cases/{case.pk}/steps/pay_stage/", {}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    html = client_for(huining_approver).get(f"/relief/cases/{case.pk}/").content.decode()
    assert "3000.00 元" in html and "叁仟元整" in html
    assert "一事一议核定临时救助金 3000.00 元" in html
    assert "已发放" in html and "待发放" in html
    doc = client_for(huining_approver).get(f"/relief/cases/{case.pk}/documents/decision/").content.decode()
    assert "壹仟元整" in doc and "贰仟元整" in doc  # the two stages in capitals
    pdf = client_for(huining_approver).get(f"/relief/cases/{case.pk}/documents/decision/?format=pdf")
    assert pdf.content.startswith(b"%PDF")
    from pdf_kit import assert_reads_as_a_citizen_notice, pdf_pages

    text = pdf_pages(pdf.content, "temporary-decision")
    assert_reads_as_a_citizen_notice(text, "会宁县民政局", case.number)  # approved by the county here


def test_the_finance_officer_cannot_approve_and_the_village_assistant_cannot_pay(urgent, client_for, huining_finance,
                                                                                  huining_village_assistant,
                                                                                  huining_approver):
    case = urgent(amount="500")
    assert client_for(huining_finance).post(f"/relief/cases/{case.pk}/steps/approve/", {}).status_code == 403
    s.approve(huining_approver, case.pk, on=DAY)
    assert client_for(huining_village_assistant).post(f"/relief/cases/{case.pk}/steps/pay_stage/", {}).status_code == 403


def test_the_register_is_followed_up_through_the_page_and_the_api(urgent, client_for, huining_approver,
                                                                 huining_caseworker, baotou_caseworker):
    case = urgent()
    s.approve(huining_approver, case.pk, on=DAY)
    entry = case.register_entry
    c = client_for(huining_caseworker)
    assert "救急难对象台账" in c.get("/relief/register/").content.decode()
    r = c.post(f"/relief/register/{entry.pk}/follow-up/", {"situation": "", "version": entry.version})
    assert r.status_code == 400
    r = c.post(f"/relief/register/{entry.pk}/follow-up/", {"situation": "暂住亲戚家", "version": entry.version})
    assert r.status_code == 302
    r = c.post(f"/api/v1/relief-register/{entry.pk}/follow-up/", {"situation": "房屋修复", "close": True,
                                                                  "closing_note": "困难解除"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["closed_on"]
    assert client_for(baotou_caseworker).get("/api/v1/relief-register/").json()["count"] == 0
    assert client_for(baotou_caseworker).post(f"/api/v1/relief-register/{entry.pk}/follow-up/", {"situation": "x"},
                                              content_type="application/json").status_code == 404


def test_a_referral_through_the_api_lands_at_the_one_window(urgent, client_for, huining_caseworker):
    case = urgent()
    r = client_for(huining_caseworker).post(f"/api/v1/relief-cases/{case.pk}/steps/refer/",
                                            {"to": "tekun", "note": "户主重度残疾"}, content_type="application/json")
    assert r.status_code == 200
    assert r.json()["referrals"][0]["to"] == "tekun" and r.json()["referrals"][0]["window_request_id"]


def test_the_worklist_page_lists_the_paperwork_deadline(urgent, client_for, huining_approver, huining_caseworker):
    case = urgent(on=D(2026, 9, 30))
    s.approve(huining_approver, case.pk, on=D(2026, 9, 30))
    html = client_for(huining_caseworker).get("/relief/").content.decode()
    assert "补齐手续" in html and "2026-10-13" in html  # 5 working days after 30 Sep across National Day


def test_a_grant_the_township_approves_is_issued_by_the_township_government(urgent, client_for, huining_reviewer):
    # 500 yuan is within Huining's township ceiling (1000.00): the township decides (NAT-TA-FIRST), and
    # the county government hears a review of its decision (行政复议法 2023 Art.24)
    case = urgent(amount="500")
    s.approve(huining_reviewer, case.pk, on=DAY)
    html = client_for(huining_reviewer).get(f"/relief/cases/{case.pk}/documents/decision/").content.decode()
    assert "会师镇人民政府决定" in html and "向会宁县人民政府申请行政复议" in html
