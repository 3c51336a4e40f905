"""In a real browser: a village report on a phone (390 px, the camera's file input) → the township
caseworker's worklist → the warning → a home visit → the 低保 application opened from it → the case.
Screenshots under test-artifacts/monitoring/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

from .test_handling import PNG

ARTIFACTS = ROOT / "test-artifacts" / "monitoring"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


@pytest.mark.usefixtures("close_other_sessions")
def test_village_report_on_a_phone_to_an_opened_application(browser, live_server, tmp_path, huining_village_assistant,
                                                            huining_caseworker, huining_household):
    from doudi.cases.models import Case
    from doudi.monitoring.models import Alert
    from web.conftest import PASSWORD

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    head = huining_household.head
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)

    phone = Session(browser, live_server.url, huining_village_assistant.username, PASSWORD, shots, width=390,
                    height=844)
    phone.goto("/monitoring/report/", "report-form")
    page = phone.page
    assert page.locator("#id_photo").get_attribute("capture") == "environment"
    # no horizontal scrolling at 390 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#send")  # empty: the browser's own required check, or the server's Chinese error
    page.fill("#id_name", head.name)
    page.fill("#id_id_number", head.id_number)
    page.fill("#id_what", "妻子突发重病住院,家中无其他收入")
    page.set_input_files("#id_photo", str(photo))
    page.click("#send")
    page.wait_for_selector("text=已报告")
    phone.shot("reported")
    alert = Alert.objects.get(rule="MW-VILLAGE")
    assert alert.household == huining_household

    office = Session(browser, live_server.url, huining_caseworker.username, PASSWORD, shots)
    office.goto("/cases/worklist/", "worklist")
    office.page.click(f"a[href='/monitoring/warnings/{alert.pk}/']")
    office.page.wait_for_selector("#alert-detail")
    office.shot("warning")
    assert "妻子突发重病住院" in office.page.inner_text("#alert-detail")
    office.page.fill("#id_visitors", "王经办、钱经办")
    office.page.fill("#id_found", "属实,家庭人均收入低于低保标准")
    office.page.click("#visit")
    office.page.wait_for_selector("text=已记录入户走访")
    office.shot("visited")
    office.page.select_option("#id_program", "dibao")
    office.page.click("#apply")
    office.page.wait_for_selector("#alert-linked")
    office.shot("application-opened")
    office.page.click("#alert-linked")
    office.page.wait_for_url("**/cases/**")
    office.shot("case")
    case = Case.objects.get(household=huining_household)
    assert case.number in office.page.content()
    phone.goto("/monitoring/report/", "my-reports")
    assert "已启动救助申请" in phone.page.inner_text("#my-reports")


@pytest.mark.usefixtures("close_other_sessions")
def test_a_bad_month_in_the_figures_address_is_refused_beside_the_field_then_corrected(
        browser, live_server, huining_approver):
    """JavaScript on: a bookmarked or hand-edited ?month=2026-13 shows the refusal above the month
    field and no table; choosing a month in the field and 查看 shows that month's figures."""
    from web.conftest import PASSWORD

    shots: list = []
    s = Session(browser, live_server.url, huining_approver.username, PASSWORD, shots)
    s.goto("/monitoring/figures/?month=2026-13", "figures-bad-month")
    page = s.page
    # the month input cannot show 2026-13 (Chromium blanks an impossible month): the refusal quotes it
    assert "月份应为 年-月，如 2026-11，收到「2026-13」" in page.inner_text("#month-form")
    assert page.locator("#figures").count() == 0
    page.fill("input[name=month]", "2026-11")
    page.click("#month-form button[type=submit]")
    page.wait_for_selector("#figures")
    s.shot("figures-corrected")
    assert "监测统计（2026-11）" in page.inner_text("h1")
