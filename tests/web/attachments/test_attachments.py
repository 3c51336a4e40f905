"""Attachments (scanned proofs) kept with a household or a case: type by content, size limit, who
may open them (others get 404), every upload and opening in the audit log; files outside the database."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from doudi.accounts.models import AuditEntry
from doudi.attachments import services
from doudi.attachments.models import Attachment, Kind

from .files import EXE, JPEG, PDF, png_bytes, upload

pytestmark = pytest.mark.django_db


def test_a_caseworker_keeps_a_scanned_id_card_with_the_household_outside_the_database(
        settings, huining_caseworker, huining_household):
    a = services.attach(huining_caseworker, huining_household, upload("身份证.pdf", PDF), Kind.ID_CARD, "户主正反面")
    assert (a.household, a.region, a.kind, a.content_type) == (huining_household, huining_household.region_code,
                                                               "id_card", "application/pdf")
    assert a.size == len(PDF) and a.sha256 == hashlib.sha256(PDF).hexdigest()
    assert a.uploaded_by == huining_caseworker and a.original_name == "身份证.pdf"
    # the bytes are in the configured directory, under a name made by the app (county/random.pdf)
    root = Path(settings.STORAGES["attachments"]["OPTIONS"]["location"])
    stored = root / a.file.name
    assert stored.read_bytes() == PDF
    assert a.file.name.startswith("620422/") and a.file.name.endswith(".pdf") and "身份证" not in a.file.name
    entry = AuditEntry.objects.get(action="attachment.upload")
    assert entry.user == huining_caseworker and entry.area == huining_household.region_code


def test_the_type_is_decided_by_the_content_not_by_the_name(huining_caseworker, huining_household):
    with pytest.raises(ValidationError) as exc:
        services.attach(huining_caseworker, huining_household, upload("户口簿.pdf", EXE), Kind.HUKOU)
    assert "只能上传 PDF、JPEG 或 PNG" in exc.value.message_dict["file"][0]
    png = services.attach(huining_caseworker, huining_household, upload("scan.pdf", png_bytes()), Kind.HUKOU)
    jpg = services.attach(huining_caseworker, huining_household, upload("bill.png", JPEG), Kind.MEDICAL_BILL)
    assert (png.content_type, png.file.name[-4:]) == ("image/png", ".png")
    assert (jpg.content_type, jpg.file.name[-4:]) == ("image/jpeg", ".jpg")
    assert Attachment.objects.count() == 2


def test_an_empty_or_too_large_file_is_refused_and_nothing_is_stored(settings, huining_caseworker, huining_household):
    settings.DOUDI_ATTACHMENT_MAX_BYTES = 2048
    with pytest.raises(ValidationError) as exc:  # 3,000 bytes: 3000 / 1024 = 2.9 → 3 KB
        services.attach(huining_caseworker, huining_household, upload("big.pdf", PDF + b"0" * (3000 - len(PDF))),
                        Kind.OTHER)
    assert exc.value.message_dict["file"] == ["文件过大（3 KB），每个文件不超过 2 KB"]
    with pytest.raises(ValidationError) as exc:
        services.attach(huining_caseworker, huining_household, upload("empty.pdf", b""), Kind.OTHER)
    assert "空" in exc.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as exc:
        services.attach(huining_caseworker, huining_household, upload("a.pdf", PDF), "passport")
    assert "kind" in exc.value.message_dict
    assert not Attachment.objects.exists()
    root = Path(settings.STORAGES["attachments"]["OPTIONS"]["location"])
    assert not root.exists() or not any(p.is_file() for p in root.rglob("*"))


def test_who_may_upload(huining_village_assistant, huining_reviewer, other_town_caseworker, huining_household):
    # the village assistant helps the applicant prepare (PR-2): he may keep the scans
    services.attach(huining_village_assistant, huining_household, upload("a.png", png_bytes()), Kind.HUKOU)
    with pytest.raises(PermissionDenied):  # the reviewer sees the household but collects no papers
        services.attach(huining_reviewer, huining_household, upload("a.png", png_bytes()), Kind.HUKOU)
    with pytest.raises(Http404):  # another township does not see it at all
        services.attach(other_town_caseworker, huining_household, upload("a.png", png_bytes()), Kind.HUKOU)
    assert Attachment.objects.count() == 1


def test_only_users_whose_area_holds_the_household_open_it_and_each_opening_is_logged(
        huining_caseworker, huining_village_assistant, huining_approver, other_town_caseworker, baotou_caseworker,
        huining_household):
    a = services.attach(huining_caseworker, huining_household, upload("授权书.pdf", PDF), Kind.AUTHORISATION)
    for user in (huining_village_assistant, huining_approver):
        opened = services.open_attachment(user, a.pk)
        assert opened.file.read() == PDF
        opened.file.close()
    for user in (other_town_caseworker, baotou_caseworker):
        with pytest.raises(Http404):
            services.open_attachment(user, a.pk)
    reads = AuditEntry.objects.filter(action="attachment.open")
    assert sorted(r.username for r in reads) == sorted([huining_village_assistant.username, huining_approver.username])
    assert {r.kind for r in reads} == {"read"} and {r.area for r in reads} == {huining_household.region_code}


def test_a_case_attachment_is_in_the_household_file_too(calendar, huining_caseworker, huining_household):
    from doudi.cases import services as cases

    case = cases.submit_application(huining_caseworker, huining_household.pk)
    a = services.attach(huining_caseworker, case, upload("医疗票据.jpg", JPEG), Kind.MEDICAL_BILL)
    assert a.household == huining_household and a.region == case.region
    assert list(services.attachments_of(huining_caseworker, case)) == [a]
    assert list(services.attachments_of(huining_caseworker, huining_household)) == []  # kept with the case
    assert list(services.household_attachments(huining_caseworker, huining_household)) == [a]
    assert services.target_labels([a]) == {a.pk: case.number}


def test_only_files_of_doudi_apps_that_take_part_in_the_access_layer_are_targets(huining_caseworker):
    with pytest.raises(Http404):
        services.find_target(huining_caseworker, "accounts.user", huining_caseworker.pk)
    with pytest.raises(Http404):
        services.find_target(huining_caseworker, "nothing.here", 1)
    with pytest.raises(Http404):
        services.find_target(huining_caseworker, "auth.group", 1)
