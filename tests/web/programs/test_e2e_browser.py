"""End to end in a real browser: a de-facto-unsupported child's file and protection case, then a disability
subsidy application.

The township caseworker opens the child's file from the household file and registers the application;
the township reviewer checks it (15 working days, NAT-CH-DEFACTO), the county approver confirms it and
the allowance of 1257.20 yuan a month (Huining: the national placeholder orphan standard) is shown; no
public notice is offered at any point. Then a disability subsidy is applied for and approved (NAT-DS-TWO).
Screenshots under test-artifacts/programs-e2e/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "programs-e2e"
pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_a_child_is_protected_and_a_disability_subsidy_approved_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_reviewer, huining_approver, make_household):
    from doudi.programs.models import ChildCase, DisabilityApplication

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    hh = make_household(members=[
        ("王奶奶", "self", dt.date(1960, 4, 1), "F", {"monthly_income": {"wages": 3000}}),
        ("王小宝", "other", dt.date(2015, 5, 10), "M", {}),
        ("王伯", "sibling", dt.date(1962, 1, 1), "M", {"disability": {"kind": "physical", "grade": 2}})])

    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/registry/households/{hh.pk}/", "household-file")
    cw.page.click("text=建立儿童档案（王小宝）")
    cw.page.select_option("[name=category]", "defacto")
    cw.page.fill("[name=guardian_name]", "王奶奶")
    cw.page.select_option("[name=father_status]", "imprisoned")
    cw.page.fill("[name=father_months]", "24")
    cw.page.select_option("[name=mother_status]", "lost_contact")
    cw.page.fill("[name=mother_months]", "8")
    cw.shot("file-form")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#protected", has_text="事实无人抚养儿童").wait_for()
    cw.shot("file")
    cw.page.locator("#submit-case").evaluate("el => el.open = true")
    cw.page.click("#submit-case button[type=submit]")
    cw.page.locator("#case-state", has_text="已申请待乡镇查验").wait_for()
    cw.shot("case-submitted")
    assert "公示" not in "".join(cw.page.locator("details.step summary").all_inner_texts())
    case = ChildCase.objects.get()

    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto(f"/programs/children/cases/{case.pk}/", "case")
    rv.step("township_check", "乡镇已查验待县级确认", fill={"findings": "入户查验：父亲服刑，母亲失联8个月，属实"})
    assert "县级确认（15个工作日）" in rv.page.content()

    ap = Session(browser, base, huining_approver.username, PASSWORD, shots)
    ap.goto("/programs/", "index")
    assert case.number in ap.page.content()
    ap.goto(f"/programs/children/cases/{case.pk}/", "case")
    ap.step("approve", "已确认发放基本生活费", fill={"opinion": "同意"})
    assert "1257.20 元/月" in ap.page.locator("#decision-amount").inner_text()

    # the disability subsidy: grade 2, not in 低保 (the household's wages 3000): the care subsidy 80.00 only
    cw.goto(f"/programs/disability/new/?household={hh.pk}", "disability-form")
    cw.page.select_option("[name=person_id]", label="王伯")
    cw.page.select_option("[name=subsidy]", "care")
    cw.page.click("#main form button[type=submit]")
    cw.page.locator("#state", has_text="已申请待审核").wait_for()
    a = DisabilityApplication.objects.get()
    ap.goto(f"/programs/disability/{a.pk}/", "disability")
    ap.page.click("#approve button")
    ap.page.locator("#state", has_text="已批准").wait_for()
    ap.shot("disability-approved")
    assert "护理补贴 80.00 元/月" in ap.page.locator("#amounts").inner_text()
    assert len(shots) >= 8

    # at 390 px (a phone) the township's pages of the programs fit the screen: no sideways scrolling
    phone = Session(browser, base, huining_caseworker.username, PASSWORD, shots, width=390, height=844)
    for path in (f"/programs/children/cases/{case.pk}/", f"/programs/children/{case.file_id}/", "/programs/children/",
                 "/programs/disability/", "/programs/rescue/", "/programs/"):
        phone.goto(path, "phone")
        assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390, path
