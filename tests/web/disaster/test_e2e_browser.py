"""End to end in a real browser: a flood reported (DR-2), one household's relief through 户申、村评、
乡审、县定 (DR-1) with goods issued from the stock, the ledger and the zero report.

Playwright drives Debian's Chromium against the live server; screenshots under
test-artifacts/disaster-e2e/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "disaster-e2e"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_a_flood_and_one_households_relief_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_village_assistant, huining_reviewer,
        huining_approver, huining_finance, huining_household):
    from doudi.disaster.models import DisasterEvent, Grant, StockItem

    from ..conftest import HUINING_TOWN, PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url

    # 1. The township reports the flood (DR-2) within 2 hours.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto("/disaster/events/new/", "event-form")
    cw.page.fill("[name=region]", HUINING_TOWN)
    cw.page.select_option("[name=kind]", "flood")
    cw.page.fill("[name=description]", "暴雨引发山洪,房屋进水倒塌")
    cw.page.fill("[name=affected_households]", "12")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#report", has_text="2小时内").wait_for()
    cw.shot("event")
    event = DisasterEvent.objects.get()

    # 2. 户申: the household found in the registry, its house collapsed (DR-4 first).
    cw.goto(f"/disaster/events/{event.pk}/apply/?household={huining_household.pk}", "apply-form")
    cw.page.fill("[name=losses]", "房屋倒塌,粮食被褥受损")
    cw.page.check("[name=house_collapsed]")
    cw.page.click("#apply-form button[type=submit]")
    cw.page.locator("#case-state", has_text="户申待村评").wait_for()
    assert "倒房重建户" in cw.page.locator("#priority").inner_text()
    cw.shot("applied")
    grant = Grant.objects.get()

    # Four eyes: the caseworker who registered the application may not record the appraisal.
    cw.page.locator("#step-appraise").evaluate("el => el.open = true")
    cw.page.locator("form[data-step=appraise] [name=appraisal]").fill("同意")
    cw.page.locator("form[data-step=appraise] button[type=submit]").click()
    cw.page.locator("#case .errorlist", has_text="不能再办理下一环节").wait_for()
    cw.shot("four-eyes-refused")

    # 3. 村评 by the village, 4. 乡审 by the township reviewer.
    va = Session(browser, base, huining_village_assistant.username, PASSWORD, shots)
    va.goto(f"/disaster/grants/{grant.pk}/", "case")
    va.step("appraise", "村评待乡审", fill={"appraisal": "村民代表11人评议,一致同意"})
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto("/disaster/", "worklist")
    assert grant.number in rv.page.content()
    rv.goto(f"/disaster/grants/{grant.pk}/", "case")
    rv.step("review", "乡审待县定", fill={"opinion": "情况属实,拟救助资金2000元、棉被2床"})

    # 5. The county receives goods into its stock and decides (县定): money and goods.
    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto("/disaster/stock/", "stock")
    ap.page.fill("#stock-form [name=name]", "棉被")
    ap.page.fill("#stock-form [name=unit]", "床")
    ap.page.fill("#stock-form [name=quantity]", "10")
    ap.page.click("#stock-form button[type=submit]")
    ap.page.locator("text=棉被：库存 10 床").wait_for()
    ap.goto(f"/disaster/grants/{grant.pk}/", "case")
    ap.page.locator("#step-approve").evaluate("el => el.open = true")
    ap.page.locator("form[data-step=approve] [name=goods_item]").select_option(str(StockItem.objects.get().pk))
    ap.step("approve", "县定待发放", fill={"amount": "2000", "goods_quantity": "2", "reasons": "同意"})
    assert "2000.00 元" in ap.page.locator("#decision").inner_text()
    ap.goto(f"/disaster/events/{event.pk}/", "event")
    ap.page.locator("summary", has_text="登记救灾资金").click()
    ap.page.fill("[name=total]", "100000")
    ap.page.locator("form[action*=funding] button[type=submit]").click()
    ap.page.locator("#funding", has_text="70000.00").wait_for()
    ap.shot("funding")

    # 6. Finance issues it straight to the household (DR-3 一站式): the stock goes down to 8.
    fi = Session(browser, base, huining_finance.username, PASSWORD, shots)
    fi.goto(f"/disaster/grants/{grant.pk}/", "case")
    fi.step("issue", "已发放到户")
    fi.goto("/disaster/stock/", "stock-after")
    assert "棉被：库存 8 床" in fi.page.content()
    ap.goto(f"/disaster/events/{event.pk}/ledger/", "ledger")
    assert "倒房重建户" in ap.page.locator("#ledger").inner_text()

    # 7. The zero report of the day before (DR-2) from the reports page.
    cw.goto("/disaster/reports/", "reports")
    yesterday = dt.date.today() - dt.timedelta(days=1)
    cw.page.fill("#zero-form [name=day]", yesterday.isoformat())
    cw.page.click("#zero-form button[type=submit]")
    cw.page.locator("#report-status", has_text="已报送").wait_for()
    cw.shot("zero-report")

    # 8. The phone width: the case page still readable at 390 px.
    ph = Session(browser, base, huining_approver.username, PASSWORD, shots, width=390, height=844)
    ph.goto(f"/disaster/grants/{grant.pk}/", "case-phone")
    grant.refresh_from_db()
    assert grant.state == "issued" and len(shots) >= 15
