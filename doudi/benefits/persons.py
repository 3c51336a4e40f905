"""Per-person lines of a program the policy core decides per person (特困, TK-1, TK-2, TK-4).

特困 is decided per person (特困人员认定办法 Art.4, TK-4) and each covered person has his own
amount: the basic-living standard of TK-1 (元/人·月, rounded half-up to the fen once per
person) plus the care standard of his own self-care tier (TK-2, NAT-TK-SELFCARE). The policy
core's decision JSON gives only the household's sum; its rule module keeps the per-person
columns (`ProgramResult.persons`: covered, basic_standard, care_standard). This module reads
them, so a person's benefit is exactly his part of the household sum: nothing is divided, and
the persons' amounts add up to the household amount to the fen.

No queries here. `assess_with_lines(doc)` is the policy core's decision of one household
(`doudi.policy.engine.assess`, unchanged) with one extra top-level key, ``person_lines``:
{program: [{id_number, name, covered, basic_standard, care_standard, amount, self_care_tier}]}
(amounts as yuan text, like the decision). Stored with the decision, a later check (an amount
change) reads the person's line from it (`person_fen`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from doudi.benefits.models import PER_PERSON  # programs whose benefit belongs to one person
from doudi.policy.money import format_yuan, yuan_to_fen

TIERS = ("full", "partial", "none")  # the policy core's self-care vocabulary (rules/tekun.py)


def lines_of(done: Mapping[str, Any], program: str, hh: Any, i: int, doc: Mapping[str, Any]) -> list[dict]:
    """The per-person lines of household ``i`` (document ``doc``) from the policy core's results
    ``done`` (doudi.policy.engine.decide); [] for a program decided per household."""
    r = done.get(program)
    if program not in PER_PERSON or r is None:
        return []
    covered, basic = r.persons["covered"], r.persons["basic_standard"]
    care, tier = r.persons["care_standard"], r.persons.get("self_care_tier")
    out = []
    for j, m in enumerate(doc.get("members") or []):
        k = int(hh.offsets[i]) + j
        on = bool(covered[k])
        b, c = (int(basic[k]), int(care[k])) if on else (0, 0)
        out.append({"id_number": str(m.get("id_number") or ""), "name": str(m.get("name") or ""), "covered": on,
                    "basic_standard": format_yuan(b), "care_standard": format_yuan(c),
                    "amount": format_yuan(b + c),
                    "self_care_tier": TIERS[int(tier[k])] if tier is not None and on else ""})
    return out


def assess_with_lines(doc: Mapping[str, Any], *, date: str | None = None,
                      sets: Mapping[str, Any] | None = None, policy: Any = None) -> dict:
    """The policy core's decision JSON of one household document with its ``person_lines``: one
    run of the policy core serves both (the steps of ``doudi.policy.engine.assess``)."""
    from doudi.policy import regions
    from doudi.policy.decision import Decision
    from doudi.policy.engine import decide, merge_overrides
    from doudi.policy.household import from_documents
    if policy is None:  # the deployment's store (YAML + approved values, doudi.params)
        from doudi.params.store import current_policy

        policy = current_policy()
    hh = from_documents([doc], date=date)
    done, p, why = decide(hh, policy, merge_overrides(policy, doc.get("overrides"), sets), traced=(0,))
    county = str(int(hh.h("region")[0]))
    decision = Decision.build(hh, done, p, why, policy.chain(county), regions.name(county)).as_json()
    decision["person_lines"] = {p: lines_of(done, p, hh, 0, doc) for p in sorted(PER_PERSON) if p in done}
    return decision


def person_line(assessment: Mapping[str, Any] | None, program: str, id_number: str) -> dict | None:
    """The line of the person with ``id_number`` in a stored decision; None when the decision has
    no per-person lines or the person is not in the household."""
    for line in ((assessment or {}).get("person_lines") or {}).get(program) or []:
        if line.get("id_number") == str(id_number):
            return line
    return None


def has_lines(assessment: Mapping[str, Any] | None, program: str) -> bool:
    return program in ((assessment or {}).get("person_lines") or {})


def person_fen(assessment: Mapping[str, Any] | None, program: str, id_number: str) -> int | None:
    """The person's monthly amount in fen (0 when not covered or not in the household); None when
    the decision carries no per-person lines for the program."""
    if not has_lines(assessment, program):
        return None
    line = person_line(assessment, program, id_number)
    if line is None or not line.get("covered"):
        return 0
    return yuan_to_fen(line["amount"])


def line_sentence(line: Mapping[str, Any] | None, household_amount: str | None = None) -> str:
    """The person's amount explained: basic-living standard + care standard (TK-1, TK-2)."""
    if line is None:
        return "供养对象已不在本户共同生活（死亡、迁出等），不再按本户核算特困供养金"
    if not line.get("covered"):
        return f"{line['name']}不符合特困人员条件"
    text = (f"{line['name']}：基本生活标准 {line['basic_standard']} 元 + 照料护理标准 {line['care_standard']} 元 = "
            f"{line['amount']} 元/月（TK-1、TK-2）")
    if household_amount is not None and household_amount != line["amount"]:
        text += f"；全户特困供养金合计 {household_amount} 元，按人分别发放"
    return text
