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


@register.filter
def amount_label(benefit) -> str:  # noqa: ANN001
    """The label of a benefit's amount: a one-off benefit (临时救助 paid in stages) holds the approved
    total, every other one the monthly amount."""
    from doudi.benefits.services import paid_in_stages

    return "一次性救助金额(批准总额)" if paid_in_stages(benefit) else "月保障金额"
