"""End to end in a real browser: the other procedures of doudi.programs.

A county approver imports a hospital's settlement file (MA-3; 70% of 5000.00 = 3500.00, MA-2); the
province enters a CPI of 4.00% and computes the month (NAT-PL: 700.00 × 4% = 28.00 for one 低保
recipient); a township caseworker takes in a person found on patrol, records a DNA match and returns
him home (ST-1); a housing referral is answered by the partner department's liaison (HO-1).
Screenshots under test-artifacts/programs-e2e-more/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "programs-e2e-more"
pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_settlement_prices_rescue_and_referral_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_approver, huining_liaison, administrator,
        make_household):
    from doudi.benefits import services as benefits

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    hh = make_household(members=[("周病", "self", dt.date(1966, 1, 1), "M", {})])
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=70000, start_month=dt.date(2026, 1, 1))
    p = hh.memberships.get().person

    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto("/programs/medical/", "medical")
    ap.page.locator("#import").evaluate("el => el.open = true")
    ap.page.fill("[name=hospital]", "会宁县人民医院")
    ap.page.fill("[name=region]", "620422")
    csv = f"结算单号,身份证号,姓名,出院日期,政策范围内个人自付\nB100,{p.id_number},周病,2026-03-05,5000.00\n"
    ap.page.set_input_files("[name=file]", files=[{"name": "jiesuan.csv", "mimeType": "text/csv",
                                                   "buffer": csv.encode()}])
    ap.page.click("#import button[type=submit]")
    ap.page.locator("#bills", has_text="3500.00").wait_for()
    ap.shot("medical-imported")

    ad = Session(browser, base, administrator.username, PASSWORD, shots)
    ad.goto("/programs/prices/", "prices")
    ad.page.locator("details summary", has_text="录入本省月度价格指数").click()
    ad.page.fill("[name=province]", "62")
    ad.page.fill("[name=month]", "2026-03-01")
    ad.page.fill("[name=cpi_yoy]", "4.00")
    ad.page.fill("[name=published_on]", "2026-04-10")
    ad.page.click("details form button[type=submit]")
    ad.page.locator("text=计算本月补贴").click()
    ad.page.locator(".messages", has_text="已计算 1 户，合计 28.00 元").wait_for()
    ad.shot("prices-computed")
    # the province sees the totals; the county sees the households' lines with the figure and trigger
    assert "28.00" not in ad.page.locator("#lines").inner_text()
    ap.goto("/programs/prices/", "prices-lines")
    assert "CPI同比 4.00%" in ap.page.locator("#lines").inner_text()
    assert "28.00" in ap.page.locator("#lines").inner_text()

    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto("/programs/rescue/", "rescue")
    cw.page.locator("details summary", has_text="巡查发现").click()
    cw.page.fill("[name=region]", "620422100")
    cw.page.fill("[name=name]", "男，约40岁，自称姓李")
    cw.page.fill("[name=estimated_age]", "40")
    cw.page.select_option("[name=found_how]", "patrol")
    cw.page.click("details form button[type=submit]")
    cw.page.locator("#state", has_text="站内救助").wait_for()
    cw.page.locator("details summary", has_text="记录甄别查询").click()
    cw.page.select_option("[name=kind]", "dna")
    cw.page.fill("[name=result]", "DNA比对成功，户籍河南省郑州市")
    cw.page.check("[name=matched]")
    cw.page.fill("[name=home_region]", "410102")
    cw.page.click("details[open] form button[type=submit]")
    cw.page.locator("#state", has_text="已找到亲属").wait_for()
    cw.page.fill("[name=receiving_office]", "郑州市救助管理站")
    cw.page.select_option("[name=escort]", "escort")
    cw.page.click("details[open] form button[type=submit]")
    cw.page.locator("#state", has_text="已返乡").wait_for()
    cw.page.locator("#return-ack", has_text="待郑州市救助管理站确认接收").wait_for()  # ST-1: the receiving area told
    cw.shot("rescue-returned")

    cw.goto(f"/programs/referrals/new/?household={hh.pk}", "referral-form")
    cw.page.select_option("[name=kind]", "housing")
    cw.page.fill("[name=note]", "人均住房面积不足15平方米")
    cw.page.click("#main form button[type=submit]")
    li = Session(browser, base, huining_liaison.username, PASSWORD, shots)
    li.goto("/programs/referrals/", "referrals")
    li.page.check("input[name=accepted][value='1']")
    li.page.fill("[name=answer]", "已纳入公租房保障")
    li.page.click("td form button[type=submit]")
    li.page.locator("text=已落实：已纳入公租房保障").wait_for()
    li.shot("referral-answered")
