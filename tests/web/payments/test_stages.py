"""Temporary assistance paid in stages (NAT-TA-FIRST) on the monthly roll (PR-8).

The urgent fire case of tests/web/relief/conftest.py: 3000.00 yuan decided case by case (TA-2),
approved by the county on 2026-03-02 with a plan of two stages, 1000.00 + 2000.00. On the urgent
path the first stage is paid at once and the second only after the paperwork is completed
(NAT-TA-FIRST). Expected figures by hand: March's roll carries stage 1, 1000.00; April's, after the
paperwork, stage 2, 2000.00; 1000.00 + 2000.00 = 3000.00, the approval, and nothing after.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Benefit, ChangeKind, Status
from doudi.payments import services as s
from doudi.payments.models import Line, Payment
from doudi.relief import services as r
from doudi.relief.procedure import ProcedureError, State

from ..relief.conftest import urgent  # noqa: F401  (the urgent fire case)

D = dt.date
DAY, MAR, APR, MAY = D(2026, 3, 2), D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)
HUINING = "620422"


@pytest.fixture
def approved(urgent, huining_approver):  # noqa: F811 (the imported fixture)
    case = urgent(amount="3000", stages=["1000", "2000"])
    r.approve(huining_approver, case.pk, on=DAY)
    return case


def stage_lines(roll):
    return sorted((ln.program, ln.kind, ln.stage, ln.amount_fen, ln.rule)
                  for ln in Line.objects.filter(roll=roll, benefit__program="temporary"))


def release(roll, f1, f2):
    s.review_roll(f1, roll.pk)
    return s.release_roll(f2, roll.pk)


def paperwork(case, caseworker, caseworker_2, on):
    r.complete_paperwork(caseworker_2, case.pk, visited_on=DAY, findings="补充入户调查,情况属实",
                         signed_by_family=True, authorisation=True, investigators=[caseworker.pk], on=on)


def test_each_stage_is_a_roll_line_once_and_the_tick_does_not_pay_it_again(
        approved, huining_household, account_for, huining_finance, huining_finance_2, huining_caseworker,
        huining_caseworker_2):
    account_for(huining_household, 1)
    mar = s.build_roll(huining_finance, HUINING, MAR)
    # stage 1, 1000.00; stage 2 waits for the paperwork of the urgent help
    assert stage_lines(mar) == [("temporary", "stage", 1, 100000, "NAT-TA-FIRST")]
    assert mar.total_fen == 100000
    assert s.build_roll(huining_finance, HUINING, MAR).total_fen == 100000  # built again: the same line
    assert Line.objects.filter(roll=mar).count() == 1
    # the finance worklist's tick: the stage is on the roll, so it is neither listed nor paid by hand
    assert not any("第1次发放" in i["title"] for i in r.worklist_items(huining_finance, D(2026, 3, 5)))
    with pytest.raises(ProcedureError) as e:
        r.pay_stage(huining_finance, approved.pk, on=D(2026, 3, 5))
    assert e.value.field == "stage" and "已列入" in e.value.message
    assert approved.stages.get(seq=1).paid_on is None  # the refused tick changed nothing
    release(mar, huining_finance, huining_finance_2)
    benefit = Benefit.objects.get(program="temporary")
    paid = list(benefit.changes.filter(kind=ChangeKind.PAYMENT))
    assert [(c.figures["stage"], c.figures["paid_fen"], c.source) for c in paid] == [
        (1, 100000, f"payments.roll#{mar.pk}")]
    assert approved.stages.get(seq=1).paid_on == D(2026, 3, 31)  # paid in the roll's month
    # the paperwork done, April carries stage 2, 2000.00, and stage 1 is not paid again
    paperwork(approved, huining_caseworker, huining_caseworker_2, on=D(2026, 3, 20))
    apr = s.build_roll(huining_finance, HUINING, APR)
    assert stage_lines(apr) == [("temporary", "stage", 2, 200000, "NAT-TA-FIRST")]
    assert Payment.objects.get(roll=apr).amount_fen == 200000
    release(apr, huining_finance, huining_finance_2)
    benefit.refresh_from_db()
    approved.refresh_from_db()
    # 1000.00 + 2000.00 = 3000.00, the whole approval: the benefit ends, the case is closed
    assert benefit.status == Status.ENDED and approved.state == State.CLOSED
    assert Line.objects.filter(benefit=benefit).count() == 2
    may = s.build_roll(huining_finance, HUINING, MAY)
    assert stage_lines(may) == [] and may.total_fen == 0


def test_a_stage_ticked_by_hand_before_the_roll_is_not_on_it(approved, huining_household, account_for,
                                                             huining_finance, huining_caseworker,
                                                             huining_caseworker_2):
    account_for(huining_household, 2)
    r.pay_stage(huining_finance, approved.pk, on=DAY)  # the first stage at once, by hand (NAT-TA-FIRST)
    paperwork(approved, huining_caseworker, huining_caseworker_2, on=D(2026, 3, 4))
    mar = s.build_roll(huining_finance, HUINING, MAR)
    assert stage_lines(mar) == [("temporary", "stage", 2, 200000, "NAT-TA-FIRST")]  # stage 2 only: 2000.00


def test_both_stages_due_in_one_month_are_two_lines(approved, huining_household, account_for, huining_finance,
                                                    huining_caseworker, huining_caseworker_2):
    account_for(huining_household, 3)
    paperwork(approved, huining_caseworker, huining_caseworker_2, on=D(2026, 3, 4))
    mar = s.build_roll(huining_finance, HUINING, MAR)
    # 1000.00 + 2000.00 in one record of 3000.00
    assert stage_lines(mar) == [("temporary", "stage", 1, 100000, "NAT-TA-FIRST"),
                                ("temporary", "stage", 2, 200000, "NAT-TA-FIRST")]
    assert Payment.objects.get(roll=mar).amount_fen == 300000


def test_the_unique_key_holds_one_line_per_benefit_and_stage(approved, huining_household, account_for,
                                                             huining_finance, huining_finance_2):
    from django.db import IntegrityError, transaction

    account_for(huining_household, 4)
    mar = s.build_roll(huining_finance, HUINING, MAR)
    line = Line.objects.get(roll=mar)
    release(mar, huining_finance, huining_finance_2)
    apr = s.build_roll(huining_finance, HUINING, APR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Line.objects.create(roll=apr, benefit=line.benefit, account=line.account, household=line.household,
                            region=line.region, program="temporary", kind="stage", stage=1, for_month=APR,
                            amount_fen=100000)
