"""Scheduled jobs of doudi.reports: Django-Q2 runs `refresh` hourly from its schedule table
(migration 0002; `doudi manage qcluster`); `doudi manage reports_refresh` runs it at once."""

from __future__ import annotations

import datetime as dt

from doudi.reports import figures


def refresh(today: str | dt.date | None = None, months: int | None = None) -> dict:
    """Recompute the monthly statistics (the last `history_months` months)."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    run = figures.refresh(today, months)
    return {"rows": run.rows, "seconds": str(run.seconds), "first_month": run.first_month.isoformat(),
            "last_month": run.last_month.isoformat()}


def ensure_schedule() -> None:
    """Create the hourly schedule if it is missing (the migration creates it; `doudi demo` calls this too)."""
    from django_q.models import Schedule

    from doudi.reports import schedule as _schedule

    Schedule.objects.get_or_create(name=_schedule.NAME, defaults={
        "func": _schedule.FUNC, "schedule_type": Schedule.HOURLY, "repeats": -1, "next_run": _schedule.first_run()})
