"""The only writers of disaster relief: events and reports (DR-2), grants through 户申、村评、乡审、县定
(DR-1), the goods stock and its ledger, the funding shares (DR-3). One function per act.

Same pattern as doudi.relief: fetch and lock through the access layer (404 outside the areas, 403
without the role), check state and version, one transaction, an event row and an audit entry per act.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_name, validate_region_code
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.disaster import procedure as proc
from doudi.disaster.models import (
    DisasterEvent,
    EventFunding,
    Grant,
    GrantEvent,
    StockItem,
    StockMovement,
    TownshipReport,
)
from doudi.disaster.procedure import Action, DeadlineKind, ProcedureError, State
from doudi.procedure import steps

_today = steps.today


def yuan(fen: int) -> str:
    return f"{Decimal(int(fen)) / 100:.2f}"


def due(kind: DeadlineKind, start: dt.date) -> proc.Due:
    return proc.due_for(kind, start, steps.add_working_days)


def _required(value: Any, field: str, label: str) -> Any:
    return steps.required(value, field, label, ProcedureError)


def to_fen(amount: Any, field: str, label: str) -> int:
    """Yuan (at most 2 decimals, not negative, ASCII digits: no 1e5, no full-width digits) as fen;
    None or "" → 0 (doudi.web.money.fen_or_error)."""
    from doudi.web.money import fen_or_error

    return fen_or_error(amount, field, label, ProcedureError, empty=0)


def _region(code: Any, field: str, label: str) -> str:
    code = str(code or "").strip()
    try:
        validate_region_code(code)
    except ValidationError:
        raise ProcedureError(f"{label}应为有效的区划代码（6、9或12位），收到「{code}」", field) from None
    return code


# --- what a user sees ------------------------------------------------------------------------------

def visible_events(user: Any):
    """The events in the user's areas, and those whose area holds one of the user's (a village sees
    its township's flood)."""
    from django.db.models import Q

    from doudi.accounts.areas import area_prefix

    above = {area_prefix(a)[:n] for a in access.areas_of(user, Perm.CASE_VIEW) for n in (6, 9)
             if len(area_prefix(a)) > n}
    qs = DisasterEvent.objects.select_related("reported_by")
    return qs.filter(Q(pk__in=access.scope_queryset(user, qs, Perm.CASE_VIEW).values("pk")) | Q(region__in=above))


def visible_grants(user: Any):
    return access.scope_queryset(user, Grant.objects.select_related("household", "event", "goods_item"),
                                 Perm.CASE_VIEW)


def visible_reports(user: Any):
    return access.scope_queryset(user, TownshipReport.objects.select_related("sent_by", "event"), Perm.CASE_VIEW)


def visible_stock(user: Any):
    return access.scope_queryset(user, StockItem.objects.all(), Perm.CASE_VIEW)


def access_event(user: Any, pk: Any) -> DisasterEvent:
    try:
        return visible_events(user).get(pk=pk)
    except (DisasterEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该灾情，或不在您的辖区内") from None


def access_case(user: Any, pk: Any, *, reason: str = "") -> Grant:
    case = access.access_object(user, Grant.objects.select_related("household", "event", "goods_item"), pk,
                                Perm.CASE_VIEW)
    audit.record(user, AuditKind.READ, case, action="disaster.view", reason=reason or "查看受灾人员救助")
    return case


def case_perms(user: Any, case: Grant) -> set[str]:
    return steps.case_perms(user, case, proc.Perm)


def _may(user: Any, region: str, *perms: str) -> bool:
    return any(access.in_area(access.areas_of(user, p), region) for p in perms)


# --- DR-2: events and reports ----------------------------------------------------------------------

@transaction.atomic
def report_event(user: Any, *, region: str, kind: str, stage: str, occurred_at: dt.datetime, description: str,
                 affected_households: int | None = 0, affected_people: int | None = 0,
                 collapsed_houses: int | None = 0, now: dt.datetime | None = None) -> DisasterEvent:
    """报灾 (DR-2): the township registers an event in its area; the report counts for the township and
    the day of the event, late when sent more than 2 hours after the event occurred."""
    region = _region(region, "region", "受灾区域")
    if len(region) < 9:
        raise ProcedureError("灾情由乡镇（街道）报送，受灾区域应为乡镇（9位）或村（12位）区划代码", "region")
    if not _may(user, region, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能在该区域报送灾情")
    if kind not in proc.KIND_NAMES:
        raise ProcedureError("请选择灾害种类", "kind")
    if stage not in proc.STAGE_NAMES:
        raise ProcedureError("请选择救助阶段（DR-5）", "stage")
    now = now or timezone.now()
    if occurred_at is None:
        raise ProcedureError("请填写灾害发生时间", "occurred_at")
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > now:
        raise ProcedureError("灾害发生时间不能晚于报送时间", "occurred_at")
    late = proc.report_late(occurred_at, now)
    event = DisasterEvent.objects.create(
        number=f"tmp-{secrets.token_hex(6)}", region=region, kind=kind, stage=stage, occurred_at=occurred_at,
        description=_required(description, "description", "灾情概况"), affected_households=affected_households or 0,
        affected_people=affected_people or 0, collapsed_houses=collapsed_houses or 0, reported_at=now,
        reported_by=user, report_late=late)
    day = timezone.localtime(occurred_at).date()
    event.number = f"ZH{region[:6]}{day:%Y}{event.pk:05d}"
    event.save()
    TownshipReport.objects.create(region=region[:9], day=day, kind=TownshipReport.Kind.EVENT, event=event,
                                  sent_at=now, sent_by=user, late=late)
    audit.record(user, AuditKind.STEP, event, action="disaster.report", reason="报送灾情",
                 detail={"late": late, "deadline": proc.report_deadline(occurred_at).isoformat()})
    return event


@transaction.atomic
def zero_report(user: Any, *, township: str, day: dt.date | None = None,
                now: dt.datetime | None = None) -> TownshipReport:
    """零报告 (DR-2): the township reports that nothing happened on the day; none when it reported an event."""
    township = _region(township, "township", "乡镇")[:9]
    if len(township) < 9:
        raise ProcedureError("零报告由乡镇（街道）报送，请填写乡镇9位区划代码", "township")
    if not _may(user, township, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能为该乡镇报送零报告")
    now = now or timezone.now()
    day = day or timezone.localtime(now).date()
    if day > timezone.localtime(now).date():
        raise ProcedureError("不能为以后的日期报送零报告", "day")
    if TownshipReport.objects.filter(region=township, day=day, kind=TownshipReport.Kind.EVENT).exists():
        raise ProcedureError(f"{day} 已报送灾情，无须零报告", "day")
    late = now > proc.zero_report_due(day, timezone.get_current_timezone())
    try:
        with transaction.atomic():
            r = TownshipReport.objects.create(region=township, day=day, kind=TownshipReport.Kind.ZERO, sent_at=now,
                                              sent_by=user, late=late)
    except IntegrityError:
        raise ProcedureError(f"{region_name(township)} {day} 已报送零报告", "day") from None
    audit.record(user, AuditKind.STEP, r, action="disaster.zero_report", reason=f"零报告 {day}", detail={"late": late})
    return r


def townships_of(area: str) -> list[str]:
    """The townships of a county (or the township itself) the region list knows."""
    from doudi.policy import regions

    if len(area) >= 9:
        return [area[:9]]
    try:
        return [c for c in regions.children(area) if len(c) == 9]
    except Exception:  # noqa: BLE001 - an unknown code has no townships
        return []


def report_status(user: Any, day: dt.date, now: dt.datetime | None = None,
                  of_day: list[TownshipReport] | None = None) -> list[dict]:
    """DR-2 for each township in the user's areas on `day`: its event reports, its zero report, and
    whether it sent neither once the zero report is due (the warning to the county). ``of_day``: the
    user's reports of that day when already read (the worklist reads several days in one query)."""
    now = now or timezone.now()
    areas = sorted(access.areas_of(user, Perm.CASE_VIEW))
    towns = sorted({t for a in areas for t in townships_of(a)})
    reports: dict[str, list[TownshipReport]] = {}
    for r in visible_reports(user).filter(day=day) if of_day is None else of_day:
        reports.setdefault(r.region, []).append(r)
    missing = set(proc.missing_townships(towns, set(reports), day, timezone.localtime(now)))
    return [{"township": t, "name": region_name(t), "reports": reports.get(t, []),
             "events": [r for r in reports.get(t, []) if r.kind == TownshipReport.Kind.EVENT],
             "zero": next((r for r in reports.get(t, []) if r.kind == TownshipReport.Kind.ZERO), None),
             "missing": t in missing} for t in towns]


@transaction.atomic
def set_stage(user: Any, event_id: Any, *, stage: str, version: Any = None) -> DisasterEvent:
    """DR-5: the event moves on to another relief stage (emergency → transition → rebuilding …)."""
    try:
        event = access.scope_queryset(user, DisasterEvent.objects.select_for_update(), Perm.CASE_VIEW).get(pk=event_id)
    except (DisasterEvent.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该灾情，或不在您的辖区内") from None
    if not _may(user, event.region, Perm.CASE_ACCEPT, Perm.CASE_APPROVE):
        raise PermissionDenied("您的角色不能调整救助阶段")
    if stage not in proc.STAGE_NAMES:
        raise ProcedureError("请选择救助阶段（DR-5）", "stage")
    if version not in (None, "") and int(version) != event.version:
        raise ProcedureError("灾情已被他人更新，请刷新页面后重试", "version")
    before, event.stage = event.stage, stage
    event.version += 1
    event.save()
    audit.record(user, AuditKind.STEP, event, action="disaster.stage", reason=f"救助阶段：{proc.STAGE_NAMES[stage]}",
                 detail={"from": before, "to": stage})
    return event


# --- DR-3: funding shares ----------------------------------------------------------------------------

@transaction.atomic
def record_funding(user: Any, event_id: Any, *, total: Any, note: str = "", on: dt.date | None = None) -> EventFunding:
    """DR-3: the event's relief funds with the shares national 70 %, city 15 %, county 15 % (recorded
    as they were; the payments app books them to its fund sources)."""
    event = access_event(user, event_id)
    if not _may(user, event.region, Perm.CASE_APPROVE, Perm.PAYMENT_MANAGE):
        raise PermissionDenied("您的角色不能登记救灾资金")
    fen = to_fen(total, "total", "救灾资金总额")
    if fen <= 0:
        raise ProcedureError("请填写救灾资金总额（元）", "total")
    s = proc.split_funding(fen)
    shares = {k: str(proc.param(f"{k}_share")) for k in ("national", "city", "county")}
    f = EventFunding.objects.create(event=event, region=event.region, total_fen=fen, national_fen=s.national_fen,
                                    city_fen=s.city_fen, county_fen=s.county_fen, shares=shares,
                                    note=(note or "").strip(), recorded_by=user, recorded_on=_today(on))
    audit.record(user, AuditKind.STEP, f, action="disaster.funding", reason=f"救灾资金 {yuan(fen)} 元（DR-3）",
                 detail={"national": yuan(s.national_fen), "city": yuan(s.city_fen), "county": yuan(s.county_fen)})
    return f


# --- the goods stock -----------------------------------------------------------------------------------

@transaction.atomic
def receive_stock(user: Any, *, region: str, name: str, unit: str, quantity: int, note: str = "",
                  on: dt.date | None = None) -> StockMovement:
    """入库: goods received into a county's relief stock (the item created on first receipt)."""
    region = _region(region, "region", "储备单位区划代码")[:6]
    if not _may(user, region, Perm.CASE_APPROVE, Perm.PAYMENT_MANAGE):
        raise PermissionDenied("您的角色不能管理该县的救灾物资")
    name = _required(name, "name", "物资名称")
    unit = _required(unit, "unit", "计量单位")
    if not quantity or int(quantity) <= 0:
        raise ProcedureError("入库数量应为正整数", "quantity")
    try:
        with transaction.atomic():
            StockItem.objects.get_or_create(region=region, name=name, defaults={"unit": unit})
    except IntegrityError:
        pass
    item = StockItem.objects.select_for_update().get(region=region, name=name)
    if item.unit != unit:
        raise ProcedureError(f"{name}的计量单位为「{item.unit}」", "unit")
    item.quantity += int(quantity)
    item.save()
    m = StockMovement.objects.create(item=item, region=region, kind=StockMovement.Kind.IN, quantity=int(quantity),
                                     balance=item.quantity, on_date=_today(on), note=(note or "").strip(), by=user)
    audit.record(user, AuditKind.STEP, m, action="disaster.stock_in", reason=f"{name}入库 {quantity}{unit}")
    return m


# --- DR-4: the household's priority -----------------------------------------------------------------------

def _fact(d: dict, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def household_flags(household: Any) -> dict[str, bool]:
    """What DR-4 asks of a household: a live 低保 benefit, a dispersed 特困 person, a disabled member."""
    from doudi.benefits.models import LIVE_VALUES, Benefit

    dibao = Benefit.objects.filter(household=household, program="dibao", status__in=LIVE_VALUES).exists()
    tekun = False
    try:
        from doudi.support.models import SupportCase

        tekun = SupportCase.objects.filter(household=household, mode="dispersed", state="approved").exists()
    except ImportError:  # the 特困 app is optional
        pass
    disabled = any((_fact(m.person.facts or {}, "disability.grade") or 0) > 0 or _fact(m.person.facts or {}, "disability.kind")
                   for m in household.memberships_on())
    return {"dibao": dibao, "tekun_dispersed": tekun, "disabled": disabled}


def rank(household: Any, collapsed: bool) -> int:
    """DR-4 rank of the household on the village's list."""
    return proc.priority(collapsed=collapsed, **household_flags(household))


# --- DR-1: the grant's steps ---------------------------------------------------------------------------

def _step(user: Any, action: Action, case_id: Any, version: Any) -> Grant:
    return steps.lock_case(user, Grant, case_id, action, version, proc=proc, error=ProcedureError)


def _move(case: Grant, user: Any, action: Action, to: State | None, on: dt.date, *, reason: str = "",
          figures: dict | None = None, audit_kind: str = AuditKind.STEP) -> GrantEvent:
    return steps.move(case, user, action, to or case.state_enum, on, event_model=GrantEvent, prefix="disaster",
                      action_names=proc.ACTION_NAMES, state_deadline=proc.STATE_DEADLINE, due=due, reason=reason,
                      figures=figures, audit_kind=audit_kind)


def _earlier(before: Action) -> tuple[Action, ...]:
    """The steps of the four whose user may not take ``before`` (all four for a step outside them)."""
    return tuple(proc.FOUR_STEPS[:proc.FOUR_STEPS.index(before)] if before in proc.FOUR_STEPS else proc.FOUR_STEPS)


def took_part(user: Any, case: Grant, before: Action) -> str:
    """Four eyes (DR-1: each of 户申、村评、乡审、县定 its own user): who took an earlier step does not take this one."""
    done = case.events.filter(actor=user, action__in=[a.value for a in _earlier(before)]).values_list(
        "action", flat=True).first()
    return f"您已办理本案的「{proc.ACTION_NAMES[Action(done)]}」，不能再办理下一环节" if done else ""


def _four_eyes(user: Any, case: Grant, action: Action) -> None:
    why = took_part(user, case, action)
    if why:  # shown beside the step's form
        raise ProcedureError(why)


@transaction.atomic
def apply(user: Any, *, event_id: Any, household_id: Any, stage: str = "", losses: str, house_collapsed: bool = False,
          requested: str = "", on: dt.date | None = None) -> Grant:
    """户申 (DR-1): the household's application for relief of an event, registered by the village
    assistant or the township; ranked for the village's list by DR-4."""
    event = access_event(user, event_id)
    household = access.access_household(user, household_id)
    if not _may(user, household.region_code, Perm.CASE_REPORT, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能在该区域登记受灾人员救助申请")
    if not access.in_area([event.region], household.region_code):
        raise ProcedureError(f"该家庭不在灾情 {event.number} 的受灾区域（{region_name(event.region)}）内", "household_id")
    stage = stage or event.stage
    if stage not in proc.STAGE_NAMES:
        raise ProcedureError("请选择救助阶段（DR-5）", "stage")
    today = _today(on)
    head = household.head
    try:
        with transaction.atomic():
            case = Grant.objects.create(
                number=f"tmp-{secrets.token_hex(6)}", event=event, household=household, region=household.region_code,
                applicant_name=head.name if head else str(household), stage=stage, state=State.APPLIED.value,
                losses=_required(losses, "losses", "受灾情况"), house_collapsed=bool(house_collapsed),
                priority=rank(household, bool(house_collapsed)), requested=(requested or "").strip(),
                registered_by=user, submitted_on=today)
    except IntegrityError:
        raise ProcedureError(f"该家庭已有本次灾情「{proc.STAGE_NAMES[stage]}」的救助申请", "household_id") from None
    case.number = f"ZJ{case.region[:6]}{today:%Y}{case.pk:06d}"
    d = due(DeadlineKind.APPRAISAL, today)
    case.due_kind, case.due_on, case.due_warning = DeadlineKind.APPRAISAL.value, d.date, d.warning or ""
    case.save()
    GrantEvent.objects.create(case=case, action=Action.APPLY.value, from_state="", to_state=State.APPLIED.value,
                              actor=user, at=timezone.now(), on_date=today, reason=case.losses,
                              figures={"priority": case.priority, "priority_name": proc.PRIORITY_NAMES[case.priority]})
    audit.record(user, AuditKind.STEP, case, action="disaster.apply", reason="登记受灾人员救助申请（户申）",
                 detail={"event": event.number, "priority": case.priority})
    return case


@transaction.atomic
def apply_new_household(user: Any, *, event_id: Any, region: str, residence: str, head_name: str, id_number: str,
                        address: str = "", stage: str = "", losses: str, house_collapsed: bool = False,
                        requested: str = "", on: dt.date | None = None) -> Grant:
    """户申 of a household not yet in the registry: registered there (registry.services) with its head,
    then its application as by `apply`."""
    from doudi.registry.models import Household, Person
    from doudi.registry.services import register_household

    number = (id_number or "").strip().upper()
    person = Person.objects.filter(id_number=number).first() if number else None
    if person is not None and person.current_membership() is not None:
        raise ProcedureError("此人已在系统中登记家庭，请在上方按姓名或身份证号查找该家庭", "id_number")
    try:
        hh = register_household(user, region_code=(region or "").strip(), residence=residence, address=address,
                                head={"id_number": number, "name": (head_name or "").strip()})
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        field = {"region_code": "region", "name": "head_name"}.get(field, field)
        raise ProcedureError(messages[0], field) from None
    return apply(user, event_id=event_id, household_id=Household.objects.get(pk=hh.pk).pk, stage=stage, losses=losses,
                 house_collapsed=house_collapsed, requested=requested, on=on)


@transaction.atomic
def appraise(user: Any, case_id: Any, *, appraisal: str, version: Any = None, on: dt.date | None = None) -> Grant:
    """村评 (DR-1): the village's democratic appraisal recorded (an opinion, not a decision: PR-2); the
    DR-4 rank is taken again from the household as it is now."""
    case = _step(user, Action.APPRAISE, case_id, version)
    _four_eyes(user, case, Action.APPRAISE)
    case.appraisal = _required(appraisal, "appraisal", "村民主评议意见")
    case.priority = rank(case.household, case.house_collapsed)
    _move(case, user, Action.APPRAISE, State.APPRAISED, _today(on), reason=case.appraisal,
          figures={"priority": case.priority, "priority_name": proc.PRIORITY_NAMES[case.priority]})
    return case


@transaction.atomic
def review(user: Any, case_id: Any, *, opinion: str, version: Any = None, on: dt.date | None = None) -> Grant:
    """乡审 (DR-1): the township reviews the village's appraisal and proposes the grant to the county."""
    case = _step(user, Action.REVIEW, case_id, version)
    _four_eyes(user, case, Action.REVIEW)
    case.review_opinion = _required(opinion, "opinion", "乡镇审核意见")
    _move(case, user, Action.REVIEW, State.REVIEWED, _today(on), reason=case.review_opinion)
    return case


@transaction.atomic
def approve(user: Any, case_id: Any, *, amount: Any = None, goods_item: Any = None, goods_quantity: int | None = None,
            reasons: str = "", version: Any = None, on: dt.date | None = None) -> Grant:
    """县定 (DR-1): the county decides the relief — money (paid straight to the household, DR-3 一站式),
    goods from its stock, or both."""
    case = _step(user, Action.APPROVE, case_id, version)
    _four_eyes(user, case, Action.APPROVE)
    fen = to_fen(amount, "amount", "救助金额")
    qty = int(goods_quantity or 0)
    item = None
    if goods_item not in (None, ""):
        item_id = getattr(goods_item, "pk", goods_item)
        item = StockItem.objects.filter(pk=item_id, region=case.region[:6]).first()
        if item is None:
            raise ProcedureError("请选择本县储备的救灾物资", "goods_item")
        if qty <= 0:
            raise ProcedureError("请填写发放的物资数量", "goods_quantity")
        if qty > item.quantity:
            raise ProcedureError(f"{item.name}库存 {item.quantity}{item.unit}，不足 {qty}{item.unit}", "goods_quantity")
    elif qty:
        raise ProcedureError("请选择发放的救灾物资", "goods_item")
    if not fen and item is None:
        raise ProcedureError("请填写救助金额或选择救灾物资", "amount")
    today = _today(on)
    case.amount_fen, case.goods_item, case.goods_quantity = fen, item, qty if item else 0
    case.form = (Grant.Form.BOTH if fen and item else Grant.Form.MONEY if fen else Grant.Form.GOODS)
    case.decided_by, case.decided_on, case.reasons = user, today, (reasons or "").strip()
    goods = f"{item.name}{qty}{item.unit}" if item else ""
    _move(case, user, Action.APPROVE, State.APPROVED, today, reason=case.reasons or "县定：批准救助",
          figures={"amount": yuan(fen), "goods": goods, "form": case.form}, audit_kind=AuditKind.DECISION)
    return case


@transaction.atomic
def refuse(user: Any, case_id: Any, *, reasons: str, version: Any = None, on: dt.date | None = None) -> Grant:
    """不予救助: at the township's review or the county's decision, with the reasons."""
    case = _step(user, Action.REFUSE, case_id, version)
    if proc.refusal_perm(case.state_enum) not in case_perms(user, case):
        raise PermissionDenied("乡镇已审核提出意见，由县级决定是否救助" if case.state_enum is State.REVIEWED
                               else "村评后由乡镇审核决定是否上报")
    _four_eyes(user, case, _eyes_of(case, Action.REFUSE))
    case.reasons = _required(reasons, "reasons", "不予救助的理由")
    case.decided_by, case.decided_on = user, _today(on)
    _move(case, user, Action.REFUSE, State.REFUSED, case.decided_on, reason=case.reasons, audit_kind=AuditKind.DECISION)
    return case


@transaction.atomic
def issue(user: Any, case_id: Any, *, issued_on: dt.date | None = None, version: Any = None,
          on: dt.date | None = None) -> Grant:
    """发放到户 (DR-3 一站式): the money paid straight to the household and the goods issued from the
    stock (a movement out of its ledger, refused when the stock has run short)."""
    case = _step(user, Action.ISSUE, case_id, version)
    today = _today(on)
    issued_on = issued_on or today
    if issued_on > today:
        raise ProcedureError("发放日期不能晚于今天", "issued_on")
    if case.decided_on and issued_on < case.decided_on:
        raise ProcedureError("发放日期不能早于县定日期", "issued_on")
    goods = ""
    if case.goods_item_id:
        item = StockItem.objects.select_for_update().get(pk=case.goods_item_id)
        if item.quantity < case.goods_quantity:
            raise ProcedureError(f"{item.name}库存 {item.quantity}{item.unit}，不足 {case.goods_quantity}{item.unit}",
                                 "issued_on")
        item.quantity -= case.goods_quantity
        item.save()
        StockMovement.objects.create(item=item, region=item.region, kind=StockMovement.Kind.OUT,
                                     quantity=case.goods_quantity, balance=item.quantity, on_date=issued_on, grant=case,
                                     note=f"{case.number} {case.applicant_name}", by=user)
        goods = f"{item.name}{case.goods_quantity}{item.unit}"
    case.issued_on = issued_on
    _move(case, user, Action.ISSUE, State.ISSUED, today, reason="一站式发放到户",
          figures={"amount": yuan(case.amount_fen), "goods": goods, "issued_on": issued_on})
    return case


@transaction.atomic
def withdraw(user: Any, case_id: Any, *, reason: str, version: Any = None, on: dt.date | None = None) -> Grant:
    case = _step(user, Action.WITHDRAW, case_id, version)
    _move(case, user, Action.WITHDRAW, State.WITHDRAWN, _today(on), reason=_required(reason, "reason", "撤回原因"))
    return case


# --- the ledger and the worklist --------------------------------------------------------------------

LEDGER_HEADINGS = ["编号", "顺序", "优先类别（DR-4）", "村（社区）", "户主", "救助阶段", "受灾情况", "状态", "救助金额（元）",
                   "救灾物资", "县定日期", "发放日期"]


def ledger_rows(user: Any, event: DisasterEvent) -> list[list[Any]]:
    """台账 (DR-1): each household of the event, in DR-4 order."""
    out = []
    for i, g in enumerate(visible_grants(user).filter(event=event).order_by("priority", "submitted_on", "id"), 1):
        goods = f"{g.goods_item.name}{g.goods_quantity}{g.goods_item.unit}" if g.goods_item_id else ""
        out.append([g.number, i, proc.PRIORITY_NAMES[g.priority], region_name(g.region), g.applicant_name,
                    proc.STAGE_NAMES[g.stage], g.losses, g.state_name, Decimal(g.amount_fen) / 100 if g.amount_fen else "",
                    goods, g.decided_on or "", g.issued_on or ""])
    return out


SIDE = {Action.WITHDRAW}


def _eyes_of(case: Grant, action: Action) -> Action:
    """The one of the four steps whose four-eyes rule an action follows (a refusal: the step it replaces)."""
    if action is Action.REFUSE:
        return Action.APPROVE if case.state_enum is State.REVIEWED else Action.REVIEW
    return action if action in proc.FOUR_STEPS else Action.APPLY


def worklist_items(user: Any, today: dt.date | None = None) -> list[dict]:
    """Grant steps due, and the DR-2 reports: a township's own report of today, the county's warning
    of townships that sent neither an event report nor a zero report."""
    from collections import defaultdict

    from django.urls import reverse

    from doudi.registry.models import Household

    if not steps.acts_anywhere(user, proc.Perm):  # no step or report is the user's anywhere
        return []
    today = _today(today)
    out = []
    cases = []  # the cases with a deadline and a step of the user's, each with its steps
    for c in visible_grants(user).exclude(state__in=[s.value for s in proc.FINAL_STATES]):
        allowed = [a for a in proc.allowed_actions(c.state_enum, case_perms(user, c)) if a not in SIDE] if c.due_on else []
        if allowed:
            cases.append((c, allowed))
    took: dict[int, set[str]] = defaultdict(set)  # took_part's four eyes for all the cases in one query
    for case_id, action in GrantEvent.objects.filter(case_id__in=[c.pk for c, _a in cases], actor=user, action__in=[
            a.value for a in proc.FOUR_STEPS]).values_list("case_id", "action") if cases else ():
        took[case_id].add(action)
    for case, allowed in cases:
        if [a for a in allowed if not took[case.pk] & {e.value for e in _earlier(_eyes_of(case, a))}]:
            out.append({"deadline": case.due_on, "warning": case.due_warning, "title": f"{case.number} {case.state_name}",
                        "what": proc.DEADLINE_NAMES.get(DeadlineKind(case.due_kind), "") if case.due_kind else "",
                        "url": reverse("disaster:case_detail", args=[case.pk]),
                        "household": case,  # its label below, the items' households read at once
                        "state": case.state_name, "overdue": case.due_on < today, "due_today": case.due_on == today})
    labels = Household.labels(i["household"].household_id for i in out)
    for i in out:
        i["household"] = labels[i["household"].household_id] if i["household"].household_id else str(i["household"].household)
    if access.areas_of(user, Perm.CASE_ACCEPT) or access.areas_of(user, Perm.CASE_APPROVE):
        now = timezone.now()
        days = [today - dt.timedelta(days=back) for back in range(int(proc.param("zero_report_lookback_days")))]
        by_day: dict[dt.date, list[TownshipReport]] = {d: [] for d in days}
        for r in visible_reports(user).filter(day__in=days):  # the days' reports in one query
            by_day[r.day].append(r)
        for day in days:
            missing = [r["name"] for r in report_status(user, day, now, by_day[day]) if r["missing"]]
            if missing:  # one line a day: the township's own, or the county's count of townships
                title = (f"{day} {missing[0]}未报送灾情或零报告" if len(missing) == 1
                         else f"{day} {len(missing)} 个乡镇未报送灾情或零报告")
                out.append({"deadline": day, "warning": "", "title": title, "what": "DR-2 灾情2小时报送和零报告",
                            "url": reverse("disaster:reports") + f"?day={day}", "household": "、".join(missing[:3])
                            + ("等" if len(missing) > 3 else ""), "state": "未报送", "overdue": True,
                            "due_today": False})
    return sorted(out, key=lambda i: (i["deadline"], i["title"]))
