"""Social help in the household file (PR-10 政府救助与慈善救助衔接, WK-1): charity and union help
beside government help, and the acts that start here (publish a need, record help)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.household_file import FileAction, Section


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.charity import rules
    from doudi.charity.services import household_help, yuan

    rows = [{"h": h, "giver": rules.GIVERS[h.giver], "kind": rules.HELP_KINDS[h.kind],
             "tier": rules.UNION_TIERS.get(h.union_tier, ""),
             "items": "、".join(rules.UNION_ITEMS.get(i, i) for i in h.union_items),
             "amount": yuan(h.amount_fen) if h.amount_fen else ""} for h in household_help(user, household)]
    if not rows:
        return []
    return [Section("social-help", "社会帮扶（慈善、工会）", "charity/_file_help.html", {"rows": rows}, order=70,
                    count=len(rows))]


def household_actions(user: Any, household: Any) -> list[FileAction]:
    if not access.in_area(access.areas_of(user, Action.CASE_ACCEPT), household.region_code):
        return []
    q = f"?household={household.pk}"
    return [FileAction("发布救助需求", f"{reverse('charity:need_new')}{q}", 60),
            FileAction("登记社会帮扶", f"{reverse('charity:help_new')}{q}", 61)]
