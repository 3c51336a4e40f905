"""The policy core's household document (interfaces.md), built from the registry."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import Any

from doudi.registry.models import Household


def deep_merge(base: dict, extra: Mapping[str, Any] | None) -> dict:
    """Merge ``extra`` into ``base`` (nested dicts merged, other values replaced); returns base."""
    for key, value in (extra or {}).items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def person_entry(person: Any, relation: str) -> dict[str, Any]:
    """One member of a household document: who the person is (without the person's ``facts``)."""
    return {"id_number": person.id_number, "name": person.name, "relation": relation,
            "birth_date": person.birth_date.isoformat(), "sex": person.sex, "ethnic_minority": person.ethnic_minority}


def household_document(household: Household, on_date: dt.date, *, extra: Mapping[str, Any] | None = None,
                       member_extra: Mapping[str, Mapping[str, Any]] | None = None) -> dict:
    """The household document of who lived in ``household`` on ``on_date``.

    Household ``facts`` and each person's ``facts`` are merged in; ``extra`` (household level,
    e.g. investigated assets) and ``member_extra`` (by ID number, e.g. investigated incomes)
    override them. The result is what ``doudi.policy.engine.assess`` takes.
    """
    doc: dict[str, Any] = {"region": household.region_code, "residence": household.residence,
                           "date": on_date.isoformat()}
    deep_merge(doc, household.facts)
    members = []
    order = {"self": 0, "spouse": 1, "parent": 2, "child": 3}
    for m in sorted(household.memberships_on(on_date), key=lambda m: (order.get(m.relation, 9), m.person.birth_date)):
        p = m.person
        member = person_entry(p, m.relation)
        deep_merge(member, p.facts)
        deep_merge(member, (member_extra or {}).get(p.id_number))
        members.append(member)
    doc["members"] = members
    deep_merge(doc, extra)
    return doc
