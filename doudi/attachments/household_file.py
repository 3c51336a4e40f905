"""The attachments' part of the household file: the proofs of the household and of all its cases."""

from __future__ import annotations

from typing import Any

from doudi.registry.household_file import Section


def household_sections(user: Any, household: Any) -> list[Section]:
    # no count beside the title: an upload swaps the section in place and the title would go stale
    return [Section("attachments", "证件与材料", "attachments/file/_household.html", {"target": household}, order=90)]
