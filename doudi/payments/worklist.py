"""Finance's open work as worklist items (the shape of web/worklist.html), for the payments worklist and
the one worklist (doudi.cases): rolls to build, review, release, export, results to import; and, for
caseworkers, returned payments whose account must be corrected (with the deadline)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action
from doudi.benefits.months import month_label, month_of


def _item(title: str, url: str, deadline: dt.date | None, today: dt.date, household: str = "", state: str = "",
          warning: str = "") -> dict:
    return {"deadline": deadline, "warning": warning, "title": title, "url": url, "household": household,
            "state": state, "overdue": bool(deadline and deadline < today), "due_today": deadline == today}


def _returned(p: Any, today: dt.date) -> dict:
    """A returned payment whose account the caseworker (or finance) must correct, with its deadline."""
    return _item(f"退票：更正收款账户（{p.bank_reason}）", reverse("payments:account", args=[p.account_id]),
                 p.task_due_on, today, household=p.payee, state="退票后更正账户，下月重发")


def items(user: Any, today: dt.date | None = None) -> list[dict]:
    from django.db.models import Exists, OuterRef

    from doudi.payments.models import AccountState, BankExport, Payment, PaymentState, Roll, RollState
    from doudi.payments.services import failed_tasks

    today = today or timezone.localdate()
    out: list[dict] = []
    if not access.areas_of(user, Action.PAYMENT_MANAGE):  # not finance: only returned payments to correct
        if access.areas_of(user, Action.CASE_ACCEPT):
            out = [_returned(p, today) for p in failed_tasks(user).distinct()]
        return sorted(out, key=lambda i: (i["deadline"] is None, i["deadline"] or today))
    counties = sorted({a[:6] for a in access.areas_of(user, Action.PAYMENT_MANAGE) if len(a) >= 6})
    month = month_of(today)
    built = set(Roll.objects.filter(region__in=counties, month=month).values_list("region", flat=True))
    for c in counties:  # the counties' rolls of the month in one query, not one a county
        if c not in built:
            out.append(_item(f"生成{region_name(c)}{month_label(month)}发放花名册", reverse("payments:worklist"), None,
                             today, state="待生成"))
    rolls = access.scope_queryset(user, Roll.objects.all(), Action.PAYMENT_MANAGE)
    for r in rolls.exclude(state=RollState.RELEASED):
        what = "审核" if r.state == RollState.DRAFT else "发放（须另一名财务人员）"
        if r.state == RollState.REVIEWED and r.reviewed_by_id == user.pk:
            continue
        out.append(_item(f"{what}：{r}", reverse("payments:roll", args=[r.pk]), None, today, state=r.get_state_display()))
    # whether each released roll of the year was exported and still waits for results, in the rolls' query
    released = rolls.filter(state=RollState.RELEASED, month__gte=month.replace(year=month.year - 1)).annotate(
        exported=Exists(BankExport.objects.filter(roll=OuterRef("pk"))),
        waiting=Exists(Payment.objects.filter(roll=OuterRef("pk"), state=PaymentState.DUE)))
    for r in released:
        if not r.exported:
            out.append(_item(f"导出银行代发文件：{r}", reverse("payments:roll", args=[r.pk]), None, today, state="已发放"))
        elif r.waiting:
            out.append(_item(f"导入银行回盘：{r}", reverse("payments:roll", args=[r.pk]), None, today, state="待回盘"))
    out.extend(_returned(p, today) for p in failed_tasks(user).distinct())
    from doudi.payments.models import Account

    pending = access.scope_queryset(user, Account.objects.filter(state=AccountState.PENDING), Action.PAYMENT_MANAGE)
    for a in pending.exclude(entered_by=user)[:100]:
        out.append(_item(f"复核收款账户：{a.holder_name}", reverse("payments:account", args=[a.pk]), None, today,
                         state="双人复核"))
    return sorted(out, key=lambda i: (i["deadline"] is None, i["deadline"] or today))
