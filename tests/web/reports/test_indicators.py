"""Indicators, each with its figures counted by hand on the known population."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doudi.reports import indicators

pytestmark = pytest.mark.django_db
D = dt.date


def test_indicators_of_huining_in_march_2026(refreshed, administrator):
    from doudi.reports.services import enter_population

    r = dict((i.id, res) for i, res in indicators.evaluate("620422", D(2026, 3, 1), D(2026, 3, 31)))
    # decisions of March: 孙富 refused (accepted 03-02, decided 03-16: 10 ≤ 30 working days);
    # 王老汉 approved (proposed 03-02 = 0 ≤ 15; notice closed 03-09, decided 03-11: 2 ≤ 15) → 2 of 2
    assert (r["decisions_in_time"].numerator, r["decisions_in_time"].denominator) == (2, 2)
    # spot checks: 孙富's 低保 case and 王老汉's 特困 case reached the county; each is the first of its
    # procedure's year in Huining, so each is drawn (the running share would fall below 30% otherwise):
    # 2 of 2 = 100.0%, one line for county 620422. (A draw is dated by the clock when it is made.)
    from django.utils import timezone

    spot = indicators.spot_check_rate("620422", D(2026, 1, 1), timezone.localdate())
    assert (spot.numerator, spot.denominator, spot.text(), spot.met) == (2, 2, "100.0%", True)
    assert [line["area"] for line in spot.lines] == ["620422"] and spot.target == Decimal("0.30")
    # 王老汉 is supported from April: nobody in support at the end of March
    assert r["centralised_rate"].denominator == 0 and r["centralised_rate"].target is None
    assert r["verification_cleared"].text() == "暂无数据"
    assert not r["coverage"].available
    # reviews: 张建国's and 刘大山's reported-change reviews, due 10 working days after 03-10, decided 03-10
    april = dict((i.id, res) for i, res in indicators.evaluate("620422", D(2026, 3, 1), D(2026, 4, 15)))
    assert (april["reviews_on_time"].numerator, april["reviews_on_time"].denominator) == (2, 2)
    enter_population(administrator, region="620422", population=3000, effective_from=D(2020, 1, 1), source="统计公报")
    cov = dict((i.id, res) for i, res in indicators.evaluate("620422", D(2026, 4, 1), D(2026, 4, 30)))["coverage"]
    # April: 张建国's 3 persons (低保, 渐退) + 王老汉 (特困) = 4 persons ÷ 3000 × 1000 = 1.3‰
    assert (cov.numerator, cov.denominator, str(cov.value)) == (4, 3000, "1.3")


def test_wuhai_sets_a_centralised_target_of_half(db):
    r = indicators.centralised_rate("1503", D(2026, 1, 1), D(2026, 1, 31))
    assert r.target == Decimal("0.50") and "wuhai-2014 三.4" in r.target_source


def test_the_indicator_page_shows_definitions_and_rules(refreshed, client_for, supervisor):
    body = client_for(supervisor).get("/reports/indicators/", {"area": "620422", "from": "2026-03",
                                                               "to": "2026-03"}).content.decode()
    assert "NAT-DB-DEADLINES" in body and "PR-3" in body and "暂无数据" in body and "DB-11" in body
