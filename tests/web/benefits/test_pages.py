"""Benefits pages and REST endpoints: area and role rules on each, and the flows through them."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits import services
from doudi.benefits.models import Benefit, Review, StandardChange

D = dt.date


@pytest.fixture
def review(huining_benefit, huining_caseworker):
    report = services.report_change(huining_caseworker, huining_benefit.pk, kind="illness",
                                    occurred_on=D(2026, 2, 10), description="张建国住院", on=D(2026, 2, 13))
    return report.reviews.get()


@pytest.fixture
def decided(review, huining_approver):
    return services.decide_review(huining_approver, review.pk, reasons="工资下降", on=D(2026, 3, 10))


def _pages(benefit, review):
    return [f"/benefits/{benefit.pk}/", f"/benefits/reviews/{review.pk}/"]


# --- who sees what ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/benefits/list/", "/benefits/worklist/", "/benefits/standards/"])
def test_lists_open_for_caseworkers_and_closed_to_the_administrator(client_for, huining_caseworker, administrator,
                                                                   url):
    assert client_for(huining_caseworker).get(url).status_code == 200
    assert client_for(administrator).get(url).status_code == 403


def test_lists_need_a_login(client):
    assert client.get("/benefits/worklist/").status_code == 302


def test_the_worklist_shows_the_review_with_its_deadline_and_marks_it_overdue(client_for, review, huining_caseworker,
                                                                               baotou_caseworker):
    page = client_for(huining_caseworker).get("/benefits/worklist/").content.decode()
    assert "2026-03-05" in page and 'class="overdue"' in page and review.benefit.household.number in page
    assert "2026-03-05" not in client_for(baotou_caseworker).get("/benefits/worklist/").content.decode()


def test_a_baotou_user_gets_not_found_on_every_huining_page(client_for, decided, baotou_caseworker, baotou_approver):
    b = decided.benefit
    urls = [f"/benefits/{b.pk}/", f"/benefits/{b.pk}/report/", f"/benefits/{b.pk}/recover/",
            f"/benefits/reviews/{decided.pk}/", f"/benefits/reviews/{decided.pk}/notice/"]
    for user in (baotou_caseworker, baotou_approver):
        c = client_for(user)
        for url in urls:
            assert c.get(url).status_code == 404, url


def test_the_benefit_page_shows_the_history_and_logs_the_read(client_for, huining_benefit, huining_caseworker):
    from doudi.accounts.models import AuditEntry

    page = client_for(huining_caseworker).get(f"/benefits/{huining_benefit.pk}/").content.decode()
    assert "1500.00" in page and "开始发放" in page and "每半年复核" in page
    assert "发放记录" in page and "2026年1月" in page  # started 2026-01; today is later
    assert AuditEntry.objects.filter(action="benefit.view", user=huining_caseworker).exists()


def test_a_reviewer_cannot_open_the_report_form_nor_a_caseworker_the_recovery_form(
        client_for, huining_benefit, huining_reviewer, huining_caseworker):
    assert client_for(huining_reviewer).get(f"/benefits/{huining_benefit.pk}/report/").status_code == 403
    assert client_for(huining_caseworker).get(f"/benefits/{huining_benefit.pk}/recover/").status_code == 403


def test_a_village_assistant_reports_a_change_through_the_form(client_for, huining_benefit, huining_village_assistant):
    c = client_for(huining_village_assistant)
    r = c.post(f"/benefits/{huining_benefit.pk}/report/", {"kind": "moved", "occurred_on": "2026-02-01",
                                                           "description": "张小明随亲属迁出"})
    assert r.status_code == 302
    assert Review.objects.get().trigger == "reported"


def test_the_report_form_names_the_bad_field_and_keeps_the_text(client_for, huining_benefit, huining_caseworker):
    r = client_for(huining_caseworker).post(f"/benefits/{huining_benefit.pk}/report/",
                                            {"kind": "illness", "occurred_on": "2099-01-01", "description": "住院治疗"})
    page = r.content.decode()
    assert r.status_code == 400 and "发生日期" in page and "住院治疗" in page


def test_only_the_county_decides_a_review_and_the_notice_gives_the_reasons(client_for, review, huining_caseworker,
                                                                           huining_approver):
    url = f"/benefits/reviews/{review.pk}/"
    assert client_for(huining_caseworker).post(url, {"reasons": "x", "version": 0}).status_code == 403
    c = client_for(huining_approver)
    page = c.get(url).content.decode()
    assert "政策核算" in page and "DB-1" in page
    r = c.post(url, {"reasons": "复核无变化", "version": 0})
    assert r.status_code == 302 and r["Location"] == f"/benefits/reviews/{review.pk}/notice/"
    notice = c.get(r["Location"]).content.decode()
    assert "复核决定告知书" in notice and "复核无变化" in notice


def test_the_recovery_form_refuses_a_fine_of_four_times(client_for, huining_benefit, huining_approver):
    r = client_for(huining_approver).post(f"/benefits/{huining_benefit.pk}/recover/", {
        "first_month": "2026-01", "last_month": "2026-01", "fine_multiple": "4", "reasons": "隐瞒收入"})
    assert r.status_code == 400 and "罚款倍数" in r.content.decode()
    assert Benefit.objects.get().status == "active"


def test_the_standard_form_shows_the_db13_refusal_and_the_differences_page_lists_gains(
        client_for, huining_benefit, huining_approver, huining_approver_2, huining_caseworker):
    c = client_for(huining_approver)
    form = {"region": "620422", "residence": "urban", "new_standard": "710", "effective_from": "2026-07-01",
            "consumption_growth": "3", "source": "会民发〔2026〕1号"}
    page = c.post("/benefits/standards/new/", form).content.decode()
    assert "DB-13" in page and "1.43%" in page and "3.00%" in page  # (710 − 700) ÷ 700 = 1.43% < 3%
    r = c.post("/benefits/standards/new/", {**form, "new_standard": "750"})
    change = StandardChange.objects.get()
    assert r["Location"] == f"/benefits/standards/{change.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert "增加" in page and "1650.00" in page and "批准以上差额" not in page  # the starter cannot approve
    assert client_for(huining_caseworker).get("/benefits/standards/new/").status_code == 403
    c2 = client_for(huining_approver_2)
    assert "批准以上差额" in c2.get(r["Location"]).content.decode()
    c2.post(f"/benefits/standards/{change.pk}/approve/")
    assert Benefit.objects.get().amount_fen == 165000


# --- REST API -----------------------------------------------------------------------------------

def test_the_api_lists_only_the_users_area(client_for, huining_benefit, huining_caseworker, baotou_caseworker):
    assert client_for(huining_caseworker).get("/api/v1/benefits/").json()["count"] == 1
    assert client_for(baotou_caseworker).get("/api/v1/benefits/").json()["count"] == 0
    assert client_for(baotou_caseworker).get(f"/api/v1/benefits/{huining_benefit.pk}/").status_code == 404
    data = client_for(huining_caseworker).get(f"/api/v1/benefits/{huining_benefit.pk}/").json()
    assert data["amount"] == "1500.00" and data["changes"][0]["kind"] == "start"


def test_the_api_report_and_decide_follow_the_roles(client_for, huining_benefit, huining_reviewer, huining_caseworker,
                                                    huining_approver):
    body = {"kind": "other", "occurred_on": "2026-02-01", "description": "核查"}
    assert client_for(huining_reviewer).post(f"/api/v1/benefits/{huining_benefit.pk}/report/", body,
                                             content_type="application/json").status_code == 403
    r = client_for(huining_caseworker).post(f"/api/v1/benefits/{huining_benefit.pk}/report/", body,
                                            content_type="application/json")
    assert r.status_code == 201
    review = r.json()["review"]
    assert client_for(huining_caseworker).get("/api/v1/benefit-reviews/?state=open").json()["count"] == 1
    assert client_for(huining_caseworker).post(f"/api/v1/benefit-reviews/{review}/decide/", {},
                                               content_type="application/json").status_code == 403
    r = client_for(huining_approver).post(f"/api/v1/benefit-reviews/{review}/decide/", {"reasons": ""},
                                          content_type="application/json")
    assert r.status_code == 200 and r.json()["outcome"] == "continue"


def test_the_api_names_the_bad_field(client_for, huining_benefit, huining_approver):
    r = client_for(huining_approver).post(f"/api/v1/benefits/{huining_benefit.pk}/recover/", {
        "first_month": "2026-01-01", "last_month": "2026-01-01", "fine_multiple": "0", "reasons": "x"},
        content_type="application/json")
    assert r.status_code == 400 and "fine_multiple" in r.json()
    r = client_for(huining_approver).post("/api/v1/standard-changes/", {
        "region": "620422", "residence": "urban", "new_standard": "705", "effective_from": "2026-07-01",
        "consumption_growth": "2", "source": "x"}, content_type="application/json")
    assert r.status_code == 400 and "DB-13" in r.json()["new_standard"][0]


def test_the_api_standard_change_and_its_approval(client_for, huining_benefit, huining_approver, huining_approver_2,
                                                  baotou_approver):
    r = client_for(huining_approver).post("/api/v1/standard-changes/", {
        "region": "620422", "residence": "urban", "new_standard": "750", "effective_from": "2026-07-01",
        "consumption_growth": "5", "source": "会民发〔2026〕1号"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["lines"][0]["amount_after"] == "1650.00"
    pk = r.json()["id"]
    assert client_for(baotou_approver).post(f"/api/v1/standard-changes/{pk}/approve/").status_code == 404
    assert client_for(huining_approver).post(f"/api/v1/standard-changes/{pk}/approve/").status_code == 403
    assert client_for(huining_approver_2).post(f"/api/v1/standard-changes/{pk}/approve/").json()["state"] == "approved"


def test_the_benefit_page_counts_the_months_of_gradual_exit(client_for, huining_benefit, huining_caseworker,
                                                            huining_approver):
    from django.utils import timezone

    from doudi.benefits.months import add_months, month_label

    today = timezone.localdate()
    on = add_months(today, -2)  # decided two months ago: the 渐退期 began last month, so this is month 2
    report = services.report_change(huining_caseworker, huining_benefit.pk, kind="found_work",
                                    person_id=huining_benefit.household.head.pk,
                                    member_facts={"monthly_income": {"wages": 2500}}, occurred_on=on,
                                    description="就业", on=on)
    services.decide_review(huining_approver, report.reviews.get().pk, reasons="就业", on=on)
    page = client_for(huining_caseworker).get(f"/benefits/{huining_benefit.pk}/").content.decode()
    first = add_months(on.replace(day=1), 1)
    assert "现为第 2 个月（剩余 4 个月）" in page and month_label(first) in page


# --- the remaining pages and endpoints: outside the area 404, inside without the role 403 ----------

@pytest.fixture
def recovery(huining_benefit, huining_approver):
    return services.recover_fraud(huining_approver, huining_benefit.pk, first_month=D(2026, 1, 1),
                                  last_month=D(2026, 1, 1), fine_multiple="1", reasons="虚报", on=D(2026, 2, 3))


@pytest.fixture
def standard_change(huining_benefit, huining_approver):
    return services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                          effective_from=D(2026, 7, 1), consumption_growth="5", source="会民发")


def test_a_recovery_is_seen_in_the_area_only(client_for, recovery, huining_caseworker, baotou_caseworker):
    url = f"/benefits/recoveries/{recovery.pk}/"
    page = client_for(huining_caseworker).get(url).content.decode()
    assert "1500.00" in page and "1.00 倍" in page
    assert client_for(baotou_caseworker).get(url).status_code == 404


def test_a_standard_change_is_seen_in_the_area_and_approved_only_by_an_approver(
        client_for, standard_change, huining_caseworker, baotou_approver, supervisor):
    url = f"/benefits/standards/{standard_change.pk}/"
    assert client_for(supervisor).get(url).status_code == 200  # the city (620400) contains the county
    assert client_for(huining_caseworker).get(url).status_code == 404  # a county row is not in a township
    assert client_for(baotou_approver).get(url).status_code == 404
    assert client_for(baotou_approver).post(url + "approve/").status_code == 404
    # refused: the page comes back (403) with the refusal in Chinese beside the button
    # (doudi.procedure.views.attempt_button)
    r = client_for(supervisor).post(url + "approve/")
    body = r.content.decode()
    assert r.status_code == 403 and 'role="alert"' in body and "您的角色不能" in body
    assert client_for(supervisor).get(url + "approve/").status_code == 405
    assert StandardChange.objects.get().state == "computed"


def test_the_api_refuses_the_writes_to_roles_without_them(client_for, huining_benefit, standard_change,
                                                          huining_caseworker, supervisor):
    recover = {"first_month": "2026-01-01", "last_month": "2026-01-01", "fine_multiple": "1", "reasons": "x"}
    assert client_for(huining_caseworker).post(f"/api/v1/benefits/{huining_benefit.pk}/recover/", recover,
                                               content_type="application/json").status_code == 403
    start = {"region": "620422", "residence": "urban", "new_standard": "760", "effective_from": "2026-07-01",
             "consumption_growth": "5", "source": "x"}
    assert client_for(huining_caseworker).post("/api/v1/standard-changes/", start,
                                               content_type="application/json").status_code == 403
    assert client_for(supervisor).post(f"/api/v1/standard-changes/{standard_change.pk}/approve/"
                                       ).status_code == 403


def test_the_api_reads_are_scoped_to_the_area(client_for, review, standard_change, baotou_caseworker,
                                              huining_approver_2, administrator):
    for url in ("/api/v1/benefit-reviews/", "/api/v1/standard-changes/"):
        assert client_for(huining_approver_2).get(url).json()["count"] == 1
        assert client_for(baotou_caseworker).get(url).json()["count"] == 0
        assert client_for(administrator).get(url).json()["count"] == 0
    assert client_for(baotou_caseworker).get(f"/api/v1/benefit-reviews/{review.pk}/").status_code == 404
    assert client_for(baotou_caseworker).get(f"/api/v1/standard-changes/{standard_change.pk}/").status_code == 404
    assert client_for(baotou_caseworker).post(f"/api/v1/benefit-reviews/{review.pk}/decide/", {},
                                              content_type="application/json").status_code == 404


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/benefits/").status_code in (401, 403)


def test_the_benefits_root_leads_to_the_review_worklist(client_for, huining_caseworker):
    r = client_for(huining_caseworker).get("/benefits/")
    assert r.status_code == 302 and r["Location"] == "/benefits/worklist/"


def test_every_reduction_or_stop_has_a_written_notice_with_its_reasons(client_for, recovery, huining_caseworker,
                                                                        baotou_caseworker):
    from doudi.benefits.models import BenefitChange

    stop = BenefitChange.objects.get(kind="fraud")
    url = f"/benefits/changes/{stop.pk}/notice/"
    page = client_for(huining_caseworker).get(url).content.decode()
    # the rule id NAT-DB-FRAUD reaches the citizen as the clause it cites: 社会救助暂行办法 Art.68
    assert "停发告知书" in page and "国务院令第649号 第六十八条" in page and "1500.00" in page
    assert url in client_for(huining_caseworker).get(f"/benefits/{stop.benefit_id}/").content.decode()
    assert client_for(baotou_caseworker).get(url).status_code == 404
