"""The 低保 procedure through its services: roles, areas, four eyes, kin, spot checks, decisions."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as s
from doudi.cases.models import CaseEvent
from doudi.cases.procedure import State

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_case_walks_from_the_window_to_the_first_payment_month(walk, huining_household, huining_approver):
    case = walk(huining_household, "at_county")
    assert case.state == State.AT_COUNTY
    check = case.spot_checks.get()
    # the first case of the county this year: ceil(0.30 × 1) = 1 must be drawn (PR-3)
    assert check.selected
    s.record_spot_check(huining_approver, case.pk, visited_on=DAY + dt.timedelta(days=11), findings="属实",
                        consistent=True, on=DAY + dt.timedelta(days=11))
    decision = s.approve(huining_approver, case.pk, on=dt.date(2026, 11, 16))
    case.refresh_from_db()
    assert case.state == State.APPROVED
    # NAT-DB-PAY: approved in November 2026, paid from December 2026
    assert decision.payment_start == dt.date(2026, 12, 1)
    assert decision.assessment["programs"]["dibao"]["eligible"] is True
    assert any(p["name"] == "dibao.standard.urban" for p in decision.parameters)
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", flat=True))
    assert actions == ["submit", "accept", "investigate", "request_verification", "record_verification",
                       "propose", "close_notice", "record_spot_check", "approve"]
