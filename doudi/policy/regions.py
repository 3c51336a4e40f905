"""Region codes: GB/T 2260 administrative codes, and 9/12-digit statistical codes under them.

The whole list ships as package data in data/regions/ (see its README for sources and
licences, and scripts/regions/regenerate.py to rebuild it):

- every 6-digit code that has ever existed since about 1980, with its names over time
  (ID numbers keep the code of the county that issued them, however old), plus the
  statistical-only county-level codes (development zones) of the statistics bureau;
- the current 9-digit township (乡镇、街道) and 12-digit village (村、居委会) statistical codes.

Tables load lazily: the 6-digit table on first use, townships when a 9/12-digit code (or a
county's children) is asked for, and villages one province at a time when a 12-digit code is.

Levels: province XX0000, city XXYY00 (prefecture, league, autonomous prefecture), county
XXYYZZ, township (9 digits), village (12 digits). Some city-level codes are only groupings, not
governments: "市辖区" of a municipality (110100), Chongqing's "县" (500200) and the
"省直辖县级行政区划" of provinces with province-administered county-level units (419000, 429000,
469000, 659000). They exist as codes but `parents` skips them: the county's government above is
its province.
"""

from __future__ import annotations

import csv
import gzip
import io
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).parent / "data" / "regions"
LENGTHS = (6, 9, 12)
# names of city-level codes that group counties but are not a government level
GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政单位", "省直辖县级行政区划", "自治区直辖县级行政单位",
                            "自治区直辖县级行政区划"})


class Code(NamedTuple):
    """One 6-digit code: its present (or last) name, whether it is in force, and its history.
    (A named tuple, not a frozen dataclass: the 7,000 of them are made in a third of the time.)"""

    code: str
    name: str
    current: bool
    kind: str  # "gb": GB/T 2260; "stat": statistical-only code (development zones and the like)
    history_text: str  # "from-to:name;…" as the table stores it

    @property
    def history(self) -> tuple[tuple[int | None, int | None, str], ...]:
        """(from year, to year, name); None = open. Parsed when asked for: parsing all 7,000
        codes' histories on loading cost every process about 40 ms, and few ever ask."""
        return _history(self.history_text)


# --- loading ---------------------------------------------------------------------------------

def _rows(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(io.StringIO(fh.read()))
        next(reader)
        return list(reader)


def _history(text: str) -> tuple[tuple[int | None, int | None, str], ...]:
    out = []
    for part in filter(None, text.split(";")):
        years, _, nm = part.partition(":")
        start, _, end = years.partition("-")
        out.append((int(start) if start else None, int(end) if end else None, nm))
    return tuple(out)


@lru_cache(maxsize=1)
def _codes() -> dict[str, Code]:
    return {r[0]: Code(r[0], r[1], r[2] == "1", r[3], r[4]) for r in _rows(DATA / "codes.csv.gz")}


@lru_cache(maxsize=1)
def _townships() -> dict[str, str]:
    return dict((r[0], r[1]) for r in _rows(DATA / "townships.csv.gz"))


@lru_cache(maxsize=40)
def _villages(province: str) -> dict[str, str]:
    path = DATA / "villages" / f"{province}.csv.gz"
    if not path.exists():
        return {}
    return dict((r[0], r[1]) for r in _rows(path))


def _well_formed(code: object) -> bool:
    return isinstance(code, str) and code.isdigit() and len(code) in LENGTHS and code.isascii()


# --- the public API --------------------------------------------------------------------------

def info(code: str) -> Code | None:
    """The 6-digit code's record (name, current, history), or None when it never existed."""
    return _codes().get(code) if _well_formed(code) and len(code) == 6 else None


def name(code: str) -> str | None:
    """The present name (or the last name of a past code); None for an unknown code."""
    if not _well_formed(code):
        return None
    if len(code) == 6:
        c = _codes().get(code)
        return c.name if c else None
    if len(code) == 9:
        return _townships().get(code)
    return _villages(code[:2]).get(code)


def is_known(code: str) -> bool:
    """Any code that has ever existed: 6-digit GB/T 2260 (present or past) or statistical code,
    or a current 9-digit township / 12-digit village code."""
    return name(code) is not None


def is_current(code: str) -> bool:
    """In force now (6 digits: in the latest GB/T 2260 list or a current statistical code)."""
    if not _well_formed(code):
        return False
    if len(code) == 6:
        c = _codes().get(code)
        return bool(c and c.current)
    return is_known(code)


def level(code: str) -> str | None:
    """province | city | county | township | village, by the shape of a known code."""
    if not is_known(code):
        return None
    if len(code) == 9:
        return "township"
    if len(code) == 12:
        return "village"
    if code[2:] == "0000":
        return "province"
    return "city" if code[4:] == "00" else "county"


def county_of(code: str) -> str:
    """The county-level (6-digit) code a 6/9/12-digit code lies in."""
    return code[:6]


def is_grouping(code: str) -> bool:
    """A city-level code that only groups counties ("市辖区", "省直辖县级行政区划", …)."""
    c = _codes().get(code) if isinstance(code, str) else None
    return bool(c and code[4:] == "00" and code[2:] != "0000" and c.name in GROUPING_NAMES)


def parents(code: str) -> list[str]:
    """The county, then its city, then its province: most specific first, only codes that exist.

    A 9/12-digit code starts at its county. Grouping codes ("市辖区" of a municipality,
    "省直辖县级行政区划") are skipped, so Beijing's 110101 gives [110101, 110000] and Henan's
    province-administered 419001 gives [419001, 410000]. A city code gives [city, province].
    An unknown code gives [].
    """
    if not is_known(code):
        return []
    county = county_of(code)
    chain: list[str] = []
    for c in (county, county[:4] + "00", county[:2] + "0000"):
        if c not in chain and c in _codes() and not is_grouping(c):
            chain.append(c)
    return chain


def history(code: str) -> list[tuple[int | None, int | None, str]]:
    """The names a 6-digit code has carried, with their years (None = open)."""
    c = info(code)
    return list(c.history) if c else []


def full_name(code: str) -> str | None:
    """Province, city, county (and township, village) names joined: 甘肃省白银市会宁县."""
    if not is_known(code):
        return None
    parts = [name(c) or "" for c in reversed(parents(code))]
    if len(code) >= 9:
        parts.append(name(code[:9]) or "")
    if len(code) == 12:
        parts.append(name(code) or "")
    return "".join(parts)


def children(code: str, include_past: bool = False) -> list[str]:
    """The codes directly under a code, sorted: a province's cities (and the counties it
    administers directly, or a municipality's districts), a city's counties (and townships it
    has directly, as 东莞 441900), a county's townships, a township's villages."""
    if not is_known(code):
        return []
    if len(code) == 9:
        return sorted(c for c in _villages(code[:2]) if c.startswith(code))
    if len(code) == 12:
        return []
    lv = level(code)
    if lv == "county":
        return _townships_under(code)
    codes = _codes()

    def keep(c: str) -> bool:
        rec = codes[c]
        return (include_past or rec.current) and rec.name != "市辖区"

    if lv == "province":
        out = []
        for c in codes:
            if c[:2] != code[:2] or c == code or not keep(c):
                continue
            city = c[:4] + "00"
            if c[4:] == "00":
                if not is_grouping(c):
                    out.append(c)
            elif is_grouping(city) or city not in codes:
                out.append(c)
        return sorted(out)
    out = [c for c in codes if c[:4] == code[:4] and c[4:] != "00" and keep(c)]
    return sorted(out) + _townships_under(code)


def _townships_under(county: str) -> list[str]:
    return list(_townships_by_county().get(county[:6], ())) if len(county) == 6 else \
        sorted(c for c in _townships() if c.startswith(county))


@lru_cache(maxsize=1)
def _townships_by_county() -> dict[str, tuple[str, ...]]:
    """Every township under its six-digit county (or city) code, sorted: built once, as the table is."""
    out: dict[str, list[str]] = {}
    for c in sorted(_townships()):
        out.setdefault(c[:6], []).append(c)
    return {k: tuple(v) for k, v in out.items()}


def search(text: str, under: str | None = None, limit: int = 50, include_past: bool = False) -> list[tuple[str, str]]:
    """Codes whose name contains `text` or whose code starts with it, as (code, name).

    Searches county-level and higher codes, and townships; with `under` a county or township,
    its villages too. `under` restricts the answer to codes beneath it (by code prefix).
    """
    text = (text or "").strip()
    prefix = _prefix(under) if under else ""
    out: list[tuple[str, str]] = []

    def take(pairs) -> bool:
        for c, nm in pairs:
            if c.startswith(prefix) and c != under and (not text or text in nm or c.startswith(text)):
                out.append((c, nm))
                if len(out) >= limit:
                    return True
        return False

    six = ((c, r.name) for c, r in sorted(_codes().items())
           if (include_past or r.current) and not is_grouping(c) and r.name != "市辖区")
    if take(six) or take(sorted(_townships().items())):
        return out
    if under and len(under) in (6, 9) and level(under) in ("county", "township", "city"):
        take(sorted(_villages(under[:2]).items()))
    return out


LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}


def shape_level(code: object) -> str | None:
    """province | city | county | township | village by the shape of a code alone (620000,
    620400, 620422, 9 and 12 digits); None when it is not a 6/9/12-digit code. A 9/12-digit code
    ending in 000 is read as the level above (620422000 is the county). Unlike `level`, the code
    need not exist."""
    c = str(code).strip() if isinstance(code, (str, int)) and not isinstance(code, bool) else ""
    if not (c.isdigit() and c.isascii() and len(c) in LENGTHS):
        return None
    return {2: "province", 4: "city", 6: "county", 9: "township", 12: "village"}[len(prefix(c))]


def prefix(code: str) -> str:
    """The digits every region code under a code starts with: province 620000 -> 62, city 620400
    -> 6204, county 620422, township 620422100, village 620422100201 (a 12/9-digit code ending in
    000 stands for the level above). Idempotent: a prefix gives itself. The one place that knows
    how long a level's prefix is (never `startswith` on a six-digit code: 150200 would contain
    nothing)."""
    c = str(code).strip()
    if len(c) == 12 and c.endswith("000"):
        c = c[:9]
    if len(c) == 9 and c.endswith("000"):
        c = c[:6]
    if len(c) == 6:
        if c.endswith("0000"):
            return c[:2]
        if c.endswith("00"):
            return c[:4]
    return c


_prefix = prefix


def contains(parent: str, child: str) -> bool:
    """True when region code `child` lies in `parent` (or is it): contains("620400", "620422100201")."""
    p = prefix(parent)
    return bool(p) and str(child).strip().startswith(p)


__all__ = ["Code", "info", "name", "is_known", "is_current", "level", "county_of", "is_grouping", "parents",
           "history", "full_name", "children", "search",
           "shape_level", "prefix", "contains", "LEVEL_DIGITS"]
