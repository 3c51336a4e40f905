"""Attachment pages and API: upload from the household file (plain form and htmx), the size limit
applied while the file arrives, opening (logged) and the 404 outside the user's areas."""

from __future__ import annotations

import pytest

from doudi.accounts.models import AuditEntry
from doudi.attachments.models import Attachment

from .files import EXE, PDF, png_bytes, upload

pytestmark = pytest.mark.django_db


def _url(household) -> str:
    return f"/attachments/upload/registry.household/{household.pk}/"


def test_the_household_file_uploads_and_lists_a_proof_without_javascript(client_for, huining_caseworker,
                                                                        huining_household):
    c = client_for(huining_caseworker)
    page = f"/registry/households/{huining_household.pk}/"
    assert 'enctype="multipart/form-data"' in c.get(page).content.decode()
    r = c.post(_url(huining_household), {"kind": "hukou", "note": "户口簿首页", "next": page,
                                          "file": upload("户口簿.png", png_bytes())})
    assert r.status_code == 302 and r["Location"] == page
    a = Attachment.objects.get()
    text = c.get(page).content.decode()
    assert "户口簿.png" in text and huining_caseworker.display_name in text and f"/attachments/{a.pk}/" in text


def test_with_htmx_the_section_comes_back_with_the_new_file_or_the_error(client_for, huining_caseworker,
                                                                         huining_household):
    c = client_for(huining_caseworker)
    r = c.post(_url(huining_household), {"kind": "other", "heading": "0", "file": upload("x.pdf", EXE)},
               HTTP_HX_REQUEST="true")
    text = r.content.decode()
    assert r.status_code == 200 and "只能上传 PDF、JPEG 或 PNG" in text and "<html" not in text
    r = c.post(_url(huining_household), {"kind": "other", "heading": "0", "file": upload("x.pdf", PDF)},
               HTTP_HX_REQUEST="true")
    assert "已上传：其他材料" in r.content.decode() and Attachment.objects.count() == 1


def test_a_file_over_the_limit_is_dropped_while_it_arrives(settings, client_for, huining_caseworker,
                                                           huining_household):
    settings.DOUDI_ATTACHMENT_MAX_BYTES = 100 * 1024
    big = PDF + b"0" * (300 * 1024)
    r = client_for(huining_caseworker).post(_url(huining_household), {"kind": "other", "file": upload("big.pdf", big)})
    assert r.status_code == 400 and "文件过大，每个文件不超过 100 KB" in r.content.decode()
    assert not Attachment.objects.exists()


def test_opening_is_logged_and_another_area_gets_not_found(client_for, huining_caseworker, huining_village_assistant,
                                                           baotou_caseworker, other_town_caseworker,
                                                           huining_household):
    from doudi.attachments import services

    a = services.attach(huining_caseworker, huining_household, upload("授权书.pdf", PDF), "authorisation")
    r = client_for(huining_village_assistant).get(f"/attachments/{a.pk}/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("inline")
    assert "sandbox" in r["Content-Security-Policy"]
    for user in (baotou_caseworker, other_town_caseworker):
        assert client_for(user).get(f"/attachments/{a.pk}/").status_code == 404
        assert client_for(user).post(_url(huining_household), {"kind": "other", "file": upload("a.pdf", PDF)}
                                     ).status_code == 404
    (entry,) = AuditEntry.objects.filter(action="attachment.open")
    assert entry.user == huining_village_assistant


def test_the_api_uploads_lists_and_opens(client_for, huining_caseworker, baotou_caseworker, huining_household):
    c = client_for(huining_caseworker)
    r = c.post("/api/v1/attachments/", {"target": "registry.household", "target_id": huining_household.pk,
                                         "kind": "id_card", "file": upload("id.pdf", PDF)})
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    listed = c.get("/api/v1/attachments/", {"household": huining_household.pk}).json()["results"]
    assert [x["id"] for x in listed] == [pk] and listed[0]["uploaded_by"] == huining_caseworker.username
    assert b"".join(c.get(f"/api/v1/attachments/{pk}/file/").streaming_content) == PDF
    b = client_for(baotou_caseworker)
    assert b.get(f"/api/v1/attachments/{pk}/").status_code == 404
    assert b.get(f"/api/v1/attachments/{pk}/file/").status_code == 404
    assert b.get("/api/v1/attachments/").json()["results"] == []
    r = c.post("/api/v1/attachments/", {"target": "registry.household", "target_id": huining_household.pk,
                                         "kind": "id_card", "file": upload("id.pdf", EXE)})
    assert r.status_code == 400 and "只能上传" in r.json()["file"][0]


def test_a_case_page_has_its_attachments(client_for, huining_caseworker, huining_household, calendar):
    from doudi.cases import services as cases

    case = cases.submit_application(huining_caseworker, huining_household.pk)
    c = client_for(huining_caseworker)
    assert f"/attachments/upload/cases.case/{case.pk}/" in c.get(f"/cases/{case.pk}/").content.decode()
