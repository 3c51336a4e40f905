"""逾期报告: disability-subsidy decisions (DS-1, `disability_decision_working_days`) and partner departments'
answers to referrals (HO-1, EM-1, EM-2, ED-3, `partner_answer_working_days`) past their deadline, counted in
working days by the holiday calendar (doudi.workdays).

An item is overdue when it was not done by its deadline: still open after the due day (逾期未办), or done
after it (逾期办结). The lateness is the number of working days after the due day up to the day it was
done, or up to today while it is open (a deadline falling before a weekend is late on the Saturday with 0
working days, and 1 on the Monday). Rows come through the access layer: the user's areas only, ID numbers
masked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.programs import procedure as proc

KINDS = (("disability", "残疾人两项补贴审批"), ("referral", "合作部门转介答复"))
KIND_NAMES = dict(KINDS)


@dataclass(frozen=True)
class Overdue:
    kind: str            # disability | referral
    number: str          # the application's number, or the referral's kind
    person_name: str
    masked_id: str
    region: str
    started_on: dt.date  # applied / referred
    due_on: dt.date
    done_on: dt.date | None
    late_working_days: int
    warning: str         # the calendar's warning when a year without an entered schedule was counted
    who: str             # who has (or had) to act
    rule: str
    url: str

    @property
    def kind_name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def open(self) -> bool:
        return self.done_on is None

    @property
    def state(self) -> str:
        return "逾期未办" if self.open else "逾期办结"


def _late(q_open: Q, done_field: str, today: dt.date, include_done: bool) -> Q:
    late_open = q_open & Q(due_on__lt=today)
    return late_open | Q(**{f"{done_field}__gt": F("due_on")}) if include_done else late_open


def report(user: Any, today: dt.date, *, include_done: bool = True, kind: str = "") -> list[Overdue]:
    """The overdue items of the user's areas, the most late first."""
    from doudi.programs.disability import visible_applications
    from doudi.programs.partners import visible_referrals
    from doudi.workdays.calendar import Calendar

    cals: list[Calendar] = []  # read once, and only when some item is late (the worklist asks every page)
    out: list[Overdue] = []

    def late(due: dt.date, done: dt.date | None) -> tuple[int, str]:
        if not cals:
            cals.append(Calendar.load())
        n, warning = cals[0].working_days_between(due, done or today)
        return n, warning or ""

    if kind in ("", "disability") and (access.areas_of(user, Perm.CASE_VIEW)):
        rows = visible_applications(user).filter(due_on__isnull=False).filter(
            _late(Q(state="submitted"), "decided_on", today, include_done))
        for a in rows:
            done = a.decided_on if a.state != "submitted" else None
            n, w = late(a.due_on, done)
            out.append(Overdue("disability", a.number, a.person.name, a.person.masked_id, a.region, a.submitted_on,
                               a.due_on, done, n, w, "县级民政部门审批", "DS-1",
                               reverse("programs:disability_detail", args=[a.pk])))
    if kind in ("", "referral"):
        rows = visible_referrals(user).filter(_late(Q(answered_on__isnull=True), "answered_on", today, include_done))
        for r in rows:
            n, w = late(r.due_on, r.answered_on)
            out.append(Overdue("referral", proc.REFERRAL_NAMES[r.kind], r.person.name, r.person.masked_id, r.region,
                               r.sent_on, r.due_on, r.answered_on, n, w, proc.REFERRAL_DEPARTMENTS[r.kind] + "答复",
                               proc.REFERRAL_RULES[r.kind], reverse("programs:referrals") + f"#referral-{r.pk}"))
    return sorted(out, key=lambda o: (not o.open, -o.late_working_days, o.due_on, o.number))


def may_see(user: Any) -> bool:
    return bool(access.areas_of(user, Perm.CASE_VIEW) or access.areas_of(user, Perm.TRANSFER_ANSWER))


def worklist_item(user: Any, today: dt.date) -> dict | None:
    """One worklist line for those who oversee the deadlines (the county approver, the supervisor): how many
    items are open past their deadline, linking to the report; None when there are none (or not theirs)."""
    if not (access.areas_of(user, Perm.CASE_APPROVE) or access.areas_of(user, Perm.STATS_VIEW)):
        return None
    rows = [o for o in report(user, today, include_done=False)]
    if not rows:
        return None
    counts = {k: sum(1 for o in rows if o.kind == k) for k, _ in KINDS}
    parts = "、".join(f"{name} {counts[k]} 件" for k, name in KINDS if counts[k])
    return {"due": min(o.due_on for o in rows), "title": f"逾期报告：{parts}", "url": reverse("programs:overdue"),
            "household": "", "state": "逾期未办", "rule": "DS-1 / HO-1、EM-1 期限（工作日）"}
