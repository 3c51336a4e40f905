"""The price-linked subsidy (PL-1, NAT-PL): the province enters each month's CPI (and food CPI); when a trigger
is reached the subsidy of every PL-1 group is computed for the month by the policy core, household by
household, with the figure and the trigger shown, to be paid within 20 working days of the index's
publication. The amounts are recorded here (PriceSubsidyLine); a payments app reads them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import yuan
from doudi.procedure import steps
from doudi.programs import core
from doudi.programs import procedure as proc
from doudi.programs.models import PriceIndex, PriceSubsidyLine
from doudi.programs.procedure import ProcedureError

TARGET_BENEFITS = ("dibao", "tekun", "children")


def visible_indexes(user: Any):
    """The indexes of the provinces of the user's areas (a province's figure is public to its offices)."""
    areas = access.areas_of(user, Perm.CASE_VIEW) | access.areas_of(user, Perm.PARAMS_CHANGE)
    return PriceIndex.objects.filter(region__in={a[:2] for a in areas})


def visible_lines(user: Any):
    return access.scope_queryset(user, PriceSubsidyLine.objects.select_related("household", "index"), Perm.CASE_VIEW)


def _pct(value: Any, field: str, label: str, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ProcedureError(f"请填写{label}", field)
        return None
    try:
        d = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation:
        raise ProcedureError(f"{label}应为百分数（如 3.6），收到「{value}」", field) from None
    if not d.is_finite() or abs(d) >= 100 or d != d.quantize(Decimal("0.01")):
        raise ProcedureError(f"{label}应为 -100 至 100 之间、最多两位小数的百分数，收到「{value}」", field)
    return d


@transaction.atomic
def enter_index(user: Any, *, province: str, month: dt.date, cpi_yoy: Any, food_cpi_yoy: Any = None,
                published_on: dt.date) -> PriceIndex:
    """NAT-PL: the province's index of the month (entered once; a correction is a new province decision)."""
    province = (province or "")[:2]
    if len(province) != 2 or not access.in_area(access.areas_of(user, Perm.PARAMS_CHANGE), province + "0000"):
        raise PermissionDenied("只有省级用户能录入本省价格指数")
    if not isinstance(month, dt.date):
        raise ProcedureError("请填写月份", "month")
    cpi = _pct(cpi_yoy, "cpi_yoy", "CPI同比涨幅")
    food = _pct(food_cpi_yoy, "food_cpi_yoy", "食品CPI同比涨幅", required=False)
    try:
        with transaction.atomic():
            idx = PriceIndex.objects.create(region=province, month=month.replace(day=1), cpi_yoy=cpi,
                                            food_cpi_yoy=food, published_on=published_on, entered_by=user,
                                            entered_at=timezone.now())
    except IntegrityError:
        raise ProcedureError(f"{month:%Y年%m月}的价格指数已录入", "month") from None
    audit.record(user, AuditKind.STEP, idx, action="programs.price.index",
                 reason=f"录入{month:%Y年%m月}价格指数 CPI {cpi}%" + (f"，食品 {food}%" if food is not None else ""))
    return idx


def _overrides(idx: PriceIndex) -> dict[str, str]:
    o = {"price_subsidy.cpi_yoy": str(idx.cpi_yoy / 100)}
    if idx.food_cpi_yoy is not None:
        o["price_subsidy.food_cpi_yoy"] = str(idx.food_cpi_yoy / 100)
    return o


def figure_text(idx: PriceIndex) -> str:
    food = f"，食品CPI同比 {idx.food_cpi_yoy}%" if idx.food_cpi_yoy is not None else ""
    return f"{idx.month:%Y年%m月} CPI同比 {idx.cpi_yoy}%{food}（{idx.published_on} 发布）"


def trigger_text(county: str, month: dt.date, residence: str) -> str:
    """The triggers in force for the place and month (NAT-PL; a locality may lower them)."""
    from doudi.policy.params import default_policy

    p = default_policy()
    cpi = p.resolve("price_subsidy.trigger.cpi", county, month, residence).value
    food = p.resolve("price_subsidy.trigger.food_cpi", county, month, residence).value
    pct = lambda v: f"{(Decimal(str(v)) * 100).normalize():f}%"  # noqa: E731
    return f"CPI同比 ≥ {pct(cpi)} 或食品CPI同比 ≥ {pct(food)}（NAT-PL）"


def _sentences(result: dict, rule: str) -> list[str]:
    return [t["detail"] for t in result.get("trace") or [] if t.get("rule") == rule]


@transaction.atomic
def compute_month(user: Any, index_id: Any) -> dict:
    """PL-1, NAT-PL: the month's subsidy of every household with a member in a target group (the policy
    core decides who and how much), in the user's area of the province; returns the counts and the text of
    the trigger. Nothing is written when no trigger is reached."""
    from doudi.benefits.models import LIVE, Benefit
    from doudi.registry.models import Household

    idx = access.access_object(user, PriceIndex.objects.select_for_update(), index_id, Perm.PARAMS_CHANGE)
    if idx.lines.exists():
        raise ProcedureError(f"{idx.month:%Y年%m月}的价格临时补贴已计算", "index")
    pay_by = _pay_by(idx)
    # the province's code (620000) by its prefix (62): startswith on the six digits would find nobody
    households = (Benefit.objects.filter(region_q("household__region_code", idx.region), status__in=LIVE,
                                         program__in=TARGET_BENEFITS, household__isnull=False)
                  .values_list("household_id", flat=True).distinct())
    lines, refused = 0, ""
    total = 0
    for hh in Household.objects.filter(pk__in=list(households)).order_by("pk"):  # the province's, by the PARAMS_CHANGE area above
        line, why = _household_month(idx, hh, pay_by)
        if line is None:
            refused = refused or why
            continue
        lines += 1
        total += line.amount_fen
    audit.record(user, AuditKind.DECISION, idx, action="programs.price.compute",
                 reason=f"{idx.month:%Y年%m月}价格临时补贴 {lines} 户，合计 {yuan(total)} 元（PL-1、NAT-PL）")
    return {"lines": lines, "total": yuan(total), "pay_by": pay_by, "figure": figure_text(idx),
            "not_triggered": refused if lines == 0 else ""}


def _pay_by(idx: PriceIndex) -> dt.date:
    """NAT-PL: the month's subsidy is paid within price_rolls_working_days working days of the index's publication."""
    due = steps.add_working_days(idx.published_on, int(proc.param("price_rolls_working_days")))
    return getattr(due, "date", due)


def _household_month(idx: PriceIndex, hh: Any, pay_by: dt.date) -> tuple[PriceSubsidyLine | None, str]:
    """The policy core's subsidy of one household for the index's month (PL-1, NAT-PL), written as its
    line when eligible; (None, the sentence of the trigger not reached or "") otherwise."""
    from doudi.registry.documents import household_document

    doc = household_document(hh, idx.month)
    doc["overrides"] = {**(doc.get("overrides") or {}), **_overrides(idx)}
    decision, _ = core.decide_members(doc)
    r = core.program(decision, "price_subsidy")
    if not r.get("eligible"):
        return None, next((t for t in _sentences(r, "NAT-PL") + _sentences(r, "PL-1") if "未达到" in t), "")
    groups = next((t for t in _sentences(r, "PL-1") if t.startswith("保障对象")), "")
    line = PriceSubsidyLine.objects.create(
        index=idx, household=hh, region=hh.region_code, month=idx.month, people=int(r.get("people") or 0),
        groups=groups[:200], per_person_fen=core.fen(r.get("per_person")), amount_fen=core.fen(r.get("amount")),
        figure=figure_text(idx)[:100], trigger=trigger_text(hh.region_code[:6], idx.month, hh.residence)[:100],
        pay_by=pay_by, assessment=decision)
    return line, ""


def late_approvals(county: str, first_month: dt.date, last_month: dt.date, user: Any = None) -> list[PriceSubsidyLine]:
    """PL-1, NAT-PL for a household approved after its month was computed: compute_month computes a
    month once, for the households with a live target benefit then. A target benefit (低保, 特困,
    children) of the county approved after the month's index was entered, whose months cover an
    already-computed month from ``first_month`` to ``last_month`` (the benefits' month arithmetic: an
    amount in force that month), and whose household has no line for that month gets the month
    computed now, by the same policy core, once (the unique household-month). Called by the monthly
    roll (doudi.payments) before it reads the lines: the month is then paid as arrears (补发) in that
    roll. Returns the lines written (each audited with the month's computation)."""
    from doudi.benefits.models import Benefit
    from doudi.benefits.services import monthly_amounts

    computed = [i for i in PriceIndex.objects.filter(region=county[:2], month__gte=first_month, month__lte=last_month)
                .order_by("month") if i.lines.exists()]  # a month whose trigger was reached and computed
    out: list[PriceSubsidyLine] = []
    for idx in computed:
        have = PriceSubsidyLine.objects.filter(month=idx.month).values("household_id")
        late = (Benefit.objects.filter(region_q("household__region_code", county), program__in=TARGET_BENEFITS,
                                       household__isnull=False, start_month__lte=idx.month,
                                       created_at__gt=idx.entered_at)
                .exclude(household_id__in=have).select_related("household").order_by("household_id", "id"))
        done: set[int] = set()
        pay_by = _pay_by(idx)
        for b in late:
            if b.household_id in done or not monthly_amounts(b, [idx.month])[0][1]:
                continue  # one line per household; a benefit not in force that month does not count
            done.add(b.household_id)
            line, _ = _household_month(idx, b.household, pay_by)
            if line is None:
                continue
            out.append(line)
            audit.record(user, AuditKind.DECISION, idx, action="programs.price.late",
                         reason=f"{idx.month:%Y年%m月}价格临时补贴补算（批准晚于计算）：家庭 {b.household_id}，"
                                f"{yuan(line.amount_fen)} 元（PL-1、NAT-PL）")
    return out
