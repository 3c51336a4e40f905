"""The attachments' part of the household file: the proofs of the household and of all its cases."""

from __future__ import annotations

from typing import Any

from doudi.registry.household_file import Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.attachments import services

    count = services.household_attachments(user, household).count()
    return [Section("attachments", "证件与材料", "attachments/file/_household.html", {"target": household},
                    order=90, count=count)]
