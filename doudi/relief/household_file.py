"""临时救助 in the household file: the household's temporary-assistance cases; 临时救助 from the file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section, case_rows


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.cases.documents import yuan
    from doudi.relief.documents import DOCUMENTS
    from doudi.relief.models import Decision
    from doudi.relief.services import visible_cases

    cases = list(visible_cases(user).filter(household=household).order_by("-submitted_on", "-id"))
    approved = {d.case_id: d.amount_fen for d in Decision.objects.filter(case__in=[c.pk for c in cases],
                                                                        outcome=Decision.Outcome.APPROVED)}
    refused = set(Decision.objects.filter(case__in=[c.pk for c in cases], outcome=Decision.Outcome.REFUSED)
                  .values_list("case_id", flat=True))

    def docs(c: Any) -> list[tuple[str, str]]:
        kind = "decision" if c.pk in approved else "refusal" if c.pk in refused else ""
        return [(DOCUMENTS[kind], reverse("relief:document", args=[c.pk, kind]))] if kind else []

    rows = case_rows(cases, "relief:case_detail", lambda c: c.applicant_name,
                     lambda c: f"{yuan(approved[c.pk])} 元（一次性）" if c.pk in approved else "", timezone.localdate(),
                     docs)
    return [Section("temporary-cases", "临时救助", "registry/file/_cases.html",
                    {"rows": rows, "program": "临时救助", "amount_label": "批准金额"}, order=40, count=len(rows))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    if not access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code):
        return []
    query = f"?household={household.pk}"
    return [FileAction("临时救助", f"{reverse('relief:case_new')}{query}", 30, True),
            FileAction("急难先行救助", f"{reverse('relief:urgent_new')}{query}", 31)]
