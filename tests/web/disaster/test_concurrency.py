"""Two sessions at once (PostgreSQL): goods issued from the stock never below zero, one zero report a day,
one step taken once."""

from __future__ import annotations

import pytest
from concurrency_kit import at_once
from django.db import connection

from doudi.disaster import services as s
from doudi.disaster.models import Grant, StockItem, TownshipReport
from doudi.disaster.procedure import ProcedureError

from ..conftest import HUINING, HUINING_TOWN, HUINING_VILLAGE
from .conftest import DAY, at

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent sessions need PostgreSQL"),
]


def test_two_issues_at_once_never_take_the_stock_below_zero(flood, walk, make_household, huining_approver,
                                                           huining_finance, huining_caseworker, calendar):
    import datetime as dt

    s.receive_stock(huining_approver, region=HUINING, name="帐篷", unit="顶", quantity=5, on=DAY)
    item = StockItem.objects.get()
    e = flood()
    a = make_household(HUINING_VILLAGE, "rural", [("甲", "self", dt.date(1970, 1, 1), "M", {})])
    b = make_household(HUINING_VILLAGE, "rural", [("乙", "self", dt.date(1970, 1, 1), "M", {})])
    ga = walk(e, a, amount="", goods_item=item.pk, goods_quantity=3)
    gb = walk(e, b, amount="", goods_item=item.pk, goods_quantity=3)  # 3 + 3 > 5: only one can be issued
    later = dt.date(2026, 3, 5)
    results = at_once(lambda: s.issue(huining_finance, ga.pk, on=later),
                      lambda: s.issue(huining_caseworker, gb.pk, on=later))
    assert sum(isinstance(r, Grant) for r in results) == 1, results
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    item.refresh_from_db()
    assert item.quantity == 2 and item.movements.filter(kind="out").count() == 1


def test_a_double_click_on_the_zero_report_sends_one(huining_caseworker, huining_caseworker_2):
    results = at_once(lambda: s.zero_report(huining_caseworker, township=HUINING_TOWN, day=DAY, now=at(DAY, 9)),
                      lambda: s.zero_report(huining_caseworker_2, township=HUINING_TOWN, day=DAY, now=at(DAY, 9)))
    assert sum(isinstance(r, TownshipReport) for r in results) == 1, results
    assert TownshipReport.objects.filter(day=DAY, kind="zero").count() == 1


def test_two_approvers_at_once_decide_once(flood, walk, huining_household, huining_approver, huining_approver_2):
    g = walk(flood(), huining_household, to="reviewed")
    g.refresh_from_db()
    results = at_once(lambda: s.approve(huining_approver, g.pk, amount="100", version=g.version, on=DAY),
                      lambda: s.approve(huining_approver_2, g.pk, amount="200", version=g.version, on=DAY))
    assert sum(isinstance(r, Grant) for r in results) == 1, results
    assert g.events.filter(action="approve").count() == 1
