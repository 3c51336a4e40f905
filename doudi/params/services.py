"""Entering, approving and listing dated parameter values (issue 10).

Every function checks the user's `params.change` area; bad input raises ParamsError naming the
form field with a Chinese message, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.params import store
from doudi.params.models import ParameterValue
from doudi.params.signals import parameter_approved
from doudi.policy import regions
from doudi.policy.params import ParamDef, Resolved, default_policy, parse_value

LEVEL_ZH = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "override": "临时设定"}
TYPE_HINT = {
    "money": "不小于 0 的金额（元），最多两位小数，如 750.00",
    "area": "不小于 0 的面积（平方米），最多两位小数",
    "ratio": "0 至 1 之间的比例，最多六位小数（如 0.05 表示 5%）",
    "multiple": "不小于 1 的倍数，最多六位小数（如 1.5）",
    "count": "不小于 0 的整数",
    "flag": "是或否",
    "text": "文字",
    "tiers": '梯度列表（JSON），如 [{"above": 0, "ratio": 0.5}, {"above": 1000, "ratio": 0.3}]，起点逐级递增',
    "list": "列表（JSON），如 [\"dibao\", \"orphan\"]",
}
# a pair of parameters that bound each other (TA-3: 200–30000 yuan per grant, min not above max)
PAIRS = {"temporary.grant.min": ("temporary.grant.max", "le"), "temporary.grant.max": ("temporary.grant.min", "ge")}


class ParamsError(ValueError):
    """Bad input: a Chinese message naming the field."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message, self.field = message, field


def definitions() -> dict[str, ParamDef]:
    return default_policy().defs


def is_multiple(d: ParamDef) -> bool:
    """A ratio that is a multiple of a standard (边缘家庭 1.5 倍, 特困 1.3 倍), not a share."""
    return d.type == "ratio" and d.unit.startswith("times")


def hint(d: ParamDef) -> str:
    if is_multiple(d):
        return TYPE_HINT["multiple"]
    if d.choices:
        return TYPE_HINT.get(d.type, "") + "，可选：" + "、".join(d.choices)
    return TYPE_HINT.get(d.type, "")


# --- checking --------------------------------------------------------------------------------

def check_parameter(name: Any) -> ParamDef:
    d = definitions().get(str(name or "").strip())
    if d is None:
        raise ParamsError(f"未知参数「{name or ''}」，请从参数列表中选择", "parameter")
    return d


def check_region(user: Any, code: Any) -> str:
    """A province, city or county code that exists, inside the user's `params.change` areas."""
    c = str(code or "").strip()
    if regions.shape_level(c) not in ("province", "city", "county") or not regions.is_known(c) \
            or regions.is_grouping(c):
        raise ParamsError(f"适用区域应为存在的省、市或县（区）6 位代码，如 620422、620400、620000，收到「{c}」", "region")
    if not any(regions.contains(a, c) for a in access.areas_of(user, Action.PARAMS_CHANGE)):
        raise ParamsError(f"适用区域 {c}（{regions.name(c)}）不在您的辖区内", "region")
    return c


def check_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ParamsError(f"执行日期应为 年-月-日，如 2026-07-01，收到「{raw or ''}」", "effective_from") from None


def _decimal(raw: Any) -> Decimal | None:
    try:
        v = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return v if v.is_finite() else None


def check_value(d: ParamDef, raw: Any, region: str, on: dt.date) -> Any:
    """The raw form value as the plain data a layer holds, checked against the parameter's unit
    and bounds, the bounds of the levels above (DB-7) and a bounding pair (TA-3)."""
    field, label = "value", d.label_or_name
    expected = hint(d)
    text = raw.strip() if isinstance(raw, str) else raw
    if text in ("", None):
        raise ParamsError(f"请填写{label}的取值：{expected}", field)
    if d.type in ("money", "area", "ratio", "count"):
        v = _decimal(text)
        if v is None:
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field)
        places = {"money": 2, "area": 2, "ratio": 6, "count": 0}[d.type]
        if v < 0 or v != v.quantize(Decimal(1).scaleb(-places)) or abs(v) > Decimal(100_000_000):
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field)
        if d.type == "ratio" and not is_multiple(d) and v > 1:
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field)
        if is_multiple(d) and v < 1:
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field)
        plain: Any = int(v) if d.type == "count" else f"{v:.{places}f}" if places == 2 else str(v.normalize())
    elif d.type == "flag":
        t = str(text).strip().lower()
        if t not in ("true", "false", "是", "否", "1", "0", "yes", "no"):
            raise ParamsError(f"{label}应为是或否，收到「{text}」", field)
        plain = t in ("true", "是", "1", "yes")
    elif d.type in ("tiers", "list"):
        try:
            plain = json.loads(text) if isinstance(text, str) else text
        except json.JSONDecodeError:
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field) from None
        if not isinstance(plain, list):
            raise ParamsError(f"{label}应为{expected}，收到「{text}」", field)
        if d.type == "tiers":
            plain = _check_tiers(label, expected, plain)
        elif d.choices and any(x not in d.choices for x in plain):
            raise ParamsError(f"{label}只能包含：{'、'.join(d.choices)}，收到「{text}」", field)
    else:
        plain = str(text)
        if d.choices and plain not in d.choices:
            raise ParamsError(f"{label}应为以下之一：{'、'.join(d.choices)}，收到「{text}」", field)
    try:
        value = parse_value(d, plain)
    except ValueError:
        lo = "" if d.min is None else f"不低于 {d.min}"
        hi = "" if d.max is None else f"不高于 {d.max}"
        raise ParamsError(f"{label}应{'、'.join(x for x in (lo, hi) if x) or '为' + expected}，收到「{text}」",
                          field) from None
    policy = store.current_policy()
    for code in regions.parents(region):
        lo, hi, src = policy.bounds.get(code, {}).get(d.name, (None, None, ""))
        where = f"（{src}）" if src else ""
        if lo is not None and value is not None and value < lo:
            raise ParamsError(f"{label}在 {regions.name(code)} 不得低于 {lo}{where}，收到「{text}」", field)
        if hi is not None and value is not None and value > hi:
            raise ParamsError(f"{label}在 {regions.name(code)} 不得高于 {hi}{where}，收到「{text}」", field)
    pair = PAIRS.get(d.name)
    if pair and value is not None:
        other = policy.resolve(pair[0], region, on, "urban")
        if other.value is not None and ((pair[1] == "le" and value > other.value)
                                        or (pair[1] == "ge" and value < other.value)):
            word = "不得高于" if pair[1] == "le" else "不得低于"
            raise ParamsError(f"{label}{word}同日生效的{definitions()[pair[0]].label_or_name} {other.value} 元"
                              f"（{other.source}），收到「{text}」", field)
    return plain


def _check_tiers(label: str, expected: str, raw: list) -> list:
    out, last = [], None
    for t in raw:
        above = _decimal(t.get("above")) if isinstance(t, dict) else None
        ratio = _decimal(t.get("ratio")) if isinstance(t, dict) else None
        if above is None or ratio is None or above < 0 or not (0 <= ratio <= 1):
            raise ParamsError(f"{label}应为{expected}；每一档的起点不小于 0，比例在 0 至 1 之间", "value")
        if last is not None and above <= last:
            raise ParamsError(f"{label}的梯度起点应逐级递增：{above} 不大于上一档的 {last}", "value")
        last = above
        out.append({"above": str(above), "ratio": str(ratio)})
    return out


# --- entering and approving ------------------------------------------------------------------

@transaction.atomic
def enter(user: Any, *, parameter: Any, region: Any, effective_from: Any, value: Any, document: Any,
          clause: Any = "", note: Any = "", figures: dict | None = None, origin: str = "") -> ParameterValue:
    """A new dated value, pending a second user's approval."""
    access.require(user, Action.PARAMS_CHANGE)
    d = check_parameter(parameter)
    region = check_region(user, region)
    on = check_date(effective_from)
    plain = check_value(d, value, region, on)
    document = str(document or "").strip()
    if not document:
        raise ParamsError("请填写确定该取值的文件文号，如 会民发〔2026〕1号", "document")
    if len(document) > 200:
        raise ParamsError("文件文号不超过 200 个字", "document")
    clause = str(clause or "").strip()[:100]
    same = ParameterValue.objects.select_for_update().filter(
        parameter=d.name, region=region, effective_from=on, state=ParameterValue.State.PENDING).first()
    if same is not None:
        raise ParamsError(f"{d.label_or_name}在 {region} 自 {on} 起已有一项待审批的调整（{same.entered_by}录入），"
                          "请先审批或退回", "effective_from")
    try:
        with transaction.atomic():
            v = ParameterValue.objects.create(
                parameter=d.name, region=region, effective_from=on, value=plain, unit=d.unit_label or d.unit,
                document=document, clause=clause, note=str(note or "").strip(), figures=figures or {},
                origin=origin, entered_by=user, entered_at=timezone.now())
    except IntegrityError:  # a second pending change entered at the same moment
        raise ParamsError(f"{d.label_or_name}在 {region} 自 {on} 起已有一项待审批的调整，请先审批或退回",
                          "effective_from") from None
    audit.record(user, AuditKind.PARAMETER_CHANGE, v, action="params.enter",
                 reason=f"{d.label_or_name} {region} 自 {on} 起为 {plain}（{v.source}）",
                 detail={"parameter": d.name, "value": plain, "effective_from": on.isoformat()})
    return v


def same_level_areas(user: Any, region: str) -> list[str]:
    """The user's `params.change` areas at the region's own level that contain it."""
    level = regions.shape_level(region)
    return [a for a in access.areas_of(user, Action.PARAMS_CHANGE)
            if regions.shape_level(a) == level and regions.contains(a, region)]


def _pending(user: Any, pk: Any) -> ParameterValue:
    try:
        v = access.scope_queryset(user, ParameterValue.objects.select_for_update(), Action.PARAMS_CHANGE).get(pk=pk)
    except (ParameterValue.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该参数调整，或不在您的辖区内") from None
    if v.state != ParameterValue.State.PENDING:
        raise ParamsError(f"该调整已{v.get_state_display()}，不能再审批", "state")
    return v


@transaction.atomic
def approve(user: Any, pk: Any, *, on: dt.date | None = None) -> ParameterValue:
    """Four eyes: another user with `params.change` at the region's own level approves; from its
    effective date every decision reads the value."""
    v = _pending(user, pk)
    if v.entered_by_id == getattr(user, "pk", None):
        raise PermissionDenied("不能批准自己录入的调整（双人审核）")
    if not same_level_areas(user, v.region):
        raise PermissionDenied(f"须由{LEVEL_ZH.get(regions.shape_level(v.region) or '', '')}有参数管理权限的另一位用户批准")
    v.state, v.approved_by, v.approved_at = ParameterValue.State.APPROVED, user, timezone.now()
    v.save(update_fields=["state", "approved_by", "approved_at"])
    store.invalidate()
    transaction.on_commit(store.invalidate)
    d = definitions()[v.parameter]
    audit.record(user, AuditKind.PARAMETER_CHANGE, v, action="params.approve",
                 reason=f"批准 {d.label_or_name} {v.region} 自 {v.effective_from} 起为 {v.value}（{v.source}）",
                 detail={"parameter": v.parameter, "value": v.value, "entered_by": str(v.entered_by)})
    parameter_approved.send(sender=ParameterValue, value=v, user=user, on=on or timezone.localdate())
    return v


@transaction.atomic
def reject(user: Any, pk: Any, *, reason: Any) -> ParameterValue:
    v = _pending(user, pk)
    reason = str(reason or "").strip()
    if not reason:
        raise ParamsError("请填写退回理由", "reason")
    if not same_level_areas(user, v.region) and v.entered_by_id != user.pk:
        raise PermissionDenied("须由同级有参数管理权限的用户退回")
    v.state, v.rejected_reason = ParameterValue.State.REJECTED, reason[:500]
    v.save(update_fields=["state", "rejected_reason"])
    audit.record(user, AuditKind.PARAMETER_CHANGE, v, action="params.reject", reason=reason[:500],
                 detail={"parameter": v.parameter})
    return v


# --- reading ---------------------------------------------------------------------------------

def show_value(v: Any) -> str:
    if v is None:
        return "无"
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, tuple):
        if v and isinstance(v[0], tuple):
            return "；".join(f"{a} 元以上 × {b}" for a, b in v)
        return "、".join(str(x) for x in v) or "（空）"
    return str(v)


def in_force(region: str, on: dt.date, residence: str = "urban") -> list[dict[str, Any]]:
    """Every parameter in force for a region on a date, as `doudi policy show` prints it, in
    Chinese: label, value, unit, level, region, source, date, placeholder; and pending changes."""
    policy = store.current_policy()
    county = regions.county_of(region)
    pending = {}
    for v in ParameterValue.objects.filter(state=ParameterValue.State.PENDING).order_by("effective_from"):
        if regions.contains(v.region, county) or v.region == region:
            pending.setdefault(v.parameter, []).append(v)
    out = []
    for name, d in sorted(policy.defs.items()):
        r: Resolved = policy.resolve(name, county, on, residence)
        out.append({"name": name, "label": d.label_or_name, "value": show_value(r.value),
                    "unit": d.unit_label or d.unit, "level": LEVEL_ZH.get(r.level, r.level),
                    "region": r.region, "source": r.source, "from": r.start, "placeholder": r.placeholder,
                    "pending": pending.get(name, [])})
    return out


def history(user: Any, region: str | None = None, parameter: str | None = None):
    qs = access.scope_queryset(user, ParameterValue.objects.select_related("entered_by", "approved_by"),
                               Action.PARAMS_CHANGE)
    if region:
        qs = qs.filter(region=region)
    if parameter:
        qs = qs.filter(parameter=parameter)
    return qs.order_by("-entered_at", "-id")
