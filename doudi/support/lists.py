"""The 特困 case list through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts.areas import region_name
from doudi.support import procedure as proc
from doudi.web.lists import Column, ListSpec, person_search


def _rows(user: Any):
    from doudi.support.services import visible_cases

    return visible_cases(user)


SUPPORT_CASES = ListSpec(
    key="support_cases", title="特困人员认定与供养", filename="tekun-cases",
    columns=[
        Column("编号", lambda c: c.number, link=lambda c: reverse("support:case_detail", args=[c.pk])),
        Column("申请人", lambda c: c.person.name),
        Column("身份证号", lambda c: c.person.masked_id),
        Column("家庭", lambda c: c.household.number),
        Column("村（社区）", lambda c: region_name(c.region)),
        Column("状态", lambda c: c.state_name),
        Column("供养方式", lambda c: c.get_mode_display()),
        Column("自理能力", lambda c: c.get_care_tier_display()),
        Column("申请日期", lambda c: c.submitted_on),
        Column("期限", lambda c: c.due_on),
    ],
    rows=_rows, search=lambda user, rows, q: person_search(user, rows, q, person="person", numbers=("number",)),
    states=[(s.value, proc.STATE_NAMES[s]) for s in proc.State], date_field="submitted_on", date_label="申请日期",
    order=("due_on", "-id"),
    row_class=lambda c: "overdue" if c.due_on and c.due_on < timezone.localdate() else "",
)
