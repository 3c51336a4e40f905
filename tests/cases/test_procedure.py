"""The 低保 state machine and its time limits, without a database."""

import datetime as dt
from decimal import Decimal

import pytest

from doudi.cases.procedure import (
    Action,
    DeadlineKind,
    Perm,
    ProcedureError,
    State,
    allowed_actions,
    check_step,
    due_for,
    mask_name,
    payment_start,
    spot_check_needed,
)


def weekends_only(start: dt.date, n: int) -> dt.date:
    d = start
    while n:
        d += dt.timedelta(days=1)
        if d.weekday() < 5:
            n -= 1
    return d


# The permissions of security.md's roles (doudi.accounts.roles.ROLE_ACTIONS), as plain strings.
VILLAGE_ASSISTANT = {"household.view", "case.view", "case.report"}
TOWNSHIP_CASEWORKER = {"household.view", "case.view", "case.report", "case.accept", "case.investigate"}
TOWNSHIP_REVIEWER = {"household.view", "case.view", "case.review"}
VERIFICATION_OFFICER = {"household.view", "case.view", "verification.run"}
COUNTY_APPROVER = {"household.view", "case.view", "case.approve", "case.spot_check"}


def test_village_assistant_has_no_step_in_the_procedure():
    for state in State:
        assert allowed_actions(state, VILLAGE_ASSISTANT) == []


def test_only_the_county_approver_may_approve():
    assert Action.APPROVE in allowed_actions(State.AT_COUNTY, COUNTY_APPROVER)
    for perms in (TOWNSHIP_CASEWORKER, TOWNSHIP_REVIEWER, VERIFICATION_OFFICER):
        assert Action.APPROVE not in allowed_actions(State.AT_COUNTY, perms)


def test_the_township_accepts_and_the_reviewer_proposes():
    assert Action.ACCEPT in allowed_actions(State.SUBMITTED, TOWNSHIP_CASEWORKER)
    assert Action.PROPOSE not in allowed_actions(State.VERIFIED, TOWNSHIP_CASEWORKER)
    assert Action.PROPOSE in allowed_actions(State.VERIFIED, {Perm.CASE_REVIEW})


def test_a_case_cannot_be_approved_before_its_public_notice():
    with pytest.raises(ProcedureError) as e:
        check_step(Action.APPROVE, State.VERIFIED)
    assert "不能批准" in e.value.message


def test_an_objection_leads_to_reinvestigation_or_appraisal_only():
    assert set(allowed_actions(State.OBJECTED, TOWNSHIP_REVIEWER)) == {
        Action.REINVESTIGATE, Action.HOLD_APPRAISAL}


def test_investigation_is_due_three_working_days_after_acceptance_over_a_weekend():
    # Friday 2026-11-20 + 3 working days: Mon 23, Tue 24, Wed 25
    due = due_for(DeadlineKind.INVESTIGATION, dt.date(2026, 11, 20), weekends_only)
    assert due.date == dt.date(2026, 11, 25)


def test_public_notice_runs_seven_calendar_days():
    due = due_for(DeadlineKind.NOTICE_END, dt.date(2026, 11, 20), weekends_only)
    assert due.date == dt.date(2026, 11, 27)


def test_whole_procedure_is_thirty_working_days_or_forty_five_in_special_cases():
    # Monday 2026-11-02 + 30 working days = 6 weeks = Monday 2026-12-14
    assert due_for(DeadlineKind.WHOLE_PROCEDURE, dt.date(2026, 11, 2), weekends_only).date == dt.date(2026, 12, 14)
    # + 45 working days = 9 weeks = Monday 2027-01-04
    assert due_for(DeadlineKind.WHOLE_PROCEDURE, dt.date(2026, 11, 2), weekends_only,
                   special=True).date == dt.date(2027, 1, 4)


def test_payment_starts_the_month_after_approval():
    assert payment_start(dt.date(2026, 11, 30)) == dt.date(2026, 12, 1)
    assert payment_start(dt.date(2026, 12, 1)) == dt.date(2027, 1, 1)


def test_spot_checks_keep_at_least_thirty_percent_of_arrivals():
    ratio = Decimal("0.30")
    selected = 0
    for arrived in range(20):
        chosen, _ = spot_check_needed(selected, arrived, ratio, kin=False)
        selected += chosen
        # after arrived+1 cases at least 30% of them are drawn
        assert selected >= Decimal("0.30") * (arrived + 1)
    # exactly the quota when no random draw: ceil(0.3 × 20) = 6
    assert selected == 6


def test_a_relative_application_is_always_visited_by_the_county():
    chosen, why = spot_check_needed(10, 10, Decimal("0.30"), kin=True)
    assert chosen and "NAT-DB-KIN" in why


def test_the_public_notice_masks_all_but_the_surname_when_asked():
    assert mask_name("张三丰", True) == "张**"
    assert mask_name("张三丰", False) == "张三丰"
