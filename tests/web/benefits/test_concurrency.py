"""A benefit step taken twice at once takes effect once: two sessions on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from concurrency_kit import pg_only, race

from doudi.benefits import services
from doudi.benefits.models import BenefitChange, Recovery
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
