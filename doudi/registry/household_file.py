"""一户一档: the household's whole file on one page, put together from every app.

The registry shows who the household is, its members over time and its economic facts with their
history; every other app contributes what it holds about the household through an optional
module ``doudi/<app>/household_file.py`` (discovered like ``nav.py``) with up to two functions:

- ``household_sections(user, household) -> list[Section]`` — blocks of the file (the cases of a
  program, the live benefits, payments, verification results, attachments …);
- ``household_actions(user, household) -> list[FileAction]`` — acts that start from the file
  (申请低保, 申请特困, 临时救助, 报告变化 …).

Each function receives the household already fetched through the access layer and the acting
user; it shows only what that user may see (its own querysets through ``access.scope_queryset``)
and offers only the acts that user may take. The page sorts sections by ``order`` and renders
each with its own template and context.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings

MODULE = "household_file"


@dataclass
class Section:
    """One block of the household file: its anchor (``key``), title, template and context."""

    key: str
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    count: int | None = None  # shown beside the title in the file's contents, when given


@dataclass(frozen=True)
class FileAction:
    """An act that starts from the household file (a link to the app's form for this household)."""

    label: str
    url: str
    order: int = 100
    primary: bool = False


def _modules() -> Iterator[Any]:
    for app in settings.DOUDI_APPS:
        name = f"{app}.{MODULE}"
        try:
            if find_spec(name) is None:
                continue
        except (ImportError, ValueError):
            continue
        yield import_module(name)


def _gather(hook: str, user: Any, household: Any) -> list:
    out: list = []
    for module in _modules():
        fn = getattr(module, hook, None)
        if fn is not None:
            out.extend(fn(user, household))
    return out


def sections(user: Any, household: Any) -> list[Section]:
    """Every app's sections of this household for this user, in order."""
    return sorted(_gather("household_sections", user, household), key=lambda s: (s.order, s.key))


def actions(user: Any, household: Any) -> list[FileAction]:
    """Every app's acts that start from this household, for this user, in order."""
    return sorted(_gather("household_actions", user, household), key=lambda a: (a.order, a.label))


# --- the registry's own part of the file ---------------------------------------------------------

def household_sections(user: Any, household: Any) -> list[Section]:
    """Members over time (and relatives), then the economic facts with their history."""
    from doudi.accounts import access
    from doudi.accounts.roles import Action
    from doudi.registry import facts as facts_mod
    from doudi.registry.forms import RevealForm
    from doudi.registry.services import kin_of_members

    memberships = list(household.memberships.select_related("person").order_by("end", "start"))
    current = [m for m in memberships if m.end is None]
    past = [m for m in memberships if m.end is not None]
    can_edit = access.can(user, Action.HOUSEHOLD_EDIT, household)
    members = Section("members", "家庭成员", "registry/file/_members.html", {
        "current": current, "past": past, "kin": list(kin_of_members(household)), "can_edit": can_edit,
        "can_reveal": access.can(user, Action.PERSON_FULL_ID, household), "reveal_form": RevealForm(),
    }, order=10, count=len(current))
    people = [(m.person, facts_mod.fact_lines(m.person.facts, facts_mod.MEMBER_FACTS)) for m in current]
    records = list(household.facts_records.select_related("recorded_by")[:50])
    economic = Section("facts", "家庭经济状况", "registry/file/_facts.html", {
        "household_lines": facts_mod.fact_lines(household.facts, facts_mod.HOUSEHOLD_FACTS),
        "people": people, "records": records, "can_edit": can_edit,
    }, order=20)
    return [members, economic]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    from django.urls import reverse

    from doudi.accounts import access
    from doudi.accounts.roles import Action

    if not access.can(user, Action.HOUSEHOLD_EDIT, household):
        return []
    return [FileAction("记录家庭经济状况", reverse("registry:household_facts", args=[household.pk]), 60),
            FileAction("增加成员", reverse("registry:member_add", args=[household.pk]), 70),
            FileAction("修改家庭信息", reverse("registry:household_edit", args=[household.pk]), 80)]


def case_rows(cases: Any, url_name: str, who: Any, amount: Any, today: Any, docs: Any = None) -> list[dict]:
    """The rows of ``registry/file/_cases.html`` for one program's cases: each app says who applied,
    what amount stands for the case and (``docs``) its printed documents as [(name, url)]."""
    from django.urls import reverse

    return [{"number": c.number, "url": reverse(url_name, args=[c.pk]), "who": who(c), "state": c.state_name,
             "submitted": c.submitted_on, "amount": amount(c), "due": c.due_on, "docs": docs(c) if docs else [],
             "overdue": bool(c.due_on and c.due_on < today)} for c in cases]
