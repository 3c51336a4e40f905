"""One 低保 case walked in one browser session, meeting each refusal of issue 9 item 1 where a
caseworker meets it, then completed (issue 9, "Done means": one refused step of each kind shown on
screen in a walk from search to approval).

Playwright drives Debian's Chromium with JavaScript on: htmx posts every step form and swaps the
panel in place (doudi.procedure.views.attempt and web/base.html's responseHandling). The case is a
relative's (近亲属备案, NAT-DB-KIN), so that its approval needs two approvers. Along the walk:

1. 入户调查 with one investigator → 「入户调查须有至少2名调查人员」; the findings typed stay; then two.
2. 结束公示 the day the notice went up → 「公示期未满」; the 7 days then pass (the test moves the
   notice's dates back, as the calendar would) and the notice ends.
3. 批准 before the drawn spot check (PR-3: the county's first case is always drawn) → 「须先登记抽查
   结果才能批准」; the opinion typed stays; the spot check is recorded and the first approval given.
4. The same approver approves again → 「须由另一名审批人第二次审批」 (a 403 answer); a second
   approver gives the second approval and the case is approved.

Every refusal appears inside the form that was submitted, in Chinese; the case does not move;
screenshots at 1366 px and 390 px under test-artifacts/one-walk/<width>px/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "one-walk"

pytestmark = [
    pytest.mark.usefixtures("close_other_sessions"),
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def _pass_notice_days() -> None:
    from django.db.models import F

    from doudi.cases.models import PublicNotice

    PublicNotice.objects.filter(closed_on__isnull=True).update(starts_on=F("starts_on") - dt.timedelta(days=7),
                                                              ends_on=F("ends_on") - dt.timedelta(days=7))


def _open(session: Session, action: str) -> None:
    session.page.locator(f"#step-{action}").evaluate("el => el.open = true")


def _refused(session: Session, action: str, text: str, name: str) -> None:
    """Submit the step's open form; the panel comes back with `text` inside that same form."""
    page = session.page
    page.evaluate("document.getElementById('case').dataset.stale = '1'")
    page.locator(f"form[data-step={action}] button[type=submit]").click()
    page.locator("#case:not([data-stale])").wait_for()
    errors = page.locator(f"form[data-step={action}] .errorlist", has_text=text)
    errors.wait_for()
    assert errors.is_visible()
    assert page.locator("#step-" + action).get_attribute("open") is not None
    if session.page.viewport_size["width"] == 390:  # the refused panel fits the phone
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    session.shot(name)


@pytest.mark.parametrize("width", [1366, 390])
def test_one_case_meets_each_refusal_on_its_way_and_is_approved(
        browser, live_server, width, huining_caseworker, huining_caseworker_2, huining_reviewer, huining_approver,
        huining_approver_2, huining_verifier, huining_household):
    from web.conftest import PASSWORD

    from doudi.cases.models import Case

    shutil.rmtree(ARTIFACTS / f"{width}px", ignore_errors=True)
    Session.artifacts = ARTIFACTS / f"{width}px"  # each width's screenshots in a folder of their own
    shots: list = []
    base = live_server.url
    today = dt.date.today().isoformat()

    def state() -> str:
        return Case.objects.get().state

    # The window: the household picked by search, a relative's application recorded, routed into a case.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots, width=width)
    cw.goto("/cases/window/new/", f"window-{width}")
    cw.page.fill("[name=applicant_name]", "张建国")
    cw.page.fill("[name=household_id_q]", "张建国")
    cw.page.check(f"input[name=household_id][value='{huining_household.pk}']")
    cw.page.select_option("[name=program]", "dibao")
    cw.page.fill("[name=description]", "丈夫务工收入低，申请低保")
    cw.page.click("#main form button[type=submit]:not([name=_pick])")
    cw.page.locator("#request-status").wait_for()
    route = cw.page.locator("form[action$='/route/']")
    route.locator("[name=kin]").check()
    route.locator("[name=kin_note]").fill("申请人系本村村委会委员之弟")
    route.locator("button[type=submit]").click()
    cw.page.locator("#case-state", has_text="已申请待受理").wait_for()
    case = Case.objects.get()
    assert case.kin
    cw.step("accept", "已受理待入户调查")

    # 1. 入户调查 with one investigator: refused beside the form, what was typed kept; then with two.
    _open(cw, "investigate")
    form = cw.page.locator("form[data-step=investigate]")
    form.locator(f"input[name=investigators][value='{huining_caseworker.pk}']").check()
    form.locator("[name=findings]").fill("入户查看：住房简陋，丈夫打零工月收入约600元")
    form.locator("[name=visited_on]").fill(today)
    _refused(cw, "investigate", "入户调查须有至少2名调查人员", f"1-investigate-one-investigator-{width}")
    form = cw.page.locator("form[data-step=investigate]")
    assert form.locator("[name=findings]").input_value() == "入户查看：住房简陋，丈夫打零工月收入约600元"
    assert form.locator("[name=visited_on]").input_value() == today
    assert state() == "accepted"
    cw.step("investigate", "已入户调查",
            check=(f"input[name=investigators][value='{huining_caseworker_2.pk}']",
                   "[name=signed_by_investigators]", "[name=signed_by_family]", "[name=authorisation]"))
    authorisation = ARTIFACTS / "authorisation.pdf"
    authorisation.parent.mkdir(parents=True, exist_ok=True)
    authorisation.write_bytes(b"%PDF-1.4\n%%EOF\n")
    _open(cw, "request_verification")
    cw.page.locator("form[data-step=request_verification] input[name=authorisation]").set_input_files(
        str(authorisation))
    cw.step("request_verification", "信息核对中")

    vo = Session(browser, base, huining_verifier.username, PASSWORD, shots, width=width)
    vo.goto(f"/verification/requests/{case.verification_requests.get().pk}/", f"verification-{width}")
    vo.page.click("#run")
    vo.page.locator("#report-summary").wait_for()
    vo.page.click("#issue")
    vo.page.locator("#report-issued", has_text="已于").wait_for()
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots, width=width)
    rv.goto(f"/cases/{case.pk}/", f"review-{width}")
    rv.step("propose", "公示中", fill={"opinion": "收入、财产符合低保条件，建议批准"}, choose={"recommend": "1"})

    # 2. 结束公示 the day the notice went up: refused, the notice still running; 7 days later it ends.
    cw.goto(f"/cases/{case.pk}/", f"in-notice-{width}")
    _open(cw, "close_notice")
    _refused(cw, "close_notice", "公示期未满", f"2-close-notice-early-{width}")
    assert state() == "in_notice"
    _pass_notice_days()
    cw.goto(f"/cases/{case.pk}/", f"notice-over-{width}")
    cw.step("close_notice", "待县级审批")

    # 3. 批准 before the drawn spot check: refused, the opinion kept; the spot check, then the first approval.
    ap = Session(browser, base, huining_approver.username, PASSWORD, shots, width=width)
    ap.goto(f"/cases/{case.pk}/", f"at-county-{width}")
    assert Case.objects.get().spot_checks.get().selected
    _open(ap, "approve")
    ap.page.locator("form[data-step=approve] [name=opinion]").fill("同意，按月补差")
    confirm = ap.page.locator("form[data-step=approve] [name=confirm_placeholder]")
    placeholder = confirm.count() > 0  # the amount rests on a placeholder standard: the approver confirms it
    if placeholder:
        confirm.check()
    _refused(ap, "approve", "须先登记抽查结果才能批准", f"3-approve-before-spot-check-{width}")
    assert ap.page.locator("form[data-step=approve] [name=opinion]").input_value() == "同意，按月补差"
    assert state() == "at_county"
    ap.step("record_spot_check", "待县级审批", fill={"visited_on": today, "findings": "县级入户抽查：情况属实"},
            choose={"consistent": "1"})
    ap.step("approve", "已初审批待第二人审批", fill={"opinion": "同意，按月补差"}, check=("[name=confirm_placeholder]",) if placeholder else ())
    assert state() == "first_approved"

    # 4. The same approver's second approval: refused (four eyes, 403), the opinion kept.
    _open(ap, "approve")
    ap.page.locator("form[data-step=approve] [name=opinion]").fill("再次同意")
    if placeholder:
        ap.page.locator("form[data-step=approve] [name=confirm_placeholder]").check()
    _refused(ap, "approve", "须由另一名审批人第二次审批", f"4-second-approval-same-approver-{width}")
    assert ap.page.locator("form[data-step=approve] [name=opinion]").input_value() == "再次同意"
    assert state() == "first_approved"

    # The second approver completes the case.
    ap2 = Session(browser, base, huining_approver_2.username, PASSWORD, shots, width=width)
    ap2.goto(f"/cases/{case.pk}/", f"second-approver-{width}")
    ap2.step("approve", "已批准", fill={"opinion": "同意"}, check=("[name=confirm_placeholder]",) if placeholder else ())
    case.refresh_from_db()
    assert case.state == "approved"
    approvals = list(case.events.filter(action="approve").values_list("actor__username", flat=True))
    assert approvals == [huining_approver.username, huining_approver_2.username]
    assert len(shots) >= 19
