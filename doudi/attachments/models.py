"""附件: scanned proofs (ID cards, 户口簿 pages, medical bills, the signed 核对授权书, visit photos)
kept with a household or with any case of any app.

The file itself lives outside the database, in the storage ``attachments`` of the STORAGES setting
(a directory by default; a deployment may configure object storage there). The row says what it
is, whose it is, who uploaded it and when; it is never changed after the upload.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty


class _AttachmentStorage(LazyObject):
    """STORAGES["attachments"], looked up when first used (and again after the setting changed)."""

    def _setup(self) -> None:
        self._wrapped = storages["attachments"]


_storage = _AttachmentStorage()


def attachment_storage() -> _AttachmentStorage:
    """The storage of the FileField (a callable, as migrations record it)."""
    return _storage


@receiver(setting_changed)
def _storages_changed(setting: str, **kwargs) -> None:  # noqa: ANN003
    if setting == "STORAGES":
        _storage._wrapped = empty


class Kind(models.TextChoices):
    """材料类别. An app that needs another kind adds it here (one list for every page and export)."""

    ID_CARD = "id_card", "身份证"
    HUKOU = "hukou", "户口簿"
    MEDICAL_BILL = "medical_bill", "医疗费用票据"
    AUTHORISATION = "authorisation", "家庭经济状况核对授权书"
    INCOME_PROOF = "income_proof", "收入证明"
    DISABILITY_CERT = "disability_cert", "残疾证"
    VISIT_PHOTO = "visit_photo", "走访照片"
    OTHER = "other", "其他材料"


class Attachment(models.Model):
    """附件: one uploaded file kept with a target (a household, or a case of any app).

    ``region`` is the target's area code at the upload (a household's region code, a case's
    region): the access layer scopes attachments by it, so a user sees an attachment where he may
    see its target. ``household`` is the household the file belongs to (the target itself, or the
    case's household), so that the household file lists the proofs of all its cases too.
    """

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name="所属对象类型")
    target_id = models.PositiveBigIntegerField("所属对象编号")
    target = GenericForeignKey("target_type", "target_id")
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="attachments", verbose_name="家庭")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    kind = models.CharField("材料类别", max_length=30, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    file = models.FileField("文件", storage=attachment_storage, max_length=200)
    original_name = models.CharField("原文件名", max_length=200, blank=True)
    content_type = models.CharField("文件类型", max_length=40)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="attachments_target")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}".strip()

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def size_text(self) -> str:
        return human_size(self.size)


def human_size(n: int) -> str:
    """A size for people: 312 KB, 2.4 MB, 10 MB."""
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
