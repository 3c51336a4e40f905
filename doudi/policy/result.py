"""What a program decides for a batch of households, as columns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class ProgramResult:
    """One program over a batch.

    applies: the household's data has this program's inputs (it appears in the decision);
    eligible / amount (int64 fen, rounded once) per household; period: month | year | once.
    persons: person-level columns other programs read (e.g. "covered": who is a recipient).
    extra: household-level columns shown in the decision beside eligible and amount.
    """

    program: str
    period: str
    applies: np.ndarray
    eligible: np.ndarray
    amount: np.ndarray
    persons: dict[str, np.ndarray] = field(default_factory=dict)
    extra: dict[str, np.ndarray] = field(default_factory=dict)
    money: tuple[str, ...] = ()  # keys of `extra` that hold fen (printed as yuan)

    @classmethod
    def empty(cls, program: str, period: str, n: int, n_persons: int = 0) -> ProgramResult:
        return cls(program, period, np.zeros(n, bool), np.zeros(n, bool), np.zeros(n, np.int64),
                   {"covered": np.zeros(n_persons, bool)})
