"""At 390 px (a phone) every page a township or village role uses fits the screen: no sideways
scrolling (document.documentElement.scrollWidth <= the viewport's width), the navigation folded
behind 菜单, tables as stacked rows, forms one column.

Playwright drives Debian's Chromium against the live server; the pages are every navigation
entry of the village assistant, the township caseworker and the township reviewer, plus the pages
they reach from there (household file and its forms, case pages of 低保 / 特困 / 临时救助 and their
opening forms, benefit, review and report pages). A screenshot of each page is kept under
test-artifacts/phone/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "phone"
WIDTH = 390

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


@pytest.fixture
def township(calendar, huining_caseworker, huining_caseworker_2, huining_approver, huining_household,
             make_household):
    """One of each: a 低保 case accepted, a 特困 application, urgent temporary help, a live benefit
    with a review after a reported change, an attachment."""
    from doudi.attachments import services as attachments
    from doudi.benefits import services as benefits
    from doudi.cases import services as cases
    from doudi.relief import services as relief
    from doudi.support import services as support

    from ..attachments.files import PDF, upload

    today = dt.date.today()
    elder = make_household(members=[("孙桂英", "self", dt.date(1942, 5, 1), "F", {"self_care": "partial"})])
    dibao = cases.submit_application(huining_caseworker, huining_household.pk, on=today)
    cases.accept(huining_caseworker, dibao.pk, on=today)
    tekun = support.submit(huining_caseworker, household_id=elder.pk, person_id=elder.head.pk, on=today)
    urgent = relief.help_first(huining_caseworker, household_id=huining_household.pk, kind="fire",
                               description="住房失火，衣物被褥全部烧毁", simplified_check="村委会证明，现场查看属实",
                               amount="800.00", reasoning="一家三口暂无住处，一事一议核定", on=today)
    benefit = benefits.start_benefit(huining_approver, household=huining_household, program="dibao",
                                     amount_fen=65400, start_month=today.replace(day=1))
    report = benefits.report_change(huining_caseworker, benefit.pk, kind="illness", occurred_on=today,
                                    description="户主住院", person_id=huining_household.head.pk)
    attachments.attach(huining_caseworker, huining_household, upload("户口簿首页.pdf", PDF), "hukou")
    return {"household": huining_household, "dibao": dibao, "tekun": tekun, "urgent": urgent,
            "benefit": benefit, "review": report.reviews.first()}


def _pages(t: dict) -> list[str]:
    hh, b = t["household"], t["benefit"]
    m = hh.memberships.filter(end__isnull=True).exclude(relation="self").first()
    return [
        f"/registry/households/{hh.pk}/", "/registry/households/new/", f"/registry/households/{hh.pk}/edit/",
        f"/registry/households/{hh.pk}/facts/", f"/registry/households/{hh.pk}/members/new/",
        f"/registry/households/{hh.pk}/members/{m.pk}/end/", "/registry/households/?q=zjg",
        f"/cases/{t['dibao'].pk}/", "/cases/new/", f"/cases/new/?household={hh.pk}", "/cases/window/new/",
        f"/support/cases/{t['tekun'].pk}/", "/support/cases/", f"/support/cases/new/?household={hh.pk}",
        f"/relief/cases/{t['urgent'].pk}/", "/relief/cases/", f"/relief/cases/new/?household={hh.pk}",
        f"/relief/cases/urgent/?household={hh.pk}", "/relief/cases/urgent/person/",
        f"/benefits/{b.pk}/", f"/benefits/{b.pk}/report/", f"/benefits/reviews/{t['review'].pk}/",
        "/password/",
    ]


def _too_wide(page) -> int | None:
    width = page.evaluate("document.documentElement.scrollWidth")
    return width if width > WIDTH else None


def test_every_page_of_the_township_and_village_roles_fits_a_phone(browser, live_server, township,
                                                                   huining_village_assistant, huining_caseworker,
                                                                   huining_reviewer):
    from ..conftest import PASSWORD

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    wide, seen = [], 0
    for user in (huining_village_assistant, huining_caseworker, huining_reviewer):
        s = Session(browser, live_server.url, user.username, PASSWORD, shots, width=WIDTH, height=844)
        page = s.page
        # the navigation is folded: 菜单 is shown, the entries are not until it is opened
        assert page.locator("label.menu-button").is_visible() and not page.locator("#main-nav").is_visible()
        page.click("label.menu-button")
        assert page.locator("#main-nav").is_visible()
        s.shot("menu-open")
        nav = page.eval_on_selector_all("#main-nav nav a", "els => els.map(e => e.getAttribute('href'))")
        for path in dict.fromkeys(nav + _pages(township)):
            response = page.goto(live_server.url + path)
            if response.status in (403, 404):  # a page this role does not use (refused as it should be)
                continue
            assert response.status == 200, f"{user.username} {path}: {response.status}"
            seen += 1
            width = _too_wide(page)
            if width:
                wide.append(f"{user.username} {path}: {width} px")
                page.screenshot(path=str(ARTIFACTS / f"too-wide-{user.username}-{len(wide)}.png"), full_page=True)
            elif user is huining_caseworker:
                s.shot(path.strip("/").replace("/", "-").replace("?", "-") or "home")
        s.context.close()
    assert seen > 40
    assert not wide, "wider than the phone:\n" + "\n".join(wide)


def test_a_list_is_stacked_rows_on_a_phone_and_a_table_at_desk_width(browser, live_server, township,
                                                                     huining_caseworker):
    from ..conftest import PASSWORD

    for width, stacked in ((WIDTH, True), (1366, False)):
        s = Session(browser, live_server.url, huining_caseworker.username, PASSWORD, [], width=width)
        s.page.goto(live_server.url + "/cases/")
        display = s.page.eval_on_selector("table.list tbody tr", "tr => getComputedStyle(tr).display")
        head = s.page.eval_on_selector("table.list tbody td", "td => getComputedStyle(td, '::before').content")
        assert (display == "block") is stacked and ('案件编号' in head) is stacked
        s.context.close()
