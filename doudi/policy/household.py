"""Households as columns: the one input shape of every rule.

A batch holds n households and their persons. Household columns have length n; person
columns have one entry per person, persons of a household contiguous (`offsets`). One
household is a batch of one; a province is a batch of millions. Rules never loop over
households: they use the column helpers here (sum_members, count_members, per_person, …).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from doudi.policy import identity, regions
from doudi.policy.errors import InputError
from doudi.policy.money import parse_decimal
from doudi.policy.schema import (
    BY_COLUMN,
    FIELDS,
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    MISSING,
    Field,
)

NAT = np.datetime64("NaT", "D")
# Upper bounds that keep every sum and fen × ratio product far inside int64.
MAX_YUAN = 100_000_000  # 一亿元: no household's amount in social assistance comes near it
MAX_COUNT = 1_000_000
MAX_AREA_M2 = 100_000_000
DATE_MIN, DATE_MAX = dt.date(1880, 1, 1), dt.date(2199, 12, 31)  # parameters are grouped by day in this range


def _tree(fields: Iterable[Field], extra: Iterable[str] = ()) -> dict[str, Any]:
    """The shape of a document level: key -> None for a value, or the sub-tree of an object."""
    tree: dict[str, Any] = {k: None for k in extra}
    for f in fields:
        node = tree
        *heads, leaf = f.path.split(".")
        for h in heads:
            node = node.setdefault(h, {})
        node[leaf] = None
    return tree


HOUSEHOLD_TREE = _tree(HOUSEHOLD_FIELDS, ("members", "overrides"))
MEMBER_TREE = _tree(MEMBER_FIELDS)
KNOWN_TOP_KEYS = set(HOUSEHOLD_TREE)
KNOWN_MEMBER_KEYS = set(MEMBER_TREE)


class Households:
    """Columns of a batch of households (see module docstring)."""

    def __init__(self, cols: dict[str, np.ndarray], person_hh: np.ndarray,
                 ids: Sequence[Any] | None = None, texts: dict[str, list] | None = None,
                 starts: np.ndarray | None = None):
        """`starts` (first person of each household, then the number of persons), when the
        caller already has it from grouping, saves a pass over the persons; it must agree
        with person_hh."""
        self.cols = cols
        self.person_hh = np.asarray(person_hh, dtype=np.int64)
        self.n = int(len(cols["household.residence"]))
        if starts is not None:
            starts = np.asarray(starts, dtype=np.int64)
            self.offsets, self.ends = starts[:-1], starts[1:]
            self.size = self.ends - self.offsets
            return self._finish(ids, texts)
        counts = np.bincount(self.person_hh, minlength=self.n) if len(self.person_hh) else np.zeros(self.n, np.int64)
        if np.any(np.diff(self.person_hh) < 0):
            raise ValueError("persons must be grouped by household, in household order")
        self.size = counts.astype(np.int64)
        self.ends = np.cumsum(counts, dtype=np.int64)
        self.offsets = self.ends - self.size
        self._finish(ids, texts)

    def _finish(self, ids: Sequence[Any] | None, texts: dict[str, list] | None) -> None:
        self.ids = ids if ids is not None else range(self.n)  # read only to name a household in an error
        self.texts = texts or {}
        self._cache: dict[str, np.ndarray] = {}

    # --- raw columns -------------------------------------------------------------------------
    def h(self, path: str) -> np.ndarray:
        """A household column by its document path (without the `household.` prefix)."""
        return self.cols["household." + path]

    def p(self, path: str) -> np.ndarray:
        """A person column by its path inside a member."""
        return self.cols[path]

    def is_zero(self, path: str) -> bool:
        """The person column is a broadcast zero (absent from the input): a rule may skip it."""
        return is_zero(self.cols[path])

    def enum_is(self, column: str, *words: str) -> np.ndarray:
        """Mask: the enum column holds one of `words` (a column of int8 codes, -1 for absent).
        A lookup table indexed by the codes (the same mask as np.isin, in one gather, which
        also costs a fifth of np.isin's set-up on the one household of an API call)."""
        return _enum_table(column, words)[self.cols[column]]

    @property
    def n_persons(self) -> int:
        return int(len(self.person_hh))

    # --- per-household aggregates of person columns ----------------------------------------
    def sum_members(self, values: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Per-household sum of a person column (int64, exact), optionally over a mask.

        Differences of one running sum at the households' ends: a single pass, about twice as
        fast as `np.add.reduceat` over a million households. int64 wraps modulo 2**64, and the
        difference of two wrapped running sums is still the household's exact sum whenever that
        sum fits in int64 (the only case in which any method is exact).
        """
        if self.n == 0:
            return np.zeros(0, np.int64)
        v = values if type(values) is np.ndarray else np.asarray(values)
        if v.dtype.kind not in "biu":
            v = v.astype(np.int64)
        if is_constant(v):  # a broadcast default: value × members, no pass over persons
            c = v[0]
            total = self.size * np.int64(c) if mask is None else self.count_members(mask) * np.int64(c)
            return np.asarray(total, dtype=np.int64)
        if mask is not None:
            if type(mask) is not np.ndarray or mask.dtype != bool:
                mask = np.asarray(mask, dtype=bool)
            if not is_constant(mask):
                v = v * mask
            elif not mask[0]:  # a constant mask: no one, or everyone (then v as it is)
                return np.zeros(self.n, np.int64)
        if self.n == 1:  # one household (an API call): every person is its member; the same sum
            return np.add.reduce(v, dtype=np.int64, keepdims=True)  # [v.sum()] without sum()'s wrapper
        running = np.empty(len(v) + 1, np.int64)
        running[0] = 0
        np.cumsum(v, dtype=np.int64, out=running[1:])  # integer array arithmetic wraps silently
        return running[self.ends] - running[self.offsets]

    def count_members(self, mask: np.ndarray) -> np.ndarray:
        return self.sum_members(mask)

    def any_member(self, mask: np.ndarray) -> np.ndarray:
        return self.count_members(mask) > 0

    def per_person(self, household_values: np.ndarray) -> np.ndarray:
        """Broadcast a household column to each of its persons (a constant stays a view)."""
        v = household_values if type(household_values) is np.ndarray else np.asarray(household_values)
        if is_constant(v):
            return constant(self.n_persons, v[0], v.dtype)
        return v[self.person_hh]

    def members_of(self, i: int) -> range:
        """Person indices of household i (for traces)."""
        start = int(self.offsets[i])
        return range(start, start + int(self.size[i]))

    # --- derived person columns --------------------------------------------------------------
    @property
    def age(self) -> np.ndarray:
        """Whole years of age at the household's date; -1 when the birth date is unknown."""
        if "age" not in self._cache:
            birth = np.asarray(self.p("birth_date"), dtype="datetime64[D]")
            on = self.per_person(np.asarray(self.h("date"), dtype="datetime64[D]"))
            unknown = np.isnat(birth)
            on = np.where(np.isnat(on), np.datetime64("2000-01-01", "D"), on)
            birth_key, on_key = _date_keys(np.where(unknown, on, birth), on)
            self._cache["age"] = np.where(unknown, -1, (on_key - birth_key) // 10000)
        return self._cache["age"]

    @property
    def is_member(self) -> np.ndarray:
        """NAT-DB-MEMBERS: lives together and not excluded (clergy, prison, rehab, missing)."""
        if "is_member" not in self._cache:
            together, reason = self.p("lives_together"), self.p("not_member_reason")
            if is_constant(together) and is_constant(reason):  # neither given: one value for all
                member = bool(together[0]) and reason[0] < 0
                self._cache["is_member"] = constant(self.n_persons, member)
            else:
                self._cache["is_member"] = together & (reason < 0)
        return self._cache["is_member"]

    def label(self, person: int) -> str:
        """How a trace names a person: the name if given, else the position."""
        names = self.texts.get("name")
        nm = names[person] if names is not None else None
        pos = person - int(self.offsets[self.person_hh[person]]) + 1
        return f"{nm}（第{pos}人）" if nm else f"第{pos}人"

    def region_code(self, i: int) -> str:
        return self.texts["household.region"][i]


@functools.lru_cache(maxsize=512)
def _enum_table(column: str, words: tuple[str, ...]) -> np.ndarray:
    """True at the codes of `words`; the last entry (index -1, an absent value) is False."""
    vocab = BY_COLUMN[column].vocab
    table = np.zeros(len(vocab) + 1, bool)
    table[[vocab.index(w) for w in words]] = True
    table.flags.writeable = False
    return table


def constant(length: int, value: Any, dtype: Any = None) -> np.ndarray:
    """A read-only column of one value: no memory, and `is_constant` tells rules it is one value
    (an absent column's default, a parameter the same for the whole batch, a rule with nothing to do)."""
    if dtype is None:
        dtype = bool if isinstance(value, (bool, np.bool_)) else np.int64
    return np.broadcast_to(np.array(value, dtype=dtype), (length,))


def is_constant(values: np.ndarray) -> bool:
    """A read-only broadcast of one value (an absent column's default, a parameter that is
    the same for every household): rules may skip work on it."""
    return isinstance(values, np.ndarray) and values.ndim == 1 and len(values) > 1 and values.strides[0] == 0


def is_zero(values: np.ndarray) -> bool:
    """A constant column whose one value is zero (or False)."""
    return is_constant(values) and not values[0]


def all_of(*masks: np.ndarray) -> np.ndarray:
    """Element-wise AND of person (or household) masks of one length; a constant True mask (an
    absent flag, a parameter the same everywhere) is left out instead of costing a pass."""
    varying = [m for m in masks if not (is_constant(m) and m[0])]
    if any(is_constant(m) for m in varying):  # a constant False among them
        return constant(len(masks[0]), False)
    if not varying:
        return masks[0]
    out = varying[0]
    for m in varying[1:]:
        out = out & m
    return out


def _date_keys(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """YYYYMMDD (int64) of two datetime64[D] columns without NaT.

    One lookup table from day number to YYYYMMDD over the range of days present, then a take:
    far cheaper than converting every value to year, month and day.
    """
    da = a.astype(np.int64)
    db = b.astype(np.int64)
    if len(da) == 0:
        return da, db
    lo = int(min(da.min(), db.min()))
    hi = int(max(da.max(), db.max()))
    if 8 * (len(da) + len(db)) < hi - lo:  # few dates over a long span (one household): each directly
        return _ymd(a), _ymd(b)
    days = np.arange(lo, hi + 1, dtype=np.int64).astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    table = (
        (years.astype(np.int64) + 1970) * 10000
        + (months.astype(np.int64) - years.astype("datetime64[M]").astype(np.int64) + 1) * 100
        + (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    )
    return table[da - lo], table[db - lo]


def _ymd(d: np.ndarray) -> np.ndarray:
    """YYYYMMDD (int64) of a datetime64[D] column without NaT, value by value."""
    d = d.astype("datetime64[D]")
    years = d.astype("datetime64[Y]")
    months = d.astype("datetime64[M]")
    return ((years.astype(np.int64) + 1970) * 10000
            + (months.astype(np.int64) - years.astype("datetime64[M]").astype(np.int64) + 1) * 100
            + (d - months.astype("datetime64[D]")).astype(np.int64) + 1)


# --- reading one value of a field ------------------------------------------------------------

def convert(f: Field, raw: Any) -> Any:
    """Check one raw value of a field; return its stored form or raise ValueError(expected)."""
    k = f.kind
    if k == "money":
        if type(raw) is int and 0 <= raw <= MAX_YUAN:  # a whole number of yuan: what the checks below give
            return raw * 100
        try:
            d = parse_decimal(raw)
        except ValueError:
            raise ValueError("an amount in yuan (a number or a string of digits)") from None
        if d < 0:
            raise ValueError("an amount that is not negative")
        if d > MAX_YUAN:
            raise ValueError(f"an amount of at most {MAX_YUAN} yuan")
        if d != d.quantize(parse_decimal("0.01")):
            raise ValueError("an amount with at most 2 decimals")
        return int(d * 100)
    if k == "area":
        try:
            d = parse_decimal(raw)
        except ValueError:
            raise ValueError("an area in m² (a number)") from None
        if d < 0 or d > MAX_AREA_M2 or d != d.quantize(parse_decimal("0.01")):
            raise ValueError(f"an area in m² from 0 to {MAX_AREA_M2}, at most 2 decimals")
        return int(d * 100)
    if k == "count":
        if isinstance(raw, bool) or not isinstance(raw, (int, str, float)):
            raise ValueError(_count_expectation(f))
        try:
            d = parse_decimal(raw)
        except ValueError:
            raise ValueError(_count_expectation(f)) from None
        if d != d.to_integral_value() or abs(d) > 10 * MAX_COUNT:
            raise ValueError(_count_expectation(f))
        v = int(d)
        lo = 0 if f.min is None else f.min
        hi = MAX_COUNT if f.max is None else f.max
        if v < lo or v > hi:
            raise ValueError(_count_expectation(f))
        return v
    if k == "flag":
        if isinstance(raw, bool):
            return raw
        raise ValueError("true or false")
    if k == "enum":
        if raw in f.vocab:
            return f.vocab.index(raw)
        raise ValueError("one of " + ", ".join(f.vocab))
    if k == "date":
        return parse_date(raw)
    if k == "text":
        if not isinstance(raw, str):
            raise ValueError("text")
        return raw
    if k == "id_number":
        return identity.parse_id_number(raw)
    if k == "region":
        if isinstance(raw, bool) or not isinstance(raw, (str, int)):
            raise ValueError("a region code as a string of 6 digits (GB/T 2260), or 9 or 12 digits (statistical code)")
        s = str(raw).strip()
        if not (s.isdigit() and len(s) in (6, 9, 12)):
            raise ValueError("a region code of 6 digits (GB/T 2260), or 9 or 12 digits (statistical code)")
        if not regions.is_known(s) or not regions.is_known(regions.county_of(s)):
            raise ValueError("a region code that exists in GB/T 2260")
        return s
    raise AssertionError(f"unknown field kind {k}")


def parse_date(raw: Any) -> dt.date:
    """A date YYYY-MM-DD within DATE_MIN..DATE_MAX, or ValueError(expected)."""
    expected = f"a date as YYYY-MM-DD from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
    if not isinstance(raw, str):
        raise ValueError(expected)
    try:
        d = dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(expected) from None
    if not DATE_MIN <= d <= DATE_MAX:
        raise ValueError(expected)
    return d


def _count_expectation(f: Field) -> str:
    lo = 0 if f.min is None else f.min
    if f.max is not None:
        return f"a whole number from {lo} to {f.max}"
    return f"a whole number, not negative (at most {MAX_COUNT})"


# --- from household documents ----------------------------------------------------------------

def _get(doc: Mapping[str, Any], path: str) -> Any:
    cur: Any = doc
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return MISSING
        cur = cur[part]
    return cur


def _empty_value(f: Field) -> Any:
    if f.default is MISSING:
        return None
    return f.vocab.index(f.default) if f.kind == "enum" else f.default


def from_documents(docs: Iterable[Mapping[str, Any]], today: dt.date | None = None,
                   date: str | None = None, region: str | None = None) -> Households:
    """Validate household documents and lay them out as columns. Raises InputError."""
    hh_rows: list[dict[str, Any]] = []
    person_rows: list[dict[str, Any]] = []
    person_hh: list[int] = []
    for i, doc in enumerate(docs):
        prefix = "" if i == 0 and not isinstance(docs, list) else ""
        if not isinstance(doc, Mapping):
            raise InputError(f"{prefix}$", "a JSON object (the household document)")
        doc = dict(doc)
        if date is not None:
            doc["date"] = date
        if region is not None:
            doc["region"] = region
        hh_rows.append(_read_household(doc, today))
        members = doc.get("members", MISSING)
        if members is MISSING:
            raise InputError("members", "a list of members (required)")
        if not isinstance(members, list) or not members:
            raise InputError("members", "a non-empty list of members")
        for j, m in enumerate(members):
            person_rows.append(_read_member(m, f"members[{j}]"))
            person_hh.append(i)
        patient = hh_rows[-1].get("medical_bill.patient")
        if patient is not None and patient >= len(members):
            raise InputError("medical_bill.patient", f"the index of a member, from 0 to {len(members) - 1}", patient)
    return _to_columns(hh_rows, person_rows, person_hh)


def _check_shape(obj: Mapping[str, Any], tree: Mapping[str, Any], where: str, top: bool = False) -> None:
    """Refuse a key the document does not define, and a non-object where an object belongs."""
    for key, value in obj.items():
        if key not in tree:
            expected = ("a known field of the household document (docs/household.md)" if top
                        else "one of the fields " + ", ".join(tree))
            raise InputError(f"{where}{key}", expected, key)
        sub = tree[key]
        if sub is None or value is None:
            continue
        if not isinstance(value, Mapping):
            raise InputError(f"{where}{key}", "an object with the fields " + ", ".join(sub), value)
        _check_shape(value, sub, f"{where}{key}.")


def _present(obj: Mapping[str, Any], tree: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    """(path, value) of each field given in a document level whose shape _check_shape has
    checked: only the keys present are visited, not every field of the schema."""
    for key, value in obj.items():
        sub = tree.get(key, MISSING)
        if sub is MISSING or value is None:
            continue
        if sub is None:
            yield prefix + key, value
        else:
            yield from _present(value, sub, prefix + key + ".")


HOUSEHOLD_ORDER = {f.path: k for k, f in enumerate(HOUSEHOLD_FIELDS)}
MEMBER_ORDER = {f.path: k for k, f in enumerate(MEMBER_FIELDS)}
HOUSEHOLD_BY_PATH = {f.path: f for f in HOUSEHOLD_FIELDS}
MEMBER_BY_PATH = {f.path: f for f in MEMBER_FIELDS}
MEMBER_EMPTY = {f.path: _empty_value(f) for f in MEMBER_FIELDS}
HOUSEHOLD_EMPTY = {f.path: _empty_value(f) for f in HOUSEHOLD_FIELDS}
HOUSEHOLD_REQUIRED = [f for f in HOUSEHOLD_FIELDS if f.required]


def _given(obj: Mapping[str, Any], tree: Mapping[str, Any], order: Mapping[str, int]) -> list[tuple[str, Any]]:
    """The fields present, in the schema's order (so the first error reported is the same as a
    walk over every field would report)."""
    given = list(_present(obj, tree))
    if len(given) > 1:
        given.sort(key=lambda pv: order[pv[0]])
    return given


def _read_household(doc: Mapping[str, Any], today: dt.date | None) -> dict[str, Any]:
    fields = {k: v for k, v in doc.items() if k not in ("members", "overrides")}
    _check_shape(fields, HOUSEHOLD_TREE, "", top=True)
    row: dict[str, Any] = {}  # the fields given only: the others keep HOUSEHOLD_EMPTY's value
    given = _given(fields, HOUSEHOLD_TREE, HOUSEHOLD_ORDER)
    present = {p for p, _ in given}
    todo = sorted([(HOUSEHOLD_ORDER[p], p, raw) for p, raw in given]
                  + [(HOUSEHOLD_ORDER[f.path], f.path, MISSING) for f in HOUSEHOLD_REQUIRED if f.path not in present],
                  key=lambda t: t[0])
    for _, path, raw in todo:
        f = HOUSEHOLD_BY_PATH[path]
        if raw is MISSING:
            raise InputError(path, f"{f.doc} (required)")
        try:
            row[path] = convert(f, raw)
        except ValueError as exc:
            raise InputError(path, str(exc), raw) from None
    if row.get("date") is None:
        row["date"] = today or dt.date.today()
    ov = doc.get("overrides")
    if ov is not None and not isinstance(ov, Mapping):
        raise InputError("overrides", "an object of parameter names to values")
    return row


def _read_member(m: Any, where: str) -> dict[str, Any]:
    if not isinstance(m, Mapping):
        raise InputError(where, "a JSON object (a member)")
    _check_shape(m, MEMBER_TREE, where + ".", top=True)
    row: dict[str, Any] = {}  # the fields given only: the others keep MEMBER_EMPTY's value
    for path, raw in _given(m, MEMBER_TREE, MEMBER_ORDER):
        f = MEMBER_BY_PATH[path]
        try:
            row[path] = convert(f, raw)
        except ValueError as exc:
            shown = identity.mask_id_number(str(raw)) if f.kind == "id_number" else raw
            raise InputError(f"{where}.{path}", str(exc), shown) from None
    _reconcile_identity(row, where)
    grade, kind = row.get("disability.grade"), row.get("disability.kind")  # both default to None
    if (grade is None) != (kind is None):
        missing = "disability.grade" if grade is None else "disability.kind"
        raise InputError(f"{where}.{missing}", "both disability.kind and disability.grade when either is given")
    return row


def _reconcile_identity(row: dict[str, Any], where: str) -> None:
    """birth_date and sex must agree with the ID number; absent, they come from it."""
    info = row.get("id_number")  # a member's row holds the fields given (birth_date, sex: default None)
    if info is None:
        return
    sex_code = ("M", "F").index(info.sex)
    if row.get("birth_date") is not None and row["birth_date"] != info.birth_date:
        raise InputError(f"{where}.birth_date", f"the birth date in the ID number ({info.birth_date.isoformat()})",
                         row["birth_date"].isoformat())
    if row.get("sex") is not None and row["sex"] != sex_code:
        raise InputError(f"{where}.sex", f"the sex in the ID number ({info.sex})", ("M", "F")[row["sex"]])
    row["birth_date"] = info.birth_date
    row["sex"] = sex_code


def _column(f: Field, values: list[Any]) -> np.ndarray:
    k = f.kind
    if k in ("money", "count", "area"):
        return np.array([-1 if v is None else v for v in values], dtype=np.int64)
    if k == "flag":
        if f.default is MISSING:  # nullable flag: -1 unknown, 0 false, 1 true
            return np.array([-1 if v is None else int(v) for v in values], dtype=np.int8)
        return np.array(values, dtype=bool)
    if k == "enum":
        return np.array([-1 if v is None else v for v in values], dtype=np.int8)
    if k == "date":
        return np.array([NAT if v is None else np.datetime64(v, "D") for v in values], dtype="datetime64[D]")
    if k == "region":
        return np.array([int(regions.county_of(v)) for v in values], dtype=np.int64)
    if k in ("text", "id_number"):
        return np.array([v.address_code if isinstance(v, identity.IdInfo) else v for v in values], dtype=object)
    raise AssertionError(k)


# (field, path, column, empty value, kept as text too) of each field, in schema order: read once here,
# not per document (Field.column is a property that builds its name each time)
_HOUSEHOLD_LAYOUT = tuple((f, f.path, f.column, HOUSEHOLD_EMPTY[f.path], f.kind in ("text", "region"))
                          for f in HOUSEHOLD_FIELDS)
_MEMBER_LAYOUT = tuple((f, f.path, f.column, MEMBER_EMPTY[f.path], f.kind == "text") for f in MEMBER_FIELDS)
_ABSENT: dict[tuple[int, int], dict[str, np.ndarray]] = {}


def _absent_columns(n: int, n_persons: int) -> dict[str, np.ndarray]:
    """Every column of a batch of n households and n_persons persons as if no document gave its field:
    each a read-only broadcast of the field's empty value, as doudi.batch.io gives an absent column (no
    array built; `is_constant` lets the rules skip it, as they do on a batch file), in schema order.
    Kept per size: most of a document's ~70 fields are absent, and building each column took most of
    reading one household. A caller copies the dict and replaces the columns the documents give."""
    key = (n, n_persons)
    cols = _ABSENT.get(key)
    if cols is None:
        if len(_ABSENT) > 1024:  # many batch sizes in a long-lived process: keep it bounded
            _ABSENT.clear()
        # the region has no default (every document gives it, or is refused): a place kept in the order
        cols = _ABSENT[key] = {column: None if f.kind == "region" else np.broadcast_to(_column(f, [empty]), (size,))
                               for layout, size in ((_HOUSEHOLD_LAYOUT, n), (_MEMBER_LAYOUT, n_persons))
                               for f, _path, column, empty, _kept in layout}
    return cols


def _to_columns(hh_rows: list[dict], person_rows: list[dict], person_hh: list[int]) -> Households:
    """Columns from rows holding the fields given: each column starts as its field's empty
    value and takes the given values at their rows (a batch of 10,000 documents gives a few
    fields of the 45 a member has); a field given on no row is a read-only constant."""
    cols = dict(_absent_columns(len(hh_rows), len(person_rows)))
    texts: dict[str, list] = {}
    for layout, rows in ((_HOUSEHOLD_LAYOUT, hh_rows), (_MEMBER_LAYOUT, person_rows)):
        n = len(rows)
        given: dict[str, tuple[list[int], list[Any]]] = {}
        for i, r in enumerate(rows):
            for path, v in r.items():
                at = given.get(path)
                if at is None:
                    at = given[path] = ([], [])
                at[0].append(i)
                at[1].append(v)
        for f, path, column, empty, kept in layout:
            at = given.get(path)
            if at is None and cols[column] is not None:  # on no row: the absent column already in cols
                if kept:
                    texts[column] = [empty] * n
                continue
            idx, vals = at or ((), ())  # (the region of an empty batch: an empty column, as always)
            if len(idx) == n:  # on every row, in row order
                col, full = _column(f, vals), vals
            else:
                col = np.repeat(_column(f, [empty]), n)
                col[np.asarray(idx, dtype=np.int64)] = _column(f, vals)
                full = None
                if kept:
                    full = [empty] * n
                    for i, v in zip(idx, vals, strict=True):
                        full[i] = v
            cols[column] = col
            if kept:
                texts[column] = list(full)
    return Households(cols, np.array(person_hh, dtype=np.int64), texts=texts)


def load_document(text: str, source: str) -> dict[str, Any]:
    """Parse a household JSON document; malformed JSON is an InputError naming line and column."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno} column {exc.colno}", f"valid JSON ({exc.msg})", source=source) from None
    except RecursionError:
        raise InputError("$", "a JSON document nested less deeply", source=source) from None
    except ValueError as exc:  # e.g. an integer with too many digits
        raise InputError("$", f"valid JSON ({exc})", source=source) from None
    if not isinstance(doc, dict):
        raise InputError("$", "a JSON object (the household document)", source=source)
    return doc


__all__ = ["Households", "from_documents", "load_document", "convert", "FIELDS"]
