"""The only writers of benefits: one function per act (start, report a change, decide a review,
recover, change the standard), each in one transaction, each checking the acting user's role
and area through doudi.accounts.access, each writing its BenefitChange rows and an audit entry.

The scheduled jobs (jobs.py) call the system-side writers here with no user; the audit log
shows them as "(system)".
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.benefits import persons, reckon
from doudi.benefits.models import (
    LIVE,
    ONE_PERSON,
    PER_PERSON,
    PROGRAM_NAMES,
    WORK_KINDS,
    Benefit,
    BenefitChange,
    ChangeKind,
    ChangeReportKind,
    Outcome,
    RecomputedLine,
    Recovery,
    ReportedChange,
    Review,
    StandardChange,
    Status,
    TekunEndGround,
)
from doudi.benefits.months import add_months, month_label, month_of, months_from_to, next_month
from doudi.benefits.reckon import BenefitError, setting, yuan
from doudi.benefits.signals import stage_check, stage_paid, stopped_for_fraud
from doudi.policy import regions
from doudi.registry.models import Household, Person

__all__ = [
    "BenefitError", "start_benefit", "start_from_dibao_decision", "report_change", "reassess",
    "decide_review", "recover_fraud", "start_standard_change", "approve_standard_change",
    "monthly_amounts", "visible_benefits", "access_benefit", "schedule_reviews", "end_gradual_exits", "end_terms",
    "end_benefit", "change_benefit_amount", "record_payment", "benefit_of", "is_one_off", "paid_in_stages",
    "Subject", "subject_of", "with_subjects",
]


ONE_AT_A_TIME = ("dibao", "tekun")  # one live benefit: 低保 per household, 特困 per person (PER_PERSON)


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _may(user: Any, action: str, region: str) -> bool:
    return access.in_area(access.areas_of(user, action), region)


def _require(user: Any, region: str, *actions: str, what: str) -> None:
    if not any(_may(user, a, region) for a in actions):
        raise PermissionDenied(f"您的角色不能{what}")


def visible_benefits(user: Any):
    """Every benefit the user may see (case.view in an area containing it)."""
    return access.scope_queryset(user, Benefit.objects.select_related("household", "person"), Perm.CASE_VIEW)


class Subject:
    """Whom a benefit is shown as to one user (security.md: area-scoped access, only what the case
    needs). ``household`` is the household when it lies in the user's areas, else None: a member
    of a household registered elsewhere helped here (临时救助, NAT-TA-FIRST) is shown as himself,
    name and masked ID number, never as his home household's number or its head."""

    def __init__(self, household: Household | None, person: Person | None) -> None:
        self.household, self.person = household, person

    @property
    def household_number(self) -> str | None:
        return self.household.number if self.household is not None else None

    @property
    def label(self) -> str:
        """Lists: 户000123, or 高志红(150202********123X)."""
        if self.household is not None:
            return self.household.number
        if self.person is not None:
            return f"{self.person.name}（{self.person.masked_id}）"
        return "外地家庭"

    @cached_property
    def head_name(self) -> str:
        head = self.household.head if self.household is not None else None
        return head.name if head else ""

    @property
    def title(self) -> str:
        """A page's heading: 户000123 张三户, or the person."""
        if self.household is not None and self.head_name:
            return f"{self.household.number} {self.head_name}户"
        return self.label

    @property
    def addressee(self) -> str:
        """Whom a written notice is addressed to: the head, or the person helped."""
        if self.household is not None:
            return self.head_name or self.household.number
        return self.person.name if self.person is not None else "救助对象"


def subject_of(user: Any, benefit: Benefit, areas: Any = None) -> Subject:
    """The benefit's subject as ``user`` may see it (``areas``: the user's case.view areas, when
    already known)."""
    if areas is None:
        areas = access.areas_of(user, Perm.CASE_VIEW)
    hh = benefit.household if benefit.household_id and access.in_area(areas, benefit.household.region_code) else None
    return Subject(hh, benefit.person if benefit.person_id else None)


def with_subjects(user: Any, benefits: Iterable[Benefit]) -> list[Benefit]:
    """The benefits, each with ``.subject`` (subject_of) for the pages' lists."""
    areas = access.areas_of(user, Perm.CASE_VIEW)
    out = list(benefits)
    for b in out:
        b.subject = subject_of(user, b, areas)
    return out


def access_benefit(user: Any, pk: Any, *, lock: bool = False, reason: str = "") -> Benefit:
    """The benefit ``pk`` if the user may see it (404 otherwise); a read is written to the audit log."""
    qs = Benefit.objects.select_related("household", "person")
    if lock:  # the benefit's row (household and person are outer joins now); its household's row next, as before
        qs = qs.select_for_update(of=("self",))
    try:
        benefit = access.scope_queryset(user, qs, Perm.CASE_VIEW).get(pk=pk)
    except (Benefit.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该待遇，或不在您的辖区内") from None
    if lock and benefit.household_id is not None:
        Household.objects.select_for_update().get(pk=benefit.household_id)
    if reason:
        audit.record(user, AuditKind.READ, benefit, action="benefit.view", reason=reason)
    return benefit


def _change(benefit: Benefit, user: Any, kind: str, effective: dt.date, on: dt.date, *, amount: int,
            status: str, reasons: str, figures: dict | None = None, source: str = "") -> BenefitChange:
    """Write one BenefitChange row and the benefit's new current figures (never one without the other)."""
    row = BenefitChange.objects.create(
        benefit=benefit, kind=kind, effective_month=month_of(effective), amount_before_fen=benefit.amount_fen,
        amount_after_fen=amount, status_before=benefit.status, status_after=status, reasons=reasons,
        figures=figures or {}, source=source, actor=user if getattr(user, "is_authenticated", False) else None,
        at=timezone.now(), on_date=on)
    benefit.amount_fen, benefit.status = amount, status
    benefit.version += 1
    if status not in LIVE:
        benefit.end_month = month_of(effective)
        benefit.next_review_on = None
    benefit.save()
    audit.record(user, AuditKind.DECISION, benefit, action=f"benefit.{kind}", reason=reasons[:500],
                 detail={"kind": kind, "effective_month": row.effective_month.isoformat(),
                         "amount_before": yuan(row.amount_before_fen), "amount_after": yuan(amount),
                         "status": status, **(figures or {})})
    return row


# --- start ---------------------------------------------------------------------------------

@transaction.atomic
def start_benefit(user: Any, *, household: Household | None = None, program: str, amount_fen: int, start_month: dt.date,
                  assessment: dict | None = None, parameters: list | None = None,
                  household_document: dict | None = None, decision: Any = None,
                  decision_ref: tuple[str, str, Any] | None = None, income_unstable: bool = False,
                  last_month: dt.date | None = None, region: str | None = None,
                  stages_fen: list[int] | None = None, person: Person | None = None,
                  on: dt.date | None = None) -> Benefit:
    """待遇开始: a procedure calls this when it approves. The approving decision is referenced
    generically (app label, model, pk); called twice for one decision it returns the first benefit.

    ``user`` None is the system (demo, data migration); otherwise the user must be able to
    approve or review in the benefit's area. ``last_month``: a benefit for a fixed term ends after
    it by itself (jobs.daily). ``region``: the area the benefit belongs to when it is not the
    household's (temporary assistance belongs to the place of help). A one-off program (the
    policy core's period "once", temporary assistance) starts with the approved total as its
    amount and ``stages_fen``, the plan of payments; each payment is then recorded with
    ``record_payment``. ``person``: a 特困 benefit belongs to one person of the household (TK-4,
    decided per person), whose own amount it is; one live 特困 benefit per person, one live 低保
    benefit per household. A one-off benefit may name the person helped (``person``), and then
    needs no household (a person in no household of the registry, NAT-TA-FIRST); ``region`` is
    then required.
    """
    on = _today(on)
    if household is None and not (region or "").strip():
        raise BenefitError("没有家庭的待遇须指明所属区域（救助地）", "region")
    region = (region or household.region_code).strip()
    if user is not None:
        _require(user, region, Perm.CASE_APPROVE, Perm.CASE_REVIEW, what="批准待遇")
    if decision is not None:
        decision_ref = (decision._meta.app_label, decision._meta.model_name, decision.pk)
    app, model, pk = decision_ref or ("", "", "")
    if pk not in ("", None):
        found = Benefit.objects.filter(decision_app=app, decision_model=model, decision_pk=str(pk)).first()
        if found is not None:
            return found
    person = _beneficiary(household, program, person, start_month, on)
    _one_live(household, program, person)
    if amount_fen is None or int(amount_fen) < 0:
        raise BenefitError("月保障金额应为不小于 0 的整数（分）", "amount_fen")
    if last_month is not None and month_of(last_month) < month_of(start_month):
        raise BenefitError("末次发放月份不能早于起始发放月份", "last_month")
    plan = _plan(program, int(amount_fen), stages_fen, fixed_term=last_month is not None)
    doc = household_document or {}
    cycle = reckon.review_cycle(program, doc, on, income_unstable)
    try:
        with transaction.atomic():  # the database's one-live constraints hold under concurrent approvals
            benefit = Benefit.objects.create(
                household=household, person=person, region=region, program=program, amount_fen=0,
                start_month=month_of(start_month), status=Status.ACTIVE, cycle=cycle.kind,
                income_unstable=income_unstable, next_review_on=reckon.next_review(month_of(start_month), cycle),
                decision_app=app, decision_model=model, decision_pk="" if pk in ("", None) else str(pk),
                assessment=assessment or {}, parameters=parameters or [], household_document=doc,
                last_month=month_of(last_month) if last_month else None)
    except IntegrityError:
        if pk not in ("", None):  # the same decision started at the same moment: the first benefit
            found = Benefit.objects.filter(decision_app=app, decision_model=model, decision_pk=str(pk)).first()
            if found is not None:
                return found
        who = person.name if person is not None else "该家庭"
        raise BenefitError(f"{who}已有在保的{PROGRAM_NAMES.get(program, program)}待遇（同时办理），请刷新后核对",
                           "person" if person is not None else "household") from None
    benefit.status = ""  # the start row goes from nothing to active
    if plan is None:
        who = f"（供养对象 {person.name}）" if person is not None else ""
        text = f"批准{benefit.program_name}{who}，{month_label(month_of(start_month))}起每月 {yuan(amount_fen)} 元；"
        figures = {"cycle": cycle.kind, "next_review_on": str(benefit.next_review_on or "")}
        recorded = _person_line(assessment, program, person) if person is not None else None
        if recorded is not None:
            figures["person_line"], sentence = recorded
            text += sentence + "；"
    else:
        who = f"（救助对象 {person.name}）" if person is not None else ""
        text = (f"批准{benefit.program_name}{who} {yuan(amount_fen)} 元（一次性），分 {len(plan)} 次发放："
                f"{' + '.join(yuan(x) for x in plan)} = {yuan(amount_fen)} 元；")
        figures = {"period": "once", "stages_fen": plan}
    _change(benefit, user, ChangeKind.START, start_month, on, amount=int(amount_fen), status=Status.ACTIVE,
            reasons=text + cycle.reason, figures=figures, source=f"{app}.{model}#{pk}" if app else "")
    return benefit


def _beneficiary(household: Household | None, program: str, person: Any, start_month: dt.date,
                 on: dt.date) -> Person | None:
    """The person a benefit belongs to: required for a program decided per person (特困), a member
    of the household at the start; for a one-off benefit (临时救助) the person helped, if the
    procedure names one (a member of the household when there is one); none for a household's
    monthly benefit. A benefit without a household must name its person."""
    name = PROGRAM_NAMES.get(program, program)
    if program not in PER_PERSON and program not in ONE_PERSON and not is_one_off(program):
        if person is not None:
            raise BenefitError(f"{name}按户发放，不指定供养对象", "person")
        if household is None:
            raise BenefitError(f"{name}按户发放，请指明家庭", "household")
        return None
    if person is None:
        if program in PER_PERSON:
            raise BenefitError(f"{name}按人认定和发放，请指明供养对象", "person")
        if household is None:
            raise BenefitError("没有家庭的一次性救助须指明救助对象", "person")
        return None
    if getattr(person, "pk", None) is None:
        raise BenefitError("救助对象须是已登记的人员", "person")
    if household is None:
        if program in PER_PERSON:
            raise BenefitError(f"{name}按户核算、按人发放，请指明供养对象所在家庭", "household")
        return person
    members = set(household.memberships_on(min(on, month_of(start_month))).values_list("person_id", flat=True))
    members |= set(household.memberships_on(on).values_list("person_id", flat=True))
    if getattr(person, "pk", None) not in members:
        raise BenefitError("供养对象须是该家庭的成员", "person")
    return person


def _one_live(household: Household, program: str, person: Person | None) -> None:
    """One live 低保 benefit per household; one live 特困 benefit per person (and none beside a
    household-wide 特困 benefit started before benefits were per person)."""
    if program not in ONE_AT_A_TIME:
        return
    live = Benefit.objects.filter(household=household, program=program, status__in=LIVE)
    name = PROGRAM_NAMES.get(program, program)
    if person is None:
        if live.exists():
            raise BenefitError(f"该家庭已有在保的{name}待遇", "household")
        return
    if live.filter(person=person).exists():
        raise BenefitError(f"{person.name}已有在保的{name}待遇", "person")
    if live.filter(person__isnull=True).exists():
        raise BenefitError(f"该家庭已有按户发放的在保{name}待遇，请先终止后再按人建立", "household")


def _person_line(assessment: dict | None, program: str, person: Person) -> tuple[dict, str] | None:
    """The person's line in a decision as a change records it (figures without the ID number) and
    its sentence (TK-1 + TK-2); None when the decision has no line of the person."""
    line = persons.person_line(assessment, program, person.id_number)
    if line is None:
        return None
    return ({k: v for k, v in line.items() if k != "id_number"},
            persons.line_sentence(line, _household_amount(assessment, program)))


def _household_amount(assessment: dict | None, program: str) -> str | None:
    return (((assessment or {}).get("programs") or {}).get(program) or {}).get("amount")


def _plan(program: str, total: int, stages_fen: list[int] | None, fixed_term: bool) -> list[int] | None:
    """The payments of a one-off benefit (one payment of the total when no plan is given); None
    for a monthly benefit, fixed-term ones included. The stages must add up to the total."""
    if fixed_term or not is_one_off(program):
        if stages_fen:
            raise BenefitError("按月发放的待遇没有分次发放计划", "stages_fen")
        return None
    plan = [int(x) for x in (stages_fen or [total])]
    if any(x <= 0 for x in plan) or sum(plan) != total:
        raise BenefitError(f"分次发放金额应均大于 0 且合计等于批准金额 {yuan(total)} 元，"
                           f"收到 {' + '.join(yuan(x) for x in plan)} 元", "stages_fen")
    return plan


@cache
def _period(program: str) -> str:
    """The policy core's period of a program (PERIOD of its rule module: month, year, once)."""
    try:
        return str(importlib.import_module(f"doudi.policy.rules.{program}").PERIOD)
    except (ImportError, AttributeError):
        return "month"


def is_one_off(program: str) -> bool:
    """A program paid once (临时救助), possibly in stages, rather than every month."""
    return _period(program) == "once"


def paid_in_stages(benefit: Benefit) -> bool:
    """A one-off benefit whose payments are recorded one by one (not a fixed monthly term)."""
    return is_one_off(benefit.program) and benefit.last_month is None


def benefit_of(decision: Any) -> Benefit | None:
    """The benefit a procedure's decision started (its generic reference), or None."""
    return Benefit.objects.filter(decision_app=decision._meta.app_label, decision_model=decision._meta.model_name,
                                  decision_pk=str(decision.pk)).first()


def start_from_dibao_decision(decision: Any, user: Any = None) -> Benefit:
    """The benefit of an approved 低保 decision (doudi.cases Decision): amount, payment start,
    the assessment and parameters as they were."""
    if getattr(decision, "outcome", "") != "approved":
        raise BenefitError("只有批准的决定才能开始发放", "decision")
    if decision.payment_start is None:
        raise BenefitError("批准决定没有起始发放月份", "payment_start")
    case = decision.case
    return start_benefit(user, household=case.household, program="dibao", amount_fen=decision.amount_fen,
                         start_month=decision.payment_start, assessment=decision.assessment,
                         parameters=decision.parameters, household_document=decision.household_document,
                         decision=decision, on=decision.decided_on)


# --- acts of the procedures on a live benefit (特困 termination and reassessment, staged payments) ----

def _live_for_act(user: Any, benefit: Any, *actions: str, what: str) -> Benefit:
    """Lock the benefit through the access layer, check the role in its area and that it is live."""
    benefit = access_benefit(user, getattr(benefit, "pk", benefit), lock=True)
    _require(user, benefit.region, *actions, what=what)
    if not benefit.live:
        raise BenefitError(f"该待遇{benefit.get_status_display()}，不能{what}", "benefit")
    return benefit


def _from_next_month(benefit: Benefit, effective_month: Any, on: dt.date) -> dt.date:
    """A change decided now takes effect from a month after this one (months paid are not rewritten),
    and not before a change already recorded."""
    if not isinstance(effective_month, dt.date):
        raise BenefitError("请填写生效月份（年-月-日）", "effective_month")
    month = month_of(effective_month)
    if month <= month_of(on):
        raise BenefitError(f"生效月份应在 {month_label(next_month(on))} 或以后（已发放的月份不改写）", "effective_month")
    latest = benefit.changes.order_by("-effective_month").values_list("effective_month", flat=True).first()
    if latest is not None and month < latest:
        raise BenefitError(f"生效月份不能早于已记录的变更月份 {month_label(latest)}", "effective_month")
    return month


def _ground_label(program: str, ground: str) -> str:
    if program == "tekun":
        if ground not in TekunEndGround.values:
            raise BenefitError("请选择终止特困供养的事由（NAT-TK-END）", "ground")
        return str(TekunEndGround(ground).label)
    if not (ground or "").strip():
        raise BenefitError("请写明终止事由", "ground")
    return ground.strip()


@transaction.atomic
def end_benefit(user: Any, benefit: Any, *, ground: str, effective_month: dt.date, reasons: str,
                follow_up: str = "", source: str = "", on: dt.date | None = None) -> BenefitChange:
    """终止待遇 decided by a procedure (特困 termination, NAT-TK-END): nothing is paid from
    ``effective_month``; the ground, the reasons and the follow-up assessment (低保 or temporary
    assistance) are written in the change row; open reviews of the benefit are closed."""
    on = _today(on)
    benefit = _live_for_act(user, benefit, Perm.CASE_APPROVE, what="终止待遇")
    label = _ground_label(benefit.program, ground)
    month = _from_next_month(benefit, effective_month, on)
    if not (reasons or "").strip():
        raise BenefitError("请写明终止的事实和理由", "reasons")
    rule = "(NAT-TK-END)" if benefit.program == "tekun" else ""
    text = "；".join(x for x in [f"终止事由：{label}", reasons.strip(),
                                 f"{month_label(month)}起终止{benefit.program_name}{rule}", follow_up.strip()] if x)
    row = _change(benefit, user, ChangeKind.STOP, month, on, amount=0, status=Status.ENDED, reasons=text,
                  figures={"ground": ground, "follow_up": follow_up.strip()}, source=source[:80])
    for review in benefit.reviews.select_for_update().filter(state=Review.State.OPEN):
        review.state, review.outcome = Review.State.DONE, Outcome.STOP
        review.reasons = f"待遇已于{month_label(month)}起终止（{label}），本次复核不再进行"
        review.amount_before_fen, review.amount_after_fen = row.amount_before_fen, 0
        review.effective_month, review.decided_by, review.decided_on = month, user, on
        review.version += 1
        review.save()
    return row


CARRIED_FACTS = ("self_care_tasks_unable",)  # 特困: the self-care assessment lives with the procedure, not the registry


def _member_facts(document: dict | None) -> dict[str, dict]:
    """The carried member facts (the self-care assessment) of a household document, by ID number."""
    out: dict[str, dict] = {}
    for m in (document or {}).get("members", []):
        facts = {k: m[k] for k in CARRIED_FACTS if m.get(k) is not None}
        if facts and m.get("id_number"):
            out[str(m["id_number"])] = facts
    return out


def carried_facts(benefit: Benefit) -> dict[str, dict]:
    """The latest self-care assessment known to the benefit (at start, then each amount change),
    given to a review so that a 特困 review keeps the assessed care tier (NAT-TK-SELFCARE, TK-2)."""
    if benefit.program != "tekun":
        return {}
    out = _member_facts(benefit.household_document)
    for c in benefit.changes.order_by("effective_month", "at", "id"):
        for idn, facts in (c.figures or {}).get("member_facts", {}).items():
            out.setdefault(idn, {}).update(facts)
    return out


def _assessed_fen(assessment: dict | None, benefit: Benefit) -> int | None:
    """The policy core's amount for the benefit: the person's own line for a per-person benefit
    (None when the decision has no per-person lines), else the household's amount."""
    if benefit.person_id is not None:
        return persons.person_fen(assessment, benefit.program, benefit.person.id_number)
    result = ((assessment or {}).get("programs") or {}).get(benefit.program)
    if not result:
        return None
    return reckon.yuan_to_fen(result.get("amount")) if result.get("eligible") else 0


@transaction.atomic
def change_benefit_amount(user: Any, benefit: Any, *, amount_fen: int, effective_month: dt.date, reasons: str,
                          assessment: dict, household_document: dict | None = None,
                          on: dt.date | None = None) -> BenefitChange | None:
    """调整保障金额 decided by a procedure (a 特困 self-care reassessment that changes the care
    tier, NAT-TK-SELFCARE, TK-2): the new monthly amount from ``effective_month``. The amount is
    the policy core's (``assessment``); a reduction is notified in writing like any other. Returns
    None when the amount does not change."""
    on = _today(on)
    benefit = _live_for_act(user, benefit, Perm.CASE_APPROVE, Perm.CASE_REVIEW, Perm.CASE_INVESTIGATE,
                            what="调整待遇金额")
    if benefit.status != Status.ACTIVE:
        raise BenefitError("渐退期内的待遇不调整金额", "benefit")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise BenefitError("新的月保障金额应为大于 0 的整数（分）；不再符合条件的应终止待遇", "amount_fen")
    assessed = _assessed_fen(assessment, benefit)
    if assessed != amount_fen:
        whose = f"{benefit.person.name}本人的" if benefit.person_id else ""
        raise BenefitError(f"新的月保障金额 {yuan(amount_fen)} 元与政策核算结果中{whose}金额 "
                           f"{'无' if assessed is None else yuan(assessed) + ' 元'}不一致", "amount_fen")
    month = _from_next_month(benefit, effective_month, on)
    if not (reasons or "").strip():
        raise BenefitError("请写明调整的理由", "reasons")
    before = benefit.amount_fen
    if amount_fen == before:
        return None
    kind = ChangeKind.AMOUNT if amount_fen > before else ChangeKind.REDUCE
    trace = ((assessment.get("programs") or {}).get(benefit.program) or {}).get("trace", [])
    text = f"{reasons.strip()}；{month_label(month)}起月保障金 {yuan(before)} 元调整为 {yuan(amount_fen)} 元"
    figures = {"assessed_amount": yuan(amount_fen), "rules": sorted({t["rule"] for t in trace}),
               "member_facts": _member_facts(household_document)}
    if benefit.person_id is not None:  # the amount matched the person's line (_assessed_fen): it is there
        figures["person_line"], sentence = _person_line(assessment, benefit.program, benefit.person)
        text += "；" + sentence
    return _change(benefit, user, kind, month, on, amount=amount_fen, status=Status.ACTIVE, reasons=text,
                   figures=figures)


def _paid_so_far(benefit: Benefit) -> tuple[int, set[int]]:
    rows = benefit.changes.filter(kind=ChangeKind.PAYMENT)
    return sum(int(c.figures.get("paid_fen", 0)) for c in rows), {int(c.figures.get("stage", 0)) for c in rows}


@transaction.atomic
def record_payment(user: Any, benefit: Any, *, amount_fen: int, paid_on: dt.date, stage: int, reasons: str = "",
                   source: str = "", on: dt.date | None = None) -> BenefitChange:
    """一次性救助发放: one paid stage of a one-off benefit (临时救助 paid in stages, NAT-TA-FIRST)
    as a change row, so the payment history and fraud recovery see it. When the payments reach
    the approved total the benefit ends from the month after the last one."""
    on = _today(on)
    benefit = _live_for_act(user, benefit, Perm.PAYMENT_MANAGE, Perm.CASE_ACCEPT, what="登记发放")
    if not paid_in_stages(benefit):
        raise BenefitError("按月发放的待遇不逐笔登记发放", "benefit")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise BenefitError("发放金额应为大于 0 的整数（分）", "amount_fen")
    if not isinstance(paid_on, dt.date):
        raise BenefitError("请填写发放日期（年-月-日）", "paid_on")
    if paid_on > on:
        raise BenefitError("发放日期不能晚于今天", "paid_on")
    if month_of(paid_on) < benefit.start_month:
        raise BenefitError(f"发放日期不能早于批准月份 {month_label(benefit.start_month)}", "paid_on")
    paid, stages = _paid_so_far(benefit)
    if int(stage) in stages:
        raise BenefitError(f"第{stage}次已登记发放", "stage")
    held = stage_hold(benefit, int(stage), by="roll" if source.startswith(ROLL_SOURCE) else "hand")
    if held:
        raise BenefitError(held, "stage")
    total = benefit.amount_fen
    if paid + amount_fen > total:
        raise BenefitError(f"已发放 {yuan(paid)} 元，再发 {yuan(amount_fen)} 元将超过批准金额 {yuan(total)} 元",
                           "amount_fen")
    after = paid + amount_fen
    text = "；".join(x for x in [f"第{stage}次发放 {yuan(amount_fen)} 元，累计 {yuan(paid)} + {yuan(amount_fen)} = "
                                 f"{yuan(after)} 元（批准 {yuan(total)} 元）", (reasons or "").strip()] if x)
    row = _change(benefit, user, ChangeKind.PAYMENT, paid_on, on, amount=total, status=Status.ACTIVE, reasons=text,
                  figures={"stage": int(stage), "paid_fen": amount_fen, "paid_on": paid_on.isoformat(),
                           "paid_total_fen": after}, source=source[:80])
    if after == total:
        _change(benefit, user, ChangeKind.TERM_END, next_month(paid_on), on, amount=0, status=Status.ENDED,
                reasons=f"{benefit.program_name}批准的 {yuan(total)} 元已全部发放，救助终结", source=source[:80])
    stage_paid.send(sender=Benefit, benefit=benefit, stage=int(stage), amount_fen=amount_fen, paid_on=paid_on,
                    source=source, user=user, on=on)
    return row


ROLL_SOURCE = "payments.roll#"  # the source of a stage paid through a monthly roll (doudi.payments)


def stage_plan(benefit: Benefit) -> list[int]:
    """The planned stages of a one-off benefit paid in stages (fen), from its start row; [] otherwise."""
    if not paid_in_stages(benefit):
        return []
    start = benefit.changes.filter(kind=ChangeKind.START).order_by("id").first()
    plan = (start.figures or {}).get("stages_fen") if start is not None else None
    return [int(x) for x in plan] if plan else [benefit.amount_fen]


def stages_paid(benefit: Benefit) -> dict[int, str]:
    """The stages recorded as paid: stage → the source of its payment row."""
    return {int(c.figures.get("stage", 0)): c.source for c in benefit.changes.filter(kind=ChangeKind.PAYMENT)}


def stage_hold(benefit: Benefit, stage: int, *, by: str) -> str:
    """Why stage ``stage`` of a one-off benefit may not be paid now, "" when it may: asked of the
    procedure that planned it and of payments through the ``stage_check`` signal (``by`` "hand": one
    by one from the worklist; "roll": on the monthly roll)."""
    try:
        stage_check.send(sender=Benefit, benefit=benefit, stage=int(stage), by=by)
    except ValueError as exc:
        return str(getattr(exc, "message", exc))
    return ""


# --- reported changes -------------------------------------------------------------------------

def _report_deadline(kind: str, occurred: dt.date, reported: dt.date) -> tuple[str, dt.date, str, str]:
    """(trigger, due date, warning, rule): a death within 3 months of it; any other change at once."""
    from doudi.workdays.calendar import add_working_days

    if kind == ChangeReportKind.DEATH:
        n = setting("death_review_months")
        return (Review.Trigger.DEATH, add_months(occurred, n), "",
                f"家庭成员死亡后 {n} 个月内复核（NAT-DB-REVIEW）")
    n = setting("reported_change_review_working_days")
    due = add_working_days(reported, n)
    return (Review.Trigger.REPORTED, due.date, due.warning or "",
            f"家庭情况变化及时复核（DB-11），{n} 个工作日内")


@transaction.atomic
def report_change(user: Any, benefit_id: Any, *, kind: str, occurred_on: dt.date, description: str,
                  person_id: Any = None, member_facts: dict | None = None, on: dt.date | None = None) -> ReportedChange:
    """家庭情况变化报告: recorded, and a review put on the worklist with its deadline."""
    on = _today(on)
    benefit = access_benefit(user, benefit_id, lock=True)
    _require(user, benefit.region, Perm.CASE_REPORT, Perm.CASE_ACCEPT, what="报告家庭情况变化")
    if kind not in ChangeReportKind.values:
        raise BenefitError("请选择变化类型", "kind")
    if not isinstance(occurred_on, dt.date):
        raise BenefitError("请填写发生日期（年-月-日）", "occurred_on")
    if occurred_on > on:
        raise BenefitError("发生日期不能晚于报告日期", "occurred_on")
    if not (description or "").strip():
        raise BenefitError("请填写情况说明", "description")
    if not benefit.live:
        raise BenefitError("该待遇已停发，无需复核", "benefit")
    if paid_in_stages(benefit):
        raise BenefitError("一次性救助按批准金额分次发放，不进行复核；情况变化请在临时救助案件中办理", "benefit")
    person = None
    if person_id not in (None, ""):
        ids = benefit.household.memberships_on(occurred_on).values_list("person_id", flat=True)
        person = Person.objects.filter(pk=person_id, pk__in=list(ids)).first()
        if person is None:
            raise BenefitError("所选成员不是该家庭在发生日期时的成员", "person")
    facts = dict(member_facts or {})
    if kind == ChangeReportKind.DEATH and person is not None:
        facts.setdefault("lives_together", False)
    same = ReportedChange.objects.filter(benefit=benefit, kind=kind, person=person, occurred_on=occurred_on,
                                         description=description.strip(), member_facts=facts,
                                         reviews__state=Review.State.OPEN).first()
    if same is not None:
        return same  # the same report submitted twice takes effect once
    report = ReportedChange.objects.create(benefit=benefit, kind=kind, person=person, occurred_on=occurred_on,
                                           description=description.strip(), member_facts=facts,
                                           reported_by=user, reported_on=on)
    trigger, due, warning, rule = _report_deadline(kind, occurred_on, on)
    review = Review.objects.create(benefit=benefit, trigger=trigger, report=report, scheduled_for=on, due_on=due,
                                   due_warning=warning, due_rule=rule, created_at=timezone.now())
    audit.record(user, AuditKind.STEP, benefit, action="benefit.report_change",
                 reason=f"{report.get_kind_display()}：{report.description[:200]}",
                 detail={"report": report.pk, "review": review.pk, "due_on": due.isoformat()})
    return report


# --- reviews ---------------------------------------------------------------------------------

@dataclass
class Reassessment:
    """The policy core's redecision of a benefit on a date, and what it means for the benefit."""

    document: dict
    decision: dict
    eligible: bool
    amount_fen: int
    outcome: str
    change_kind: str
    through_work: bool
    exit_months: int
    cycle: reckon.Cycle
    notes: list[str] = field(default_factory=list)


def policy_document(household: Household, on: dt.date, member_extra: dict | None = None) -> dict:
    """The registry's household document for the policy core; a village or township code the
    region list does not know yet is read as its county (the parameters are per county)."""
    from doudi.policy import regions
    from doudi.registry.documents import household_document

    doc = household_document(household, on, member_extra=member_extra)
    if not regions.is_known(str(doc.get("region", ""))):
        doc["region"] = household.county
    return doc


def _member_extra(benefit: Benefit, reports: Iterable[ReportedChange]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for r in reports:
        if r.person is not None and r.member_facts:
            out.setdefault(r.person.id_number, {}).update(r.member_facts)
    return out


def reassess(benefit: Benefit, on: dt.date, reports: Iterable[ReportedChange] = (),
             through_work: bool = False) -> Reassessment:
    """Redecide the benefit with the policy core (assess on the registry's household document,
    with the reported members' new facts) and say what follows: continue, change, reduce,
    渐退 or stop."""
    from doudi.params.store import current_policy
    from doudi.policy.errors import InputError

    policy = current_policy()  # YAML + approved parameter values: an approved standard change included (DB-14)
    reports = list(reports)
    hh = benefit.household
    extra = carried_facts(benefit)
    for idn, facts in _member_extra(benefit, reports).items():
        extra.setdefault(idn, {}).update(facts)
    doc = policy_document(hh, on, extra)
    try:
        decision = persons.assess_with_lines(doc, policy=policy)
    except InputError as exc:
        raise BenefitError(f"家庭资料有误，无法核算：{exc}", "household") from None
    result = decision["programs"].get(benefit.program) or {}
    line = None
    if benefit.person_id is not None:  # a per-person benefit (特困): the person's own line (TK-1, TK-2, TK-4)
        line = persons.person_line(decision, benefit.program, benefit.person.id_number)
        eligible = bool(line and line.get("covered"))
        amount = reckon.yuan_to_fen(line["amount"]) if eligible else 0
    else:
        eligible = bool(result.get("eligible"))
        amount = reckon.yuan_to_fen(result.get("amount")) if eligible else 0
    through_work = through_work or any(r.kind in WORK_KINDS for r in reports)
    months = 0
    if benefit.program == "dibao":
        months = int(policy.resolve("dibao.gradual_exit.months", hh.county, on, hh.residence).value or 0)
    rules = {t["rule"] for t in result.get("trace", [])}
    notes = _registry_notes(hh, on, reports)
    if benefit.person_id is not None:
        notes.append(persons.line_sentence(line, result.get("amount")))
    in_exit = benefit.status == Status.GRADUAL_EXIT
    if in_exit and not eligible:
        outcome, kind = Outcome.CONTINUE, ChangeKind.CONTINUE
        notes.append("家庭人均收入仍高于低保标准，渐退期继续，期满退出（DB-9）")
    elif not eligible and benefit.program == "dibao" and through_work and months > 0:
        outcome, kind = Outcome.GRADUAL_EXIT, ChangeKind.GRADUAL_EXIT
        notes.append(f"因就业创业家庭人均收入超过低保标准，给予不超过 {months} 个月的渐退期（DB-9、NAT-DB-EXIT）")
    elif not eligible:
        outcome, kind = Outcome.STOP, ChangeKind.STOP
    elif amount == benefit.amount_fen:
        outcome, kind = Outcome.CONTINUE, ChangeKind.CONTINUE
    elif amount > benefit.amount_fen:
        outcome, kind = Outcome.CHANGE, ChangeKind.AMOUNT
    else:
        outcome = Outcome.REDUCE
        kind = ChangeKind.WORK_REFUSAL if rules & {"DB-10", "NAT-DB-WORK"} else ChangeKind.REDUCE
    cycle = reckon.review_cycle(benefit.program, doc, on, benefit.income_unstable)
    return Reassessment(doc, decision, eligible, amount, outcome, kind, through_work, months, cycle, notes)


def _registry_notes(household: Household, on: dt.date, reports: list[ReportedChange]) -> list[str]:
    """A member reported dead or moved away who is still in the registry's household: say so
    (the registry is changed by the caseworker; the review counts him out already)."""
    members = set(household.memberships_on(on).values_list("person_id", flat=True))
    return [f"{r.person.name}已报告{r.get_kind_display()}，家庭登记中仍在户内，请经办人在家庭登记中办理减员"
            for r in reports if r.kind in (ChangeReportKind.DEATH, ChangeReportKind.MOVED)
            and r.person_id in members]


def _effective(benefit: Benefit, on: dt.date, outcome: str) -> tuple[dt.date, str]:
    """The month a review's change takes effect: the next month; a 特困 termination after its
    7-day notice, from the month after (NAT-TK-END)."""
    if benefit.program == "tekun" and outcome == Outcome.STOP:
        days = setting("tekun_end_notice_days")
        notice_end = on + dt.timedelta(days=days)
        return next_month(notice_end), f"终止前公示 {days} 天（至 {notice_end}），次月起终止（NAT-TK-END）"
    return next_month(on), ""


def _other_help(decision: dict) -> str:
    """NAT-TK-END: after a 特困 termination, is the person assessed for 低保 or temporary assistance."""
    parts = []
    for pid, name in (("dibao", "低保"), ("temporary", "临时救助")):
        r = decision["programs"].get(pid)
        if r is None:
            parts.append(f"{name}：未核算")
        else:
            parts.append(f"{name}：{'符合，' + r['amount'] + ' 元' if r.get('eligible') else '不符合'}")
    return "终止后核查其他救助（NAT-TK-END）：" + "；".join(parts)


PROCEDURE_ENDS = {("tekun", "support"): "特困供养的终止须在特困案件中提出拟终止、公示 7 天后决定（NAT-TK-END）"}


def _procedure_ends(benefit: Benefit, outcome: str, r: Reassessment) -> None:
    """A benefit whose procedure has its own way to end it (a 特困 case: proposal, 7-day notice,
    decision, NAT-TK-END) is not stopped by a review here: the procedure's termination ends the
    benefit (end_benefit) and closes this review, so the case and the benefit stay in step."""
    why = PROCEDURE_ENDS.get((benefit.program, benefit.decision_app))
    if why and outcome == Outcome.STOP:
        found = "" if r.eligible else "复核核算已不符合条件；"
        raise BenefitError(f"{found}{why}，终止后本复核自动办结", "stop")


def _open_review(user: Any, review_id: Any, version: int | None) -> tuple[Review, Benefit]:
    """Fetch and lock the review and its benefit; check area, role, state and version."""
    try:
        review = access.scope_queryset(user, Review.objects.select_for_update().select_related("benefit"),
                                       Perm.CASE_VIEW).get(pk=review_id)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该复核，或不在您的辖区内") from None
    benefit = access_benefit(user, review.benefit_id, lock=True)
    _require(user, benefit.region, Perm.CASE_APPROVE, what="作出复核决定")
    if review.state != Review.State.OPEN:
        raise BenefitError("该复核已办结", "review")
    if version is not None and int(version) != review.version:
        raise BenefitError("复核已被他人办理或更新，请刷新页面后重试", "version")
    if not benefit.live:
        raise BenefitError("该待遇已停发，不能复核调整", "benefit")
    return review, benefit


def _written_reasons(benefit: Benefit, outcome: str, reasons: str, ground: str, r: Reassessment,
                     timing: str) -> str:
    """The reasons as written to the household: required for a reduction, stop or 渐退; a 特困
    termination with its ground and the check for other help (NAT-TK-END)."""
    reasons = (reasons or "").strip()
    tekun_end = benefit.program == "tekun" and outcome == Outcome.STOP
    if tekun_end:
        if ground not in TekunEndGround.values:
            raise BenefitError("请选择终止特困供养的事由（NAT-TK-END）", "ground")
        reasons = f"终止事由：{TekunEndGround(ground).label}；{reasons}".rstrip("；")
    if outcome in (Outcome.REDUCE, Outcome.STOP, Outcome.GRADUAL_EXIT) and not reasons:
        raise BenefitError("减发、停发和渐退须写明理由（NAT-DB-REVIEW）", "reasons")
    text = "；".join(x for x in [reasons, *r.notes, timing] if x) or "复核情况无变化，继续保障"
    return text + ("；" + _other_help(r.decision) if tekun_end else "")


def _apply(benefit: Benefit, user: Any, r: Reassessment, outcome: str, kind: str, effective: dt.date,
           on: dt.date, text: str, figures: dict) -> str:
    """Write the outcome as the benefit's new figures and one BenefitChange row; returns the reasons."""
    figures = dict(figures)
    source = str(figures.pop("source", ""))
    if outcome == Outcome.GRADUAL_EXIT:
        benefit.exit_first_month, benefit.exit_months = effective, r.exit_months
        benefit.next_review_on = None
        text += "；" + reckon.exit_text(effective, r.exit_months, effective)
        status, amount = Status.GRADUAL_EXIT, benefit.amount_fen
    elif outcome == Outcome.STOP:
        status, amount = Status.STOPPED, 0
    elif benefit.status == Status.GRADUAL_EXIT and not r.eligible:
        text += "；" + reckon.exit_text(benefit.exit_first_month, benefit.exit_months, on)
        status, amount = Status.GRADUAL_EXIT, benefit.amount_fen
    else:
        if benefit.status == Status.GRADUAL_EXIT:
            text += "；家庭人均收入重新低于低保标准，结束渐退，恢复正常保障"
            benefit.exit_first_month, benefit.exit_months = None, None
        benefit.cycle = r.cycle.kind
        benefit.next_review_on = reckon.next_review(on, r.cycle)
        text += "；" + r.cycle.reason
        status, amount = Status.ACTIVE, r.amount_fen
    _change(benefit, user, kind, effective, on, amount=amount, status=status, reasons=text,
            figures={**figures, "exit_months": benefit.exit_months}, source=source)
    return text


@transaction.atomic
def decide_review(user: Any, review_id: Any, *, reasons: str, through_work: bool = False, stop: bool = False,
                  ground: str = "", version: int | None = None, on: dt.date | None = None) -> Review:
    """复核决定 (county): redecide with the policy core; continue, change the amount, reduce,
    渐退 or stop, with written reasons (reductions and stops: required, NAT-DB-REVIEW).
    ``stop`` stops the benefit whatever the amount (e.g. moved away, voluntary exit); a 特困
    termination names its ``ground`` (NAT-TK-END)."""
    on = _today(on)
    review, benefit = _open_review(user, review_id, version)
    r = reassess(benefit, on, [review.report] if review.report else [], through_work)
    outcome, kind = (Outcome.STOP, ChangeKind.STOP) if stop else (r.outcome, r.change_kind)
    _procedure_ends(benefit, outcome, r)
    effective, timing = _effective(benefit, on, outcome)
    text = _written_reasons(benefit, outcome, reasons, ground, r, timing)
    before = benefit.amount_fen
    figures = {"review": review.pk, "assessed_amount": yuan(r.amount_fen), "eligible": r.eligible,
               "source": f"review#{review.pk}"}
    text = _apply(benefit, user, r, outcome, kind, effective, on, text, figures)
    review.state, review.outcome, review.reasons = Review.State.DONE, outcome, text
    review.amount_before_fen, review.amount_after_fen = before, benefit.amount_fen
    review.assessment, review.household_document = r.decision, r.document
    review.effective_month, review.decided_by, review.decided_on = effective, user, on
    review.version += 1
    review.save()
    return review


# --- the system's jobs (jobs.py) ---------------------------------------------------------------

@transaction.atomic
def schedule_reviews(today: dt.date | None = None) -> int:
    """定期复核: put a review on the worklist of every live benefit whose review date is near
    (DB-11, NAT-DB-REVIEW), once; returns how many were created."""
    from doudi.workdays.calendar import Calendar

    today = _today(today)
    lead = dt.timedelta(days=setting("scheduled_review_lead_days"))
    n_days = setting("scheduled_review_working_days")
    cal = Calendar.load()
    created = 0
    due_soon = Benefit.objects.filter(status=Status.ACTIVE, next_review_on__isnull=False,
                                      next_review_on__lte=today + lead)
    for benefit in due_soon.select_for_update():
        if benefit.reviews.filter(state=Review.State.OPEN).exists():
            continue
        if benefit.reviews.filter(trigger=Review.Trigger.SCHEDULED, scheduled_for=benefit.next_review_on).exists():
            continue
        due = cal.add_working_days(benefit.next_review_on, n_days)
        review = Review.objects.create(
            benefit=benefit, trigger=Review.Trigger.SCHEDULED, scheduled_for=benefit.next_review_on, due_on=due.date,
            due_warning=due.warning or "", created_at=timezone.now(),
            due_rule=f"{benefit.get_cycle_display()}（DB-11、NAT-DB-REVIEW），应复核日后 {n_days} 个工作日内")
        audit.record(None, AuditKind.STEP, benefit, action="benefit.schedule_review",
                     reason=f"定期复核，应复核日 {benefit.next_review_on}", detail={"review": review.pk})
        created += 1
    return created


@transaction.atomic
def end_gradual_exits(today: dt.date | None = None) -> int:
    """渐退期满: stop every benefit whose 渐退期 is over, from the month after its last month."""
    today = _today(today)
    ended = 0
    for benefit in Benefit.objects.select_for_update().filter(status=Status.GRADUAL_EXIT):
        last = benefit.exit_last_month
        if last is None or month_of(today) <= last:
            continue
        stop = add_months(last, 1)
        _change(benefit, None, ChangeKind.EXIT, stop, today, amount=0, status=Status.STOPPED,
                reasons=f"{reckon.exit_text(benefit.exit_first_month, benefit.exit_months, today)}，退出低保（DB-9）",
                figures={"exit_months": benefit.exit_months}, source="jobs.end_gradual_exits")
        ended += 1
    return ended


@transaction.atomic
def end_terms(today: dt.date | None = None) -> int:
    """救助期满: a fixed-term benefit (``last_month`` set) ends from the month after its last month."""
    today = _today(today)
    ended = 0
    for benefit in Benefit.objects.select_for_update().filter(status=Status.ACTIVE, last_month__isnull=False,
                                                              last_month__lt=month_of(today)):
        _change(benefit, None, ChangeKind.TERM_END, add_months(benefit.last_month, 1), today, amount=0,
                status=Status.ENDED, reasons=f"救助期至{month_label(benefit.last_month)}届满，终止发放",
                source="jobs.end_terms")
        ended += 1
    return ended


@transaction.atomic
def end_by_check(benefit: Benefit, *, effective_month: dt.date, reasons: str, source: str,
                 today: dt.date | None = None) -> BenefitChange | None:
    """A live benefit ended by another app's scheduled check (doudi.programs: a child comes of age or
    no longer qualifies, CH-2), from ``effective_month``; None when it is no longer live."""
    today = _today(today)
    benefit = Benefit.objects.select_for_update().get(pk=benefit.pk)
    if not benefit.live:
        return None
    return _change(benefit, None, ChangeKind.STOP, effective_month, today, amount=0, status=Status.ENDED,
                   reasons=reasons, source=source[:80])


# --- payment history and fraud recovery --------------------------------------------------------

def monthly_amounts(benefit: Benefit, months: Iterable[dt.date]) -> list[tuple[dt.date, int]]:
    """The amount paid for each month, from the change history (the last change in force that month);
    for a one-off benefit the sum of the payments recorded in that month."""
    if paid_in_stages(benefit):
        paid: dict[dt.date, int] = defaultdict(int)
        for c in benefit.changes.filter(kind=ChangeKind.PAYMENT):
            paid[c.effective_month] += int(c.figures.get("paid_fen", 0))
        return [(m, paid.get(month_of(m), 0)) for m in months]
    changes = list(benefit.changes.order_by("effective_month", "at", "id"))
    out = []
    for m in months:
        amount = 0
        for c in changes:
            if c.effective_month <= m:
                amount = c.amount_after_fen if c.status_after in LIVE else 0
        out.append((m, amount))
    return out


@transaction.atomic
def recover_fraud(user: Any, benefit_id: Any, *, first_month: dt.date, last_month: dt.date, fine_multiple: Any,
                  reasons: str, on: dt.date | None = None) -> Recovery:
    """骗取保障金 (NAT-DB-FRAUD): stop the benefit, recover the sum of the monthly amounts paid over
    the months wrongly paid, and record a fine of 1 to 3 times that sum."""
    on = _today(on)
    benefit = access_benefit(user, benefit_id, lock=True)
    _require(user, benefit.region, Perm.CASE_APPROVE, what="决定追回")
    multiple = reckon.fine_multiple(fine_multiple)
    if not isinstance(first_month, dt.date):
        raise BenefitError("请填写骗取起始月份", "first_month")
    if not isinstance(last_month, dt.date):
        raise BenefitError("请填写骗取截止月份", "last_month")
    first, last = month_of(first_month), month_of(last_month)
    if last < first:
        raise BenefitError("截止月份不能早于起始月份", "last_month")
    if first < benefit.start_month:
        raise BenefitError(f"起始月份不能早于开始发放月份 {month_label(benefit.start_month)}", "first_month")
    if last > month_of(on):
        raise BenefitError("截止月份不能晚于本月（只能追回已发放的月份）", "last_month")
    if not (reasons or "").strip():
        raise BenefitError("请写明骗取保障金的事实和依据", "reasons")
    if benefit.recoveries.filter(first_month__lte=last, last_month__gte=first).exists():
        raise BenefitError("这些月份已决定追回，不能重复追回", "first_month")
    paid = monthly_amounts(benefit, months_from_to(first, last))
    amount = sum(a for _, a in paid)
    fine = reckon.fine_fen(amount, multiple)
    recovery = Recovery.objects.create(
        benefit=benefit, first_month=first, last_month=last, months=[[m.isoformat(), a] for m, a in paid],
        amount_fen=amount, fine_multiple=multiple, fine_fen=fine, reasons=reasons.strip(), decided_by=user,
        decided_on=on)
    sums = " + ".join(yuan(a) for _, a in paid)
    text = (f"{reasons.strip()}；{month_label(first)}至{month_label(last)}共 {len(paid)} 个月发放 {sums} = "
            f"{yuan(amount)} 元予以追回，并处 {multiple} 倍罚款 {yuan(fine)} 元（NAT-DB-FRAUD）")
    if benefit.live:
        _change(benefit, user, ChangeKind.FRAUD, next_month(on), on, amount=0, status=Status.STOPPED, reasons=text,
                figures={"recovery": recovery.pk, "recovered": yuan(amount), "fine": yuan(fine)},
                source=f"recovery#{recovery.pk}")
    else:
        audit.record(user, AuditKind.DECISION, benefit, action="benefit.fraud", reason=text[:500],
                     detail={"recovery": recovery.pk})
    # the procedure that started the benefit ends its case too (a 特困 case: doudi.support.end_for_fraud)
    stopped_for_fraud.send(sender=Benefit, benefit=benefit, recovery=recovery, user=user, on=on)
    return recovery


# --- DB-14: a change of standard -------------------------------------------------------------------

def _decimal(raw: Any, field: str, label: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise BenefitError(f"{label}应为百分数，如 5.2 表示 5.2%，收到「{raw}」", field) from None
    if not value.is_finite() or abs(value) > 100:
        raise BenefitError(f"{label}应为 -100 至 100 之间的百分数，收到「{raw}」", field)
    return value / 100


def _current_standard(policy: Any, region: str, residence: str, on: dt.date) -> int:
    value = policy.resolve(f"dibao.standard.{residence}", regions.county_of(region), on, residence).value
    return 0 if value is None else int(Decimal(value) * 100)


PARAM_FIELDS = {"value": "new_standard", "document": "source", "region": "region", "effective_from": "effective_from",
                "parameter": "residence"}


def _standard_figures(old_fen: int, new_fen: int, growth_sentence: str, consumption_spending: Any,
                      standard_ratio: Any) -> dict[str, str]:
    """The method and figures recorded with the change: DB-13's comparison, and NAT-DB-STANDARD's
    上年人均消费支出 × 比例 where given (not enforced: the standard is set by the province or city)."""
    figures = {"现行标准": f"{yuan(old_fen)} 元", "新标准": f"{yuan(new_fen)} 元"}
    if growth_sentence:
        figures["DB-13"] = growth_sentence
    if consumption_spending not in (None, "") or standard_ratio not in (None, ""):
        spend = reckon.parse_yuan(consumption_spending, "consumption_spending", "上年人均消费支出")
        try:
            ratio = Decimal(str(standard_ratio).strip())
        except (InvalidOperation, ValueError):
            raise BenefitError(f"比例应为 0 至 1 之间的小数，如 0.35，收到「{standard_ratio}」", "standard_ratio") from None
        if not ratio.is_finite() or not 0 < ratio <= 1:
            raise BenefitError(f"比例应为 0 至 1 之间的小数，如 0.35，收到「{standard_ratio}」", "standard_ratio")
        monthly = (Decimal(spend) * ratio / 12).quantize(Decimal(1))
        figures["NAT-DB-STANDARD"] = (f"上年人均消费支出 {yuan(spend)} 元/年 × {ratio} ÷ 12 = {yuan(int(monthly))} 元/月"
                                      f"（新标准 {yuan(new_fen)} 元）")
    return figures


@transaction.atomic
def start_standard_change(user: Any, *, region: str, residence: str, new_standard: Any, effective_from: dt.date,
                          source: str, consumption_growth: Any = None, consumption_spending: Any = None,
                          standard_ratio: Any = None, on: dt.date | None = None) -> StandardChange:
    """标准调整 (DB-14) as a parameter change: check the new standard (DB-13 where it governs),
    enter it as a pending value of `dibao.standard.<residence>` for the region (province, city or
    county) in doudi.params, and recompute every live 低保 and 特困 benefit of every county under
    the region that inherits it; the differences and the value wait for a second user's approval."""
    from doudi.params import services as params
    from doudi.params.store import current_policy

    on = _today(on)
    region = (region or "").strip()
    if regions.shape_level(region) not in ("province", "city", "county") or not regions.is_known(region):
        raise BenefitError("适用区域应为省、市或县（区）的 6 位代码，如 620422、150200", "region")
    _require(user, region, Perm.PARAMS_CHANGE, what="调整低保标准")
    if residence not in ("urban", "rural"):
        raise BenefitError("请选择城市或农村标准", "residence")
    if not isinstance(effective_from, dt.date):
        raise BenefitError("请填写执行日期（年-月-日）", "effective_from")
    if not (source or "").strip():
        raise BenefitError("请填写文件依据", "source")
    new_fen = reckon.parse_yuan(new_standard, "new_standard", "新标准")
    if new_fen <= 0:
        raise BenefitError("新标准应大于 0", "new_standard")
    policy = current_policy()
    old_fen = _current_standard(policy, region, residence, effective_from - dt.timedelta(days=1))
    growth, sentence = None, ""
    floor = policy.resolve("dibao.standard.growth_floor", regions.county_of(region), effective_from, residence)
    if residence == "urban" and floor.value:
        if consumption_growth in (None, ""):
            raise BenefitError("请填写上年城镇居民人均消费支出增长率（DB-13）", "consumption_growth")
        growth = _decimal(consumption_growth, "consumption_growth", "上年城镇居民人均消费支出增长率")
        sentence = reckon.check_growth_floor(old_fen, new_fen, growth, floor.source)
    figures = _standard_figures(old_fen, new_fen, sentence, consumption_spending, standard_ratio)
    try:
        value = params.enter(user, parameter=f"dibao.standard.{residence}", region=region,
                             effective_from=effective_from, value=yuan(new_fen), document=source,
                             figures=figures, origin="benefits.standard")
    except params.ParamsError as exc:
        raise BenefitError(exc.message, PARAM_FIELDS.get(exc.field, "__all__")) from None
    change = StandardChange.objects.create(
        region=region, residence=residence, old_standard_fen=old_fen, new_standard_fen=new_fen,
        effective_from=effective_from, consumption_growth=growth, source=source.strip(), started_by=user,
        started_at=timezone.now())
    value.origin = f"benefits.standard#{change.pk}"
    value.save(update_fields=["origin"])
    _recompute(change, current_policy(extra=store_layer(value)))
    audit.record(user, AuditKind.PARAMETER_CHANGE, change, action="benefit.standard_start",
                 reason=f"{change}：{yuan(old_fen)} → {yuan(new_fen)} 元", detail={"lines": change.lines.count(),
                                                                                  "parameter_value": value.pk})
    return change


def store_layer(value: Any) -> dict:
    from doudi.params.store import layers_of

    return layers_of([value])


def parameter_value_of(change: StandardChange):
    """The parameter value (doudi.params) a standard change entered, or None for an older change."""
    from doudi.params.models import ParameterValue

    return ParameterValue.objects.filter(origin=f"benefits.standard#{change.pk}").first()


RECOMPUTED = ("dibao", "tekun")  # 特困's basic-living standard is a multiple of the 低保 standard (TK-1)


def _line_detail(done: dict, program: str, i: int, new: int) -> str:
    d = done["dibao"]
    text = (f"共同生活 {int(d.extra['members'][i])} 人，计入收入 {yuan(int(d.extra['counted_income'][i]))} 元/月，"
            f"低保标准 {yuan(int(d.extra['standard'][i]))} 元")
    label = "特困供养金" if program == "tekun" else "月保障金"
    return f"{text} → {label} {yuan(new)} 元" if new else f"{text} → 不再符合{PROGRAM_NAMES.get(program, program)}条件"


def _recompute(change: StandardChange, policy: Any) -> None:
    """The policy core in columns over the affected households (低保 and 特困, whose standard
    follows the 低保 standard) of every county under the change's region, on the policy with the
    new standard: a county with a figure of its own keeps it (the levels are walked as always)."""
    from doudi.policy.engine import decide
    from doudi.policy.errors import InputError
    from doudi.policy.household import from_documents

    benefits = list(Benefit.objects.select_related("household", "person").filter(
        region_q("region", change.region), program__in=RECOMPUTED, status=Status.ACTIVE,
        household__residence=change.residence).order_by("id"))
    docs, kept, problems = [], [], []
    for b in benefits:
        doc = policy_document(b.household, change.effective_from, carried_facts(b))
        try:
            from_documents([doc])
        except InputError as exc:
            problems.append({"benefit": b.pk, "household": b.household.number, "error": str(exc)})
            continue
        docs.append(doc)
        kept.append(b)
    change.problems = problems
    change.save(update_fields=["problems"])
    if not kept:
        return
    hh = from_documents(docs)
    done, _, _ = decide(hh, policy)
    lines = []
    for i, b in enumerate(kept):
        r = done[b.program]
        who = ""
        if b.person_id is not None:  # the person's own line (TK-1 per person + his TK-2 care standard)
            line = next((x for x in persons.lines_of(done, b.program, hh, i, docs[i])
                         if x["id_number"] == b.person.id_number), None)
            eligible = bool(line and line["covered"])
            new = reckon.yuan_to_fen(line["amount"]) if eligible else 0
            who = f"{b.person.name}："
        else:
            eligible = bool(r.eligible[i])
            new = int(r.amount[i]) if eligible else 0
        kind = (RecomputedLine.Kind.STOP if not eligible else RecomputedLine.Kind.SAME if new == b.amount_fen
                else RecomputedLine.Kind.GAIN if new > b.amount_fen else RecomputedLine.Kind.LOSS)
        lines.append(RecomputedLine(change=change, benefit=b, amount_before_fen=b.amount_fen, amount_after_fen=new,
                                    kind=kind, detail=who + _line_detail(done, b.program, i, new)))
    RecomputedLine.objects.bulk_create(lines)


@transaction.atomic
def approve_standard_change(user: Any, change_id: Any, *, on: dt.date | None = None) -> StandardChange:
    """Approve the recomputed differences as new BenefitChange rows from the standard's effective
    month; old decisions are not touched. Whoever started the recomputation does not approve it."""
    from doudi.params import services as params

    on = _today(on)
    try:
        seen = access.area_q(user, Perm.CASE_VIEW, "region") | access.area_q(user, Perm.PARAMS_CHANGE, "region")
        change = StandardChange.objects.select_for_update().filter(seen).get(pk=change_id)
    except (StandardChange.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该标准调整，或不在您的辖区内") from None
    _require(user, change.region, Perm.PARAMS_CHANGE, what="批准标准调整")
    if change.state != StandardChange.State.COMPUTED:
        raise BenefitError("该标准调整已批准", "state")
    if change.started_by_id == user.pk:
        raise PermissionDenied("发起重新核算的人不能批准本次调整（双人审核）")
    value = parameter_value_of(change)
    if value is not None:  # the parameter value takes effect with the approval (four eyes, same level)
        try:
            params.approve(user, value.pk, on=on)
        except params.ParamsError as exc:
            raise BenefitError(exc.message, "state") from None
    return _apply_standard(change, user, on)


def _apply_standard(change: StandardChange, user: Any, on: dt.date) -> StandardChange:
    """The recomputed differences as new BenefitChange rows from the standard's effective month."""
    applied = skipped = 0
    for line in change.lines.exclude(kind=RecomputedLine.Kind.SAME).select_related("benefit"):
        benefit = Benefit.objects.select_for_update().get(pk=line.benefit_id)
        if benefit.status != Status.ACTIVE or benefit.amount_fen != line.amount_before_fen:
            skipped += 1
            continue
        stop = line.kind == RecomputedLine.Kind.STOP
        _change(benefit, user, ChangeKind.STOP if stop else ChangeKind.STANDARD, change.effective_from, on,
                amount=line.amount_after_fen, status=Status.STOPPED if stop else Status.ACTIVE,
                reasons=f"低保标准由 {yuan(change.old_standard_fen)} 元调整为 {yuan(change.new_standard_fen)} 元"
                        f"（{change.source}），{month_label(month_of(change.effective_from))}起：{line.detail}（DB-14）",
                figures={"standard_change": change.pk}, source=f"standard#{change.pk}")
        applied += 1
    change.state, change.approved_by, change.approved_on = StandardChange.State.APPROVED, user, on
    change.save()
    audit.record(user, AuditKind.PARAMETER_CHANGE, change, action="benefit.standard_approve",
                 reason=f"批准{change}", detail={"applied": applied, "skipped": skipped})
    return change


def standard_from_parameter(value: Any, user: Any, on: dt.date) -> StandardChange | None:
    """A 低保 standard approved on the parameter pages (doudi.params) is a DB-14 change too: the
    live benefits it reaches are recomputed on the store and the differences applied at once (the
    value was approved by a second user). A value entered through 标准调整 is applied there."""
    from doudi.params.store import current_policy

    if not value.parameter.startswith("dibao.standard.") or value.origin.startswith("benefits.standard"):
        return None
    residence = value.parameter.rsplit(".", 1)[1]
    if residence not in ("urban", "rural"):
        return None
    policy = current_policy()
    old_fen = _current_standard(policy, value.region, residence, value.effective_from - dt.timedelta(days=1))
    new_fen = reckon.yuan_to_fen(str(value.value))
    change = StandardChange.objects.create(
        region=value.region, residence=residence, old_standard_fen=old_fen, new_standard_fen=new_fen,
        effective_from=value.effective_from, source=value.source, started_by=value.entered_by,
        started_at=timezone.now())
    value.origin = f"benefits.standard#{change.pk}"
    value.save(update_fields=["origin"])
    _recompute(change, policy)
    return _apply_standard(change, user, on)
