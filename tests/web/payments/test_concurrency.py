"""On PostgreSQL: two finance users releasing at once release once; two builds at once make one roll;
a build killed half-way leaves nothing (one transaction)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from concurrency_kit import pg_only, race
from django.db import connection

from doudi.payments import services as s
from doudi.payments.banks import PaymentError
from doudi.payments.models import Line, Payment, Roll

JAN = dt.date(2027, 1, 1)


@pytest.fixture
def third_finance(db, cast):
    from doudi.accounts.models import RoleAssignment, User

    user = User.objects.create_user(username="huining_finance_3", password="x", full_name="孙财务")
    RoleAssignment.objects.create(user=user, role="finance_officer", area="620422")
    return user


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_releases_at_once_release_once(huining_household, start, account_for, huining_finance,
                                           huining_finance_2, third_finance):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    s.review_roll(huining_finance, roll.pk)
    results = race(lambda: s.release_roll(huining_finance_2, roll.pk), lambda: s.release_roll(third_finance, roll.pk))
    assert sorted(r[0] for r in results) == ["error", "ok"], results
    assert isinstance(next(r[1] for r in results if r[0] == "error"), PaymentError)
    from doudi.accounts.models import AuditEntry

    assert AuditEntry.objects.filter(action="roll.release").count() == 1


@pg_only
@pytest.mark.django_db(transaction=True)
def test_two_builds_at_once_make_one_roll(huining_household, start, account_for, huining_finance, huining_finance_2):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    results = race(lambda: s.build_roll(huining_finance, "620422", JAN),
                   lambda: s.build_roll(huining_finance_2, "620422", JAN))
    assert Roll.objects.count() == 1 and Line.objects.count() == 1 and Payment.objects.count() == 1, results


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_build_killed_half_way_leaves_nothing(huining_household, start, account_for):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    url = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    env = {**os.environ, "DOUDI_DB": "postgres", "DOUDI_PG_URL": f"{url}/{connection.settings_dict['NAME']}",
           "DOUDI_PAYMENTS_PAUSE": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "doudi.cli", "payments", "roll", "--county", "620422",
                             "--month", "2027-01"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()  # "paused after 1 lines": the lines are written, not committed
        assert line.startswith("paused after"), (line, proc.stderr.read() if proc.poll() is not None else "")
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    time.sleep(0.5)
    assert not Roll.objects.exists() and not Line.objects.exists()
    # and the next run builds the whole roll
    roll = s.build_roll(None, "620422", JAN)
    assert roll.total_fen == 150000 and roll.payments_count == 1
