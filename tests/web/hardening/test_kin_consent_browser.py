"""In a real browser with JavaScript on (htmx): a Baotou caseworker asks to link a Huining person as
kin; Huining's caseworker finds it on the worklist, tries to refuse without a reason (the refusal is
swapped in beside the form), refuses with one; the requester sees 已拒绝 and never the name; no link.
Screenshots under test-artifacts/kin-consent/."""

from __future__ import annotations

import shutil

import browser_kit
import pytest
from browser_kit import ROOT, needs_chromium

ARTIFACTS = ROOT / "test-artifacts" / "kin-consent"

pytestmark = [pytest.mark.django_db(transaction=True), needs_chromium]


class Session(browser_kit.Session):
    artifacts = ARTIFACTS


@pytest.mark.usefixtures("close_other_sessions")
def test_a_refused_kin_request_leaves_no_link_and_tells_no_name(browser, live_server, baotou_caseworker,
                                                                baotou_household, huining_caseworker,
                                                                huining_household):
    from doudi.accounts.models import AuditEntry
    from doudi.registry.models import KinRequest, Kinship
    from web.conftest import BAOTOU_VILLAGE, HUINING_VILLAGE, PASSWORD

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    shots: list = []
    stranger = huining_household.head

    asker = Session(browser, live_server.url, baotou_caseworker.username, PASSWORD, shots)
    asker.goto(f"/registry/households/{baotou_household.pk}/kin/new/", "kin-form")
    page = asker.page
    page.select_option("#id_person", str(baotou_household.head.pk))
    page.fill("#id_relative_name", stranger.name)
    page.fill("#id_relative_id_number", stranger.id_number)
    page.select_option("#id_kind", "child")
    page.click("#kin-save")
    page.wait_for_url(f"**/registry/households/{baotou_household.pk}/")
    asker.shot("request-sent")
    assert "已向其档案所在地区发出亲属关联请求" in page.content()
    assert stranger.name not in page.content()
    req = KinRequest.objects.get()

    decider = Session(browser, live_server.url, huining_caseworker.username, PASSWORD, shots)
    decider.goto("/cases/worklist/", "worklist")
    dpage = decider.page
    dpage.click(f"text={req.number}")
    dpage.wait_for_url("**/registry/kin-requests/**")
    card = dpage.locator(f"#kin-request-{req.pk}")
    assert stranger.name in card.inner_text() and baotou_household.head.name in card.inner_text()
    dpage.evaluate("window.__no_reload = true")  # gone if the page were loaded again instead of swapped
    card.locator(f"#id_k{req.pk}-decision").select_option("refuse")
    card.locator("button[type=submit]").click()
    dpage.locator(f"#kin-request-{req.pk} .error").wait_for()
    decider.shot("refusal-without-reason")
    assert "拒绝时请填写理由" in dpage.locator(f"#kin-request-{req.pk}").inner_text()
    assert dpage.evaluate("window.__no_reload") is True
    card = dpage.locator(f"#kin-request-{req.pk}")
    card.locator(f"#id_k{req.pk}-decision").select_option("refuse")
    card.locator(f"#id_k{req.pk}-note").fill("经核对，此人无子女在外地")
    card.locator("button[type=submit]").click()
    dpage.locator(f"#kin-request-{req.pk}[data-state=refused]").wait_for()
    decider.shot("refused")
    assert "已拒绝" in dpage.locator(f"#kin-request-{req.pk}").inner_text()
    assert dpage.evaluate("window.__no_reload") is True

    asker.goto("/registry/kin-requests/", "sent-refused")
    row = page.locator(f"#sent-{req.pk}").inner_text()
    assert "已拒绝" in row and "经核对，此人无子女在外地" in row
    assert stranger.name not in page.content()

    req.refresh_from_db()
    assert req.state == "refused" and req.decided_by == huining_caseworker
    assert not Kinship.objects.exists()
    for action in ("kin.requested", "kin.decided"):
        assert set(AuditEntry.objects.filter(action=action).values_list("area", flat=True)) == {
            BAOTOU_VILLAGE, HUINING_VILLAGE}
