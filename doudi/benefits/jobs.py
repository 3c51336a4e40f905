"""Scheduled jobs of doudi.benefits. Django-Q2 runs `daily` from its schedule table (created by
migration 0002, on the database broker: `doudi manage qcluster`); every job is also a plain
function that tests and the `benefits_daily` command call directly."""

from __future__ import annotations

import datetime as dt

from doudi.benefits import services


def schedule_reviews(today: dt.date | None = None) -> int:
    """定期复核任务 (DB-11, NAT-DB-REVIEW): reviews put on the worklist when their date is near."""
    return services.schedule_reviews(today)


def end_gradual_exits(today: dt.date | None = None) -> int:
    """渐退期满 (DB-9): benefits whose 渐退期 is over stop from the month after."""
    return services.end_gradual_exits(today)


def end_terms(today: dt.date | None = None) -> int:
    """救助期满: fixed-term benefits (temporary assistance in stages) end after their last month."""
    return services.end_terms(today)


def daily(today: str | dt.date | None = None) -> dict[str, int]:
    """Everything due once a day; ``today`` as a date or ISO string (default: today)."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return {"reviews_created": schedule_reviews(today), "exits_ended": end_gradual_exits(today),
            "terms_ended": end_terms(today)}


def ensure_schedule() -> None:
    """Create the daily schedule if it is missing (the migration creates it; `doudi demo` calls this too)."""
    from django_q.models import Schedule

    from doudi.benefits import schedule as _schedule

    Schedule.objects.get_or_create(name=_schedule.NAME, defaults={
        "func": _schedule.FUNC, "schedule_type": Schedule.DAILY, "repeats": -1, "next_run": _schedule.first_run()})
