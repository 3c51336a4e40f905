"""A benefit step taken twice at once takes effect once: two sessions on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from concurrency_kit import pg_only, race

from doudi.benefits import services
from doudi.benefits.models import Benefit, BenefitChange, Recovery
from doudi.benefits.reckon import BenefitError

D = dt.date
@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_approvers_deciding_one_review_at_once_decide_it_once(huining_benefit, huining_caseworker,
                                                                 huining_approver, huining_approver_2):
    report = services.report_change(huining_caseworker, huining_benefit.pk, kind="income", occurred_on=D(2026, 3, 1),
                                    person_id=huining_benefit.household.head.pk,
                                    member_facts={"monthly_income": {"wages": 300}}, description="工资下降",
                                    on=D(2026, 3, 2))
    review = report.reviews.get()
    results = race(
        lambda: services.decide_review(huining_approver, review.pk, reasons="一", on=D(2026, 3, 10)),
        lambda: services.decide_review(huining_approver_2, review.pk, reasons="二", on=D(2026, 3, 10)))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert isinstance(next(r[1] for r in results if r[0] == "error"), BenefitError)
    assert BenefitChange.objects.filter(kind="amount").count() == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_recovery_submitted_twice_at_once_is_decided_once(huining_benefit, huining_approver, huining_approver_2):
    def recover(user):
        return lambda: services.recover_fraud(user, huining_benefit.pk, first_month=D(2026, 1, 1),
                                              last_month=D(2026, 1, 1), fine_multiple="1", reasons="虚报",
                                              on=D(2026, 2, 3))

    results = race(recover(huining_approver), recover(huining_approver_2))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert Recovery.objects.count() == 1 and BenefitChange.objects.filter(kind="fraud").count() == 1


@pytest.mark.django_db
def test_a_second_recovery_of_the_same_months_is_refused(huining_benefit, huining_approver):
    kw = {"first_month": D(2026, 1, 1), "last_month": D(2026, 1, 1), "fine_multiple": "1", "reasons": "虚报",
          "on": D(2026, 2, 3)}
    services.recover_fraud(huining_approver, huining_benefit.pk, **kw)
    with pytest.raises(BenefitError) as e:
        services.recover_fraud(huining_approver, huining_benefit.pk, **kw)
    assert e.value.field == "first_month"


def _siblings(make_household):
    """Two 特困 persons of one household (tests/web/support/test_per_person_benefits.py)."""
    hh = make_household("620422100201", "urban", [("王大爷", "self", D(1950, 5, 6), "M", {}),
                                                  ("王大娘", "sibling", D(1953, 9, 1), "F", {})],
                        facts={"legal_supporters": "none"})
    return hh, [m.person for m in hh.memberships.order_by("id")]


def _start_tekun(hh, person, ref):
    return lambda: services.start_benefit(None, household=hh, person=person, program="tekun", amount_fen=126000,
                                          start_month=D(2026, 4, 1), decision_ref=("support", "decision", ref),
                                          on=D(2026, 3, 11))


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_persons_of_one_household_started_at_once_both_get_their_benefit(make_household):
    hh, (brother, sister) = _siblings(make_household)
    results = race(_start_tekun(hh, brother, 1), _start_tekun(hh, sister, 2))
    assert [r[0] for r in results] == ["ok", "ok"], results
    assert sorted(Benefit.objects.filter(household=hh, status="active").values_list("person__name", flat=True)) == [
        "王大娘", "王大爷"]


@pg_only
@pytest.mark.django_db(transaction=True)
def test_one_person_started_twice_at_once_by_two_decisions_gets_one_benefit(make_household):
    hh, (brother, _) = _siblings(make_household)
    results = race(_start_tekun(hh, brother, 1), _start_tekun(hh, brother, 2))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    error = next(r[1] for r in results if r[0] == "error")
    assert isinstance(error, BenefitError) and error.field == "person" and "王大爷" in error.message
    assert Benefit.objects.filter(person=brother, status="active").count() == 1
