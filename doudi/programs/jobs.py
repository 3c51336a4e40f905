"""Scheduled jobs of doudi.programs. Django-Q2 runs `daily` from its schedule table (created by migration
0002, like doudi.benefits' daily job); also a plain function tests and `doudi manage programs_daily` call."""

from __future__ import annotations

import datetime as dt

NAME = "programs.daily"
FUNC = "doudi.programs.jobs.daily"


def daily(today: str | dt.date | None = None) -> dict[str, int]:
    """CH-2: the children's allowances that end (coming of age, parents' situation changed)."""
    from doudi.programs import children

    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return {"children_allowances_ended": len(children.check_allowances(today))}
