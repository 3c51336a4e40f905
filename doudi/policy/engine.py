"""Deciding every program for a batch of households: the one code path of doudi.

`decide(hh, ...)` runs the program modules in order over columns; `assess(doc)` is the same
for one household document, with a trace, and returns a Decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from doudi.policy import regions
from doudi.policy.errors import InputError
from doudi.policy.household import Households, from_documents
from doudi.policy.params import Params, Policy, default_policy
from doudi.policy.result import ProgramResult
from doudi.policy.rules import PROGRAMS
from doudi.policy.trace import Trace


def documents_for(policy: Policy, hh: Households):
    """Per household: the short names of the documents in force for its region and residence
    (for sources; huining-2022 governs urban households only)."""
    cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def docs(i: int) -> tuple[str, ...]:
        key = (str(int(hh.h("region")[i])), ("urban", "rural")[int(hh.h("residence")[i])])
        if key not in cache:
            cache[key] = tuple(d for lv in policy.chain(key[0]) for d in lv.documents_for(key[1]))
        return cache[key]

    return docs


def decide(hh: Households, policy: Policy | None = None, overrides: Mapping[str, Any] | None = None,
           traced: tuple[int, ...] = (), programs: Sequence[str] | None = None,
           ) -> tuple[dict[str, ProgramResult], Params, Trace]:
    """Every program for every household of the batch. Overrides must already be parsed.

    With `programs`, only the modules up to the last one that decides a named program run: a
    program reads the results of those before it (rules/__init__.py), never of those after."""
    policy = policy or default_policy()
    p = Params(policy, hh, overrides)
    why = Trace(traced, documents_for(policy, hh))
    done: dict[str, ProgramResult] = {}
    for module in modules_for(programs):
        result = module.decide(hh, p, why, done)
        for r in result if isinstance(result, (list, tuple)) else (result,):
            done[r.program] = r
    return done, p, why


def program_names() -> list[str]:
    """Every program's name in decision order (a module may decide several: family_planning)."""
    return [name for module in PROGRAMS for name in getattr(module, "PROGRAMS", (module.PROGRAM,))]


def modules_for(programs: Sequence[str] | None) -> tuple:
    """The program modules to run so that every named program is decided (InputError for an
    unknown name)."""
    if programs is None:
        return PROGRAMS
    names = program_names()
    unknown = [x for x in programs if x not in names]
    if unknown:
        raise InputError("--program", "one of " + ", ".join(names), unknown[0])
    last = 0
    for k, module in enumerate(PROGRAMS):
        if set(getattr(module, "PROGRAMS", (module.PROGRAM,))) & set(programs):
            last = k
    return PROGRAMS[:last + 1]


def merge_overrides(policy: Policy, doc_overrides: Mapping[str, Any] | None,
                    sets: Mapping[str, Any] | None) -> dict[str, Any]:
    """The document's `overrides`, then `--set` on top; each name and value checked."""
    merged: dict[str, Any] = {}
    for where, given in (("overrides", doc_overrides or {}), ("--set", sets or {})):
        for name, raw in given.items():
            try:
                merged.update(policy.parse_overrides({name: raw}))
            except ValueError as exc:
                raise InputError(f"{where}.{name}" if where == "overrides" else f"--set {name}",
                                 "a known parameter with a valid value", str(exc)) from None
    return merged


def assess(doc: Mapping[str, Any], *, date: str | None = None, region: str | None = None,
           sets: Mapping[str, Any] | None = None, today: dt.date | None = None,
           policy: Policy | None = None):
    """Decide one household document; returns a Decision (see decision.py)."""
    from doudi.policy.decision import Decision

    policy = policy or default_policy()
    hh = from_documents([doc], today=today, date=date, region=region)
    overrides = merge_overrides(policy, doc.get("overrides"), sets)
    done, p, why = decide(hh, policy, overrides, traced=(0,))
    county = str(int(hh.h("region")[0]))
    chain = policy.chain(county)
    return Decision.build(hh, done, p, why, chain, regions.name(county))


def assess_many(docs: Sequence[Mapping[str, Any]], *, date: str | None = None,
                sets: Mapping[str, Any] | None = None, today: dt.date | None = None,
                policy: Policy | None = None, traced: bool = False) -> list:
    """Decide many household documents in one vectorised `decide` call; one Decision each, in
    order (with traces only when `traced`). An InputError names `households[k].<path>`; a
    document's own `overrides` are refused (one set of overrides, `sets`, for the whole batch)."""
    from doudi.policy.decision import Decision

    policy = policy or default_policy()
    for k, doc in enumerate(docs):
        if isinstance(doc, Mapping) and doc.get("overrides"):
            raise InputError(f"households[{k}].overrides", "no overrides per household in a batch (give sets)")
    try:
        hh = from_documents(list(docs), today=today, date=date)
    except InputError:
        for k, doc in enumerate(docs):  # the error path only: find the household at fault
            try:
                from_documents([doc], today=today, date=date)
            except InputError as exc:
                raise InputError(f"households[{k}].{exc.where}".replace(".$", ""), exc.expected, exc.got) from None
        raise
    overrides = merge_overrides(policy, None, sets)
    n = hh.n
    done, _, why = decide(hh, policy, overrides, traced=tuple(range(n)) if traced else ())
    return Decision.build_many(hh, done, why, lambda county: (policy.chain(county), regions.name(county)),
                               traced=traced)
