"""公示名单 (PR-4): the households in notice now, per village, kept current (issue 9, item 4).

A stopped benefit leaves the list; a proposal in its 7-day notice shows with the notice's dates;
each village's sheet names the issuing office and where to object; only name, household size and
amount are public (security.md). A browser test takes the board after a stop at 1366 and 390 px.
"""

from __future__ import annotations

import datetime as dt

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

from doudi.cases import services as s

from .conftest import DAY

ARTIFACTS = ROOT / "test-artifacts" / "notice-board"


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def _approved(walk, household, approver):
    case = walk(household, "at_county")
    check = case.spot_checks.order_by("-drawn_at").first()
    if check and check.selected:
        s.record_spot_check(approver, case.pk, visited_on=DAY + dt.timedelta(days=11), findings="属实", consistent=True)
    s.approve(approver, case.pk, on=DAY + dt.timedelta(days=11))
    case.refresh_from_db()
    return case


def _stop(case, approver):
    """The county ends the household's 低保 (a stop: status ended at once, nothing paid from next month)."""
    from doudi.benefits import services as b
    from doudi.benefits.models import Benefit
    from doudi.benefits.months import add_months

    benefit = Benefit.objects.get(household=case.household, program="dibao")
    b.end_benefit(approver, benefit.pk, ground="家庭收入超过当地低保标准",
                  effective_month=add_months(dt.date.today().replace(day=1), 1),
                  reasons="复核查明家庭成员已稳定就业")
    return benefit


@pytest.mark.django_db
def test_the_board_lists_paid_and_proposed_households_per_village_and_drops_a_stopped_one(
        walk, make_household, huining_household, huining_approver, client_for):
    paid = _approved(walk, huining_household, huining_approver)
    stopped = _approved(walk, make_household(members=[("李停发", "self", dt.date(1970, 1, 1), "M", {})]),
                        huining_approver)
    proposed = walk(make_household(members=[("周公示", "self", dt.date(1975, 1, 1), "F", {})]), "in_notice",
                    day=dt.date.today() - dt.timedelta(days=3))
    c = client_for(huining_approver)
    html = c.get("/cases/notices/?area=620422100201").content.decode()
    assert "李停发" in html and paid.applicant_name in html and "周公示" in html
    _stop(stopped, huining_approver)
    html = c.get("/cases/notices/?area=620422100201").content.decode()
    assert "李停发" not in html  # a stopped benefit leaves the board (PR-4: kept up while paid)
    assert paid.applicant_name in html and "1500.00" in html
    notice = proposed.notices.get()
    assert "周公示" in html and f"{notice.starts_on:%Y-%m-%d} 至 {notice.ends_on:%Y-%m-%d}" in html
    assert "会师镇南十里铺村民委员会" in html and "公示单位：会师镇人民政府" in html
    assert '<main id="main">' in html  # inside the application's frame for staff
    head = huining_household.head
    assert head.id_number not in html and huining_household.address not in html
    sheet = c.get("/cases/notices/?area=620422100201&format=print").content.decode()
    assert "周公示" in sheet and "李停发" not in sheet and "（盖章）" in sheet and "会师镇人民政府" in sheet
    assert "异议受理电话" in sheet and '<main id="main">' not in sheet
    assert c.get("/cases/notices/?area=620422100201&format=pdf").content.startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_other_sessions")
@needs_chromium
@pytest.mark.parametrize("width", [1366, 390])
def test_the_notice_board_after_a_stop_in_a_browser(browser, live_server, walk, make_household, huining_household,
                                                    huining_approver, huining_caseworker, width):
    from web.conftest import PASSWORD

    paid = _approved(walk, huining_household, huining_approver)
    stopped = _approved(walk, make_household(members=[("李停发", "self", dt.date(1970, 1, 1), "M", {})]),
                        huining_approver)
    _stop(stopped, huining_approver)
    shots: list = []
    cw = Session(browser, live_server.url, huining_caseworker.username, PASSWORD, shots, width=width)
    cw.page.goto(live_server.url + "/cases/")
    cw.page.click("nav a:text('公示名单')") if width > 700 else cw.page.goto(live_server.url + "/cases/notices/")
    cw.page.fill("#id_area", "620422100201")
    cw.page.click("#main form.filters button[type=submit]")
    section = cw.page.locator("#village-620422100201")
    section.wait_for()
    assert paid.applicant_name in section.inner_text() and "1500.00" in section.inner_text()
    assert "李停发" not in cw.page.content()
    assert cw.page.evaluate("document.documentElement.scrollWidth") <= width
    cw.shot(f"board-after-stop-{width}")
    cw.page.click("#print-sheet")
    cw.page.get_by_text("（盖章）").wait_for()
    assert "李停发" not in cw.page.content() and paid.applicant_name in cw.page.content()
    cw.shot(f"sheet-after-stop-{width}")
