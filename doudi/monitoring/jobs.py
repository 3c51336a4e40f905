"""Scheduled job of doudi.monitoring: the daily scan of every county (Django-Q2 runs `daily` from its
schedule table, created by migration 0002; `doudi monitor scan` runs it by hand)."""

from __future__ import annotations

import datetime as dt

NAME = "monitoring.daily"
FUNC = "doudi.monitoring.jobs.daily"


def counties() -> list[str]:
    from doudi.monitoring.models import RegisterEntry

    out = {r[:6] for r in RegisterEntry.objects.filter(left_on__isnull=True).values_list("region", flat=True)}
    try:
        from doudi.benefits.models import Benefit

        out |= set(Benefit.objects.filter(program__in=("dibao", "tekun"), household__isnull=False)
                   .values_list("household__county", flat=True))
    except ImportError:
        pass
    return sorted(c for c in out if c)


def daily(today: str | dt.date | None = None) -> dict[str, dict[str, int]]:
    """监测扫描 of every county; the warnings raised by rule per county."""
    from doudi.monitoring import services

    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return {county: services.scan(None, county, on=today).raised for county in counties()}


def first_run() -> dt.datetime:
    """Tomorrow 03:00 Asia/Shanghai (after the night's imports)."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    now = dt.datetime.now(tz)
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(3, 0), tzinfo=tz)


def ensure_schedule() -> None:
    from django_q.models import Schedule

    Schedule.objects.get_or_create(name=NAME, defaults={"func": FUNC, "schedule_type": Schedule.DAILY,
                                                        "repeats": -1, "next_run": first_run()})
