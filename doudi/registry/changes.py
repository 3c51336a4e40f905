"""家庭情况变化: registry changes that matter to a live benefit, reported to doudi.benefits.

A member who died or moved out, a member added, a member's income, work, illness or disability
changed: each live benefit of the household gets a reported change (``doudi.benefits.services.
report_change``) and so a review with its deadline (a death within 3 months, NAT-DB-REVIEW;
another change within the working days of DB-11). The registry does not depend on doudi.benefits:
it is imported here lazily, and nothing is reported when the app is not installed.

Called inside the registry service's transaction: a refused report undoes the registry change.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps

from doudi.registry.models import EndReason, Household, Membership, Person

# Member facts that matter to a benefit (policy-core paths) and the report kind of each.
INCOME_PATHS = ("monthly_income.wages", "monthly_income.business", "monthly_income.property",
                "monthly_income.transfer", "monthly_income.other", "monthly_income.pension_basic")
WATCHED = INCOME_PATHS + ("work_ability", "serious_illness", "disability.kind", "disability.grade", "self_care")
END_KINDS = {EndReason.DEATH: "death", EndReason.MOVED: "moved", EndReason.OTHER: "other"}


def _benefits_installed() -> bool:
    return apps.is_installed("doudi.benefits")


def _reportable(user: Any, household: Household) -> list:
    """The household's live benefits that take a reported change and lie in the user's area.

    A one-off benefit paid in stages takes none (its amount is the approval's); a benefit whose
    place of help lies outside the user's areas is left to that area (the access layer)."""
    from doudi.accounts import access
    from doudi.accounts.roles import Action
    from doudi.benefits.models import LIVE, Benefit
    from doudi.benefits.services import paid_in_stages

    areas = access.areas_of(user, Action.CASE_REPORT) | access.areas_of(user, Action.CASE_ACCEPT)
    return [b for b in Benefit.objects.filter(household=household, status__in=LIVE).order_by("pk")
            if not paid_in_stages(b) and access.in_area(areas, b.region)]


def _report(user: Any, household: Household, *, kind: str, occurred_on: dt.date, description: str,
            person: Person | None, member_facts: dict | None, on: dt.date) -> list:
    if not _benefits_installed():
        return []
    from doudi.benefits.services import report_change

    return [report_change(user, b.pk, kind=kind, occurred_on=min(occurred_on, on), description=description,
                          person_id=person.pk if person is not None else None, member_facts=member_facts, on=on)
            for b in _reportable(user, household)]


def membership_ending(user: Any, membership: Membership, end: dt.date, reason: str, on: dt.date) -> list:
    """A member died, moved out or left otherwise on ``end``: 家庭成员死亡 / 迁出 / 其他变化.

    Called before the membership's end is saved, so the member is still one on the day reported."""
    reason = reason or EndReason.OTHER
    text = f"{membership.person.name}于 {end} {EndReason(reason).label}（户籍登记：终止共同生活）"
    if membership.note:
        text += f";{membership.note}"
    return _report(user, membership.household, kind=END_KINDS[reason], occurred_on=end, description=text,
                   person=membership.person, member_facts={"lives_together": False}, on=on)


def member_added(user: Any, membership: Membership, on: dt.date) -> list:
    """A new member lives in the household (其他变化: the household's size changes)."""
    person = membership.person
    text = (f"新增家庭成员 {person.name}（{membership.get_relation_display()}），"
            f"自 {membership.start} 起共同生活（户籍登记）")
    joined = membership.start <= on
    return _report(user, membership.household, kind="other", occurred_on=membership.start, description=text,
                   person=person if joined else None, member_facts=None, on=on)


def _get(d: dict | None, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _num(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def fact_change_kind(old: dict | None, new: dict | None) -> tuple[str, list[str]] | None:
    """(report kind, changed paths) for a member whose watched facts changed, else None.

    Wages from none to some: 就业 (found_work); business income from none to some: 创业; serious
    illness or disability: 患病; another income change: 收入变化; work ability or self-care: 其他变化.
    """
    changed = [p for p in WATCHED if _get(old, p) != _get(new, p)]
    if not changed:
        return None

    def started(path: str) -> bool:
        return path in changed and not _num(_get(old, path)) and bool(_num(_get(new, path)))

    if started("monthly_income.wages"):
        kind = "found_work"
    elif started("monthly_income.business"):
        kind = "business"
    elif {"serious_illness", "disability.kind", "disability.grade"} & set(changed):
        kind = "illness"
    elif set(INCOME_PATHS) & set(changed):
        kind = "income"
    else:
        kind = "other"
    return kind, changed


def facts_changed(user: Any, household: Household, before: dict[int, dict], persons: dict[int, Person],
                  on: dt.date) -> list:
    """Each member whose income, work, illness or disability changed: one report per benefit."""
    from doudi.registry.facts import LABELS

    reports: list = []
    for pk, person in sorted(persons.items()):
        found = fact_change_kind(before.get(pk), person.facts)
        if found is None:
            continue
        kind, paths = found
        parts = [f"{LABELS.get(p, p)}：{_shown(_get(before.get(pk), p))} → {_shown(_get(person.facts, p))}"
                 for p in paths]
        text = f"{person.name}的情况变化（户籍登记）：" + "；".join(parts)
        reports += _report(user, household, kind=kind, occurred_on=on, description=text, person=person,
                           member_facts=dict(person.facts or {}), on=on)
    return reports


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "无"
    if value is True:
        return "是"
    return str(value)
