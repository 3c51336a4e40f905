"""Benefits in the household file: every benefit with its amount and months, its reviews; 报告变化."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section


def _benefits(user: Any, household: Any) -> list:
    from doudi.benefits.services import visible_benefits

    return list(visible_benefits(user).filter(household=household).order_by("-start_month", "-id"))


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.benefits.models import Review

    benefits = _benefits(user, household)
    live = [b for b in benefits if b.live]
    reviews = list(access.scope_queryset(user, Review.objects.filter(benefit__in=[b.pk for b in benefits]),
                                         Action.CASE_VIEW).select_related("benefit").order_by("-due_on", "-id")[:50])
    return [
        Section("benefits", "待遇", "benefits/file/_benefits.html", {"benefits": benefits}, order=50, count=len(live)),
        Section("reviews", "复核", "benefits/file/_reviews.html", {"reviews": reviews}, order=55, count=len(reviews)),
    ]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    """报告变化 for each live benefit (a change of the household is reported to the benefit it affects)."""
    may = (access.in_area(access.areas_of(user, Action.CASE_REPORT), household.region_code)
           or access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code))
    if not may:
        return []
    live = [b for b in _benefits(user, household) if b.live]
    return [FileAction(f"报告变化（{b.program_name}{'，' + b.person.name if b.person_id else ''}）" if len(live) > 1
                       else "报告变化", reverse("benefits:report", args=[b.pk]), 50) for b in live]
