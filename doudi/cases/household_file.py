"""低保 in the household file: the household's 低保 cases and where they stand; 申请低保 from the file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section, case_rows


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.cases.documents import yuan
    from doudi.cases.services import visible_cases
    from doudi.cases.views import DOCUMENTS

    cases = list(visible_cases(user).filter(household=household).select_related("decision").order_by("-submitted_on",
                                                                                                     "-id"))

    def amount(c: Any) -> str:
        d = getattr(c, "decision", None) if hasattr(c, "decision") else None
        return f"{yuan(d.amount_fen)} 元/月" if d is not None and d.outcome == "approved" else ""

    def docs(c: Any) -> list[tuple[str, str]]:
        d = getattr(c, "decision", None) if hasattr(c, "decision") else None
        kinds = ["application"] + (["decision"] if d and d.outcome == "approved" else
                                   ["refusal"] if d and d.outcome == "refused" else [])
        return [(DOCUMENTS[k], reverse("cases:document", args=[c.pk, k])) for k in kinds]

    rows = case_rows(cases, "cases:case_detail", lambda c: c.applicant_name, amount, timezone.localdate(), docs)
    return [Section("dibao-cases", "低保案件", "registry/file/_cases.html",
                    {"rows": rows, "program": "低保", "amount_label": "批准金额"}, order=30, count=len(rows))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    out = []
    if access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code):
        out.append(FileAction("申请低保", f"{reverse('cases:application_new')}?household={household.pk}", 10, True))
    if access.in_area(access.areas_of(user, Action.CASE_REPORT), household.region_code):
        out.append(FileAction("求助登记", f"{reverse('cases:request_new')}?household={household.pk}", 40))
    return out
