"""End to end in a real browser: urgent help where the emergency happens, regardless of household
registration (NAT-TA-FIRST).

A Huining township caseworker helps a woman whose household is registered in Baotou: she is named
by ID number and name (a mistyped ID number is refused on its field, in Chinese); the case shows
her masked ID and 户籍地, never the Baotou household file, which still answers 404. Huining's
township reviewer approves within Huining's ceiling and Huining's finance pays the first stage;
Baotou's township caseworker finds the 户籍地通报 in the worklist and records what it will do,
which Huining then reads on its case. Screenshots under test-artifacts/relief-away-e2e/.
"""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "relief-away-e2e"

pytestmark = [
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_a_person_registered_elsewhere_is_helped_where_the_emergency_happens_in_a_browser(
        browser, live_server, settings, huining_caseworker, huining_reviewer, huining_finance, baotou_caseworker,
        baotou_household):
    from doudi.relief.models import ReliefCase

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    head = baotou_household.head

    # 1. Huining's caseworker names the person by ID number; a mistyped number is refused on its field.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto("/relief/cases/urgent/", "urgent-search")
    cw.page.click("#by-person a")
    cw.page.wait_for_url("**/relief/cases/urgent/person/")
    bad = head.id_number[:-1] + ("0" if head.id_number[-1] != "0" else "1")
    cw.page.fill("[name=id_number]", bad)
    cw.page.fill("[name=name]", head.name)
    cw.page.select_option("[name=kind]", "traffic_accident")
    cw.page.fill("[name=description]", "途经本镇遭遇交通事故,随身财物丢失,无力返乡")
    cw.page.fill("[name=simplified_check]", "派出所出具事故证明,现场查看属实")
    cw.page.fill("[name=amount]", "800")
    cw.page.fill("[name=reasoning]", "外地人员滞留本地,急需食宿和返乡路费")
    cw.page.fill("[name=stages]", "300\n500")
    cw.page.click("#urgent-person button[type=submit]")
    cw.page.locator("text=身份证号无效").wait_for()
    cw.shot("bad-id-number")
    cw.page.fill("[name=id_number]", head.id_number)
    cw.page.click("#urgent-person button[type=submit]")
    cw.page.locator("#case-state", has_text="先行救助待审批").wait_for()
    cw.shot("case-urgent-away")
    subject = cw.page.locator("#subject").inner_text()
    assert head.masked_id in subject and "户籍地 内蒙古自治区包头市东河区和平路街道（150202001）" in subject
    assert head.id_number not in cw.page.content()
    case = ReliefCase.objects.get()
    r = cw.page.goto(f"{base}/registry/households/{baotou_household.pk}/")
    assert r.status == 404  # the Baotou household file stays closed to Huining
    cw.shot("household-file-closed")

    # 2. Huining's township reviewer approves 800.00 within the township ceiling; finance pays the first stage.
    rv = Session(browser, base, huining_reviewer.username, PASSWORD, shots)
    rv.goto(f"/relief/cases/{case.pk}/", "case")
    rv.step("approve", "已批准分次发放中", fill={"opinion": "同意先行救助,分两次发放"})
    assert "乡镇审批" in rv.page.content()
    fi = Session(browser, base, huining_finance.username, PASSWORD, shots)
    fi.goto(f"/relief/cases/{case.pk}/", "case")
    fi.step("pay_stage", "已批准分次发放中")

    # 3. Baotou's township finds the notice in its worklist and records what it will do.
    bt = Session(browser, base, baotou_caseworker.username, PASSWORD, shots)
    bt.goto("/relief/", "worklist")
    bt.page.click("text=先行救助通报：高志红")
    bt.page.wait_for_url("**/relief/notices/**")
    bt.shot("notice")
    bt.page.fill("[name=reply]", "已联系家属接返,纳入低保排查")
    bt.page.locator("form[action*='acknowledge'] button[type=submit]").click()
    bt.page.locator("text=已知悉（").wait_for()
    bt.shot("notice-acknowledged")

    # 4. Huining reads the reply on its case.
    cw.goto(f"/relief/cases/{case.pk}/", "case-notice-replied")
    assert "户籍地已知悉：已联系家属接返,纳入低保排查" in cw.page.locator("#home-notices").inner_text()
    assert len(shots) >= 10
