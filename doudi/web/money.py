"""The one money field of every form and API of the application (issue 16 item 6).

Amounts are typed in yuan: ASCII digits with at most 2 decimals. ``1e5``, ``１２３`` (full-width
digits), ``+5`` or ``NaN`` — all of which Python's Decimal and Django's DecimalField accept — are
refused with a Chinese message naming the field. Parsing: ``doudi.policy.money.parse_amount``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from doudi.policy.money import parse_amount

MESSAGE = "应为金额（元）：阿拉伯数字，最多两位小数，如 1200 或 1200.50"


def amount_or_error(value: Any, label: str) -> Decimal:
    """The amount, or ValueError whose Chinese text names the field (``label``)."""
    try:
        return parse_amount(value)
    except ValueError:
        raise ValueError(f"{label}{MESSAGE}，收到「{value}」") from None


def fen_or_error(value: Any, field: str, label: str, error: type[Exception], empty: int | None = None) -> int | None:
    """An amount in yuan (typed text, int or Decimal) as integer fen, ``empty`` for None or "", or
    ``error(message, field)`` naming the field: the services' one reading of an amount (relief,
    disaster, charity), so that an API call is held to what the form's MoneyField holds a page to."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return empty
    try:
        return int(amount_or_error(value, label) * 100)
    except ValueError as exc:
        raise error(str(exc), field) from None


class MoneyField(forms.DecimalField):
    """A DecimalField in yuan that reads only plain ASCII digits (see the module's docstring)."""

    def __init__(self, *, max_digits: int = 12, decimal_places: int = 2, min_value: Any = Decimal(0), **kwargs: Any):
        super().__init__(max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            value = value.strip().replace(",", "")
        try:
            return parse_amount(value)
        except ValueError:
            raise ValidationError(f"{self.label or '金额'}{MESSAGE}", code="invalid") from None
