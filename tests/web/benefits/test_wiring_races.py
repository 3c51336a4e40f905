"""A stage paid (doudi.relief) while fraud recovery is decided (doudi.benefits) at the same moment:
either the payment comes first and is recovered with the rest, or the recovery stops the benefit
first and the payment is refused and undone. Never a stage paid and left out of the recovery.

Runs on PostgreSQL (DOUDI_DB=postgres): two threads, each with its own database session.
"""

from __future__ import annotations

import datetime as dt

import pytest
from concurrency_kit import at_once, pg_only

from doudi.benefits import services as b
from doudi.benefits.models import Benefit, ChangeKind, Recovery
from doudi.relief import services as r
from doudi.relief.models import Stage
from doudi.relief.procedure import ProcedureError

from ..relief.conftest import urgent  # noqa: F401  (the urgent fire case)

pytestmark = [pytest.mark.django_db(transaction=True), pg_only]

D = dt.date
DAY = D(2026, 3, 2)


def test_a_stage_paid_while_fraud_is_recovered_is_either_recovered_or_not_paid(
        urgent, huining_approver, huining_approver_2, huining_finance, huining_caseworker,  # noqa: F811
        huining_caseworker_2, calendar):
    case = urgent(amount="3000", stages=["1000", "2000"])
    r.approve(huining_approver, case.pk, on=DAY)
    r.pay_stage(huining_finance, case.pk, on=DAY)
    r.complete_paperwork(huining_caseworker_2, case.pk, visited_on=DAY, findings="补充入户调查", signed_by_family=True,
                         authorisation=True, investigators=[huining_caseworker.pk], on=D(2026, 3, 4))
    benefit = Benefit.objects.get(program="temporary")
    results = at_once(
        lambda: r.pay_stage(huining_finance, case.pk, on=D(2026, 3, 5)),
        lambda: b.recover_fraud(huining_approver_2, benefit.pk, first_month=D(2026, 3, 1), last_month=D(2026, 3, 1),
                                fine_multiple="1", reasons="虚报损失", on=D(2026, 3, 5)))
    assert isinstance(results[1], Recovery), results
    rec = Recovery.objects.get()
    paid = list(Stage.objects.filter(case=case, paid_on__isnull=False).values_list("amount_fen", flat=True))
    rows = Benefit.objects.get(pk=benefit.pk).changes.filter(kind=ChangeKind.PAYMENT)
    assert sum(paid) == sum(c.figures["paid_fen"] for c in rows)  # the case and the benefit agree
    if isinstance(results[0], Stage):
        assert rec.amount_fen == 300000  # both stages paid in March: 1000.00 + 2000.00
    else:
        assert isinstance(results[0], ProcedureError), results
        assert rec.amount_fen == 100000 and paid == [100000]  # the first stage only; the second undone
