"""The temporary-assistance case list through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts.areas import region_name
from doudi.relief import procedure as proc
from doudi.web.lists import Column, ListSpec, person_search


def _rows(user: Any):
    from doudi.relief.services import visible_cases

    return visible_cases(user)


RELIEF_CASES = ListSpec(
    key="relief_cases", title="临时救助案件", filename="temporary-cases",
    columns=[
        Column("编号", lambda c: c.number, link=lambda c: reverse("relief:case_detail", args=[c.pk])),
        Column("申请人", lambda c: c.applicant_name),
        Column("身份证号", lambda c: c.person.masked_id if c.person_id else ""),
        Column("救助地", lambda c: region_name(c.region)),
        Column("程序", lambda c: c.get_path_display()),
        Column("困难类型", lambda c: c.get_kind_display()),
        Column("状态", lambda c: c.state_name),
        Column("登记日期", lambda c: c.submitted_on),
        Column("期限", lambda c: c.due_on),
    ],
    rows=_rows, search=lambda user, rows, q: person_search(user, rows, q, person="person", names=("applicant_name",),
                                                          numbers=("number",)),
    states=[(s.value, proc.STATE_NAMES[s]) for s in proc.State], date_field="submitted_on", date_label="登记日期",
    order=("due_on", "-id"),
    row_class=lambda c: "overdue" if c.due_on and c.due_on < timezone.localdate() else "",
)
