"""Two submits of one urgent help open one case (issue 16 item 6): same household or person, kind,
amount and day → the second is refused, naming the first case, and nothing is written."""

import pytest

from doudi.relief.models import ReliefCase
from doudi.relief.procedure import ProcedureError

from .conftest import DAY

pytestmark = pytest.mark.django_db


def test_a_second_identical_urgent_help_is_refused(urgent, calendar):
    first = urgent()
    with pytest.raises(ProcedureError) as e:
        urgent()
    assert first.number in e.value.message and e.value.field == "amount"
    assert ReliefCase.objects.count() == 1


def test_another_amount_or_another_day_is_another_case(urgent, calendar):
    import datetime as dt

    urgent()
    urgent(amount="2000")
    urgent(on=DAY + dt.timedelta(days=1))
    assert ReliefCase.objects.count() == 3


def test_two_posts_of_the_api_give_one_case(client_for, huining_caseworker, huining_household, calendar):
    c = client_for(huining_caseworker)
    body = {"household_id": huining_household.pk, "kind": "fire", "description": "住房失火",
            "simplified_check": "电话核实", "amount": "3000", "reasoning": "无处安身"}
    codes = [c.post("/api/v1/relief-cases/urgent/", body, content_type="application/json").status_code
             for _ in range(2)]
    assert ReliefCase.objects.count() == 1, codes
    assert codes[0] == 201 and codes[1] == 400
