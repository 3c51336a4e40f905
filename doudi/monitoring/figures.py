"""Figures of the monitoring per area and month (PR-7): persons in each category of the register,
warnings raised, handled within their deadline, turned into assistance, median days to a visit.
One row per township (9-digit code) of the user's areas, and the total."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from typing import Any

from django.db.models import Count, Min

from doudi.accounts.areas import region_name
from doudi.monitoring.models import Category, Outcome, State


def _next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def by_area(user: Any, first: dt.date) -> dict:
    from doudi.monitoring.services import visible_alerts, visible_entries
    from doudi.registry.models import Membership

    end = _next_month(first)
    persons: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    entries = visible_entries(user).filter(entered_on__lt=end).exclude(left_on__lt=first)
    per_household = dict(Membership.objects.filter(household__in=entries.values("household"), end__isnull=True)
                         .values_list("household").annotate(n=Count("id")))
    for e in entries.values("region", "category", "household_id", "person_id"):
        n = 1 if e["person_id"] else per_household.get(e["household_id"], 0)
        persons[e["region"][:9]][e["category"]] += n
    alerts = (visible_alerts(user).filter(raised_on__gte=first, raised_on__lt=end)
              .annotate(first_visit=Min("visits__visited_on")))
    raised: dict[str, int] = defaultdict(int)
    in_time: dict[str, int] = defaultdict(int)
    helped: dict[str, int] = defaultdict(int)
    days: dict[str, list[int]] = defaultdict(list)
    for a in alerts:
        area = a.region[:9]
        raised[area] += 1
        if a.state == State.CLOSED and a.closed_on and a.closed_on <= a.due_on:
            in_time[area] += 1
        if a.outcome == Outcome.APPLICATION:
            helped[area] += 1
        if a.first_visit:
            days[area].append((a.first_visit - a.raised_on).days)
    areas = sorted(set(persons) | set(raised))
    cats = list(Category)

    def row(label: str, keys: list[str]) -> dict:
        ds = [d for k in keys for d in days[k]]
        return {"area": label, "persons": [sum(persons[k][c.value] for k in keys) for c in cats],
                "raised": sum(raised[k] for k in keys), "in_time": sum(in_time[k] for k in keys),
                "helped": sum(helped[k] for k in keys),
                "median_days": statistics.median(ds) if ds else None}

    rows = [row(f"{region_name(a)}（{a}）", [a]) for a in areas]
    return {"categories": [c.label for c in cats], "rows": rows, "total": row("合计", areas) if areas else None}
