"""End to end in a real browser: an elderly-allowance application from the household file decided
by the county (EL-1), and the funeral-fee certificate of a 低保 recipient printed (TA-5).
Screenshots under test-artifacts/welfare-e2e/."""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "welfare-e2e"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_elderly_allowance_and_funeral_certificate_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_approver, make_household):
    from doudi.benefits.models import Benefit

    from ..conftest import HUINING_VILLAGE, PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    hh = make_household(HUINING_VILLAGE, "rural", [("老甲", "self", dt.date(1940, 1, 1), "M", {}),
                                                   ("老乙", "spouse", dt.date(1942, 1, 1), "F", {})])
    Benefit.objects.create(household=hh, region=hh.region_code, program="dibao", amount_fen=60000,
                           start_month=dt.date(2025, 1, 1))

    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/registry/households/{hh.pk}/", "household-file")
    cw.page.click("text=申请困难老年人补贴")
    cw.page.click("text=受理该家庭的申请")
    cw.page.locator("#elderly", has_text="已受理待审批").wait_for()
    cw.shot("elderly-submitted")

    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto("/welfare/elderly/", "elderly")
    assert "2 名成员年满 80 周岁" in ap.page.content()
    ap.page.check("input[name=approve][value='1']")
    ap.page.click("#elderly form button[type=submit]")
    ap.page.locator("#elderly", has_text="每月 100.00 元").wait_for()  # 2 × 50.00 (EL-1 placeholder)
    ap.shot("elderly-approved")

    cw.goto(f"/registry/households/{hh.pk}/", "household-file")
    cw.page.click("text=丧葬费减免证明")
    cw.page.fill("[name=deceased_on]", (dt.date.today() - dt.timedelta(days=1)).isoformat())
    cw.page.fill("[name=funeral_home]", "会宁县殡仪馆")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("h1", has_text="基本丧葬服务费用减免证明").wait_for()
    cw.shot("funeral-certificate")
    assert "会宁县殡仪馆" in cw.page.content() and "盖章处" in cw.page.content()
    pdf = cw.page.request.get(cw.page.url + "?format=pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "funeral-certificate.pdf").write_bytes(pdf.body())
