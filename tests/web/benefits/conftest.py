"""Fixtures of the benefits tests: a 低保 benefit of the Huining household (3 members, urban).

The Huining household of tests/web/conftest.py: 张建国 (born 1975, wages 600 yuan a month),
李秀英 (1977), 张小明 (2012, at school). Huining's urban standard is 700.00 yuan (620422
dibao.yaml, a placeholder), so its 低保 is 700.00 × 3 − 600.00 = 1500.00 yuan a month.
"""

from __future__ import annotations

import datetime as dt

import pytest

HUINING_VILLAGE = "620422100201"


@pytest.fixture
def start(db):
    """start(household, amount_fen=150000, month=2026-01-01, program="dibao") -> Benefit (by the system)."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    def make(household, amount_fen: int = 150000, month: dt.date = dt.date(2026, 1, 1), program: str = "dibao",
             on: dt.date | None = None, **kw):
        on = on or month - dt.timedelta(days=5)
        return start_benefit(None, household=household, program=program, amount_fen=amount_fen, start_month=month,
                             household_document=household_document(household, on), on=on, **kw)

    return make


@pytest.fixture
def huining_benefit(start, huining_household):
    return start(huining_household)


@pytest.fixture
def elderly_household(make_household):
    """Two members aged 70+ (nobody able to work): reviewed yearly."""
    return make_household(HUINING_VILLAGE, "urban", [
        ("王德福", "self", dt.date(1950, 4, 1), "M", {"monthly_income": {"pension_basic": 150}}),
        ("陈桂英", "spouse", dt.date(1952, 8, 1), "F", {}),
    ])
