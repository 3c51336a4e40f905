"""The household list (家庭登记) through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action
from doudi.policy.identity import mask_id_number
from doudi.registry.models import Household, Membership, Relation, Residence
from doudi.web.lists import Column, ListSpec


def _rows(user: Any):
    """The user's households, each with its head and size computed by the database (a list or an
    export of a whole county reads no member objects)."""
    current = Membership.objects.filter(household=OuterRef("pk"), end__isnull=True)
    head = current.filter(relation=Relation.SELF)
    qs = Household.objects.annotate(
        head_name=Subquery(head.values("person__name")[:1]),
        head_id_number=Subquery(head.values("person__id_number")[:1]),
        size=Subquery(current.order_by().values("household").annotate(n=Count("pk")).values("n")[:1]))
    qs = access.scope_queryset(user, qs, Action.HOUSEHOLD_VIEW)
    from doudi.accounts.areas import area_prefix

    prefixes = [area_prefix(a) for a in access.areas_of(user, Action.HOUSEHOLD_VIEW)]
    if prefixes and all(len(p) >= 6 for p in prefixes):  # counties or finer: the same rows, read in the
        qs = qs.filter(county__in=sorted({p[:6] for p in prefixes}))  # list's order from the county index
    return qs


def _search(user: Any, rows: Any, q: str) -> Any:
    from doudi.registry.services import search_households

    return search_households(user, q, rows)


HOUSEHOLDS = ListSpec(
    key="households", title="家庭登记", unit="户", filename="households",
    columns=[
        Column("户号", lambda h: h.number, link=lambda h: reverse("registry:household_detail", args=[h.pk])),
        Column("户主", lambda h: h.head_name),
        Column("户主身份证号", lambda h: mask_id_number(h.head_id_number) if h.head_id_number else ""),
        Column("人数", lambda h: h.size or 0, num=True),
        Column("城乡", lambda h: h.get_residence_display()),
        Column("所在地", lambda h: region_name(h.region_code)),
        Column("区划代码", lambda h: h.region_code),
        Column("住址", lambda h: h.address),
        Column("登记日期", lambda h: h.created_at.date()),
    ],
    rows=_rows, search=_search, search_label="姓名、拼音首字母、身份证号或户号",
    state_field="residence", states=Residence.choices, state_label="城乡类别",
    region_field="region_code", date_field="created_at__date", date_label="登记日期",
    order=("county", "-id"),  # newest first within each county, read from the index (county, -id)
    villages_by_area=Action.HOUSEHOLD_VIEW,
)
