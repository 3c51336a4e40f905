"""A population file read in ranges of whole households, for scans that stream a province.

`household_ranges(path, rows)` cuts a Parquet population file (each household's rows contiguous,
as `doudi synth` and the exports write them) into ranges of about `rows` rows that begin and end
at a household's first row — at the file's row groups where it can, so that a range reads only its
own row groups. Each range carries the index of its first household, so a range decided alone
(one thread, one Dask task) numbers its households as the whole file does. `read_range` reads one
range (only the row groups it overlaps).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from doudi.batch.io import ID_COLUMN
from doudi.policy.errors import InputError


@dataclass(frozen=True)
class Range:
    lo: int  # first row (0-based)
    hi: int  # one past the last row
    household: int  # index of the range's first household in the file
    households: int  # households in the range


def household_starts(path: str | os.PathLike) -> np.ndarray:
    """The first row of each household, then the number of rows (InputError when a household's
    rows are not contiguous: a streaming scan would see it twice)."""
    ids = pq.ParquetFile(path).read(columns=[ID_COLUMN]).column(ID_COLUMN)
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    if pa.types.is_dictionary(ids.type):
        ids = ids.cast(ids.type.value_type)
    n = len(ids)
    if n == 0:
        return np.zeros(1, np.int64)
    change = pc.not_equal(ids.slice(1), ids.slice(0, n - 1)).to_numpy(zero_copy_only=False)
    starts = np.flatnonzero(np.concatenate([[True], change])).astype(np.int64)
    if len(starts) != pc.count_distinct(ids).as_py():
        raise InputError(f"column {ID_COLUMN}", "each household's rows together (sort the file by household_id)",
                         source=str(path))
    return np.append(starts, n)


def household_ranges(path: str | os.PathLike, rows: int = 700_000) -> list[Range]:
    """Ranges of whole households of about `rows` rows, cut at row groups where possible."""
    starts = household_starts(path)
    total = int(starts[-1])
    if total == 0:
        return []
    md = pq.ParquetFile(path).metadata
    group_starts = np.cumsum([0] + [md.row_group(i).num_rows for i in range(md.num_row_groups)])[:-1]
    cuts = {0}
    for g_lo, g_hi in zip(group_starts, [*group_starts[1:], total], strict=True):
        for at in range(int(g_lo), int(g_hi), max(rows, 1)):
            cuts.add(int(starts[np.searchsorted(starts, at)]))  # the first household starting at or after
    cuts = sorted(c for c in cuts if c < total) + [total]
    first = np.searchsorted(starts, cuts)
    return [Range(int(a), int(b), int(h), int(k - h))
            for a, b, h, k in zip(cuts[:-1], cuts[1:], first[:-1], first[1:], strict=True)]


def read_range(path: str | os.PathLike, r: Range, columns: list[str] | None = None) -> pa.Table:
    """The rows of one range (reading only the row groups it overlaps)."""
    f = pq.ParquetFile(path)
    md = f.metadata
    at, groups, first = 0, [], None
    for i in range(md.num_row_groups):
        k = md.row_group(i).num_rows
        if at < r.hi and at + k > r.lo:
            groups.append(i)
            first = at if first is None else first
        at += k
    if not groups:
        return f.schema_arrow.empty_table() if columns is None else f.read(columns=columns).slice(0, 0)
    table = f.read_row_groups(groups, columns=columns)
    return table.slice(r.lo - first, r.hi - r.lo)
