"""Verification's open work as worklist items (the shape of web/worklist.html): the county's
requests to start (overdue after 3 working days, NAT-DB-DEADLINES) and the township's findings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.verification.models import FindingState, Match, RequestState, VerificationRequest


def open_requests(user: Any):
    """Requests not yet issued in the areas where the user runs verification."""
    qs = VerificationRequest.objects.select_related("household").exclude(state=RequestState.ISSUED)
    return access.scope_queryset(user, qs, Action.VERIFICATION_RUN).order_by("due_on", "id")


def items(user: Any, today: dt.date | None = None) -> list[dict]:
    from doudi.verification.monthly import visible_findings

    today = today or timezone.localdate()
    out = []
    for r in open_requests(user) if access.areas_of(user, Action.VERIFICATION_RUN) else ():  # a verification officer's
        started = r.state == RequestState.STARTED
        due = None if started else r.due_on
        what = "复查" if r.is_recheck else "核对"
        out.append({"deadline": due, "warning": r.due_warning, "url": reverse("verification:request", args=[r.pk]),
                    "title": f"{what}请求：{r.household.number}" + ("（核对中，待出具报告）" if started else "（待启动）"),
                    "household": r.household.number, "state": r.get_state_display(),
                    "rule": "" if started else "提请后3个工作日内启动信息核对（NAT-DB-DEADLINES）",
                    "overdue": bool(due and due < today), "due_today": bool(due and due == today)})
    if access.areas_of(user, Action.CASE_ACCEPT):
        qs = access.scope_queryset(user, visible_findings(user).filter(state=FindingState.OPEN), Action.CASE_ACCEPT)
        for f in qs.order_by("due_on", "id"):
            possible = "（疑似，待确认）" if f.match == Match.POSSIBLE else ""
            out.append({"deadline": f.due_on, "warning": f.due_warning, "url": reverse("verification:finding",
                                                                                       args=[f.pk]),
                        "title": f"比对发现：{f.get_kind_display()}{possible}", "household": f.household.number,
                        "state": f.get_state_display(), "rule": "月度数据比对（PR-6、PR-7）",
                        "overdue": f.due_on < today, "due_today": f.due_on == today})
    out += _questions(user)
    return out


def _questions(user: Any) -> list[dict]:
    """A liaison's open questions (部门协查) of its department: no household is named, only the question."""
    from doudi.verification.kinds import departments_of
    from doudi.verification.models import QueryState
    from doudi.verification.queries import visible_queries

    deps = departments_of(getattr(user, "department", ""))
    if not deps or not access.areas_of(user, Action.DATA_UPLOAD):
        return []
    return [{"deadline": None, "warning": "", "url": reverse("verification:query", args=[q.pk]),
             "title": f"部门协查 {q.pk}：{q.kind_label}（{len(q.persons)} 人）", "household": "",
             "state": q.get_state_display(), "rule": "凭核对授权书协查（PR-6）", "overdue": False, "due_today": False}
            for q in visible_queries(user).filter(state=QueryState.OPEN, department__in=deps).order_by("asked_on", "id")]
