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
from doudi.verification.figures import fen_of, yuan
from doudi.verification.kinds import kinds
from doudi.verification.models import CheckRun, Finding, FindingKind, FindingState, Match
from doudi.verification.params import param

MONEY = ("wages", "transfer", "business", "property", "other", "pension_basic")


# --- export ------------------------------------------------------------------------------------

def live_benefits(county: str):
    from doudi.benefits.models import LIVE_VALUES, Benefit

    return (Benefit.objects.filter(status__in=LIVE_VALUES, program__in=("dibao", "tekun"), household__isnull=False)
            .filter(region_q("region", county))
            .select_related("household", "person").order_by("id"))


def _kin_registered(benefit: Any) -> bool:
    if benefit.decision_app != "cases" or not benefit.decision_pk:
        return False
    from doudi.cases.models import Decision

    d = Decision.objects.filter(pk=benefit.decision_pk).select_related("case").first()
    return bool(d and d.case.kin)


def export(county: str, on: dt.date) -> dict[str, pa.Table]:
    """The county's live benefits and their members on `on`, as the engine's input tables."""
    from doudi.registry.documents import household_document

    b_rows: dict[str, list] = {k: [] for k in ("benefit_id", "household_id", "program", "county", "residence",
                                               "start_month", "size", "homes", "vehicles", "business",
                                               "kin_registered")}
    m_rows: dict[str, list] = {k: [] for k in ("benefit_id", "person_id", "id_number", "name", "birth_date", "region",
                                               "wages_fen", "transfer_fen", "other_fen", "pension_basic_fen")}
    docs: dict[int, tuple[dict, dict]] = {}
    for b in live_benefits(county):
        hh = b.household
        if hh.pk not in docs:
            doc = household_document(hh, on)
            persons = {m.person.id_number: m.person for m in hh.memberships_on(on)}
            docs[hh.pk] = (doc, persons)
        doc, persons = docs[hh.pk]
        members = [m for m in doc["members"] if b.person_id is None or m["id_number"] == b.person.id_number]
        assets = doc.get("assets") or {}
        for k, v in (("benefit_id", b.pk), ("household_id", hh.pk), ("program", b.program), ("county", hh.county),
                     ("residence", hh.residence), ("start_month", b.start_month), ("size", len(members)),
                     ("homes", int(assets.get("homes") or 0)), ("vehicles", int(assets.get("vehicles") or 0)),
                     ("business", bool(assets.get("business"))), ("kin_registered", _kin_registered(b))):
            b_rows[k].append(v)
        for m in members:
            inc = {k: fen_of((m.get("monthly_income") or {}).get(k)) for k in MONEY}
            p = persons.get(m["id_number"])
            for k, v in (("benefit_id", b.pk), ("person_id", p.pk if p else None), ("id_number", m["id_number"]),
                         ("name", m.get("name", "")), ("birth_date", dt.date.fromisoformat(m["birth_date"])),
                         ("region", hh.region_code), ("wages_fen", inc["wages"]), ("transfer_fen", inc["transfer"]),
                         ("other_fen", inc["business"] + inc["property"] + inc["other"]),
                         ("pension_basic_fen", inc["pension_basic"])):
                m_rows[k].append(v)
    benefits = pa.table({**b_rows, "start_month": pa.array(b_rows["start_month"], pa.date32()),
                         "size": pa.array(b_rows["size"], pa.int32())}) if b_rows["benefit_id"] else _empty_benefits()
    members = pa.table({**m_rows, "birth_date": pa.array(m_rows["birth_date"], pa.date32()),
                        "person_id": pa.array(m_rows["person_id"], pa.int64())}) if m_rows["benefit_id"] else \
        _empty_members()
    ids = set(m_rows["id_number"])
    # A person belongs to one household of the registry at a time, so doudi's own rolls cannot pay one
    # person in two counties; the other counties' rolls come as the 民政 data set benefit_elsewhere.
    return {"benefits": benefits, "members": members, "staff": _staff(), "kin": _kin(ids)}


def _empty_benefits() -> pa.Table:
    return pa.table({"benefit_id": pa.array([], pa.int64()), "household_id": pa.array([], pa.int64()),
                     "program": pa.array([], pa.string()), "county": pa.array([], pa.string()),
                     "residence": pa.array([], pa.string()), "start_month": pa.array([], pa.date32()),
                     "size": pa.array([], pa.int32()), "homes": pa.array([], pa.int64()),
                     "vehicles": pa.array([], pa.int64()), "business": pa.array([], pa.bool_()),
                     "kin_registered": pa.array([], pa.bool_())})


def _empty_members() -> pa.Table:
    s, i = pa.string(), pa.int64()
    return pa.table({"benefit_id": pa.array([], i), "person_id": pa.array([], i), "id_number": pa.array([], s),
                     "name": pa.array([], s), "birth_date": pa.array([], pa.date32()), "region": pa.array([], s),
                     "wages_fen": pa.array([], i), "transfer_fen": pa.array([], i), "other_fen": pa.array([], i),
                     "pension_basic_fen": pa.array([], i)})


def _staff() -> pa.Table:
    """NAT-DB-KIN: the ID numbers of users with an active role (caseworkers, village cadres, …)."""
    from doudi.accounts.models import User

    ids = sorted(set(User.objects.filter(is_active=True, role_assignments__active=True).exclude(id_number="")
                     .values_list("id_number", flat=True)))
    return pa.table({"id_number": pa.array(ids, pa.string())})


def _kin(ids: set[str]) -> pa.Table:
    from doudi.registry.models import Kinship

    pairs = set()
    for a, b in Kinship.objects.filter(person__id_number__in=ids).values_list("person__id_number",
                                                                               "relative__id_number"):
        pairs.add((a, b))
    for a, b in Kinship.objects.filter(relative__id_number__in=ids).values_list("relative__id_number",
                                                                                 "person__id_number"):
        pairs.add((a, b))
    return pa.table({"id_number": pa.array([a for a, _ in pairs], pa.string()),
                     "relative_id_number": pa.array([b for _, b in pairs], pa.string())})


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
              engine_name: str = "duckdb", scheduler: str | None = None) -> CheckRun:
    """月度比对 of one county (user None = the scheduled job); findings written in one transaction.

    `engine_name` "dask": the same engine.check as a task on a Dask cluster (`scheduler` address, or a
    LocalCluster), the export written as the county's partition under <root>/work/."""
    county = _check_county(county)
    _may_run(user, county)
    on = on or timezone.localdate()
    started = timezone.now()
    tables = export(county, on)
    snaps = {code: latest_snapshots(code, county, on) for code in kinds()}
    paths = {code: [str(snapshot_path(s)) for s in ss] for code, ss in snaps.items() if ss}
    by_file = {str(snapshot_path(s)): s for ss in snaps.values() for s in ss}
    pairs = set(zip(tables["benefits"]["county"].to_pylist(), tables["benefits"]["residence"].to_pylist(),
                    strict=True))
    notes: list[str] = []
    limits = engine.limits(pairs, on, sets)
    threshold = float(param("possible_match_threshold"))
    if engine_name == "dask":
        found = _on_dask(county, tables, limits, paths, on, threshold, scheduler)
    else:
        found = engine.check(tables["benefits"], tables["members"], limits, paths, on, staff=tables["staff"],
                             kin=tables["kin"], threshold=threshold, notes=notes)
    return _record(user, county, on, started, tables, found, by_file, snaps, notes, engine_name)


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


@transaction.atomic
def _record(user: Any, county: str, on: dt.date, started: Any, tables: dict, found: pa.Table, by_file: dict,
            snaps: dict, notes: list[str], engine_name: str = "duckdb") -> CheckRun:
    from doudi.benefits.models import Benefit
    from doudi.procedure.steps import add_working_days
    from doudi.registry.models import Person

    run = CheckRun.objects.create(county=county, run_on=on, started_at=started, by=user, engine=engine_name,
                                  recipients=tables["members"].num_rows,
                                  snapshots=[snapshot_ref(s) for ss in snaps.values() for s in ss], notes=notes)
    due = add_working_days(on, int(param("finding_check_working_days")))
    counts: Counter = Counter()
    new = 0
    benefits = Benefit.objects.in_bulk(set(found["benefit_id"].to_pylist()))
    persons = Person.objects.in_bulk({p for p in found["person_id"].to_pylist() if p is not None})
    for row in found.to_pylist():
        counts[row["kind"]] += 1
        benefit = benefits[row["benefit_id"]]
        earlier = Finding.objects.filter(benefit=benefit, kind=row["kind"], key=row["key"][:120])
        if earlier.filter(state=FindingState.OPEN).update(last_run=run) or earlier.exists():
            continue
        person = persons.get(row["person_id"])
        figures = json.loads(row["figures"] or "{}")
        snap = by_file.get(_path_of(row["source_file"]))
        source = {**snapshot_ref(snap), "row": row["source_row"]} if snap else {}
        Finding.objects.create(
            run=run, last_run=run, kind=row["kind"], match=row["match"],
            score=None if row["score"] is None else Decimal(str(round(row["score"], 3))), benefit=benefit,
            household=benefit.household, person=person, region=benefit.household.region_code, key=row["key"][:120],
            detail=describe(row["kind"], figures, person, row["match"], row["score"]), figures=figures,
            source=source, due_on=getattr(due, "date", due), due_warning=getattr(due, "warning", None) or "")
        new += 1
    run.counts, run.new_findings, run.finished_at = dict(counts), new, timezone.now()
    run.save()
    audit.record(user, AuditKind.STEP, run, action="verification.monthly_check", area=county,
                 reason=f"月度比对：{run.recipients} 人，发现 {sum(counts.values())} 项（新 {new} 项）",
                 detail={"counts": dict(counts), "new": new})
    return run


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

