"""In a real browser: 提请核对 with the 授权书 → the county's 核对报告 → the decision.

The township caseworker requests the verification on the case page (uploading the signed
authorisation); the verification officer finds it on the worklist, runs it against the latest
snapshot (人社: a contribution base of 3000 yuan against declared wages of 600) and issues the
report; the case shows that the department's figures make the household ineligible, the
reviewer's recommendation to approve is refused on the page, the reviewer proposes refusal and,
after the notice, the county refuses. Screenshots under test-artifacts/verification/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

from .conftest import PDF, csv_bytes

ARTIFACTS = ROOT / "test-artifacts" / "verification"

pytestmark = [pytest.mark.usefixtures("close_other_sessions"), pytest.mark.django_db(transaction=True),
              needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_request_report_and_decision_in_a_browser(browser, live_server, settings, tmp_path, calendar,
                                                 huining_caseworker, huining_caseworker_2, huining_reviewer,
                                                 huining_verifier, huining_approver, huining_household, investigated):
    from doudi.cases.models import Case, PublicNotice
    from doudi.verification.datasets import import_snapshot
    from web.conftest import PASSWORD

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    today = dt.date.today()
    head = huining_household.head
    assert import_snapshot(huining_verifier, kind="social_insurance", area="620422", extracted_on=today,
                           data=csv_bytes(["身份证号", "姓名", "缴费月份", "缴费基数"],
                                          [[head.id_number, head.name, today.strftime("%Y-%m"), "3000"]]),
                           name="人社.csv").ok
    case = investigated(huining_household, day=today)
    pdf = tmp_path / "授权书.pdf"
    pdf.write_bytes(PDF)

    # 1. 提请核对: the authorisation is uploaded with the step's form (htmx posts it as multipart)
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/cases/{case.pk}/", "case-investigated")
    page = cw.page
    page.locator("#step-request_verification").evaluate("el => el.open = true")
    form = page.locator("form[data-step=request_verification]")
    form.locator("button[type=submit]").click()  # without the file: refused beside the field
    page.locator("#step-request_verification .errorlist").wait_for()
    assert "授权书" in page.locator("#step-request_verification").inner_text()
    cw.shot("request-refused-without-authorisation")
    page.locator("#step-request_verification").evaluate("el => el.open = true")
    page.locator("form[data-step=request_verification] input[name=authorisation]").set_input_files(str(pdf))
    page.locator("form[data-step=request_verification] button[type=submit]").click()
    page.locator("#case-state", has_text="信息核对中").wait_for()
    cw.shot("verifying")

    # 2. The verification officer: the request on the worklist, run against the snapshot, the report issued
    vo = Session(browser, base, huining_verifier.username, PASSWORD, shots)
    vo.goto("/cases/worklist/", "officer-worklist")
    vo.page.click("table.worklist a:has-text('核对请求：')")
    vo.page.locator("#request-state", has_text="待启动核对").wait_for()
    vo.page.click("#run")
    vo.page.locator("#department-outcome", has_text="不符合低保条件").wait_for()
    assert "符合低保条件，月保障金 1500.00 元" in vo.page.locator("#declared-outcome").inner_text()
    assert "3000.00" in vo.page.locator("#report-items").inner_text()
    vo.shot("report-draft")
    vo.page.click("#issue")
    vo.page.locator("#report-issued", has_text="已于").wait_for()
    vo.shot("report-issued")
    printed = vo.page.request.get(f"{base}/verification/requests/{case.verification_requests.get().pk}/report/?format=pdf")
    assert printed.ok and printed.body().startswith(b"%PDF")

    # 3. The case shows it; the reviewer's recommendation to approve is refused, refusal is proposed
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto(f"/cases/{case.pk}/", "case-verified")
    assert "部门数据改变核算结果" in rv.page.locator("#verifications").evaluate("el => el.parentElement.innerText")
    page = rv.page
    page.locator("#step-propose").evaluate("el => el.open = true")
    page.locator("form[data-step=propose] [name=opinion]").fill("收入符合条件")
    page.locator("form[data-step=propose] input[name=recommend][value='1']").check()
    page.locator("form[data-step=propose] button[type=submit]").click()
    page.locator("#step-propose .errorlist", has_text="按部门数据核算不符合低保条件").wait_for()
    rv.shot("propose-refused")
    rv.step("propose", "公示中", fill={"opinion": "经核对,户主工资性收入3000元,家庭人均收入高于低保标准"},
            choose={"recommend": "0"})

    # 4. After the 7-day notice (moved back in the database, as the calendar would), the county refuses
    from django.db.models import F

    PublicNotice.objects.update(starts_on=F("starts_on") - dt.timedelta(days=7), ends_on=F("ends_on") - dt.timedelta(days=7))
    cw.goto(f"/cases/{case.pk}/", "notice-over")
    cw.step("close_notice", "待县级审批")
    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto(f"/cases/{case.pk}/", "at-county")
    c = Case.objects.get(pk=case.pk)
    check = c.spot_checks.last()
    if check and check.selected:
        ap.step("record_spot_check", "待县级审批", fill={"visited_on": today.isoformat(), "findings": "县级抽查:属实"},
                choose={"consistent": "1"})
    ap.step("refuse", "不予批准待书面告知", fill={"reasons": "经信息核对,家庭人均收入1000元,不低于低保标准700元"})
    c.refresh_from_db()
    assert c.state == "refused" and c.decision.outcome == "refused"
    assert len(shots) >= 10



def test_a_refused_button_shows_its_refusal_beside_it_in_a_browser(browser, live_server, calendar,
                                                                  huining_caseworker, huining_verifier,
                                                                  huining_household, investigated):
    """The officer has the request open in two tabs. The report is issued in one; 出具核对报告 clicked
    in the other (a stale page) is refused (核对报告已经出具): the page comes back with the refusal in
    Chinese where the buttons were, with JavaScript on; at 1366 px and at 390 px."""
    from doudi.cases import services as cases
    from doudi.verification import services
    from doudi.verification.models import VerificationRequest
    from web.conftest import PASSWORD

    today = dt.date.today()
    case = investigated(huining_household, day=today)
    cases.request_verification(huining_caseworker, case.pk, authorisation=(PDF, "授权书.pdf"), on=today)
    req = VerificationRequest.objects.get(case=case)
    services.run(huining_verifier, req.pk)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shots: list = []
    stale = {}  # the request's page at each width, opened before the report is issued
    for width, height in ((1366, 900), (390, 844)):
        stale[width] = Session(browser, live_server.url, huining_verifier.username, PASSWORD, shots,
                               width=width, height=height)
        stale[width].goto(f"/verification/requests/{req.pk}/", f"stale-{width}")
    fresh = Session(browser, live_server.url, huining_verifier.username, PASSWORD, shots)
    fresh.goto(f"/verification/requests/{req.pk}/", "fresh")
    fresh.page.click("#issue")
    fresh.page.locator("#report-issued", has_text="已于").wait_for()
    for width, tab in stale.items():
        tab.page.click("#issue")
        # the page comes back with the refusal where the buttons were (the report is issued: no button left)
        refusal = tab.page.locator("main [role=alert]")
        refusal.wait_for()
        assert "核对报告已经出具" in refusal.inner_text() and tab.page.locator("#issue").count() == 0
        assert "已于" in tab.page.locator("#report-issued").inner_text()  # the page as it is now: issued
        assert tab.page.evaluate("document.documentElement.scrollWidth") <= width
        tab.shot(f"issue-refused-{width}")
