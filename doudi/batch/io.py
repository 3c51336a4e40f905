"""Population files for `doudi batch` (docs/batch.md): read, validate, write.

IN has one row per person; household fields carry the prefix `household.` and repeat on each
member's row; `household_id` groups the rows. Every column is checked and converted column by
column with pyarrow compute and numpy (no Python loop over rows), into the stored forms the
JSON reader gives (doudi.policy.household): money int64 fen, enum int8 codes, dates
datetime64[D], … Bad values raise InputError naming the row (1-based, header not counted)
and the column. Python looks at single values only to word the message of a bad one.

OUT has one row per household: `household_id`, then `<program>.eligible` and
`<program>.amount` (decimal128(14,2) yuan in Parquet, text with 2 decimals in CSV), null
where the household's data lacks the program's inputs.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from doudi.batch.reading import (  # noqa: F401 (re-exported: read IN from here)
    CSV_BLOCK,
    DICTIONARY_KINDS,
    _constant_columns,
    _dictionary_columns,
    _first_line,
    _is_text,
    _one_word_column,
    _read_csv,
    _read_csv_header,
    _read_parquet,
    _zero_indices,
    csv_convert_options,
    is_csv,
    read_table,
)
from doudi.policy import household as _json_reader
from doudi.policy import identity, regions
from doudi.policy.errors import InputError
from doudi.policy.household import Households, constant, convert, is_constant
from doudi.policy.result import ProgramResult
from doudi.policy.schema import BY_COLUMN, FIELDS, MISSING, Field

# pyarrow converts some Python values by first trying `import dateutil` (for time zones); when
# python-dateutil is not installed the failed import is searched for on sys.path again on every
# conversion, a few per column per chunk (≈ 0.3 ms each, holding the GIL). Recording the module
# as absent makes each attempt fail at once; nothing changes where dateutil is installed.
if importlib.util.find_spec("dateutil") is None:
    sys.modules.setdefault("dateutil", None)

ID_COLUMN = "household_id"
AMOUNT_TYPE = pa.decimal128(14, 2)
# The JSON reader's bounds (an amount above 一亿元 is refused), in hundredths (fen, 0.01 m²).
MONEY_LIMIT = getattr(_json_reader, "MAX_YUAN", 10**8) * 100 + 1
AREA_LIMIT = getattr(_json_reader, "MAX_AREA_M2", 10**8) * 100 + 1
MAX_COUNT = getattr(_json_reader, "MAX_COUNT", 10**6)
DATE_MIN = np.datetime64(getattr(_json_reader, "DATE_MIN", dt.date(1880, 1, 1)), "D")
DATE_MAX = np.datetime64(getattr(_json_reader, "DATE_MAX", dt.date(2199, 12, 31)), "D")
NAT = np.datetime64("NaT", "D")


# --- grouping rows into households ---------------------------------------------------------------

class Grouped:
    """IN with each household's rows contiguous (stable: households in order of first
    appearance, members in file order).

    table: the rows, each household's together; ids: household_id of each household, in order;
    starts: int64, len n + 1, the first table row of each household, then the end; rows: int64,
    the 1-based row number in the file of each table row; person_hh: int64, the household index
    of each table row. When the file's rows were already in households (a sorted export), rows
    and person_hh are not built for the whole file: each chunk of households makes its own slice
    of them from `starts` on its thread (`households`), and the whole arrays only when asked for.
    """

    def __init__(self, table: pa.Table, rows: np.ndarray | None, person_hh: np.ndarray | None, ids: pa.Array,
                 starts: np.ndarray, source: str):
        """rows None: the file's own order; person_hh None: as `starts` says."""
        self.table, self.ids, self.starts, self.source = table, ids, starts, source
        self._rows, self._person_hh = rows, person_hh

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def rows(self) -> np.ndarray:
        if self._rows is None:
            self._rows = np.arange(1, self.table.num_rows + 1, dtype=np.int64)
        return self._rows

    @rows.setter
    def rows(self, rows: np.ndarray) -> None:
        self._rows = rows

    @property
    def person_hh(self) -> np.ndarray:
        if self._person_hh is None:
            self._person_hh = self._person_hh_of(0, self.n)
        return self._person_hh

    def _person_hh_of(self, lo: int, hi: int) -> np.ndarray:
        """The household index (lo = 0) of each table row of households lo..hi."""
        return np.repeat(np.arange(hi - lo, dtype=np.int64), np.diff(self.starts[lo:hi + 1]))

    def households(self, lo: int = 0, hi: int | None = None, *, today: dt.date | None = None,
                   date: str | None = None) -> Households:
        """Households lo..hi as columns, validated (InputError names row and column)."""
        hi = self.n if hi is None else min(hi, self.n)
        a, b = int(self.starts[lo]), int(self.starts[hi])
        chunk = self.table.slice(a, b - a)
        rows = np.arange(a + 1, b + 1, dtype=np.int64) if self._rows is None else self._rows[a:b]
        person_hh = self._person_hh_of(lo, hi) if self._person_hh is None else self._person_hh[a:b] - lo
        return to_households(chunk, person_hh, rows, self.source,
                             today=today, date=date, ids=ArrowIds(self.ids.slice(lo, hi - lo)),
                             starts=self.starts[lo:hi + 1] - a)


class ArrowIds:
    """Household ids read from an Arrow column only when an error names one (a list of a
    million ids would cost more than deciding them)."""

    def __init__(self, ids: pa.Array):
        self._ids = ids

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, i: int) -> object:
        return self._ids[int(i)].as_py()


def check_columns(table: pa.Table, source: str) -> None:
    """IN needs household_id, household.region, household.residence; no unknown column."""
    names = table.column_names
    for name in names:
        if name != ID_COLUMN and name not in BY_COLUMN:
            raise InputError(f"column {name}", "a known column (household_id, household.<field>, or a "
                             "member field; see docs/batch.md)", source=source)
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise InputError(f"column {dup}", "each column once", source=source)
    for name in (ID_COLUMN, "household.region", "household.residence"):
        if name not in names:
            raise InputError(f"column {name}", "this column (required)", source=source)


def group(table: pa.Table, source: str = "<table>") -> Grouped:
    """Check the columns, then make each household's rows contiguous (stable order)."""
    check_columns(table, source)
    column = table.column(ID_COLUMN)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if column.null_count:
        i = int(np.flatnonzero(column.is_null().to_numpy())[0])
        raise InputError(f"row {i + 1}, column {ID_COLUMN}", "a household id on every row", source=source)
    if len(column) == 0:
        return Grouped(table, np.zeros(0, np.int64), np.zeros(0, np.int64), _combined(column),
                       np.zeros(1, np.int64), source)
    # Ids written as numbers are read chunk by chunk (a file's row groups), without first copying
    # the whole column into one array.
    numbers = _id_numbers(column)
    ids = None if numbers is not None else _combined(column)
    firsts = _firsts_if_sorted(ids, numbers)
    if firsts is not None:  # ids non-decreasing: each household's rows already contiguous
        starts = np.append(firsts, len(column)).astype(np.int64)
        return Grouped(table, None, None, _take(column, firsts), starts, source)
    ids = _combined(column) if ids is None else ids
    rows = np.arange(1, len(column) + 1, dtype=np.int64)
    encoded = pc.dictionary_encode(ids)
    codes = encoded.indices.to_numpy().astype(np.int64)  # first-appearance order
    if np.any(np.diff(codes) < 0):  # some household's rows are not contiguous: sort, stably
        order = np.argsort(codes, kind="stable")
        table = table.take(pa.array(order))
        codes = codes[order]
        rows = rows[order]
    n = len(encoded.dictionary)
    counts = np.bincount(codes, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    return Grouped(table, rows, codes, encoded.dictionary, starts, source)


def _firsts_if_sorted(ids: pa.Array | None, numbers: list[np.ndarray] | None) -> np.ndarray | None:
    """For integer or text ids (no nulls) in non-decreasing order: the first row of each
    household, in the order dictionary_encode gives, without hashing. None when the ids are of
    another type or not in order. `numbers`: `_id_numbers` of the ids (integers, or texts that are
    numbers written the one way, "9", "10", … as an export writes them; `ids` is then not needed),
    None when they are not numbers."""
    if numbers is not None:
        change = _changes_in_order(numbers)
        if change is None:
            return None
    elif pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type):
        head, tail = ids.slice(0, len(ids) - 1), ids.slice(1)
        change = pc.not_equal(tail, head).to_numpy(zero_copy_only=False)
        if pc.any(pc.less(tail, head)).as_py() and not _numbers_in_order(ids, change):
            return None
    else:
        return None
    return np.flatnonzero(np.concatenate([[True], change]))


def _changes_in_order(parts: list[np.ndarray]) -> np.ndarray | None:
    """Whether each row's number differs from the row before it (one fewer than the rows), over
    the parts in turn as one column; None when a number is below the one before it."""
    out: list[np.ndarray] = []
    last = None
    for v in parts:
        if not len(v):
            continue
        if last is not None:
            if v[0] < last:
                return None
            out.append(np.array([v[0] != last]))
        if np.any(v[1:] < v[:-1]):
            return None
        out.append(v[1:] != v[:-1])
        last = v[-1]
    return np.concatenate(out) if out else np.zeros(0, bool)


def _take(column: pa.ChunkedArray | pa.Array, rows: np.ndarray) -> pa.Array:
    """column[rows] for ascending rows, taken chunk by chunk into one array (no copy of the
    whole column first)."""
    if not isinstance(column, pa.ChunkedArray):
        return column.take(pa.array(rows))
    parts, lo = [], 0
    for chunk in column.chunks:
        hi = lo + len(chunk)
        a, b = np.searchsorted(rows, [lo, hi])
        if b > a:
            parts.append(chunk.take(pa.array(rows[a:b] - lo)))
        lo = hi
    return pa.concat_arrays(parts) if parts else pa.array([], column.type)


def _id_numbers(ids: pa.ChunkedArray | pa.Array) -> list[np.ndarray] | None:
    """The ids as numbers, chunk by chunk (a file's row groups; no copy into one array): integer
    ids as they are, text ids that are all whole numbers written the one way a number is written
    (digits, no sign, no leading zero) as their numbers, so that ids compare as integers, which
    costs a fraction of comparing texts; equal numbers are then equal texts. None otherwise."""
    chunks = ids.chunks if isinstance(ids, pa.ChunkedArray) else [ids]
    if pa.types.is_integer(ids.type):
        return [chunk.to_numpy() for chunk in chunks]
    if not (pa.types.is_string(ids.type) or pa.types.is_large_string(ids.type)):
        return None
    out = []
    for chunk in chunks:
        v = _chunk_numbers(chunk)
        if v is None:
            return None
        out.append(v)
    return out


def _chunk_numbers(ids: pa.Array) -> np.ndarray | None:
    """`_id_numbers` of one array of texts."""
    if len(ids) == 0:
        return np.zeros(0, np.int64)
    try:
        v = pc.cast(ids, pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    offsets, data = _text_buffers(ids)
    first = data[offsets[:-1]]  # the cast refused empty texts
    # The cast reads a sign ("-5", "-0"; not "+5"), a leading zero ("007") and hex ("0x1F"), and
    # nothing else that is not a digit: only "0" itself may begin below "1".
    low = np.flatnonzero(first < ord("1"))
    if len(low) and not ((first[low] == ord("0")) & (offsets[low + 1] - offsets[low] == 1)).all():
        return None
    return v


def _numbers_in_order(ids: pa.Array, change: np.ndarray) -> bool:
    """Text ids that are numbers in non-decreasing order ("9", "10", …, as an export writes them),
    each number written one way only: every household's rows are then contiguous and no two
    households share an id (equal numbers are equal texts, so a change of text is a change of number)."""
    try:
        v = pc.cast(ids, pa.int64()).to_numpy()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return False
    return not np.any(v[1:] < v[:-1]) and np.array_equal(v[1:] != v[:-1], change)


def _combined(col: pa.ChunkedArray | pa.Array) -> pa.Array:
    if isinstance(col, pa.ChunkedArray):
        return col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    return col


# --- columns to stored forms ---------------------------------------------------------------------

class _Bad(Exception):
    """A column's first bad row: index into the chunk, and the expectation."""

    def __init__(self, index: int, expected: str, got: object):
        super().__init__(expected)
        self.index, self.expected, self.got = index, expected, got


def to_households(table: pa.Table, person_hh: np.ndarray, rows: np.ndarray | None = None,
                  source: str = "<table>", *, today: dt.date | None = None,
                  date: str | None = None, ids: list | None = None, starts: np.ndarray | None = None) -> Households:
    """Households from rows already grouped (person_hh non-decreasing, 0-based); `ids` name
    them in errors the rules raise (default: their index); `starts` as Grouped keeps them."""
    rows = np.arange(1, table.num_rows + 1, dtype=np.int64) if rows is None else rows
    person_hh = np.asarray(person_hh, dtype=np.int64)
    n = int(person_hh[-1]) + 1 if len(person_hh) else 0
    if starts is not None:
        first = starts[:-1]
    else:
        first = np.flatnonzero(np.diff(person_hh, prepend=-1) != 0) if len(person_hh) else np.zeros(0, np.int64)
    cols: dict[str, np.ndarray] = {}
    texts: dict[str, np.ndarray] = {}
    errors: list[InputError] = []
    present = set(table.column_names)
    for f in FIELDS:
        if f.level == "household" and f.column not in present:  # the default, once per household
            values, text = _absent(f, n)
            cols[f.column] = values
            if text is not None:
                texts[f.column] = text
            continue
        try:
            values, text, key = _field_column(f, table, rows, source)
        except InputError as exc:
            errors.append(exc)
            continue
        if f.level == "household":
            try:
                _check_agreement(f, values, text, key, person_hh, first, rows, source)
            except InputError as exc:
                errors.append(exc)
                continue
            values = values[first]
            text = None if text is None else text[first]
        else:  # a dictionary column's rows gathered now (other columns are arrays already)
            values = np.asarray(values) if isinstance(values, _Gathered) else values
            text = np.asarray(text) if isinstance(text, _Gathered) else text
        cols[f.column] = values
        if text is not None:
            texts[f.column] = text
    if not errors:
        _household_date(cols, n, today, date)
        try:
            _reconcile_identity(cols, rows, source)
            _check_disability_pair(cols, rows, source)
            _check_patient(cols, person_hh, first, rows, source)
        except InputError as exc:
            errors.append(exc)
    if errors:
        raise min(errors, key=_row_of)
    return Households(cols, person_hh, ids=ids, texts=texts, starts=starts)


def _row_of(exc: InputError) -> int:
    where = exc.where
    if where.startswith("row "):
        return int(where[4:].split(",")[0])
    return 0


def _field_column(f: Field, table: pa.Table, rows: np.ndarray,
                  source: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """One field's stored form over all rows (defaults applied), its text where kept, and for a
    dictionary-encoded column the dictionary index of each row (equal index, equal value)."""
    nrows = table.num_rows
    if f.column not in table.column_names:
        return *_absent(f, nrows), None
    arr = _combined(table.column(f.column))
    if pa.types.is_dictionary(arr.type):
        if f.kind != "id_number":
            done = _via_dictionary(f, arr, rows, source)
            if done is not None:
                return done
        arr = arr.cast(arr.type.value_type)
    arr = _blank_is_absent(arr)
    null = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else np.zeros(nrows, bool)
    _check_required(f, null, rows, source)
    try:
        values, text = READERS[f.kind](f, arr, null)
    except _Bad as bad:
        raise InputError(f"row {rows[bad.index]}, column {f.column}", bad.expected, bad.got,
                         source=source) from None
    return values, text, None


def _blank_is_absent(arr: pa.Array) -> pa.Array:
    """Text is trimmed; an empty cell is an absent value (as a CSV writes it)."""
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        if _nothing_to_trim(arr):
            return arr
        arr = pc.utf8_trim_whitespace(arr)
        empty = pc.equal(arr, "")
        if pc.any(empty).as_py():
            arr = pc.if_else(empty, pa.scalar(None, arr.type), arr)
    return arr


def _text_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """A string array's offsets (len + 1, from its own offset) and its data bytes (None when it has
    no data buffer), as numpy views: no copy."""
    _, offsets_buf, data_buf = arr.buffers()
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(offsets_buf, width, count=arr.offset + len(arr) + 1)[arr.offset:]
    return offsets, None if data_buf is None else np.frombuffer(data_buf, np.uint8)


def _nothing_to_trim(arr: pa.Array) -> bool:
    """Every text present begins and ends with a printable ASCII character other than a space
    (0x21-0x7E), so none is empty and trimming would return each unchanged: Unicode whitespace is
    ASCII or begins with a byte of 0xC2 or above, and ends in a continuation byte of 0x80 or above.
    Read off the first and last byte of each text; the trim itself copies every text (about a
    fifth of the cost of converting a column of amounts)."""
    if len(arr) == 0:
        return False
    offsets, data = _text_buffers(arr)
    if data is None:
        return False
    start, end = offsets[:-1], offsets[1:]
    if arr.null_count:
        present = arr.is_valid().to_numpy(zero_copy_only=False)
        start, end = start[present], end[present]
    if not len(start) or (end <= start).any():
        return False
    lo, span = np.uint8(0x21), np.uint8(0x7E - 0x21)  # below lo wraps round above span
    return bool((((data[start] - lo) <= span) & ((data[end - 1] - lo) <= span)).all())


def _check_required(f: Field, null: np.ndarray, rows: np.ndarray, source: str) -> None:
    if f.required and null.any():
        i = int(np.flatnonzero(null)[0])
        raise InputError(f"row {rows[i]}, column {f.column}", f"{f.doc} (required)", source=source)


def _via_dictionary(f: Field, arr: pa.DictionaryArray, rows: np.ndarray,
                    source: str) -> tuple[np.ndarray, np.ndarray | None, np.ndarray] | None:
    """A dictionary-encoded column: convert its few distinct values, then gather by index.
    None when a distinct value is bad (the caller then finds the first bad row itself)."""
    words = _blank_is_absent(arr.dictionary)
    words = pa.concat_arrays([words, pa.nulls(1, words.type)])  # the last entry stands for null
    absent = words.is_null().to_numpy(zero_copy_only=False)
    indices = arr.indices  # kept in the dictionary's own integer type: no widening of every row
    if len(arr) > 1 and len(arr.dictionary) == 1 and not indices.null_count:
        # One word on every row (a county's export repeats its region, residence and date): the
        # index as one broadcast zero, so that every row's value is a broadcast too (`_Gathered`),
        # which the rules take as one value (household.is_constant), and no row is gathered.
        index = constant(len(arr), 0, np.int8)
    else:
        if indices.null_count:
            if len(words) - 1 > np.iinfo(indices.type.to_pandas_dtype()).max:
                indices = indices.cast(pa.int64())
            indices = indices.fill_null(len(words) - 1)
        index = indices.to_numpy(zero_copy_only=False)
    if f.required:
        _check_required(f, absent[index], rows, source)
    try:
        values, text = _read_words(f, words, absent)
    except _Bad:
        return None
    return _Gathered(values, index), (None if text is None else _Gathered(text, index)), index


def _read_words(f: Field, words: pa.Array, absent: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A dictionary's distinct values converted; a small dictionary is converted once for all
    the chunks that share it (every chunk of a file, usually)."""
    if len(words) > 64:
        return READERS[f.kind](f, words, absent)
    return _read_small_words(f, tuple(words.to_pylist()), words.type)


@functools.lru_cache(maxsize=256)
def _read_small_words(f: Field, words: tuple, type_: pa.DataType) -> tuple[np.ndarray, np.ndarray | None]:
    arr = pa.array(words, type_)
    values, text = READERS[f.kind](f, arr, arr.is_null().to_numpy(zero_copy_only=False))
    values.flags.writeable = False  # shared between chunks
    if text is not None:
        text.flags.writeable = False
    return values, text


class _Gathered:
    """The values of a dictionary column per row, gathered only for the rows asked for: a
    household field needs its first row of each household, not all of them."""

    def __init__(self, per_word: np.ndarray, index: np.ndarray):
        self.per_word, self.index = per_word, index

    def __getitem__(self, rows: np.ndarray) -> np.ndarray:
        if is_constant(self.index):  # one word: the same value for whichever rows
            return constant(len(rows), self.per_word[self.index[0]], self.per_word.dtype)
        return self.per_word[self.index[rows]]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        if is_constant(self.index):
            out = constant(len(self.index), self.per_word[self.index[0]], self.per_word.dtype)
        else:
            out = self.per_word[self.index]
        return out if dtype is None else out.astype(dtype)

    def __len__(self) -> int:
        return len(self.index)


@functools.lru_cache(maxsize=1024)
def _absent(f: Field, nrows: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The default of an absent column: a read-only broadcast view of one value (no copy). The
    same views serve every chunk of the same size (they are read-only)."""
    default = f.default
    k = f.kind
    if k in ("money", "count", "area"):
        v = -1 if default is MISSING else (int(default) * 100 if k == "money" else int(default))
        return constant(nrows, v, np.int64), None
    if k == "flag":
        if default is MISSING:
            return constant(nrows, -1, np.int8), None
        return constant(nrows, bool(default), np.bool_), None
    if k == "enum":
        return constant(nrows, -1 if default is MISSING else f.vocab.index(default), np.int8), None
    if k == "date":
        return constant(nrows, NAT, "datetime64[D]"), None
    if k in ("text", "id_number"):
        return constant(nrows, None, object), (constant(nrows, None, object) if k == "text" else None)
    raise AssertionError(k)


def _first_bad(f: Field, arr: pa.Array, bad: np.ndarray, expected: str | None = None) -> None:
    """Raise _Bad for the first True of `bad`, worded by the JSON reader's `convert` when it can."""
    if not bad.any():
        return
    i = int(np.flatnonzero(bad)[0])
    raw = arr[i].as_py()
    msg = expected
    if msg is None:
        try:
            convert(f, raw)
        except ValueError as exc:
            msg = str(exc)
        else:
            msg = _generic(f)
    if f.kind == "id_number":
        raw = identity.mask_id_number(str(raw))  # security.md: never print a whole ID number
    raise _Bad(i, msg, raw.isoformat() if isinstance(raw, (dt.date, dt.datetime)) else raw)


def _generic(f: Field) -> str:
    k = f.kind
    if k == "money":
        return f"an amount in yuan from 0 to {MONEY_LIMIT // 100}, at most 2 decimals"
    if k == "count":
        lo = 0 if f.min is None else f.min
        return f"a whole number from {lo} to {f.max if f.max is not None else MAX_COUNT}"
    if k == "area":
        return "an area in m², not negative, at most 2 decimals"
    if k == "flag":
        return "true or false"
    if k == "enum":
        return "one of " + ", ".join(f.vocab)
    if k == "date":
        return f"a date as YYYY-MM-DD from {DATE_MIN} to {DATE_MAX}"
    if k == "id_number":
        return "an 18-character resident ID number (17 digits and a digit or X)"
    if k == "region":
        return "a region code that exists in GB/T 2260"
    return "text"


def _hundredths(f: Field, arr: pa.Array, null: np.ndarray) -> np.ndarray:
    """Money (fen) or area (hundredths of m²) as int64; bad values raise _Bad."""
    limit = MONEY_LIMIT if f.kind == "money" else AREA_LIMIT
    t = arr.type
    if pa.types.is_null(t):
        return np.zeros(len(arr), np.int64)
    if pa.types.is_integer(t):
        v = arr.fill_null(0).to_numpy().astype(np.int64, copy=False)
        _first_bad(f, arr, ~null & ((v < 0) | (v >= (limit + 99) // 100)))
        return v * 100
    if pa.types.is_floating(t):
        x = arr.fill_null(0).to_numpy().astype(np.float64) * 100
        r = np.round(x)
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(x) | (np.abs(x - r) > 1e-6 * np.maximum(1.0, np.abs(x))) | (r < 0) | (r >= limit)
        _first_bad(f, arr, ~null & bad)
        return r.astype(np.int64)
    if pa.types.is_decimal128(t) and t.scale == 2 and t.precision <= 18:
        v = _decimal_units(arr)  # already in hundredths and within int64: no cast (a slow one in Arrow)
        _first_bad(f, arr, ~null & ((v < 0) | (v >= limit)))
        return v
    if _is_text(t) or pa.types.is_decimal(t):
        try:
            dec = pc.cast(arr, pa.decimal128(15, 2))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            dec = None
        if dec is None:
            return _slow(f, arr)
        v = _decimal_units(dec)
        _first_bad(f, arr, ~null & ((v < 0) | (v >= limit)))
        return v
    _first_bad(f, arr, ~null)
    return np.zeros(len(arr), np.int64)


def _slow(f: Field, arr: pa.Array) -> np.ndarray:
    """Convert value by value with the JSON reader's `convert` (only when the fast cast has
    failed, so usually to find and word the first bad value). Nulls give 0."""
    out = np.zeros(len(arr), np.int64)
    for i, raw in enumerate(arr.to_pylist()):
        if raw is None:
            continue
        try:
            v = convert(f, raw)
        except ValueError as exc:
            raise _Bad(i, str(exc), raw) from None
        if f.kind in ("money", "area") and v >= (MONEY_LIMIT if f.kind == "money" else AREA_LIMIT):
            raise _Bad(i, _generic(f), raw)
        out[i] = v
    return out


def _decimal_units(dec: pa.Array) -> np.ndarray:
    """decimal128 values as int64 of their smallest unit (the low 8 bytes; values are < 2^63)."""
    buf = dec.buffers()[1]
    words = np.frombuffer(buf, dtype=np.int64, count=2 * (dec.offset + len(dec)))
    v = words[2 * dec.offset::2].copy()
    if dec.null_count:
        v[dec.is_null().to_numpy(zero_copy_only=False)] = 0
    return v


def _money(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    v = _hundredths(f, arr, null)
    fill = -1 if f.default is MISSING else int(f.default) * 100
    return (np.where(null, fill, v) if null.any() else v), None


def _area(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    v = _hundredths(f, arr, null)
    return np.where(null, -1 if f.default is MISSING else int(f.default) * 100, v), None


def _count(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    t = arr.type
    if pa.types.is_null(t):
        v = np.zeros(len(arr), np.int64)
    elif pa.types.is_integer(t):
        v = arr.fill_null(0).to_numpy().astype(np.int64, copy=False)
    elif pa.types.is_floating(t):
        x = arr.fill_null(0).to_numpy()
        with np.errstate(invalid="ignore"):
            _first_bad(f, arr, ~null & (~np.isfinite(x) | (x != np.round(x)) | (np.abs(x) > 2**53)))
        v = x.astype(np.int64)
    elif _is_text(t) or pa.types.is_decimal(t):
        try:
            v = pc.cast(arr, pa.int64()).fill_null(0).to_numpy()
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            v = _slow(f, arr)
    else:
        _first_bad(f, arr, ~null)
        v = np.zeros(len(arr), np.int64)
    lo = 0 if f.min is None else f.min
    bad = (v < lo) | (v > (MAX_COUNT if f.max is None else f.max))
    _first_bad(f, arr, ~null & bad)
    fill = -1 if f.default is MISSING else int(f.default)
    return (np.where(null, fill, v) if null.any() else v).astype(np.int64, copy=False), None


def _flag(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    t = arr.type
    if pa.types.is_boolean(t):
        v = arr.fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
    elif pa.types.is_integer(t):
        x = arr.fill_null(0).to_numpy()
        _first_bad(f, arr, ~null & (x != 0) & (x != 1), "true or false")
        v = x == 1
    elif _is_text(t):
        low = pc.utf8_lower(arr)
        yes = pc.is_in(low, value_set=pa.array(["true", "1"])).to_numpy(zero_copy_only=False)
        no = pc.is_in(low, value_set=pa.array(["false", "0"])).to_numpy(zero_copy_only=False)
        _first_bad(f, arr, ~null & ~yes & ~no, "true or false")
        v = yes
    elif pa.types.is_null(t):
        v = np.zeros(len(arr), bool)
    else:
        _first_bad(f, arr, ~null, "true or false")
        v = np.zeros(len(arr), bool)
    if f.default is MISSING:
        return np.where(null, -1, v.astype(np.int8)).astype(np.int8), None
    return np.where(null, bool(f.default), v), None


def _enum(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    if pa.types.is_null(arr.type):
        idx = np.full(len(arr), -1, np.int64)
    else:
        if not _is_text(arr.type):
            arr = arr.cast(pa.string())
        found = pc.index_in(arr, value_set=pa.array(list(f.vocab)))
        idx = found.fill_null(-1).to_numpy().astype(np.int64)
        _first_bad(f, arr, ~null & (idx < 0))
    fill = -1 if f.default is MISSING else f.vocab.index(f.default)
    return np.where(null, fill, idx).astype(np.int8), None


def _date(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    t = arr.type
    if pa.types.is_null(t):
        return np.full(len(arr), NAT), None
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        days = arr.cast(pa.date32()).cast(pa.int32()).fill_null(0).to_numpy().astype(np.int64).astype("datetime64[D]")
        ok = np.ones(len(arr), bool)
    elif _is_text(t):
        days, ok = _parse_dates(arr)
    else:
        _first_bad(f, arr, ~null)
        return np.full(len(arr), NAT), None
    ok &= (days >= DATE_MIN) & (days <= DATE_MAX)
    _first_bad(f, arr, ~null & ~ok)
    return np.where(null, NAT, days), None


def _fixed_width(arr: pa.Array, width: int, filler: str) -> tuple[np.ndarray, np.ndarray]:
    """Strings as an (n, width) uint8 matrix; rows of another length are flagged and blanked."""
    lengths = pc.binary_length(arr).fill_null(width).to_numpy()
    right = lengths == width
    arr = pc.if_else(pa.array(right), arr, pa.scalar(filler)).fill_null(filler).cast(pa.string())
    offsets, data = _text_buffers(arr)
    start = int(offsets[0])
    mat = data[start:start + width * len(arr)].reshape(len(arr), width)
    return mat, right


def _digits(mat: np.ndarray) -> np.ndarray:
    """Digit values (int16; other characters fall outside 0–9)."""
    return mat.astype(np.int16) - ord("0")


def _to_number(d: np.ndarray) -> np.ndarray:
    out = np.zeros(d.shape[0], np.int64)
    for k in range(d.shape[1]):
        out *= 10
        out += d[:, k]
    return out


def _calendar(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """datetime64[D] of (y, m, d) and whether it is a real date (vectorised)."""
    ok = (y >= 1) & (y <= 9999) & (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31)
    ys, ms, ds = np.where(ok, y, 2000), np.where(ok, m, 1), np.where(ok, d, 1)
    month = (ys - 1970) * 12 + (ms - 1)
    start = month.astype("datetime64[M]").astype("datetime64[D]")
    nxt = (month + 1).astype("datetime64[M]").astype("datetime64[D]")
    day = start + (ds - 1)
    ok &= day < nxt
    return np.where(ok, day, NAT), ok


def _parse_dates(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """YYYY-MM-DD text to datetime64[D] and whether each is a real date. Arrow's cast kernel parses
    exactly that form (ten characters, a real calendar day); only when some value is not such a
    date does the vectorised parse below find which ones."""
    try:
        days = pc.cast(arr, pa.date32())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return _parse_dates_each(arr)
    ok = np.ones(len(arr), bool)
    if days.null_count:
        ok = ~days.is_null().to_numpy(zero_copy_only=False)
    values = days.cast(pa.int32()).fill_null(0).to_numpy().astype(np.int64).astype("datetime64[D]")
    return np.where(ok, values, NAT), ok


def _parse_dates_each(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    mat, right = _fixed_width(arr, 10, "2000-01-01")
    dig = _digits(mat)
    shape = right & (mat[:, 4] == ord("-")) & (mat[:, 7] == ord("-"))
    pos = [0, 1, 2, 3, 5, 6, 8, 9]
    shape &= np.all((dig[:, pos] >= 0) & (dig[:, pos] <= 9), axis=1)
    dig = np.where(shape[:, None], dig, 0)
    days, ok = _calendar(_to_number(dig[:, 0:4]), _to_number(dig[:, 5:7]), _to_number(dig[:, 8:10]))
    return days, ok & shape


def _text(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not _is_text(arr.type) and not pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    values = arr.to_numpy(zero_copy_only=False).astype(object)
    return values, values


def _unique_known(codes: np.ndarray, check) -> np.ndarray:
    """Apply a per-code Python check to the distinct codes only (hashing); a mask over all rows."""
    arr = pa.array(codes, pa.int64())
    uniq = pc.unique(arr)
    good = [c for c in uniq.to_pylist() if check(int(c))]
    return pc.is_in(arr, value_set=pa.array(good, pa.int64())).to_numpy(zero_copy_only=False)


WEIGHTS = np.array(identity.WEIGHTS, dtype=np.int64)
CHECK = np.frombuffer(identity.CHECK.encode(), dtype=np.uint8)


def check_id_numbers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """GB 11643 ID numbers in bulk: (valid, birth date, sex code 0 M / 1 F, address code int).

    Valid means what identity.parse_id_number accepts: 17 digits and a digit or X, the check
    character, a real birth date from 1880 to today, an address code that exists or has existed."""
    arr = pc.ascii_upper(pc.utf8_trim_whitespace(arr.cast(pa.string())))
    mat, right = _fixed_width(arr, 18, "11010519491231002X")
    dig = _digits(mat)
    shape = right & np.all((dig[:, :17] >= 0) & (dig[:, :17] <= 9), axis=1)
    shape &= ((dig[:, 17] >= 0) & (dig[:, 17] <= 9)) | (mat[:, 17] == ord("X"))
    dig[~shape] = 0
    total = np.zeros(len(dig), np.int64)
    for k, w in enumerate(identity.WEIGHTS):
        total += dig[:, k] * w
    check = CHECK[total % 11]
    ok = shape & (check == mat[:, 17])
    birth, real = _calendar(_to_number(dig[:, 6:10]), _to_number(dig[:, 10:12]), _to_number(dig[:, 12:14]))
    ok &= real & (birth >= np.datetime64("1880-01-01")) & (birth <= np.datetime64(dt.date.today(), "D"))
    address = _to_number(dig[:, 0:6])
    ok &= _unique_known(np.where(ok, address, 110105), lambda c: regions.is_known(str(c)))
    sex = np.where(dig[:, 16] % 2 == 1, 0, 1).astype(np.int8)
    return ok, birth, sex, address


def _id_number(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, None]:
    """The address code (object str, as the JSON reader stores it), carrying the birth date
    and sex read from the ID numbers for the identity reconciliation."""
    if pa.types.is_null(arr.type):
        return np.full(len(arr), None, dtype=object), None
    ok, birth, sex, address = check_id_numbers(arr)
    _first_bad(f, arr, ~null & ~ok)
    column = _IdColumn(_str_codes(np.where(null, -1, address)))
    column.birth = np.where(null, NAT, birth)
    column.sex = np.where(null, -1, sex).astype(np.int8)
    return column, None


class _IdColumn(np.ndarray):
    """The address-code column, carrying the birth date and sex read from the ID numbers."""

    birth: np.ndarray
    sex: np.ndarray

    def __new__(cls, codes: np.ndarray) -> _IdColumn:
        return np.asarray(codes).view(cls)

    def __array_finalize__(self, obj) -> None:
        self.birth = getattr(obj, "birth", None)
        self.sex = getattr(obj, "sex", None)


def _str_codes(codes: np.ndarray) -> np.ndarray:
    """int64 codes (-1 none) to an object array of str, building each distinct str once."""
    encoded = pc.dictionary_encode(pa.array(codes, pa.int64()))
    strs = np.array([None if c < 0 else str(c) for c in encoded.dictionary.to_pylist()] + [None], dtype=object)
    return strs[:-1][encoded.indices.to_numpy()] if len(codes) else np.full(0, None, dtype=object)


def _region(f: Field, arr: pa.Array, null: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if not _is_text(arr.type):
        arr = arr.cast(pa.string())
    lengths = pc.utf8_length(arr).fill_null(6).to_numpy()
    digits = pc.utf8_is_digit(arr).fill_null(True).to_numpy(zero_copy_only=False)
    shape = digits & np.isin(lengths, (6, 9, 12))
    safe = pc.if_else(pa.array(shape), arr, pa.scalar("620422")).fill_null("620422")
    code = pc.cast(safe, pa.int64()).to_numpy()
    scale = 10 ** (np.where(shape, lengths, 6) - 6)
    county = code // scale
    known = _unique_known(code, lambda c: regions.is_known(str(c)) and regions.is_known(regions.county_of(str(c))))
    _first_bad(f, arr, ~null & ~(shape & known))
    return county.astype(np.int64, copy=False), _str_codes(np.where(null, -1, code))


READERS = {
    "money": _money, "area": _area, "count": _count, "flag": _flag, "enum": _enum, "date": _date,
    "text": _text, "id_number": _id_number, "region": _region,
}


# --- checks across rows and fields --------------------------------------------------------------

def _check_agreement(f: Field, values: np.ndarray, text: np.ndarray | None, index: np.ndarray | None,
                     person_hh: np.ndarray, first: np.ndarray, rows: np.ndarray, source: str) -> None:
    """Every row of a household carries the same household field.

    Each row is compared with the row before it in the same household: the first row that
    differs from its predecessor is the first that differs from the household's first row. A
    dictionary-encoded column is compared by its index first (equal index, equal value)."""
    if len(values) < 2:
        return
    if index is not None and is_constant(index):  # one dictionary word on every row
        return
    same_household = person_hh[1:] == person_hh[:-1]
    if index is not None and not np.any((index[1:] != index[:-1]) & same_household):
        return
    key = np.asarray(text if text is not None else values)
    comp = key.astype(np.int64) if key.dtype.kind == "M" else key  # NaT == NaT as integers
    differs = np.asarray(comp[1:] != comp[:-1], dtype=bool) & same_household
    if np.any(differs):
        i = int(np.flatnonzero(differs)[0]) + 1
        j = int(first[person_hh[i]])
        shown = _show(key[j])
        raise InputError(f"row {rows[i]}, column {f.column}",
                         f"the same value on every row of a household (row {rows[j]} has {shown})",
                         _show(key[i]), source=source)


def _show(v: object) -> object:
    if isinstance(v, np.datetime64):
        return "none" if np.isnat(v) else str(v)
    if hasattr(v, "item"):
        return v.item()
    return v


def _household_date(cols: dict[str, np.ndarray], n: int, today: dt.date | None, date: str | None) -> None:
    """Households without a date are assessed on `today`; --date overrides every household."""
    d = cols["household.date"]
    if date is not None:
        cols["household.date"] = np.full(n, np.datetime64(date, "D"))
    elif np.isnat(d).any():
        cols["household.date"] = np.where(np.isnat(d), np.datetime64(today or dt.date.today(), "D"), d)


def _reconcile_identity(cols: dict[str, np.ndarray], rows: np.ndarray, source: str) -> None:
    """birth_date and sex must agree with the ID number; absent, they come from it."""
    ids = cols["id_number"]
    if not isinstance(ids, _IdColumn):
        return
    birth, sex = ids.birth, ids.sex
    has = sex >= 0
    given = cols["birth_date"]
    bad = has & ~np.isnat(given) & (given != birth)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"row {rows[i]}, column birth_date", f"the birth date in the ID number ({birth[i]})",
                         str(given[i]), source=source)
    given_sex = cols["sex"]
    bad = has & (given_sex >= 0) & (given_sex != sex)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"row {rows[i]}, column sex", f"the sex in the ID number ({'MF'[sex[i]]})",
                         "MF"[given_sex[i]], source=source)
    cols["birth_date"] = np.where(has, birth, given)
    cols["sex"] = np.where(has, sex, given_sex).astype(np.int8)
    cols["id_number"] = np.asarray(ids).view(np.ndarray)


def _check_patient(cols: dict[str, np.ndarray], person_hh: np.ndarray, first: np.ndarray,
                   rows: np.ndarray, source: str) -> None:
    """medical_bill.patient is the index of one of the household's members."""
    patient = cols["household.medical_bill.patient"]
    size = np.bincount(person_hh, minlength=len(patient)) if len(person_hh) else np.zeros(0, np.int64)
    bad = patient >= size
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"row {rows[first[i]]}, column household.medical_bill.patient",
                         f"the index of a member, from 0 to {size[i] - 1}", int(patient[i]), source=source)


def _check_disability_pair(cols: dict[str, np.ndarray], rows: np.ndarray, source: str) -> None:
    grade, kind = cols["disability.grade"] < 0, cols["disability.kind"] < 0
    bad = grade != kind
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        missing = "disability.grade" if grade[i] else "disability.kind"
        raise InputError(f"row {rows[i]}, column {missing}",
                         "both disability.kind and disability.grade when either is given", source=source)


# --- results and writing ------------------------------------------------------------------------

def fen_to_decimal(fen: np.ndarray, null: np.ndarray | None = None) -> pa.Array:
    """int64 fen to decimal128(14,2) yuan, exactly (the fen are the decimal's unscaled value)."""
    fen = np.ascontiguousarray(fen, dtype=np.int64)
    words = np.empty((len(fen), 2), np.int64)
    words[:, 0] = fen
    words[:, 1] = fen >> 63
    validity = None
    null_count = 0
    if null is not None and null.any():
        validity = pa.array(~null).buffers()[1]
        null_count = int(null.sum())
    return pa.Array.from_buffers(AMOUNT_TYPE, len(fen), [validity, pa.py_buffer(words.tobytes())], null_count)


def results_table(ids: pa.Array, done: Mapping[str, ProgramResult]) -> pa.Table:
    """OUT rows for a batch: household_id, then per program eligible and amount (null when the
    household's data lacks the program's inputs)."""
    arrays = [ids]
    names = [ID_COLUMN]
    for pid, r in done.items():
        applies = np.asarray(r.applies, dtype=bool)
        arrays.append(pa.array(np.asarray(r.eligible, dtype=bool), mask=~applies))
        arrays.append(fen_to_decimal(np.asarray(r.amount), ~applies))
        names += [f"{pid}.eligible", f"{pid}.amount"]
    return pa.Table.from_arrays(arrays, names=names)


def for_csv(table: pa.Table) -> pa.Table:
    """Decimals as text with exactly 2 decimals (arrow keeps the scale when it prints)."""
    cols = []
    for col in table.columns:
        cols.append(col.cast(pa.string()) if pa.types.is_decimal(col.type) else col)
    return pa.Table.from_arrays(cols, names=table.column_names)


def write_table(table: pa.Table, path: str | os.PathLike) -> None:
    """Write OUT atomically: a temporary file beside it, renamed on success."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    os.close(fd)
    try:
        if is_csv(target):
            pacsv.write_csv(for_csv(table), tmp)
        else:
            pq.write_table(table, tmp, **_out_options(table.schema))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _out_options(schema: pa.Schema) -> dict:
    """OUT's Parquet settings: zstd; no dictionary pages (OUT's ids are all distinct and its amounts
    nearly so: trying one costs a quarter of the write and gives a larger file); statistics for
    every column but the ids (a min and max of unsorted texts serve no reader, and cost a fifth)."""
    return {"compression": "zstd", "use_dictionary": False,
            "write_statistics": [n for n in schema.names if n != ID_COLUMN]}


class AtomicParquetWriter:
    """Stream OUT in parts (Dask assembly): the file appears only when close() succeeds."""

    def __init__(self, path: str | os.PathLike, schema: pa.Schema):
        self.target = Path(path)
        directory = self.target.parent if str(self.target.parent) else Path(".")
        fd, self.tmp = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".tmp", dir=directory)
        os.close(fd)
        self.csv = is_csv(self.target)
        self.writer = (pacsv.CSVWriter(self.tmp, for_csv(schema.empty_table()).schema) if self.csv
                       else pq.ParquetWriter(self.tmp, schema, **_out_options(schema)))

    def write(self, table: pa.Table) -> None:
        self.writer.write_table(for_csv(table) if self.csv else table)

    def close(self) -> None:
        self.writer.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self.writer.close()
        finally:
            Path(self.tmp).unlink(missing_ok=True)


def counties(table: pa.Table, rows: np.ndarray, source: str) -> np.ndarray:
    """The county (int64, first 6 digits) of each row's household.region, checked (InputError)."""
    values, _, _ = _field_column(BY_COLUMN["household.region"], table, rows, source)
    return np.asarray(values)


def check_ids(table: pa.Table, rows: np.ndarray, source: str) -> None:
    """Every row has a household_id (InputError names the first row without one)."""
    ids = table.column(ID_COLUMN)
    if ids.null_count:
        i = int(np.flatnonzero(ids.is_null().to_numpy(zero_copy_only=False))[0])
        raise InputError(f"row {rows[i]}, column {ID_COLUMN}", "a household id on every row", source=source)


def table_from_documents(docs: list[Mapping], ids: list | None = None) -> pa.Table:
    """Household documents (the JSON of `doudi assess`) as a batch table, one row per member;
    values are kept as the documents give them (numbers as text, flags as booleans)."""
    from doudi.policy.household import _get

    ids = list(range(len(docs))) if ids is None else ids
    columns: dict[str, list] = {ID_COLUMN: []}
    for f in FIELDS:
        columns[f.column] = []
    for hid, doc in zip(ids, docs, strict=True):
        for member in doc.get("members", []):
            columns[ID_COLUMN].append(hid)
            for f in FIELDS:
                raw = _get(doc if f.level == "household" else member, f.path)
                raw = None if raw is MISSING else raw
                if raw is not None and not (f.kind == "flag" and isinstance(raw, bool)):
                    raw = repr(raw) if isinstance(raw, float) else str(raw)
                columns[f.column].append(raw)
    used = {k: v for k, v in columns.items() if k == ID_COLUMN or any(x is not None for x in v)}
    return pa.table({k: pa.array(v) for k, v in used.items()})
