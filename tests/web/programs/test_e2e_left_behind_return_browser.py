"""End to end in a real browser: a left-behind child classed from the form's questions (CH-3), and a person
returned home confirmed by the receiving township from its worklist (ST-1).

The child (born 2016-01-01, of school age) has nobody caring for him and no other guardian, and is out of
school: 无人监护 (civil affairs' temporary care, which needs its date and institution) and 辍学.
Screenshots under test-artifacts/programs-e2e-ch3-st1/.
"""

from __future__ import annotations

import datetime as dt
import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "programs-e2e-ch3-st1"
pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


def test_left_behind_child_classed_and_a_return_confirmed_in_a_browser(
        browser, live_server, settings, calendar, huining_caseworker, other_town_caseworker, make_household):
    from doudi.programs import rescue
    from doudi.programs.models import ChildFile, ReturnNotice

    from ..conftest import PASSWORD

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    kid = make_household(members=[("留守儿", "self", dt.date(2016, 1, 1), "M", {})]).memberships.get().person

    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots)
    cw.goto(f"/programs/children/new/?person={kid.pk}", "child-form")
    page = cw.page
    page.select_option("[name=category]", "left_behind")
    for name, value in (("lb_has_carer", "False"), ("lb_other_guardian", "False"), ("lb_in_school", "False"),
                        ("lb_registered", "True"), ("lb_infringed", "False"), ("lb_hardship", "False")):
        page.select_option(f"[name={name}]", value)
    page.click("#main form button[type=submit]")
    page.locator(".errorlist", has_text="临时照料起始日期").wait_for()  # no guardian: civil affairs' care, dated
    cw.shot("child-needs-care-date")
    page.fill("[name=temporary_care_on]", "2026-03-02")
    page.fill("[name=temporary_care_by]", "会宁县儿童福利院")
    page.click("#main form button[type=submit]")
    page.locator("#lb-class", has_text="无人监护").wait_for()
    needs = page.locator("#lb-needs").inner_text()
    assert "由民政部门临时照料" in needs and "教育部门劝返复学" in needs
    assert "2026-03-02 起由会宁县儿童福利院临时照料" in page.locator("#lb-care").inner_text()
    cw.shot("child-classed")
    assert ChildFile.objects.get().left_behind_class == "no_guardian"

    c = rescue.intake(huining_caseworker, region="620422100", name="男，约50岁，自称姓杨", estimated_age=50, sex="M",
                      found_how="patrol", found_on=dt.date(2026, 3, 2))
    rescue.record_search(huining_caseworker, c.pk, kind="fingerprint", result="指纹比对成功", matched=True,
                         home_region="620422101201")
    rescue.return_home(huining_caseworker, c.pk, returned_on=dt.date(2026, 3, 6), receiving_office="郭城驿镇民政办",
                       escort="escort")

    home = Session(browser, base, other_town_caseworker.username, PASSWORD, shots)
    home.goto("/cases/worklist/", "receiving-worklist")
    home.page.locator("a", has_text="返乡接收待确认：男，约50岁，自称姓杨").click()
    n = ReturnNotice.objects.get()
    row = home.page.locator(f"#notice-{n.pk}")
    assert "救助管理站护送返乡" in row.inner_text() and "八百户村" in row.inner_text()
    row.locator("[name=reply]").fill("已接收，转乡镇核查低保条件")
    row.locator("button[type=submit]").click()
    home.page.locator(f"#notice-{n.pk}", has_text="已确认接收：已接收，转乡镇核查低保条件").wait_for()
    home.shot("receiving-confirmed")

    cw.goto(f"/programs/rescue/{c.pk}/", "station-sees-reply")
    assert "郭城驿镇民政办已确认接收" in cw.page.locator("#return-ack").inner_text()
