"""Fixtures of the disaster-relief tests: a flood in the Huining test township, a walk through the four steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

D = dt.date
DAY = D(2026, 3, 2)  # a Monday clear of holidays


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def flood(huining_caseworker):
    """flood(region=HUINING_TOWN) → a flood reported by the township at once (DR-2)."""
    from doudi.disaster import services as s

    from ..conftest import HUINING_TOWN

    def make(region: str = HUINING_TOWN, stage: str = "emergency"):
        return s.report_event(huining_caseworker, region=region, kind="flood", stage=stage,
                              occurred_at=at(DAY, 8), description="暴雨引发山洪,房屋进水倒塌",
                              affected_households=12, affected_people=40, collapsed_houses=3, now=at(DAY, 9))

    return make


@pytest.fixture
def walk(huining_caseworker, huining_village_assistant, huining_reviewer, huining_approver):
    """walk(event, household, to="approved", **approve) → the grant taken through 户申、村评、乡审、县定."""
    from doudi.disaster import services as s

    def go(event, household, to: str = "approved", collapsed: bool = False, amount: str = "2000", **approve):
        g = s.apply(huining_caseworker, event_id=event.pk, household_id=household.pk, losses="房屋进水,粮食受潮",
                    house_collapsed=collapsed, on=DAY)
        if to == "applied":
            return g
        s.appraise(huining_village_assistant, g.pk, appraisal="3月2日村民代表11人评议,同意", on=DAY)
        if to == "appraised":
            return g
        s.review(huining_reviewer, g.pk, opinion="情况属实,拟救助", on=D(2026, 3, 3))
        if to == "reviewed":
            return g
        s.approve(huining_approver, g.pk, amount=amount, on=D(2026, 3, 4), **approve)
        g.refresh_from_db()
        return g

    return go
