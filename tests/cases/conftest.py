"""The cases tests share the web tests' cast (tests/web/conftest.py) and add a walked case."""

from __future__ import annotations

import datetime as dt

import pytest
from web.conftest import *  # noqa: F401,F403 - the cast of users per role and area, household factories
from web.conftest import AUTHORISATION

from doudi.cases import services as s

# A Monday with no holiday around it: 2026-11-02.
DAY = dt.date(2026, 11, 2)


def _issue(officer, case_id, on):
    """The officer runs the verification request and issues the report (the case's 核对结果)."""
    from doudi.verification import services as v
    from doudi.verification.models import VerificationRequest

    req = VerificationRequest.objects.get(case_id=case_id, recheck_of__isnull=True)
    v.run(officer, req.pk, on=on)
    v.issue(officer, req.pk, on=on)


@pytest.fixture
def walk(huining_caseworker, huining_caseworker_2, huining_reviewer, huining_verifier, huining_approver):
    """walk(household, until=State) moves a fresh case through the procedure up to `until` (state name)."""

    def go(household, until: str = "at_county", day: dt.date = DAY, kin: bool = False):
        case = s.submit_application(huining_caseworker, household.pk, on=day, kin=kin)
        steps = [
            ("accepted", lambda: s.accept(huining_caseworker, case.pk, on=day)),
            ("investigated", lambda: s.investigate(
                huining_caseworker, case.pk, investigators=[huining_caseworker.pk, huining_caseworker_2.pk],
                visited_on=day + dt.timedelta(days=1), findings="家中无稳定收入", signed_by_investigators=True,
                signed_by_family=True, authorisation=True, on=day + dt.timedelta(days=1))),
            ("verifying", lambda: s.request_verification(huining_caseworker, case.pk, authorisation=AUTHORISATION,
                                                         on=day + dt.timedelta(days=1))),
            ("verified", lambda: _issue(huining_verifier, case.pk, day + dt.timedelta(days=2))),
            ("in_notice", lambda: s.propose(huining_reviewer, case.pk, recommend=True, opinion="符合条件",
                                            on=day + dt.timedelta(days=3))),
            ("at_county", lambda: s.close_notice(huining_caseworker, case.pk, on=day + dt.timedelta(days=10))),
        ]
        for state, step in steps:
            if until == "submitted":
                break
            step()
            if state == until:
                break
        case.refresh_from_db()
        return case

    return go


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The cast's 17 users are hashed with PBKDF2 otherwise: seconds per test on two shared cores."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

