"""The policy core, called for one household with a person's own columns read out (no queries here).

The policy core's decision JSON gives each program's household amount; the children's and
disability rules keep per-person columns (`ProgramResult.persons`: children ``allowance``,
disability ``living`` and ``care``). `decide_for(doc, id_number)` runs the policy core once and
returns the decision JSON with those columns of the named person, so a child's benefit is
exactly his own allowance and nothing is divided.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

PERSON_COLUMNS = {"children": ("allowance",), "disability": ("living", "care"),
                  "medical": ("premium_subsidy_micro",)}


def decide_for(doc: Mapping[str, Any], id_number: str) -> tuple[dict, dict[str, int]]:
    """(decision JSON, {"children.allowance": fen, "disability.living": fen, "disability.care": fen, …})."""
    decision, by_id = decide_members(doc)
    return decision, by_id.get(str(id_number), {})


def decide_members(doc: Mapping[str, Any]) -> tuple[dict, dict[str, dict[str, int]]]:
    """(decision JSON, {id_number: {"children.allowance": fen, …}}) for every member."""
    from doudi.policy import regions
    from doudi.policy.decision import Decision
    from doudi.policy.engine import decide, merge_overrides
    from doudi.policy.household import from_documents
    from doudi.policy.params import default_policy

    policy = default_policy()
    hh = from_documents([doc])
    done, p, why = decide(hh, policy, merge_overrides(policy, doc.get("overrides"), None), traced=(0,))
    county = str(int(hh.h("region")[0]))
    decision = Decision.build(hh, done, p, why, policy.chain(county), regions.name(county)).as_json()
    by_id: dict[str, dict[str, int]] = {}
    for j, m in enumerate(doc.get("members") or []):
        cols = by_id.setdefault(str(m.get("id_number")), {})
        k = int(hh.offsets[0]) + j
        for program, names in PERSON_COLUMNS.items():
            r = done.get(program)
            for name in names:
                col = None if r is None else r.persons.get(name)
                cols[f"{program}.{name}"] = int(col[k]) if col is not None else 0
    return decision, by_id


def parameters(region: str, on: dt.date, residence: str, prefixes: tuple[str, ...]) -> list[dict]:
    """The parameters of the decision as they were (name, value, level, source, from, placeholder)."""
    from doudi.policy.show import rows

    return [{"name": r.name, "value": None if r.value is None else str(r.value), "unit": unit, "level": r.level,
             "source": r.source, "from": r.start.isoformat() if r.start else None, "placeholder": r.placeholder}
            for r, unit in rows(region[:6], on, residence) if r.name.startswith(prefixes)]


def program(decision: Mapping[str, Any], name: str) -> dict:
    return (decision.get("programs") or {}).get(name) or {"eligible": False, "amount": "0.00", "trace": []}


def fen(yuan_text: Any) -> int:
    return int((Decimal(str(yuan_text or "0")) * 100).to_integral_value())


def rules_of(result: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(t.get("rule", "") for t in result.get("trace") or []))
