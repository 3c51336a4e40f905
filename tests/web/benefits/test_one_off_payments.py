"""Temporary assistance paid in stages (NAT-TA-FIRST) is a one-off benefit (the policy core's
period "once"): the relief approval starts it with its plan, each paid stage is a row of its
history, so the payment history and fraud recovery (NAT-DB-FRAUD) see every yuan paid.

The urgent case of tests/web/relief/conftest.py: a fire in Huining, 3000.00 yuan decided case by
case (TA-2), above the township ceiling of 1000.00, so approved by the county.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.benefits import services as b
from doudi.benefits.models import Benefit, ChangeKind, Status
from doudi.relief import services as r
from doudi.relief.procedure import ProcedureError

from ..relief.conftest import urgent  # noqa: F401  (the urgent fire case)

D = dt.date
DAY = D(2026, 3, 2)
PAPERWORK_DAY = D(2026, 3, 4)


def _paperwork(case, caseworker, caseworker_2, on=PAPERWORK_DAY):
    r.complete_paperwork(caseworker_2, case.pk, visited_on=DAY, findings="补充入户调查,情况属实",
                         signed_by_family=True, authorisation=True, investigators=[caseworker.pk], on=on)


@pytest.fixture
def approved(urgent, huining_approver):  # noqa: F811 (the imported fixture)
    """3000.00 = 1000.00 + 2000.00, approved by the county on 2026-03-02."""
    case = urgent(amount="3000", stages=["1000", "2000"])
    r.approve(huining_approver, case.pk, on=DAY)
    return case


def test_the_approval_starts_a_one_off_benefit_with_its_plan_of_stages(approved, huining_household):
    benefit = Benefit.objects.get(program="temporary")
    assert (benefit.household, benefit.region, benefit.amount_fen, benefit.start_month) == (
        huining_household, approved.region, 300000, D(2026, 3, 1))
    assert b.paid_in_stages(benefit) and benefit.cycle == "none" and benefit.next_review_on is None
    start = benefit.changes.get()
    assert start.figures == {"period": "once", "stages_fen": [100000, 200000]}
    assert "1000.00 + 2000.00 = 3000.00" in start.reasons
    assert b.benefit_of(approved.decision) == benefit
    assert "分 2 次发放" in approved.events.get(action="approve").figures["benefit"]


def test_each_paid_stage_is_a_row_and_the_benefit_ends_after_the_last(
        approved, huining_finance, huining_caseworker, huining_caseworker_2):
    r.pay_stage(huining_finance, approved.pk, on=DAY)
    _paperwork(approved, huining_caseworker, huining_caseworker_2)
    r.pay_stage(huining_finance, approved.pk, on=D(2026, 4, 8))
    benefit = Benefit.objects.get(program="temporary")
    rows = list(benefit.changes.filter(kind=ChangeKind.PAYMENT).order_by("id"))
    assert [(c.effective_month, c.figures["stage"], c.figures["paid_fen"]) for c in rows] == [
        (D(2026, 3, 1), 1, 100000), (D(2026, 4, 1), 2, 200000)]
    assert rows[1].figures["paid_total_fen"] == 300000  # 1000.00 + 2000.00 = 3000.00, the whole approval
    assert rows[0].actor == huining_finance
    # paid: March 1000.00, April 2000.00, nothing before or after
    paid = b.monthly_amounts(benefit, [D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 5, 1)])
    assert [a for _, a in paid] == [0, 100000, 200000, 0]
    assert benefit.status == Status.ENDED and benefit.end_month == D(2026, 5, 1)
    assert "已全部发放" in benefit.changes.order_by("-id").first().reasons


def test_two_stages_paid_in_one_month_add_up_in_the_payment_history(
        approved, huining_finance, huining_caseworker, huining_caseworker_2):
    r.pay_stage(huining_finance, approved.pk, on=DAY)
    _paperwork(approved, huining_caseworker, huining_caseworker_2)
    r.pay_stage(huining_finance, approved.pk, on=D(2026, 3, 20))
    benefit = Benefit.objects.get(program="temporary")
    assert b.monthly_amounts(benefit, [D(2026, 3, 1)]) == [(D(2026, 3, 1), 300000)]  # 1000.00 + 2000.00


def test_fraud_recovery_counts_the_stages_paid(approved, huining_finance, huining_caseworker, huining_caseworker_2,
                                               huining_approver_2):
    r.pay_stage(huining_finance, approved.pk, on=DAY)
    _paperwork(approved, huining_caseworker, huining_caseworker_2)
    r.pay_stage(huining_finance, approved.pk, on=D(2026, 4, 8))
    benefit = Benefit.objects.get(program="temporary")
    rec = b.recover_fraud(huining_approver_2, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 4, 1),
                          fine_multiple="2", reasons="虚报火灾损失", on=D(2026, 5, 10))
    # recovered 1000.00 + 2000.00 = 3000.00; fine 2 × 3000.00 = 6000.00
    assert (rec.amount_fen, rec.fine_fen) == (300000, 600000)


def test_after_fraud_is_found_the_remaining_stage_is_not_paid(approved, huining_finance, huining_caseworker,
                                                              huining_caseworker_2, huining_approver_2):
    r.pay_stage(huining_finance, approved.pk, on=DAY)
    benefit = Benefit.objects.get(program="temporary")
    rec = b.recover_fraud(huining_approver_2, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 3, 1),
                          fine_multiple="1", reasons="虚报火灾损失", on=D(2026, 3, 3))
    assert (rec.amount_fen, rec.fine_fen) == (100000, 100000)  # the first stage only: 1000.00, fine 1 × 1000.00
    _paperwork(approved, huining_caseworker, huining_caseworker_2)
    with pytest.raises(ProcedureError) as e:
        r.pay_stage(huining_finance, approved.pk, on=D(2026, 3, 5))
    assert e.value.field == "benefit"
    assert approved.stages.get(seq=2).paid_on is None  # the whole step was undone
    titles = [i["title"] for i in r.worklist_items(huining_finance, D(2026, 3, 5))]
    assert not any("第2次发放" in t for t in titles)  # the stopped benefit's stage is off the worklist


def test_the_next_stage_is_on_the_worklist_while_the_benefit_is_live(approved, huining_finance):
    titles = [i["title"] for i in r.worklist_items(huining_finance, DAY)]
    assert any("第1次发放 1000.00 元" in t for t in titles)


def test_a_payment_beyond_the_approved_total_or_twice_for_a_stage_is_refused(start, huining_household,
                                                                             huining_finance):
    benefit = start(huining_household, amount_fen=50000, program="temporary", month=D(2026, 3, 1),
                    stages_fen=[20000, 30000])
    b.record_payment(huining_finance, benefit, amount_fen=20000, paid_on=D(2026, 3, 3), stage=1, on=D(2026, 3, 3))
    with pytest.raises(b.BenefitError) as e:
        b.record_payment(huining_finance, benefit, amount_fen=20000, paid_on=D(2026, 3, 4), stage=1, on=D(2026, 3, 4))
    assert e.value.field == "stage"
    with pytest.raises(b.BenefitError) as e:  # 200.00 + 400.00 = 600.00 > 500.00
        b.record_payment(huining_finance, benefit, amount_fen=40000, paid_on=D(2026, 3, 4), stage=2, on=D(2026, 3, 4))
    assert e.value.field == "amount_fen" and "500.00" in e.value.message


def test_a_plan_that_does_not_add_up_is_refused(start, huining_household):
    with pytest.raises(b.BenefitError) as e:  # 200.00 + 200.00 = 400.00 ≠ 500.00
        start(huining_household, amount_fen=50000, program="temporary", stages_fen=[20000, 20000])
    assert e.value.field == "stages_fen"


def test_a_monthly_benefit_takes_no_one_off_payment(huining_benefit, huining_finance):
    with pytest.raises(b.BenefitError) as e:
        b.record_payment(huining_finance, huining_benefit, amount_fen=100, paid_on=D(2026, 3, 3), stage=1,
                         on=D(2026, 3, 3))
    assert e.value.field == "benefit"


def test_payments_are_recorded_only_by_finance_or_the_window_of_the_area(start, huining_household,
                                                                         huining_village_assistant,
                                                                         baotou_caseworker):
    benefit = start(huining_household, amount_fen=50000, program="temporary", month=D(2026, 3, 1))
    with pytest.raises(PermissionDenied):
        b.record_payment(huining_village_assistant, benefit, amount_fen=50000, paid_on=D(2026, 3, 3), stage=1,
                         on=D(2026, 3, 3))
    with pytest.raises(Http404):
        b.record_payment(baotou_caseworker, benefit, amount_fen=50000, paid_on=D(2026, 3, 3), stage=1,
                         on=D(2026, 3, 3))


def test_a_one_off_benefit_takes_no_reported_change_for_review(approved, huining_caseworker):
    benefit = Benefit.objects.get(program="temporary")
    with pytest.raises(b.BenefitError) as e:
        b.report_change(huining_caseworker, benefit.pk, kind="income", occurred_on=DAY, description="收入增加",
                        on=D(2026, 3, 3))
    assert e.value.field == "benefit" and "不进行复核" in e.value.message
