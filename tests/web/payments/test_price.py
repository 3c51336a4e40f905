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


def test_a_household_approved_after_its_month_was_computed_gets_it_as_arrears_once(
        dibao_one, make_household, start, account_for, administrator, huining_finance, huining_finance_2):
    """PL-1 names 低保 recipients among the groups paid; NAT-PL pays each person of them, for the month,
    the monthly 低保 standard × the rise. March's CPI is 4.00% (≥ 3.5%, triggered): Huining's urban
    standard 700.00 × 4% = 28.00 per person. March is computed on 2026-04-10, when only 孔低保's
    household receives 低保. 包晚批's household is approved on 2026-04-15 from March (a late approval):
    it is a 低保 household in March too, so it is owed March's 28.00 (one person). By hand, its April
    record: March's 低保 in arrears 700.00 + April's 700.00 + March's price subsidy in arrears 28.00 =
    1428.00; May's carries the 700.00 only (the price month is paid once)."""
    from doudi.programs.models import PriceSubsidyLine

    first, _ = dibao_one
    release(s.build_roll(huining_finance, HUINING, FEB), huining_finance, huining_finance_2)
    release(s.build_roll(huining_finance, HUINING, MAR), huining_finance, huining_finance_2)
    index(administrator, MAR, "4.00", D(2026, 4, 10))
    assert list(PriceSubsidyLine.objects.values_list("household_id", "amount_fen")) == [(first.pk, 2800)]
    late = make_household(members=[("包晚批", "self", D(1972, 5, 1), "F", {})])  # Huining urban, no income
    start(late, 70000, MAR, on=D(2026, 4, 15))
    account_for(late, 12)
    apr = s.build_roll(huining_finance, HUINING, APR)
    mine = sorted((ln.program, ln.kind, ln.for_month, ln.amount_fen, ln.rule)
                  for ln in Line.objects.filter(roll=apr, household=late))
    assert mine == [("dibao", "arrears", MAR, 70000, "NAT-DB-PAY"), ("dibao", "monthly", APR, 70000, "NAT-DB-PAY"),
                    ("price_subsidy", "arrears", MAR, 2800, "NAT-PL")]
    assert Payment.objects.get(roll=apr, household=late).amount_fen == 70000 + 70000 + 2800 == 142800
    # computed by the same policy core, once: one person × 28.00
    line = PriceSubsidyLine.objects.get(household=late, month=MAR)
    assert (line.people, line.per_person_fen, line.amount_fen) == (1, 2800, 2800)
    assert "1 人 × 28.00 元" in Line.objects.get(roll=apr, household=late, program="price_subsidy").note
    # 孔低保's March subsidy (computed after March's roll) is April's arrears, as before: 700.00 + 28.00
    assert Payment.objects.get(roll=apr, household=first).amount_fen == 72800
    assert s.build_roll(huining_finance, HUINING, APR).total_fen == 142800 + 72800  # built again: the same
    assert PriceSubsidyLine.objects.filter(month=MAR).count() == 2
    release(apr, huining_finance, huining_finance_2)
    may = s.build_roll(huining_finance, HUINING, MAY)
    assert sorted((ln.program, ln.for_month, ln.amount_fen) for ln in Line.objects.filter(roll=may, household=late)) \
        == [("dibao", MAY, 70000)]


def test_a_late_approval_from_after_the_computed_month_gets_no_price_month(
        dibao_one, make_household, start, account_for, administrator, huining_finance, huining_finance_2):
    """Approved on 2026-04-15 from April: its benefit does not cover March, so March's 28.00 is not its."""
    from doudi.programs.models import PriceSubsidyLine

    release(s.build_roll(huining_finance, HUINING, MAR), huining_finance, huining_finance_2)
    index(administrator, MAR, "4.00", D(2026, 4, 10))
    late = make_household(members=[("包四月", "self", D(1972, 5, 1), "F", {})])
    start(late, 70000, APR, on=D(2026, 4, 15))
    account_for(late, 13)
    apr = s.build_roll(huining_finance, HUINING, APR)
    assert [(ln.program, ln.for_month, ln.amount_fen) for ln in Line.objects.filter(roll=apr, household=late)] == [
        ("dibao", APR, 70000)]
    assert not PriceSubsidyLine.objects.filter(household=late).exists()
