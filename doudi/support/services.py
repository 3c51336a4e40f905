"""The only writers of 特困 cases: one function per act, named for it.

Each service takes the acting user, fetches and locks the case through the access layer
(outside the user's areas: 404; inside but the role may not: 403), checks state and optimistic
version, does the work in one transaction, writes a SupportEvent row and an audit entry. A step
taken twice takes effect once: the second call finds the state moved on (or the version changed).
"""

from __future__ import annotations

import datetime as dt
import importlib
import secrets
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind, User
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure import steps
from doudi.registry.models import Household, Person
from doudi.support import procedure as proc
from doudi.support.models import (
    Decision,
    Guardianship,
    Investigation,
    Necessities,
    Objection,
    Proposal,
    SelfCareAssessment,
    SpotCheck,
    SpotCheckTally,
    SupportCase,
    SupportEvent,
    Termination,
    Visit,
)
from doudi.support.procedure import Action, DeadlineKind, ProcedureError, State

PROGRAM = "tekun"
LIVE_STATES = (State.APPROVED, State.ENDING)  # the person is supported (an intended termination is not yet one)


# --- helpers ------------------------------------------------------------------------------------

_today = steps.today
_add_working_days = steps.add_working_days


def due(kind: DeadlineKind, start: dt.date) -> proc.Due:
    return proc.due_for(kind, start, _add_working_days)


def visible_cases(user: Any):
    """Every 特困 case the user may see (the one list; never filtered in a view)."""
    return access.scope_queryset(user, SupportCase.objects.select_related("person", "household"), Perm.CASE_VIEW)


def access_case(user: Any, pk: Any, *, reason: str = "") -> SupportCase:
    """The case if the user may see it (404 otherwise); the read is written to the audit log."""
    case = access.access_object(user, SupportCase.objects.select_related("household", "person"), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, case, action="support.view", reason=reason or "查看特困案件")
    return case


def case_perms(user: Any, case: SupportCase) -> set[str]:
    """The permissions the user holds in an area that contains the case."""
    return steps.case_perms(user, case, proc.Perm)


def _step(user: Any, action: Action, case_id: Any, version: int | None) -> SupportCase:
    """Fetch and lock the case, then check area, permission, state and version (in this order)."""
    return steps.lock_case(user, SupportCase, case_id, action, version, proc=proc, error=ProcedureError)


KEEP_DEADLINE = {State.INVESTIGATED}  # the township's 15 working days run on until it proposes


def _move(case: SupportCase, user: Any, action: Action, to: State | None, on: dt.date, *, reason: str = "",
          figures: dict | None = None, audit_kind: str = AuditKind.STEP) -> SupportEvent:
    """Write the act: the event row, the case's new state and deadline, the audit entry."""
    return steps.move(case, user, action, to or case.state_enum, on, event_model=SupportEvent, prefix="support",
                      action_names=proc.ACTION_NAMES, state_deadline=proc.STATE_DEADLINE, due=due,
                      keep=KEEP_DEADLINE, reason=reason, figures=figures, audit_kind=audit_kind)


_jsonable = steps.jsonable


def _required(value: Any, field: str, label: str) -> Any:
    return steps.required(value, field, label, ProcedureError)


def _fen(amount: str | Decimal) -> int:
    return int((Decimal(str(amount)) * 100).to_integral_value())


# --- the policy core -------------------------------------------------------------------------------

def latest_assessment(case: SupportCase) -> SelfCareAssessment | None:
    return case.assessments.filter(assessed_on__isnull=False).order_by("-assessed_on", "-id").first()


def _self_care_of_others(case: SupportCase) -> dict[str, dict]:
    """The assessed self-care of the household's other 特困 persons (their own live cases), so the
    household's decision states every covered person's care standard (TK-2), not only this one's."""
    out: dict[str, dict] = {}
    others = (SupportCase.objects.filter(household_id=case.household_id, state__in=[s.value for s in LIVE_STATES])
              .exclude(pk=case.pk).select_related("person"))
    for other in others:
        a = latest_assessment(other)
        if a is not None and a.unable_count is not None:
            out[other.person.id_number] = {"self_care_tasks_unable": int(a.unable_count)}
    return out


def assess_case(case: SupportCase, on: dt.date, unable_count: int | None = None) -> tuple[dict, dict, list[dict]]:
    """The policy core on the registry's household document as of `on`, with the person's self-care
    (NAT-TK-SELFCARE tasks unable) from the latest assessment: (document, decision JSON, parameters).

    The decision carries the per-person lines of 特困 (``person_lines``, doudi.benefits.persons):
    特困 is decided per person (TK-4) and the person's amount is his own line, TK-1's basic-living
    standard per person plus TK-2's care standard of his tier (`person_tekun`)."""
    from doudi.benefits.persons import assess_with_lines
    from doudi.policy.show import rows
    from doudi.registry.documents import household_document

    if unable_count is None:
        a = latest_assessment(case)
        unable_count = a.unable_count if a else None
    member_extra = _self_care_of_others(case)
    if unable_count is not None:
        member_extra[case.person.id_number] = {"self_care_tasks_unable": int(unable_count)}
    doc = household_document(case.household, on, member_extra=member_extra)
    from doudi.params.store import current_policy

    policy = current_policy()
    result = assess_with_lines(doc, date=on.isoformat(), policy=policy)
    params = [{"name": r.name, "value": _plain(r.value), "unit": unit, "level": r.level, "region": r.region,
               "source": r.source, "from": r.start.isoformat() if r.start else None, "placeholder": r.placeholder}
              for r, unit in rows(case.household.county, on, case.household.residence, policy=policy)
              if r.name.startswith(("tekun.", "dibao.standard"))]
    return doc, result, params


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return str(v)


def tekun_result(result: dict) -> dict:
    return (result.get("programs") or {}).get(PROGRAM) or {"eligible": False, "amount": "0.00", "trace": []}


def person_tekun(result: dict, case: SupportCase) -> dict:
    """The applicant's own 特困 result: {eligible, amount, household_amount, line, sentence}.

    特困 is decided per person (TK-4): another covered member does not make the applicant
    eligible, and his amount is his own line (TK-1 basic-living standard per person + TK-2 care
    standard of his tier), never the household's sum. A decision without per-person lines (stored
    before they existed) falls back to the household's result."""
    from doudi.benefits import persons

    whole = tekun_result(result)
    if not persons.has_lines(result, PROGRAM):
        return {"eligible": bool(whole["eligible"]), "amount": whole["amount"], "household_amount": whole["amount"],
                "line": None, "sentence": ""}
    line = persons.person_line(result, PROGRAM, case.person.id_number)
    covered = bool(line and line.get("covered"))
    return {"eligible": covered, "amount": line["amount"] if covered else "0.00",
            "household_amount": whole["amount"], "line": line,
            "sentence": persons.line_sentence(line, whole["amount"])}


def person_line_sentence(decision: Decision) -> str:
    """The person's own amount in a stored decision (TK-1 + TK-2 of his line), '' without lines."""
    from doudi.benefits import persons

    if not persons.has_lines(decision.assessment, PROGRAM):
        return ""
    return person_tekun(decision.assessment, decision.case)["sentence"]


def placeholders_of(case: SupportCase, params: list[dict], result: dict) -> list[str]:
    """The Chinese labels of the placeholder parameters the person's amount rests on: TK-1's basic-living
    standard (the 低保 standard of his residence × tekun.basic_ratio) and TK-2's care standard of his tier."""
    from doudi.procedure.figures import placeholder_labels

    tier = (person_tekun(result, case).get("line") or {}).get("tier") or case.care_tier
    names = [f"dibao.standard.{case.household.residence}", "tekun.basic_ratio"]
    if tier:
        names.append(f"tekun.care.{tier}")
    return placeholder_labels(params, names)


def current_figures(case: SupportCase, on: dt.date | None = None) -> dict:
    """The policy core's decision on the person as the household stands now, for the township before its
    proposal and the county before its decision: eligible, his own amount (TK-1 + TK-2 of his line), the
    trace with rule ids, the difference from the amount proposed at 初审, and the placeholder parameters
    the amount rests on. Memoised on the case object (the page and its approval form share it)."""
    from doudi.cases.documents import trace_sentences, yuan
    from doudi.procedure import figures as fig

    cached = getattr(case, "_current_figures", None)
    if cached is not None:
        return cached
    today = _today(on)
    try:
        _doc, result, params = assess_case(case, today)
    except Exception as exc:  # noqa: BLE001 - a household the core cannot read: say so instead of a traceback
        case._current_figures = fig.problem(exc)
        return case._current_figures
    tekun = person_tekun(result, case)
    fen = _fen(tekun["amount"]) if tekun["eligible"] else 0
    proposal = case.proposals.filter(recommend=True).order_by("-proposed_on", "-id").first()
    outcome = (f"{case.person.name}本人符合特困人员条件，每月供养金 {yuan(fen)} 元" if tekun["eligible"]
               else f"{case.person.name}本人不符合特困人员条件")
    case._current_figures = fig.block(
        outcome=outcome, amount_fen=fen, eligible=tekun["eligible"], summary=tekun["sentence"],
        trace=trace_sentences(result, PROGRAM), on=today, placeholders=placeholders_of(case, params, result),
        proposed_fen=proposal.amount_fen if proposal else None, proposed_label="初审时拟定每月供养金")
    return case._current_figures


# --- the application ---------------------------------------------------------------------------------

@transaction.atomic
def submit(user: Any, *, household_id: Any, person_id: Any, on: dt.date | None = None) -> SupportCase:
    """登记申请: the township window records a 特困 application for a member of a registered household."""
    household = access.access_household(user, household_id)
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), household.region_code):
        raise PermissionDenied("您的角色不能登记特困人员申请")
    today = _today(on)
    try:
        person = Person.objects.get(pk=person_id, memberships__household=household,
                                    memberships__end__isnull=True)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise ProcedureError("申请人须是该家庭的现有成员", "person") from None
    open_ = SupportCase.objects.filter(person=person).exclude(state__in=[s.value for s in proc.FINAL_STATES])
    if open_.exists():
        raise ProcedureError("该人员已有正在办理或正在享受的特困供养", "person")
    case = SupportCase.objects.create(number=f"tmp-{secrets.token_hex(6)}", household=household, person=person,
                                      region=household.region_code, state=State.SUBMITTED.value, submitted_on=today)
    case.number = f"TK{household.region_code[:6]}{today:%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    SupportEvent.objects.create(case=case, action=Action.SUBMIT.value, from_state="", to_state=State.SUBMITTED.value,
                                actor=user, at=timezone.now(), on_date=today, reason="窗口登记特困人员认定申请")
    audit.record(user, AuditKind.STEP, case, action="support.submit", reason="登记特困人员认定申请")
    return case


@transaction.atomic
def accept(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None) -> SupportCase:
    """受理: the township's proposal is due within 15 working days (NAT-TK-DEADLINES)."""
    case = _step(user, Action.ACCEPT, case_id, version)
    today = _today(on)
    case.accepted_on = today
    d = due(DeadlineKind.PROPOSAL, today)
    _move(case, user, Action.ACCEPT, State.ACCEPTED, today, reason="受理特困人员认定申请",
          figures={"proposal_due": d.date, "warning": d.warning})
    return case


def _investigators(user: Any, case: SupportCase, ids: Iterable[Any]) -> list[User]:
    people = {user.pk: user}
    for pk in ids or []:
        try:
            u = User.objects.get(pk=pk, is_active=True)
        except (User.DoesNotExist, ValueError, TypeError):
            raise ProcedureError("调查人员不存在", "investigators") from None
        if not access.in_area(access.areas_of(u, Perm.CASE_INVESTIGATE), case.region):
            raise ProcedureError(f"{u.display_name} 不是本辖区的调查人员", "investigators")
        people[u.pk] = u
    if len(people) < 2:
        raise ProcedureError("入户调查须有两名以上工作人员", "investigators")
    return list(people.values())


@transaction.atomic
def investigate(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, mode: str,
                unable: Iterable[str], investigators: Iterable[Any] = (), version: int | None = None,
                on: dt.date | None = None) -> Investigation:
    """入户调查 by two investigators with the self-care assessment on the six tasks (NAT-TK-SELFCARE)
    and the person's own choice of centralised or dispersed support (TK-5)."""
    case = _step(user, Action.INVESTIGATE, case_id, version)
    today = _today(on)
    _required(findings, "findings", "调查情况")
    if mode not in proc.MODE_NAMES:
        raise ProcedureError("请选择本人意愿的供养方式（集中供养或分散供养）", "mode")
    if visited_on is None or visited_on > today:
        raise ProcedureError("入户日期不能晚于今天", "visited_on")
    sc = proc.self_care(list(unable))
    people = _investigators(user, case, investigators)
    from doudi.registry.documents import household_document

    doc = household_document(case.household, today, member_extra={
        case.person.id_number: {"self_care_tasks_unable": sc.count}})
    inv = Investigation.objects.create(case=case, visited_on=visited_on, findings=findings.strip(), mode_choice=mode,
                                       household_document=doc, recorded_by=user, recorded_at=timezone.now())
    inv.investigators.set(people)
    SelfCareAssessment.objects.create(case=case, reason=SelfCareAssessment.Reason.INITIAL, assessed_on=visited_on,
                                      unable=list(sc.unable), unable_count=sc.count, tier=sc.tier,
                                      assessors="、".join(u.display_name for u in people), recorded_by=user)
    case.mode, case.care_tier = mode, sc.tier
    _move(case, user, Action.INVESTIGATE, State.INVESTIGATED, today, reason=findings.strip(),
          figures={"investigators": [u.display_name for u in people], "visited_on": visited_on,
                   "self_care": sc.sentence(), "tier": sc.tier, "mode": proc.mode_sentence(mode, sc.tier)})
    return inv


@transaction.atomic
def propose(user: Any, case_id: Any, *, recommend: bool, opinion: str, version: int | None = None,
            on: dt.date | None = None) -> Proposal:
    """初审: the township proposes; the proposal is noticed 7 days in the village (NAT-TK-DEADLINES)."""
    case = _step(user, Action.PROPOSE, case_id, version)
    _required(opinion, "opinion", "初审意见")
    today = _today(on)
    _doc, result, _params = assess_case(case, today)
    tekun = person_tekun(result, case)
    if recommend and not tekun["eligible"]:
        raise ProcedureError(f"政策核算结果为{case.person.name}本人不符合特困人员条件，不能建议认定", "recommend")
    end = due(DeadlineKind.NOTICE_END, today)
    p = Proposal.objects.create(case=case, reviewer=user, recommend=recommend, opinion=opinion.strip(),
                                amount_fen=_fen(tekun["amount"]) if recommend else 0, assessment=result,
                                proposed_on=today, notice_ends_on=end.date)
    late = case.due_on and today > case.due_on
    _move(case, user, Action.PROPOSE, State.IN_NOTICE, today, reason=opinion.strip(),
          figures={"recommend": recommend, "amount": tekun["amount"], "notice_until": end.date, "late": bool(late)})
    return p


def _open_proposal(case: SupportCase) -> Proposal:
    return case.proposals.filter(notice_closed_on__isnull=True).order_by("-proposed_on", "-id").first()


@transaction.atomic
def record_objection(user: Any, case_id: Any, *, content: str, received_on: dt.date | None = None,
                     version: int | None = None, on: dt.date | None = None) -> Objection:
    """公示异议, during the 7-day notice of a proposal or of an intended termination."""
    case = _step(user, Action.RECORD_OBJECTION, case_id, version)
    today = _today(on)
    received_on = received_on or today
    ending = case.state_enum is State.ENDING
    if ending:
        t = case.termination
        start, end = t.proposed_on, t.notice_ends_on
    else:
        p = _open_proposal(case)
        start, end = p.proposed_on, p.notice_ends_on
    if not (start <= received_on <= end):
        raise ProcedureError(f"异议须在公示期内（{start}至{end}）提出", "received_on")
    obj = Objection.objects.create(case=case, received_on=received_on, about_termination=ending,
                                   content=_required(content, "content", "异议内容"), recorded_by=user)
    _move(case, user, Action.RECORD_OBJECTION, None, today, reason="公示期间收到异议", figures={"received_on": received_on})
    return obj


@transaction.atomic
def close_notice(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None) -> SupportCase:
    """公示期满: without objection to the county (and the random home check is drawn); with one, back."""
    case = _step(user, Action.CLOSE_NOTICE, case_id, version)
    today = _today(on)
    p = _open_proposal(case)
    if today < p.notice_ends_on:
        raise ProcedureError(f"公示期未满，{p.notice_ends_on} 起方可结束公示", "on")
    p.notice_closed_on = today
    p.save()
    n = case.objections.filter(about_termination=False, received_on__gte=p.proposed_on).count()
    if n:
        _move(case, user, Action.CLOSE_NOTICE, State.OBJECTED, today,
              reason=f"公示期满，收到异议 {n} 件，须重新调查核实", figures={"objections": n})
        return case
    _move(case, user, Action.CLOSE_NOTICE, State.AT_COUNTY, today, reason="公示期满无异议，报县级审核确认",
          figures={"objections": 0})
    _draw_spot_check(case, today)
    return case


def _draw_spot_check(case: SupportCase, today: dt.date) -> SpotCheck:
    """NAT-TK-DEADLINES: at least 30% of proposals are checked at home by the county (quota under a lock)."""
    ratio = proc.param("spot_check_ratio")
    return steps.draw_spot_check(
        case, today, tally_model=SpotCheckTally, check_model=SpotCheck, ratio=ratio,
        needed=lambda selected, arrived, draw: proc.spot_check_needed(selected, arrived, ratio, draw=draw))


@transaction.atomic
def reinvestigate(user: Any, case_id: Any, *, reason: str, version: int | None = None,
                  on: dt.date | None = None) -> SupportCase:
    """重新调查 after an objection: back to a new home investigation (15 working days again)."""
    case = _step(user, Action.REINVESTIGATE, case_id, version)
    _move(case, user, Action.REINVESTIGATE, State.ACCEPTED, _today(on), reason=_required(reason, "reason", "重新调查的原因"))
    return case


@transaction.atomic
def record_spot_check(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, consistent: bool,
                      version: int | None = None, on: dt.date | None = None) -> SpotCheck:
    """入户抽查 by the county: a drawn case cannot be decided before it is recorded."""
    case = _step(user, Action.RECORD_SPOT_CHECK, case_id, version)
    check = case.spot_checks.order_by("-drawn_at", "-id").first()
    if check is None or not check.selected:
        raise ProcedureError("本案未被抽中入户抽查", "visited_on")
    if check.visited_on:
        raise ProcedureError("本案的入户抽查已经登记", "visited_on")
    check.visited_on, check.findings, check.consistent, check.checked_by = (
        visited_on, _required(findings, "findings", "抽查情况"), bool(consistent), user)
    check.save()
    _move(case, user, Action.RECORD_SPOT_CHECK, None, _today(on), reason=check.findings,
          figures={"visited_on": visited_on, "consistent": bool(consistent)})
    return check


def took_part(user: Any, case: SupportCase) -> str:
    """Four eyes: why the user may not decide (investigated, recorded the investigation, proposed)."""
    if case.investigations.filter(Q(investigators=user) | Q(recorded_by=user)).exists():
        return "您参与了本案的入户调查，不能审批本案"
    if case.proposals.filter(reviewer=user).exists():
        return "您对本案提出了初审意见，不能审批本案"
    return ""


def _took_part_in(user: Any, ids: list[int]) -> set[int]:
    """took_part for many cases at once (two queries): those of ``ids`` the user may not decide."""
    took = set(Investigation.objects.filter(Q(investigators=user) | Q(recorded_by=user), case_id__in=ids)
               .values_list("case_id", flat=True))
    return took | set(Proposal.objects.filter(reviewer=user, case_id__in=ids).values_list("case_id", flat=True))


def _check_may_decide(user: Any, case: SupportCase) -> None:
    why = took_part(user, case)
    if why:
        raise PermissionDenied(why)


@transaction.atomic
def approve(user: Any, case_id: Any, *, opinion: str = "", version: int | None = None,
            on: dt.date | None = None, confirm_placeholder: bool | None = None) -> Decision:
    """批准认定: support from the month after approval (NAT-TK-DEADLINES); the policy core's decision stored.
    `confirm_placeholder` (forms.ApproveForm): when the amount rests on a placeholder parameter, False
    refuses the approval and True is recorded in the event with the labels; None (batch, tests) records nothing."""
    case = _step(user, Action.APPROVE, case_id, version)
    _check_may_decide(user, case)
    check = case.spot_checks.order_by("-drawn_at", "-id").first()
    if check and check.selected and not check.visited_on:
        raise ProcedureError("本案被抽中入户抽查，须先登记抽查结果才能审批", "spot_check")
    today = _today(on)
    doc, result, params = assess_case(case, today)
    tekun = person_tekun(result, case)
    if not tekun["eligible"]:
        raise ProcedureError(f"政策核算结果为{case.person.name}本人不符合特困人员条件，只能不予认定", "outcome")
    placeholders = placeholders_of(case, params, result)
    if placeholders and confirm_placeholder is False:
        from doudi.procedure.figures import refusal

        raise ProcedureError(refusal(placeholders), "confirm_placeholder")
    confirmed = placeholders if placeholders and confirm_placeholder else []
    start = proc.first_of_next_month(today)
    d = Decision.objects.create(case=case, kind=Decision.Kind.APPROVED, decided_by=user, decided_on=today,
                                amount_fen=_fen(tekun["amount"]), care_tier=case.care_tier, mode=case.mode,
                                assessment=result, parameters=params, household_document=doc,
                                effective_from=start, reasons=opinion.strip())
    case.support_from = start
    if case.mode == "dispersed":
        Necessities.objects.create(case=case, due_on=proc.add_months(start, int(proc.param("necessities_months"))))
    benefit = _start_benefit(user, case, d)
    _move(case, user, Action.APPROVE, State.APPROVED, today, reason=opinion.strip() or "批准认定为特困人员",
          figures={"amount": tekun["amount"], "household_amount": tekun["household_amount"],
                   "person_line": tekun["sentence"], "tier": case.care_tier,
                   "mode": proc.MODE_NAMES.get(case.mode, ""), "support_from": start.strftime("%Y-%m"),
                   "benefit": benefit, **({"confirmed_placeholders": confirmed} if confirmed else {})},
          audit_kind=AuditKind.DECISION)
    return d


def _start_benefit(user: Any, case: SupportCase, decision: Decision) -> str:
    """Hand the approved support to doudi.benefits (life after approval): the person's own 特困
    benefit (one per person, TK-4) with his own amount, in this transaction.

    Never half-written: a refusal by the benefits app (e.g. the person already has a live 特困
    benefit) refuses the approval with its reason, and the decision is undone with it. Returns
    the sentence for the approval's event.
    """
    module = _benefits()
    if module is None:
        return ""
    try:
        benefit = module.start_benefit(
            user, household=case.household, person=case.person, program=PROGRAM, amount_fen=decision.amount_fen,
            start_month=decision.effective_from, assessment=decision.assessment, parameters=decision.parameters,
            household_document=decision.household_document, decision=decision, on=decision.decided_on)
    except ValueError as exc:  # doudi.benefits BenefitError (a ValueError naming the field)
        raise ProcedureError(f"待遇未能建立，不能批准：{getattr(exc, 'message', exc)}",
                             getattr(exc, "field", "__all__")) from None
    return (f"待遇已建立（编号 {benefit.pk}，供养对象 {case.person.name}），"
            f"自 {decision.effective_from:%Y年%m月} 起每月 {module.yuan(benefit.amount_fen)} 元")


@transaction.atomic
def refuse(user: Any, case_id: Any, *, reasons: str, version: int | None = None,
           on: dt.date | None = None) -> Decision:
    """不予认定: with reasons; the written notice is due within 3 working days (NAT-TK-DEADLINES)."""
    case = _step(user, Action.REFUSE, case_id, version)
    _check_may_decide(user, case)
    _required(reasons, "reasons", "不予认定的理由")
    today = _today(on)
    doc, result, params = assess_case(case, today)
    d3 = due(DeadlineKind.REFUSAL_NOTICE, today)
    d = Decision.objects.create(case=case, kind=Decision.Kind.REFUSED, decided_by=user, decided_on=today,
                                care_tier=case.care_tier, mode=case.mode, assessment=result, parameters=params,
                                household_document=doc, reasons=reasons.strip(), notice_due_on=d3.date)
    _move(case, user, Action.REFUSE, State.REFUSED, today, reason=reasons.strip(),
          figures={"notice_due": d3.date}, audit_kind=AuditKind.DECISION)
    return d


@transaction.atomic
def notify_refusal(user: Any, case_id: Any, *, notified_on: dt.date, version: int | None = None,
                   on: dt.date | None = None) -> Decision:
    """书面告知: the refusal with its reasons was delivered."""
    case = _step(user, Action.NOTIFY_REFUSAL, case_id, version)
    d = case.decisions.filter(kind=Decision.Kind.REFUSED).latest("id")
    if notified_on is None or notified_on < d.decided_on:
        raise ProcedureError("告知日期不能早于决定日期", "notified_on")
    d.notified_on = notified_on
    d.save()
    late = d.notice_due_on and notified_on > d.notice_due_on
    _move(case, user, Action.NOTIFY_REFUSAL, State.REFUSAL_NOTIFIED, _today(on), reason="已书面告知不予认定及理由",
          figures={"notified_on": notified_on, "late": bool(late)})
    return d


@transaction.atomic
def withdraw(user: Any, case_id: Any, *, reason: str, version: int | None = None,
             on: dt.date | None = None) -> SupportCase:
    case = _step(user, Action.WITHDRAW, case_id, version)
    _move(case, user, Action.WITHDRAW, State.WITHDRAWN, _today(on), reason=_required(reason, "reason", "撤回原因"))
    return case


# --- self-care reassessment (NAT-TK-SELFCARE) ---------------------------------------------------------

@transaction.atomic
def report_change(user: Any, case_id: Any, *, note: str, reported_on: dt.date | None = None,
                  version: int | None = None, on: dt.date | None = None) -> SelfCareAssessment:
    """登记自理能力变化: a reassessment is due within 10 working days of the report."""
    case = _step(user, Action.REPORT_CHANGE, case_id, version)
    today = _today(on)
    reported_on = reported_on or today
    if case.assessments.filter(assessed_on__isnull=True).exists():
        raise ProcedureError("已有待重新评估的变化报告", "note")
    d = due(DeadlineKind.REASSESSMENT, reported_on)
    a = SelfCareAssessment.objects.create(case=case, reason=SelfCareAssessment.Reason.CHANGE,
                                          change_reported_on=reported_on, change_note=_required(note, "note", "变化情况"),
                                          due_on=d.date, due_warning=d.warning or "")
    _move(case, user, Action.REPORT_CHANGE, None, today, reason=a.change_note,
          figures={"reported_on": reported_on, "reassess_by": d.date, "warning": d.warning})
    return a


@transaction.atomic
def reassess(user: Any, case_id: Any, *, unable: Iterable[str], assessors: str = "", assessed_on: dt.date | None = None,
             version: int | None = None, on: dt.date | None = None) -> SelfCareAssessment:
    """重新评估: the tier may change, and with it the care standard (TK-2) from the next month."""
    case = _step(user, Action.REASSESS, case_id, version)
    today = _today(on)
    assessed_on = assessed_on or today
    a = case.assessments.filter(assessed_on__isnull=True).order_by("id").first()
    if a is None:
        raise ProcedureError("没有待重新评估的变化报告，请先登记自理能力变化", "unable")
    sc = proc.self_care(list(unable))
    before = case.care_tier
    a.assessed_on, a.unable, a.unable_count, a.tier = assessed_on, list(sc.unable), sc.count, sc.tier
    a.assessors, a.recorded_by = assessors.strip() or user.display_name, user
    a.save()
    case.care_tier = sc.tier
    figures: dict[str, Any] = {"self_care": sc.sentence(), "tier": sc.tier, "before": before,
                               "late": bool(a.due_on and assessed_on > a.due_on)}
    if sc.tier != before:
        doc, result, params = assess_case(case, today, unable_count=sc.count)
        tekun = person_tekun(result, case)
        start = proc.first_of_next_month(today)
        changed = Decision.objects.create(case=case, kind=Decision.Kind.CHANGED, decided_by=user, decided_on=today,
                                amount_fen=_fen(tekun["amount"]) if tekun["eligible"] else 0, care_tier=sc.tier,
                                mode=case.mode, assessment=result, parameters=params, household_document=doc,
                                effective_from=start,
                                reasons=f"生活自理能力由「{proc.TIER_NAMES.get(before, '未评估')}」变为「{sc.tier_name}」")
        figures.update(amount=tekun["amount"], effective_from=start.strftime("%Y-%m"),
                       benefit=_change_benefit(user, case, changed, sc.sentence(), today))
    _move(case, user, Action.REASSESS, None, today, reason=sc.sentence(), figures=figures)
    return a


# --- dispersed support (TK-6) -----------------------------------------------------------------------

def active_guardianship(case: SupportCase) -> Guardianship | None:
    return case.guardianships.filter(ended_on__isnull=True).order_by("-signed_on", "-id").first()


def _clean_duties(duties: Iterable[str]) -> list[str]:
    out = [d.strip() for d in duties or [] if d and d.strip()]
    if not out:
        raise ProcedureError("请写明照料人的具体职责（每行一项）", "duties")
    return out


def _new_guardianship(case: SupportCase, *, guardian_name: str, guardian_phone: str, relation: str,
                      duties: Iterable[str], signed_on: dt.date) -> Guardianship:
    return Guardianship.objects.create(
        case=case, guardian_name=_required(guardian_name, "guardian_name", "照料人姓名"),
        guardian_phone=(guardian_phone or "").strip(), relation=(relation or "").strip(),
        duties=_clean_duties(duties), signed_on=signed_on, next_visit_on=due(DeadlineKind.VISIT, signed_on).date)


@transaction.atomic
def sign_agreement(user: Any, case_id: Any, *, guardian_name: str, duties: Iterable[str], guardian_phone: str = "",
                   relation: str = "", signed_on: dt.date | None = None, version: int | None = None,
                   on: dt.date | None = None) -> Guardianship:
    """委托照料协议 for dispersed support (TK-6): the guardian and his named duties; visits are scheduled."""
    case = _step(user, Action.SIGN_AGREEMENT, case_id, version)
    if case.mode != "dispersed":
        raise ProcedureError("只有分散供养的对象需要签订委托照料协议", "guardian_name")
    if active_guardianship(case):
        raise ProcedureError("已有有效的委托照料协议；如照料人不履行职责请更换照料人", "guardian_name")
    today = _today(on)
    g = _new_guardianship(case, guardian_name=guardian_name, guardian_phone=guardian_phone, relation=relation,
                          duties=duties, signed_on=signed_on or today)
    _move(case, user, Action.SIGN_AGREEMENT, None, today, reason=f"与 {g.guardian_name} 签订委托照料协议",
          figures={"duties": g.duties, "next_visit": g.next_visit_on})
    return g


@transaction.atomic
def record_visit(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, duties_met: bool,
                 version: int | None = None, on: dt.date | None = None) -> Visit:
    """探访: the next visit is scheduled; a guardian who fails his duties is to be replaced (TK-6)."""
    case = _step(user, Action.RECORD_VISIT, case_id, version)
    g = active_guardianship(case)
    if g is None:
        raise ProcedureError("尚无有效的委托照料协议", "visited_on")
    v = Visit.objects.create(case=case, guardianship=g, due_on=g.next_visit_on or visited_on, visited_on=visited_on,
                             findings=_required(findings, "findings", "探访情况"), duties_met=bool(duties_met),
                             recorded_by=user)
    g.next_visit_on = due(DeadlineKind.VISIT, visited_on).date
    g.save()
    reason = v.findings if duties_met else f"{v.findings}（照料人未履行职责，应更换照料人）"
    _move(case, user, Action.RECORD_VISIT, None, _today(on), reason=reason,
          figures={"visited_on": visited_on, "duties_met": bool(duties_met), "next_visit": g.next_visit_on,
                   "late": visited_on > v.due_on})
    return v


@transaction.atomic
def replace_guardian(user: Any, case_id: Any, *, reason: str, guardian_name: str, duties: Iterable[str],
                     guardian_phone: str = "", relation: str = "", signed_on: dt.date | None = None,
                     version: int | None = None, on: dt.date | None = None) -> Guardianship:
    """更换照料人 who fails his duties (TK-6): the old agreement ends with the reason, a new one is signed."""
    case = _step(user, Action.REPLACE_GUARDIAN, case_id, version)
    old = active_guardianship(case)
    if old is None:
        raise ProcedureError("尚无有效的委托照料协议", "guardian_name")
    today = _today(on)
    old.ended_on, old.end_reason = signed_on or today, _required(reason, "reason", "更换原因")
    old.save()
    g = _new_guardianship(case, guardian_name=guardian_name, guardian_phone=guardian_phone, relation=relation,
                          duties=duties, signed_on=signed_on or today)
    _move(case, user, Action.REPLACE_GUARDIAN, None, today,
          reason=f"照料人 {old.guardian_name} 更换为 {g.guardian_name}：{old.end_reason}",
          figures={"old": old.guardian_name, "new": g.guardian_name, "duties": g.duties})
    return g


@transaction.atomic
def record_necessities(user: Any, case_id: Any, *, items: str, amount: Decimal | str | None = None,
                       given_on: dt.date | None = None, version: int | None = None,
                       on: dt.date | None = None) -> Necessities:
    """生活必需品 every six months (TK-6, 缺什么补什么); the next round is scheduled."""
    case = _step(user, Action.RECORD_NECESSITIES, case_id, version)
    if case.mode != "dispersed":
        raise ProcedureError("生活必需品定期发放适用于分散供养对象", "items")
    today = _today(on)
    given_on = given_on or today
    n = case.necessities.filter(given_on__isnull=True).order_by("due_on").first()
    if n is None:
        n = Necessities.objects.create(case=case, due_on=given_on)
    n.items, n.given_on, n.recorded_by = _required(items, "items", "发放物品"), given_on, user
    n.amount_fen = _fen(amount) if amount not in (None, "") else 0
    if n.amount_fen < 0:
        raise ProcedureError("金额不能为负数", "amount")
    n.save()
    nxt = Necessities.objects.create(case=case, due_on=proc.add_months(n.due_on, int(proc.param("necessities_months"))))
    _move(case, user, Action.RECORD_NECESSITIES, None, today, reason=n.items,
          figures={"given_on": given_on, "amount_fen": n.amount_fen, "next_due": nxt.due_on})
    return n


# --- termination (NAT-TK-END) --------------------------------------------------------------------------

@transaction.atomic
def propose_termination(user: Any, case_id: Any, *, ground: str, facts: str, version: int | None = None,
                        on: dt.date | None = None) -> Termination:
    """拟终止: the ground and the facts, noticed 7 days in the village (NAT-TK-END)."""
    case = _step(user, Action.PROPOSE_TERMINATION, case_id, version)
    if ground == proc.FRAUD_GROUND:
        raise ProcedureError("骗取救助供养的，请在待遇中决定停发和追回（NAT-DB-FRAUD），案件随之终止", "ground")
    if ground not in proc.GROUND_NAMES:
        raise ProcedureError("请选择终止事由", "ground")
    today = _today(on)
    end = due(DeadlineKind.TERMINATION_NOTICE, today)
    Termination.objects.filter(case=case, decided_on__isnull=True).delete()
    t = Termination.objects.create(case=case, ground=ground, facts=_required(facts, "facts", "事实与理由"),
                                   proposed_by=user, proposed_on=today, notice_ends_on=end.date)
    _move(case, user, Action.PROPOSE_TERMINATION, State.ENDING, today,
          reason=f"{proc.GROUND_NAMES[ground]}：{t.facts}", figures={"ground": ground, "notice_until": end.date})
    return t


@transaction.atomic
def terminate(user: Any, case_id: Any, *, opinion: str = "", version: int | None = None,
              on: dt.date | None = None) -> Termination:
    """终止供养 after the 7-day notice, from the next month; then assessed for 低保 or temporary assistance."""
    case = _step(user, Action.TERMINATE, case_id, version)
    t = case.termination
    if t.proposed_by_id == user.pk:
        raise PermissionDenied("提出终止的人员不能决定终止")
    today = _today(on)
    if today < t.notice_ends_on:
        raise ProcedureError(f"拟终止公示期未满，{t.notice_ends_on} 起方可决定终止", "on")
    t.decided_on, t.ends_from = today, proc.first_of_next_month(today)
    t.follow_up = follow_up(case, t.ground, today)
    t.save()
    doc, result, params = assess_case(case, today)
    ended = Decision.objects.create(case=case, kind=Decision.Kind.TERMINATED, decided_by=user, decided_on=today,
                            care_tier=case.care_tier, mode=case.mode, assessment=result, parameters=params,
                            household_document=doc, effective_from=t.ends_from,
                            reasons=f"{proc.GROUND_NAMES[t.ground]}：{t.facts}")
    case.support_until = t.ends_from
    _close_care(case, t.ends_from, "终止供养")
    benefit = _end_benefit(user, case, t, ended, opinion, today)
    _move(case, user, Action.TERMINATE, State.TERMINATED, today, reason=opinion.strip() or proc.GROUND_NAMES[t.ground],
          figures={"ends_from": t.ends_from.strftime("%Y-%m"), "follow_up": t.follow_up.get("sentence", ""),
                   "benefit": benefit}, audit_kind=AuditKind.DECISION)
    return t


@transaction.atomic
def end_for_fraud(user: Any, case: Any, recovery: Any, on: dt.date | None = None) -> Termination | None:
    """终止供养 because the support was obtained by fraud (NAT-DB-FRAUD), called by doudi.benefits'
    fraud recovery (``recover_fraud``, through its ``stopped_for_fraud`` signal) in its transaction.

    The benefit is already stopped from the next month by the recovery; the case ends with it
    (NAT-TK-END: from the next month, no 7-day notice of an intended termination — the county's
    fraud decision is itself the written decision with its reasons): the termination with the
    fraud ground and the recovery's facts, a TERMINATED decision, the guardianship ended (no more
    visits), the necessities not yet given cancelled, and the follow-up 低保 / temporary-assistance assessment. Returns None for a case no longer
    supported (refused, withdrawn, already terminated)."""
    try:
        case = _step(user, Action.END_FOR_FRAUD, getattr(case, "pk", case), None)  # area 404, role 403, state
    except ProcedureError as exc:
        if exc.field == "state":
            return None  # no longer supported: nothing to end
        raise
    today = _today(on)
    facts = (f"经查实以虚报、隐瞒、伪造等手段骗取救助供养：{recovery.reasons}；"
             f"追回 {yuan(recovery.amount_fen)} 元，并处 {recovery.fine_multiple} 倍罚款 {yuan(recovery.fine_fen)} 元"
             f"（NAT-DB-FRAUD，追回决定编号 {recovery.pk}）")
    Termination.objects.filter(case=case, decided_on__isnull=True).delete()  # an intended termination gives way
    ends = proc.first_of_next_month(today)
    t = Termination.objects.create(case=case, ground=proc.FRAUD_GROUND, facts=facts, proposed_by=user,
                                   proposed_on=today, notice_ends_on=today, decided_on=today, ends_from=ends,
                                   follow_up=follow_up(case, proc.FRAUD_GROUND, today))
    doc, result, params = assess_case(case, today)
    ended = Decision.objects.create(case=case, kind=Decision.Kind.TERMINATED, decided_by=user, decided_on=today,
                                    care_tier=case.care_tier, mode=case.mode, assessment=result, parameters=params,
                                    household_document=doc, effective_from=ends,
                                    reasons=f"{proc.GROUND_NAMES[proc.FRAUD_GROUND]}：{facts}")
    case.support_until = ends
    _close_care(case, ends, "骗取救助供养，终止供养")
    _move(case, user, Action.END_FOR_FRAUD, State.TERMINATED, today, reason=facts,
          figures={"ends_from": ends.strftime("%Y-%m"), "recovery": recovery.pk, "decision": ended.pk,
                   "follow_up": t.follow_up.get("sentence", ""),
                   "benefit": f"待遇（编号 {recovery.benefit_id}）已因骗取保障金自 {ends:%Y年%m月} 起停发并追回"},
          audit_kind=AuditKind.DECISION)
    return t


def _close_care(case: SupportCase, ends: dt.date, why: str) -> None:
    """Dispersed-support care ends with the support (TK-6): the guardianship (and so its visits),
    the necessities not yet given leave the worklist (an ended case shows no care tasks)."""
    for g in case.guardianships.filter(ended_on__isnull=True):
        g.ended_on, g.end_reason = ends, why
        g.next_visit_on = None
        g.save()
    case.necessities.filter(given_on__isnull=True).delete()


def _on_fraud(sender: Any, *, benefit: Any, recovery: Any, user: Any, on: dt.date, **_: Any) -> None:
    """Receiver of doudi.benefits.signals.stopped_for_fraud: a 特困 benefit started by a case of this
    app ends that case (end_for_fraud); a refusal undoes the recovery with its reason."""
    if benefit.decision_app != "support" or benefit.decision_model != "decision" or not benefit.decision_pk:
        return
    case_id = Decision.objects.filter(pk=benefit.decision_pk).values_list("case_id", flat=True).first()
    if case_id is None:
        return
    try:
        end_for_fraud(user, case_id, recovery, on=on)
    except ProcedureError as exc:
        module = _benefits()
        raise module.BenefitError(f"特困案件未能终止：{exc.message}", "reasons") from None


BENEFIT_GROUNDS = {"ability": "able"}  # this procedure's ground → doudi.benefits TekunEndGround (same otherwise)


def _benefits() -> Any:
    """doudi.benefits.services when that app is installed, else None."""
    try:
        return importlib.import_module("doudi.benefits.services")
    except ImportError:
        return None


def _live_benefit(module: Any, case: SupportCase) -> Any:
    """The benefit started by the case's approval, or None (approved before benefits existed)."""
    approval = case.decisions.filter(kind=Decision.Kind.APPROVED).order_by("-id").first()
    return module.benefit_of(approval) if approval is not None else None


def _benefit_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """A benefits service inside this transaction; its refusal (BenefitError, a ValueError naming
    the field) becomes this procedure's error, so the whole step is undone and the form shows it."""
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", getattr(exc, "field", "__all__")) from None


def _end_benefit(user: Any, case: SupportCase, t: Termination, decision: Decision, opinion: str,
                 today: dt.date) -> str:
    """NAT-TK-END: the person's 特困 benefit ends from the month after, with the ground and the
    follow-up 低保 / temporary-assistance assessment written in its history."""
    module = _benefits()
    if module is None:
        return ""
    benefit = _live_benefit(module, case)
    if benefit is None:
        return "无待遇记录，无需终止发放"
    if not benefit.live:
        return f"待遇（编号 {benefit.pk}）已{benefit.get_status_display()}，无需终止发放"
    reasons = "；".join(x for x in [t.facts, opinion.strip()] if x)
    _benefit_call(module.end_benefit, user, benefit, ground=BENEFIT_GROUNDS.get(t.ground, t.ground),
                  effective_month=t.ends_from, reasons=reasons, follow_up=t.follow_up.get("sentence", ""),
                  source=f"support.decision#{decision.pk}", on=today)
    return f"待遇（编号 {benefit.pk}）自 {t.ends_from:%Y年%m月} 起终止发放"


def _change_benefit(user: Any, case: SupportCase, decision: Decision, sentence: str, today: dt.date) -> str:
    """NAT-TK-SELFCARE, TK-2: a new care tier changes the benefit's monthly amount from the next month."""
    module = _benefits()
    if module is None:
        return ""
    benefit = _live_benefit(module, case)
    if benefit is None:
        return "无待遇记录，金额未调整"
    if not benefit.live:
        return f"待遇（编号 {benefit.pk}）已{benefit.get_status_display()}，金额未调整"
    if decision.amount_fen <= 0:
        return "重新核算不再符合特困人员条件，金额未调整，应按终止程序办理（NAT-TK-END）"
    row = _benefit_call(module.change_benefit_amount, user, benefit, amount_fen=decision.amount_fen,
                        effective_month=decision.effective_from, reasons=f"{decision.reasons}：{sentence}",
                        assessment=decision.assessment, household_document=decision.household_document, on=today)
    if row is None:
        return f"待遇（编号 {benefit.pk}）金额不变"
    return f"待遇（编号 {benefit.pk}）自 {decision.effective_from:%Y年%m月} 起调整为 {module.yuan(decision.amount_fen)} 元"


def follow_up(case: SupportCase, ground: str, on: dt.date) -> dict:
    """NAT-TK-END: after termination the person is assessed for 低保, else pointed to temporary assistance."""
    if ground in proc.NO_FOLLOW_UP:
        return {"sentence": "因死亡或宣告死亡、失踪终止，无需转介低保或临时救助（NAT-TK-END）"}
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess
    from doudi.registry.documents import household_document

    result = assess(household_document(case.household, on), date=on.isoformat(), policy=current_policy()).as_json()
    dibao = (result.get("programs") or {}).get("dibao") or {}
    if dibao.get("eligible"):
        s = (f"终止后经核算，家庭符合低保条件（月保障金 {dibao.get('amount')} 元），"
             "应告知并引导申请最低生活保障（NAT-TK-END）")
        advice = "dibao"
    else:
        s = "终止后经核算，家庭不符合低保条件；如遇突发性、临时性基本生活困难，可申请临时救助（NAT-TK-END）"
        advice = "temporary"
    return {"sentence": s, "advice": advice, "dibao_eligible": bool(dibao.get("eligible")),
            "dibao_amount": dibao.get("amount")}


# --- the worklist ------------------------------------------------------------------------------------

SIDE_STEPS = {Action.WITHDRAW, Action.RECORD_OBJECTION}  # not what the state's deadline is for
DECIDE = {Action.APPROVE, Action.REFUSE}  # four eyes: not whoever investigated or proposed


def worklist_items(user: Any, today: dt.date | None = None) -> list[dict]:
    """What the user must do on 特困 cases, with deadlines: each step due, reassessments, visits, necessities."""
    from collections import defaultdict

    from doudi.support.models import Guardianship, Necessities, SelfCareAssessment

    if not steps.acts_anywhere(user, proc.Perm):  # no step of the procedure is the user's anywhere
        return []
    today = _today(today)
    out = []
    cases = [(c, case_perms(user, c)) for c in visible_cases(user).exclude(state__in=[s.value for s in proc.FINAL_STATES])]
    # what the approved cases wait for, for all of them at once (a query each kind, not each case)
    assess = [c.pk for c, perms in cases if c.state_enum is State.APPROVED and Perm.CASE_INVESTIGATE in perms]
    care = [c.pk for c, perms in cases if c.state_enum is State.APPROVED and Perm.CASE_ACCEPT in perms]
    assessments: dict[int, list] = defaultdict(list)
    for a in SelfCareAssessment.objects.filter(case_id__in=assess, assessed_on__isnull=True) if assess else ():
        assessments[a.case_id].append(a)
    guardians: dict[int, Guardianship] = {}  # active_guardianship's: the latest signed of those not ended
    for g in (Guardianship.objects.filter(case_id__in=care, ended_on__isnull=True).order_by("case_id", "-signed_on", "-id")
              if care else ()):
        guardians.setdefault(g.case_id, g)
    necessities: dict[int, list] = defaultdict(list)
    for n in Necessities.objects.filter(case_id__in=care, given_on__isnull=True) if care else ():
        necessities[n.case_id].append(n)
    # four eyes for the cases the user would decide, in two queries for all of them
    deciding = [c.pk for c, perms in cases if c.due_on and DECIDE & set(proc.allowed_actions(c.state_enum, perms))]
    barred = _took_part_in(user, deciding) if deciding else set()
    for case, perms in cases:
        if case.due_on and steps.worklist_steps(proc.allowed_actions(case.state_enum, perms), SIDE_STEPS, DECIDE,
                                                lambda case=case: case.pk not in barred):
            out.append(_item(case, case.due_on, case.due_warning, f"{case.number} {case.state_name}",
                             proc.DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "", today))
        if case.state_enum is not State.APPROVED:
            continue
        for a in assessments.get(case.pk, ()):
            out.append(_item(case, a.due_on, a.due_warning, f"{case.person.name} 自理能力重新评估",
                             proc.DEADLINE_NAMES[DeadlineKind.REASSESSMENT], today))
        g = guardians.get(case.pk)
        if g and g.next_visit_on:
            out.append(_item(case, g.next_visit_on, "", f"{case.person.name} 探访（照料人 {g.guardian_name}）",
                             proc.DEADLINE_NAMES[DeadlineKind.VISIT], today))
        for n in necessities.get(case.pk, ()):
            out.append(_item(case, n.due_on, "", f"{case.person.name} 生活必需品",
                             proc.DEADLINE_NAMES[DeadlineKind.NECESSITIES], today))
    labels = Household.labels(i["household"] for i in out)  # the items' households' heads in one query
    for i in out:
        i["household"] = labels[i["household"]]
    return sorted(out, key=lambda i: (i["deadline"], i["title"]))


def _item(case: SupportCase, deadline: dt.date, warning: str, title: str, what: str, today: dt.date) -> dict:
    """A worklist line; "household" is the household's key until worklist_items writes its label."""
    from django.urls import reverse

    return {"deadline": deadline, "warning": warning or "", "title": title, "what": what,
            "url": reverse("support:case_detail", args=[case.pk]), "household": case.household_id,
            "state": case.state_name, "overdue": deadline < today, "due_today": deadline == today}


__all__ = [
    "ProcedureError", "submit", "accept", "investigate", "propose", "record_objection", "close_notice",
    "reinvestigate", "record_spot_check", "approve", "refuse", "notify_refusal", "withdraw", "report_change",
    "reassess", "sign_agreement", "record_visit", "replace_guardian", "record_necessities",
    "propose_termination", "terminate", "end_for_fraud", "visible_cases", "access_case", "case_perms", "worklist_items",
    "Household",
]
