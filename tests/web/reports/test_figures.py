"""Every figure of the statistics, counted by hand on the known population (conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.reports import stats

pytestmark = pytest.mark.django_db
D = dt.date
MONTHS = [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1)]


def fig(data, program, figure):
    return next(f for f in data["programs"][program]["figures"] if f["id"] == figure)


def test_dibao_households_persons_amounts_month_by_month(refreshed):
    data = stats.series("620422", MONTHS)
    # Jan: 张建国 (3 persons, 1500.00); Feb–Mar: + 刘大山 (2 persons, 800.00); Apr: 刘大山 stopped,
    # 张建国 in 渐退 (still paid 1500.00)
    assert fig(data, "dibao", "households")["series"] == [1, 2, 2, 1]
    assert fig(data, "dibao", "persons")["series"] == [3, 5, 5, 3]
    assert fig(data, "dibao", "amount")["series"] == ["1500.00", "2300.00", "2300.00", "1500.00"]
    # average: 1500 / 3 = 500.00; 2300 / 5 = 460.00
    assert fig(data, "dibao", "average")["series"] == ["500.00", "460.00", "460.00", "500.00"]
    assert fig(data, "dibao", "new_households")["series"] == [1, 1, 0, 0]
    assert fig(data, "dibao", "stopped_households")["series"] == [0, 0, 0, 1]
    assert fig(data, "dibao", "exit_households")["series"] == [0, 0, 0, 1]
    # urban (张建国) and rural (刘大山) apart
    assert fig(data, "dibao", "households")["by_residence"] == {"urban": [1, 1, 1, 1], "rural": [0, 1, 1, 0]}
    assert "按待遇月保障金额测算" in data["programs"]["dibao"]["amount_source"]


def test_dibao_applications_and_the_working_days_to_decision(refreshed):
    data = stats.series("620422", MONTHS)
    # 孙富 applied 2026-03-02 and was refused 2026-03-16; 钱多 applied 03-03 and withdrew 03-04
    assert fig(data, "dibao", "received")["series"] == [0, 0, 2, 0]
    assert fig(data, "dibao", "refused")["series"] == [0, 0, 1, 0]
    assert fig(data, "dibao", "withdrawn")["series"] == [0, 0, 1, 0]
    assert fig(data, "dibao", "approved")["series"] == [0, 0, 0, 0]
    # working days after 03-02 up to 03-16: 3,4,5,6, 9–13, 16 = 10
    assert fig(data, "dibao", "median_days")["series"] == [None, None, "10.0", None]


def test_tekun_by_self_care_tier_and_mode(refreshed):
    data = stats.series("620422", MONTHS)
    # 王老汉 approved 2026-03-11, supported from April: 910.00 + 350.00 = 1260.00
    assert fig(data, "tekun", "persons")["series"] == [0, 0, 0, 1]
    assert fig(data, "tekun", "households")["series"] == [0, 0, 0, 1]
    assert fig(data, "tekun", "amount")["series"][-1] == "1260.00"
    assert fig(data, "tekun", "new_households")["series"] == [0, 0, 0, 1]
    # applied 03-02, decided 03-11: working days 3,4,5,6,9,10,11 = 7
    assert fig(data, "tekun", "received")["series"] == [0, 0, 1, 0]
    assert fig(data, "tekun", "approved")["series"] == [0, 0, 1, 0]
    assert fig(data, "tekun", "median_days")["series"][2] == "7.0"
    tiers = {g["value"]: g["persons"] for g in data["programs"]["tekun"]["breakdowns"]["tier"]["groups"]}
    modes = {g["value"]: g["persons"] for g in data["programs"]["tekun"]["breakdowns"]["mode"]["groups"]}
    assert tiers == {"partial": [0, 0, 0, 1]} and modes == {"dispersed": [0, 0, 0, 1]}


def test_temporary_grants_by_kind(refreshed):
    data = stats.series("620422", MONTHS)
    # one fire grant of 800.00 on 2026-03-02 to 张建国's household of 3, paid the same day
    assert fig(data, "temporary", "households")["series"] == [0, 0, 1, 0]
    assert fig(data, "temporary", "persons")["series"][2] == 3
    assert fig(data, "temporary", "amount")["series"] == ["0.00", "0.00", "800.00", "0.00"]
    assert fig(data, "temporary", "median_days")["series"][2] == "0.0"
    kinds = {g["value"]: g["households"] for g in data["programs"]["temporary"]["breakdowns"]["kind"]["groups"]}
    assert kinds == {"fire": [0, 0, 1, 0]}


def test_every_level_adds_up_and_the_other_city_stays_apart(refreshed):
    town = stats.series("620422100", MONTHS)
    other_town = stats.series("620422101", MONTHS)
    baiyin = stats.series("6204", MONTHS)
    assert fig(town, "dibao", "households")["series"] == [1, 1, 1, 1]
    assert fig(other_town, "dibao", "households")["series"] == [0, 1, 1, 0]
    assert fig(baiyin, "dibao", "amount")["series"] == ["1500.00", "2300.00", "2300.00", "1500.00"]
    # the Baotou household is Baotou's and Inner Mongolia's only
    assert fig(stats.series("1502", MONTHS), "dibao", "amount")["series"] == ["1000.00"] * 4
    assert fig(stats.series("62", MONTHS), "dibao", "households")["series"] == [1, 2, 2, 1]
    children = {c["area"]: c["programs"]["dibao"]["households"] for c in stats.children("620422", D(2026, 3, 1))}
    assert children == {"620422100": 1, "620422101": 1}


def test_the_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert stats.median({"3": 1, "8": 1}) == stats.median({"8": 1, "3": 1})
    assert str(stats.median({"3": 1, "8": 1})) == "5.5"  # (3 + 8) / 2
    assert stats.median({}) is None
