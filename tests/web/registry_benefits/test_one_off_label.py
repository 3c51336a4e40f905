"""A one-off benefit (临时救助 paid in stages) shows its approved total, not a monthly amount."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Review
from doudi.registry import services

from .test_reported_changes import start  # noqa: F401  (the start fixture)

D = dt.date


@pytest.fixture
def one_off(start, huining_household):  # noqa: F811
    """500.00 yuan of temporary assistance in two stages, 200.00 + 300.00."""
    return start(huining_household, amount_fen=50000, program="temporary", month=D(2026, 3, 1),
                 stages_fen=[20000, 30000])


def test_a_one_off_benefit_page_labels_its_amount_as_the_approved_total(one_off, huining_caseworker, client_for):
    html = client_for(huining_caseworker).get(f"/benefits/{one_off.pk}/").content.decode()
    assert "一次性救助金额（批准总额）" in html and "月保障金额" not in html and "500.00 元" in html


def test_a_monthly_benefit_page_keeps_the_monthly_label(start, huining_household, huining_caseworker,  # noqa: F811
                                                        client_for):
    benefit = start(huining_household)
    html = client_for(huining_caseworker).get(f"/benefits/{benefit.pk}/").content.decode()
    assert "月保障金额" in html and "一次性救助金额" not in html


def test_the_benefit_list_marks_a_one_off_amount(one_off, huining_caseworker, client_for):
    html = client_for(huining_caseworker).get("/benefits/list/").content.decode()
    # the shared list: the amount is a figure (exported as a number), the column beside it says what it is
    assert ('<td data-label="金额（元）" class="num">500.00</td><td data-label="发放方式">一次性（批准总额）</td>'
            in html)


def test_a_death_recorded_in_the_registry_starts_no_review_of_a_one_off_benefit(one_off, huining_caseworker):
    wife = one_off.household.memberships.get(end__isnull=True, relation="spouse")
    services.end_membership(huining_caseworker, wife, D(2026, 3, 31), reason="death", on=D(2026, 4, 2))
    assert not Review.objects.exists()
