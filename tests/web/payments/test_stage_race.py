"""On PostgreSQL: the finance worklist's old tick of a staged temporary grant (relief.pay_stage, by
hand) against a roll build that takes the same stage (NAT-TA-FIRST, PR-8), in two real sessions at
once: exactly one of them pays the stage.

The urgent fire case of tests/web/relief/conftest.py, approved on 2026-03-02 with two stages,
1000.00 + 2000.00; stage 1 is due at once, stage 2 waits for the paperwork. So March's roll can take
stage 1 (100000 fen) and the tick can pay stage 1 (100000 fen): the winner pays 100000 fen, the other
nothing. The protection is the benefit's row lock (the build locks the one-off benefits it reads; the
tick locks the benefit before recording the payment and then asks payments whether the stage is on a
roll).
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from concurrency_kit import at_once, pg_only, race

from doudi.benefits.models import Benefit, ChangeKind
from doudi.payments import services as s
from doudi.payments.models import Line, Roll
from doudi.relief import services as r
from doudi.relief.procedure import ProcedureError

from ..relief.conftest import urgent  # noqa: F401  (the urgent fire case)

D = dt.date
DAY, MAR, HUINING = D(2026, 3, 2), D(2026, 3, 1), "620422"


@pytest.fixture
def approved(urgent, huining_approver):  # noqa: F811 (the imported fixture)
    case = urgent(amount="3000", stages=["1000", "2000"])
    r.approve(huining_approver, case.pk, on=DAY)
    return case


def payments_of_stage_1(case) -> tuple[list[int], list[int]]:
    """(the amounts of stage 1 paid by hand, the amounts of stage 1 on rolls), in fen."""
    benefit = Benefit.objects.get(program="temporary")
    by_hand = [c.figures["paid_fen"] for c in benefit.changes.filter(kind=ChangeKind.PAYMENT)
               if c.figures.get("stage") == 1 and not c.source.startswith("payments.roll#")]
    on_rolls = list(Line.objects.filter(benefit=benefit, stage=1).values_list("amount_fen", flat=True))
    return by_hand, on_rolls


def assert_paid_once(case, tick, build) -> None:
    by_hand, on_rolls = payments_of_stage_1(case)
    assert by_hand + on_rolls == [100000], (by_hand, on_rolls, tick, build)  # 1000.00 once, by one of them
    assert build[0] == "ok", build  # the build never fails: without the stage it is a roll of nothing
    case.refresh_from_db()
    stage = case.stages.get(seq=1)
    if by_hand:  # the tick won: the roll has no line of the stage
        assert tick[0] == "ok" and stage.paid_on == DAY, (tick, stage.paid_on)
        assert Roll.objects.get().total_fen == 0
    else:  # the build won: the tick was refused and changed nothing
        assert tick[0] == "error" and isinstance(tick[1], ProcedureError), tick
        assert "已列入" in tick[1].message and stage.paid_on is None
        assert Roll.objects.get().total_fen == 100000


@pg_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_a_tick_and_a_build_at_once_pay_the_stage_once(attempt, approved, huining_household, account_for,
                                                       huining_finance, huining_finance_2):
    account_for(huining_household, 1)
    tick, build = race(lambda: r.pay_stage(huining_finance, approved.pk, paid_on=DAY, on=D(2026, 3, 5)),
                       lambda: s.build_roll(huining_finance_2, HUINING, MAR))
    assert_paid_once(approved, tick, build)


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_tick_while_the_build_holds_the_stage_is_refused(approved, huining_household, account_for,
                                                           huining_finance, huining_finance_2, monkeypatch):
    """The build pauses 2 s after writing its lines, before it commits (DOUDI_PAYMENTS_PAUSE, the kill
    test's pause); the tick comes 0.5 s into the build, waits for the benefit's lock, then sees the
    stage on the roll."""
    account_for(huining_household, 1)
    monkeypatch.setenv("DOUDI_PAYMENTS_PAUSE", "2")

    def late_tick():
        time.sleep(0.5)
        return r.pay_stage(huining_finance, approved.pk, paid_on=DAY, on=D(2026, 3, 5))

    build, tick = at_once(lambda: s.build_roll(huining_finance_2, HUINING, MAR), late_tick, wait=10)
    tick = ("error", tick) if isinstance(tick, Exception) else ("ok", tick)
    build = ("error", build) if isinstance(build, Exception) else ("ok", build)
    assert_paid_once(approved, tick, build)
    assert tick[0] == "error"  # here the build took the stage


@pg_only
@pytest.mark.django_db(transaction=True)
def test_a_build_after_a_tick_leaves_the_stage_out(approved, huining_household, account_for, huining_finance,
                                                   huining_finance_2):
    """The other order: the tick's transaction commits first, so the build that follows (waiting on the
    benefit's lock or not) reads the hand payment and puts no stage 1 on the roll."""
    account_for(huining_household, 1)

    def late_build():
        time.sleep(0.5)
        return s.build_roll(huining_finance_2, HUINING, MAR)

    tick, build = at_once(lambda: r.pay_stage(huining_finance, approved.pk, paid_on=DAY, on=D(2026, 3, 5)),
                          late_build, wait=10)
    tick = ("error", tick) if isinstance(tick, Exception) else ("ok", tick)
    build = ("error", build) if isinstance(build, Exception) else ("ok", build)
    assert_paid_once(approved, tick, build)
    assert tick[0] == "ok"
