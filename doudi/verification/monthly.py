"""The monthly check of every recipient (PR-6, PR-7): export, run the engine, findings as tasks.

`run_check(user, county, on)` exports the county's live 低保 / 特困 benefits and their members
from the registry, resolves the region's limits through the policy core, runs engine.check
over the latest snapshots, and writes each new finding as a worklist task of the township with
its deadline. A finding already raised for the same record (open, cleared, rejected or under
review) is not raised again. A finding is cleared with a reason (`clear_finding`), or leads to
the benefits app's review (`start_review` → doudi.benefits.services.report_change). A possible
match (no ID number) is never acted on until a person confirms it (`confirm_finding`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.verification import engine
from doudi.verification.datasets import VerificationError, latest_snapshots, snapshot_path, snapshot_ref
from doudi.verification.figures import yuan
from doudi.verification.kinds import kinds
from doudi.verification.models import CheckRun, Finding, FindingKind, FindingState, Match
from doudi.verification.params import param

# --- export ------------------------------------------------------------------------------------

def live_benefits(county: str):
    from doudi.benefits.models import LIVE_VALUES, Benefit

    return (Benefit.objects.filter(status__in=LIVE_VALUES, program__in=("dibao", "tekun"), household__isnull=False)
            .filter(region_q("region", county))
            .select_related("household", "person").order_by("id"))


def export(county: str, on: dt.date) -> dict[str, pa.Table]:
    """The county's live benefits and their members on `on`, as the engine's input tables (set-based:
    export.recipients), with `staff`, `kin` and `regions` (benefit → household and its region code)."""
    from doudi.verification import export as ex

    tables = ex.recipients(county, on)
    staff = ex.staff()
    # A person belongs to one household of the registry at a time, so doudi's own rolls cannot pay one
    # person in two counties; the other counties' rolls come as the 民政 data set benefit_elsewhere.
    return {**tables, "staff": staff, "kin": ex.kin(tables["members"], staff)}


# --- the run -----------------------------------------------------------------------------------

def _check_county(county: str) -> str:
    from doudi.policy import regions

    code = (county or "").strip()
    if len(code) != 6 or not code.isdigit() or not regions.is_known(code):
        raise VerificationError(f"县（区）代码应为存在的 6 位区划代码，收到「{code or '空'}」", "county")
    return code


def _may_run(user: Any, county: str) -> None:
    if user is not None and not access.in_area(access.areas_of(user, Action.VERIFICATION_RUN), county):
        raise PermissionDenied("只有本县（区）的核对员可以运行月度比对")


def run_check(user: Any, county: str, *, on: dt.date | None = None, sets: dict[str, str] | None = None,
              engine_name: str = "duckdb", scheduler: str | None = None,
              timings: dict[str, float] | None = None) -> CheckRun:
    """月度比对 of one county (user None = the scheduled job); findings written in one transaction.

    `engine_name` "dask": the same engine.check as a task on a Dask cluster (`scheduler` address, or a
    LocalCluster), the export written as the county's partition under <root>/work/. `timings`, when
    given, receives the seconds of each phase (export, engine, findings)."""
    import time

    county = _check_county(county)
    _may_run(user, county)
    on = on or timezone.localdate()
    started = timezone.now()
    timings = timings if timings is not None else {}
    t0 = time.perf_counter()
    tables = export(county, on)
    timings["export"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    snaps = {code: latest_snapshots(code, county, on) for code in kinds()}
    paths = {code: [str(snapshot_path(s)) for s in ss] for code, ss in snaps.items() if ss}
    by_file = {str(snapshot_path(s)): s for ss in snaps.values() for s in ss}
    groups = tables["benefits"].group_by(["county", "residence"]).aggregate([])
    pairs = set(zip(groups["county"].to_pylist(), groups["residence"].to_pylist(), strict=True))
    notes: list[str] = []
    limits = engine.limits(pairs, on, sets)
    threshold = float(param("possible_match_threshold"))
    if engine_name == "dask":
        found = _on_dask(county, tables, limits, paths, on, threshold, scheduler)
    else:
        found = engine.check(tables["benefits"], tables["members"], limits, paths, on, staff=tables["staff"],
                             kin=tables["kin"], threshold=threshold, notes=notes)
    timings["engine"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    run = _record(user, county, on, started, tables, found, by_file, snaps, notes, engine_name)
    timings["findings"] = time.perf_counter() - t0
    return run


def _on_dask(county: str, tables: dict, limits: pa.Table, paths: dict, on: dt.date, threshold: float,
             scheduler: str | None) -> pa.Table:
    import shutil
    import tempfile

    from doudi.verification import dask_engine
    from doudi.verification.datasets import data_root

    work = data_root() / "work"
    work.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=work, prefix=f"check-{county}-"))
    try:
        counties = dask_engine.write_partitions(tables["benefits"], tables["members"], folder)
        return dask_engine.check_counties(folder, counties, limits, {c: paths for c in counties}, on,
                                          threshold=threshold, scheduler=scheduler, workers=1,
                                          staff=tables["staff"], kin=tables["kin"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class _Named:
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name


def _column_of(found: pa.Table, key: str, table: pa.Table, column: str, on: str) -> list:
    """For each finding, `column` of the first row of `table` whose `on` equals the finding's `key`."""
    return table[column].take(pc.index_in(found[key], value_set=table[on])).to_pylist()


def _chunks(values: list, size: int = 5000):
    for start in range(0, len(values), size):
        yield values[start:start + size]


@transaction.atomic
def _record(user: Any, county: str, on: dt.date, started: Any, tables: dict, found: pa.Table, by_file: dict,
            snaps: dict, notes: list[str], engine_name: str = "duckdb") -> CheckRun:
    """The run and its new findings, set-based: the earlier findings of the benefits concerned read in
    chunks of ids, the open ones touched by one UPDATE per chunk, the new ones written by COPY
    (bulk_create elsewhere than PostgreSQL). A finding already raised for the same record (any state)
    is not raised again."""
    from doudi.procedure.steps import add_working_days

    run = CheckRun.objects.create(county=county, run_on=on, started_at=started, by=user, engine=engine_name,
                                  recipients=tables["members"].num_rows,
                                  snapshots=[snapshot_ref(s) for ss in snaps.values() for s in ss], notes=notes)
    due = add_working_days(on, int(param("finding_check_working_days")))
    due_on, due_warning = getattr(due, "date", due), getattr(due, "warning", None) or ""
    kinds_, benefit_ids = found["kind"].to_pylist(), found["benefit_id"].to_pylist()
    keys = [k[:120] for k in found["key"].to_pylist()]
    counts = Counter(kinds_)
    seen = set(zip(benefit_ids, kinds_, keys, strict=True))
    earlier: set[tuple] = set()  # (benefit, kind, key) of the findings already raised, in any state
    still: list[int] = []  # the open ones this run finds again
    for chunk in _chunks(sorted(set(benefit_ids))):
        for pk, b, kind, key, state in Finding.objects.filter(benefit_id__in=chunk).values_list(
                "pk", "benefit_id", "kind", "key", "state"):
            earlier.add((b, kind, key))
            if state == FindingState.OPEN and (b, kind, key) in seen:
                still.append(pk)
    households = _column_of(found, "benefit_id", tables["regions"], "household_id", "benefit_id")
    regions = _column_of(found, "benefit_id", tables["regions"], "region", "benefit_id")
    persons = found["person_id"].to_pylist()
    names = _column_of(found, "person_id", tables["members"], "name", "person_id") if found.num_rows else []
    refs = {path: snapshot_ref(s) for path, s in by_file.items()}
    new: list[dict] = []
    raised: set[tuple] = set()
    for i, (kind, match, score, figures_text, source_file, source_row) in enumerate(zip(
            kinds_, found["match"].to_pylist(), found["score"].to_pylist(), found["figures"].to_pylist(),
            found["source_file"].to_pylist(), found["source_row"].to_pylist(), strict=True)):
        record = (benefit_ids[i], kind, keys[i])
        if record in earlier or record in raised:
            continue
        raised.add(record)
        person = _Named(names[i]) if persons[i] is not None else None
        figures = json.loads(figures_text or "{}")
        ref = refs.get(_path_of(source_file))
        new.append(dict(
            run_id=run.pk, last_run_id=run.pk, kind=kind, match=match,
            score=None if score is None else Decimal(str(round(score, 3))), benefit_id=benefit_ids[i],
            household_id=households[i], person_id=persons[i], region=regions[i], key=keys[i],
            detail=describe(kind, figures, person, match, score), figures=figures,
            source={**ref, "row": source_row} if ref else {}, due_on=due_on, due_warning=due_warning))
    for chunk in _chunks(still):
        Finding.objects.filter(pk__in=chunk).update(last_run=run)
    _insert(new)
    run.counts, run.new_findings, run.finished_at = dict(counts), len(new), timezone.now()
    run.save()
    audit.record(user, AuditKind.STEP, run, action="verification.monthly_check", area=county,
                 reason=f"月度比对：{run.recipients} 人，发现 {sum(counts.values())} 项（新 {len(new)} 项）",
                 detail={"counts": dict(counts), "new": len(new)})
    return run


def _insert(rows: list[dict]) -> None:
    """New findings (field attnames → values, the others their defaults): COPY on PostgreSQL (a bulk_create
    of 60,000 rows spends most of its time quoting parameters), bulk_create elsewhere."""
    from django.db import connection

    if not rows:
        return
    if connection.vendor != "postgresql":
        Finding.objects.bulk_create([Finding(**r) for r in rows], batch_size=2000)
        return
    fields = [f for f in Finding._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {Finding._meta.db_table} ({names}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row([json.dumps(v, ensure_ascii=False) if a in json_fields else v
                          for a, v in ((f.attname, r.get(f.attname, defaults[f.attname])) for f in fields)])


def _path_of(source_file: str | None) -> str:
    return str(Path(source_file)) if source_file else ""


def describe(kind: str, f: dict, person: Any, match: str, score: float | None) -> str:
    """The finding in one Chinese sentence, with its figures and rule."""
    who = person.name if person is not None else "家庭"
    if match == Match.POSSIBLE:
        return (f"疑似：{kinds()[kind].label}中一条无身份证号的记录（姓名「{f.get('record_name')}」，出生日期相同，"
                f"地区 {f.get('record_region')}）与 {who} 相似度 {score:.3f}；须人工确认是否同一人，确认前不作处理（PR-6）")
    if kind == FindingKind.DEATH:
        return f"{who} 已于 {f.get('death_date')} 死亡（公安死亡登记），仍在享受待遇（NAT-DB-MEMBERS、NAT-DB-REVIEW）"
    if kind == FindingKind.NOT_IN_HUJI:
        status = {"absent": "不在最新户籍登记中", "moved": "户籍已迁出", "cancelled": "户籍已注销",
                  "dead": "户籍登记为死亡"}.get(f.get("status"), f.get("status"))
        return f"{who} {status}{'(' + str(f['changed_on']) + ')' if f.get('changed_on') else ''}(NAT-DB-MEMBERS)"
    if kind == FindingKind.VEHICLE:
        limit = f"超过本地限额 {f['limit']} 辆" if f.get("limit") is not None and f["count"] > f["limit"] else \
            f"申报 {f.get('declared', 0)} 辆（本地未设限额或未超限额，须核实是否未申报）"
        return f"家庭成员名下登记机动车 {f['count']} 辆（{f.get('plates')}），{limit}（DB-1、DB-5）"
    if kind == FindingKind.REAL_ESTATE:
        over = f.get("limit") is not None and f["count"] - (f.get("exempt") or 0) > f["limit"]
        limit = (f"扣除生活必需住房 {f.get('exempt') or 0} 套后超过本地限额 {f['limit']} 套" if over
                 else f"申报 {f.get('declared', 0)} 套，须核实是否未申报")
        return f"家庭成员名下登记住宅 {f['count']} 套，{limit}（DB-1、DB-5）"
    if kind == FindingKind.BUSINESS:
        rule = "本地规定登记有市场主体的家庭不符合条件" if f.get("excludes") else "未申报"
        return f"{who} 登记有市场主体「{f.get('business_name')}」（存续），{rule}（DB-1）"
    if kind == FindingKind.INCOME:
        size = f.get("size") or 1
        per = (f["dept_total"] + size // 2) // size
        return (f"按部门数据家庭月收入 {yuan(f['dept_total'])} 元（申报 {yuan(f['declared_total'])} 元），"
                f"人均 {yuan(per)} 元，不低于低保标准 {yuan(f['standard_fen'])} 元（DB-1）")
    if kind == FindingKind.TWO_COUNTIES:
        return f"{who} 同时在 {f.get('county')} 享受低保（同一人不得重复享受）"
    if kind == FindingKind.KIN:
        what = "本人是工作人员" if f.get("self") else "是工作人员的近亲属"
        return f"{who} {what}，未按规定备案（NAT-DB-KIN）"
    if kind == FindingKind.PENSION:
        counted = f.get("pension_kind") in ("employee", "public")
        label = kinds()["pension"].column("pension_kind").choices.get(f.get("pension_kind"), f.get("pension_kind"))
        return (f"{who} 自 {str(f.get('start_month'))[:7]} 起领取{label} {yuan(f.get('monthly_fen'))} 元/月，"
                + ("计入家庭收入（NAT-DB-INCOME），须复核" if counted else "不计入收入（DB-3），请登记"))
    return json.dumps(f, ensure_ascii=False)


# --- findings on the worklist -------------------------------------------------------------------

def visible_findings(user: Any):
    """Findings in the user's areas (case.view): the township's tasks, the county's overview."""
    return access.scope_queryset(user, Finding.objects.select_related("benefit", "household", "person"),
                                 Action.CASE_VIEW)


def access_finding(user: Any, pk: Any, *, lock: bool = False) -> Finding:
    qs = visible_findings(user)
    if lock:
        qs = Finding.objects.select_for_update().filter(pk__in=qs.values("pk"))
    try:
        return qs.get(pk=pk)
    except (Finding.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该比对发现，或不在您的辖区内") from None


def _township(user: Any, f: Finding) -> None:
    """The township caseworker (case.accept) checks a finding; a village assistant may only report (PR-2)."""
    if not access.in_area(access.areas_of(user, Action.CASE_ACCEPT), f.region):
        raise PermissionDenied("比对发现由乡镇（街道）经办人核实处理")


def _open(user: Any, pk: Any, version: Any) -> Finding:
    f = access_finding(user, pk, lock=True)
    _township(user, f)
    if f.state != FindingState.OPEN:
        raise VerificationError(f"该发现当前为「{f.get_state_display()}」，已处理", "state")
    if version not in (None, "") and int(version) != f.version:
        raise VerificationError("该发现已被他人处理或更新，请刷新页面后重试", "version")
    return f


def _close(user: Any, f: Finding, state: str, reason: str, on: dt.date | None, action: str) -> Finding:
    f.state, f.handled_by, f.handled_on, f.reason = state, user, on or timezone.localdate(), reason
    f.version += 1
    f.save()
    audit.record(user, AuditKind.STEP, f, action=f"verification.{action}", reason=reason or f.get_state_display(),
                 detail={"kind": f.kind, "benefit": f.benefit_id})
    return f


@transaction.atomic
def clear_finding(user: Any, pk: Any, *, reason: str, version: Any = None, on: dt.date | None = None) -> Finding:
    """核实排除: the finding does not change the benefit (the reason is required)."""
    f = _open(user, pk, version)
    if not (reason or "").strip():
        raise VerificationError("请填写核实情况和排除理由", "reason")
    return _close(user, f, FindingState.CLEARED, reason.strip(), on, "clear_finding")


@transaction.atomic
def reject_match(user: Any, pk: Any, *, reason: str, version: Any = None, on: dt.date | None = None) -> Finding:
    """不是同一人: a possible match the township found to be another person."""
    f = _open(user, pk, version)
    if f.match != Match.POSSIBLE:
        raise VerificationError("只有疑似匹配才能确认为不是同一人", "match")
    if not (reason or "").strip():
        raise VerificationError("请填写核实情况", "reason")
    return _close(user, f, FindingState.REJECTED, reason.strip(), on, "reject_match")


@transaction.atomic
def confirm_match(user: Any, pk: Any, *, version: Any = None) -> Finding:
    """确认为同一人: a possible match confirmed by a person; only then may it lead to a review."""
    f = _open(user, pk, version)
    if f.match != Match.POSSIBLE:
        raise VerificationError("该发现按身份证号匹配，无需确认", "match")
    f.match, f.confirmed_by = Match.CONFIRMED, user
    f.version += 1
    f.save()
    audit.record(user, AuditKind.STEP, f, action="verification.confirm_match", reason="疑似匹配经人工确认为同一人")
    return f


REPORT_KIND = {FindingKind.DEATH: "death", FindingKind.NOT_IN_HUJI: "moved", FindingKind.BUSINESS: "business",
               FindingKind.INCOME: "income", FindingKind.PENSION: "income"}


@transaction.atomic
def start_review(user: Any, pk: Any, *, version: Any = None, on: dt.date | None = None) -> Finding:
    """启动复核: the finding is reported to the benefit as a change (doudi.benefits: the review with
    its deadline); never for a possible match not yet confirmed."""
    from doudi.benefits.reckon import BenefitError
    from doudi.benefits.services import report_change

    f = _open(user, pk, version)
    if f.match == Match.POSSIBLE:
        raise VerificationError("疑似匹配须先由工作人员确认为同一人，才能启动复核", "match")
    on = on or timezone.localdate()
    occurred = on
    facts: dict = {}
    if f.kind == FindingKind.DEATH and f.figures.get("death_date"):
        occurred = min(on, dt.date.fromisoformat(str(f.figures["death_date"])))
    if f.kind == FindingKind.PENSION and f.figures.get("start_month"):
        occurred = min(on, dt.date.fromisoformat(str(f.figures["start_month"])[:10]))
        if f.figures.get("pension_kind") in ("employee", "public"):
            facts = {"monthly_income": {"transfer": yuan(f.figures.get("monthly_fen"))}}
        else:
            facts = {"monthly_income": {"pension_basic": yuan(f.figures.get("monthly_fen"))}}
    try:
        report = report_change(user, f.benefit_id, kind=REPORT_KIND.get(f.kind, "other"), occurred_on=occurred,
                               description=f"月度比对发现：{f.detail}", person_id=f.person_id, member_facts=facts,
                               on=on)
    except BenefitError as exc:
        raise VerificationError(exc.message if hasattr(exc, "message") else str(exc), "review") from None
    f.review = report.reviews.order_by("-id").first()
    return _close(user, f, FindingState.REVIEW, "启动复核", on, "start_review")

