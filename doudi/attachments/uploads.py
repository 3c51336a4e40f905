"""The size limit applied while an upload is received (security.md: size checked before parsing).

``LimitedUploadHandler`` is put first among a request's upload handlers by the attachment views
(page and API) before the body is read: past the limit, the rest of the file is dropped instead
of being written to a temporary file, and the request is marked (``too_large(request)``).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler

_MARK = "_doudi_upload_too_large"


class LimitedUploadHandler(FileUploadHandler):
    """Passes each file's chunks on until the file is larger than ``limit`` bytes, then drops them."""

    def __init__(self, request: Any = None, limit: int = 0):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            setattr(self.request, _MARK, True)
            return None  # the next handlers never see the rest: nothing more is kept
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) gives the file


def limit(request: Any, max_bytes: int) -> None:
    """Put the limit first among the request's upload handlers (before anything reads the body)."""
    request.upload_handlers.insert(0, LimitedUploadHandler(request, max_bytes))


def too_large(request: Any) -> bool:
    return bool(getattr(request, _MARK, False) or getattr(getattr(request, "_request", None), _MARK, False))
