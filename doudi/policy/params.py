"""Policy parameters: dated values per level, resolved per region by walking up its code.

Data lives in doudi/policy/data/<level>/, one folder per level (`national`, then a region
code: province 620000, city 620400, county 620422, …), one YAML file per program inside it,
and `_level.yaml` naming the level and its documents. The national files *define* every
parameter (type, unit, description, bounds); lower levels only restate values.

A value entry: {from: date, value, source: "doc clause", placeholder: bool, scope: {residence: urban}}.
The value in force on a date is the latest entry whose `from` is not after it. `scope`
limits an entry to households it names (huining-2022 governs urban households only, so its
entries carry `scope: {residence: urban}`); outside the scope the level above decides.
`value: null` means "none": no deduction, no supplement, no cap (rules.md).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from doudi.policy import regions
from doudi.policy.errors import PolicyDataError
from doudi.policy.household import constant, is_constant
from doudi.policy.money import MICRO, parse_decimal
from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data"
TYPES = ("money", "ratio", "count", "flag", "text", "area", "tiers", "list")
LEVEL_ORDER = ("county", "city", "province", "national")


@dataclass(frozen=True)
class ParamDef:
    name: str
    type: str
    unit: str
    doc: str
    min: Decimal | None = None
    max: Decimal | None = None
    choices: tuple[str, ...] = ()
    label: str = ""  # Chinese name shown on pages and documents (YAML `label`); empty until filled in
    unit_label: str = ""  # Chinese unit (YAML `unit_zh`), e.g. 元/人·月

    @property
    def label_or_name(self) -> str:
        """The Chinese label where the data has one, else the dotted name."""
        return self.label or self.name


@dataclass(frozen=True)
class Entry:
    start: dt.date
    value: Any  # parsed: Decimal (money/ratio/area), int, bool, str, list, or None
    source: str
    placeholder: bool
    scope: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Resolved:
    name: str
    value: Any
    level: str  # national | province | city | county | override
    region: str  # "national" or the region code whose data gave the value
    source: str
    placeholder: bool
    start: dt.date | None

    @property
    def is_none(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Level:
    code: str  # "national" or a region code
    level: str
    name: str
    documents: tuple[str, ...]
    # a document that governs only some households (huining-2022: urban residents) → its scope
    doc_scopes: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def documents_for(self, residence: str) -> tuple[str, ...]:
        """The documents of this level that govern a household of this residence."""
        scopes = dict(self.doc_scopes)
        return tuple(d for d in self.documents
                     if all(k != "residence" or v == residence for k, v in scopes.get(d, ())))


def parse_value(d: ParamDef, raw: Any) -> Any:
    """Parse a raw value (YAML or an override string) of a parameter; ValueError on bad input."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("none", "null")):
        return None
    t = d.type
    if t in ("money", "ratio", "area"):
        v = parse_decimal(raw)
        places = 2 if t in ("money", "area") else 6
        if v != v.quantize(Decimal(1).scaleb(-places)):
            raise ValueError(f"{d.name}: expected a number with at most {places} decimals, got {raw!r}")
        if v < 0:
            raise ValueError(f"{d.name}: expected a value that is not negative, got {raw!r}")
    elif t == "count":
        v = parse_decimal(raw)
        if v != v.to_integral_value() or v < 0:
            raise ValueError(f"{d.name}: expected a whole number, not negative, got {raw!r}")
        v = int(v)
    elif t == "flag":
        if isinstance(raw, bool):
            v = raw
        elif str(raw).lower() in ("true", "yes", "1"):
            v = True
        elif str(raw).lower() in ("false", "no", "0"):
            v = False
        else:
            raise ValueError(f"{d.name}: expected true or false, got {raw!r}")
    elif t == "text":
        v = str(raw)
        if d.choices and v not in d.choices:
            raise ValueError(f"{d.name}: expected one of {', '.join(d.choices)}, got {raw!r}")
    elif t in ("tiers", "list"):
        v = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(v, list):
            raise ValueError(f"{d.name}: expected a list (JSON), got {raw!r}")
        if t == "tiers":
            v = _parse_tiers(d, v)
        else:
            v = tuple(v)
    else:
        raise PolicyDataError(f"{d.name}: unknown type {t}")
    if isinstance(v, (Decimal, int)) and not isinstance(v, bool):
        if d.min is not None and v < d.min:
            raise ValueError(f"{d.name}: expected at least {d.min}, got {raw!r}")
        if d.max is not None and v > d.max:
            raise ValueError(f"{d.name}: expected at most {d.max}, got {raw!r}")
    return v


def _parse_tiers(d: ParamDef, raw: list) -> tuple[tuple[Decimal, Decimal], ...]:
    """Tiers [{"above": yuan, "ratio": r}, …]: the part of an amount above each threshold
    (up to the next one) is taken at that tier's ratio (分梯度、按比例)."""
    tiers = []
    for t in raw:
        if not isinstance(t, Mapping) or "above" not in t or "ratio" not in t:
            raise ValueError(f"{d.name}: expected tiers as [{{\"above\": yuan, \"ratio\": r}}, …]")
        tiers.append((parse_decimal(t["above"]), parse_decimal(t["ratio"])))
    tiers.sort()
    return tuple(tiers)


class Policy:
    """All levels' parameter data, loaded once.

    With `lazy=True` (the shipped data, `default_policy`) only the national definitions and every
    level's `_level.yaml` are read at once; a level's values (and bounds) are read the first time
    a household of a region under it is decided (`chain`, `check_bounds`), after the levels above
    it, so that a batch of one county reads one county's files, with the same decisions.
    `values` and `bounds` read as attributes load every level first."""

    def __init__(self, root: Path = DATA, *, lazy: bool = False):
        self.defs: dict[str, ParamDef] = {}
        self.levels: dict[str, Level] = {}
        self._values: dict[str, dict[str, list[Entry]]] = {}  # level code -> name -> entries
        self._bounds: dict[str, dict[str, tuple[Decimal | None, Decimal | None, str]]] = {}
        self._pending: dict[str, Path] = {}  # level code -> its folder, values not read yet
        self._lock = threading.RLock()
        self._chains: dict[str, list[Level]] = {}
        self._resolved: dict[tuple[str, str, dt.date, str], Resolved] = {}
        self.layer_codes: frozenset[str] = frozenset()  # codes whose values came from layers
        self.covers: tuple[str, ...] | None = None  # an exported file: the regions it decides
        self._load(root, lazy)

    def __getstate__(self) -> dict[str, Any]:  # a lock does not pickle; a copy gets its own
        state = dict(self.__dict__)
        state.pop("_lock", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.RLock()

    @property
    def values(self) -> dict[str, dict[str, list[Entry]]]:
        """Every level's entries: level code -> parameter -> entries (every level loaded)."""
        self._load_all()
        return self._values

    @property
    def bounds(self) -> dict[str, dict[str, tuple[Decimal | None, Decimal | None, str]]]:
        """The bounds a level puts on its own and its regions' values (every level loaded)."""
        self._load_all()
        return self._bounds

    def _load(self, root: Path, lazy: bool) -> None:
        dirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / "_level.yaml").exists())
        national = root / "national"
        for d in [national] + [x for x in dirs if x != national]:  # sorted: a province before its cities
            meta = load_yaml(d / "_level.yaml")
            code = d.name
            scopes = tuple((doc, tuple(sorted(sc.items()))) for doc, sc in (meta.get("scope") or {}).items())
            self.levels[code] = Level(code, meta["level"], meta["name"], tuple(meta.get("documents", ())), scopes)
            if lazy and code != "national":
                self._pending[code] = d
            else:
                self._load_level(code, d)

    def _load_level(self, code: str, d: Path) -> None:
        self._values[code] = {}
        for f in sorted(d.glob("*.yaml")):
            if f.name == "_level.yaml":
                continue
            self._load_file(code, f)

    def _ensure(self, codes) -> None:  # noqa: ANN001 - an iterable of level codes
        """The values of these levels (and of the levels above each) loaded."""
        if not self._pending:
            return
        with self._lock:  # batch chunks decide on several threads
            for code in codes:
                self._ensure_one(code)

    def _ensure_one(self, code: str) -> None:
        d = self._pending.get(code)
        if d is None:
            return
        for above in reversed(regions.parents(code)[1:]):  # their bounds bind this level's values
            self._ensure_one(above)
        self._load_level(code, d)
        del self._pending[code]

    def _load_all(self) -> None:
        self._ensure(list(self._pending))

    def _load_file(self, code: str, path: Path) -> None:
        data = load_yaml(path) or {}
        for name, spec in data.items():
            if code == "national":
                if name in self.defs:
                    raise PolicyDataError(f"{path}: {name} defined twice")
                t = spec.get("type")
                if t not in TYPES:
                    raise PolicyDataError(f"{path}: {name} has type {t!r}, expected one of {TYPES}")
                self.defs[name] = ParamDef(
                    name, t, spec.get("unit", ""), spec.get("doc", ""),
                    None if spec.get("min") is None else Decimal(str(spec["min"])),
                    None if spec.get("max") is None else Decimal(str(spec["max"])),
                    tuple(spec.get("choices", ())),
                    str(spec.get("label", "")), str(spec.get("unit_zh", "")),
                )
            elif name not in self.defs:
                raise PolicyDataError(f"{path}: {name} is not defined in the national data")
            elif spec.get("min") is not None or spec.get("max") is not None:
                lo, hi = spec.get("min"), spec.get("max")
                self._bounds.setdefault(code, {})[name] = (
                    None if lo is None else Decimal(str(lo)), None if hi is None else Decimal(str(hi)),
                    str(spec.get("bounds_source", "")))
            d = self.defs[name]
            entries = []
            for e in spec.get("values", []):
                try:
                    value = parse_value(d, e.get("value"))
                    if code != "national":
                        self._check_bounds(name, value, regions.parents(code))  # bounds of every level above too
                except ValueError as exc:
                    raise PolicyDataError(f"{path}: {exc}") from None
                scope = tuple(sorted((e.get("scope") or {}).items()))
                entries.append(Entry(_date(e["from"]), value, str(e.get("source", "")),
                                     bool(e.get("placeholder", False)), scope))
            entries.sort(key=lambda x: x.start)
            self._values[code][name] = entries

    def check_bounds(self, name: str, value: Any, *codes: str) -> None:
        """Bounds a level puts on its own and its regions' values (DB-7: at least 5% in Wuhai)."""
        if _bounded(value):
            self._ensure(codes)  # a lazy policy reads these levels' bounds first
            self._check_bounds(name, value, codes)

    def _check_bounds(self, name: str, value: Any, codes) -> None:  # noqa: ANN001 - level codes, loaded
        if not _bounded(value):
            return
        for code in codes:
            lo, hi, src = self._bounds.get(code, {}).get(name, (None, None, ""))
            where = f" ({src})" if src else ""
            if lo is not None and value < lo:
                raise ValueError(f"{name}: expected at least {lo} in region {code}{where}, got {value}")
            if hi is not None and value > hi:
                raise ValueError(f"{name}: expected at most {hi} in region {code}{where}, got {value}")

    def chain(self, county: str) -> list[Level]:
        """The levels that govern a county, most specific first, ending with national."""
        cached = self._chains.get(county)
        if cached is None:
            covers = getattr(self, "covers", None)
            if covers is not None and not any(regions.contains(c, county) for c in covers):
                from doudi.policy.errors import InputError

                raise InputError("household.region", "a region of the parameter file (" + ", ".join(covers) + ")",
                                 county)
            out = [self.levels[c] for c in regions.parents(county) if c in self.levels]
            self._ensure(lv.code for lv in out)
            cached = self._chains[county] = out + [self.levels["national"]]
        return cached

    def resolve(self, name: str, county: str, on: dt.date, residence: str) -> Resolved:
        """The value of `name` in force for a county on a date (memoised: the data never changes
        once loaded, and a batch asks the same question once per county, date and residence)."""
        key = (name, county, on, residence)
        found = self._resolved.get(key)
        if found is None:
            if len(self._resolved) > 1_000_000:  # a long-lived web process: keep the memo bounded
                self._resolved.clear()
            found = self._resolved[key] = self._resolve(name, county, on, residence)
        return found

    def _resolve(self, name: str, county: str, on: dt.date, residence: str) -> Resolved:
        if name not in self.defs:
            raise KeyError(name)
        for lv in self.chain(county):
            entry = _in_force(self._values[lv.code].get(name, ()), on, residence)
            if entry is not None:
                return Resolved(name, entry.value, lv.level, lv.code, entry.source, entry.placeholder, entry.start)
        return Resolved(name, None, "national", "national", "", False, None)

    def parse_overrides(self, overrides: Mapping[str, Any]) -> dict[str, Any]:
        """Check parameter overrides (--set, the document's `overrides`); ValueError names the bad one."""
        out = {}
        for name, raw in overrides.items():
            if name not in self.defs:
                raise ValueError(f"unknown parameter {name!r} (see `doudi policy show REGION`)")
            out[name] = parse_value(self.defs[name], raw)
        return out


    # --- layers ------------------------------------------------------------------------------

    def with_layers(self, layers: Mapping[str, Mapping[str, Any]], *, replace: bool = False) -> Policy:
        """This policy with extra layers of values on top, as plain data (the database layer of a
        deployment, a parameter file of `doudi policy export`):

            {region code: {parameter: [{from: date, value, source, placeholder, scope}, ...]}}

        A layer's entries join the level's own (the latest `from` not after the date wins; on the
        same date the layer's entry wins). A region with no data of its own becomes a level.
        With `replace`, a layer's entries replace the level's instead (an export holds every
        entry it needs). Bad data raises PolicyDataError naming the region and parameter."""
        p = Policy.__new__(Policy)
        p.defs, p._bounds = self.defs, self.bounds
        p.levels = dict(self.levels)
        p._values = {c: dict(v) for c, v in self.values.items()}
        p._pending, p._lock = {}, threading.RLock()
        p._chains, p._resolved = {}, {}
        p.layer_codes = frozenset(getattr(self, "layer_codes", ())) | frozenset(layers)
        p.covers = getattr(self, "covers", None)
        for code, params in layers.items():
            code = str(code)
            if code not in p.levels:
                lv = regions.shape_level(code)
                if code != "national" and (lv not in LEVEL_ORDER or not regions.is_known(code)):
                    raise PolicyDataError(f"layer {code}: expected a province, city or county code that exists")
                p.levels[code] = Level(code, lv or "national", regions.name(code) or code, ())
            p._values.setdefault(code, {})
            for name, raw_entries in (params or {}).items():
                d = self.defs.get(name)
                if d is None:
                    raise PolicyDataError(f"layer {code}: {name} is not defined in the national data")
                entries = []
                for e in raw_entries or ():
                    try:
                        value = parse_value(d, e.get("value"))
                        if code != "national":
                            p.check_bounds(name, value, *regions.parents(code))
                        start = _date(e["from"])
                    except (ValueError, KeyError, TypeError) as exc:
                        raise PolicyDataError(f"layer {code}: {name}: {exc}") from None
                    scope = tuple(sorted((e.get("scope") or {}).items()))
                    entries.append(Entry(start, value, str(e.get("source", "")), bool(e.get("placeholder", False)),
                                         scope))
                own = [] if replace else list(p._values[code].get(name, ()))
                p._values[code][name] = sorted(own + entries, key=lambda x: x.start)  # stable: layer last
        return p

    def export(self, counties: list[str] | tuple[str, ...], on: dt.date) -> dict[str, Any]:
        """The resolved layers of these regions' levels as plain data: every level of their chains
        (national included) with, per parameter, the entries in force on `on` (for urban and rural
        households) and every later one, so that the file decides any date from `on` on exactly as
        this policy does. Read back by `Policy.from_export`."""
        codes: list[str] = []
        for c in counties:
            under = sorted(x for x in self.levels if x != "national" and x != c and regions.contains(c, x))
            for code in [lv.code for lv in self.chain(c)] + under:  # a city or province: its counties too
                if code not in codes:
                    codes.append(code)
        levels, values = {}, {}
        for code in codes:
            lv = self.levels[code]
            levels[code] = {"level": lv.level, "name": lv.name, "documents": list(lv.documents),
                            "scope": {doc: dict(sc) for doc, sc in lv.doc_scopes}}
            out = {}
            for name, entries in sorted(self.values[code].items()):
                keep = {id(e) for r in RESIDENCE for e in [_in_force(entries, on, r)] if e is not None}
                kept = [e for e in entries if id(e) in keep or e.start > on]
                if kept:
                    out[name] = [{"from": e.start.isoformat(), "value": _plain(e.value), "source": e.source,
                                  **({"placeholder": True} if e.placeholder else {}),
                                  **({"scope": dict(e.scope)} if e.scope else {})} for e in kept]
            values[code] = out
        return {"doudi_parameters": 1, "date": on.isoformat(), "regions": list(counties), "levels": levels,
                "values": values}

    @classmethod
    def from_export(cls, data: Mapping[str, Any], base: Policy | None = None) -> Policy:
        """The policy of an exported parameter file: the package's definitions, the file's levels
        and values only; a county outside the file's regions is refused (`chain` raises KeyError)."""
        base = base or default_policy()
        if not isinstance(data, Mapping) or data.get("doudi_parameters") != 1:
            raise PolicyDataError("expected a parameter file written by `doudi policy export`")
        p = Policy.__new__(Policy)
        p.defs, p._bounds = base.defs, base.bounds
        p.levels, p._values, p._chains, p._resolved = {}, {}, {}, {}
        p._pending, p._lock = {}, threading.RLock()
        for code, meta in (data.get("levels") or {}).items():
            code = str(code)
            scopes = tuple((doc, tuple(sorted(sc.items()))) for doc, sc in (meta.get("scope") or {}).items())
            p.levels[code] = Level(code, meta["level"], meta.get("name", code), tuple(meta.get("documents", ())),
                                   scopes)
            p._values[code] = {}
        if "national" not in p.levels:
            raise PolicyDataError("the parameter file has no national level")
        p.layer_codes = frozenset(p.levels)
        p.covers = tuple(str(r) for r in data.get("regions") or ())
        return p.with_layers({str(k): v for k, v in (data.get("values") or {}).items()}, replace=True)


def _plain(v: Any) -> Any:
    """A parsed value as YAML-safe plain data (Decimal as a string, tiers as mappings)."""
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, tuple):
        if v and isinstance(v[0], tuple) and len(v[0]) == 2 and isinstance(v[0][0], Decimal):
            return [{"above": str(a), "ratio": str(b)} for a, b in v]
        return [_plain(x) for x in v]
    return v


def _in_force(entries: list[Entry] | tuple, on: dt.date, residence: str) -> Entry | None:
    found = None
    for e in entries:
        if e.start > on:
            break
        if all(k != "residence" or v == residence for k, v in e.scope):
            found = e
    return found


def _date(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


def _bounded(value: Any) -> bool:
    """Only numbers have bounds (a flag, a list or 'none' has none)."""
    return value is not None and not isinstance(value, bool) and isinstance(value, (Decimal, int))


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped data, each level's values read when first needed (`Policy(lazy=True)`)."""
    return Policy(lazy=True)


RESIDENCE = ("urban", "rural")


class Params:
    """Parameters as columns over a batch of households (one value per household).

    Households are grouped by (county, date, residence); each group resolves each parameter
    once, and the column is gathered from the groups. Overrides replace every group's value.
    """

    def __init__(self, policy: Policy, hh: Any, overrides: Mapping[str, Any] | None = None):
        self.policy = policy
        self.overrides = dict(overrides or {})
        columns = [hh.h("region"), hh.h("date"), hh.h("residence")]
        one = all(map(is_constant, columns))  # one county, date and residence (a county's file)
        county, day, res = (c[:1].astype(np.int64) if one else c.astype(np.int64) for c in columns)
        key = (county * 200_000 + (day + 50_000)) * 2 + res
        if one:  # a single group: nothing to sort
            uniq, self.group = key, constant(len(columns[0]), 0)
        elif len(key) == 1:  # one household (an API call): np.unique's answer without its sort
            uniq, self.group = key, np.zeros(1, np.intp)
        else:
            uniq, self.group = np.unique(key, return_inverse=True)
            self.group = self.group.reshape(-1)
        self.keys = [(str(int(k) // 2 // 200_000), dt.date(1970, 1, 1) + dt.timedelta(days=int(k) // 2 % 200_000 - 50_000),
                      RESIDENCE[int(k) % 2]) for k in uniq]
        self._resolved: dict[str, list[Resolved]] = {}
        self._cols: dict[tuple[str, str], np.ndarray] = {}
        # One household: its parameter columns are the policy's, kept per (county, date, residence)
        # so that the next call on the same day and region converts nothing (_one). Without
        # overrides they are this object's columns from the start: a lookup is one dict read.
        self._one_memo: dict[tuple[str, str], np.ndarray] | None = None
        if len(self.group) == 1:
            memo = policy.__dict__.setdefault("_one_columns", {})
            self._one_memo = memo.get(self.keys[0])
            if self._one_memo is None:
                if len(memo) > 2000:  # a long-lived web process: keep the memo bounded
                    memo.clear()
                self._one_memo = memo.setdefault(self.keys[0], {})
            if not self.overrides:
                self._cols = self._one_memo
        for name, value in self.overrides.items():
            for county, _, _ in self.keys:
                policy.check_bounds(name, value, *(lv.code for lv in policy.chain(county)))

    def __contains__(self, name: str) -> bool:
        return name in self.policy.defs

    def resolved(self, name: str) -> list[Resolved]:
        """Per group: the resolved value with its level and source."""
        if name not in self._resolved:
            if name in self.overrides:
                rv = [Resolved(name, self.overrides[name], "override", "override", "--set / overrides", False, None)] * len(self.keys)
            else:
                rv = [self.policy.resolve(name, c, d, r) for c, d, r in self.keys]
            self._resolved[name] = rv
        return self._resolved[name]

    def entry(self, name: str, i: int) -> Resolved:
        """The resolved value for household i (for traces)."""
        return self.resolved(name)[int(self.group[i])]

    def value(self, name: str, i: int) -> Any:
        return self.entry(name, i).value

    def _gather(self, name: str, kind: str, fn, dtype, types: tuple[str, ...] = ()) -> np.ndarray:  # noqa: ANN001
        """The column of one parameter: one value per group, gathered per household. With a
        single group (one county, date and residence) it is a read-only broadcast of that value,
        so rules spend nothing on it and may skip work where it is zero. The parameter's type is
        checked against `types` when the column is first built (a kept column was checked then)."""
        key = (name, kind)
        col = self._cols.get(key)
        if col is None:
            if types:
                self._check(name, types)
            if self._one_memo is not None and name not in self.overrides:  # one household (an API call)
                col = self._one(name, kind, fn, dtype)
            else:
                col = self.per_household([fn(r.value) for r in self.resolved(name)], dtype)
            self._cols[key] = col
        return col

    def _one(self, name: str, kind: str, fn, dtype) -> np.ndarray:  # noqa: ANN001
        """The column of one household: a read-only array of one value, kept by the policy per
        (county, date, residence) and (parameter, kind), so that a second call on the same day and
        region converts nothing (rules never write into parameter columns: a batch's are
        read-only broadcasts)."""
        memo = self._one_memo
        key = (name, kind)
        col = memo.get(key)
        if col is None:
            col = np.asarray([fn(r.value) for r in self.resolved(name)], dtype=dtype)
            col.flags.writeable = False
            memo[key] = col
        return col

    def isset(self, name: str) -> np.ndarray:
        """Mask: the parameter has a value (is not 'none') for the household."""
        return self._gather(name, "isset", lambda v: v is not None, bool)

    def money(self, name: str) -> np.ndarray:
        """int64 fen per household; 'none' gives 0 (check isset where none means 'no cap')."""
        return self._gather(name, "fen", lambda v: 0 if v is None else int(v * 100), np.int64, ("money",))

    def ratio(self, name: str) -> np.ndarray:
        """int64 micro-units (× 1,000,000) per household; 'none' gives 0."""
        return self._gather(name, "micro", lambda v: 0 if v is None else int(v * MICRO), np.int64, ("ratio",))

    def count(self, name: str) -> np.ndarray:
        return self._gather(name, "int", lambda v: 0 if v is None else int(v), np.int64, ("count",))

    def area(self, name: str) -> np.ndarray:
        """int64 hundredths of m² per household; 'none' gives 0."""
        return self._gather(name, "area", lambda v: 0 if v is None else int(v * 100), np.int64, ("area",))

    def flag(self, name: str) -> np.ndarray:
        return self._gather(name, "flag", lambda v: bool(v), bool, ("flag",))

    def text(self, name: str) -> np.ndarray:
        return self._gather(name, "text", lambda v: "" if v is None else str(v), object, ("text",))

    def per_household(self, per_group: Any, dtype: Any = None) -> np.ndarray:
        """A column from one value per group (a list or array in group order): a read-only
        broadcast when there is one group, like the parameter columns."""
        values = np.asarray(per_group, dtype=dtype)
        if len(values) == 1 and len(self.group) > 1:
            return constant(len(self.group), values[0], values.dtype)
        return values[self.group] if len(values) else np.zeros(len(self.group), values.dtype)

    def group_values(self, name: str) -> list[Any]:
        """Per-group raw values, for parameters that are not scalars (tiers, lists)."""
        return [r.value for r in self.resolved(name)]

    def _check(self, name: str, types: tuple[str, ...]) -> None:
        d = self.policy.defs.get(name)
        if d is None:
            raise KeyError(f"parameter {name} is not defined")
        if d.type not in types:
            raise TypeError(f"parameter {name} is {d.type}, not {types}")
