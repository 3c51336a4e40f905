"""Small files of each kind, made here (a real PNG, a minimal PDF, a JPEG header, a Windows program), for the attachment tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile


def png_bytes() -> bytes:
    """A valid small PNG (the demo's synthetic scan, 8 × 8)."""
    from doudi.attachments.demo import scan_png

    return scan_png(8, 8)


PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
