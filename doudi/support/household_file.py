"""特困 in the household file: the household's 特困 cases (one person each); 申请特困 from the file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section, case_rows


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.cases.documents import yuan
    from doudi.support.services import visible_cases
    from doudi.support.views import _documents

    cases = list(visible_cases(user).filter(household=household).prefetch_related("decisions")
                 .order_by("-submitted_on", "-id"))

    def amount(c: Any) -> str:
        approved = [d for d in c.decisions.all() if d.kind in ("approved", "changed")]
        return f"{yuan(approved[-1].amount_fen)} 元/月" if approved else ""

    rows = case_rows(cases, "support:case_detail", lambda c: c.person.name, amount, timezone.localdate(), _documents)
    return [Section("tekun-cases", "特困人员认定与供养", "registry/file/_cases.html",
                    {"rows": rows, "program": "特困", "amount_label": "供养金额"}, order=35, count=len(rows))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    if not access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code):
        return []
    return [FileAction("申请特困", f"{reverse('support:case_new')}?household={household.pk}", 20, True)]
