"""End to end in a real browser (issue 10): a county user enters a new urban 低保 standard for
Huining with its document; a bad value is refused with a Chinese error naming the field; the same
user cannot approve it; a second county user approves it; the parameter page shows it in force
from its date with its level and source. Screenshots under test-artifacts/params-e2e/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "params-e2e"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_entering_and_approving_a_parameter_change_in_a_browser(browser, live_server, settings, huining_approver,
                                                               huining_approver_2):
    from doudi.params.models import ParameterValue

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    a = Session(browser, live_server.url, huining_approver.username, PASSWORD, shots)
    a.goto("/params/?region=620422&on=2026-07-01&residence=urban", "in-force")
    row = a.page.locator("tr[data-name='dibao.standard.urban']")
    assert "700.00" in row.inner_text() and "占位" in row.inner_text() and "县级" in row.inner_text()
    row.get_by_text("调整").click()
    a.page.wait_for_url(lambda url: "/params/new/" in url)
    a.page.fill("[name=effective_from]", "2026-07-01")
    a.page.fill("[name=value]", "750.005")
    a.page.fill("[name=document]", "会民发〔2026〕1号")
    a.page.fill("[name=clause]", "第二条")
    a.page.click("#main form button[type=submit]")
    err = a.page.locator(".error")
    err.wait_for()
    assert "新取值" in err.inner_text() and "两位小数" in err.inner_text()
    a.shot("refused")
    assert ParameterValue.objects.count() == 0
    a.page.fill("[name=value]", "750")
    a.page.click("#main form button[type=submit]")
    a.page.locator("#state", has_text="待审批").wait_for()
    a.shot("pending")
    assert a.page.locator("button", has_text="批准").count() == 0  # four eyes: not one's own
    v = ParameterValue.objects.get()

    b = Session(browser, live_server.url, huining_approver_2.username, PASSWORD, shots)
    b.goto(f"/params/{v.pk}/", "to-approve")
    b.page.locator("button", has_text="批准").click()
    b.page.locator("#state", has_text="已批准").wait_for()
    b.shot("approved")
    b.goto("/params/?region=620422&on=2026-07-01&residence=urban", "in-force-after")
    row = b.page.locator("tr[data-name='dibao.standard.urban']")
    assert "750.00" in row.inner_text() and "会民发〔2026〕1号 第二条" in row.inner_text()
    assert "占位" not in row.inner_text()
    b.goto("/params/?region=620422&on=2026-06-30&residence=urban", "before-its-date")
    assert "700.00" in b.page.locator("tr[data-name='dibao.standard.urban']").inner_text()
    b.goto("/params/history/", "history")
    assert "会民发〔2026〕1号" in b.page.locator("#history").inner_text()
