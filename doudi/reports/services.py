"""Writers and audited readers of doudi.reports that are not complaints: the population parameter,
the auditor's views (every view an audit entry) and the random sample for a file audit."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from importlib.util import find_spec
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import is_valid_region_code, region_q
from doudi.accounts.models import AuditEntry, AuditKind
from doudi.accounts.roles import Action
from doudi.reports.models import Population

KINDS = {"dibao": ("cases", "Case", "低保"), "tekun": ("support", "SupportCase", "特困"),
         "temporary": ("relief", "ReliefCase", "临时救助")}


@transaction.atomic
def enter_population(user: Any, *, region: str, population: Any, effective_from: dt.date, source: str) -> Population:
    """常住人口 as a parameter (coverage per 1,000): administrators of the area (params.change), audited."""
    region = (region or "").strip()
    if not is_valid_region_code(region):
        raise ValidationError({"region": f"区划代码应为存在的 6、9 或 12 位代码，收到 {region or '空'}"})
    access.require(user, Action.PARAMS_CHANGE, _Where(region))
    try:
        n = int(str(population).strip())
    except (TypeError, ValueError):
        raise ValidationError({"population": f"常住人口应为正整数（人），收到 {population!r}"}) from None
    if n <= 0:
        raise ValidationError({"population": f"常住人口应为正整数（人），收到 {n}"})
    if not (source or "").strip():
        raise ValidationError({"source": "请填写人口数据的来源（如统计公报）"})
    p = Population.objects.create(region=region, population=n, effective_from=effective_from,
                                  source=source.strip(), entered_by=user, entered_at=timezone.now())
    audit.record(user, AuditKind.PARAMETER_CHANGE, p, action="reports.population",
                 reason=f"常住人口 {n} 人，自 {effective_from} 起（{p.source}）")
    return p


class _Where:
    def __init__(self, region: str):
        self.area_code = region


def case_model(kind: str):
    if kind not in KINDS or find_spec(f"doudi.{KINDS[kind][0]}") is None:
        raise Http404("未知的案件类型")
    from django.apps import apps

    app, model, _label = KINDS[kind]
    return apps.get_model(app, model)


def audited_cases(user: Any, kind: str):
    """Cases of one kind in the user's areas (audit.view), for the auditor's lists."""
    return access.scope_queryset(user, case_model(kind).objects.all(), Action.AUDIT_VIEW)


def read_case(user: Any, kind: str, pk: Any) -> Any:
    """One case for the auditor's file view; the view is an audit entry."""
    case = access.access_object(user, case_model(kind), pk, Action.AUDIT_VIEW)
    audit.record(user, AuditKind.READ, case, action="reports.audit_case", reason="审计查阅案件档案")
    return case


def audit_trail(user: Any, objects: list[Any]) -> list[AuditEntry]:
    """The audit log entries of these objects (case, decisions, benefit …) in the user's areas."""
    from django.db.models import Q

    q = Q(pk__in=[])
    for obj in objects:
        if obj is not None:
            q |= Q(object_type=obj._meta.label, object_id=str(obj.pk))
    return list(access.scope_queryset(user, AuditEntry.objects.filter(q), Action.AUDIT_VIEW).order_by("time", "id"))


@dataclass(frozen=True)
class Sampled:
    kind: str
    case: Any


def sample(user: Any, n: int, seed: str | None = None, area: str | None = None) -> tuple[str, list[Sampled]]:
    """A random sample of N cases (all kinds) of the user's areas for a file audit; the seed is kept,
    so the same draw can be shown and exported again. Audited."""
    if not 1 <= n <= 500:
        raise ValidationError({"n": "抽取件数应为 1 到 500"})
    seed = seed or f"{timezone.now():%Y%m%d%H%M%S}"
    population = []
    for kind in KINDS:
        if find_spec(f"doudi.{KINDS[kind][0]}") is None:
            continue
        qs = audited_cases(user, kind)
        if area:
            qs = qs.filter(region_q("region", area))
        population += [(kind, pk) for pk in qs.order_by("pk").values_list("pk", flat=True)]
    drawn = random.Random(seed).sample(population, min(n, len(population)))
    drawn.sort()
    out = []
    for kind, pk in drawn:
        out.append(Sampled(kind, case_model(kind).objects.get(pk=pk)))
    audit.record(user, AuditKind.READ, None, action="reports.audit_sample", area=area or "",
                 reason=f"随机抽取 {len(out)} 件案件用于档案审计（种子 {seed}）",
                 detail={"seed": seed, "cases": [f"{s.kind}:{s.case.pk}" for s in out]})
    return seed, out


def audit_trail_kind(user: Any, kind: str, limit: int = 500) -> list[AuditEntry]:
    """The newest audit entries of one kind (e.g. parameter changes) in the user's areas."""
    return list(access.scope_queryset(user, AuditEntry.objects.filter(kind=kind), Action.AUDIT_VIEW)[:limit])


def standard_changes(user: Any) -> list:
    """The benefits' 标准调整 (DB-14) of the user's areas."""
    if find_spec("doudi.benefits") is None:
        return []
    from doudi.benefits.models import StandardChange

    return list(access.scope_queryset(user, StandardChange.objects.all(), Action.AUDIT_VIEW)
                .select_related("started_by", "approved_by"))


def populations(user: Any) -> list[Population]:
    return list(access.scope_queryset(user, Population.objects.all(), Action.PARAMS_CHANGE).select_related("entered_by"))
