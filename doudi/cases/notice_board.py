"""公示名单 (PR-4, NAT-DB-PAY): the households in public notice now, per village.

Two parts per village: the proposals in their 7-day notice (拟保障对象, with the notice's dates)
and the households whose 低保 is being paid (保障对象, kept up for as long as the benefit is
paid: a stopped benefit leaves the list, a changed amount shows as it is now). Each village's
sheet names the issuing office (the township's people's government) and where to object
(its address and telephone, from doudi/web/data/offices.yaml; a blank line to fill in by hand when
the office data has none). Only the name (masked where `notice_mask_given_name` says so), the
household size and the monthly amount are public (security.md); nothing else is read into the rows.
"""

from __future__ import annotations

import datetime as dt
from importlib.util import find_spec
from typing import Any

from doudi.accounts import access
from doudi.accounts.areas import region_q
from doudi.accounts.roles import Action as Perm
from doudi.cases import services
from doudi.cases.documents import yuan
from doudi.cases.procedure import State, mask_name
from doudi.web.offices import office_of


def _village(code: str) -> str:
    from doudi.policy import regions

    town = regions.name(code[:9]) if len(code) >= 9 else ""
    village = regions.name(code) if len(code) == 12 else ""
    return f"{town or ''}{village or ''}" or code


def _paid(user: Any, area: str, today: dt.date) -> list[tuple[str, str, int, int, dt.date]]:
    """(village, name, household size, monthly amount in fen, first month) of every live 低保 benefit."""
    if find_spec("doudi.benefits") is None:
        return []
    from doudi.benefits.models import LIVE_VALUES, Benefit

    qs = access.scope_queryset(user, Benefit.objects.filter(program="dibao", status__in=LIVE_VALUES,
                                                            household__isnull=False), Perm.CASE_VIEW)
    if area:
        qs = qs.filter(region_q("region", area))
    out = []
    for b in qs.select_related("household").order_by("region", "id"):
        members = list(b.household.memberships_on(today).select_related("person"))
        head = next((m.person for m in members if m.relation == "self"), members[0].person if members else None)
        out.append((b.region, head.name if head else "", len(members), b.amount_fen, b.start_month))
    return out


def _in_notice(user: Any, area: str) -> list[tuple[str, str, int, int, Any]]:
    """(village, name, household size, proposed amount in fen, the open notice) of each case in notice now."""
    cases = services.visible_cases(user).filter(state=State.IN_NOTICE.value)
    if area:
        cases = cases.filter(region_q("region", area))
    out = []
    for c in cases.prefetch_related("notices__proposal").order_by("region", "id"):
        notice = next((n for n in sorted(c.notices.all(), key=lambda n: (n.starts_on, n.pk)) if not n.closed_on), None)
        if notice is None:
            continue
        out.append((notice.place or c.region, c.applicant_name, notice.proposal.household_size,
                    notice.proposal.amount_fen, notice))
    return out


def board(user: Any, area: str, today: dt.date) -> list[dict]:
    """One entry per village with anyone in notice: its name, issuing office, and the two parts' rows."""
    villages: dict[str, dict] = {}

    def village(code: str) -> dict:
        if code not in villages:
            office = office_of(code, "township")
            villages[code] = {"code": code, "name": _village(code), "office": office,
                              "county": office_of(code, "county"), "proposed": [], "paid": []}
        return villages[code]

    for code, name, size, fen, notice in _in_notice(user, area):
        village(code)["proposed"].append({"name": mask_name(name), "household_size": size, "amount": yuan(fen),
                                          "starts_on": notice.starts_on, "ends_on": notice.ends_on})
    for code, name, size, fen, first in _paid(user, area, today):
        village(code)["paid"].append({"name": mask_name(name), "household_size": size, "amount": yuan(fen),
                                      "since": first})
    return [villages[k] for k in sorted(villages)]
