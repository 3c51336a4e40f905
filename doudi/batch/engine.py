"""The local batch engine: every program for every household of a population table.

The very same code path as `doudi assess`: doudi.policy.engine.decide over Households, only
with many households per call (one household is a batch of one). Households are decided in
chunks so memory stays bounded by the chunk, not the population.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pyarrow as pa

from doudi.batch import io
from doudi.policy.engine import decide, merge_overrides, modules_for
from doudi.policy.errors import InputError
from doudi.policy.params import Policy, default_policy
from doudi.policy.result import ProgramResult

CHUNK_HOUSEHOLDS = 100_000


def parse_sets(policy: Policy, sets: Mapping[str, Any] | None) -> dict[str, Any]:
    """--set NAME=VALUE pairs, checked against the parameter definitions (InputError)."""
    return merge_overrides(policy, None, sets)


def assess_table(table: pa.Table, sets: Mapping[str, Any] | None = None, *, source: str = "<table>",
                 date: str | None = None, today: dt.date | None = None, policy: Policy | None = None,
                 chunk: int = CHUNK_HOUSEHOLDS, threads: int = 1,
                 programs: Sequence[str] | None = None) -> pa.Table:
    """Decide a population table (docs/batch.md): one OUT row per household, in order of first
    appearance. `sets` are parameter overrides as `--set` gives them; `programs` limits OUT to
    the named programs (default: every program). InputError on bad input."""
    policy = policy or default_policy()
    overrides = parse_sets(policy, sets)
    modules_for(programs)  # an unknown program is reported before any work
    grouped = io.group(table, source)
    return assess_grouped(grouped, overrides, policy=policy, date=date, today=today, chunk=chunk,
                          threads=threads, programs=programs)


def decide_chunks(grouped: io.Grouped, overrides: Mapping[str, Any], *, policy: Policy,
                  date: str | None = None, today: dt.date | None = None, chunk: int = CHUNK_HOUSEHOLDS,
                  threads: int = 1, programs: Sequence[str] | None = None,
                  ) -> list[tuple[int, int, dict[str, ProgramResult]]]:
    """Households lo..hi of each chunk built and decided, on `threads` threads (numpy releases
    the GIL in the rules' array work); the results in household order."""
    return list(iter_chunks(grouped, overrides, policy=policy, date=date, today=today, chunk=chunk,
                            threads=threads, programs=programs))


def iter_chunks(grouped: io.Grouped, overrides: Mapping[str, Any], *, policy: Policy,
                date: str | None = None, today: dt.date | None = None, chunk: int = CHUNK_HOUSEHOLDS,
                threads: int = 1, programs: Sequence[str] | None = None,
                ) -> Iterator[tuple[int, int, dict[str, ProgramResult]]]:
    """As decide_chunks, each chunk's results as soon as it and those before it are decided, so
    that the caller writes one while the threads decide the next."""
    today = today or dt.date.today()
    bounds = [(lo, min(lo + chunk, grouped.n)) for lo in range(0, grouped.n, chunk)]

    def run(bound: tuple[int, int]) -> tuple[int, int, dict[str, ProgramResult]]:
        lo, hi = bound
        hh = grouped.households(lo, hi, today=today, date=date)
        try:
            done, _, _ = decide(hh, policy, overrides, programs=programs)
        except InputError as exc:
            raise _at_row(exc, grouped, lo, hi) from None
        return lo, hi, _named(done, programs)

    if threads > 1 and len(bounds) > 1:
        with ThreadPoolExecutor(threads) as pool:
            futures = [pool.submit(run, b) for b in bounds]
            try:
                for f in futures:
                    yield f.result()
            finally:  # an error (or a caller that stops) leaves no chunk waiting to run
                for f in futures:
                    f.cancel()
        return
    for b in bounds:
        yield run(b)


def assess_grouped(grouped: io.Grouped, overrides: Mapping[str, Any], *, policy: Policy,
                   date: str | None = None, today: dt.date | None = None,
                   chunk: int = CHUNK_HOUSEHOLDS, threads: int = 1,
                   programs: Sequence[str] | None = None) -> pa.Table:
    """The results of already grouped rows; overrides already parsed."""
    if grouped.n == 0:
        return empty_results(grouped.ids.type, policy, overrides, programs)
    parts = [io.results_table(grouped.ids.slice(lo, hi - lo), done)
             for lo, hi, done in decide_chunks(grouped, overrides, policy=policy, date=date, today=today,
                                               chunk=chunk, threads=threads, programs=programs)]
    return pa.concat_tables(parts)


def _named(done: dict[str, ProgramResult], programs: Sequence[str] | None) -> dict[str, ProgramResult]:
    """The results OUT shows: the named programs only (those they read were decided too)."""
    return done if programs is None else {name: r for name, r in done.items() if name in programs}


MEMBER_PATH = re.compile(r"^(?:household (?P<id>.+) )?members\[(?P<j>\d+)\]\.(?P<field>[\w.]+)$")


def _at_row(exc: InputError, grouped: io.Grouped, lo: int, hi: int) -> InputError:
    """A rule refusing a member ("household ID members[j].field") names the row and column."""
    m = MEMBER_PATH.match(exc.where)
    if m is None:
        return exc
    ids = [str(x) for x in grouped.ids.slice(lo, hi - lo).to_pylist()]
    if m["id"] is None and hi - lo == 1:
        k = 0
    elif m["id"] in ids:
        k = ids.index(m["id"])
    else:
        return exc
    j = int(m["j"])
    start, end = int(grouped.starts[lo + k]), int(grouped.starts[lo + k + 1])
    if start + j >= end:
        return exc
    return InputError(f"row {grouped.rows[start + j]}, column {m['field']}", exc.expected, exc.got,
                      source=exc.source)


def empty_results(id_type: pa.DataType, policy: Policy, overrides: Mapping[str, Any],
                  programs: Sequence[str] | None = None) -> pa.Table:
    """OUT for an empty population: the columns only (programs from a one-household dry run)."""
    probe = pa.table({io.ID_COLUMN: pa.array([0]), "household.region": ["620422"], "household.residence": ["urban"]})
    grouped = io.group(probe, "<probe>")
    done, _, _ = decide(grouped.households(), policy, overrides, programs=programs)
    done = _named(done, programs)
    table = io.results_table(pa.array(np.zeros(1, np.int64)), done).slice(0, 0)
    return table.set_column(0, io.ID_COLUMN, pa.array([], type=id_type))
