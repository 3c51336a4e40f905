"""The warning list and the register through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from doudi.accounts.areas import region_name
from doudi.monitoring.models import Category, Level, State
from doudi.web.lists import Column, ListSpec, person_search


def _alerts(user: Any):
    from doudi.monitoring.services import visible_alerts

    return visible_alerts(user).select_related("household", "assigned_to")


def with_heads(user: Any, rows: list) -> list:
    """The head of each row's household (``_head_name``), for the whole page in one query."""
    from doudi.registry.models import Household

    names = Household.head_names(a.household_id for a in rows)
    for a in rows:
        a._head_name = names.get(a.household_id, "")
    return rows


# a word naming more households than this is matched by a subquery (the database reads the county's
# warnings for it, the right plan when so many match); fewer are named to the database by id
HOUSEHOLD_IDS = 2000
SQLITE_IDS = 2000


def search(user: Any, rows: Any, q: str) -> Any:
    """Warnings found by a word: a household member's name, pinyin initials, ID number or the
    household number (registry.search_households, in the user's areas); the village report's
    subject or the warning's text containing it; a rule id containing it (case-insensitive).

    One OR whose every part an index serves, so that PostgreSQL combines them (BitmapOr) and reads
    only the warnings found: the households are looked up first (the person-name trigram index of
    migration 0005) and named by id (``household_id = ANY(…)``, the household index) — an
    ``IN (subquery)`` cannot enter a BitmapOr and made PostgreSQL read every warning of the county;
    subject_name and detail by their trigram indexes; a rule id is matched against the rule table in
    Python, so the database gets ``rule IN (…)`` or no rule part at all."""
    from doudi.policy.monitoring import warning_rules
    from doudi.registry.services import search_households

    q = (q or "").strip()
    if not q:
        return rows
    households = search_households(user, q)
    ids = list(households.values_list("pk", flat=True)[:HOUSEHOLD_IDS + 1])
    found = (Q(household_id__in=ids) if len(ids) <= HOUSEHOLD_IDS else Q(household__in=households.values("pk")))
    found |= Q(subject_name__contains=q) | Q(detail__contains=q)
    matched = [rid for rid in warning_rules() if q.upper() in rid.upper()]
    if matched:
        found |= Q(rule__in=matched)
    base, rows = rows, rows.filter(found)
    if connection.vendor == "sqlite":
        # SQLite has no index for LIKE '%…%': it would walk the list's order index testing every
        # warning to fill a page of few matches. Few matches are read once (one scan, no order) and
        # named by id; many fill a page early on that walk.
        pks = list(rows.order_by().values_list("pk", flat=True)[:SQLITE_IDS + 1])
        if len(pks) <= SQLITE_IDS:
            return base.filter(pk__in=pks)
    return rows


def _overdue(a: Any) -> str:
    return "overdue" if a.is_open and a.due_on < timezone.localdate() else ""


def _rule(a: Any) -> str:
    return f"{a.rule} {a.rule_name}"


ALERTS = ListSpec(
    key="monitoring", title="监测预警", filename="monitoring-warnings",
    columns=[
        Column("编号", lambda a: a.pk, link=lambda a: reverse("monitoring:alert", args=[a.pk])),
        Column("等级", lambda a: a.get_level_display()),
        Column("预警规则", _rule),
        Column("家庭", lambda a: a.household.number if a.household_id else ""),
        Column("对象", lambda a: a.who),
        Column("村（社区）", lambda a: region_name(a.region)),
        Column("预警日期", lambda a: a.raised_on),
        Column("处置时限", lambda a: a.due_on),
        Column("状态", lambda a: a.get_state_display() + ("（已上报县级）" if a.escalated_on and a.is_open else "")),
        Column("处置结果", lambda a: a.get_outcome_display()),
    ],
    rows=_alerts, search=search,
    search_label="姓名、身份证号或规则编号",
    states=[(s.value, s.label) for s in State], date_field="raised_on", date_label="预警日期",
    order=("due_on", "id"), row_class=_overdue, unit="条", prepare=with_heads,
)


def _entries(user: Any):
    from doudi.monitoring.services import visible_entries

    return visible_entries(user).select_related("household")


REGISTER = ListSpec(
    key="low_income", title="低收入人口", filename="low-income-register",
    columns=[
        Column("家庭", lambda e: e.household.number, link=lambda e: reverse("registry:household_detail",
                                                                           args=[e.household_id])),
        Column("户主", lambda e: e._head_name),  # the page's heads in one query (prepare)
        Column("类别", lambda e: e.get_category_display()),
        Column("村（社区）", lambda e: region_name(e.region)),
        Column("纳入日期", lambda e: e.entered_on),
        Column("纳入方式", lambda e: e.get_way_display()),
        Column("依据", lambda e: e.evidence),
        Column("退出日期", lambda e: e.left_on),
        Column("退出原因", lambda e: e.left_reason),
    ],
    rows=_entries, search=lambda user, rows, q: person_search(user, rows, q),
    search_label="姓名或身份证号", state_field="category", states=[(c.value, c.label) for c in Category],
    state_label="类别", date_field="entered_on", date_label="纳入日期", order=("-entered_on", "-id"), unit="条",
    prepare=with_heads,
)

LEVEL_CHOICES = [(lv.value, lv.label) for lv in Level]
