"""The only writers of temporary-assistance cases and of the 救急难 register: one function per act.

Same pattern as doudi.cases and doudi.support: fetch and lock through the access layer (404
outside the areas, 403 without the role), check state and version, one transaction, an event row
and an audit entry per act.
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
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind, User
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import trace_sentences, yuan
from doudi.procedure import steps
from doudi.relief import procedure as proc
from doudi.relief.models import (
    Decision,
    FollowUp,
    HomeNotice,
    Investigation,
    Referral,
    RegisterEntry,
    ReliefCase,
    ReliefEvent,
    Stage,
)
from doudi.relief.procedure import Action, DeadlineKind, ProcedureError, State

PROGRAM = "temporary"


# --- helpers ------------------------------------------------------------------------------------

_today = steps.today
_add_working_days = steps.add_working_days


def due(kind: DeadlineKind, start: dt.date) -> proc.Due:
    return proc.due_for(kind, start, _add_working_days)


def visible_cases(user: Any):
    return access.scope_queryset(user, ReliefCase.objects.select_related("household", "person"), Perm.CASE_VIEW)


def visible_register(user: Any):
    return access.scope_queryset(user, RegisterEntry.objects.select_related("case__household", "case__person"),
                                 Perm.CASE_VIEW)


def visible_notices(user: Any):
    """户籍地通报 to the user's areas (the home township's side)."""
    return access.scope_queryset(user, HomeNotice.objects.select_related("sent_by", "acknowledged_by"), Perm.CASE_VIEW)


def access_case(user: Any, pk: Any, *, reason: str = "") -> ReliefCase:
    case = access.access_object(user, ReliefCase.objects.select_related("household", "person"), pk, Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, case, action="relief.view", reason=reason or "查看临时救助案件")
    return case


def case_perms(user: Any, case: ReliefCase) -> set[str]:
    return steps.case_perms(user, case, proc.Perm)


def _step(user: Any, action: Action, case_id: Any, version: int | None) -> ReliefCase:
    return steps.lock_case(user, ReliefCase, case_id, action, version, proc=proc, error=ProcedureError)


def _move(case: ReliefCase, user: Any, action: Action, to: State | None, on: dt.date, *, reason: str = "",
          figures: dict | None = None, audit_kind: str = AuditKind.STEP) -> ReliefEvent:
    return steps.move(case, user, action, to or case.state_enum, on, event_model=ReliefEvent, prefix="relief",
                      action_names=proc.ACTION_NAMES, state_deadline=proc.STATE_DEADLINE, due=due, reason=reason,
                      figures=figures, audit_kind=audit_kind)


_jsonable = steps.jsonable


def _required(value: Any, field: str, label: str) -> Any:
    return steps.required(value, field, label, ProcedureError)


def to_fen(amount: Any, field: str, label: str) -> int | None:
    """Yuan (at most 2 decimals, not negative, ASCII digits: no 1e5, no full-width digits) as fen;
    None or "" → None (doudi.web.money.fen_or_error)."""
    from doudi.web.money import fen_or_error

    return fen_or_error(amount, field, label, ProcedureError, empty=None)


def _stages(values: Iterable[Any] | None) -> list[int]:
    out = []
    for i, v in enumerate(values or [], 1):
        f = to_fen(v, "stages", f"第{i}次发放金额")
        if f is not None:
            out.append(f)
    return out


# --- the policy core -------------------------------------------------------------------------------

def hardship(case: ReliefCase) -> dict:
    """The household document's `hardship` section for the policy core (TA-1, TA-2, NAT-TA-KINDS)."""
    h: dict[str, Any] = {"kind": case.kind}
    if case.people:
        h["people"] = case.people
    if case.months:
        h["months"] = case.months
    if case.decided_amount_fen is not None:
        h["decided_amount"] = yuan(case.decided_amount_fen)
    if case.reasoning:
        h["reasoning"] = case.reasoning
    return h


def assess_case(case: ReliefCase, on: dt.date) -> tuple[dict, dict, list[dict]]:
    """The policy core's temporary-assistance decision, under the rules of the place of help (NAT-TA-FIRST)."""
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess
    from doudi.policy.show import rows

    policy = current_policy()
    doc = case_document(case, on, extra={"hardship": hardship(case)})
    doc["region"] = case.region
    result = assess(doc, date=on.isoformat(), policy=policy).as_json()
    county = case.region[:6]
    params = [{"name": r.name, "value": None if r.value is None else str(r.value), "unit": unit, "level": r.level,
               "source": r.source, "from": r.start.isoformat() if r.start else None, "placeholder": r.placeholder}
              for r, unit in rows(county, on, residence_of(case), policy=policy)
              if r.name.startswith("temporary.") or r.name == "dibao.standard.urban"]
    return doc, result, params


def residence_of(case: ReliefCase) -> str:
    """城乡类别 the place of help decides by: the case's own, else the household's."""
    return case.residence or case.household.residence


def case_document(case: ReliefCase, on: dt.date, *, extra: dict | None = None) -> dict:
    """The household document the case is decided on.

    From a household the place of help may see: the registry's document. A case handled on the
    person alone (`subject_only`, or a person in no household): one member, the person, with the
    birth date and sex the ID number gives; the other area's household file is never read
    (security.md: only what the case needs). `people` on the case counts those helped (TA-1)."""
    from doudi.registry.documents import deep_merge, household_document, person_entry

    if case.household_shown is not None:
        return household_document(case.household, on, extra=extra)
    doc: dict[str, Any] = {"region": case.region, "residence": residence_of(case), "date": on.isoformat(),
                           "members": [person_entry(case.person, "self")]}
    return deep_merge(doc, extra)


def temporary_result(result: dict) -> dict:
    return (result.get("programs") or {}).get(PROGRAM) or {"eligible": False, "amount": "0.00", "trace": []}


def township_ceiling(case: ReliefCase, on: dt.date) -> tuple[int | None, Any]:
    """NAT-TA-FIRST: the largest grant the township approves itself (policy core `temporary.township_ceiling`)."""
    from doudi.params.store import current_policy

    r = current_policy().resolve("temporary.township_ceiling", case.region[:6], on, residence_of(case))
    return (None if r.value is None else int(Decimal(str(r.value)) * 100)), r


def _bound(name: str, region: str, on: dt.date, residence: str) -> tuple[int | None, str, str]:
    """A money parameter of the place of help: (fen or None, its Chinese label, its source as cited)."""
    from doudi.policy.params import default_policy
    from doudi.policy.wording import cite

    policy = default_policy()
    r = policy.resolve(name, region[:6], on, residence)
    d = policy.defs.get(name)
    label = d.label_or_name if d else name
    return (None if r.value is None else int(Decimal(str(r.value)) * 100)), label, cite(r.source or "", notes=False)


def check_grant(region: str, residence: str, on: dt.date, fen: int | None, field: str, label: str) -> None:
    """TA-3: a typed amount outside the place of help's [temporary.grant.min, temporary.grant.max] is
    refused, the message naming the bound and its source (an unset bound does not apply)."""
    if not fen:
        return
    for name, beyond, word in (("temporary.grant.max", lambda b: fen > b, "高于"),
                               ("temporary.grant.min", lambda b: fen < b, "低于")):
        bound, bound_label, source = _bound(name, region, on, residence)
        if bound is not None and beyond(bound):
            where = f"，{source}" if source else ""
            raise ProcedureError(f"{label} {yuan(fen)} 元{word}{bound_label} {yuan(bound)} 元（TA-3{where}），不能登记", field)


def over_ceiling(case: ReliefCase, on: dt.date, fen: int | None = None) -> str:
    """NAT-TA-FIRST: why an amount above the township's ceiling goes to the county ("" within it or with
    no amount yet); `fen` defaults to the amount decided case by case."""
    fen = case.decided_amount_fen if fen is None else fen
    if not fen:
        return ""
    ceiling, label, source = _bound("temporary.township_ceiling", case.region, on, residence_of(case))
    where = f"，{source}" if source else ""
    if ceiling is None:
        return f"未设定{label}（NAT-TA-FIRST{where}），救助金额 {yuan(fen)} 元须报县级审批"
    if fen > ceiling:
        return f"救助金额 {yuan(fen)} 元超过{label} {yuan(ceiling)} 元（NAT-TA-FIRST{where}），须报县级审批"
    return ""


def _amount_fen(tmp: dict) -> int:
    return int(Decimal(str(tmp.get("amount") or "0")) * 100)


def placeholders_of(case: ReliefCase, params: list[dict]) -> list[str]:
    """The Chinese labels of the placeholder parameters the grant rests on: TA-1's general-hardship
    amount is the local urban 低保 standard × people × months; an amount decided case by case (TA-2)
    rests on no standard."""
    from doudi.procedure.figures import placeholder_labels

    if case.decided_amount_fen is not None:
        return []
    return placeholder_labels(params, ["dibao.standard.urban"])


def proposed_fen(case: ReliefCase) -> int | None:
    """The grant proposed: the amount recorded when the case was helped first or investigated (the
    policy core's figure then, or the amount decided case by case)."""
    event = (case.events.filter(action__in=[Action.INVESTIGATE.value, Action.HELP_FIRST.value])
             .order_by("-id").first())
    amount = (event.figures or {}).get("amount") if event else None
    return None if amount in (None, "") else int(Decimal(str(amount)) * 100)


def current_figures(case: ReliefCase, on: dt.date | None = None) -> dict:
    """The policy core's decision on the case as it stands now, for the township or the county before it
    decides: eligible, the grant (TA-1 for a general hardship), the trace with rule ids, the difference
    from the grant proposed and the placeholder parameters it rests on. Memoised on the case object."""
    from doudi.procedure import figures as fig

    cached = getattr(case, "_current_figures", None)
    if cached is not None:
        return cached
    today = _today(on)
    try:
        _doc, result, params = assess_case(case, today)
    except Exception as exc:  # noqa: BLE001 - a case the core cannot read: say so instead of a traceback
        case._current_figures = fig.problem(exc)
        return case._current_figures
    tmp = temporary_result(result)
    eligible = bool(tmp.get("eligible"))
    fen = _amount_fen(tmp) if eligible else 0
    outcome = f"符合临时救助条件，救助金 {yuan(fen)} 元" if eligible else "不符合临时救助条件"
    case._current_figures = fig.block(
        outcome=outcome, amount_fen=fen, eligible=eligible, summary="", trace=trace_sentences(result, PROGRAM),
        on=today, placeholders=placeholders_of(case, params), proposed_fen=proposed_fen(case),
        proposed_label="先行救助登记时核定救助金" if case.path == proc.Path_.URGENT else "调查时拟定救助金")
    return case._current_figures


# --- opening a case ------------------------------------------------------------------------------------

def _household_for(user: Any, household_id: Any):
    return access.access_household(user, household_id)


def _open(user: Any, household, *, path: str, region: str, kind: str, description: str, state: State,
          on: dt.date, applicant_name: str = "", **fields: Any) -> ReliefCase:
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), region):
        raise PermissionDenied("您的角色不能在该区域登记临时救助")
    if not applicant_name:
        head = household.head
        applicant_name = head.name if head else str(household)
    if path == proc.Path_.URGENT:
        _no_duplicate_urgent(household, fields.get("person"), kind, fields.get("decided_amount_fen"), on, region)
    case = ReliefCase.objects.create(number=f"tmp-{secrets.token_hex(6)}", path=path, household=household,
                                     region=region, applicant_name=applicant_name,
                                     state=state.value, kind=kind, description=description, registered_by=user,
                                     submitted_on=on, **fields)
    case.number = f"LS{region[:6]}{on:%Y}{case.pk:06d}"
    kind_ = proc.STATE_DEADLINE.get(state)
    if kind_:
        d = due(kind_, on)
        case.due_kind, case.due_on, case.due_warning = kind_.value, d.date, d.warning or ""
    case.save()
    return case


def _no_duplicate_urgent(household, person, kind: str, fen: int | None, on: dt.date, region: str) -> None:
    """Two submits of one urgent help (a double click, a retry) open one case: a second urgent case of
    the same household or person, kind and amount registered the same day at the same place of help is
    refused. Two townships helping one person (NAT-TA-FIRST: help where the emergency happens) are two
    cases. The household's (or person's) row is locked first, so that two sessions at the same moment
    cannot both pass."""
    from doudi.registry.models import Household, Person

    if household is not None:
        Household.objects.select_for_update().filter(pk=household.pk).first()
        same = ReliefCase.objects.filter(household=household)
    elif person is not None:
        Person.objects.select_for_update().filter(pk=person.pk).first()
        same = ReliefCase.objects.filter(person=person)
    else:
        return
    dup = same.filter(path=proc.Path_.URGENT, kind=kind, decided_amount_fen=fen, submitted_on=on,
                      region=region).first()
    if dup is not None:
        raise ProcedureError(f"该救助对象今日已登记同类、同金额的急难型先行救助（编号 {dup.number}），请勿重复提交；"
                             "如确属另一次急难，请在已登记的案件中补充说明", "amount")


def _region(region: str | None, household) -> str:
    region = (region or household.region_code).strip()
    from django.core.exceptions import ValidationError

    from doudi.accounts.areas import validate_region_code

    try:
        validate_region_code(region)
    except ValidationError:
        raise ProcedureError("救助地应为有效的区划代码（6、9或12位）", "region") from None
    return region


@transaction.atomic
def help_first(user: Any, *, household_id: Any, kind: str, description: str, simplified_check: str,
               amount: Any, reasoning: str, stages: Iterable[Any] | None = None, people: int | None = None,
               region: str | None = None, on: dt.date | None = None) -> ReliefCase:
    """先行救助 (NAT-TA-FIRST, TA-4): an urgent case is registered with simplified checks and the
    amount decided case by case with its reasoning (TA-2); the paperwork is completed afterwards."""
    household = _household_for(user, household_id)
    today = _today(on)
    place = _region(region, household)
    fields = _urgent_fields(kind=kind, description=description, simplified_check=simplified_check, amount=amount,
                            reasoning=reasoning, stages=stages, people=people, region=place,
                            residence=household.residence, on=today)
    case = _open(user, household, path=proc.Path_.URGENT, region=place, state=State.URGENT,
                 on=today, **fields)
    _helped_first(user, case, today)
    return case


def _place_of_help(user: Any, region: str | None) -> str:
    """急难发生地: the region given (inside the user's areas, checked when the case opens), else the
    user's one area of acceptance."""
    if (region or "").strip():
        return _region(region, None)
    areas = sorted(access.areas_of(user, Perm.CASE_ACCEPT))
    if len(areas) != 1:
        raise ProcedureError("请填写急难发生地（救助地）区划代码", "region")
    return areas[0]


def _valid_id_number(id_number: Any) -> str:
    """The ID number checked with doudi.policy.identity (GB 11643); the error names the field in Chinese."""
    from django.core.exceptions import ValidationError

    from doudi.registry.models import validate_id_number

    number = str(id_number or "").strip().upper()
    if not number:
        raise ProcedureError("请填写救助对象的身份证号", "id_number")
    try:
        validate_id_number(number)
    except ValidationError as exc:
        raise ProcedureError(f"{exc.messages[0]}（收到「{number}」）", "id_number") from None
    return number


NAME_MISMATCH = "身份证号与姓名不一致，请核对救助对象的身份证件"


def find_person(user: Any, *, id_number: Any, name: str, region: str) -> Any:
    """The registry's person with this ID number and name, registered now (as a person in no
    household, as the registry does for relatives living elsewhere) if the registry has none.

    Only a matching name links the case to a registered person; a name that does not match is
    refused without saying the registered one. Each lookup is written to the audit log, in the
    area of the person's household (that area's auditors see who looked), or the place of help."""
    from django.core.exceptions import ValidationError

    from doudi.registry.models import Person
    from doudi.registry.services import find_or_register_person

    number = _valid_id_number(id_number)
    name = _required(name, "name", "救助对象姓名")
    person = Person.objects.filter(id_number=number).first()
    found = person is not None
    if found and person.name != name:  # the registered name is not said
        raise ProcedureError(NAME_MISMATCH, "name")
    if not found:
        try:
            person = find_or_register_person(number, name)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            if field == "name":  # registered meanwhile under another name: the registered name is not said
                raise ProcedureError(NAME_MISMATCH, "name") from None
            raise ProcedureError(messages[0], "id_number") from None
    audit.record(user, AuditKind.READ, person, action="relief.person_lookup", area=person.area_code or region,
                 reason="急难型临时救助：按身份证号查找救助对象",
                 detail={"found": found, "place_of_help": region})
    return person


@transaction.atomic
def help_first_person(user: Any, *, id_number: str, name: str, kind: str, description: str, simplified_check: str,
                      amount: Any, reasoning: str, home_region: str = "", residence: str = "",
                      stages: Iterable[Any] | None = None, people: int | None = None, region: str | None = None,
                      on: dt.date | None = None) -> ReliefCase:
    """先行救助 where the emergency happens, regardless of household registration (NAT-TA-FIRST).

    The caseworker names the person by ID number and name. A person whose household the user may
    see is helped on that household as by `help_first`; a person registered elsewhere is linked
    to the registry's person and household without opening that household's file to the user
    (`subject_only`); a person not in the registry is registered as a person in no household.
    The case belongs to the place of help (`region`): its approver, its ceiling, its payments.
    The household registration (户籍地) is recorded: the household's, else `home_region` as given."""
    from django.core.exceptions import ValidationError

    from doudi.accounts.areas import validate_region_code
    from doudi.registry.models import Residence

    today = _today(on)
    place = _place_of_help(user, region)
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), place):
        raise PermissionDenied("您的角色不能在该区域登记临时救助")
    fields = _urgent_fields(kind=kind, description=description, simplified_check=simplified_check, amount=amount,
                            reasoning=reasoning, stages=stages, people=people)
    home_region = (home_region or "").strip()
    if home_region:
        try:
            validate_region_code(home_region)
        except ValidationError as exc:
            raise ProcedureError(f"户籍地{exc.messages[0]}", "home_region") from None
    if residence and residence not in Residence.values:
        raise ProcedureError("城乡类别应为城镇或农村", "residence")
    person = find_person(user, id_number=id_number, name=name, region=place)
    membership = person.current_membership()
    household = membership.household if membership else None
    shared = household is not None and access.can(user, Perm.HOUSEHOLD_VIEW, household)
    if household is not None:
        home_region = home_region or household.region_code[:9]
        residence = residence or household.residence
    if not home_region:
        raise ProcedureError("此人未在系统中登记家庭，请填写户籍地区划代码（以户口簿为准）", "home_region")
    if not residence:
        raise ProcedureError("请选择城乡类别（城镇或农村）", "residence")
    check_grant(place, residence, today, fields["decided_amount_fen"], "amount", "救助金额")
    case = _open(user, household, path=proc.Path_.URGENT, region=place, state=State.URGENT, on=today,
                 applicant_name=person.name, person=person, home_region=home_region,
                 residence="" if shared else residence, subject_only=not shared, **fields)
    _helped_first(user, case, today, detail={"person": person.masked_id, "home_region": home_region,
                                             "registered": "household" if household else "person",
                                             "household_shared": shared})
    return case


def place_name(code: str) -> str:
    """A region code with its name: 甘肃省白银市会宁县会师镇（620422100）; the code alone when the
    region list does not know it."""
    from doudi.accounts.areas import full_region_name

    name = full_region_name(code) if code else ""
    return f"{name}（{code}）" if name and name != code else code


def home_area(case: ReliefCase) -> str:
    """Where the home township is told: the registry household's region, else the 户籍地 recorded."""
    return case.household.region_code if case.household_id else case.home_region


def away_from_home(case: ReliefCase) -> bool:
    """Whether the person's home lies outside the helping township (the home township is then told)."""
    home = home_area(case)
    return bool(case.person_id and home and not access.in_area([case.region[:9]], home))


def _notify_home(user: Any, case: ReliefCase, today: dt.date, kind: str, text: str) -> HomeNotice:
    """户籍地通报: a record the home township sees in its worklist (not the case, which stays here);
    the caller has checked that the person's home is elsewhere (away_from_home)."""
    person = case.person
    n = HomeNotice.objects.create(case=case, region=home_area(case), kind=kind, person_name=person.name,
                                  masked_id=person.masked_id, helped_in=case.region, text=text, sent_on=today,
                                  sent_by=user, due_on=due(DeadlineKind.HOME_NOTICE, today).date)
    audit.record(user, AuditKind.STEP, n, action="relief.home_notice", area=case.region,
                 reason=f"{n.get_kind_display()}：{case.number}",
                 detail={"case": case.number, "helped_in": case.region})
    return n


def _help_notice_text(case: ReliefCase, d: Decision, plan: list[int]) -> str:
    return (f"{case.person.name}（身份证号 {case.person.masked_id}）在 {place_name(case.region)} 遭遇"
            f"{proc.KIND_NAMES[case.kind]}，"
            f"已由急难发生地于 {d.decided_on} 批准临时救助 {yuan(d.amount_fen)} 元，分 {len(plan)} 次发放"
            f"（案件 {case.number}）。请户籍地乡镇知悉，核实家庭情况，需要时纳入低保、特困等常态救助。")


def _urgent_fields(*, kind: str, description: str, simplified_check: str, amount: Any, reasoning: str,
                   stages: Iterable[Any] | None, people: int | None, region: str | None = None,
                   residence: str = "", on: dt.date | None = None) -> dict:
    """What an urgent case is registered with (NAT-TA-FIRST, TA-2), checked; each error names its field;
    the amount within the TA-3 bounds of the place of help (`region`; checked by the caller without it)."""
    if kind not in proc.MAJOR_KINDS:
        raise ProcedureError("急难型临时救助的困难类型应为火灾、交通事故、突患重大疾病、自然灾害或其他重大生活困难", "kind")
    fen = to_fen(amount, "amount", "救助金额")
    if not fen:
        raise ProcedureError("请填写一事一议核定的救助金额（元）", "amount")
    if region is not None:
        check_grant(region, residence, _today(on), fen, "amount", "救助金额")
    plan = proc.split_stages(fen, _stages(stages))
    return {"kind": kind, "description": _required(description, "description", "困难情形"),
            "simplified_check": _required(simplified_check, "simplified_check", "简化核查情况"),
            "decided_amount_fen": fen, "reasoning": _required(reasoning, "reasoning", "一事一议的理由"),
            "stages_fen": plan, "people": people or None}


def _helped_first(user: Any, case: ReliefCase, today: dt.date, detail: dict | None = None) -> None:
    """The help_first event (with the policy core's view of the amount) and its audit entry."""
    fen, plan = case.decided_amount_fen, case.stages_fen
    _doc, result, _p = assess_case(case, today)
    tmp = temporary_result(result)
    ReliefEvent.objects.create(case=case, action=Action.HELP_FIRST.value, from_state="", to_state=State.URGENT.value,
                               actor=user, at=timezone.now(), on_date=today, reason=case.simplified_check,
                               figures=_jsonable({"amount": yuan(fen), "stages": [yuan(s) for s in plan],
                                                  "policy_amount": tmp.get("amount"), "eligible": tmp.get("eligible")}))
    audit.record(user, AuditKind.STEP, case, action="relief.help_first", reason="急难型临时救助先行登记",
                 detail=detail)


@transaction.atomic
def submit(user: Any, *, household_id: Any, description: str, kind: str = "general", region: str | None = None,
           on: dt.date | None = None) -> ReliefCase:
    """登记申请 on the normal path (支出型: medical or schooling spending beyond the household's means)."""
    household = _household_for(user, household_id)
    if kind not in proc.KIND_NAMES:
        raise ProcedureError("请选择困难类型", "kind")
    today = _today(on)
    case = _open(user, household, path=proc.Path_.NORMAL, region=_region(region, household), kind=kind,
                 description=_required(description, "description", "困难情形"), state=State.SUBMITTED, on=today)
    ReliefEvent.objects.create(case=case, action=Action.SUBMIT.value, from_state="", to_state=State.SUBMITTED.value,
                               actor=user, at=timezone.now(), on_date=today, reason=case.description)
    audit.record(user, AuditKind.STEP, case, action="relief.submit", reason="登记临时救助申请")
    return case


@transaction.atomic
def accept(user: Any, case_id: Any, *, version: int | None = None, on: dt.date | None = None) -> ReliefCase:
    case = _step(user, Action.ACCEPT, case_id, version)
    _move(case, user, Action.ACCEPT, State.ACCEPTED, _today(on), reason="受理临时救助申请")
    return case


def _investigators(user: Any, case: ReliefCase, ids: Iterable[Any]) -> list[User]:
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


def _record_investigation(user: Any, case: ReliefCase, *, visited_on: dt.date, findings: str, signed_by_family: bool,
                          authorisation: bool, investigators: Iterable[Any], after_help: bool,
                          today: dt.date) -> Investigation:
    if visited_on is None or visited_on > today:
        raise ProcedureError("调查日期不能晚于今天", "visited_on")
    if not signed_by_family:
        raise ProcedureError("调查表须由申请人签字确认", "signed_by_family")
    if not authorisation:
        raise ProcedureError("须签署家庭经济状况核对授权书", "authorisation")
    people = _investigators(user, case, investigators)
    inv = Investigation.objects.create(case=case, visited_on=visited_on,
                                       findings=_required(findings, "findings", "调查情况"),
                                       signed_by_family=True, authorisation=True,
                                       household_document=case_document(case, today),
                                       after_help=after_help, recorded_by=user, recorded_at=timezone.now())
    inv.investigators.set(people)
    return inv


@transaction.atomic
def investigate(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, people: int | None = None,
                months: int | None = None, amount: Any = None, reasoning: str = "", stages: Iterable[Any] | None = None,
                signed_by_family: bool = False, authorisation: bool = False, investigators: Iterable[Any] = (),
                version: int | None = None, on: dt.date | None = None) -> Investigation:
    """入户调查 on the normal path: the hardship's people and months (TA-1) or a case-by-case amount
    with its reasoning (TA-2, NAT-TA-AMOUNT)."""
    case = _step(user, Action.INVESTIGATE, case_id, version)
    today = _today(on)
    fen = to_fen(amount, "amount", "核定救助金额")
    if fen is not None and not (reasoning or "").strip():
        raise ProcedureError("一事一议核定金额须记录理由", "reasoning")
    check_grant(case.region, residence_of(case), today, fen, "amount", "核定救助金额")
    case.people, case.months = people or None, months or None
    case.decided_amount_fen, case.reasoning = fen, (reasoning or "").strip()
    case.stages_fen = _stages(stages)
    inv = _record_investigation(user, case, visited_on=visited_on, findings=findings, signed_by_family=signed_by_family,
                                authorisation=authorisation, investigators=investigators, after_help=False,
                                today=today)
    case.paperwork_done_on = today
    _doc, result, _p = assess_case(case, today)
    tmp = temporary_result(result)
    _move(case, user, Action.INVESTIGATE, State.INVESTIGATED, today, reason=inv.findings,
          figures={"people": people, "months": months, "amount": tmp.get("amount"), "eligible": tmp.get("eligible")})
    return inv


# --- the one approval (NAT-TA-FIRST) -----------------------------------------------------------------

def took_part(user: Any, case: ReliefCase, investigated: set[int] | None = None) -> str:
    """Four eyes: whoever registered the urgent help or investigated does not approve. `investigated`:
    `_investigated` of a list of cases already read (the worklist's), else read for this case."""
    if case.registered_by_id == user.pk and case.path == proc.Path_.URGENT:
        return "您登记了本案的先行救助，不能审批本案"
    if case.pk in (_investigated(user, [case.pk]) if investigated is None else investigated):
        return "您参与了本案的入户调查，不能审批本案"
    return ""


def _investigated(user: Any, case_ids: list[int]) -> set[int]:
    """Those of the cases whose home investigation the user took part in or recorded (one query)."""
    if not case_ids:
        return set()
    return set(Investigation.objects.filter(Q(investigators=user) | Q(recorded_by=user), case_id__in=case_ids)
               .values_list("case_id", flat=True))


def _level(user: Any, case: ReliefCase, amount_fen: int, on: dt.date) -> tuple[str, int | None]:
    """Township within the ceiling, else county; refused when the user's level may not approve this amount."""
    ceiling, _r = township_ceiling(case, on)
    if access.in_area(access.areas_of(user, Perm.CASE_APPROVE), case.region):
        return Decision.Level.COUNTY, ceiling
    why = over_ceiling(case, on, amount_fen)
    if why:
        raise PermissionDenied(why)
    return Decision.Level.TOWNSHIP, ceiling


@transaction.atomic
def approve(user: Any, case_id: Any, *, opinion: str = "", version: int | None = None,
            on: dt.date | None = None, confirm_placeholder: bool | None = None) -> Decision:
    """批准: one approval, paid in stages; the township within its ceiling, the county above it.
    `confirm_placeholder` (forms.ApproveForm): when the grant rests on a placeholder parameter, False
    refuses the approval and True is recorded in the event with the labels; None (batch, tests) records nothing."""
    case = _step(user, Action.APPROVE, case_id, version)
    why = took_part(user, case)
    if why:
        raise PermissionDenied(why)
    today = _today(on)
    doc, result, params = assess_case(case, today)
    tmp = temporary_result(result)
    if not tmp.get("eligible"):
        last = (tmp.get("trace") or [{}])[-1].get("detail", "")
        raise ProcedureError(f"政策核算结果为不予临时救助：{last}", "outcome")
    fen = _amount_fen(tmp)
    level, ceiling = _level(user, case, fen, today)
    placeholders = placeholders_of(case, params)
    if placeholders and confirm_placeholder is False:
        from doudi.procedure.figures import refusal

        raise ProcedureError(refusal(placeholders), "confirm_placeholder")
    confirmed = placeholders if placeholders and confirm_placeholder else []
    plan = proc.split_stages(fen, list(case.stages_fen or []))
    d = Decision.objects.create(case=case, outcome=Decision.Outcome.APPROVED, level=level, decided_by=user,
                                decided_on=today, amount_fen=fen, ceiling_fen=ceiling, assessment=result,
                                parameters=params, household_document=doc, reasons=opinion.strip())
    for i, amount in enumerate(plan, 1):
        Stage.objects.create(case=case, seq=i, amount_fen=amount)
    case.stages_fen = plan
    if case.path == proc.Path_.URGENT and not case.paperwork_done_on:
        p = due(DeadlineKind.PAPERWORK, today)
        case.paperwork_due_on, case.paperwork_due_warning = p.date, p.warning or ""
        _open_register_entry(case, today)
    benefit = _start_benefit(user, case, d, plan)
    notice = (_notify_home(user, case, today, HomeNotice.Kind.HELP, _help_notice_text(case, d, plan))
              if away_from_home(case) else None)
    _move(case, user, Action.APPROVE, State.PAYING, today, reason=opinion.strip() or "批准临时救助",
          figures={"amount": yuan(fen), "level": level, "ceiling": None if ceiling is None else yuan(ceiling),
                   "stages": [yuan(s) for s in plan], "benefit": benefit,
                   "home_notice": f"已通报户籍地 {place_name(notice.region[:9])}" if notice else "",
                   **({"confirmed_placeholders": confirmed} if confirmed else {})}, audit_kind=AuditKind.DECISION)
    return d


# --- doudi.benefits: the one-off benefit and its paid stages ------------------------------------------

def _benefits() -> Any:
    """doudi.benefits.services when that app is installed, else None."""
    try:
        return importlib.import_module("doudi.benefits.services")
    except ImportError:
        return None


def _benefit_call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """A benefits service inside this transaction; its refusal (BenefitError, a ValueError naming
    the field) becomes this procedure's error, so the whole step is undone and the form shows it."""
    try:
        return fn(*args, **kwargs)
    except ValueError as exc:
        raise ProcedureError(f"待遇：{getattr(exc, 'message', exc)}", getattr(exc, "field", "__all__")) from None


def _start(module: Any, user: Any, case: ReliefCase, d: Decision, plan: list[int]) -> Any:
    """The one-off benefit of the case: of the household helped, or of the person helped (a case
    opened by ID number: ``person`` named, with his household if the registry has one, without
    any for a person in no household)."""
    return _benefit_call(module.start_benefit, user, household=case.household, person=case.person, program=PROGRAM,
                         amount_fen=d.amount_fen, start_month=d.decided_on.replace(day=1), assessment=d.assessment,
                         parameters=d.parameters, household_document=d.household_document, decision=d,
                         region=case.region, stages_fen=plan, on=d.decided_on)


def _start_benefit(user: Any, case: ReliefCase, d: Decision, plan: list[int]) -> str:
    """The approval starts a one-off temporary-assistance benefit (period once) with the plan of
    stages, in this transaction; each paid stage is then recorded there (payment history, fraud
    recovery, NAT-DB-FRAUD), for a person in no household as for a household."""
    module = _benefits()
    if module is None:
        return ""
    benefit = _start(module, user, case, d, plan)
    return f"待遇已建立（编号 {benefit.pk}），一次性救助 {yuan(d.amount_fen)} 元，分 {len(plan)} 次发放"


def _payable(case: ReliefCase) -> bool:
    """Whether the case's benefit still takes payments (not once fraud recovery has stopped it)."""
    module = _benefits()
    benefit = module.benefit_of(case.decision) if module is not None else None
    return benefit is None or benefit.live


def _on_roll(case: ReliefCase, stage: Stage) -> bool:
    """Whether the stage is on a payments roll already (then it is paid there, not ticked here)."""
    module = _benefits()
    benefit = module.benefit_of(case.decision) if module is not None else None
    return benefit is not None and bool(module.stage_hold(benefit, stage.seq, by="hand"))


def _record_payment(user: Any, case: ReliefCase, stage: Stage, today: dt.date) -> str:
    """NAT-TA-FIRST: the paid stage as a payment of the case's benefit (started by the system for a
    case approved before benefits were wired)."""
    module = _benefits()
    if module is None:
        return ""
    d = case.decision
    benefit = module.benefit_of(d) or _start(module, None, case, d, list(case.stages_fen or []))
    _benefit_call(module.record_payment, user, benefit, amount_fen=stage.amount_fen, paid_on=stage.paid_on,
                  stage=stage.seq, reasons=f"临时救助 {case.number} 第{stage.seq}次发放",
                  source=f"relief.stage#{stage.pk}", on=today)
    return f"已记入待遇（编号 {benefit.pk}）发放记录"


def _case_of(benefit: Any, *, lock: bool = False) -> ReliefCase | None:
    """The case whose approval started ``benefit`` (None for a benefit of another procedure)."""
    if benefit.decision_app != Decision._meta.app_label or benefit.decision_model != Decision._meta.model_name:
        return None
    qs = ReliefCase.objects.select_for_update() if lock else ReliefCase.objects.all()
    return qs.filter(decision__pk=benefit.decision_pk).first()


def _hold_stage(sender: Any, benefit: Any, stage: int, by: str, **kwargs: Any) -> None:
    """Receiver of doudi.benefits.signals.stage_check: on the urgent path a later stage waits until the
    paperwork is completed (NAT-TA-FIRST), whoever pays it (the worklist or a payments roll)."""
    case = _case_of(benefit)
    if case is not None and stage > 1 and case.path == proc.Path_.URGENT and not case.paperwork_done_on:
        from doudi.benefits.reckon import BenefitError

        raise BenefitError(f"先行救助的审核审批手续尚未补齐（期限 {case.paperwork_due_on}），第{stage}次发放须待手续补齐",
                           "paperwork")


def _stage_paid(sender: Any, benefit: Any, stage: int, amount_fen: int, paid_on: dt.date, source: str, user: Any,
                on: dt.date, **kwargs: Any) -> None:
    """Receiver of doudi.benefits.signals.stage_paid: a stage of the case paid through a payments roll
    (社会化发放) is marked paid as ``pay_stage`` marks it, and the case closes after the last one."""
    if not source.startswith("payments."):
        return  # pay_stage's own payment: marked there
    case = _case_of(benefit, lock=True)
    if case is None:
        return
    row = case.stages.select_for_update().filter(seq=stage, paid_on__isnull=True).first()
    if row is None:
        return
    row.paid_on, row.paid_by = paid_on, user
    row.save()
    left = case.stages.filter(paid_on__isnull=True).count()
    if case.state_enum is State.PAYING:
        to = State.CLOSED if left == 0 and case.paperwork_done_on else None
        _move(case, user, Action.PAY_STAGE, to, on, reason=f"第{stage}次 {yuan(amount_fen)} 元经发放花名册发放",
              figures={"seq": stage, "amount": yuan(amount_fen), "left": left, "roll": source})


@transaction.atomic
def refuse(user: Any, case_id: Any, *, reasons: str, version: int | None = None,
           on: dt.date | None = None) -> Decision:
    case = _step(user, Action.REFUSE, case_id, version)
    why = took_part(user, case)
    if why:
        raise PermissionDenied(why)
    _required(reasons, "reasons", "不予救助的理由")
    today = _today(on)
    doc, result, params = assess_case(case, today)
    level = (Decision.Level.COUNTY if access.in_area(access.areas_of(user, Perm.CASE_APPROVE), case.region)
             else Decision.Level.TOWNSHIP)
    d3 = due(DeadlineKind.REFUSAL_NOTICE, today)
    d = Decision.objects.create(case=case, outcome=Decision.Outcome.REFUSED, level=level, decided_by=user,
                                decided_on=today, assessment=result, parameters=params, household_document=doc,
                                reasons=reasons.strip(), notice_due_on=d3.date)
    _move(case, user, Action.REFUSE, State.REFUSED, today, reason=reasons.strip(), figures={"notice_due": d3.date},
          audit_kind=AuditKind.DECISION)
    return d


@transaction.atomic
def notify_refusal(user: Any, case_id: Any, *, notified_on: dt.date, version: int | None = None,
                   on: dt.date | None = None) -> Decision:
    case = _step(user, Action.NOTIFY_REFUSAL, case_id, version)
    d = case.decision
    if notified_on is None or notified_on < d.decided_on:
        raise ProcedureError("告知日期不能早于决定日期", "notified_on")
    d.notified_on = notified_on
    d.save()
    _move(case, user, Action.NOTIFY_REFUSAL, State.REFUSAL_NOTIFIED, _today(on), reason="已书面告知不予救助及理由",
          figures={"notified_on": notified_on, "late": bool(d.notice_due_on and notified_on > d.notice_due_on)})
    return d


@transaction.atomic
def pay_stage(user: Any, case_id: Any, *, paid_on: dt.date | None = None, version: int | None = None,
              on: dt.date | None = None) -> Stage:
    """分次发放: the next stage of the one approval. On the urgent path the first stage is paid at once;
    later stages wait until the paperwork is completed (NAT-TA-FIRST)."""
    case = _step(user, Action.PAY_STAGE, case_id, version)
    today = _today(on)
    stage = case.stages.select_for_update().filter(paid_on__isnull=True).order_by("seq").first()
    if stage is None:
        raise ProcedureError("各次救助金均已发放", "paid_on")
    if stage.seq > 1 and not case.paperwork_done_on:
        raise ProcedureError(f"先行救助的审核审批手续尚未补齐（期限 {case.paperwork_due_on}），第{stage.seq}次发放须待手续补齐",
                             "paperwork")
    stage.paid_on, stage.paid_by = paid_on or today, user
    stage.save()
    benefit = _record_payment(user, case, stage, today)
    left = case.stages.filter(paid_on__isnull=True).count()
    to = State.CLOSED if left == 0 and case.paperwork_done_on else None
    _move(case, user, Action.PAY_STAGE, to, today, reason=f"第{stage.seq}次发放 {yuan(stage.amount_fen)} 元",
          figures={"seq": stage.seq, "amount": yuan(stage.amount_fen), "left": left, "benefit": benefit})
    return stage


@transaction.atomic
def complete_paperwork(user: Any, case_id: Any, *, visited_on: dt.date, findings: str, signed_by_family: bool = False,
                       authorisation: bool = False, investigators: Iterable[Any] = (), version: int | None = None,
                       on: dt.date | None = None) -> Investigation:
    """补齐手续 after the urgent help: the full investigation form, signed, with the authorisation."""
    case = _step(user, Action.COMPLETE_PAPERWORK, case_id, version)
    if case.path != proc.Path_.URGENT:
        raise ProcedureError("只有先行救助的案件需要补齐手续", "findings")
    if case.paperwork_done_on:
        raise ProcedureError("手续已经补齐", "findings")
    today = _today(on)
    inv = _record_investigation(user, case, visited_on=visited_on, findings=findings, signed_by_family=signed_by_family,
                                authorisation=authorisation, investigators=investigators, after_help=True, today=today)
    case.paperwork_done_on = today
    late = bool(case.paperwork_due_on and today > case.paperwork_due_on)
    paid_all = case.state_enum is State.PAYING and not case.stages.filter(paid_on__isnull=True).exists()
    _move(case, user, Action.COMPLETE_PAPERWORK, State.CLOSED if paid_all else None, today, reason=inv.findings,
          figures={"late": late, "due": case.paperwork_due_on})
    return inv


@transaction.atomic
def withdraw(user: Any, case_id: Any, *, reason: str, version: int | None = None,
             on: dt.date | None = None) -> ReliefCase:
    case = _step(user, Action.WITHDRAW, case_id, version)
    _move(case, user, Action.WITHDRAW, State.WITHDRAWN, _today(on), reason=_required(reason, "reason", "撤回原因"))
    return case


# --- referral onward (TA-4) ------------------------------------------------------------------------

@transaction.atomic
def refer(user: Any, case_id: Any, *, to: str, note: str = "", version: int | None = None,
          on: dt.date | None = None) -> Referral:
    """转介 (TA-4): onward to 低保, 特困, disaster, education, housing or employment assistance;
    where the one window handles that program a request is registered there (PR-1)."""
    case = _step(user, Action.REFER, case_id, None)
    if to not in proc.REFERRAL_NAMES:
        raise ProcedureError("请选择转介的救助项目", "to")
    today = _today(on)
    if case.referrals.filter(to=to).exists():
        raise ProcedureError(f"已转介{proc.REFERRAL_NAMES[to]}", "to")
    window_id, notice = None, None
    program = proc.WINDOW_PROGRAM.get(to)
    if program and away_from_home(case):
        # 低保, 特困 … are applied for where the household is registered: the home township is told.
        notice = _notify_home(user, case, today, HomeNotice.Kind.REFERRAL,
                              f"{case.person.name}（身份证号 {case.person.masked_id}）经急难发生地 {place_name(case.region)} "
                              f"临时救助（案件 {case.number}）后转介{proc.REFERRAL_NAMES[to]}：{(note or '').strip()}。"
                              "请户籍地乡镇受理或联系救助对象。")
    elif program:
        from doudi.cases.services import register_request

        shown = case.household_shown
        req = register_request(user, region=shown.region_code if shown else case.region,
                               applicant_name=case.applicant_name, program=program,
                               household_id=shown.pk if shown else None,
                               applicant_id_number=case.person.id_number if case.person_id and not shown else "",
                               on=today, description=f"临时救助 {case.number} 转介：{(note or '').strip()}")
        window_id = req.pk
    r = Referral.objects.create(case=case, to=to, note=(note or "").strip(), window_request_id=window_id,
                                referred_by=user, referred_on=today)
    where = (f"（一门受理登记 {window_id}）" if window_id else f"（通报户籍地 {place_name(notice.region[:9])}）" if notice
             else "（移交应急管理等部门）")
    _move(case, user, Action.REFER, None, today, reason=f"转介{proc.REFERRAL_NAMES[to]}{where}",
          figures={"to": to, "window_request": window_id, "home_notice": notice.pk if notice else None})
    return r


# --- the 救急难 register (TA-6) ------------------------------------------------------------------------

def _open_register_entry(case: ReliefCase, on: dt.date) -> RegisterEntry:
    entry, _ = RegisterEntry.objects.get_or_create(case=case, defaults={
        "region": case.region, "person_name": case.applicant_name,
        "situation": f"{proc.KIND_NAMES[case.kind]}：{case.description}", "opened_on": on,
        "next_follow_up_on": due(DeadlineKind.FOLLOW_UP, on).date})
    return entry


def _lock_row(user: Any, model: type, pk: Any, missing: str, refused: str) -> Any:
    """A register entry or home notice, locked, if it lies in the user's areas (404 ``missing``
    otherwise) and the user may act there (case.accept; 403 ``refused`` otherwise)."""
    try:
        row = access.scope_queryset(user, model.objects.select_for_update(), Perm.CASE_VIEW).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404(missing) from None
    if not access.in_area(access.areas_of(user, Perm.CASE_ACCEPT), row.region):
        raise PermissionDenied(refused)
    return row


def _same_version(row: Any, version: Any, stale: str) -> None:
    """The version the form was shown with (an empty one: none) is still the row's."""
    if version not in (None, "") and int(version) != row.version:
        raise ProcedureError(stale, "version")


@transaction.atomic
def follow_up(user: Any, entry_id: Any, *, situation: str, action_taken: str = "", on_date: dt.date | None = None,
              close: bool = False, closing_note: str = "", version: int | None = None) -> FollowUp:
    """跟踪回访 (TA-6): the situation as it changes; the next follow-up scheduled, or the entry closed."""
    entry = _lock_row(user, RegisterEntry, entry_id, "未找到该台账记录，或不在您的辖区内", "您的角色不能登记跟踪回访")
    if entry.closed_on:
        raise ProcedureError("该台账记录已销号", "situation")
    _same_version(entry, version, "台账已被他人更新，请刷新页面后重试")
    today = on_date or timezone.localdate()
    f = FollowUp.objects.create(entry=entry, on_date=today, situation=_required(situation, "situation", "当前状况"),
                                action_taken=(action_taken or "").strip(), recorded_by=user)
    if close:
        entry.closed_on, entry.closing_note = today, _required(closing_note, "closing_note", "销号说明")
        entry.next_follow_up_on = None
    else:
        entry.next_follow_up_on = due(DeadlineKind.FOLLOW_UP, today).date
    entry.version += 1
    entry.save()
    audit.record(user, AuditKind.STEP, entry, action="relief.follow_up", reason=f.situation,
                 detail={"closed": bool(close), "next": entry.next_follow_up_on.isoformat() if entry.next_follow_up_on else None})
    return f


# --- 户籍地通报: the home township's side -----------------------------------------------------------

@transaction.atomic
def acknowledge_notice(user: Any, notice_id: Any, *, reply: str, version: int | None = None,
                       on: dt.date | None = None) -> HomeNotice:
    """户籍地知悉: the home township records that it took note of help given elsewhere and what it
    will do; the helping township sees the reply on its case."""
    n = _lock_row(user, HomeNotice, notice_id, "未找到该户籍地通报，或不在您的辖区内", "您的角色不能办理户籍地通报")
    if n.acknowledged_on:
        raise ProcedureError("该通报已经办理", "reply")
    _same_version(n, version, "通报已被他人办理，请刷新页面后重试")
    n.reply = _required(reply, "reply", "户籍地处理情况")
    n.acknowledged_on, n.acknowledged_by = _today(on), user
    n.version += 1
    n.save()
    audit.record(user, AuditKind.STEP, n, action="relief.home_notice.acknowledge", reason=n.reply,
                 detail={"case": n.case.number})
    return n


# --- the worklist ------------------------------------------------------------------------------------

SIDE_STEPS = {Action.REFER, Action.WITHDRAW, Action.COMPLETE_PAPERWORK}  # not what the state's deadline is for
DECIDE = {Action.APPROVE, Action.REFUSE}  # four eyes: not whoever registered the urgent help or investigated


def worklist_items(user: Any, today: dt.date | None = None) -> list[dict]:
    """Steps due on temporary-assistance cases, paperwork after urgent help, register follow-ups."""
    from django.urls import reverse

    if not steps.acts_anywhere(user, proc.Perm):  # no step, notice or follow-up is the user's anywhere
        return []
    today = _today(today)
    out = []
    cases = list(visible_cases(user).exclude(state__in=[s.value for s in proc.FINAL_STATES]))
    perms_of = {c.pk: case_perms(user, c) for c in cases}
    # took_part's investigations, for all the cases the user would decide in one query
    deciding = [c.pk for c in cases if c.due_on and DECIDE & set(proc.allowed_actions(c.state_enum, perms_of[c.pk]))]
    investigated = _investigated(user, deciding)

    paying = [c.pk for c in cases if c.state_enum is State.PAYING and perms_of[c.pk] & {Perm.PAYMENT_MANAGE,
                                                                                           Perm.CASE_ACCEPT}]
    next_stage: dict[int, Stage] = {}  # each paying case's first unpaid stage, for all of them in one query
    for st in Stage.objects.filter(case_id__in=paying, paid_on__isnull=True).order_by("case_id", "-seq") if paying else ():
        next_stage[st.case_id] = st  # the last written is the lowest seq
    for case in cases:
        perms = perms_of[case.pk]
        url = reverse("relief:case_detail", args=[case.pk])
        if case.due_on and steps.worklist_steps(proc.allowed_actions(case.state_enum, perms), SIDE_STEPS, DECIDE,
                                                lambda case=case, perms=perms: not took_part(user, case, investigated)
                                                and (Perm.CASE_APPROVE in perms or not over_ceiling(case, today))):
            out.append(_item(case.due_on, case.due_warning, f"{case.number} {case.state_name}", url, case, today,
                             proc.DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else ""))
        if case.paperwork_due_on and not case.paperwork_done_on and Perm.CASE_INVESTIGATE in perms:
            out.append(_item(case.paperwork_due_on, case.paperwork_due_warning, f"{case.number} 补齐手续", url, case,
                             today, proc.DEADLINE_NAMES[DeadlineKind.PAPERWORK]))
        if case.state_enum is State.PAYING and (perms & {Perm.PAYMENT_MANAGE, Perm.CASE_ACCEPT}):
            nxt = next_stage.get(case.pk)
            if nxt and (nxt.seq == 1 or case.paperwork_done_on) and _payable(case) and not _on_roll(case, nxt):
                out.append(_item(case.decision.decided_on, "", f"{case.number} 第{nxt.seq}次发放 {yuan(nxt.amount_fen)} 元",
                                 url, case, today, "分次发放"))
    if not access.areas_of(user, Perm.CASE_ACCEPT):  # home notices and follow-ups are a township's
        return sorted(_households(out), key=lambda i: (i["deadline"], i["title"]))
    notices = reverse("relief:notices")
    accept = access.area_q(user, Perm.CASE_ACCEPT, "region")  # what the user may act on, in the query
    for n in visible_notices(user).filter(accept, acknowledged_on__isnull=True):
        out.append({"deadline": n.due_on, "warning": "", "title": f"{n.get_kind_display()}：{n.person_name}",
                    "what": proc.DEADLINE_NAMES[DeadlineKind.HOME_NOTICE], "url": f"{notices}#notice-{n.pk}",
                    "household": f"{n.person_name}（{n.masked_id}）", "state": "待户籍地知悉",
                    "overdue": n.due_on < today, "due_today": n.due_on == today})
    reg = reverse("relief:register")
    for e in visible_register(user).filter(accept, closed_on__isnull=True, next_follow_up_on__isnull=False):
        out.append(_item(e.next_follow_up_on, "", f"{e.person_name} 救急难跟踪回访", f"{reg}#entry-{e.pk}",
                         e.case, today, proc.DEADLINE_NAMES[DeadlineKind.FOLLOW_UP]))
    return sorted(_households(out), key=lambda i: (i["deadline"], i["title"]))


def _households(items: list[dict]) -> list[dict]:
    """Each item's case (left by _item) replaced by what lists show of whom it helps (ReliefCase.subject_label),
    the shown households' heads read for all the items in one query."""
    from doudi.registry.models import Household

    labels = Household.labels(i["household"].household_id for i in items
                              if isinstance(i["household"], ReliefCase) and not i["household"].subject_only)
    for i in items:
        case = i["household"]
        if isinstance(case, ReliefCase):
            shown = None if case.subject_only else case.household_id
            i["household"] = labels[shown] if shown in labels else case.subject_label
    return items


def _item(deadline: dt.date, warning: str, title: str, url: str, case: ReliefCase, today: dt.date, what: str) -> dict:
    """A worklist line of the case; its "household" is the case until _households writes it."""
    return {"deadline": deadline, "warning": warning or "", "title": title, "what": what, "url": url,
            "household": case, "state": case.state_name, "overdue": deadline < today,
            "due_today": deadline == today}
