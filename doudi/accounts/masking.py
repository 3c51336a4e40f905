"""Masking of resident ID numbers in every answer of the API (security.md).

Lists, details and exports show an ID number masked (first 6 and last 4 digits); the full
number is shown only on request, and that request is logged (``registry.services.reveal_id_number``,
an audit entry of kind ``reveal_id``). Serializers need not remember it: the API's JSON renderer
(``MaskingJSONRenderer``, the default renderer in settings.REST_FRAMEWORK) masks every string that
is, or contains, a valid ID number (check character, birth date, address code), at any depth.
Only a response marked with ``reveal(response)`` — the audited reveal endpoint — is left whole.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from doudi.policy.identity import is_valid, mask_id_number

# 18 characters: 17 digits and a digit or X, not inside a longer run of digits or letters.
ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_REVEALS = "doudi_reveals_id_number"


def mask_text(text: str) -> str:
    """The text with each valid ID number in it masked (other 18-digit strings are left alone)."""
    if len(text) < 18:
        return text
    return ID_CANDIDATE.sub(lambda m: mask_id_number(m.group(0).upper()) if is_valid(m.group(0)) else m.group(0), text)


def mask_ids(data: Any) -> Any:
    """A copy of JSON-like ``data`` with every ID number in its strings (keys too) masked."""
    if isinstance(data, str):
        return mask_text(data)
    if isinstance(data, dict):
        return {mask_text(k) if isinstance(k, str) else k: mask_ids(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [mask_ids(v) for v in data]
    return data


def full_ids_in(text: str) -> list[str]:
    """The valid full ID numbers in a text (for tests and checks)."""
    return [m.group(0).upper() for m in ID_CANDIDATE.finditer(text) if is_valid(m.group(0))]


def reveal(response: Any) -> Any:
    """Mark a response as the audited reveal of a full ID number: the renderer leaves it whole."""
    setattr(response, _REVEALS, True)
    return response


def _reveals(renderer_context: dict | None) -> bool:
    response = (renderer_context or {}).get("response")
    return bool(getattr(response, _REVEALS, False))


class MaskingJSONRenderer(JSONRenderer):
    """JSON with every ID number masked, unless the response is an audited reveal."""

    def render(self, data, accepted_media_type=None, renderer_context=None):  # noqa: ANN001, ANN201
        if not _reveals(renderer_context):
            data = mask_ids(data)
        return super().render(data, accepted_media_type, renderer_context)


class MaskingBrowsableAPIRenderer(BrowsableAPIRenderer):
    """The browsable API, showing the data as the masking JSON renderer gives it."""

    def get_default_renderer(self, view):  # noqa: ANN001, ANN201
        return MaskingJSONRenderer()
