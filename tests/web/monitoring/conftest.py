"""Monitoring tests: the cast of tests/web/conftest.py, department files through the verification
app's import (a private snapshot folder per test), households made by hand."""

from __future__ import annotations

import datetime as dt

import pytest

# A Monday with no holiday around it (the verification tests' day).
DAY = dt.date(2026, 11, 2)


@pytest.fixture
def upload(huining_verifier):
    """upload(kind, header, rows, extracted=DAY) -> the snapshot import's result (area Huining 620422)."""
    from doudi.verification.datasets import import_snapshot
    from tests.web.verification.conftest import csv_bytes

    def up(kind, header, rows, extracted=DAY, area="620422"):
        result = import_snapshot(huining_verifier, kind=kind, area=area, extracted_on=extracted,
                                 data=csv_bytes(header, rows), name=f"{kind}.csv", today=DAY + dt.timedelta(days=30))
        assert not getattr(result, "problems", None), result.problems
        return result

    return up


@pytest.fixture
def worker(make_household):
    """A Huining urban household of two: 王力 earns 3,000.00 a month in wages, 刘芳 nothing."""
    return make_household("620422100201", "urban", [
        ("王力", "self", dt.date(1980, 4, 1), "M", {"monthly_income": {"wages": 3000}}),
        ("刘芳", "spouse", dt.date(1982, 5, 1), "F", {}),
    ])


def member(household, name):
    return household.memberships.get(person__name=name).person


def scan(county="620422", on=DAY):
    from doudi.monitoring import services

    return services.scan(None, county, on=on)


def alerts(household, rule=None):
    from doudi.monitoring.models import Alert

    qs = Alert.objects.filter(household=household)
    return list(qs.filter(rule=rule) if rule else qs)
