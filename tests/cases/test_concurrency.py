"""Two sessions taking the same step at once: it takes effect once (row lock on the case).

Runs on PostgreSQL (DOUDI_DB=postgres): two threads, each with its own database connection.
"""

from __future__ import annotations

import datetime as dt

import pytest
from concurrency_kit import at_once
from django.db import connection

from doudi.cases import services as s
from doudi.cases.models import CaseEvent, Decision
from doudi.cases.procedure import ProcedureError, State

from .conftest import DAY

pytestmark = [
    pytest.mark.usefixtures("close_other_sessions"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="two concurrent sessions need PostgreSQL"),
]


def test_two_approvers_at_once_approve_once(walk, huining_household, huining_approver, huining_approver_2):
    case = walk(huining_household, "at_county")
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY, findings="属实", consistent=True, on=DAY)
    on = DAY + dt.timedelta(days=12)
    results = at_once(lambda: s.approve(huining_approver, case.pk, on=on),
                      lambda: s.approve(huining_approver_2, case.pk, on=on))
    ok = [r for r in results if isinstance(r, Decision)]
    refused = [r for r in results if isinstance(r, ProcedureError)]
    assert len(ok) == 1 and len(refused) == 1, results
    case.refresh_from_db()
    assert case.state == State.APPROVED
    assert CaseEvent.objects.filter(case=case, action="approve").count() == 1


def test_a_double_submitted_acceptance_is_accepted_once(walk, huining_household, huining_caseworker):
    case = walk(huining_household, "submitted")
    results = at_once(lambda: s.accept(huining_caseworker, case.pk, version=case.version, on=DAY),
                      lambda: s.accept(huining_caseworker, case.pk, version=case.version, on=DAY))
    assert sum(isinstance(r, ProcedureError) for r in results) == 1, results
    assert CaseEvent.objects.filter(case=case, action="accept").count() == 1


def test_two_cases_reaching_the_county_at_once_keep_the_spot_check_quota(walk, make_household,
                                                                         huining_caseworker):
    from doudi.cases.models import SpotCheck, SpotCheckTally

    a = walk(make_household(), "in_notice")
    b = walk(make_household(), "in_notice")
    on = DAY + dt.timedelta(days=10)
    at_once(lambda: s.close_notice(huining_caseworker, a.pk, on=on),
            lambda: s.close_notice(huining_caseworker, b.pk, on=on))
    tally = SpotCheckTally.objects.get(county="620422", year=on.year)
    # both counted; ceil(0.30 × 1) = 1 drawn at least, whichever came first
    assert tally.arrived == 2 and SpotCheck.objects.count() == 2
    assert tally.selected == SpotCheck.objects.filter(selected=True).count() >= 1
