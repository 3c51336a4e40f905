"""The statistics' amounts paid (doudi.reports, PR-9) come from the released rolls (PR-8) for the
county-months that have one; the other months keep the benefits' monthly amounts, labelled so."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.payments import services as s
from doudi.reports import figures, stats

pytestmark = pytest.mark.django_db

JAN, FEB = dt.date(2027, 1, 1), dt.date(2027, 2, 1)
VILLAGE = "620422100201"
BAIYIN_VILLAGE = "620402001001"  # 白银区, another county of the same city, without rolls


def _amount(data, program="dibao"):
    return next(f for f in data["programs"][program]["figures"] if f["id"] == "amount")["series"]


def test_rolls_replace_the_benefits_amounts_only_where_a_roll_was_released(
        make_household, huining_household, start, account_for, huining_finance, huining_finance_2):
    # A: 1500.00 a month from January, in the January roll
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    jan = s.build_roll(huining_finance, "620422", JAN)
    s.review_roll(huining_finance, jan.pk)
    s.release_roll(huining_finance_2, jan.pk)
    # B: 800.00 a month from January, approved after the January roll (its January goes to February's roll,
    # which is not built): the benefits count it in January, the January roll does not
    hh_b = make_household(VILLAGE, "urban", [("李补发", "self", dt.date(1965, 1, 1), "F", {})])
    start(hh_b, 80000, JAN, on=dt.date(2027, 1, 20))
    # C: 600.00 a month in another county of the city, which has no roll at all
    hh_c = make_household(BAIYIN_VILLAGE, "urban", [("白某", "self", dt.date(1960, 1, 1), "M", {})])
    start(hh_c, 60000, JAN)
    figures.refresh(dt.date(2027, 2, 15), months=2)

    county = stats.series("620422", [JAN, FEB])
    # January: paid by the roll, A only = 1500.00; February: no roll, the benefits A + B = 1500 + 800 = 2300.00
    assert _amount(county) == ["1500.00", "2300.00"]
    city = stats.series("6204", [JAN, FEB])
    # January: Huining's roll 1500.00 + 白银区's benefit 600.00 = 2100.00; February: 2300.00 + 600.00 = 2900.00
    assert _amount(city) == ["2100.00", "2900.00"]
    assert "已有发放花名册的县按花名册" in city["programs"]["dibao"]["amount_source"]
    other = stats.series("620402", [JAN, FEB])
    assert _amount(other) == ["600.00", "600.00"]
    assert other["programs"]["dibao"]["amount_source"] == "按待遇月保障金额测算（尚无发放花名册）"
