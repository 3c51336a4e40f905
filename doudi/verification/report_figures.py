"""Figures doudi.reports reads from verification (doudi/reports/sources.py)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F


def verification_cleared(area_prefix: str, first_day: dt.date, last_day: dt.date) -> tuple[int, int] | None:
    """PR-6: (findings handled by their deadline, findings due) among the monthly check's findings whose
    deadline falls in the period, in the area (`area_prefix`: doudi.accounts.areas.area_prefix of it).
    Handled = cleared, found to be another person, or led to a review; None when none was due."""
    from doudi.accounts.areas import region_q
    from doudi.verification.models import Finding, FindingState

    due = Finding.objects.filter(region_q("region", area_prefix), due_on__gte=first_day, due_on__lte=last_day)
    n = due.count()
    if not n:
        return None
    done = due.exclude(state=FindingState.OPEN).filter(handled_on__lte=F("due_on")).count()
    return done, n
