"""Reading population files (IN of `doudi batch`, docs/batch.md) into Arrow tables.

Kept apart from doudi.batch.io, and importing no more than pyarrow and the field list
(doudi.policy.schema), so that `doudi batch assess` can start reading the file while the policy
core is still being imported (the read releases the GIL; the imports hold it).
"""

from __future__ import annotations

import csv as pycsv
import functools
import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from doudi.policy.errors import InputError
from doudi.policy.schema import BY_COLUMN

# --- reading files ------------------------------------------------------------------------------

def is_csv(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(".csv")


def read_table(path: str | os.PathLike, columns: list[str] | None = None) -> pa.Table:
    """Read IN: CSV (every column as text) when the name ends in .csv, else Parquet."""
    source = str(path)
    if not Path(path).is_file():
        raise InputError("$", "an existing population file (Parquet, or CSV by extension)", source=source)
    try:
        if is_csv(path):
            return _read_csv(path, columns)
        return _read_parquet(path, columns)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError, UnicodeDecodeError) as exc:
        kind = "a readable CSV file (UTF-8, with a header row)" if is_csv(path) else "a readable Parquet file"
        raise InputError("$", kind, _first_line(exc), source=source) from None


# Fields whose text columns hold few distinct values (codes, dates, counts, flags, regions): read
# dictionary-encoded, so that each distinct value is parsed once and rows are gathered by index.
# Money, ID numbers, free text and household ids stay plain (nearly every value distinct).
DICTIONARY_KINDS = frozenset({"enum", "date", "region", "flag", "count"})


def _dictionary_columns(columns: list[tuple[str, pa.DataType | None]]) -> list[str]:
    """The text columns (type None: every CSV column, read as text) of fields in DICTIONARY_KINDS."""
    out = []
    for name, type_ in columns:
        f = BY_COLUMN.get(name)
        if f is not None and f.kind in DICTIONARY_KINDS and (type_ is None or _is_text(type_)):
            out.append(name)
    return out


def _read_parquet(path: str | os.PathLike, columns: list[str] | None) -> pa.Table:
    """A Parquet IN; code-like text columns dictionary-encoded, and those the file's own
    statistics show to hold one value on every row not decoded at all (`_constant_columns`)."""
    meta = pq.read_metadata(path)
    schema = meta.schema.to_arrow_schema()
    wanted = _dictionary_columns([(f.name, f.type) for f in schema])
    names = schema.names if columns is None else columns
    if len(set(schema.names)) != len(schema.names):  # refused by check_columns, with its message
        return pq.read_table(path, columns=columns, read_dictionary=wanted or None)
    constant = _constant_columns(meta, [n for n in wanted if n in names])
    rest = [n for n in names if n not in constant]
    # Row group by row group through ParquetFile, not pq.read_table: the latter goes through
    # pyarrow.dataset, whose import alone costs a batch run 20-30 ms. A chunk per row group is kept
    # as it is read: ParquetFile.read would copy them into one array per column (a third more
    # memory to fault in, and its system time, for 2.5 M persons).
    with pq.ParquetFile(path, metadata=meta, read_dictionary=[n for n in wanted if n in rest] or None) as file:
        if file.num_row_groups < 2:
            table = file.read(columns=rest)
        else:
            table = pa.concat_tables([file.read_row_group(g, columns=rest) for g in range(file.num_row_groups)])
    if not constant:
        return table
    arrays = [_one_word_column(constant[n], meta.num_rows) if n in constant else table.column(n) for n in names]
    return pa.Table.from_arrays(arrays, names=names)


def _constant_columns(meta: pq.FileMetaData, names: list[str]) -> dict[str, str]:
    """The text columns among `names` whose statistics show one value on every row of every row
    group (min = max, no null), with that value: each is built as a one-word dictionary column instead of decoding
    millions of equal texts (a county's export repeats its region code, date and residence on every
    row). Statistics are bounds (a writer that truncates them writes a smaller min or a larger max),
    so min = max with no null is only ever written for a column of one value."""
    if meta.num_row_groups == 0:
        return {}
    at = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    out = {}
    for name in names:
        i = at.get(name)
        if i is None:
            continue
        values = set()
        for g in range(meta.num_row_groups):
            chunk = meta.row_group(g).column(i)
            stats = chunk.statistics
            if (stats is None or not stats.has_min_max or stats.null_count != 0
                    or chunk.num_values != meta.row_group(g).num_rows or stats.min != stats.max):
                break
            values.add(stats.min)
        else:
            if len(values) == 1 and isinstance(word := next(iter(values)), str):
                out[name] = word
    return out


def _one_word_column(word: str, n: int) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(_zero_indices(n), pa.array([word], pa.string()))


@functools.lru_cache(maxsize=1)
def _zero_indices(n: int) -> pa.Array:
    """n zeros as dictionary indices, one buffer for every one-word column of a file (immutable)."""
    return pa.array(np.zeros(n, np.int32))


def _read_csv_header(path: str | os.PathLike) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as fh:  # Excel writes a BOM
        return next(pycsv.reader(fh), [])


def csv_convert_options(header: list[str], columns: list[str] | None = None, *,
                        dictionary: bool = False, as_text: frozenset[str] = frozenset()) -> pacsv.ConvertOptions:
    """Every CSV column read as text (checked like JSON strings); empty cells are absent. With
    ``dictionary``, the columns of DICTIONARY_KINDS are read dictionary-encoded, but those named
    in ``as_text``."""
    coded = set(_dictionary_columns([(name, None) for name in header])) - as_text if dictionary else set()
    types = {name: pa.dictionary(pa.int32(), pa.string()) if name in coded else pa.string() for name in header}
    return pacsv.ConvertOptions(column_types=types, strings_can_be_null=True, null_values=[""],
                                include_columns=columns)


# Blocks of 2 MiB (pyarrow's own default is 1 MiB): a 103 MB file of 1,000,000 households decided in 0.85 s
# with 510 MB at the peak, against 0.96 s and 660 MB with the 16 MiB blocks used before (benchmarks/RESULTS.md).
# A row longer than a block is still read whole (pyarrow lets it straddle blocks).
CSV_BLOCK = 2 << 20


def _read_csv(path: str | os.PathLike, columns: list[str] | None) -> pa.Table:
    header = _read_csv_header(path)
    repeated = frozenset(_household_codes(header))
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=CSV_BLOCK),
                           convert_options=csv_convert_options(header, columns, dictionary=True, as_text=repeated))
    for name in repeated & set(table.column_names):
        table = table.set_column(table.column_names.index(name), name, _words(table.column(name)))
    return table


def _household_codes(header: list[str]) -> list[str]:
    """The household fields among the CSV's code-like columns (DICTIONARY_KINDS): repeated on every
    member's row, and in a county's export often the same on every row of the file (its region,
    residence, date). Such a column is read as text and then made a dictionary (`_words`):
    Arrow's dictionary conversion in the read hashed every cell of three such columns at a
    fifth of the CSV read's CPU, where comparing each cell with the first costs a twentieth."""
    return [name for name in _dictionary_columns([(name, None) for name in header])
            if BY_COLUMN[name].level == "household"]


def _words(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """A text column as a dictionary column: one word and a zero index for every row when every
    cell holds the same text (`_one_word_column`, as for a Parquet column of one value), else
    each chunk dictionary-encoded as the read would have."""
    import pyarrow.compute as pc  # not before the read starts: pyarrow.parquet does not need it

    chunks = [c for c in column.chunks if len(c)]
    if chunks and column.null_count == 0:
        first = chunks[0][0]
        if all(pc.all(pc.equal(c, first)).as_py() for c in chunks):
            return pa.chunked_array([_one_word_column(first.as_py(), len(column))])
    return pa.chunked_array([pc.dictionary_encode(c) for c in column.chunks],
                            type=pa.dictionary(pa.int32(), pa.string()))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)
