"""The Django-Q2 schedule entry of the daily job (used by migration 0002 and jobs.ensure_schedule)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

NAME = "benefits.daily"
FUNC = "doudi.benefits.jobs.daily"


def first_run() -> dt.datetime:
    """Tomorrow 01:00 in Asia/Shanghai (the job works on the day's date)."""
    tz = ZoneInfo("Asia/Shanghai")
    tomorrow = dt.datetime.now(tz).date() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time(1, 0), tzinfo=tz)
