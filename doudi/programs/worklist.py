"""Open work of the smaller programs as items for the one worklist (doudi.cases.views.other_apps_items calls items())."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm


def items(user: Any, today: dt.date) -> list[dict]:
    """Children's cases whose next step is the user's (15 + 15 working days, four eyes), disability
    applications to approve, referrals to answer, people returned home to confirm (ST-1, the receiving area)."""
    from doudi.procedure import steps
    from doudi.programs import children, disability, overdue, partners, rescue
    from doudi.programs import procedure as proc

    out = []
    for c in (children.visible_cases(user).filter(state__in=["submitted", "checked"])
              if steps.acts_anywhere(user, proc.Perm) else ()):  # a township checks, a county approves
        allowed = proc.allowed_actions(c.state_enum, children.case_perms(user, c))
        if steps.worklist_steps(allowed, {proc.Action.WITHDRAW, proc.Action.REFUSE},
                                {proc.Action.TOWNSHIP_CHECK, proc.Action.APPROVE},
                                lambda c=c: not children.took_part(user, c)):
            out.append({"due": c.due_on, "warning": c.due_warning, "title": f"{c.number} {c.state_name}",
                        "url": reverse("programs:child_case", args=[c.pk]), "household": c.file.person.name,
                        "state": c.state_name, "rule": proc.DEADLINE_NAMES.get(proc.DeadlineKind(c.due_kind), "")})
    approve = access.areas_of(user, Perm.CASE_APPROVE)  # read only by a role that approves somewhere
    for a in (disability.visible_applications(user).filter(state="submitted").exclude(registered_by=user)
              if approve else ()):
        if access.in_area(approve, a.region):
            out.append({"due": a.due_on, "title": f"{a.number} 残疾人两项补贴待审批",
                        "url": reverse("programs:disability_detail", args=[a.pk]), "household": a.person.name,
                        "state": "已申请待审核", "rule": "DS-1"})
    answering = access.areas_of(user, Perm.TRANSFER_ANSWER)  # a partner department's liaison
    for r in partners.visible_referrals(user).filter(answered_on__isnull=True) if answering else ():
        if access.in_area(answering, r.region):
            out.append({"due": r.due_on, "title": f"转介待答复：{proc.REFERRAL_NAMES[r.kind]}",
                        "url": reverse("programs:referrals"), "household": r.person.name, "state": "待答复",
                        "rule": proc.REFERRAL_RULES[r.kind]})
    receiving = reverse("programs:rescue_receiving")
    accepting = access.areas_of(user, Perm.CASE_ACCEPT)  # the receiving township
    for n in (rescue.visible_notices(user).filter(access.area_q(user, Perm.CASE_ACCEPT, "region"),
                                                  acknowledged_on__isnull=True) if accepting else ()):
        out.append({"due": n.due_on, "title": f"返乡接收待确认：{n.person_name}", "url": f"{receiving}#notice-{n.pk}",
                    "household": f"{n.person_name}（{n.masked_id or '身份证号未查明'}）", "state": "待接收地确认",
                    "rule": "ST-1"})
    summary = overdue.worklist_item(user, today)
    if summary:
        out.append(summary)
    return out
