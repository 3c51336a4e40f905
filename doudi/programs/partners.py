"""Education, housing and employment help (ED-1…ED-3, HO-1, HO-2, EM-1, EM-2).

- Education (ED-1…ED-3): the policy core's yearly amount and one-off grants of a student are approved and
  become a benefit of the student paid in the month approved (a one-month term: ``last_month``).
- Housing, employment, pension contributions (HO-1, EM-1, EM-2, and ED-3's waivers): referrals to the
  partner department, answered by its liaison (role department_liaison, ``transfer.answer``) within
  its time limit; an employment referral's answer is written in the person's employment-assistance
  record (EM-1), which follows the person wherever he lives.
- HO-2: the list of dilapidated rural houses of 低保， 五保， poor disabled and poor households, with the
  year each renovation was done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure import steps
from doudi.programs import core
from doudi.programs import procedure as proc
from doudi.programs.models import EmploymentRecord, Grant, HouseRenovation, Referral
from doudi.programs.procedure import ProcedureError

_today = steps.today


def _member(user: Any, household_id: Any, person_id: Any, action: str, what: str) -> tuple[Any, Any]:
    household = access.access_household(user, household_id)
    if not access.in_area(access.areas_of(user, action), household.region_code):
        raise PermissionDenied(f"您的角色不能{what}")
    m = household.memberships_on(dt.date.today()).filter(person_id=person_id).select_related("person").first()
    if m is None:
        raise ProcedureError("请选择本户的家庭成员", "person_id")
    return household, m.person


# --- education (ED-1…ED-3) -----------------------------------------------------------------------------

@transaction.atomic
def approve_education(user: Any, *, household_id: Any, person_id: Any, on: dt.date | None = None) -> Grant:
    """ED-1…ED-3: the household's education amounts as the policy core decides them (yearly and one-off),
    approved for the student and started as a benefit paid in the month after approval."""
    from doudi.benefits import services as benefits
    from doudi.benefits.months import month_of, next_month
    from doudi.registry.documents import household_document

    household, person = _member(user, household_id, person_id, Perm.CASE_APPROVE, "批准教育救助")
    today = _today(on)
    if Grant.objects.filter(person=person, program="education", year=today.year).exists():
        raise ProcedureError(f"{person.name}本年度已批准教育救助", "person_id")
    doc = household_document(household, today)
    decision, _ = core.decide_members(doc)
    r = core.program(decision, "education")
    yearly, once = core.fen(r.get("amount")) if r.get("eligible") else 0, core.fen(r.get("once"))
    if yearly + once <= 0:
        last = (r.get("trace") or [{}])[-1].get("detail", "不属于教育救助对象")
        raise ProcedureError(f"政策核算结果为无教育救助金额：{last}", "__all__")
    rules = "、".join(x for x in core.rules_of(r) if x)
    g = Grant.objects.create(program="education", person=person, household=household, region=household.region_code,
                             year=today.year, yearly_fen=yearly, once_fen=once, rules=rules[:100],
                             assessment=decision, approved_by=user, approved_on=today)
    month = next_month(month_of(today))
    try:
        benefits.start_benefit(user, household=household, person=person, program="education", amount_fen=yearly + once,
                               start_month=month, last_month=month, assessment=decision,
                               parameters=core.parameters(household.region_code, today, household.residence,
                                                          ("education.",)),
                               household_document=doc, decision_ref=("programs", "grant", g.pk), on=today)
    except ValueError as exc:
        raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", "__all__") from None
    audit.record(user, AuditKind.DECISION, g, action="programs.education.approve",
                 reason=f"批准教育救助：年度 {yuan(yearly)} 元，一次性 {yuan(once)} 元（{rules}）")
    return g


# --- referrals to the partner departments (HO-1, EM-1, EM-2, ED-3) ----------------------------------------------

def visible_referrals(user: Any):
    """The referrals the user may see: the civil-affairs side (case.view) and the partner's liaison (transfer.answer)."""
    qs = Referral.objects.select_related("person", "household")
    return (access.scope_queryset(user, qs, Perm.CASE_VIEW) | access.scope_queryset(user, qs, Perm.TRANSFER_ANSWER)).distinct()


@transaction.atomic
def refer(user: Any, *, household_id: Any, person_id: Any, kind: str, note: str, on: dt.date | None = None) -> Referral:
    household, person = _member(user, household_id, person_id, Perm.CASE_ACCEPT, "转介合作部门")
    if kind not in proc.REFERRAL_NAMES:
        raise ProcedureError("请选择转介事项", "kind")
    steps.required(note, "note", "转介说明", ProcedureError)
    today = _today(on)
    d = steps.add_working_days(today, int(proc.param("partner_answer_working_days")))
    r = Referral.objects.create(kind=kind, person=person, household=household, region=household.region_code,
                                note=note.strip(), sent_by=user, sent_on=today, due_on=getattr(d, "date", d))
    audit.record(user, AuditKind.STEP, r, action="programs.referral.send",
                 reason=f"转介{proc.REFERRAL_DEPARTMENTS[kind]}：{proc.REFERRAL_NAMES[kind]}（{proc.REFERRAL_RULES[kind]}）")
    return r


@transaction.atomic
def answer(user: Any, pk: Any, *, accepted: bool, answer: str, version: Any = None,
           on: dt.date | None = None) -> Referral:
    """合作部门答复： the liaison of the area records what the department did."""
    r = access.access_object(user, Referral.objects.select_for_update(), pk, Perm.TRANSFER_ANSWER)
    if r.answered_on is not None:
        raise ProcedureError("该转介已答复", "state")
    if version not in (None, "") and int(version) != r.version:
        raise ProcedureError("已被他人答复，请刷新页面后重试", "version")
    steps.required(answer, "answer", "答复内容", ProcedureError)
    today = _today(on)
    r.accepted, r.answer, r.answered_by, r.answered_on = bool(accepted), answer.strip(), user, today
    r.version += 1
    r.save()
    if r.kind == "employment":  # EM-1: the answer follows the person
        EmploymentRecord.objects.create(person=r.person, region=r.region, on_date=today,
                                        service=proc.REFERRAL_NAMES[r.kind][:100], outcome=r.answer, referral=r,
                                        recorded_by=user)
    audit.record(user, AuditKind.STEP, r, action="programs.referral.answer",
                 reason=("已落实：" if accepted else "未落实：") + r.answer[:200])
    return r


@transaction.atomic
def record_employment(user: Any, *, household_id: Any, person_id: Any, service: str, outcome: str = "",
                      on: dt.date | None = None) -> EmploymentRecord:
    """EM-1: an employment service offered (public employment service, a public-welfare post, a subsidy)."""
    household, person = _member(user, household_id, person_id, Perm.CASE_INVESTIGATE, "记录就业援助")
    steps.required(service, "service", "援助内容", ProcedureError)
    rec = EmploymentRecord.objects.create(person=person, region=household.region_code, on_date=_today(on),
                                          service=service.strip()[:100], outcome=outcome.strip(), recorded_by=user)
    audit.record(user, AuditKind.STEP, person, action="programs.employment.record", reason=f"就业援助：{rec.service}")
    return rec


def employment_history(user: Any, person: Any) -> list[EmploymentRecord]:
    """EM-1: the person's whole record, wherever it was written (the person is seen through his household)."""
    return list(EmploymentRecord.objects.filter(person=person).order_by("on_date", "id"))


# --- HO-2: dilapidated rural houses ---------------------------------------------------------------------

@transaction.atomic
def list_house(user: Any, *, household_id: Any, group: str, grade: str, note: str = "",
               on: dt.date | None = None) -> HouseRenovation:
    household = access.access_household(user, household_id)
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), household.region_code):
        raise PermissionDenied("您的角色不能登记危房改造")
    if household.residence != "rural":
        raise ProcedureError("危房改造对象为农村家庭（HO-2）", "household_id")
    if group not in dict(HouseRenovation.GROUPS):
        raise ProcedureError("请选择对象类别", "group")
    if grade not in ("C", "D"):
        raise ProcedureError("请选择危房等级", "grade")
    try:
        with transaction.atomic():
            h = HouseRenovation.objects.create(household=household, region=household.region_code, group=group,
                                               grade=grade, listed_on=_today(on), note=note.strip(), recorded_by=user)
    except IntegrityError:
        raise ProcedureError("该家庭当天已列入", "household_id") from None
    audit.record(user, AuditKind.STEP, h, action="programs.house.list", reason=f"列入危房改造（{h.get_group_display()}，{grade}级）")
    return h


@transaction.atomic
def house_done(user: Any, pk: Any, *, year: int) -> HouseRenovation:
    h = access.access_object(user, HouseRenovation.objects.select_for_update(), pk, Perm.CASE_ACCEPT,
                             view_action=Perm.CASE_VIEW)
    if not (h.listed_on.year <= int(year) <= dt.date.today().year + 1):
        raise ProcedureError(f"完成年度应在 {h.listed_on.year} 年至今", "year")
    h.year_done = int(year)
    h.save()
    audit.record(user, AuditKind.STEP, h, action="programs.house.done", reason=f"{year}年改造完成（HO-2）")
    return h
