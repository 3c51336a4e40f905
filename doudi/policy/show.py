"""`doudi policy show REGION`: every parameter in force, with value, unit, level and source.

Also the checking of parameter overrides (`--set NAME=VALUE`, the document's `overrides`) with
one clear message per bad name or value, shared by `doudi assess` and `doudi policy show`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from doudi.policy import regions
from doudi.policy.errors import InputError
from doudi.policy.money import parse_decimal
from doudi.policy.params import ParamDef, Policy, Resolved, default_policy

# Overrides are bounded like household amounts, so that no product of fen and ratio leaves int64.
_LIMITS = {"money": Decimal(100_000_000), "area": Decimal(100_000_000), "ratio": Decimal(1000),
           "count": 1_000_000}
REGION_EXPECTED = "a region code that exists or has existed in GB/T 2260 (6 digits), or a 9/12-digit statistical code"
_TYPE_EXPECTED = {
    "money": "an amount in yuan with at most 2 decimals, not negative, or none",
    "area": "an area in m² with at most 2 decimals, not negative, or none",
    "ratio": "a ratio with at most 6 decimals, not negative, or none",
    "count": "a whole number, not negative, or none",
    "flag": "true or false",
    "text": "text",
    "tiers": 'tiers as JSON [{"above": yuan, "ratio": r}, …]',
    "list": "a JSON list",
}


def check_region(region: object, where: str = "REGION") -> str:
    """The region code as a string, or InputError naming `where`."""
    s = str(region).strip() if isinstance(region, (str, int)) and not isinstance(region, bool) else ""
    if not (s.isdigit() and s.isascii() and len(s) in (6, 9, 12)) or not regions.is_known(s):
        raise InputError(where, REGION_EXPECTED, region)
    return s


def expectation(d: ParamDef, message: str) -> str:
    """What a parameter's value should be, from parse_value's message or the parameter's type."""
    m = re.search(r": expected (.*?)(?:, got .*)?$", message)
    return m.group(1) if m else _TYPE_EXPECTED.get(d.type, "a valid value")


def check_overrides(policy: Policy, given: Mapping[str, Any] | None, where: str,
                    counties: tuple[str, ...] = ()) -> dict[str, Any]:
    """Parse overrides one by one; InputError names the bad one (`where` is "overrides" or "--set").

    With `counties`, each value is also checked against the bounds their levels set (DB-7).
    """
    out: dict[str, Any] = {}
    for name, raw in (given or {}).items():
        path = f"{where}.{name}" if where == "overrides" else f"{where} {name}"
        d = policy.defs.get(name)
        if d is None:
            raise InputError(path, "a parameter name that `doudi policy show REGION` lists", name)
        try:
            _check_raw_size(d, raw)
            value = policy.parse_overrides({name: raw})[name]
            _check_limit(d, value)
            for county in counties:
                policy.check_bounds(name, value, *(lv.code for lv in policy.chain(county)))
        except ValueError as exc:
            raise InputError(path, expectation(d, str(exc)), raw) from None
        out[name] = value
    return out


def _check_raw_size(d: ParamDef, raw: Any) -> None:
    """Refuse a huge number before parse_value quantizes it (beyond Decimal's precision)."""
    if d.type not in _LIMITS or raw is None or isinstance(raw, bool):
        return
    try:
        v = parse_decimal(raw)
    except ValueError:
        return  # parse_value words the error
    if abs(v) > _LIMITS[d.type]:
        raise ValueError(f"{d.name}: expected at most {_LIMITS[d.type]}, got {raw!r}")


def _check_limit(d: ParamDef, value: Any) -> None:
    limit = _LIMITS.get(d.type)
    if limit is not None and value is not None and value > limit:
        raise ValueError(f"{d.name}: expected at most {limit}, got {value}")
    if d.type == "tiers" and value is not None:
        for above, ratio in value:
            if not (0 <= above <= _LIMITS["money"] and 0 <= ratio <= _LIMITS["ratio"]):
                raise ValueError(f"{d.name}: expected tiers with thresholds from 0 to {_LIMITS['money']} yuan "
                                 f"and ratios from 0 to {_LIMITS['ratio']}, got {above}, {ratio}")


def rows(region: str, on: dt.date, residence: str = "urban",
         sets: Mapping[str, str] | None = None, policy: Policy | None = None) -> list[tuple[Resolved, str]]:
    policy = policy or default_policy()
    region = check_region(region)
    county = regions.county_of(region)
    overrides = check_overrides(policy, sets, "--set", (county,))
    out = []
    for name in sorted(policy.defs):
        if name in overrides:
            r = Resolved(name, overrides[name], "override", "override", "--set", False, None)
        else:
            r = policy.resolve(name, county, on, residence)
        out.append((r, policy.defs[name].unit))
    return out


def _fmt(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        if v and isinstance(v[0], tuple):
            return json.dumps([{"above": str(a), "ratio": str(b)} for a, b in v])
        return json.dumps([str(x) if not isinstance(x, (str, int, float)) else x for x in v], ensure_ascii=False)
    return str(v)


def region_chain(region: str) -> list[tuple[str, str]]:
    """(code, name) of the region's province, city, county (and township, village), top first."""
    chain = [(c, regions.name(c) or "") for c in reversed(regions.parents(region))]
    if len(region) >= 9:
        chain.append((region[:9], regions.name(region[:9]) or ""))
    if len(region) == 12:
        chain.append((region, regions.name(region) or ""))
    return chain


def render(region: str, on: dt.date, residence: str, sets: Mapping[str, str] | None, fmt: str,
           policy: Policy | None = None) -> str:
    policy = policy or default_policy()
    data = rows(region, on, residence, sets, policy)
    region = check_region(region)
    levels = policy.chain(regions.county_of(region))
    chain = region_chain(region)
    if fmt == "json":
        return json.dumps({
            "region": region, "name": regions.name(region), "current": regions.is_current(region),
            "date": on.isoformat(), "residence": residence,
            "regions": [{"region": c, "name": n} for c, n in chain],
            "levels": [{"level": lv.level, "region": lv.code, "name": lv.name, "documents": list(lv.documents)}
                       for lv in reversed(levels)],
            "parameters": [{"name": r.name, "value": _fmt(r.value), "unit": unit, "level": r.level, "region": r.region,
                            "source": r.source, "from": r.start.isoformat() if r.start else None,
                            "placeholder": r.placeholder} for r, unit in data],
        }, ensure_ascii=False, indent=2) + "\n"
    past = "" if regions.is_current(region) else "  [code no longer in force]"
    head = f"{region} {regions.full_name(region) or ''}  {on.isoformat()}  ({residence}){past}\n"
    head += "regions: " + " > ".join(f"{c} {n}" for c, n in chain) + "\n"
    head += "levels with policy data: " + " > ".join(
        f"{lv.level} {lv.name}" + (f" ({', '.join(lv.documents)})" if lv.documents else "") for lv in reversed(levels))
    if len(levels) == 1:
        head += "  (no local data: national values apply)"
    head += "\n\n"
    w = max(len(r.name) for r, _ in data)
    lines = [f"{'parameter':<{w}}  {'value':<12} {'level':<9} {'from':<10}  unit | source"]
    for r, unit in data:
        mark = " [placeholder]" if r.placeholder else ""
        start = r.start.isoformat() if r.start else "-"
        lines.append(f"{r.name:<{w}}  {_fmt(r.value):<12} {r.level:<9} {start:<10}  {unit} | {r.source}{mark}")
    return head + "\n".join(lines) + "\n"
