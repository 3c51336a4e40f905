"""Disability subsidies (DS-1, DS-2, NAT-DS-TWO): application, approval by the policy core's amounts, the monthly
benefits, and DS-2's care-needs ledger. The only writers of these rows."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure import steps
from doudi.programs import core
from doudi.programs import procedure as proc
from doudi.programs.models import CareNeed, DisabilityApplication
from doudi.programs.procedure import ProcedureError

_today = steps.today
BENEFIT = {"living": "disability_living", "care": "disability_care"}


def visible_applications(user: Any):
    return access.scope_queryset(user, DisabilityApplication.objects.select_related("person", "household"),
                                 Perm.CASE_VIEW)


def visible_needs(user: Any):
    return access.scope_queryset(user, CareNeed.objects.select_related("person"), Perm.CASE_VIEW)


def access_application(user: Any, pk: Any) -> DisabilityApplication:
    a = access.access_object(user, DisabilityApplication.objects.select_related("person", "household"), pk,
                             Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, a, action="programs.disability.view", reason="查看残疾人两项补贴申请")
    return a


def _member(user: Any, household_id: Any, person_id: Any, action: str) -> tuple[Any, Any]:
    household = access.access_household(user, household_id)
    if not access.in_area(access.areas_of(user, action), household.region_code):
        raise PermissionDenied("您的角色不能在该区域办理残疾人两项补贴")
    member = household.memberships_on(dt.date.today()).filter(person_id=person_id).select_related("person").first()
    if member is None:
        raise ProcedureError("请选择本户的家庭成员", "person_id")
    return household, member.person


@transaction.atomic
def submit(user: Any, *, household_id: Any, person_id: Any, subsidy: str, on: dt.date | None = None) -> DisabilityApplication:
    household, person = _member(user, household_id, person_id, Perm.CASE_ACCEPT)
    if subsidy not in proc.SUBSIDY_NAMES:
        raise ProcedureError("请选择申请的补贴", "subsidy")
    grade = (person.facts.get("disability") or {}).get("grade")
    if not grade:
        raise ProcedureError(f"{person.name}没有登记残疾等级（残疾人证），不能申请（DS-1）", "person_id")
    today = _today(on)
    d = steps.add_working_days(today, int(proc.param("disability_decision_working_days")))
    a = DisabilityApplication.objects.create(number=f"tmp-{secrets.token_hex(6)}", person=person, household=household,
                                             region=household.region_code, subsidy=subsidy, registered_by=user,
                                             submitted_on=today, due_on=getattr(d, "date", d))
    a.number = f"CJ{a.region[:6]}{today:%Y}{a.pk:06d}"
    a.save()
    audit.record(user, AuditKind.STEP, a, action="programs.disability.submit",
                 reason=f"登记{proc.SUBSIDY_NAMES[subsidy]}申请")
    return a


def assess(a: DisabilityApplication, on: dt.date) -> tuple[dict, int, int, list[dict]]:
    """The policy core's two subsidies of the person (NAT-DS-TWO): (decision, living fen, care fen, parameters)."""
    from doudi.registry.documents import household_document

    doc = household_document(a.household, on)
    decision, cols = core.decide_for(doc, a.person.id_number)
    params = core.parameters(a.region, on, a.household.residence, ("disability.",))
    return decision, cols.get("disability.living", 0), cols.get("disability.care", 0), params


def _lock(user: Any, pk: Any, version: Any) -> DisabilityApplication:
    a = access.access_object(user, DisabilityApplication.objects.select_for_update(), pk, Perm.CASE_APPROVE,
                             view_action=Perm.CASE_VIEW)
    if a.state != "submitted":
        raise ProcedureError(f"申请当前为「{proc.DS_STATES[a.state]}」，不能再审批", "state")
    if version not in (None, "") and int(version) != a.version:
        raise ProcedureError("申请已被他人办理，请刷新页面后重试", "version")
    if a.registered_by_id == user.pk:
        raise PermissionDenied("您登记了本申请，不能审批本申请")
    return a


@transaction.atomic
def approve(user: Any, pk: Any, *, version: Any = None, on: dt.date | None = None) -> DisabilityApplication:
    """审批 (DS-1, NAT-DS-TWO): the subsidies asked for, as the policy core decides them for this person; each
    subsidy granted becomes a monthly benefit of the person from next month (both together where both are due)."""
    from doudi.benefits import services as benefits
    from doudi.benefits.months import month_of, next_month

    a = _lock(user, pk, version)
    today = _today(on)
    decision, living, care, params = assess(a, today)
    asked = {"living": a.subsidy in ("living", "both"), "care": a.subsidy in ("care", "both")}
    granted = {"living": living if asked["living"] else 0, "care": care if asked["care"] else 0}
    if not any(granted.values()):
        trace = core.program(decision, "disability").get("trace") or []
        detail = "；".join(t["detail"] for t in trace if t.get("rule") in ("NAT-DS-TWO", "DS-1"))
        raise ProcedureError(f"政策核算结果为不享受所申请的补贴：{detail or '不符合条件'}", "__all__")
    start = next_month(month_of(today))
    a.state, a.decided_by, a.decided_on = "approved", user, today
    a.living_fen, a.care_fen, a.assessment, a.parameters = granted["living"], granted["care"], decision, params
    parts = [f"{proc.SUBSIDY_NAMES[k]} {yuan(v)} 元/月" for k, v in granted.items() if v]
    a.reasons = "批准" + "、".join(parts) + "（DS-1、NAT-DS-TWO，两项补贴可同时享受，不计入低保家庭收入）"
    a.version += 1
    a.save()
    for k, v in granted.items():
        if v:
            try:
                benefits.start_benefit(user, household=a.household, person=a.person, program=BENEFIT[k], amount_fen=v,
                                       start_month=start, assessment=decision, parameters=params,
                                       decision_ref=("programs", f"disability_{k}", a.pk), on=today)
            except ValueError as exc:
                raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", "__all__") from None
    audit.record(user, AuditKind.DECISION, a, action="programs.disability.approve", reason=a.reasons,
                 detail={"living": yuan(granted["living"]), "care": yuan(granted["care"])})
    return a


@transaction.atomic
def refuse(user: Any, pk: Any, *, reasons: str, version: Any = None, on: dt.date | None = None) -> DisabilityApplication:
    a = _lock(user, pk, version)
    steps.required(reasons, "reasons", "不予批准的理由", ProcedureError)
    a.state, a.decided_by, a.decided_on, a.reasons = "refused", user, _today(on), reasons.strip()
    a.version += 1
    a.save()
    audit.record(user, AuditKind.DECISION, a, action="programs.disability.refuse", reason=a.reasons)
    return a


# --- DS-2: the care-needs ledger -------------------------------------------------------------------------------

def survey_candidates(user: Any, on: dt.date | None = None) -> list[dict]:
    """DS-2: grade 1–2 disabled members of households with a live 低保 benefit and no live 特困 benefit of
    their own, in the user's areas, with whether they are already in the ledger."""
    from doudi.benefits.models import LIVE, Benefit

    today = _today(on)
    dibao = access.scope_queryset(user, Benefit.objects.filter(program="dibao", status__in=LIVE), Perm.CASE_VIEW)
    tekun = set(Benefit.objects.filter(program="tekun", status__in=LIVE).values_list("person_id", flat=True))
    tekun_households = set(Benefit.objects.filter(program="tekun", status__in=LIVE, person__isnull=True)
                           .values_list("household_id", flat=True))
    listed = set(CareNeed.objects.values_list("person_id", flat=True))
    out = []
    for b in dibao.select_related("household"):
        if b.household_id in tekun_households:
            continue
        for m in b.household.memberships_on(today).select_related("person"):
            grade = (m.person.facts.get("disability") or {}).get("grade")
            if grade in (1, 2) and m.person_id not in tekun:
                out.append({"household": b.household, "person": m.person, "grade": grade,
                            "listed": m.person_id in listed})
    return out


@transaction.atomic
def record_need(user: Any, *, household_id: Any, person_id: Any, needs: str, service: str,
                on: dt.date | None = None) -> CareNeed:
    """DS-2: a surveyed person's care needs and the service offered (centralised or at home)."""
    household, person = _member(user, household_id, person_id, Perm.CASE_INVESTIGATE)
    grade = (person.facts.get("disability") or {}).get("grade")
    if grade not in (1, 2):
        raise ProcedureError(f"{person.name}不是一、二级重度残疾人，不列入照护需求台账（DS-2）", "person_id")
    if service not in dict(CareNeed.SERVICES):
        raise ProcedureError("请选择提供的服务", "service")
    steps.required(needs, "needs", "照护需求", ProcedureError)
    n = CareNeed.objects.create(person=person, household=household, region=household.region_code, grade=grade,
                                surveyed_on=_today(on), needs=needs.strip(), service=service, recorded_by=user)
    audit.record(user, AuditKind.STEP, n, action="programs.care_need.record", reason="照护需求摸排（DS-2）")
    return n
