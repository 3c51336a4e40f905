"""The only writers of funeral-fee certificates (TA-5) and elderly-allowance cases (EL-1)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.procedure import steps
from doudi.welfare import rules
from doudi.welfare.models import ElderlyCase, FuneralCertificate
from doudi.welfare.rules import WelfareError

_today = steps.today


def _may(user: Any, region: str, *perms: str) -> bool:
    return any(access.in_area(access.areas_of(user, p), region) for p in perms)


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


# --- TA-5 -------------------------------------------------------------------------------------------

def dibao_benefit_on(household: Any, day: dt.date) -> Any:
    """The household's 低保 benefit that was being paid on `day` (started by then, not ended before)."""
    from doudi.benefits.models import LIVE_VALUES, Benefit

    qs = Benefit.objects.filter(household=household, program="dibao", start_month__lte=_month(day))
    return qs.filter(Q(status__in=LIVE_VALUES) | Q(end_month__gt=_month(day))).order_by("-start_month").first()


def visible_certificates(user: Any):
    return access.scope_queryset(user, FuneralCertificate.objects.select_related("person", "household", "issued_by"),
                                 Perm.CASE_VIEW)


@transaction.atomic
def issue_funeral_certificate(user: Any, *, person_id: Any, deceased_on: dt.date, funeral_home: str,
                              on: dt.date | None = None) -> FuneralCertificate:
    """TA-5: the certificate for the funeral home, for a person who on the day of death lived in a
    household whose 低保 benefit was being paid."""
    from doudi.registry.models import Membership

    person = access.access_person(user, person_id)
    today = _today(on)
    if deceased_on is None or deceased_on > today:
        raise WelfareError("死亡日期不能晚于今天", "deceased_on")
    m = (Membership.objects.filter(person=person, start__lte=deceased_on)
         .filter(Q(end__isnull=True) | Q(end__gte=deceased_on)).select_related("household").first())
    if m is None:
        raise WelfareError("死亡时此人不是任何登记家庭的成员", "person_id")
    household = m.household
    if not _may(user, household.region_code, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能为该家庭开具证明")
    benefit = dibao_benefit_on(household, deceased_on)
    if not rules.funeral_waiver(benefit is not None):
        raise WelfareError(f"{person.name}死亡时所在家庭未享受低保，不能开具基本丧葬服务费用减免证明（TA-5）", "person_id")
    funeral_home = (funeral_home or "").strip()
    if not funeral_home:
        raise WelfareError("请填写殡仪服务机构", "funeral_home")
    try:
        with transaction.atomic():
            c = FuneralCertificate.objects.create(number=f"tmp-{secrets.token_hex(6)}", person=person,
                                                  household=household, region=household.region_code,
                                                  benefit_id_ref=benefit.pk, deceased_on=deceased_on,
                                                  funeral_home=funeral_home, issued_by=user, issued_on=today)
    except IntegrityError:
        raise WelfareError(f"已为{person.name}开具过减免证明", "person_id") from None
    c.number = f"SZ{household.region_code[:6]}{today:%Y}{c.pk:05d}"
    c.save()
    audit.record(user, AuditKind.STEP, c, action="welfare.funeral", reason="开具基本丧葬服务费用减免证明（TA-5）",
                 detail={"benefit": benefit.pk})
    return c


def access_certificate(user: Any, pk: Any) -> FuneralCertificate:
    c = access.access_object(user, visible_certificates(user), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, c, action="welfare.funeral.view", reason="查看丧葬费减免证明")
    return c


# --- EL-1 -----------------------------------------------------------------------------------------

def visible_elderly(user: Any):
    return access.scope_queryset(user, ElderlyCase.objects.select_related("household"), Perm.CASE_VIEW)


def in_difficulty(household: Any) -> bool:
    """EL-1's 'in difficulty': a live 低保 or 特困 benefit."""
    from doudi.benefits.models import LIVE_VALUES, Benefit

    return Benefit.objects.filter(household=household, program__in=["dibao", "tekun"], status__in=LIVE_VALUES).exists()


def assess(household: Any, on: dt.date) -> dict:
    births = [m.person.birth_date for m in household.memberships_on() if m.person.birth_date]
    fen, ages, why = rules.elderly_allowance(births, on, in_difficulty(household))
    return {"program": "elderly", "rule": "EL-1", "amount_fen": fen, "ages": ages, "reason": why,
            "in_difficulty": in_difficulty(household), "on": on.isoformat()}


@transaction.atomic
def submit_elderly(user: Any, *, household_id: Any, on: dt.date | None = None) -> ElderlyCase:
    """受理 (EL-1): the township registers the household's application; the county decides within
    `elderly_decision_working_days` working days."""
    household = access.access_household(user, household_id)
    if not _may(user, household.region_code, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能受理该家庭的申请")
    today = _today(on)
    d = steps.add_working_days(today, int(rules.param("elderly_decision_working_days")))
    try:
        with transaction.atomic():
            c = ElderlyCase.objects.create(number=f"tmp-{secrets.token_hex(6)}", household=household,
                                           region=household.region_code, submitted_on=today, registered_by=user,
                                           due_on=getattr(d, "date", d), due_warning=getattr(d, "warning", "") or "")
    except IntegrityError:
        raise WelfareError("该家庭已有待审批的困难老年人补贴申请", "household_id") from None
    c.number = f"LN{household.region_code[:6]}{today:%Y}{c.pk:05d}"
    c.save()
    audit.record(user, AuditKind.STEP, c, action="welfare.elderly.submit", reason="受理困难老年人补贴申请（EL-1）")
    return c


def _lock(user: Any, pk: Any) -> ElderlyCase:
    try:
        c = visible_elderly(user).select_for_update().get(pk=pk)
    except (ElderlyCase.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该申请，或不在您的辖区内") from None
    if not _may(user, c.region, Perm.CASE_APPROVE):
        raise PermissionDenied("困难老年人补贴由县级民政部门审批")
    if c.state != ElderlyCase.State.SUBMITTED:
        raise WelfareError(f"申请当前为「{c.get_state_display()}」，不能再审批", "state")
    if c.registered_by_id == user.pk:  # four eyes
        raise WelfareError("您受理了本申请，不能审批本申请", "state")
    return c


@transaction.atomic
def decide_elderly(user: Any, pk: Any, *, approve: bool, reasons: str = "", on: dt.date | None = None) -> ElderlyCase:
    """审批 (EL-1): the amount is the policy's (rules.elderly_allowance) with its parameters stored;
    an approval starts a monthly benefit `elderly` from the month after the decision."""
    c = _lock(user, pk)
    today = _today(on)
    a = assess(c.household, today)
    c.assessment, c.parameters = a, rules.parameters()
    c.decided_by, c.decided_on = user, today
    if approve:
        if not a["amount_fen"]:
            raise WelfareError(f"核算结果为不予补贴：{a['reason']}", "approve")
        c.state, c.amount_fen, c.reasons = ElderlyCase.State.APPROVED, a["amount_fen"], (reasons or "").strip()
        from doudi.benefits import services as benefits

        nxt = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        try:
            b = benefits.start_benefit(user, household=c.household, program="elderly", amount_fen=a["amount_fen"],
                                       start_month=nxt, assessment=a, parameters=c.parameters, decision=c, on=today)
        except ValueError as exc:
            raise WelfareError(f"待遇：{getattr(exc, 'message', exc)}", "approve") from None
        c.benefit_ref = b.pk
    else:
        if not (reasons or "").strip():
            raise WelfareError("请填写不予批准的理由", "reasons")
        c.state, c.reasons = ElderlyCase.State.REFUSED, reasons.strip()
    c.save()
    audit.record(user, AuditKind.DECISION, c, action=f"welfare.elderly.{c.state}", reason=a["reason"],
                 detail={"amount_fen": c.amount_fen})
    return c
