"""The only writers and readers of attachments: ``attach`` (upload) and ``open_attachment`` (read).

Both take the acting user and go through the access layer; every upload and every opening is an
audit entry. Reusable by any app: verification keeps a signed 授权书 with its own request, monitoring
a visit photo with its visit — any model of a doudi app that takes part in the access layer
(``AREA_FIELD`` and ``area_code``) can be a target.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.attachments.models import Attachment, Kind, human_size

# Who may upload: the caseworker (household.edit, case.accept, case.investigate), the village
# assistant helping an applicant prepare (case.report, PR-2), the verification officer (授权书).
UPLOAD_ACTIONS = (Action.HOUSEHOLD_EDIT, Action.CASE_ACCEPT, Action.CASE_INVESTIGATE, Action.CASE_REPORT,
                  Action.VERIFICATION_RUN)
# Who may open: whoever may see the households of the attachment's area (security.md).
VIEW_ACTION = Action.HOUSEHOLD_VIEW
# Apps whose models are not case or household files (no attachment belongs to a user or an audit row).
NOT_TARGETS = {"accounts", "workdays", "attachments"}


@dataclass(frozen=True)
class FileType:
    mime: str
    extension: str
    label: str
    magic: tuple[bytes, ...]


# Recognised by the first bytes of the content, never by the name the browser sends.
FILE_TYPES = (
    FileType("application/pdf", ".pdf", "PDF", (b"%PDF-",)),
    FileType("image/jpeg", ".jpg", "JPEG", (b"\xff\xd8\xff",)),
    FileType("image/png", ".png", "PNG", (b"\x89PNG\r\n\x1a\n",)),
)
SNIFF_BYTES = 16


def max_bytes() -> int:
    """The size limit of one file (setting DOUDI_ATTACHMENT_MAX_BYTES, default 10 MiB)."""
    return int(getattr(settings, "DOUDI_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def limit_text() -> str:
    return human_size(max_bytes())


def sniff(head: bytes) -> FileType | None:
    """The file type of a content by its first bytes (PDF, JPEG, PNG), or None."""
    for t in FILE_TYPES:
        if any(head.startswith(m) for m in t.magic):
            return t
    return None


# --- targets --------------------------------------------------------------------------------------

def target_key(obj_or_model: Any) -> str:
    """``app_label.model_name`` of a target (its name in URLs and in the API): ``registry.household``."""
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


def target_model(key: str) -> type[models.Model]:
    """The model of a target key; LookupError when it names no model that may hold attachments."""
    try:
        app_label, model_name = key.split(".", 1)
        model = apps.get_model(app_label, model_name)
    except (ValueError, LookupError):
        raise LookupError(key) from None
    if not is_target_model(model):
        raise LookupError(key)
    return model


def is_target_model(model: type[models.Model]) -> bool:
    """A model of a doudi app that takes part in the access layer (AREA_FIELD) and is a file of its own."""
    meta = model._meta
    return (meta.app_config is not None and meta.app_config.name.startswith("doudi.")
            and meta.app_label not in NOT_TARGETS and bool(getattr(model, "AREA_FIELD", None)))


def _view_action(model: type[models.Model]) -> str:
    return Action.HOUSEHOLD_VIEW if target_key(model) == "registry.household" else Action.CASE_VIEW


def find_target(user: Any, key: str, pk: Any) -> models.Model:
    """The target ``key``/``pk`` through the access layer: Http404 when unknown or outside the user's areas."""
    from django.http import Http404

    try:
        model = target_model(key)
    except LookupError:
        raise Http404("没有这种材料所属对象") from None
    return access.access_object(user, model, pk, _view_action(model))


def household_of(target: Any) -> Any:
    """The household a target belongs to: itself, or its ``household`` (a case's), or None."""
    if target_key(target) == "registry.household":
        return target
    return getattr(target, "household", None) if getattr(target, "household_id", None) else None


def may_upload(user: Any, target: Any) -> bool:
    areas = [access.areas_of(user, a) for a in UPLOAD_ACTIONS]
    return any(access.in_area(a, target.area_code) for a in areas)


# --- the acts -------------------------------------------------------------------------------------

def _clean_name(name: str) -> str:
    """The browser's file name for display only (never a path on disk): its last part, 200 characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:200]


def check_file(file: Any) -> FileType:
    """Size first, then the content's first bytes; a ValidationError on ``file`` in Chinese otherwise."""
    size = getattr(file, "size", None)
    if size is None:
        raise ValidationError({"file": "请选择要上传的文件"})
    if size == 0:
        raise ValidationError({"file": "文件是空的，请重新扫描或选择文件"})
    if size > max_bytes():
        raise ValidationError({"file": f"文件过大（{human_size(size)}），每个文件不超过 {limit_text()}"})
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    kind = sniff(head)
    if kind is None:
        raise ValidationError({"file": "只能上传 PDF、JPEG 或 PNG 文件（按文件内容判断，与文件名无关）"})
    return kind


def _digest(file: Any) -> str:
    h = hashlib.sha256()
    for chunk in file.chunks():
        h.update(chunk)
    file.seek(0)
    return h.hexdigest()


@transaction.atomic
def attach(user: Any, target: Any, file: Any, kind: str, note: str = "") -> Attachment:
    """上传材料: keep ``file`` with ``target`` (a household or a case) as a ``kind`` (Kind).

    The target is fetched again through the access layer (Http404 outside the user's areas); the
    user must hold one of UPLOAD_ACTIONS in its area (PermissionDenied). The file is checked for
    size, then for its type by content (PDF, JPEG, PNG): ValidationError on ``file`` / ``kind`` in
    Chinese. The stored name is made here (county/random + the extension of the detected type), never
    the browser's. One audit entry ``attachment.upload``.
    """
    target = find_target(user, target_key(target), target.pk)
    if not may_upload(user, target):
        raise PermissionDenied("您的角色不能在此上传材料")
    if kind not in Kind.values:
        raise ValidationError({"kind": "请选择材料类别"})
    ftype = check_file(file)
    region = str(target.area_code)
    household = household_of(target)
    att = Attachment(target_type=ContentType.objects.get_for_model(type(target)), target_id=target.pk,
                     household=household, region=region, kind=kind, note=(note or "").strip()[:200],
                     original_name=_clean_name(getattr(file, "name", "")), content_type=ftype.mime,
                     size=file.size, sha256=_digest(file), uploaded_by=user)
    stored = f"{region[:6]}/{uuid.uuid4().hex}{ftype.extension}"
    att.file.save(stored, file, save=False)
    try:
        att.save()
        audit.record(user, AuditKind.STEP, att, action="attachment.upload", reason=f"上传{att.get_kind_display()}",
                     detail={"target": target_key(target), "target_id": target.pk, "kind": kind,
                             "size": att.size, "sha256": att.sha256, "type": ftype.mime})
    except Exception:
        att.file.storage.delete(att.file.name)  # no file without its row
        raise
    return att


def visible(user: Any) -> QuerySet[Attachment]:
    """Every attachment the user may open (by area)."""
    qs = Attachment.objects.select_related("uploaded_by", "target_type")
    return access.scope_queryset(user, qs, VIEW_ACTION)


def attachments_of(user: Any, target: Any) -> QuerySet[Attachment]:
    """The attachments kept with one target, of those the user may open."""
    ct = ContentType.objects.get_for_model(type(target))
    return visible(user).filter(target_type=ct, target_id=target.pk)


def household_attachments(user: Any, household: Any) -> QuerySet[Attachment]:
    """The attachments of a household and of all its cases, of those the user may open."""
    return visible(user).filter(household=household)


def open_attachment(user: Any, pk: Any) -> Attachment:
    """查看材料: the attachment (Http404 outside the user's areas), its file opened for reading; the
    opening is an audit entry ``attachment.open`` (a read of the person's file)."""
    att = access.access_object(user, Attachment, pk, VIEW_ACTION)
    audit.record(user, AuditKind.READ, att, action="attachment.open", reason=f"查看{att.get_kind_display()}",
                 detail={"target": f"{att.target_type.app_label}.{att.target_type.model}",
                         "target_id": att.target_id, "sha256": att.sha256})
    att.file.open("rb")
    return att


def target_labels(attachments: Iterable[Attachment]) -> dict[int, str]:
    """What each attachment is kept with, in words (本户, or the case's number)."""
    out = {}
    for a in attachments:
        if a.target_type.app_label == "registry" and a.target_type.model == "household":
            out[a.pk] = "家庭档案"
        else:
            target = a.target
            out[a.pk] = str(getattr(target, "number", None) or target) if target is not None else ""
    return out
