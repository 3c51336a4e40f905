"""The Django-Q2 schedule entry of the monthly check (used by migration 0002 and jobs.ensure_schedule)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

NAME = "verification.monthly"
FUNC = "doudi.verification.jobs.monthly"


def first_run() -> dt.datetime:
    """The next `monthly_check_day` (data/verification.yaml) at 02:00 Asia/Shanghai."""
    from doudi.verification.params import param

    tz = ZoneInfo("Asia/Shanghai")
    now = dt.datetime.now(tz)
    day = int(param("monthly_check_day"))
    year, month = (now.year, now.month) if now.day < day else (now.year + (now.month == 12), now.month % 12 + 1)
    return dt.datetime(year, month, day, 2, 0, tzinfo=tz)
