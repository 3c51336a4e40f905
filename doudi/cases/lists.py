"""The 低保 case list through the shared list mechanism (doudi.web.lists)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts.areas import region_name
from doudi.cases.procedure import STATE_NAMES, State
from doudi.policy.money import fen_to_yuan
from doudi.web.lists import Column, ListSpec, person_search


def _rows(user: Any):
    from django.db.models.functions import Substr

    from doudi.accounts import access
    from doudi.accounts.areas import area_prefix
    from doudi.cases.services import visible_cases

    qs = visible_cases(user).select_related("household", "decision")
    prefixes = [area_prefix(a) for a in access.areas_of(user, "case.view")]
    if prefixes and all(len(p) >= 6 for p in prefixes):  # counties or finer: the same rows, read in the list's
        # order from the index (county, due_on, -id) instead of skipping the other counties' cases
        qs = qs.alias(county=Substr("region", 1, 6)).filter(county__in=sorted({p[:6] for p in prefixes}))
    return qs


def _decision(case: Any) -> Any:
    return getattr(case, "decision", None) if hasattr(case, "decision") else None


def _amount(case: Any) -> Decimal | None:
    d = _decision(case)
    return fen_to_yuan(d.amount_fen) if d is not None and d.outcome == "approved" else None


def _overdue(case: Any) -> str:
    return "overdue" if case.due_on and case.due_on < timezone.localdate() else ""


CASES = ListSpec(
    key="cases", title="低保案件", filename="dibao-cases",
    columns=[
        Column("案件编号", lambda c: c.number, link=lambda c: reverse("cases:case_detail", args=[c.pk])),
        Column("申请人", lambda c: c.applicant_name),
        Column("家庭", lambda c: c.household.number),
        Column("村（社区）", lambda c: region_name(c.region)),
        Column("状态", lambda c: c.state_name),
        Column("申请日期", lambda c: c.submitted_on),
        Column("月保障金额（元）", _amount, num=True),
        Column("当前期限", lambda c: c.due_on),
    ],
    rows=_rows, search=lambda user, rows, q: person_search(user, rows, q, names=("applicant_name",),
                                                          numbers=("number",)),
    states=[(s.value, STATE_NAMES[s]) for s in State], date_field="submitted_on", date_label="申请日期",
    order=("due_on", "-id"), row_class=_overdue,
    villages_by_area="case.view",  # visible_cases: the cases of the user's areas (Action.CASE_VIEW)
)
