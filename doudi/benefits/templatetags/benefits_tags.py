from __future__ import annotations

from django import template

from doudi.benefits.months import month_label
from doudi.benefits.reckon import yuan as _yuan

register = template.Library()


@register.filter
def yuan(fen: int | None) -> str:
    """Fen as yuan with two decimals."""
    return _yuan(fen)


@register.filter
def month(d) -> str:  # noqa: ANN001
    """A month as 2026年4月."""
    return month_label(d)
