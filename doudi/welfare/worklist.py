"""Elderly-allowance applications awaiting the county's decision (EL-1), for the one worklist."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm


def items(user: Any, today: dt.date) -> list[dict]:
    from doudi.registry.models import Household
    from doudi.welfare.services import visible_elderly

    out = []
    if not access.areas_of(user, Perm.CASE_APPROVE):  # the county decides; nobody else has a line here
        return out
    cases = list(visible_elderly(user).filter(state="submitted", due_on__isnull=False).filter(
        access.area_q(user, Perm.CASE_APPROVE, "region")).exclude(registered_by=user))
    labels = Household.labels(c.household_id for c in cases)  # str(household) of all of them in one query
    for c in cases:
        out.append({"due": c.due_on, "warning": c.due_warning, "title": f"{c.number} 困难老年人补贴待审批",
                    "url": reverse("welfare:elderly") + f"#elderly-{c.pk}", "household": labels[c.household_id],
                    "state": c.get_state_display(), "rule": "EL-1 困难老年人补贴审批"})
    return out
