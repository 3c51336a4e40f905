"""Region codes are compared by the prefix of their level in one place (doudi.policy.regions.prefix,
contains; doudi.accounts.areas.region_q): no `startswith` on a region code anywhere else, so that
a city code (150200) can never again contain nothing (issue 10)."""

from __future__ import annotations

import re
from pathlib import Path

DOUDI = Path(__file__).resolve().parents[2] / "doudi"
ALLOWED = {DOUDI / "policy" / "regions.py"}
PATTERNS = [re.compile(r"region\w*__startswith"), re.compile(r"region\w*(\)|\])?\.startswith\("),
            re.compile(r"area\w*__startswith"), re.compile(r"\bcode\.startswith\(")]


def test_no_startswith_on_a_region_code():
    found = []
    for path in DOUDI.rglob("*.py"):
        if path in ALLOWED or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if any(p.search(line) for p in PATTERNS):
                found.append(f"{path.relative_to(DOUDI.parent)}:{n}: {line.strip()}")
    assert not found, "use doudi.policy.regions.contains / doudi.accounts.areas.region_q:\n" + "\n".join(found)
