"""The Django-Q2 schedule entry of the hourly refresh (migration 0002 and jobs.ensure_schedule)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

NAME = "reports.refresh"
FUNC = "doudi.reports.jobs.refresh"


def first_run() -> dt.datetime:
    """The next full hour in Asia/Shanghai."""
    now = dt.datetime.now(ZoneInfo("Asia/Shanghai"))
    return now.replace(minute=5, second=0, microsecond=0) + dt.timedelta(hours=1)
