"""`doudi policy show REGION`: every parameter in force, with value, unit, level and source."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from doudi.policy import regions
from doudi.policy.errors import InputError
from doudi.policy.params import Resolved, default_policy


def rows(region: str, on: dt.date, residence: str = "urban",
         sets: Mapping[str, str] | None = None) -> list[tuple[Resolved, str]]:
    policy = default_policy()
    if not (region.isdigit() and len(region) in (6, 9, 12)) or not regions.is_known(region):
        raise InputError("REGION", "a region code that exists in GB/T 2260 (6 digits, or 9/12-digit statistical code)", region)
    county = regions.county_of(region)
    try:
        overrides = policy.parse_overrides(sets or {})
    except ValueError as exc:
        raise InputError("--set", "a known parameter with a valid value", str(exc)) from None
    out = []
    for name in sorted(policy.defs):
        if name in overrides:
            r = Resolved(name, overrides[name], "override", "override", "--set", False, None)
        else:
            r = policy.resolve(name, county, on, residence)
        out.append((r, policy.defs[name].unit))
    return out


def _fmt(v) -> str:
    if v is None:
        return "none"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, tuple):
        return json.dumps([[str(a), str(b)] if isinstance(a, object) else a for a, b in v]) if v and isinstance(v[0], tuple) else json.dumps(list(v), ensure_ascii=False)
    return str(v)


def render(region: str, on: dt.date, residence: str, sets: Mapping[str, str] | None, fmt: str) -> str:
    policy = default_policy()
    data = rows(region, on, residence, sets)
    chain = policy.chain(regions.county_of(region))
    if fmt == "json":
        return json.dumps({
            "region": region, "name": regions.name(region), "date": on.isoformat(), "residence": residence,
            "levels": [{"level": lv.level, "region": lv.code, "name": lv.name, "documents": list(lv.documents)} for lv in reversed(chain)],
            "parameters": [{"name": r.name, "value": _fmt(r.value), "unit": unit, "level": r.level, "region": r.region,
                            "source": r.source, "from": r.start.isoformat() if r.start else None,
                            "placeholder": r.placeholder} for r, unit in data],
        }, ensure_ascii=False, indent=2) + "\n"
    head = f"{region} {regions.name(region) or ''}  {on.isoformat()}  ({residence})\n"
    head += "levels: " + " > ".join(f"{lv.level} {lv.name}" for lv in reversed(chain)) + "\n\n"
    w = max(len(r.name) for r, _ in data)
    lines = [f"{'parameter':<{w}}  {'value':<12} {'level':<9} {'from':<10}  unit | source"]
    for r, unit in data:
        mark = " [placeholder]" if r.placeholder else ""
        start = r.start.isoformat() if r.start else "-"
        lines.append(f"{r.name:<{w}}  {_fmt(r.value):<12} {r.level:<9} {start:<10}  {unit} | {r.source}{mark}")
    return head + "\n".join(lines) + "\n"
