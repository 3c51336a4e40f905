"""Children (CH-1…CH-4, NAT-CH-ORPHAN, NAT-CH-DEFACTO): the child's file, the protection procedure, the
allowance as a benefit and its end, CH-3's classes, CH-4's register by level. The only writers of these rows.

Same pattern as doudi.relief: fetch and lock through the access layer (404 outside the areas, 403
without the role), check state and version, one transaction, an event row and an audit entry per act.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure import steps
from doudi.programs import core
from doudi.programs import procedure as proc
from doudi.programs.models import ChildCase, ChildDecision, ChildEvent, ChildFile, ChildFileChange
from doudi.programs.procedure import Action, DeadlineKind, ProcedureError, State

PROGRAM = "children"
_today = steps.today


def due(kind: DeadlineKind, start: dt.date) -> proc.Due:
    return proc.due_for(kind, start, steps.add_working_days)


def visible_files(user: Any):
    return access.scope_queryset(user, ChildFile.objects.select_related("person", "household"), Perm.CASE_VIEW)


def visible_cases(user: Any):
    return access.scope_queryset(user, ChildCase.objects.select_related("file__person"), Perm.CASE_VIEW)


def access_file(user: Any, pk: Any, *, reason: str = "查看儿童档案") -> ChildFile:
    f = access.access_object(user, ChildFile.objects.select_related("person", "household"), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, f, action="programs.child_file.view", reason=reason)
    return f


def access_case(user: Any, pk: Any, *, reason: str = "查看儿童基本生活保障申请") -> ChildCase:
    case = access.access_object(user, ChildCase.objects.select_related("file__person", "file__household"), pk,
                                Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, case, action="programs.child_case.view", reason=reason)
    return case


def case_perms(user: Any, case: ChildCase) -> set[str]:
    return steps.case_perms(user, case, proc.Perm)


def _required(value: Any, field: str, label: str) -> Any:
    return steps.required(value, field, label, ProcedureError)


def _choice(value: Any, choices: Any, field: str, label: str) -> str:
    keys = [c[0] for c in choices]
    if value not in keys:
        raise ProcedureError(f"请选择{label}", field)
    return value


# --- the file (CH-2, CH-3) ---------------------------------------------------------------------------------

FILE_FIELDS = ("category", "guardian_name", "guardian_relation", "guardian_phone", "situation", "father_status",
               "father_months", "mother_status", "mother_months", "institutional",
               *(k for k, _ in proc.LEFT_BEHIND_QUESTIONS), "help_planned", "temporary_care_on", "temporary_care_by")
DERIVED_FIELDS = ("left_behind_class", "left_behind_needs")  # CH-3: from the answers, never typed
TRACKED_FIELDS = FILE_FIELDS + DERIVED_FIELDS


def _left_behind_answers(data: dict) -> proc.LeftBehindAnswers:
    """CH-3's questions, each answered yes or no (whether the carer is able is asked only when there is one)."""
    def answer(key: str) -> bool:
        value = data.get(key)
        if value is None or value == "":
            raise ProcedureError(f"农村留守儿童须回答“{proc.LEFT_BEHIND_LABELS[key]}”（是或否），据此按需求分类（CH-3）", key)
        return bool(value)

    has_carer = answer("lb_has_carer")
    return proc.LeftBehindAnswers(
        has_carer=has_carer, carer_able=answer("lb_carer_able") if has_carer else None,
        other_guardian=answer("lb_other_guardian"), in_school=answer("lb_in_school"),
        registered=answer("lb_registered"), infringed=answer("lb_infringed"), hardship=answer("lb_hardship"))


def _check_file(data: dict, age: int) -> dict:
    _choice(data.get("category"), proc.CATEGORIES, "category", "儿童类别")
    for who in ("father", "mother"):
        _choice(data.get(f"{who}_status") or "normal", proc.PARENT_STATUSES, f"{who}_status",
                "父亲情况" if who == "father" else "母亲情况")
        months = data.get(f"{who}_months") or 0
        if int(months) < 0:
            raise ProcedureError("持续月数不能为负", f"{who}_months")
    if data["category"] != "left_behind":
        data["left_behind_class"], data["left_behind_needs"] = "", []
        return data
    c = proc.class_left_behind(_left_behind_answers(data), age)
    data["left_behind_class"], data["left_behind_needs"] = c.key, [dict(n) for n in c.needs]
    if not data.get("lb_has_carer"):
        data["lb_carer_able"] = None
    if c.temporary_care:
        if not data.get("temporary_care_on"):
            raise ProcedureError("无人监护且没有其他监护人的留守儿童由民政部门临时照料，请填写临时照料起始日期（CH-3）",
                                 "temporary_care_on")
        if not (data.get("temporary_care_by") or "").strip():
            raise ProcedureError("请填写临时照料机构（如儿童福利机构、未成年人救助保护机构）（CH-3）", "temporary_care_by")
    return data


@transaction.atomic
def open_file(user: Any, *, person_id: Any, on: dt.date | None = None, **data: Any) -> ChildFile:
    """建档 (CH-2): one file per child; the child's household is where the file lives."""
    person = access.access_person(user, person_id)
    membership = person.current_membership()
    household = membership.household if membership else None
    region = household.region_code if household else ""
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region):
        raise PermissionDenied("您的角色不能在该区域建立儿童档案")
    if ChildFile.objects.filter(person=person).exists():
        raise ProcedureError(f"{person.name}已有儿童档案（一人一档，CH-2）", "person_id")
    today = _today(on)
    if proc.age_on(person.birth_date, today) >= 18:
        raise ProcedureError(f"{person.name}已满18周岁，不建立儿童档案", "person_id")
    data = _check_file({k: v for k, v in data.items() if k in FILE_FIELDS}, proc.age_on(person.birth_date, today))
    f = ChildFile.objects.create(person=person, household=household, region=region, opened_by=user, opened_on=today,
                                 **{k: v for k, v in data.items() if v is not None})
    ChildFileChange.objects.create(file=f, actor=user, at=timezone.now(), on_date=today, note="建档",
                                   changes=[{"field": k, "after": steps.jsonable(v)} for k, v in data.items() if v])
    audit.record(user, AuditKind.STEP, f, action="programs.child_file.open", reason=f"建立儿童档案：{f}")
    return f


@transaction.atomic
def update_file(user: Any, file_id: Any, *, version: Any = None, note: str = "", on: dt.date | None = None,
                **data: Any) -> ChildFile:
    """档案更新 (CH-2): every change kept (before, after); the allowance's check reads the new situation."""
    f = access.access_object(user, ChildFile.objects.select_for_update(of=("self",)).select_related("person"),
                             file_id, Perm.CASE_ACCEPT, view_action=Perm.CASE_VIEW)
    if version not in (None, "") and int(version) != f.version:
        raise ProcedureError("档案已被他人更新，请刷新页面后重试", "version")
    merged = {k: getattr(f, k) for k in FILE_FIELDS}
    merged.update({k: v for k, v in data.items() if k in FILE_FIELDS})
    today = _today(on)
    merged = _check_file(merged, proc.age_on(f.person.birth_date, today))
    changes = []
    for k in TRACKED_FIELDS:
        before, after = getattr(f, k), merged.get(k)
        if after is None and k not in ("temporary_care_on", "lb_carer_able"):
            continue
        if before != after:
            changes.append({"field": k, "before": steps.jsonable(before), "after": steps.jsonable(after)})
            setattr(f, k, after)
    if not changes:
        raise ProcedureError("档案没有变化", "__all__")
    f.version += 1
    f.save()
    ChildFileChange.objects.create(file=f, actor=user, at=timezone.now(), on_date=today, changes=changes, note=note)
    audit.record(user, AuditKind.STEP, f, action="programs.child_file.update", reason=note or "更新儿童档案",
                 detail={"changes": changes})
    return f


# --- the procedure (CH-1, NAT-CH-DEFACTO) ----------------------------------------------------------------------

def _step(user: Any, action: Action, case_id: Any, version: Any) -> ChildCase:
    return steps.lock_case(user, ChildCase, case_id, action, version, proc=proc, error=ProcedureError)


def _move(case: ChildCase, user: Any, action: Action, to: State, on: dt.date, *, reason: str = "",
          figures: dict | None = None, audit_kind: str = AuditKind.STEP) -> ChildEvent:
    return steps.move(case, user, action, to, on, event_model=ChildEvent, prefix="programs.children",
                      action_names=proc.ACTION_NAMES, state_deadline=proc.STATE_DEADLINE, due=due, reason=reason,
                      figures=figures, audit_kind=audit_kind)


def parents_test(f: ChildFile, kind: str) -> tuple[bool, str]:
    """The parents' situation against the rule of the kind asked for (NAT-CH-ORPHAN, NAT-CH-DEFACTO)."""
    if kind == "orphan":
        return proc.orphan_holds(f.father, f.mother)
    if kind == "defacto":
        return proc.defacto_holds(f.father, f.mother)
    return True, "艾滋病病毒感染儿童（CH-1）"


@transaction.atomic
def submit(user: Any, *, file_id: Any, kind: str, applicant_name: str = "", on: dt.date | None = None) -> ChildCase:
    """登记申请： the township registers; the township's 15 working days run from today."""
    f = access.access_object(user, ChildFile.objects.select_related("person"), file_id, Perm.CASE_ACCEPT,
                             view_action=Perm.CASE_VIEW)
    _choice(kind, [(k, "") for k in proc.PROTECTED], "kind", "申请类别")
    if f.cases.filter(state__in=[State.SUBMITTED, State.CHECKED, State.APPROVED]).exists():
        raise ProcedureError(f"{f.person.name}已有在办或已确认的基本生活保障", "kind")
    today = _today(on)
    if proc.age_on(f.person.birth_date, today) >= 18:
        raise ProcedureError(f"{f.person.name}已满18周岁，不属于儿童（NAT-CH-ORPHAN）", "kind")
    import secrets

    case = ChildCase.objects.create(number=f"tmp-{secrets.token_hex(6)}", file=f, region=f.region, kind=kind,
                                    applicant_name=(applicant_name or f.guardian_name or f.person.name).strip(),
                                    state=State.SUBMITTED.value, registered_by=user, submitted_on=today)
    case.number = f"ET{f.region[:6]}{today:%Y}{case.pk:06d}"
    d = due(DeadlineKind.TOWNSHIP_CHECK, today)
    case.due_kind, case.due_on, case.due_warning = d.kind.value, d.date, d.warning or ""
    case.save()
    ChildEvent.objects.create(case=case, action=Action.SUBMIT.value, from_state="", to_state=State.SUBMITTED.value,
                              actor=user, at=timezone.now(), on_date=today, reason="登记申请",
                              figures={"kind": kind, "due_on": d.date.isoformat()})
    audit.record(user, AuditKind.STEP, case, action="programs.children.submit", reason=f"登记{case.get_kind_display()}申请")
    return case


def took_part(user: Any, case: ChildCase) -> str:
    """Four eyes: who registered or checked does not decide; who registered does not check."""
    if case.registered_by_id == user.pk:
        return "您登记了本案申请，不能查验或确认本案"
    if case.checked_by_id == user.pk:
        return "您查验了本案，不能确认本案"
    return ""


@transaction.atomic
def township_check(user: Any, case_id: Any, *, findings: str, version: Any = None,
                   on: dt.date | None = None) -> ChildCase:
    """乡镇查验 (NAT-CH-DEFACTO, 15 working days): the parents' situation is checked; the county's 15 start."""
    case = _step(user, Action.TOWNSHIP_CHECK, case_id, version)
    why = took_part(user, case)
    if why:
        raise PermissionDenied(why)
    _required(findings, "findings", "查验情况")
    ok, text = parents_test(case.file, case.kind)
    if not ok:
        raise ProcedureError(f"{text}；请按不予认定办理", "findings")
    today = _today(on)
    case.checked_by, case.checked_on, case.check_findings = user, today, findings.strip()
    late = case.due_on is not None and today > case.due_on
    _move(case, user, Action.TOWNSHIP_CHECK, State.CHECKED, today, reason=findings.strip(),
          figures={"parents": text, "late": late, "township_due_on": case.due_on})
    return case


def case_document(case: ChildCase, on: dt.date) -> dict:
    """The household document with the child's flags as the procedure found them (CH-1)."""
    from doudi.registry.documents import deep_merge, household_document, person_entry

    f = case.file
    flags = {"orphan": case.kind == "orphan", "de_facto_unsupported": case.kind == "defacto",
             "hiv_affected": case.kind == "hiv", "institutional": f.institutional}
    if f.household_id:
        return household_document(f.household, on, member_extra={f.person.id_number: flags})
    doc = {"region": f.region, "residence": "rural", "date": on.isoformat(),
           "members": [deep_merge(person_entry(f.person, "self"), flags)]}
    return doc


def assess(case: ChildCase, on: dt.date) -> tuple[dict, dict, int, list[dict]]:
    doc = case_document(case, on)
    decision, cols = core.decide_for(doc, case.file.person.id_number)
    residence = doc.get("residence") or "rural"
    params = core.parameters(case.region, on, residence, ("children.", "disability."))
    return doc, decision, cols.get("children.allowance", 0), params


@transaction.atomic
def approve(user: Any, case_id: Any, *, opinion: str = "", version: Any = None, on: dt.date | None = None) -> ChildDecision:
    """县级确认 (15 working days): the policy core decides the child's own allowance (CH-1, NAT-CH-DEFACTO
    top-up), which starts as a monthly benefit of the child from the month after the decision."""
    from doudi.benefits.months import month_of, next_month

    case = _step(user, Action.APPROVE, case_id, version)
    why = took_part(user, case)
    if why:
        raise PermissionDenied(why)
    today = _today(on)
    doc, decision, fen, params = assess(case, today)
    result = core.program(decision, PROGRAM)
    if fen <= 0:
        last = (result.get("trace") or [{}])[-1].get("detail", "")
        raise ProcedureError(f"政策核算结果为不发放基本生活费：{last or '本地标准未设定'}", "opinion")
    start = next_month(month_of(today))
    d = ChildDecision.objects.create(case=case, approved=True, decided_by=user, decided_on=today, amount_fen=fen,
                                     start_month=start, assessment=decision, parameters=params,
                                     household_document=doc, reasons=opinion.strip())
    benefit = _start_benefit(user, case, d)
    late = case.due_on is not None and today > case.due_on
    _move(case, user, Action.APPROVE, State.APPROVED, today, reason=opinion.strip() or "确认",
          figures={"amount": yuan(fen), "start_month": start, "benefit": benefit, "late": late,
                   "rules": core.rules_of(result)}, audit_kind=AuditKind.DECISION)
    return d


def _start_benefit(user: Any, case: ChildCase, d: ChildDecision) -> int:
    from doudi.benefits import services as benefits

    f = case.file
    try:
        b = benefits.start_benefit(user, household=f.household, person=f.person, program=PROGRAM, amount_fen=d.amount_fen,
                                   start_month=d.start_month, assessment=d.assessment, parameters=d.parameters,
                                   household_document=d.household_document, decision=d, region=case.region,
                                   on=d.decided_on)
    except ValueError as exc:
        raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", "__all__") from None
    return b.pk


@transaction.atomic
def refuse(user: Any, case_id: Any, *, reasons: str, version: Any = None, on: dt.date | None = None) -> ChildCase:
    """不予认定 (township or county), with the reasons written; no public notice either way."""
    case = _step(user, Action.REFUSE, case_id, version)
    _required(reasons, "reasons", "不予认定的理由")
    if case.state_enum is State.CHECKED:
        why = took_part(user, case)
        if why:
            raise PermissionDenied(why)
    elif case.registered_by_id == user.pk:
        raise PermissionDenied("您登记了本案申请，不能查验或确认本案")
    today = _today(on)
    ChildDecision.objects.create(case=case, approved=False, decided_by=user, decided_on=today, reasons=reasons.strip(),
                                 assessment={}, parameters=[], household_document={})
    _move(case, user, Action.REFUSE, State.REFUSED, today, reason=reasons.strip(), audit_kind=AuditKind.DECISION)
    return case


@transaction.atomic
def withdraw(user: Any, case_id: Any, *, reason: str, version: Any = None, on: dt.date | None = None) -> ChildCase:
    case = _step(user, Action.WITHDRAW, case_id, version)
    _required(reason, "reason", "撤回理由")
    _move(case, user, Action.WITHDRAW, State.WITHDRAWN, _today(on), reason=reason.strip())
    return case


SERVICES = {Action.TOWNSHIP_CHECK: township_check, Action.APPROVE: approve, Action.REFUSE: refuse,
            Action.WITHDRAW: withdraw}


# --- the allowance's end: a scheduled check (CH-2, NAT-CH-ORPHAN) --------------------------------------------------

def check_allowances(today: dt.date | None = None) -> list[tuple[int, str]]:
    """退出： every live children's benefit is checked; it ends from the month after the child turns 18
    (NAT-CH-ORPHAN: under 18), or from next month when the child's file shows that the parents'
    situation no longer qualifies (CH-2). Returns [(benefit id, reason)] of those ended."""
    from doudi.benefits.models import LIVE, Benefit
    from doudi.benefits.months import add_months, month_label, month_of, next_month
    from doudi.benefits.services import end_by_check

    today = _today(today)
    ended = []
    for b in Benefit.objects.filter(program=PROGRAM, status__in=LIVE).select_related("person"):
        f = ChildFile.objects.filter(person_id=b.person_id).first()
        adult_on = proc.eighteenth_birthday(b.person.birth_date)
        if adult_on <= today:
            month = add_months(month_of(adult_on), 1)
            why = (f"{b.person.name}于 {adult_on} 年满18周岁，不再属于儿童（NAT-CH-ORPHAN），"
                   f"{month_label(month)}起停发基本生活费（CH-2）")
        else:
            kind = _kind_of(b)
            if f is None or kind is None:
                continue
            ok, text = proc.still_protected(kind, f.father, f.mother)
            if ok:
                continue
            month = next_month(month_of(today))
            why = f"儿童档案显示父母情况发生变化：{text}；不再符合保障条件，{month_label(month)}起终止保障（CH-2）"
        if end_by_check(b, effective_month=month, reasons=why, source="programs.check_allowances", today=today):
            ended.append((b.pk, why))
    return ended


def _kind_of(benefit: Any) -> str | None:
    d = ChildDecision.objects.filter(pk=benefit.decision_pk).select_related("case").first() \
        if benefit.decision_model == "childdecision" and benefit.decision_pk else None
    return d.case.kind if d else None


# --- CH-4: the four-level register ------------------------------------------------------------------------------

LEVELS = (("city", "市级", 4), ("county", "县级", 6), ("township", "乡镇级", 9), ("village", "村级", 12))


def register(user: Any, level: str) -> list[dict]:
    """CH-4: children in difficulty counted by area at one level (city, county, township, village),
    within the user's areas; one row per area with the count per category."""
    from collections import Counter

    width = dict((k, w) for k, _, w in LEVELS).get(level)
    if width is None:
        raise ProcedureError("请选择层级（市、县、乡镇、村）", "level")
    counts: dict[str, Counter] = {}
    for region, category in visible_files(user).filter(closed_on__isnull=True).values_list("region", "category"):
        counts.setdefault(region[:width], Counter())[category] += 1
    rows = []
    for code in sorted(counts):
        c = counts[code]
        rows.append({"code": code, "name": _place(code), "total": sum(c.values()),
                     **{k: c.get(k, 0) for k, _ in proc.CATEGORIES}})
    return rows


def _place(code: str) -> str:
    try:
        from doudi.relief.services import place_name

        return place_name(code)
    except Exception:  # noqa: BLE001 - a name is a convenience; the code is shown anyway
        return code
