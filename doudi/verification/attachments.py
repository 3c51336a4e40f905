"""Stored files of verification: the applicant's authorisation (核对授权书).

One function stores a file and one reads it back, so that the storage can be switched to the
shared attachments app (`doudi/attachments`, being built on another branch) when it lands:
until then the file goes to Django's FileSystemStorage under <verification root>/files/.
The file's type is checked from its first bytes (PDF, JPEG, PNG) and its size before it is kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

MAX_BYTES = 10 * 1024 * 1024
TYPES = ((b"%PDF-", "application/pdf", ".pdf"), (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
         (b"\x89PNG\r\n\x1a\n", "image/png", ".png"))


class AttachmentError(Exception):
    """A file that is not accepted (type, size); message in Chinese."""


@dataclass(frozen=True)
class Stored:
    name: str
    path: str
    content_type: str
    sha256: str
    size: int


def _storage() -> FileSystemStorage:
    from doudi.verification.datasets import data_root

    return FileSystemStorage(location=str(data_root() / "files"))


def check(data: bytes) -> tuple[str, str]:
    """(content type, extension) of an accepted file; AttachmentError otherwise."""
    if not data:
        raise AttachmentError("请上传申请人签署的核对授权书（PDF 或 JPG、PNG 图片）")
    if len(data) > MAX_BYTES:
        raise AttachmentError(f"授权书文件过大，上限为 {MAX_BYTES // (1024 * 1024)} MB")
    for magic, content_type, ext in TYPES:
        if data.startswith(magic):
            return content_type, ext
    raise AttachmentError("授权书应为 PDF 文件或 JPG、PNG 图片")


def store_file(data: bytes, name: str, folder: str) -> Stored:
    """Keep the file (type and size checked first); its path is relative to the storage."""
    content_type, ext = check(data)
    digest = hashlib.sha256(data).hexdigest()
    path = _storage().save(f"{folder}/{digest[:16]}{ext}", ContentFile(data))
    return Stored((name or f"授权书{ext}")[:200], path, content_type, digest, len(data))


def read_file(path: str) -> bytes:
    with _storage().open(path, "rb") as fh:
        return fh.read()


def remove_file(path: str) -> None:
    _storage().delete(path)
