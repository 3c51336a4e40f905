"""价格临时补贴 (PL-1, NAT-PL) on the monthly roll, from the province's index entered and computed in
doudi.programs (PriceSubsidyLine): the month's subsidy is paid once, in that month's roll when it is
computed in time, else as arrears (补发) in the next roll built.

Expected figures by hand from the rule text (NAT-PL): each person gets the monthly 低保 standard
(Huining urban 700.00 yuan, 620422 dibao.yaml) × the year-on-year rise, the trigger being CPI ≥ 3.5%.
March's CPI 4.00%: 700.00 × 4% = 28.00; April's 5.00%: 700.00 × 5% = 35.00; one person.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.payments import services as s
from doudi.payments.models import Line, Payment

D = dt.date
FEB, MAR, APR, MAY = D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)
HUINING = "620422"


@pytest.fixture
def dibao_one(make_household, start, account_for):
    hh = make_household(members=[("孔低保", "self", D(1970, 1, 1), "M", {})])  # Huining urban, no income: 低保
    benefit = start(hh, 70000, FEB)
    account_for(hh, 11)
    return hh, benefit


def index(administrator, month, cpi, published_on):
    from doudi.programs import prices

    idx = prices.enter_index(administrator, province="62", month=month, cpi_yoy=cpi, published_on=published_on)
    prices.compute_month(administrator, idx.pk)
    return idx


def lines(roll):
    return sorted((ln.program, ln.kind, ln.for_month, ln.amount_fen, ln.rule) for ln in Line.objects.filter(roll=roll))


def release(roll, f1, f2):
    s.review_roll(f1, roll.pk)
    return s.release_roll(f2, roll.pk)


def test_a_month_computed_late_pays_as_arrears_and_once(dibao_one, administrator, huining_finance,
                                                        huining_finance_2):
    hh, _ = dibao_one
    release(s.build_roll(huining_finance, HUINING, FEB), huining_finance, huining_finance_2)
    mar = s.build_roll(huining_finance, HUINING, MAR)
    # March's figure is published in April: the March roll has no price month yet
    assert lines(mar) == [("dibao", "monthly", MAR, 70000, "NAT-DB-PAY")]
    assert "没有待发放的价格临时补贴" in mar.totals["figures"]["price"]
    release(mar, huining_finance, huining_finance_2)
    index(administrator, MAR, "4.00", D(2026, 4, 10))  # 700.00 × 4% = 28.00
    index(administrator, APR, "5.00", D(2026, 4, 20))  # (entered early for the test) 700.00 × 5% = 35.00
    apr = s.build_roll(huining_finance, HUINING, APR)
    assert lines(apr) == [("dibao", "monthly", APR, 70000, "NAT-DB-PAY"),
                          ("price_subsidy", "arrears", MAR, 2800, "NAT-PL"),
                          ("price_subsidy", "price", APR, 3500, "NAT-PL")]
    # 700.00 + 28.00 + 35.00 = 763.00 in one record
    assert Payment.objects.get(roll=apr).amount_fen == 76300 and apr.total_fen == 76300
    assert apr.totals["program"]["price_subsidy"]["fen"] == 2800 + 3500
    arrears = Line.objects.get(roll=apr, kind="arrears")
    assert "CPI同比 4.00%" in arrears.note and "1 人 × 28.00 元" in arrears.note
    assert s.build_roll(huining_finance, HUINING, APR).total_fen == 76300  # built again: the same
    release(apr, huining_finance, huining_finance_2)
    may = s.build_roll(huining_finance, HUINING, MAY)
    assert lines(may) == [("dibao", "monthly", MAY, 70000, "NAT-DB-PAY")]  # each price month once


def test_a_month_before_the_first_roll_is_not_paid_again(dibao_one, administrator, huining_finance):
    index(administrator, FEB, "4.00", D(2026, 3, 10))
    mar = s.build_roll(huining_finance, HUINING, MAR)  # the county's first roll: February was paid before doudi
    assert [ln.program for ln in Line.objects.filter(roll=mar)] == ["dibao"]
