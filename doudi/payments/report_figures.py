"""Figures doudi.reports reads from payments (doudi/reports/sources.py): the amounts paid per month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

PAID_PROGRAMS = ("dibao", "tekun")


def monthly_paid(first_month: dt.date, last_month: dt.date) -> Iterator[tuple[str, dt.date, str, str, int]]:
    """(village, month, program, residence, fen) summed from the released rolls' lines whose month lies in
    the span (PR-8): the month a line is for, not the month of its roll (arrears count where they belong);
    returned records (退票) do not count, their re-issue does."""
    from django.db.models import Sum

    from doudi.payments.models import Line, PaymentState, RollState

    rows = (Line.objects.filter(roll__state=RollState.RELEASED, program__in=PAID_PROGRAMS,
                                for_month__gte=first_month, for_month__lte=last_month)
            .exclude(payment__state=PaymentState.FAILED).exclude(kind="offset")
            .values("region", "for_month", "program", "household__residence").annotate(s=Sum("amount_fen"))
            .order_by())
    for r in rows:
        yield r["region"], r["for_month"], r["program"], r["household__residence"] or "", int(r["s"] or 0)


def covered_months(first_month: dt.date, last_month: dt.date) -> set[tuple[str, dt.date]]:
    """The (county, month) pairs with a released roll: there the rolls' amounts replace the benefits'."""
    from doudi.payments.models import Roll, RollState

    return set(Roll.objects.filter(state=RollState.RELEASED, month__gte=first_month, month__lte=last_month)
               .values_list("region", "month"))
