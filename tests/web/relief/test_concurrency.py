"""Two sessions taking the same step at once take effect once (row lock on the case, version check).

Runs on PostgreSQL (DOUDI_DB=postgres): two threads, each with its own database connection.
"""

from __future__ import annotations

import pytest
from concurrency_kit import at_once
from django.db import connection

from doudi.relief import services as s
from doudi.relief.models import Stage
from doudi.relief.procedure import ProcedureError

from .conftest import DAY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent sessions need PostgreSQL"),
]


def test_a_double_click_on_pay_pays_one_stage(urgent, huining_approver, huining_finance):
    case = urgent(amount="3000", stages=["1000", "2000"])
    s.approve(huining_approver, case.pk, on=DAY)
    case.refresh_from_db()
    results = at_once(lambda: s.pay_stage(huining_finance, case.pk, version=case.version, on=DAY),
                      lambda: s.pay_stage(huining_finance, case.pk, version=case.version, on=DAY))
    assert sum(isinstance(r, Stage) for r in results) == 1, results
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    assert list(case.stages.values_list("paid_on", flat=True)) == [DAY, None]


def test_two_approvers_at_once_approve_once(urgent, huining_approver, huining_approver_2):
    case = urgent(amount="3000")
    results = at_once(lambda: s.approve(huining_approver, case.pk, on=DAY),
                      lambda: s.approve(huining_approver_2, case.pk, on=DAY))
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    assert case.events.filter(action="approve").count() == 1
    assert case.stages.count() == 1
