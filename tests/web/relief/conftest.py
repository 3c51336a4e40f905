"""Fixtures of the temporary-assistance tests."""

from __future__ import annotations

import datetime as dt

import pytest

D = dt.date
DAY = D(2026, 3, 2)  # a Monday clear of holidays


@pytest.fixture
def urgent(huining_caseworker, huining_household):
    """urgent(amount="3000", stages=[...]) → an urgent fire case helped first in Huining (urban)."""
    from doudi.relief import services as s

    def make(amount: str = "3000", stages=None, kind: str = "fire", on: dt.date = DAY, household=None):
        return s.help_first(huining_caseworker, household_id=(household or huining_household).pk, kind=kind,
                            description="住房失火,衣物被褥烧毁", simplified_check="村委会电话核实,现场查看属实",
                            amount=amount, reasoning="房屋主体受损,一家三口无处安身", stages=stages, on=on)

    return make
