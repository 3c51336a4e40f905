"""NAT-PL / PL-1: the month's price figure read from the policy data (no Django needed)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from doudi.payments import roll
from doudi.policy.params import Resolved, default_policy

JAN = dt.date(2027, 1, 1)


def test_no_figure_entered_pays_nothing():
    rise, text = roll.price_rise("620422", JAN)
    assert rise is None and "尚未录入" in text and "PL-1" in text


def test_a_figure_of_the_month_over_the_trigger_pays_the_standard_times_the_rise(monkeypatch):
    policy = default_policy()
    real = policy.resolve

    def resolve(name, county, on, residence):  # noqa: ANN001, ANN202 - the statistics bureau's January figures
        if name == "price_subsidy.cpi_yoy":
            return Resolved(name, Decimal("0.036"), "province", "620000", "test", False, JAN)
        if name == "price_subsidy.food_cpi_yoy":
            return Resolved(name, Decimal("0.062"), "province", "620000", "test", False, dt.date(2026, 12, 1))
        return real(name, county, on, residence)

    monkeypatch.setattr(policy, "resolve", resolve)
    rise, text = roll.price_rise("620422", JAN)
    # CPI 3.6% ≥ 3.5% triggers; the food figure is December's, so it does not count for January
    assert rise == Decimal("0.036") and "3.6%" in text
    # urban standard 700.00 × 3.6% = 25.20 yuan a person (NAT-PL), half-up to the fen
    assert roll.price_each_fen("620422", JAN, "urban", rise) == 2520
