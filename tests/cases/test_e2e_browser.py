"""End to end in a real browser: one 低保 case from the window to the first payment month.

Playwright drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against the
live server of the test. Four users take the steps — the township caseworker (window,
acceptance, home visit, 提请核对 with the signed authorisation, objection, closing the notices), the
county's verification officer (the 核对报告, doudi.verification), the township reviewer (proposal,
democratic appraisal after the objection, proposal again) and the county approver (spot check,
approval). Screenshots of each page are kept under
test-artifacts/e2e/.

The 7-day public notice cannot pass during a test: the test moves the notice's dates back by
7 days in the database, as the calendar would.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "e2e"

pytestmark = [
    pytest.mark.usefixtures("close_other_sessions"),
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


class Session(browser_kit.Session):
    """One user's browser window; screenshots under ARTIFACTS."""

    artifacts = ARTIFACTS


def _pass_notice_days() -> None:
    from django.db.models import F

    from doudi.cases.models import PublicNotice

    PublicNotice.objects.filter(closed_on__isnull=True).update(starts_on=F("starts_on") - dt.timedelta(days=7),
                                                              ends_on=F("ends_on") - dt.timedelta(days=7))


def test_one_case_walks_from_the_window_to_the_first_payment_month_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_caseworker_2, huining_reviewer,
        huining_approver, huining_verifier, huining_household):
    from web.conftest import PASSWORD

    from doudi.cases.models import Case
    from doudi.cases.procedure import payment_start

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    today = dt.date.today().isoformat()

    # 1. The township window: the caseworker records the request and routes it into a 低保 case.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto("/cases/window/new/", "window-form")
    cw.page.fill("[name=applicant_name]", "张建国")
    cw.page.fill("[name=household_id_q]", "张建国")  # the household is picked by search, never typed by number
    cw.page.check(f"input[name=household_id][value='{huining_household.pk}']")
    cw.page.select_option("[name=program]", "dibao")
    cw.page.fill("[name=description]", "夫妻一方务工收入低,孩子上初中,申请低保")
    cw.page.click("#main form button[type=submit]:not([name=_pick])")
    cw.page.locator("#request-status").wait_for()
    cw.shot("request")
    cw.page.click("form[action$='/route/'] button[type=submit]")
    cw.page.locator("#case-state", has_text="已申请待受理").wait_for()
    cw.shot("case-submitted")
    case = Case.objects.get()

    cw.step("accept", "已受理待入户调查")
    cw.goto("/cases/worklist/", "worklist")
    assert case.number in cw.page.content()
    cw.goto(f"/cases/{case.pk}/", "case")
    cw.step("investigate", "已入户调查", fill={"findings": "入户查看:住房简陋,丈夫打零工月收入约600元", "visited_on": today},
            check=(f"input[name=investigators][value='{huining_caseworker.pk}']",
                   f"input[name=investigators][value='{huining_caseworker_2.pk}']",
                   "[name=signed_by_investigators]", "[name=signed_by_family]", "[name=authorisation]"))
    authorisation = ARTIFACTS.parent / "authorisation.pdf"
    authorisation.parent.mkdir(parents=True, exist_ok=True)
    authorisation.write_bytes(b"%PDF-1.4\n%%EOF\n")
    cw.page.locator("#step-request_verification").evaluate("el => el.open = true")
    cw.page.locator("form[data-step=request_verification] input[name=authorisation]").set_input_files(
        str(authorisation))
    cw.step("request_verification", "信息核对中")

    # 2. The county's verification officer runs the request (doudi.verification) and issues the report;
    # the reviewer proposes and the notice goes up.
    vo = Session(browser, base, huining_verifier.username, PASSWORD, shots)
    vo.goto(f"/verification/requests/{case.verification_requests.get().pk}/", "verification-request")
    vo.page.click("#run")
    vo.page.locator("#report-summary").wait_for()
    vo.page.click("#issue")
    vo.page.locator("#report-issued", has_text="已于").wait_for()
    vo.shot("report-issued")
    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto(f"/cases/{case.pk}/", "case")
    rv.step("propose", "公示中", fill={"opinion": "收入、财产符合低保条件,建议批准"}, choose={"recommend": "1"})
    rv.goto("/cases/notices/?area=620422100201", "notice-list")
    assert "张建国" in rv.page.content() and "1500.00" in rv.page.content()

    # 3. An objection during the notice: at its end, a democratic appraisal and a new proposal.
    cw.goto(f"/cases/{case.pk}/", "case-in-notice")
    cw.step("record_objection", "公示中", fill={"content": "有村民反映其家庭有经营收入"})
    _pass_notice_days()
    cw.goto(f"/cases/{case.pk}/", "case-notice-over")
    cw.step("close_notice", "公示有异议")
    rv.goto(f"/cases/{case.pk}/", "case-objected")
    rv.step("hold_appraisal", "已核对待审核", fill={"held_on": today, "participants": "11",
                                                     "result": "经民主评议,所反映经营已于去年停止,收入情况属实"})
    rv.step("propose", "公示中", fill={"opinion": "评议后维持原审核意见"}, choose={"recommend": "1"})
    _pass_notice_days()
    cw.goto(f"/cases/{case.pk}/", "case-second-notice-over")
    cw.step("close_notice", "待县级审批")

    # 4. The county: the spot check drawn for this case (PR-3), then the approval.
    ap.goto("/cases/worklist/", "worklist")
    assert case.number in ap.page.content()
    ap.goto(f"/cases/{case.pk}/", "case-at-county")
    assert "尚未抽查" in ap.page.content()
    ap.step("record_spot_check", "待县级审批", fill={"visited_on": today, "findings": "县级入户抽查:情况属实"},
            choose={"consistent": "1"})
    assert "按当前家庭情况" in ap.page.locator("#current-figures").inner_text()  # the figures before deciding
    confirm = ap.page.locator("form[data-step=approve] [name=confirm_placeholder]")
    ap.step("approve", "已批准", fill={"opinion": "同意"},
            check=("[name=confirm_placeholder]",) if confirm.count() else ())
    first_month = payment_start(dt.date.today())
    text = ap.page.locator("#payment-start").inner_text()
    assert f"{first_month.year}年{first_month.month}月" in text
    assert "壹仟伍佰元整" in ap.page.content()
    ap.goto(f"/cases/{case.pk}/documents/decision/", "decision-notice")
    assert "700.00 × 3 − 600.00 = 1500.00" in ap.page.content()
    pdf = ap.page.request.get(f"{base}/cases/{case.pk}/documents/decision/?format=pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "decision-notice.pdf").write_bytes(pdf.body())

    case.refresh_from_db()
    assert case.state == "approved"
    actors = set(case.events.values_list("actor__username", flat=True))
    assert actors == {huining_caseworker.username, huining_reviewer.username, huining_approver.username,
                      huining_verifier.username}
    assert len(shots) >= 15
