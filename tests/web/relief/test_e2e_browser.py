"""End to end in a real browser: one urgent temporary-assistance case, helped first and paid in stages.

Playwright drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against the
test's live server. The township caseworker registers the urgent help with simplified checks and
a case-by-case amount in two stages (NAT-TA-FIRST, TA-2); the township reviewer finds it above
the township's ceiling (refused on the page, the ceiling and its source named); the county approver approves; the finance officer pays the first stage,
the second waits for the paperwork, which a second caseworker completes; then the second stage
is paid, the case is referred on (TA-4) and followed up in the 救急难 register (TA-6).
Screenshots of each page are kept under test-artifacts/relief-e2e/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "relief-e2e"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


class Session(browser_kit.Session):
    """One user's browser window; screenshots under ARTIFACTS."""

    artifacts = ARTIFACTS


def test_one_urgent_case_is_helped_first_and_paid_in_stages_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_caseworker_2, huining_reviewer,
        huining_approver, huining_finance, huining_household):
    from doudi.relief.models import ReliefCase

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    today = dt.date.today()

    # 1. Help first: simplified checks, 3000.00 decided case by case, paid 1000.00 now and 2000.00 later.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/relief/cases/urgent/?household={huining_household.pk}", "urgent-form")
    cw.page.select_option("[name=kind]", "fire")
    cw.page.fill("[name=description]", "凌晨住房失火,衣物被褥全部烧毁")
    cw.page.fill("[name=simplified_check]", "村委会电话核实,乡镇工作人员现场查看属实")
    cw.page.fill("[name=amount]", "3000")
    cw.page.fill("[name=reasoning]", "房屋主体受损,一家三口暂无住处,按一事一议核定")
    cw.page.fill("[name=stages]", "1000\n2000")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#case-state", has_text="先行救助待审批").wait_for()
    cw.shot("case-urgent")
    case = ReliefCase.objects.get()
    assert "1000.00 元" in cw.page.locator("#ceiling").inner_text()

    # 2. The township reviewer may approve only up to the ceiling (1000.00): 3000.00 goes to the county.
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto(f"/relief/cases/{case.pk}/", "case")
    rv.page.locator("#step-approve").evaluate("el => el.open = true")
    with rv.page.expect_response(lambda r: "/steps/approve/" in r.url) as resp:
        rv.page.locator("form[data-step=approve] button[type=submit]").click()
    assert resp.value.status == 403
    # the refusal is swapped in beside the form (doudi.procedure.views.attempt), the ceiling and its source named
    refusal = rv.page.locator("form[data-step=approve] .errorlist", has_text="乡镇审批临时救助限额 1000.00 元")
    refusal.wait_for()
    assert "须报县级审批" in refusal.inner_text() and "民发〔2018〕23号" in refusal.inner_text()
    assert "须报县级审批" in rv.page.locator("#county-needed").inner_text()
    rv.shot("approve-refused-above-ceiling")

    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto("/relief/", "worklist")
    assert case.number in ap.page.content()
    ap.goto(f"/relief/cases/{case.pk}/", "case")
    # the figures before deciding (tests/web/relief/test_figures.py): the grant decided case by case
    figures = ap.page.locator("#current-figures").inner_text()
    assert "救助金 3000.00 元" in figures and "与先行救助登记时核定救助金 3000.00 元一致" in figures
    ap.step("approve", "已批准分次发放中", fill={"opinion": "同意先行救助,分两次发放"})
    assert "叁仟元整" in ap.page.content()
    assert "一事一议核定临时救助金 3000.00 元" in ap.page.content()

    # 3. Finance pays the first stage at once; the second waits for the paperwork.
    fi = Session(browser, base, huining_finance.username, PASSWORD, shots)
    fi.goto(f"/relief/cases/{case.pk}/", "case")
    fi.step("pay_stage", "已批准分次发放中")
    fi.step("pay_stage", "已批准分次发放中")
    assert "手续尚未补齐" in fi.page.content()

    cw2 = Session(browser, base, huining_caseworker_2.username, PASSWORD, shots)
    cw2.goto("/relief/", "worklist")
    assert "补齐手续" in cw2.page.content()
    cw2.goto(f"/relief/cases/{case.pk}/", "case")
    cw2.step("complete_paperwork", "已批准分次发放中",
             fill={"findings": "补充入户调查:房屋过火,家庭无其他收入来源", "visited_on": today.isoformat()},
             check=(f"input[name=investigators][value='{huining_caseworker.pk}']", "[name=signed_by_family]",
                    "[name=authorisation]"))
    fi.goto(f"/relief/cases/{case.pk}/", "case-paperwork-done")
    fi.step("pay_stage", "已办结")

    # 4. Referral onward (TA-4) and the 救急难 register followed up (TA-6).
    cw.goto(f"/relief/cases/{case.pk}/", "case-closed")
    cw.step("refer", "已办结", fill={"note": "家庭收入低于低保标准,引导申请低保"}, choose={})
    assert "转介最低生活保障" in cw.page.locator("#referrals").inner_text()
    cw.goto("/relief/register/", "register")
    cw.page.locator("details summary", has_text="登记跟踪回访").first.click()
    cw.page.fill("[name=situation]", "已租房暂住,生活基本稳定")
    cw.page.fill("[name=action_taken]", "转介住房救助")
    cw.page.locator("form[action*='follow-up'] button[type=submit]").click()
    cw.page.locator("text=已租房暂住,生活基本稳定").wait_for()
    cw.shot("register-followed-up")

    ap.goto(f"/relief/cases/{case.pk}/documents/decision/", "decision-notice")
    assert "壹仟元整" in ap.page.content() and "贰仟元整" in ap.page.content()
    pdf = ap.page.request.get(f"{base}/relief/cases/{case.pk}/documents/decision/?format=pdf")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    (ARTIFACTS / "decision-notice.pdf").write_bytes(pdf.body())

    case.refresh_from_db()
    assert case.state == "closed" and [s.paid_on is not None for s in case.stages.all()] == [True, True]
    assert len(shots) >= 14
