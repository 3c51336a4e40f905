"""Who belongs to which assisted group, read from earlier programs' results.

The later programs (education, housing, employment, disability, children, price subsidy)
grant their benefits to 低保 recipients, 特困 people, orphans and so on. They read those
groups here, from `done`, so that a program not yet decided (or still a stub) simply counts
as "nobody covered".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from doudi.policy.household import Households
from doudi.policy.params import Params
from doudi.policy.wording import PLACEHOLDER_NOTE


def covered(done: dict, program: str, hh: Households, key: str = "covered") -> np.ndarray:
    """Person mask of a program's recipients (`persons[key]`); all False when not decided."""
    r = done.get(program)
    col = None if r is None else r.persons.get(key)
    if col is None or len(col) != hh.n_persons:
        return np.zeros(hh.n_persons, bool)
    return np.asarray(col, dtype=bool)


def person_share(done: dict, program: str, hh: Households) -> np.ndarray:
    """Each recipient's share of a household amount (fen, half-up): amount ÷ recipients.

    低保 is paid per household (按户施保); a member's share is the household's amount
    divided by the members it covers. Persons not covered get 0.
    """
    who = covered(done, program, hh)
    r = done.get(program)
    if r is None or not who.any():
        return np.zeros(hh.n_persons, np.int64)
    k = np.maximum(hh.count_members(who), 1)
    amount = np.asarray(r.amount, dtype=np.int64)
    share = (2 * amount + k) // (2 * k)  # half-up, amounts are never negative
    return np.where(who, hh.per_person(share), 0)


def source(p: Params, name: str) -> Callable[[int], str | None]:
    """Trace source: the clause the parameter's value in force comes from."""
    return lambda i: p.entry(name, i).source or None


def placeholder_mark(p: Params, name: str, i: int) -> str:
    return PLACEHOLDER_NOTE if p.entry(name, i).placeholder else ""


def under(hh: Households, years: int) -> np.ndarray:
    """Person mask: age known and below `years`."""
    return (hh.age >= 0) & (hh.age < years)
