"""The rule catalogue: every rule id with its text and sources (data/rules.yaml).

A trace entry cites a rule with the source that governs the household: of the rule's
sources, the first whose document is in force for the region (its level chain), else the
national text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data" / "rules.yaml"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict]:
    return load_yaml(DATA)


def rule_source(rule: str, documents: tuple[str, ...] | list[str]) -> str:
    """The clause that governs `rule` for a region whose documents are `documents`."""
    entry = catalogue().get(rule)
    if entry is None:
        raise KeyError(f"rule {rule} is not in the catalogue")
    sources = entry["sources"]
    for s in sources:
        doc = s.split(" ")[0]
        if doc in documents:
            return s
    nat = [s for s in sources if s.startswith("NAT")]
    if nat:
        return nat[0]
    # No source of this rule governs the region: never cite another region's document as if it
    # did; cite the national framework and name the clause the rule was written from.
    return f"NAT 国务院令第649号 (cf. {sources[0]})"
