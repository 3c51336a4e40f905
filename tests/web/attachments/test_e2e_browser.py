"""A walk in a real browser (Debian's Chromium, JavaScript on), at desk width (1366 px) and on a
phone (390 px): the caseworker finds the household by search, opens its file, uploads the scanned
户口簿 page (htmx swaps the section in), opens it; a second upload of a file that is not a
PDF/JPEG/PNG is refused beside the form; the village assistant of the same village opens it on
a phone; the caseworker of another township gets 未找到 (404) for the file and for the household.
From the file, 申请低保 opens the application with the household already chosen. Screenshots under
test-artifacts/attachments/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

from .files import EXE, png_bytes

ARTIFACTS = ROOT / "test-artifacts" / "attachments"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


@pytest.mark.parametrize("width", [1366, 390])
def test_a_household_file_with_an_uploaded_proof_opened_here_and_refused_elsewhere(
        browser, live_server, calendar, width, huining_caseworker, huining_village_assistant, other_town_caseworker,
        huining_household):
    from doudi.accounts.models import AuditEntry
    from doudi.attachments.models import Attachment
    from doudi.cases.models import Case

    from ..conftest import PASSWORD

    if width == 1366:
        shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    base = live_server.url
    file_url = f"/registry/households/{huining_household.pk}/"

    # 1. The caseworker finds the household by the head's pinyin initials and opens its file.
    cw = Session(browser, base, huining_caseworker.username, PASSWORD, shots, width=width)
    page = cw.page
    page.goto(base + "/registry/households/")
    page.fill("#id_q", "zjg")
    page.locator("#list-rows a", has_text=huining_household.number).wait_for()  # htmx filtered in place
    cw.shot(f"{width}-search")
    page.click(f"#list-rows a:has-text('{huining_household.number}')")
    page.wait_for_url(f"**{file_url}")
    assert page.locator("h1", has_text="一户一档").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    cw.shot(f"{width}-file")

    # 2. Upload the scanned 户口簿 page: the section comes back with it (htmx), no page load.
    section = page.locator("#attachments form.upload")
    section.locator("[name=kind]").select_option("hukou")
    section.locator("[name=note]").fill("户口簿首页")
    section.locator("[name=file]").set_input_files(
        files=[{"name": "户口簿首页.png", "mimeType": "image/png", "buffer": png_bytes()}])
    page.evaluate("document.getElementById('main').dataset.before = '1'")
    section.locator("button[type=submit]").click()
    page.locator("#attachments .saved", has_text="已上传：户口簿").wait_for()
    assert page.evaluate("document.getElementById('main').dataset.before") == "1"  # swapped, not reloaded
    cw.shot(f"{width}-uploaded")

    # 3. A file that only claims to be a PDF is refused beside the form, in Chinese.
    section = page.locator("#attachments form.upload")
    section.locator("[name=kind]").select_option("other")
    section.locator("[name=file]").set_input_files(
        files=[{"name": "扫描件.pdf", "mimeType": "application/pdf", "buffer": EXE}])
    section.locator("button[type=submit]").click()
    page.locator("#attachments .error", has_text="只能上传 PDF、JPEG 或 PNG").wait_for()
    cw.shot(f"{width}-refused-type")
    a = Attachment.objects.get()
    assert (a.kind, a.content_type, a.uploaded_by) == ("hukou", "image/png", huining_caseworker)

    # 4. Opening it shows the image (and is logged).
    response = page.goto(base + f"/attachments/{a.pk}/")
    assert response.status == 200 and response.headers["content-type"] == "image/png"
    cw.shot(f"{width}-opened")

    # 5. From the file, 申请低保: the application opens with this household chosen.
    page.goto(base + file_url)
    page.click(".file-actions a:has-text('申请低保')")
    assert page.locator(f"input[name=household_id][value='{huining_household.pk}']").is_checked()
    page.click("#main form button[type=submit]:not([name=_pick])")
    page.locator("#case-state").wait_for()
    assert Case.objects.get().household == huining_household
    cw.shot(f"{width}-applied")
    cw.context.close()

    # 6. The village assistant of the same village opens it (on the same width).
    va = Session(browser, base, huining_village_assistant.username, PASSWORD, shots, width=width)
    va.page.goto(base + file_url)
    va.page.locator("#attachments a", has_text="户口簿首页.png").wait_for()
    va.shot(f"{width}-village-file")
    assert va.page.goto(base + f"/attachments/{a.pk}/").status == 200
    va.context.close()

    # 7. Another township's caseworker: not found, for the file and for the household.
    other = Session(browser, base, other_town_caseworker.username, PASSWORD, shots, width=width)
    response = other.page.goto(base + f"/attachments/{a.pk}/")
    assert response.status == 404 and other.page.locator("h1", has_text="未找到").is_visible()
    other.shot(f"{width}-other-town-404")
    assert other.page.goto(base + file_url).status == 404
    other.context.close()

    opened = AuditEntry.objects.filter(action="attachment.open").values_list("username", flat=True)
    assert sorted(opened) == sorted([huining_caseworker.username, huining_village_assistant.username])
