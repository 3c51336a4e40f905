"""Demo 低保 cases for `doudi demo`: one or more in every state, in the Huining demo township.

Called by doudi.web.demo.populate() after the users and the synthetic population exist. Cases
are walked through the real services (so every row, deadline and audit entry is as in use),
with dates in the recent past so that the worklist has due, overdue and future deadlines.
Idempotent: nothing is added when demo cases exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

DEMO_TOWN = "620422100"
EXTRA_USERS = (  # a second investigator and a second approver (home visits need two; kin cases two approvers)
    ("jingban2", "钱经办", "township_caseworker", DEMO_TOWN),
    ("shenpi2", "韩审批", "county_approver", "620422"),
)
PASSWORD_SUFFIX = "-Demo2026"

# (final state, household must be eligible for 低保, kin)
PLAN: tuple[tuple[str, bool, bool], ...] = (
    ("submitted", False, False),
    ("materials_missing", False, False),
    ("accepted", False, False),
    ("investigated", True, False),
    ("verifying", True, False),
    ("verified", True, False),
    ("in_notice", True, False),
    ("objected", True, False),
    ("at_county", True, False),
    ("first_approved", True, True),
    ("approved", True, False),
    ("approved", True, False),
    ("refused", False, False),
    ("refusal_notified", False, False),
    ("withdrawn", False, False),
)


def _users() -> dict:
    from doudi.accounts.models import RoleAssignment, User

    for username, full_name, role, area in EXTRA_USERS:
        user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
        if created:
            user.set_password(username + PASSWORD_SUFFIX)
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
    names = {"jingban", "jingban2", "shenhe", "shenpi", "shenpi2", "hedui"}
    return {u.username: u for u in User.objects.filter(username__in=names)}


def _eligible(household, on: dt.date) -> bool:
    from doudi.cases.models import Case
    from doudi.cases.services import assess_case

    doc, decision, _ = assess_case(Case(household=household, region=household.region_code), on)
    return bool(decision["programs"]["dibao"]["eligible"]) and Decimal(decision["programs"]["dibao"]["amount"]) > 0


def populate() -> str | None:
    """Create the demo cases; returns a one-line summary for `doudi demo` to print."""
    from doudi.accounts.areas import region_q
    from doudi.cases.models import Case
    from doudi.registry.models import Household

    if Case.objects.exists():
        return f"{Case.objects.count()} 件（已存在）"
    users = _users()
    if not {"jingban", "jingban2", "shenhe", "shenpi", "shenpi2", "hedui"} <= set(users):
        return None
    today = timezone.localdate()
    pool = list(Household.objects.filter(region_q("region_code", DEMO_TOWN)).order_by("id"))
    eligible = [h for h in pool if _eligible(h, today)]
    other = [h for h in pool if h not in eligible]
    made = 0
    for i, (state, needs_eligible, kin) in enumerate(PLAN):
        source = eligible if needs_eligible or not other else other
        if not source:
            continue
        household = source.pop(0)
        start = today - dt.timedelta(days=40 - 2 * i)
        with transaction.atomic():
            _walk(users, household, state, start, today, kin)
        made += 1
    return (f"{made} 件，覆盖各办理状态（另建演示用户 jingban2 / jingban2{PASSWORD_SUFFIX} 乡镇经办人，"
            f"shenpi2 / shenpi2{PASSWORD_SUFFIX} 县级审批人）")


# The applicant's signed authorisation (授权书) of the demo: a one-page PDF (synthetic).
DEMO_AUTHORISATION = (b"%PDF-1.4\n% doudi demo: authorisation (synthetic)\n1 0 obj << /Type /Catalog >> endobj\n"
                      b"trailer << /Root 1 0 R >>\n%%EOF\n", "核对授权书（演示）.pdf")


def _verified(officer, pk: int, on: dt.date) -> None:
    """核对结果: with doudi.verification the officer runs the request against the snapshots and issues
    the report (the case's result); without it the result is typed."""
    from doudi.cases import services as s

    if not s.verification_app():
        s.record_verification(officer, pk, result="公安、人社、不动产、车辆信息核对与申报一致", consistent=True, on=on)
        return
    from doudi.verification import services as v
    from doudi.verification.models import VerificationRequest

    req = VerificationRequest.objects.get(case_id=pk, recheck_of__isnull=True)
    v.run(officer, req.pk, on=on)
    v.issue(officer, req.pk, on=on)


def _walk(users: dict, household, until: str, start: dt.date, today: dt.date, kin: bool) -> None:
    from doudi.cases import services as s

    w, w2, rv, ap, ap2, vo = (users[n] for n in ("jingban", "jingban2", "shenhe", "shenpi", "shenpi2", "hedui"))
    case = s.submit_application(w, household.pk, on=start, kin=kin, kin_note="演示：申请人系村委会成员的兄弟" if kin else "")
    pk = case.pk

    def day(n: int) -> dt.date:
        return min(start + dt.timedelta(days=n), today)

    steps: list[tuple[str, Callable[[], object]]] = []
    if until == "materials_missing":
        steps.append(("materials_missing", lambda: s.ask_for_materials(w, pk, materials=["户口簿复印件", "近6个月收入证明"],
                                                                       on=day(1))))
    steps += [
        ("accepted", lambda: s.accept(w, pk, on=day(1 if until != "accepted" else 40))),
        ("withdrawn", lambda: s.withdraw(w, pk, reason="申请人外出务工，主动撤回", on=day(2))) if until == "withdrawn"
        else ("investigated", lambda: s.investigate(w, pk, investigators=[w.pk, w2.pk], visited_on=day(2),
                                                    findings="入户查看：住房简陋，家庭主要劳动力收入不稳定",
                                                    signed_by_investigators=True, signed_by_family=True,
                                                    authorisation=True, on=day(2))),
        ("verifying", lambda: s.request_verification(w, pk, authorisation=DEMO_AUTHORISATION, on=day(3))),
        ("verified", lambda: _verified(vo, pk, day(4))),
        ("in_notice", lambda: s.propose(rv, pk, recommend=until not in ("refused", "refusal_notified"),
                                        opinion="经审核，家庭收入、财产状况" + (
                                            "符合低保条件" if until not in ("refused", "refusal_notified")
                                            else "不符合低保条件"), on=day(5))),
    ]
    if until == "objected":
        steps += [("_objection", lambda: s.record_objection(w, pk, content="有村民反映其子女在外务工收入较高",
                                                            on=day(6))),
                  ("objected", lambda: s.close_notice(w, pk, on=day(12)))]
    else:
        steps.append(("at_county", lambda: s.close_notice(w, pk, on=day(12))))

    def spot():
        from doudi.cases.models import Case

        check = Case.objects.get(pk=pk).spot_checks.last()
        if check and check.selected:
            s.record_spot_check(ap, pk, visited_on=day(13), findings="县级入户抽查：情况属实", consistent=True, on=day(13))

    steps += [
        ("_spot", spot),
        ("first_approved", lambda: s.approve(ap, pk, opinion="同意", on=day(14))),
        ("approved", lambda: s.approve(ap2 if kin else ap, pk, opinion="同意", on=day(15))),
    ]
    if until in ("refused", "refusal_notified"):
        steps = [x for x in steps if x[0] not in ("first_approved", "approved")]
        steps += [("refused", lambda: s.refuse(ap, pk, reasons="家庭人均收入高于当地低保标准", on=day(14))),
                  ("refusal_notified", lambda: s.notify_refusal(w, pk, notified_on=day(15), on=day(15)))]
    for name, fn in steps:
        if until == "submitted":
            return
        if name == "first_approved" and not kin:
            continue
        fn()
        if name == until:
            return
