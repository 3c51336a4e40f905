"""The household list (家庭登记) through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action
from doudi.registry.models import Household, Relation, Residence
from doudi.web.lists import Column, ListSpec


def _rows(user: Any):
    return access.scope_queryset(user, Household.objects.prefetch_related("memberships__person"), Action.HOUSEHOLD_VIEW)


def _with_heads(user: Any, households: list) -> list:
    for hh in households:
        current = [m for m in hh.memberships.all() if m.end is None]
        hh.list_head = next((m.person for m in current if m.relation == Relation.SELF), None)
        hh.list_size = len(current)
    return households


def _search(user: Any, rows: Any, q: str) -> Any:
    from doudi.registry.services import search_households

    return search_households(user, q, rows)


HOUSEHOLDS = ListSpec(
    key="households", title="家庭登记", unit="户", filename="households",
    columns=[
        Column("户号", lambda h: h.number, link=lambda h: reverse("registry:household_detail", args=[h.pk])),
        Column("户主", lambda h: h.list_head.name if h.list_head else ""),
        Column("户主身份证号", lambda h: h.list_head.masked_id if h.list_head else ""),
        Column("人数", lambda h: h.list_size, num=True),
        Column("城乡", lambda h: h.get_residence_display()),
        Column("所在地", lambda h: region_name(h.region_code)),
        Column("区划代码", lambda h: h.region_code),
        Column("住址", lambda h: h.address),
        Column("登记日期", lambda h: h.created_at.date()),
    ],
    rows=_rows, search=_search, search_label="姓名、拼音首字母、身份证号或户号",
    state_field="residence", states=Residence.choices, state_label="城乡类别",
    region_field="region_code", date_field="created_at__date", date_label="登记日期",
    order=("-id",), prepare=_with_heads,
)
