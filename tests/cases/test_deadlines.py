"""Deadlines counted in working days on the seeded State Council calendar (NAT-DB-DEADLINES)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services as s

pytestmark = pytest.mark.django_db


def test_investigation_deadline_skips_the_spring_festival(huining_caseworker, huining_household):
    # 2026 schedule: Sat 14 Feb is a working day, 15–23 Feb are off.
    # Accepted Fri 13 Feb + 3 working days: Sat 14 (1), Tue 24 (2), Wed 25 (3).
    case = s.submit_application(huining_caseworker, huining_household.pk, on=dt.date(2026, 2, 13))
    case = s.accept(huining_caseworker, case.pk, on=dt.date(2026, 2, 13))
    assert case.due_on == dt.date(2026, 2, 25)
    assert case.due_warning == ""


def test_county_decision_deadline_skips_national_day(walk, huining_household):
    # Reaches the county Wed 30 Sep 2026 (notice closed). Oct 1–7 off, Sat 10 Oct a working day.
    # + 10 working days: Oct 8, 9, 10, 12, 13, 14, 15, 16, 19, 20 → Tue 20 Oct 2026.
    case = walk(huining_household, "at_county", day=dt.date(2026, 9, 20))
    assert case.events.last().on_date == dt.date(2026, 9, 30)
    assert case.due_on == dt.date(2026, 10, 20)


def test_a_deadline_in_a_year_not_yet_entered_counts_weekends_only_and_warns(walk, huining_household,
                                                                              huining_approver):
    # Refused Wed 30 Dec 2026 + 3 working days: Thu 31 Dec (1), Fri 1 Jan 2027 (2: no 2027 schedule
    # entered, so only weekends are off), Mon 4 Jan (3).
    case = walk(huining_household, "at_county", day=dt.date(2026, 12, 10))
    decision = s.refuse(huining_approver, case.pk, reasons="收入超过标准", on=dt.date(2026, 12, 30))
    case.refresh_from_db()
    assert decision.notice_due_on == dt.date(2027, 1, 4)
    assert "2027" in case.due_warning


def test_the_whole_procedure_is_due_thirty_working_days_after_acceptance(huining_caseworker, huining_household):
    # Accepted Mon 2 Nov 2026; no holiday until the end of the year: 30 working days = 6 weeks → Mon 14 Dec 2026.
    case = s.submit_application(huining_caseworker, huining_household.pk, on=dt.date(2026, 11, 2))
    case = s.accept(huining_caseworker, case.pk, on=dt.date(2026, 11, 2))
    assert case.overall_due_on == dt.date(2026, 12, 14)
