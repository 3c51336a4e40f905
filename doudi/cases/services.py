"""The only writers of cases: one function per act, named for it (style.md "Around the core").

Each service takes the acting user, fetches the case through the access layer (outside the
user's areas: 404; inside but the role may not: 403), locks it (select_for_update) and checks
the state and the optimistic version, does the work in one transaction, writes a CaseEvent
row (who, when, why, the figures) and an audit entry. A step taken twice takes effect once:
the second call finds the state moved on (or the version changed) and is refused.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from importlib.util import find_spec
from typing import Any

import rules
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind, User
from doudi.accounts.roles import Action as Perm
from doudi.cases import procedure as proc
from doudi.cases.models import (
    Appraisal,
    Case,
    CaseEvent,
    Decision,
    HelpRecord,
    Investigation,
    Objection,
    Proposal,
    PublicNotice,
    SpotCheck,
    SpotCheckTally,
    Transfer,
    Verification,
    WindowRequest,
)
from doudi.cases.procedure import Action, DeadlineKind, ProcedureError, State
from doudi.procedure import steps
from doudi.registry.models import Household

__all__ = [
    "ProcedureError", "register_request", "route_request", "transfer_request", "answer_transfer",
    "submit_application", "ask_for_materials", "resubmit", "accept", "investigate", "request_verification",
    "record_verification", "propose", "record_objection", "close_notice", "reinvestigate", "hold_appraisal",
    "record_spot_check", "approve", "refuse", "notify_refusal", "withdraw", "case_perms", "visible_cases",
    "access_case", "record_help",
]


# --- helpers ------------------------------------------------------------------------------------

_today = steps.today
_add_working_days = steps.add_working_days


def household_document(household: Household, on: dt.date) -> dict:
    """The policy core's household JSON for the household as it was on `on` (the registry builds it)."""
    import importlib

    for module in ("doudi.registry.documents", "doudi.registry.services", "doudi.registry.document",
                   "doudi.registry"):
        try:
            build = getattr(importlib.import_module(module), "household_document", None)
        except ImportError:
            continue
        if build is not None:
            return build(household, on)
    return _household_document(household, on)


def _household_document(household: Household, on: dt.date) -> dict:
    """Fallback until the registry offers household_document: members on the day and their facts."""
    members = []
    for m in household.memberships_on(on).order_by("start", "id"):
        p = m.person
        members.append({**(p.facts or {}), "id_number": p.id_number, "name": p.name, "relation": m.relation,
                        "ethnic_minority": p.ethnic_minority})
    return {**(household.facts or {}), "region": household.county, "residence": household.residence,
            "date": on.isoformat(), "members": members}


def _due(kind: DeadlineKind, start: dt.date, special: bool = False) -> proc.Due:
    return proc.due_for(kind, start, _add_working_days, special)


def visible_cases(user: Any):
    """Every case the user may see (one manager method; never filtered in a view)."""
    return access.scope_queryset(user, Case.objects.all(), Perm.CASE_VIEW)


def access_case(user: Any, pk: Any, *, reason: str = "") -> Case:
    """The case `pk` if the user may see it (404 otherwise); the read is written to the audit log."""
    case = access.access_object(user, Case.objects.select_related("household"), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, case, action="case.view", reason=reason or "查看案件")
    return case


def case_perms(user: Any, case: Case) -> set[str]:
    """The permissions the user holds in an area that contains the case."""
    return steps.case_perms(user, case, proc.Perm)


def _step(user: Any, action: Action, case_id: Any, version: int | None) -> tuple[Case, proc.Step]:
    """Fetch and lock the case, then check area, permission, state and version (in this order)."""
    case = steps.lock_case(user, Case, case_id, action, version, proc=proc, error=ProcedureError, blank_version=False)
    return case, proc.STEPS[action]


def _move(case: Case, user: Any, action: Action, to: State, on: dt.date, *, reason: str = "",
          figures: dict | None = None, audit_kind: str = AuditKind.STEP) -> CaseEvent:
    """Write the state change: the event row, the case's new state and deadline, the audit entry.
    First approval does not move the case on: its time limit runs on."""
    return steps.move(case, user, action, to, on, event_model=CaseEvent, prefix="case", action_names=proc.ACTION_NAMES,
                      state_deadline=proc.STATE_DEADLINE, due=lambda kind, day: _due(kind, day, case.special),
                      keep={State.FIRST_APPROVED}, reason=reason, figures=figures, audit_kind=audit_kind)


_jsonable = steps.jsonable


def _required(value: Any, field: str, label: str) -> Any:
    return steps.required(value, field, label, ProcedureError)


# --- the one window (PR-1) -----------------------------------------------------------------------

@transaction.atomic
def register_request(user: Any, *, region: str, applicant_name: str, program: str, description: str = "",
                     applicant_id_number: str = "", phone: str = "", household_id: int | None = None,
                     on: dt.date | None = None) -> WindowRequest:
    """一门受理登记: the township window records any request; a village assistant may report one.

    The person who records it is the first asked (首问负责) and stays responsible until it is
    handed on.
    """
    from doudi.cases.models import PROGRAM_CHOICES

    _required(applicant_name, "applicant_name", "申请人姓名")
    if program not in dict(PROGRAM_CHOICES):
        raise ProcedureError("请选择求助事项", "program")
    household = None
    if household_id:
        household = access.access_household(user, household_id)
        region = household.region_code
    _required(region, "region", "所属区域")
    may_accept = access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region)
    may_report = access.in_area(access.areas_of(user, Perm.CASE_REPORT), region)
    if not (may_accept or may_report):
        raise PermissionDenied("您不能在该区域登记求助")
    source = WindowRequest.Source.WINDOW if may_accept else WindowRequest.Source.VILLAGE_REPORT
    req = WindowRequest.objects.create(
        region=region, applicant_name=applicant_name.strip(), applicant_id_number=applicant_id_number.strip().upper(),
        phone=phone.strip(), program=program, description=description.strip(), source=source, household=household,
        first_asked=user, responsible=user, received_at=timezone.now())
    audit.record(user, AuditKind.STEP, req, action="request.register", area=region,
                 reason=f"登记求助：{req.get_program_display()}", detail={"source": source})
    return req


def _lock_request(user: Any, request_id: Any, perms: Iterable[str]) -> WindowRequest:
    qs = access.scope_queryset(user, WindowRequest.objects.select_for_update(), Perm.CASE_VIEW)
    try:
        req = qs.get(pk=request_id)
    except (WindowRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该求助登记，或不在您的辖区内") from None
    if not any(access.in_area(access.areas_of(user, p), req.region) for p in perms):
        raise PermissionDenied("您的角色不能办理该求助登记")
    return req


@transaction.atomic
def route_request(user: Any, request_id: Any, *, kin: bool = False, kin_note: str = "",
                  special: bool = False, on: dt.date | None = None) -> WindowRequest:
    """分办: the township takes the request into its own procedure (低保: a case is opened)."""
    req = _lock_request(user, request_id, [Perm.CASE_ACCEPT])
    if req.status != WindowRequest.Status.OPEN:
        raise ProcedureError(f"该求助登记当前为「{req.get_status_display()}」，不能再分办", "status")
    if req.program == "dibao":
        if req.household_id is None:
            raise ProcedureError("低保申请须先关联登记的家庭", "household")
        _open_case(user, req.household, request=req, kin=kin, kin_note=kin_note, special=special, on=_today(on))
    req.status = WindowRequest.Status.ROUTED
    req.responsible = user
    req.version += 1
    req.save()
    audit.record(user, AuditKind.STEP, req, action="request.route", area=req.region, reason="窗口分办")
    return req


@transaction.atomic
def transfer_request(user: Any, request_id: Any, *, department: str, note: str = "",
                     on: dt.date | None = None) -> Transfer:
    """转办: hand the request to another department with a reply deadline; first-asked stays responsible."""
    from doudi.cases.models import DEPARTMENT_CHOICES

    req = _lock_request(user, request_id, [Perm.CASE_ACCEPT])
    if department not in dict(DEPARTMENT_CHOICES):
        raise ProcedureError("请选择承办部门", "department")
    if req.status not in (WindowRequest.Status.OPEN, WindowRequest.Status.ANSWERED):
        raise ProcedureError(f"该求助登记当前为「{req.get_status_display()}」，不能转办", "status")
    today = _today(on)
    due = _due(DeadlineKind.TRANSFER_REPLY, today)
    t = Transfer.objects.create(request=req, department=department, note=note.strip(), transferred_by=user,
                                transferred_at=timezone.now(), reply_due=due.date, due_warning=due.warning or "")
    req.status = WindowRequest.Status.TRANSFERRED
    req.version += 1
    req.save()
    audit.record(user, AuditKind.STEP, req, action="request.transfer", area=req.region,
                 reason=f"转办{t.get_department_display()}", detail={"reply_due": due.date.isoformat()})
    return t


def visible_transfers(user: Any, *, open_only: bool = False):
    """Transfers the user may see: the window's (case.view) in its areas, and a liaison's own department's."""
    from doudi.cases.models import departments_of

    qs = Transfer.objects.all()
    if open_only:
        qs = qs.filter(answered_at__isnull=True)
    seen = access.scope_queryset(user, qs, Perm.CASE_VIEW)
    if access.areas_of(user, Perm.TRANSFER_ANSWER):
        mine = access.scope_queryset(user, qs, Perm.TRANSFER_ANSWER).filter(
            department__in=departments_of(getattr(user, "department", "")))
        seen = qs.filter(Q(pk__in=seen.values("pk")) | Q(pk__in=mine.values("pk")))
    return seen


def may_answer(user: Any, t: Transfer) -> bool:
    from doudi.cases.models import departments_of

    region = t.request.region
    if access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region):
        return True
    return (access.in_area(access.areas_of(user, Perm.TRANSFER_ANSWER), region)
            and t.department in departments_of(getattr(user, "department", "")))


@transaction.atomic
def answer_transfer(user: Any, transfer_id: Any, *, answer: str) -> Transfer:
    """转办答复: the department's answer, recorded by its liaison (own department only) or by the window."""
    try:
        t = visible_transfers(user).select_for_update().select_related("request").get(pk=transfer_id)
    except (Transfer.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该转办，或不在您的辖区内") from None
    if not may_answer(user, t):
        raise PermissionDenied("您的角色不能答复该转办")
    if t.answered_at:
        raise ProcedureError("该转办已经答复", "answer")
    t.answer = _required(answer, "answer", "答复内容")
    t.answered_by, t.answered_at = user, timezone.now()
    t.save()
    req = WindowRequest.objects.select_for_update().get(pk=t.request_id)
    req.status = WindowRequest.Status.ANSWERED
    req.version += 1
    req.save()
    audit.record(user, AuditKind.STEP, req, action="request.answer", area=req.region, reason="转办答复")
    return t


@transaction.atomic
def record_help(user: Any, *, note: str, request_id: Any = None, case_id: Any = None) -> HelpRecord:
    """协助: a village assistant records help given to an applicant (PR-2: it may report and help, no more)."""
    if case_id is not None:
        target = access.access_object(user, Case, case_id, Perm.CASE_VIEW)
    elif request_id is not None:
        target = access.access_object(user, WindowRequest, request_id, Perm.CASE_VIEW)
    else:
        raise ProcedureError("请指明协助的申请", "case")
    if not access.in_area(access.areas_of(user, Perm.CASE_REPORT), target.region):
        raise PermissionDenied("您的角色不能登记协助")
    h = HelpRecord.objects.create(case=target if isinstance(target, Case) else None,
                                  request=target if isinstance(target, WindowRequest) else None,
                                  region=target.region, note=_required(note, "note", "协助内容"), by=user,
                                  at=timezone.now())
    audit.record(user, AuditKind.STEP, target, action="help.record", reason="登记协助")
    return h


# --- the 低保 application ---------------------------------------------------------------------------

def kin_of_staff(household: Household, on: dt.date) -> str:
    """NAT-DB-KIN: a member who is, or is a close relative of, a caseworker or village cadre ("" if none)."""
    staff = {u.id_number: u for u in User.objects.filter(
        is_active=True, role_assignments__active=True).exclude(id_number="").distinct()}
    if not staff:
        return ""
    for m in household.memberships_on(on):
        p = m.person
        if p.id_number in staff:
            return f"{p.name} 本人是工作人员 {staff[p.id_number].display_name}"
        for k in p.kin.select_related("relative"):
            if k.relative.id_number in staff:
                return f"{p.name} 的{k.get_kind_display()}是工作人员 {staff[k.relative.id_number].display_name}"
        for k in p.kin_of.select_related("person"):
            if k.person.id_number in staff:
                return f"{p.name} 是工作人员 {staff[k.person.id_number].display_name} 的{k.get_kind_display()}"
    return ""


def _open_case(user: Any, household: Household, *, request: WindowRequest | None, kin: bool, kin_note: str,
               special: bool, on: dt.date) -> Case:
    if Case.objects.filter(household=household).exclude(state__in=[s.value for s in proc.FINAL_STATES]).exists():
        raise ProcedureError("该家庭已有正在办理的低保申请", "household")
    found = kin_of_staff(household, on)
    kin_note = "；".join(x for x in (kin_note.strip(), found) if x)
    head = household.head
    case = Case.objects.create(
        number=f"tmp-{secrets.token_hex(6)}", household=household, region=household.region_code,
        applicant_name=head.name if head else str(household), request=request, state=State.SUBMITTED.value,
        kin=bool(kin or found), kin_note=kin_note, special=special, submitted_on=on)
    case.number = f"DB{household.region_code[:6]}{on:%Y}{case.pk:06d}"
    case.save(update_fields=["number"])
    CaseEvent.objects.create(case=case, action=Action.SUBMIT.value, from_state="", to_state=State.SUBMITTED.value,
                             actor=user, at=timezone.now(), on_date=on,
                             reason="登记低保申请" + ("（近亲属备案）" if case.kin else ""),
                             figures={"kin": case.kin, "kin_note": kin_note})
    audit.record(user, AuditKind.STEP, case, action="case.submit", reason="登记低保申请",
                 detail={"kin": case.kin, "kin_note": kin_note})
    return case


@transaction.atomic
def submit_application(user: Any, household_id: Any, *, kin: bool = False, kin_note: str = "",
                       special: bool = False, on: dt.date | None = None) -> Case:
    """登记低保申请 for a registered household (at the window)."""
    household = access.access_household(user, household_id, Perm.CASE_ACCEPT)
    today = _today(on)
    req = WindowRequest.objects.create(
        region=household.region_code, applicant_name=(household.head.name if household.head else str(household)),
        program="dibao", household=household, first_asked=user, responsible=user, received_at=timezone.now(),
        status=WindowRequest.Status.ROUTED)
    return _open_case(user, household, request=req, kin=kin, kin_note=kin_note, special=special, on=today)


@transaction.atomic
def ask_for_materials(user: Any, case_id: Any, *, materials: Sequence[str], version: int | None = None,
                      on: dt.date | None = None) -> Case:
    """一次性告知: the full list of missing materials, given once."""
    case, _ = _step(user, Action.ASK_FOR_MATERIALS, case_id, version)
    items = [m.strip() for m in materials if m and m.strip()]
    _required(items, "materials", "需补齐的材料（每行一项）")
    if case.events.filter(action=Action.ASK_FOR_MATERIALS.value).exists():
        raise ProcedureError("须一次性告知所需材料：本案已告知过一次，不能再次要求补充", "materials")
    case.missing_materials = items
    _move(case, user, Action.ASK_FOR_MATERIALS, State.MATERIALS_MISSING, _today(on),
          reason="一次性告知需补齐的材料", figures={"materials": items})
    return case


@transaction.atomic
def resubmit(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None) -> Case:
    case, _ = _step(user, Action.RESUBMIT, case_id, version)
    _move(case, user, Action.RESUBMIT, State.SUBMITTED, _today(on), reason="材料已补齐",
          figures={"materials": case.missing_materials})
    return case


@transaction.atomic
def accept(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None,
           kin: bool | None = None, kin_note: str = "", special: bool | None = None) -> Case:
    """受理: the township accepts; the investigation and the whole procedure's time limits start."""
    case, _ = _step(user, Action.ACCEPT, case_id, version)
    today = _today(on)
    if kin:
        case.kin = True
        case.kin_note = "；".join(x for x in (case.kin_note, kin_note.strip()) if x)
    if special is not None:
        case.special = special
    case.accepted_on = today
    overall = _due(DeadlineKind.WHOLE_PROCEDURE, today, case.special)
    case.overall_due_on, case.overall_due_warning = overall.date, overall.warning or ""
    _move(case, user, Action.ACCEPT, State.ACCEPTED, today, reason="受理低保申请",
          figures={"overall_due": overall.date, "kin": case.kin, "special": case.special})
    return case


@transaction.atomic
def withdraw(user: Any, case_id: Any, *, reason: str, version: int | None = None, on: dt.date | None = None) -> Case:
    case, _ = _step(user, Action.WITHDRAW, case_id, version)
    _move(case, user, Action.WITHDRAW, State.WITHDRAWN, _today(on), reason=_required(reason, "reason", "撤回原因"))
    return case


def _investigators(user: Any, case: Case, ids: Iterable[Any]) -> list[User]:
    people = list(User.objects.filter(pk__in=[int(i) for i in ids if str(i).strip()]))
    if len({u.pk for u in people}) < 2:
        raise ProcedureError("入户调查须有至少2名调查人员", "investigators")
    for u in people:
        if not access.in_area(access.areas_of(u, Perm.CASE_INVESTIGATE), case.region):
            raise ProcedureError(f"{u.display_name} 不是本辖区的调查人员", "investigators")
    return people


@transaction.atomic
def investigate(user: Any, case_id: Any, *, investigators: Iterable[Any], visited_on: dt.date, findings: str,
                signed_by_investigators: bool, signed_by_family: bool, authorisation: bool,
                version: int | None = None, on: dt.date | None = None) -> Investigation:
    """入户调查: two investigators at least, the form signed by them and the family, authorisation recorded."""
    case, _ = _step(user, Action.INVESTIGATE, case_id, version)
    people = _investigators(user, case, investigators)
    _required(findings, "findings", "调查情况")
    if not signed_by_investigators:
        raise ProcedureError("调查表须由调查人员签字", "signed_by_investigators")
    if not signed_by_family:
        raise ProcedureError("调查表须由申请家庭签字", "signed_by_family")
    if not authorisation:
        raise ProcedureError("须记录申请人签署的家庭经济状况核对授权书", "authorisation")
    today = _today(on)
    if visited_on > today:
        raise ProcedureError("入户日期不能晚于今天", "visited_on")
    late = case.due_on and visited_on > case.due_on
    doc = household_document(case.household, visited_on)
    inv = Investigation.objects.create(
        case=case, round=case.investigations.count() + 1, visited_on=visited_on, findings=findings.strip(),
        signed_by_investigators=True, signed_by_family=True, authorisation=True, household_document=doc,
        recorded_by=user, recorded_at=timezone.now())
    inv.investigators.set(people)
    _move(case, user, Action.INVESTIGATE, State.INVESTIGATED, today, reason=findings.strip(),
          figures={"investigators": [u.display_name for u in people], "visited_on": visited_on,
                   "late": bool(late), "members": len(doc.get("members", []))})
    return inv


def verification_app() -> bool:
    """Whether the verification app (doudi.verification: department data, 核对报告) is installed."""
    return find_spec("doudi.verification") is not None


def _upload(value: Any) -> tuple[bytes, str] | None:
    """An uploaded file (Django's UploadedFile, or (bytes, name)) as (bytes, name); None if none."""
    if value in (None, ""):
        return None
    if isinstance(value, tuple):
        return value
    return value.read(), getattr(value, "name", "")


@transaction.atomic
def request_verification(user: Any, case_id: Any, *, authorisation: Any = None, version: int | None = None,
                         on: dt.date | None = None) -> Verification:
    """提请核对: the county starts the information verification within 3 working days.

    With doudi.verification installed the request carries the applicant's signed authorisation
    (授权书, a PDF or image: `authorisation`), stored with the verification request (PR-6)."""
    case, _ = _step(user, Action.REQUEST_VERIFICATION, case_id, version)
    if not case.investigations.filter(authorisation=True).exists():
        raise ProcedureError("未记录核对授权书，不能提请核对", "authorisation")
    today = _today(on)
    due = _due(DeadlineKind.VERIFICATION, today)
    v = Verification.objects.create(case=case, requested_by=user, requested_on=today, due_on=due.date)
    _move(case, user, Action.REQUEST_VERIFICATION, State.VERIFYING, today, reason="提请县级开展家庭经济状况核对",
          figures={"due": due.date})
    if verification_app():
        from doudi.verification.services import VerificationError, open_request

        try:
            open_request(user, case, v, authorisation=_upload(authorisation), on=today)
        except VerificationError as exc:
            raise ProcedureError(exc.message, exc.field) from None
    return v


@transaction.atomic
def record_verification(user: Any, case_id: Any, *, result: str, consistent: bool, report: Any = None,
                        version: int | None = None, on: dt.date | None = None) -> Verification:
    """核对结果: with doudi.verification installed, only an issued 核对报告 records it (its summary and
    whether the department data agree with the declaration); otherwise the result as typed."""
    case, _ = _step(user, Action.RECORD_VERIFICATION, case_id, version)
    if verification_app() and report is None:
        raise ProcedureError("核对结果由核对员在核对请求中出具核对报告后自动登记", "result")
    v = case.verifications.filter(recorded_on__isnull=True).last()
    if v is None:
        raise ProcedureError("没有待登记的核对请求", "result")
    today = _today(on)
    v.result, v.consistent, v.recorded_by, v.recorded_on = _required(result, "result", "核对结果"), consistent, user, today
    v.save()
    figures = {"consistent": consistent}
    if report is not None:
        figures.update(report=report.number, changes_decision=report.changes_decision)
    _move(case, user, Action.RECORD_VERIFICATION, State.VERIFIED, today, reason=v.result, figures=figures)
    return v


def assess_case(case: Case, on: dt.date) -> tuple[dict, dict, list[dict]]:
    """The policy core's decision on the registry's household document as of `on`:
    (household document, decision JSON, the 低保 parameters in force with level, source and version)."""
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess
    from doudi.policy.show import rows

    policy = current_policy()
    doc = household_document(case.household, on)
    decision = assess(doc, date=on.isoformat(), policy=policy).as_json()
    params = [{"name": r.name, "value": _plain(r.value), "unit": unit, "level": r.level, "region": r.region,
               "source": r.source, "from": r.start.isoformat() if r.start else None, "placeholder": r.placeholder}
              for r, unit in rows(case.household.county, on, case.household.residence, policy=policy)
              if r.name.startswith("dibao.")]
    return doc, decision, params


def placeholders_of(case: Case, params: list[dict]) -> list[str]:
    """The Chinese labels of the placeholder parameters the 低保 amount rests on: the standard of the
    household's residence (DB-3: standard × members − income)."""
    from doudi.policy.params import default_policy

    defs = default_policy().defs
    standard = f"dibao.standard.{case.household.residence}"
    return [defs[p["name"]].label_or_name if p["name"] in defs else p["name"] for p in params
            if p.get("placeholder") and p["name"] == standard and p.get("value") is not None]


def current_figures(case: Case, on: dt.date | None = None) -> dict:
    """The policy core's decision on the household as it stands now, for the reviewer and the approver
    before they act (the same block the approved case shows): eligible, amount, the trace with rule ids,
    the difference from the amount proposed at review, and the placeholder parameters the amount rests
    on (their Chinese labels). Memoised on the case object (the page and its approval form share it)."""
    cached = getattr(case, "_current_figures", None)
    if cached is not None:
        return cached
    from doudi.cases import documents

    today = _today(on)
    try:
        _doc, result, params = assess_case(case, today)
    except Exception as exc:  # noqa: BLE001 - a household the core cannot read: say so instead of a traceback
        figures = {"problem": f"无法按当前家庭情况核算：{exc}", "placeholders": []}
        case._current_figures = figures
        return figures
    dibao = result["programs"]["dibao"]
    fen = _fen(dibao["amount"]) if dibao.get("eligible") else 0
    labels = placeholders_of(case, params)
    proposal = case.proposals.order_by("-round").first()
    figures = {
        "eligible": bool(dibao.get("eligible")), "amount": documents.yuan(fen), "amount_fen": fen,
        "summary": documents.summary_sentence(result), "trace": documents.trace_sentences(result),
        "on": today, "placeholders": labels,
        "proposed": documents.yuan(proposal.amount_fen) if proposal else "",
        "difference": (("+" if fen > proposal.amount_fen else "") + documents.yuan(fen - proposal.amount_fen)
                       if proposal and fen != proposal.amount_fen else ""),
        "problem": "",
    }
    case._current_figures = figures
    return figures


def _plain(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return str(v)


def _fen(amount: str) -> int:
    from decimal import Decimal

    return int((Decimal(amount) * 100).to_integral_value())


@transaction.atomic
def propose(user: Any, case_id: Any, *, recommend: bool, opinion: str, version: int | None = None,
            on: dt.date | None = None) -> Proposal:
    """审核: the township reviewer proposes; the proposal is publicly noticed for 7 days (PR-4)."""
    case, _ = _step(user, Action.PROPOSE, case_id, version)
    _required(opinion, "opinion", "审核意见")
    if verification_app():
        from doudi.verification.services import blocking_reason

        why = blocking_reason(case, recommend)
        if why:
            raise ProcedureError(why, "recommend")
    today = _today(on)
    _doc, decision, _params = assess_case(case, today)
    dibao = decision["programs"]["dibao"]
    if recommend and not dibao["eligible"]:
        raise ProcedureError("政策核算结果为不符合低保条件，不能建议批准", "recommend")
    amount = _fen(dibao["amount"]) if recommend else 0
    size = int(decision["household"]["members"])
    proposal = Proposal.objects.create(case=case, round=case.proposals.count() + 1, reviewer=user,
                                       recommend=recommend, opinion=opinion.strip(), amount_fen=amount,
                                       household_size=size, assessment=decision, proposed_on=today)
    notice_end = _due(DeadlineKind.NOTICE_END, today)
    PublicNotice.objects.create(case=case, proposal=proposal, place=case.region, starts_on=today,
                                ends_on=notice_end.date)
    _move(case, user, Action.PROPOSE, State.IN_NOTICE, today, reason=opinion.strip(),
          figures={"recommend": recommend, "amount": dibao["amount"], "household_size": size,
                   "notice_until": notice_end.date})
    return proposal


def _open_notice(case: Case) -> PublicNotice:
    return case.notices.filter(closed_on__isnull=True).order_by("-starts_on", "-id").first()


@transaction.atomic
def record_objection(user: Any, case_id: Any, *, content: str, received_on: dt.date | None = None,
                     version: int | None = None, on: dt.date | None = None) -> Objection:
    """公示异议: recorded during the notice; at its end it leads to re-investigation or appraisal."""
    case, _ = _step(user, Action.RECORD_OBJECTION, case_id, version)
    today = _today(on)
    received_on = received_on or today
    notice = _open_notice(case)
    if received_on < notice.starts_on or received_on > notice.ends_on:
        raise ProcedureError(f"异议须在公示期内（{notice.starts_on}至{notice.ends_on}）提出", "received_on")
    obj = Objection.objects.create(notice=notice, received_on=received_on, content=_required(content, "content", "异议内容"),
                                   recorded_by=user)
    _move(case, user, Action.RECORD_OBJECTION, State.IN_NOTICE, today, reason="公示期间收到异议",
          figures={"received_on": received_on})
    case.due_kind, case.due_on, case.due_warning = DeadlineKind.NOTICE_END.value, notice.ends_on, ""
    case.save(update_fields=["due_kind", "due_on", "due_warning"])
    return obj


@transaction.atomic
def close_notice(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None) -> Case:
    """公示期满: without objection the proposal goes to the county (and may be drawn for a spot check)."""
    case, _ = _step(user, Action.CLOSE_NOTICE, case_id, version)
    today = _today(on)
    notice = _open_notice(case)
    if today < notice.ends_on:
        raise ProcedureError(f"公示期未满，{notice.ends_on} 起方可结束公示", "on")
    notice.closed_on = today
    notice.save()
    objections = notice.objections.count()
    if objections:
        _move(case, user, Action.CLOSE_NOTICE, State.OBJECTED, today,
              reason=f"公示期满，收到异议 {objections} 件，须重新调查或民主评议", figures={"objections": objections})
        return case
    _move(case, user, Action.CLOSE_NOTICE, State.AT_COUNTY, today, reason="公示期满无异议，报县级审批",
          figures={"objections": 0})
    _draw_spot_check(case, today)
    return case


def _draw_spot_check(case: Case, today: dt.date) -> SpotCheck:
    """PR-3: draw the case for an in-person county check (quota kept per county and year, under a lock)."""
    ratio = proc.param("spot_check_ratio")
    return steps.draw_spot_check(
        case, today, tally_model=SpotCheckTally, check_model=SpotCheck, ratio=ratio,
        needed=lambda selected, arrived, draw: proc.spot_check_needed(selected, arrived, ratio, case.kin, draw=draw))


@transaction.atomic
def reinvestigate(user: Any, case_id: Any, *, reason: str, version: int | None = None,
                  on: dt.date | None = None) -> Case:
    """重新调查 after an objection (NAT-DB-APPRAISAL): back to a new home investigation."""
    case, _ = _step(user, Action.REINVESTIGATE, case_id, version)
    _move(case, user, Action.REINVESTIGATE, State.ACCEPTED, _today(on), reason=_required(reason, "reason", "重新调查的原因"))
    return case


@transaction.atomic
def hold_appraisal(user: Any, case_id: Any, *, held_on: dt.date, participants: int, result: str,
                   version: int | None = None, on: dt.date | None = None) -> Appraisal:
    """民主评议, only after an objection (NAT-DB-APPRAISAL); the township then proposes again."""
    case, _ = _step(user, Action.HOLD_APPRAISAL, case_id, version)
    if not participants or int(participants) < 1:
        raise ProcedureError("请填写参加评议的人数", "participants")
    a = Appraisal.objects.create(case=case, held_on=held_on, participants=int(participants),
                                 result=_required(result, "result", "评议结果"), recorded_by=user)
    _move(case, user, Action.HOLD_APPRAISAL, State.VERIFIED, _today(on), reason=a.result,
          figures={"held_on": held_on, "participants": a.participants})
    return a


@transaction.atomic
def record_spot_check(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, consistent: bool,
                      version: int | None = None, on: dt.date | None = None) -> SpotCheck:
    """入户抽查 (PR-3) by the county: a drawn case cannot be approved before this is recorded."""
    case, _ = _step(user, Action.RECORD_SPOT_CHECK, case_id, version)
    check = case.spot_checks.order_by("-drawn_at", "-id").first()
    if check is None or not check.selected:
        raise ProcedureError("本案未被抽中入户抽查", "visited_on")
    if check.visited_on:
        raise ProcedureError("本案的入户抽查已经登记", "visited_on")
    check.visited_on, check.findings, check.consistent, check.checked_by = (
        visited_on, _required(findings, "findings", "抽查情况"), consistent, user)
    check.save()
    today = _today(on)
    _move(case, user, Action.RECORD_SPOT_CHECK, case.state_enum, today, reason=check.findings,
          figures={"visited_on": visited_on, "consistent": consistent})
    return check


def took_part(user: Any, case: Case) -> str:
    """Four eyes: why the user may not approve (investigated, recorded the investigation, or reviewed)."""
    if case.investigations.filter(Q(investigators=user) | Q(recorded_by=user)).exists():
        return "您参与了本案的入户调查，不能审批本案"
    if case.proposals.filter(reviewer=user).exists():
        return "您审核了本案，不能审批本案"
    return ""


def may_decide(user: Any, case: Case) -> bool:
    """Whether four eyes let the user approve or refuse this case now: not whoever investigated or
    reviewed it, nor, for a relative's case (NAT-DB-KIN), the first approver a second time."""
    if not rules.has_perm("doudi.case.approve_this", user, case):
        return False
    if case.kin and case.state_enum is State.FIRST_APPROVED:
        first = Decision.objects.filter(case=case).values_list("first_approver_id", flat=True).first()
        return first != user.pk
    return True


def _check_may_decide(user: Any, case: Case) -> None:
    """Four eyes through the `rules` permission doudi.case.approve_this (predicates.py)."""
    if not rules.has_perm("doudi.case.approve_this", user, case):  # no superuser shortcut
        raise PermissionDenied(took_part(user, case) or "您不能审批本案件")


@transaction.atomic
def approve(user: Any, case_id: Any, *, opinion: str = "", version: int | None = None,
            on: dt.date | None = None, confirm_placeholder: bool | None = None) -> Decision:
    """批准: the county approves; the policy core's decision is stored as it is today (NAT-DB-PAY).
    `confirm_placeholder`: asked by the page and the API (forms.ApproveForm): when the amount rests on a
    placeholder parameter, False refuses the approval and True is recorded in the event with the
    labels confirmed; None (a caller that does not ask: batch, tests) records nothing.

    A relative's case (NAT-DB-KIN) needs two different approvers: the first approval moves it to
    first_approved, the second decides.
    """
    case, _ = _step(user, Action.APPROVE, case_id, version)
    _check_may_decide(user, case)
    check = case.spot_checks.order_by("-drawn_at", "-id").first()
    if check and check.selected and not check.visited_on:
        raise ProcedureError("本案被抽中入户抽查（PR-3），须先登记抽查结果才能批准", "spot_check")
    if check and check.visited_on and check.consistent is False:
        raise ProcedureError("县级入户抽查结果与乡镇审核意见不一致，不能批准：请不予批准并说明理由", "spot_check")
    if case.kin and not (check and check.visited_on):
        raise ProcedureError("近亲属备案申请须由县级入户调查（NAT-DB-KIN）后才能批准", "spot_check")
    today = _today(on)
    decision, _created = Decision.objects.select_for_update().get_or_create(case=case)
    if case.kin and case.state_enum is State.AT_COUNTY:
        decision.first_approver, decision.first_approved_on = user, today
        decision.save()
        _move(case, user, Action.APPROVE, State.FIRST_APPROVED, today,
              reason=opinion or "近亲属备案申请：第一审批人同意，待第二审批人审批", figures={"approver": 1})
        return decision
    if case.kin and decision.first_approver_id == user.pk:
        raise PermissionDenied("近亲属备案申请须由另一名审批人第二次审批")
    doc, result, params = assess_case(case, today)
    dibao = result["programs"]["dibao"]
    if not dibao["eligible"]:
        raise ProcedureError("政策核算结果为不符合低保条件，只能不予批准", "outcome")
    placeholders = placeholders_of(case, params)
    if placeholders and confirm_placeholder is False:
        names = "、".join(f"「{x}」" for x in placeholders)
        raise ProcedureError(f"本决定的金额依据占位参数{names}，须勾选确认后才能批准", "confirm_placeholder")
    confirmed = placeholders if placeholders and confirm_placeholder else []
    decision.outcome = Decision.Outcome.APPROVED
    if case.kin:
        decision.second_approver = user
    decision.decided_by, decision.decided_on = user, today
    decision.amount_fen = _fen(dibao["amount"])
    decision.household_size = int(result["household"]["members"])
    decision.assessment, decision.parameters, decision.household_document = result, params, doc
    decision.payment_start = proc.payment_start(today)
    decision.reasons = opinion.strip()
    decision.save()
    _move(case, user, Action.APPROVE, State.APPROVED, today, reason=opinion or "批准",
          figures={"amount": dibao["amount"], "household_size": decision.household_size,
                   "payment_start": decision.payment_start.strftime("%Y-%m"),
                   **({"confirmed_placeholders": confirmed} if confirmed else {})},
          audit_kind=AuditKind.DECISION)
    _start_benefit(decision, user)
    return decision


def _start_benefit(decision: Decision, user: Any) -> None:
    """The benefit starts with the approval, in the same transaction (doudi.benefits owns it
    from here: reviews, changes, stops)."""
    if find_spec("doudi.benefits") is None:
        return
    from doudi.benefits.services import start_from_dibao_decision

    start_from_dibao_decision(decision, user)


@transaction.atomic
def refuse(user: Any, case_id: Any, *, reasons: str, version: int | None = None,
           on: dt.date | None = None) -> Decision:
    """不予批准: with reasons; the written notice is due within 3 working days."""
    case, _ = _step(user, Action.REFUSE, case_id, version)
    _check_may_decide(user, case)
    _required(reasons, "reasons", "不予批准的理由")
    today = _today(on)
    doc, result, params = assess_case(case, today)
    decision, _created = Decision.objects.select_for_update().get_or_create(case=case)
    due = _due(DeadlineKind.REFUSAL_NOTICE, today)
    decision.outcome = Decision.Outcome.REFUSED
    decision.decided_by, decision.decided_on = user, today
    decision.amount_fen, decision.household_size = 0, int(result["household"]["members"])
    decision.assessment, decision.parameters, decision.household_document = result, params, doc
    decision.reasons = reasons.strip()
    decision.notice_due_on = due.date
    decision.save()
    _move(case, user, Action.REFUSE, State.REFUSED, today, reason=reasons.strip(),
          figures={"notice_due": due.date}, audit_kind=AuditKind.DECISION)
    return decision


@transaction.atomic
def notify_refusal(user: Any, case_id: Any, *, notified_on: dt.date, version: int | None = None,
                   on: dt.date | None = None) -> Decision:
    """书面告知: the refusal notice with its reasons was delivered to the applicant."""
    case, _ = _step(user, Action.NOTIFY_REFUSAL, case_id, version)
    decision = Decision.objects.select_for_update().get(case=case)
    if notified_on < decision.decided_on:
        raise ProcedureError("告知日期不能早于决定日期", "notified_on")
    decision.notified_on = notified_on
    decision.save()
    late = decision.notice_due_on and notified_on > decision.notice_due_on
    _move(case, user, Action.NOTIFY_REFUSAL, State.REFUSAL_NOTIFIED, _today(on), reason="已书面告知不予批准及理由",
          figures={"notified_on": notified_on, "late": bool(late)})
    return decision
