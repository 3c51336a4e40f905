"""Fund checks of a county's budget (fund_status): MA-6's floors and DR-3's shares, worked by hand."""

from __future__ import annotations

import pytest

from doudi.payments import services as s

pytestmark = pytest.mark.django_db


def test_ma6_floor_per_resident_for_medical_and_temporary_assistance(huining_finance):
    # MA-6 (wuhai-2014 五.6, 九.13): city and district put in at least 12 yuan per resident for medical
    # assistance and 2 yuan for temporary assistance. 100,000 residents: 1,200,000.00 and 200,000.00 yuan.
    s.add_budget(huining_finance, county="620422", year=2027, program="medical", level="county",
                 amount_fen=100_000_000, residents=100_000)  # 1,000,000.00 yuan from the county alone
    s.add_budget(huining_finance, county="620422", year=2027, program="medical", level="city",
                 amount_fen=10_000_000)  # + 100,000.00 from the city = 1,100,000.00 < 1,200,000.00
    s.add_budget(huining_finance, county="620422", year=2027, program="temporary", level="county",
                 amount_fen=20_000_000, residents=100_000)  # 200,000.00 = the floor: no note
    rows = {r["program"]: r for r in s.fund_status("620422", 2027)}
    assert rows["medical"]["notes"] == ["市、县投入 1100000.00 元，低于每人 12.00 元 × 100000 人 = 1200000.00 元的下限（MA-6）"]
    assert rows["temporary"]["notes"] == []


def test_dr3_shares_of_disaster_relief_funds(huining_finance):
    # DR-3: central 70 %, city 15 %, county 15 %. A budget of 100,000.00 with 70,000.00 central, 15,000.00 city
    # and 10,000.00 county falls short at the county (15 % of 100,000.00 = 15,000.00) — but the total is then
    # 95,000.00, so the shares are of 95,000.00: county 14,250.00 wanted, 10,000.00 entered.
    for level, fen in (("central", 7_000_000), ("city", 1_500_000), ("county", 1_000_000)):
        s.add_budget(huining_finance, county="620422", year=2027, program="disaster", level=level, amount_fen=fen)
    rows = {r["program"]: r for r in s.fund_status("620422", 2027)}
    notes = rows["disaster"]["notes"]
    # 70 % of 95,000.00 = 66,500.00 ≤ 70,000.00 and 15 % = 14,250.00 ≤ 15,000.00: only the county is short
    assert notes == ["县级应承担 15%（14250.00 元），已列 10000.00 元（DR-3）"]
