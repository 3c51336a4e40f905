"""The benefit of an approved 低保 decision (doudi.cases), the Django-Q2 schedule, the commands."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from doudi.benefits import services
from doudi.benefits.models import Benefit
from doudi.benefits.reckon import BenefitError

D = dt.date


@pytest.fixture
def decision(huining_household, huining_approver):
    from doudi.cases.models import Case, Decision
    from doudi.registry.documents import household_document

    case = Case.objects.create(number="低保2026-0001", household=huining_household,
                               region=huining_household.region_code, applicant_name="张建国", state="approved",
                               submitted_on=D(2026, 1, 5))
    return Decision.objects.create(case=case, outcome="approved", decided_on=D(2026, 2, 10), decided_by=huining_approver,
                                   amount_fen=150000, household_size=3, payment_start=D(2026, 3, 1),
                                   assessment={"programs": {"dibao": {"amount": "1500.00"}}},
                                   household_document=household_document(huining_household, D(2026, 2, 10)))


def test_an_approved_dibao_decision_starts_its_benefit_once(decision):
    b = services.start_from_dibao_decision(decision)
    assert (b.program, b.amount_fen, b.start_month) == ("dibao", 150000, D(2026, 3, 1))
    assert (b.decision_app, b.decision_model, b.decision_pk) == ("cases", "decision", str(decision.pk))
    assert b.assessment == decision.assessment
    assert services.start_from_dibao_decision(decision).pk == b.pk and Benefit.objects.count() == 1


def test_a_refused_decision_starts_nothing(decision):
    decision.outcome = "refused"
    with pytest.raises(BenefitError):
        services.start_from_dibao_decision(decision)


def test_the_command_creates_benefits_for_approved_decisions_without_one(decision):
    out = StringIO()
    call_command("benefits_from_decisions", stdout=out)
    call_command("benefits_from_decisions", stdout=out)
    assert Benefit.objects.count() == 1 and "1 户" in out.getvalue() and "0 户" in out.getvalue()


def test_the_daily_job_is_in_the_django_q_schedule(db):
    from django_q.models import Schedule

    s = Schedule.objects.get(name="benefits.daily")
    assert (s.func, s.schedule_type) == ("doudi.benefits.jobs.daily", Schedule.DAILY)


def test_the_daily_command_runs_the_job_for_a_date(huining_benefit):
    out = StringIO()
    call_command("benefits_daily", "--date", "2026-06-10", stdout=out)
    assert "新建定期复核 1 件" in out.getvalue()


def test_the_demo_hook_creates_the_benefits_and_the_schedule(decision):
    from doudi.benefits.demo import populate

    assert "待遇 1 户" in populate() and "情况变化复核 0 件" in populate()
