"""A browser walk of the supervisor's dashboard (Chromium, JavaScript on): charts drawn from the
vendored ECharts, the county below, the indicators, and the next city refused. Screenshots under
test-artifacts/reports-e2e/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "reports-e2e"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_the_supervisor_walks_the_dashboard(browser, live_server, settings, refreshed, supervisor):
    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    s = Session(browser, live_server.url, supervisor.username, PASSWORD, [])
    page = s.page
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(live_server.url + "/reports/?from=2026-01&to=2026-04")
    page.locator(".chart[data-drawn='1'] svg").first.wait_for()
    assert page.locator(".chart[data-drawn='1']").count() == page.locator(".chart").count() > 30
    assert "白银市" in page.locator("h1").inner_text()
    s.shot("dashboard-city")
    page.click("#children a")  # down to 会宁县
    page.locator(".chart[data-drawn='1'] svg").first.wait_for()
    assert "会宁县" in page.locator("h1").inner_text()
    page.locator("#program-dibao details").evaluate_all("els => els.forEach(el => el.open = true)")
    assert "2300.00" in page.locator("#program-dibao").inner_text()
    s.shot("dashboard-county")
    page.click("text=绩效指标")
    page.locator("#indicators").wait_for()
    assert "暂无数据" in page.locator("#ind-verification_cleared").inner_text()
    s.shot("indicators")
    r = page.goto(live_server.url + "/reports/?area=150200")  # the next city: not the supervisor's
    assert r.status == 404 and "不在您的辖区内" in page.content()
    s.shot("other-city-refused")
    assert not errors, errors
