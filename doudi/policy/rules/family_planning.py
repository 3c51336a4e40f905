"""Program module: family_planning (to be written)."""

from __future__ import annotations

from doudi.policy.result import ProgramResult

PROGRAM = "family_planning"
PERIOD = "month"


def decide(hh, p, why, done) -> ProgramResult:
    return ProgramResult.empty(PROGRAM, PERIOD, hh.n, hh.n_persons)
