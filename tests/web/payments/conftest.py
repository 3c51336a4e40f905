"""Fixtures of the payments tests: a second finance user (four eyes), benefits, confirmed accounts.

Huining's urban 低保 standard is 700.00 yuan (620422 dibao.yaml); amounts in the tests are
chosen by hand and the expected roll figures worked out from the rules in each test's comments.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.payments.banks import luhn_ok


def card(prefix: str = "622848", n: int = 1) -> str:
    """A 19-digit card number with a valid Luhn check digit (Agricultural Bank style)."""
    body = f"{prefix}{n:012d}"
    for d in range(10):
        if luhn_ok(body + str(d)):
            return body + str(d)
    raise AssertionError


@pytest.fixture
def huining_finance_2(db, cast):
    from doudi.accounts.models import RoleAssignment, User
    from web.conftest import PASSWORD

    user = User.objects.create_user(username="huining_finance_2", password=PASSWORD, full_name="钱财务")
    RoleAssignment.objects.create(user=user, role="finance_officer", area="620422")
    return user


@pytest.fixture
def start(db):
    """start(household, amount_fen, month, program="dibao", person=None, on=None) -> Benefit (the system)."""
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    def make(household, amount_fen: int, month: dt.date, program: str = "dibao", person=None, on=None):
        on = on or month - dt.timedelta(days=5)
        return start_benefit(None, household=household, program=program, amount_fen=amount_fen, start_month=month,
                             household_document=household_document(household, on), on=on, person=person)

    return make


@pytest.fixture
def account_for(huining_caseworker, huining_finance):
    """account_for(household, n, person=None, holder=None, kind="self") -> a confirmed account (two users)."""
    from doudi.payments import services as s

    def make(household, n: int, person=None, holder: str | None = None, kind: str = "self"):
        holder = holder or (person.name if person is not None else household.head.name)
        a = s.enter_account(huining_caseworker, household, bank="ABC", number=card(n=n), holder_name=holder,
                            holder_kind=kind, person=person)
        return s.confirm_account(huining_finance, a.pk)

    return make
