"""Monitoring's open work as worklist items (the shape of web/worklist.html): the township's open
warnings (PR-7), and for the county the tasks escalated to it when overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.registry.models import Household


def items(user: Any, today: dt.date | None = None) -> list[dict]:
    from doudi.monitoring.lists import with_heads
    from doudi.monitoring.models import OPEN_STATES, Alert

    today = today or timezone.localdate()
    out = []
    township = access.areas_of(user, Action.CASE_ACCEPT)
    county = access.areas_of(user, Action.CASE_APPROVE)
    if not (township or county):  # warnings are a township's to handle and a county's once escalated
        return out
    qs = Alert.objects.none()
    if township:
        qs = access.scope_queryset(user, Alert.objects.filter(state__in=OPEN_STATES), Action.CASE_ACCEPT)
    if county:
        qs = qs | access.scope_queryset(user, Alert.objects.filter(state__in=OPEN_STATES, escalated_on__isnull=False),
                                        Action.CASE_APPROVE)
    page = reverse("monitoring:alert", args=[987654321]).replace("987654321", "{}")  # one reverse, not 300
    # the columns a line shows (not the warning's detail and figures); the heads (Alert.who) in one query
    rows = qs.only("rule", "level", "household_id", "region", "state", "due_on", "escalated_on", "subject_name")
    for a in with_heads(user, list(rows.order_by("due_on", "id")[:300])):
        up = "（逾期，已上报县级）" if a.escalated_on else ""
        out.append({"deadline": a.due_on, "warning": "", "url": page.format(a.pk),
                    "title": f"{a.get_level_display()}预警：{a.rule_name} {a.who}{up}",
                    "household": Household.number_of(a.household_id) if a.household_id else "",
                    "state": a.get_state_display(),
                    "rule": "监测预警处置时限（PR-7）", "overdue": a.due_on < today, "due_today": a.due_on == today})
    return out
