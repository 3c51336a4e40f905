"""The only writers of the needs board, charities' offers, social help and the bought-services budget.

The charity role (NEEDS_VIEW, HELP_RECORD; security.md) sees published needs of its area — the
village and the need, never the household — and its own offers and help; the township publishes
needs with the household's consent and records union help (WK-1) and help brought by others.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.charity import rules
from doudi.charity.models import BoughtService, Help, Need, Offer, ServiceBudget
from doudi.charity.rules import HelpError


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def yuan(fen: int) -> str:
    return f"{Decimal(int(fen)) / 100:.2f}"


def to_fen(amount: Any, field: str, label: str) -> int:
    """Yuan (at most 2 decimals, not negative, ASCII digits: no 1e5, no full-width digits) as fen;
    None or "" → 0 (doudi.web.money.fen_or_error)."""
    from doudi.web.money import fen_or_error

    return fen_or_error(amount, field, label, HelpError, empty=0)


def _may(user: Any, region: str, *perms: str) -> bool:
    return any(access.in_area(access.areas_of(user, p), region) for p in perms)


def _required(value: Any, field: str, label: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        raise HelpError(f"请填写{label}", field)
    return value


def organisation_of(user: Any) -> str:
    return (getattr(user, "department", "") or "").strip() or user.display_name


# --- the needs board -------------------------------------------------------------------------------

def visible_needs(user: Any):
    """Published needs in the user's areas: for the charity role by NEEDS_VIEW, for caseworkers by CASE_VIEW."""
    from django.db.models import Q

    return Need.objects.filter(Q(pk__in=access.scope_queryset(user, Need.objects.all(), Perm.NEEDS_VIEW).values("pk"))
                               | Q(pk__in=access.scope_queryset(user, Need.objects.all(), Perm.CASE_VIEW).values("pk")))


def is_government(user: Any) -> bool:
    return bool(access.areas_of(user, Perm.CASE_VIEW))


def _secrets(household: Any) -> list[str]:
    out = [household.address, household.number, household.phone]
    for m in household.memberships_on():
        out += [m.person.name, m.person.id_number, m.person.phone]
    return [s for s in out if s]


@transaction.atomic
def publish_need(user: Any, *, household_id: Any, category: str, text: str, source: str, consent: bool,
                 consent_on: dt.date | None = None, source_ref: str = "", on: dt.date | None = None) -> Need:
    """发布需求 (PR-10): with the household's consent, anonymised to the village and the need."""
    household = access.access_household(user, household_id)
    if not _may(user, household.region_code, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能发布该家庭的救助需求")
    if category not in rules.NEED_CATEGORIES:
        raise HelpError("请选择需求类别", "category")
    if source not in rules.SOURCES:
        raise HelpError("请选择需求来源", "source")
    if not consent:
        raise HelpError("须经本人（家庭）同意方可公开需求", "consent")
    today = _today(on)
    consent_on = consent_on or today
    if consent_on > today:
        raise HelpError("同意日期不能晚于今天", "consent_on")
    need = Need.objects.create(household=household, region=household.region_code, category=category,
                               text=rules.anonymised(text, _secrets(household)), source=source,
                               source_ref=(source_ref or "").strip(), consent_on=consent_on, published_by=user,
                               published_on=today)
    audit.record(user, AuditKind.STEP, need, action="charity.publish", reason="发布救助需求（PR-10）",
                 detail={"category": category, "source": source})
    return need


def _need(user: Any, need_id: Any, *perms: str) -> Need:
    try:
        need = visible_needs(user).select_for_update().get(pk=need_id)
    except (Need.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该需求，或不在您的辖区内") from None
    if perms and not _may(user, need.region, *perms):
        raise PermissionDenied("您的角色不能办理该需求")
    return need


@transaction.atomic
def close_need(user: Any, need_id: Any, *, on: dt.date | None = None) -> Need:
    need = _need(user, need_id, Perm.CASE_ACCEPT)
    if need.closed_on:
        raise HelpError("该需求已关闭", "need")
    need.closed_on = _today(on)
    need.save()
    audit.record(user, AuditKind.STEP, need, action="charity.close", reason="关闭救助需求")
    return need


@transaction.atomic
def make_offer(user: Any, need_id: Any, *, content: str, amount: Any = None, on: dt.date | None = None) -> Offer:
    """认领 (PR-10): a charity offers help on a published need."""
    need = _need(user, need_id, Perm.HELP_RECORD)
    if need.closed_on:
        raise HelpError("该需求已关闭", "content")
    o = Offer.objects.create(need=need, region=need.region, organisation=organisation_of(user),
                             content=_required(content, "content", "帮扶内容"), amount_fen=to_fen(amount, "amount", "金额"),
                             offered_by=user, offered_on=_today(on))
    audit.record(user, AuditKind.STEP, o, action="charity.offer", reason=f"认领需求 #{need.pk}")
    return o


@transaction.atomic
def answer_offer(user: Any, offer_id: Any, *, accept: bool, on: dt.date | None = None) -> Offer:
    try:
        o = access.scope_queryset(user, Offer.objects.select_for_update(), Perm.CASE_VIEW).get(pk=offer_id)
    except (Offer.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该认领，或不在您的辖区内") from None
    if not _may(user, o.region, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能答复认领")
    if o.status != Offer.Status.OFFERED:
        raise HelpError("该认领已答复", "accept")
    o.status = Offer.Status.ACCEPTED if accept else Offer.Status.DECLINED
    o.answered_by, o.answered_on = user, _today(on)
    o.save()
    audit.record(user, AuditKind.STEP, o, action="charity.answer", reason=o.get_status_display())
    return o


# --- help given (PR-10, WK-1) -------------------------------------------------------------------------

def _help_fields(kind: str, content: str, amount: Any, given_on: dt.date | None, today: dt.date) -> dict:
    if kind not in rules.HELP_KINDS:
        raise HelpError("请选择帮扶形式", "kind")
    given_on = given_on or today
    if given_on > today:
        raise HelpError("帮扶日期不能晚于今天", "given_on")
    return {"kind": kind, "content": _required(content, "content", "帮扶内容"),
            "amount_fen": to_fen(amount, "amount", "金额"), "given_on": given_on}


@transaction.atomic
def charity_help(user: Any, need_id: Any, *, kind: str, content: str, amount: Any = None,
                 given_on: dt.date | None = None, on: dt.date | None = None) -> Help:
    """慈善帮扶 (PR-10): the charity records the help it gave on a need; it lands on the household's
    file beside government help, the household itself never shown to the charity."""
    need = _need(user, need_id, Perm.HELP_RECORD)
    offer = need.offers.filter(offered_by=user, status=Offer.Status.ACCEPTED).first()
    h = Help.objects.create(household=need.household, region=need.region, giver="charity",
                            organisation=organisation_of(user), need=need, offer=offer, recorded_by=user,
                            **_help_fields(kind, content, amount, given_on, _today(on)))
    audit.record(user, AuditKind.STEP, h, action="charity.help", reason=f"登记慈善帮扶（需求 #{need.pk}）")
    return h


@transaction.atomic
def record_help(user: Any, *, household_id: Any, giver: str, organisation: str, kind: str, content: str,
                amount: Any = None, union_tier: str = "", union_items: list[str] | None = None,
                given_on: dt.date | None = None, on: dt.date | None = None) -> Help:
    """The township records help a household had from the union (WK-1: in three tiers, deep
    difficulty, relative difficulty, sudden difficulty, with its items) or from a charity."""
    household = access.access_household(user, household_id)
    if not _may(user, household.region_code, Perm.CASE_ACCEPT):
        raise PermissionDenied("您的角色不能登记该家庭的社会帮扶")
    if giver not in rules.GIVERS:
        raise HelpError("请选择帮扶方", "giver")
    items = list(union_items or [])
    if giver == "union":
        if union_tier not in rules.UNION_TIERS:
            raise HelpError("工会帮扶须选择困难职工档次（深度困难、相对困难、意外致困）", "union_tier")
        bad = [i for i in items if i not in rules.UNION_ITEMS]
        if bad:
            raise HelpError(f"未知的帮扶项目：{'、'.join(bad)}", "union_items")
    else:
        union_tier, items = "", []
    h = Help.objects.create(household=household, region=household.region_code, giver=giver,
                            organisation=_required(organisation, "organisation", "帮扶组织名称"), union_tier=union_tier,
                            union_items=items, recorded_by=user,
                            **_help_fields(kind, content, amount, given_on, _today(on)))
    audit.record(user, AuditKind.STEP, h, action=f"charity.help.{giver}", reason=f"登记{rules.GIVERS[giver]}帮扶")
    return h


def own_records(user: Any) -> tuple[Any, Any]:
    """What the charity role sees of its own: its offers and its help (no household shown)."""
    return (Offer.objects.filter(offered_by=user).select_related("need"),
            Help.objects.filter(recorded_by=user).select_related("need"))


def household_help(user: Any, household: Any):
    return access.scope_queryset(user, Help.objects.filter(household=household), Perm.CASE_VIEW)


# --- the bought-services budget (PR-10, huining 2%) ----------------------------------------------------

def visible_budgets(user: Any):
    return access.scope_queryset(user, ServiceBudget.objects.prefetch_related("services"), Perm.CASE_VIEW)


@transaction.atomic
def set_budget(user: Any, *, region: str, year: int, assistance_funds: Any, on: dt.date | None = None) -> ServiceBudget:
    """PR-10: the county's year of assistance funds and the 2 % budget for bought services."""
    region = (region or "").strip()[:6]
    if len(region) != 6 or not region.isdigit():
        raise HelpError("请填写县（区）6位区划代码", "region")
    if not _may(user, region, Perm.CASE_APPROVE):
        raise PermissionDenied("您的角色不能登记该县的购买服务资金")
    funds = to_fen(assistance_funds, "assistance_funds", "困难群众救助补助资金")
    try:
        with transaction.atomic():
            b = ServiceBudget.objects.create(region=region, year=int(year), assistance_funds_fen=funds,
                                             share=rules.bought_services_share(),
                                             budget_fen=rules.bought_services_budget(funds), recorded_by=user,
                                             recorded_on=_today(on))
    except IntegrityError:
        raise HelpError(f"{year} 年的购买服务资金已登记", "year") from None
    audit.record(user, AuditKind.STEP, b, action="charity.budget", reason=f"{year} 年购买服务资金（PR-10）",
                 detail={"funds": yuan(funds), "budget": yuan(b.budget_fen)})
    return b


def spent_fen(budget: ServiceBudget) -> int:
    return sum(s.amount_fen for s in budget.services.all())


@transaction.atomic
def buy_service(user: Any, budget_id: Any, *, provider: str, content: str, amount: Any,
                on: dt.date | None = None) -> BoughtService:
    try:
        b = visible_budgets(user).select_for_update().get(pk=budget_id)
    except (ServiceBudget.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该年度资金，或不在您的辖区内") from None
    if not _may(user, b.region, Perm.CASE_APPROVE):
        raise PermissionDenied("您的角色不能登记购买服务")
    fen = to_fen(amount, "amount", "金额")
    if fen <= 0:
        raise HelpError("请填写购买服务金额（元）", "amount")
    left = b.budget_fen - spent_fen(b)
    if fen > left:
        raise HelpError(f"超过本年度购买服务资金余额 {yuan(left)} 元", "amount")
    s = BoughtService.objects.create(budget=b, region=b.region, provider=_required(provider, "provider", "服务机构"),
                                     content=_required(content, "content", "服务内容"), amount_fen=fen,
                                     on_date=_today(on), recorded_by=user)
    audit.record(user, AuditKind.STEP, s, action="charity.buy", reason=f"购买服务 {yuan(fen)} 元")
    return s
