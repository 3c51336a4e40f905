"""TA-5 and EL-1 in the household file: certificates issued, elderly-allowance applications, and
the acts (a funeral-fee certificate where a 低保 benefit is paid; an elderly-allowance application)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.policy.money import format_yuan
from doudi.registry.household_file import FileAction, Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.welfare.services import visible_certificates, visible_elderly

    certs = list(visible_certificates(user).filter(household=household))
    cases = list(visible_elderly(user).filter(household=household))
    if not certs and not cases:
        return []
    return [Section("welfare", "丧葬费减免与困难老年人补贴", "welfare/_file.html",
                    {"certs": certs, "cases": [(c, format_yuan(c.amount_fen)) for c in cases]}, order=75,
                    count=len(certs) + len(cases))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    from doudi.welfare.services import dibao_benefit_on

    if not access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code):
        return []
    out = [FileAction("申请困难老年人补贴", f"{reverse('welfare:elderly')}?household={household.pk}", 70)]
    if dibao_benefit_on(household, timezone.localdate()) is not None:
        out.append(FileAction("丧葬费减免证明", f"{reverse('welfare:funeral_new')}?household={household.pk}", 71))
    return out
