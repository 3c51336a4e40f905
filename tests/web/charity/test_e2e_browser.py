"""End to end in a real browser: a need published from the household file with consent (PR-10),
a charity's offer and help, the help beside government help on the household file, union help (WK-1).
Screenshots under test-artifacts/charity-e2e/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "charity-e2e"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_a_need_is_published_helped_and_shown_on_the_household_file(
        browser, live_server, settings, huining_caseworker, charity, huining_household):
    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url

    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/registry/households/{huining_household.pk}/", "household-file")
    cw.page.click("text=发布救助需求")
    cw.page.select_option("[name=category]", "schooling")
    cw.page.fill("[name=text]", "张建国的孩子需要冬衣")  # names the household: refused
    cw.page.check("[name=consent]")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator(".errorlist", has_text="不得含有姓名").wait_for()
    cw.shot("need-refused")
    cw.page.fill("[name=text]", "初中学生需要学习用品和冬衣")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#needs", has_text="初中学生需要学习用品和冬衣").wait_for()
    cw.shot("needs-board")

    ch = Session(browser, base, charity.username, PASSWORD, shots)
    ch.goto("/charity/", "needs-board")
    assert "张建国" not in ch.page.content() and huining_household.number not in ch.page.content()
    ch.page.locator("summary", has_text="认领").first.click()
    ch.page.fill("form[action*=offer] [name=content]", "资助学习用品一套")
    ch.page.click("form[action*=offer] button[type=submit]")
    ch.page.locator("#needs", has_text="资助学习用品一套（待答复）").wait_for()
    ch.shot("offered")

    cw.goto("/charity/", "needs-with-offer")
    cw.page.click("button[name=accept][value='1']")
    cw.page.locator("#needs", has_text="已接受").wait_for()

    ch.goto("/charity/", "needs-accepted")
    ch.page.locator("summary", has_text="登记已给予的帮扶").first.click()
    ch.page.select_option("form[action*=help] [name=kind]", "goods")
    ch.page.fill("form[action*=help] [name=content]", "学习用品一套、冬衣两件")
    ch.page.fill("form[action*=help] [name=amount]", "480")
    ch.page.click("form[action*=help] button[type=submit]")
    ch.page.locator("#my-help", has_text="学习用品一套、冬衣两件").wait_for()
    ch.shot("mine")

    cw.goto(f"/registry/households/{huining_household.pk}/", "file-with-help")
    assert "学习用品一套、冬衣两件" in cw.page.locator("#social-help-table").inner_text()
    cw.page.click("text=登记社会帮扶")
    cw.page.select_option("[name=giver]", "union")
    cw.page.fill("[name=organisation]", "会宁县总工会")
    cw.page.select_option("[name=kind]", "money")
    cw.page.fill("[name=content]", "困难职工生活救助")
    cw.page.fill("[name=amount]", "1000")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator(".errorlist", has_text="困难职工档次").wait_for()  # WK-1: the tier is required
    cw.page.select_option("[name=union_tier]", "deep")
    cw.page.check("input[name=union_items][value=living]")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#social-help-table", has_text="深度困难").wait_for()
    cw.shot("file-with-union-help")
    assert len(shots) >= 8
