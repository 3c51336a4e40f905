"""Scheduled job of doudi.verification: the monthly check of every recipient (Django-Q2 runs
`monthly` from its schedule table, created by migration 0002; `doudi verify check` runs one county)."""

from __future__ import annotations

import datetime as dt

from doudi.verification import monthly as checks


def counties_with_recipients() -> list[str]:
    from doudi.benefits.models import LIVE_VALUES, Benefit

    regions = Benefit.objects.filter(status__in=LIVE_VALUES, program__in=("dibao", "tekun"),
                                     household__isnull=False).values_list("household__county", flat=True)
    return sorted(set(regions))


def monthly(today: str | dt.date | None = None) -> dict[str, dict[str, int]]:
    """月度比对 of every county with live recipients; the counts of findings by kind per county."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return {county: checks.run_check(None, county, on=today).counts for county in counties_with_recipients()}


def ensure_schedule() -> None:
    """Create the monthly schedule if it is missing (the migration creates it; `doudi demo` calls this too)."""
    from django_q.models import Schedule

    from doudi.verification import schedule

    Schedule.objects.get_or_create(name=schedule.NAME, defaults={
        "func": schedule.FUNC, "schedule_type": Schedule.MONTHLY, "repeats": -1, "next_run": schedule.first_run()})
