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

    return "一次性救助金额（批准总额）" if paid_in_stages(benefit) else "月保障金额"


def approved_total_fen(benefit) -> int:  # noqa: ANN001
    """A one-off benefit's approved total: the amount it started with (its amount falls to 0 once paid
    in full, issue 9: 批准总额 0.00); any other benefit's current amount."""
    from doudi.benefits.models import ChangeKind
    from doudi.benefits.services import paid_in_stages

    if not paid_in_stages(benefit):
        return benefit.amount_fen
    start = benefit.changes.filter(kind=ChangeKind.START).order_by("id").first()
    return start.amount_after_fen if start is not None else benefit.amount_fen


@register.filter
def approved_amount(benefit) -> int:  # noqa: ANN001
    return approved_total_fen(benefit)


def status_words(benefit) -> str:  # noqa: ANN001
    """The benefit's state in words: a one-off grant is 分次发放中 or 已发放完毕, never 在保 (issue 9)."""
    from doudi.benefits.services import paid_in_stages

    if paid_in_stages(benefit):
        return "分次发放中" if benefit.live else "已发放完毕"
    return benefit.get_status_display()


register.filter("status_words", status_words)


@register.simple_tag
def decision_link(benefit) -> str:  # noqa: ANN001
    """The case whose decision started the benefit, by its number and linked (not "relief.decision #4")."""
    from django.apps import apps
    from django.core.exceptions import ObjectDoesNotExist
    from django.urls import NoReverseMatch, reverse
    from django.utils.html import format_html

    try:
        model = apps.get_model(benefit.decision_app, benefit.decision_model)
        case = model.objects.select_related("case").get(pk=benefit.decision_pk).case
        return format_html('<a href="{}">{}</a>', reverse(f"{benefit.decision_app}:case_detail", args=[case.pk]),
                           case.number)
    except (LookupError, ValueError, AttributeError, NoReverseMatch, ObjectDoesNotExist):
        return "—"  # the decision's row is gone or has no case page: the benefit's page still renders
