"""The only writers of the monitoring app: the scan, the register, a warning's task (PR-7).

- ``scan(user, county, on)`` reads the register's households, the households a department file
  names, the households of villages hit by a disaster and those with a 低保 / 特困 benefit; builds
  their facts (facts.py), runs every warning rule of the policy core (doudi.policy.monitoring),
  runs the policy core on the department document (应保尽保: MW-LOUBAO where the rules make the
  household eligible and it has no benefit or open case; MW-CUOBAO where a recipient is no longer
  eligible), raises the warnings not raised before on the same evidence, and brings the register
  up to date (低保 / 特困 by their benefits, 低保边缘 and 刚性支出困难 by the rules, 防返贫监测对象 by
  the latest 乡村振兴 snapshot).
- A warning's task: ``assign``, ``record_visit`` (with a photo), one outcome — ``open_application``
  (低保 / 特困 / 临时救助, linked), ``start_review`` (a 错保 finding → the benefit's review),
  ``close`` (referral, no need, unreachable: a reason required); ``escalate_overdue`` hands
  overdue tasks to the county. Village reports (``report``) are warnings of their own kind.

Every write is audited (``monitoring.*``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import is_valid_region_code, region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action, Role, actions_of
from doudi.monitoring.models import (
    OPEN_STATES,
    Alert,
    Category,
    Disaster,
    EntryWay,
    Outcome,
    RegisterEntry,
    Scan,
    State,
    Visit,
)
from doudi.params.store import current_policy
from doudi.policy import monitoring as rules
from doudi.policy.identity import normalise_id_number
from doudi.policy.wording import zh_punct

PROGRAM_LABELS = {"dibao": "低保", "tekun": "特困人员救助供养", "temporary": "临时救助"}


class MonitoringError(Exception):
    """A refused step, in Chinese, naming the form field."""

    def __init__(self, message: str, field: str = "__all__"):
        message = zh_punct(message)
        super().__init__(message)
        self.message, self.field = message, field


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


# --- who sees what ------------------------------------------------------------------------------------

def visible_alerts(user: Any):
    """Warnings in the user's areas; a village assistant sees only the reports he made in his village."""
    q = Q(pk__in=[])
    for role, area in access.roles_of(user):
        if Action.CASE_VIEW not in actions_of(role):
            continue
        where = region_q("region", area)
        q |= (where & Q(reported_by=user)) if role == Role.VILLAGE_ASSISTANT else where
    return Alert.objects.filter(q)


def visible_entries(user: Any):
    """The register in the user's areas (not for a village assistant)."""
    qs = RegisterEntry.objects.all()
    q = Q(pk__in=[])
    for role, area in access.roles_of(user):
        if Action.CASE_VIEW in actions_of(role) and role != Role.VILLAGE_ASSISTANT:
            q |= region_q("region", area)
    return qs.filter(q)


def access_alert(user: Any, pk: Any, *, lock: bool = False, reason: str = "") -> Alert:
    qs = visible_alerts(user)
    # a lock takes the warning's row only (PostgreSQL refuses FOR UPDATE on the nullable household join)
    qs = qs.select_for_update(of=("self",)) if lock else qs.select_related("household")
    try:
        alert = qs.get(pk=pk)
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该预警，或不在您的辖区内") from None
    if reason:
        audit.record(user, AuditKind.READ, alert, action="monitoring.read", reason=reason)
    return alert


def may_handle(user: Any, alert: Alert) -> bool:
    """The township's caseworker of the area handles the task; the county once it is escalated."""
    if access.in_area(access.areas_of(user, Action.CASE_ACCEPT), alert.region):
        return True
    return bool(alert.escalated_on) and access.in_area(access.areas_of(user, Action.CASE_APPROVE), alert.region)


def _handle(user: Any, pk: Any, version: Any = None) -> Alert:
    alert = access_alert(user, pk, lock=True)
    if not may_handle(user, alert):
        raise PermissionDenied("只有乡镇（街道）经办人可以处置预警（逾期后县级民政部门也可处置）")
    if not alert.is_open:
        raise MonitoringError("该预警已办结")
    if version not in (None, "") and str(alert.version) != str(version):
        raise MonitoringError("该预警已被他人处理，请刷新后再试")
    return alert


def _save(alert: Alert, user: Any, action: str, reason: str, **detail: Any) -> Alert:
    alert.version += 1
    alert.save()
    audit.record(user, AuditKind.STEP, alert, action=f"monitoring.{action}", reason=reason, detail=detail)
    return alert


# --- raising warnings -----------------------------------------------------------------------------------

def _due(level: str, region: str, on: dt.date, residence: str = "urban") -> dt.date:
    return on + dt.timedelta(days=rules.deadline_days(level, region[:6], on, residence, policy=current_policy()))


def raise_alert(*, rule: str, household: Any = None, person: Any = None, region: str, key: str = "", detail: str,
                on: dt.date, figures: dict | None = None, scan: Scan | None = None, reported_by: Any = None,
                subject_name: str = "", subject_id_number: str = "") -> Alert | None:
    """One warning, unless the same rule was raised on the same household with the same evidence
    (``key``) before — open or closed (the same evidence handled once is not raised again)."""
    r = rules.rule(rule)
    if household is not None and Alert.objects.filter(household=household, rule=rule, key=key).exists():
        return None
    residence = household.residence if household is not None else "urban"
    try:
        with transaction.atomic():
            return Alert.objects.create(
                rule=rule, level=r.level, household=household, person=person, region=region, key=key[:60],
                raised_on=on, due_on=_due(r.level, region, on, residence), detail=zh_punct(detail), figures=figures or {},
                scan=scan, reported_by=reported_by, subject_name=subject_name, subject_id_number=subject_id_number)
    except IntegrityError:  # raised meanwhile by another scan
        return None


def _check_county(county: Any) -> str:
    county = str(county or "").strip()
    if len(county) != 6 or not county.isdigit() or not is_valid_region_code(county):
        raise MonitoringError(f"县（区）代码 {county or '（空）'} 无效：应为现行6位行政区划代码", "county")
    return county


def _may_scan(user: Any, county: str) -> None:
    if user is None:
        return  # the scheduled job, the command line
    if not (access.in_area(access.areas_of(user, Action.CASE_APPROVE), county)
            or access.in_area(access.areas_of(user, Action.VERIFICATION_RUN), county)):
        raise PermissionDenied("只有县级民政部门可以运行监测扫描")


def scan_households(county: str, on: dt.date) -> list[Any]:
    """The households a scan looks at: the register's, those with a 低保 / 特困 benefit (live or
    stopped), those a department file names, those of villages hit by a disaster."""
    from doudi.registry.models import Household, Membership

    ids = set(RegisterEntry.objects.filter(region_q("region", county), left_on__isnull=True)
              .values_list("household_id", flat=True))
    try:
        from doudi.benefits.models import Benefit

        ids |= set(Benefit.objects.filter(region_q("region", county), program__in=("dibao", "tekun"),
                                          household__isnull=False).values_list("household_id", flat=True))
    except ImportError:
        pass
    named = _named_in_department_files(county, on)
    if named:
        ids |= set(Membership.objects.filter(person__id_number__in=named, household__county=county, end__isnull=True)
                   .values_list("household_id", flat=True))
    since = on - dt.timedelta(days=400)
    for region in Disaster.objects.filter(region_q("region", county), occurred_on__gte=since,
                                          occurred_on__lte=on).values_list("region", flat=True).distinct():
        ids |= set(Household.objects.filter(region_q("region_code", region)).values_list("pk", flat=True))
    return list(Household.objects.filter(pk__in=ids, county=county).order_by("pk"))


def _named_in_department_files(county: str, on: dt.date) -> list[str]:
    try:
        from doudi.verification.datasets import latest_snapshots, snapshot_path
    except ImportError:
        return []
    import duckdb

    from doudi.monitoring.departments import KINDS as DEPARTMENT_KINDS
    from doudi.monitoring.facts import KINDS

    out: set[str] = set()
    con = duckdb.connect()
    try:
        # the kinds that signal hardship: death, disability, unemployment, school, medical, and the departments'
        for code in KINDS[:5] + DEPARTMENT_KINDS:
            paths = [str(snapshot_path(s)) for s in latest_snapshots(code, county, on)]
            if paths:
                out |= {r[0] for r in con.execute("SELECT DISTINCT id_number FROM read_parquet(?, union_by_name=true)"
                                                  " WHERE id_number IS NOT NULL", [paths]).fetchall()}
    finally:
        con.close()
    return sorted(out)


def scan(user: Any, county: Any, *, on: dt.date | None = None) -> Scan:
    """监测扫描 of one county on a day: every rule, 应保尽保, the register; the new warnings by rule."""
    from doudi.monitoring.facts import decide_all, department_records, documents, household_facts

    county = _check_county(county)
    _may_scan(user, county)
    on = _today(on)
    started, clock = timezone.now(), time.perf_counter()
    households = scan_households(county, on)
    ids = sorted({m.person.id_number for h in households for m in h.memberships_on(on).select_related("person")})
    records, sources = department_records(ids, county, on)
    disasters = list(Disaster.objects.filter(region_q("region", county), occurred_on__lte=on))
    try:
        from doudi.benefits.models import Benefit

        benefits_of: dict[int, list] = {}
        for b in Benefit.objects.filter(household__in=households):
            benefits_of.setdefault(b.household_id, []).append(b)
    except ImportError:
        benefits_of = {}
    entries_of: dict[int, dict[str, RegisterEntry]] = {}
    for e in RegisterEntry.objects.filter(household__in=households, left_on__isnull=True):
        entries_of.setdefault(e.household_id, {})[e.category] = e
    docs, depts = documents(households, on, records, sources)
    decisions = decide_all(depts)
    found = [household_facts(h, on, doc, dept, decision, records, benefits_of.get(h.pk, []), disasters,
                             set(entries_of.get(h.pk, {})))
             for h, doc, dept, decision in zip(households, docs, depts, decisions, strict=True)]
    rural_snaps = sources.get(RURAL_KIND, [])
    for f in found:  # the 防返贫监测对象 category as the latest 乡村振兴 snapshot has it (_sync_rural)
        f.row["anti_poverty"] = _in_anti_poverty(f, entries_of.get(f.household.pk, {}).get("anti_poverty"),
                                                 rural_snaps)
    facts = rules.Facts.from_rows([f.row for f in found])
    raised: Counter = Counter()
    entered: Counter = Counter()
    left: Counter = Counter()
    with transaction.atomic():
        run = Scan.objects.create(county=county, on_date=on, started_at=started, households=len(found),
                                  by=user if getattr(user, "pk", None) else None)
        policy = current_policy()  # the deployment's figures (YAML + approved values, doudi.params)
        for hit in rules.evaluate(facts, on, policy):
            f = found[hit.index]
            person = _person(f.persons.get(hit.rule))
            alert = raise_alert(rule=hit.rule, household=f.household, person=person, region=f.household.region_code,
                                key=f.keys.get(hit.rule, ""), detail=hit.detail, on=on, scan=run,
                                figures={"sources": list(hit.sources), "row": _plain_row(f.row)})
            raised[hit.rule] += alert is not None
        for f in found:
            for alert in _coverage(f, on, run):
                raised[alert.rule] += 1
        t = rules.Thresholds(facts, on, policy)
        cats = rules.categories(facts, t)
        for i, f in enumerate(found):
            now = {c for c, mask in cats.items() if mask[i]}
            e, lv = _sync_register(f, now, entries_of.get(f.household.pk, {}), on,
                                   rules.rigid_detail(facts, t, i) if "rigid" in now else "")
            entered.update(e)
            left.update(lv)
            e, lv = _sync_rural(f, entries_of.get(f.household.pk, {}).get("anti_poverty"), on, rural_snaps)
            entered.update(e)
            left.update(lv)
        escalate_overdue(on)
        run.raised = {k: v for k, v in sorted(raised.items()) if v}
        run.entered, run.left = dict(entered), dict(left)
        run.seconds = round(time.perf_counter() - clock, 3)
        run.save()
        audit.record(user, AuditKind.STEP, run, area=county, action="monitoring.scan", reason="监测预警扫描",
                     detail={"on": on.isoformat(), "households": len(found), "raised": run.raised,
                             "entered": run.entered, "left": run.left})
    return run


def _plain_row(row: dict) -> dict:
    return {k: (v if isinstance(v, (int, bool, str)) else str(v)) for k, v in row.items()}


def _person(id_number: str | None) -> Any:
    if not id_number:
        return None
    from doudi.registry.models import Person

    return Person.objects.filter(id_number=id_number).first()


def _open_case(household: Any, program: str) -> bool:
    """An application of the program in progress for the household."""
    if program == "dibao":
        try:
            from doudi.cases.models import Case
            from doudi.cases.procedure import FINAL_STATES
        except ImportError:
            return False
        return Case.objects.filter(household=household).exclude(state__in=[s.value for s in FINAL_STATES]).exists()
    module = {"tekun": "doudi.support.models", "temporary": "doudi.relief.models"}[program]
    try:
        from importlib import import_module

        mod = import_module(module)
    except ImportError:
        return False
    model = getattr(mod, "SupportCase", None) or getattr(mod, "ReliefCase", None)
    if model is None:
        return False
    finals = getattr(import_module(module.replace("models", "procedure")), "FINAL_STATES", ())
    return model.objects.filter(household=household).exclude(
        state__in=[getattr(s, "value", s) for s in finals]).exists()


def explanation(f: Any, program: str, on: dt.date) -> list[dict]:
    """The policy core's trace of one program for the household (its department document): rule,
    source, the sentence with the figures."""
    from doudi.monitoring.facts import explained

    decision = explained(f.doc, on)
    return [{"rule": s["rule"], "source": s.get("source", ""), "detail": s["detail"]}
            for s in decision["programs"].get(program, {}).get("trace", [])]


def _coverage(f: Any, on: dt.date, run: Scan) -> list[Alert]:
    """应保尽保: eligible by the rules and not covered (MW-LOUBAO); covered and no longer eligible (MW-CUOBAO)."""
    out = []
    programs = f.decision["programs"]
    for program in ("dibao", "tekun", "temporary"):
        result = programs.get(program)
        if result is None:
            continue
        covered = program in f.live
        key = f"{program}-{f.digest}"
        rule = "MW-CUOBAO" if covered else "MW-LOUBAO"
        if Alert.objects.filter(household=f.household, rule=rule, key=key).exists():
            continue  # raised before on the same figures: no new warning, no new explanation to build
        if result["eligible"] and not covered and not _open_case(f.household, program):
            amount = result.get("amount")
            text = (f"按政策核算（含部门数据）该家庭符合{PROGRAM_LABELS[program]}条件"
                    + (f"，测算金额 {amount} 元" if amount and amount != "0.00" else "")
                    + "，但无在保待遇，也无在办申请（疑似漏保）")
            alert = raise_alert(rule="MW-LOUBAO", household=f.household, region=f.household.region_code,
                                key=key, detail=text + "(PR-7)", on=on, scan=run,
                                figures={"program": program, "explanation": explanation(f, program, on),
                                         "amount": amount})
        elif covered and program in ("dibao", "tekun") and not result["eligible"]:
            b = f.live[program]
            text = (f"正在享受{PROGRAM_LABELS[program]}，但按最新家庭情况和部门数据核算已不符合条件（疑似错保），"
                    "应启动复核（NAT-DB-REVIEW、PR-7）")
            alert = raise_alert(rule="MW-CUOBAO", household=f.household, region=f.household.region_code,
                                key=key, detail=text, on=on, scan=run,
                                figures={"program": program, "benefit": b.pk,
                                         "explanation": explanation(f, program, on)})
        else:
            continue
        if alert is not None:
            out.append(alert)
    return out


def _sync_register(f: Any, now: set[str], entries: dict[str, RegisterEntry], on: dt.date,
                   rigid_text: str) -> tuple[list[str], list[str]]:
    """低保 / 特困 enter and leave with their benefits; 低保边缘 and 刚性支出困难 by the rules; 其他低收入
    only by a person (never left here); 防返贫监测对象 by the 乡村振兴 snapshot (_sync_rural) or a person."""
    entered, left = [], []
    auto = {"dibao", "tekun", "edge", "rigid"}
    for category in sorted(now & auto - set(entries)):
        if category in ("dibao", "tekun"):
            b = f.live[category]
            way, evidence, source = EntryWay.DECISION, f"{PROGRAM_LABELS[category]}待遇 {b.pk}（{b.start_month:%Y-%m}起）", {
                "benefit": b.pk}
        elif category == "edge":
            d = f.decision["programs"]["dibao"]
            way, evidence, source = EntryWay.RULE, (
                f"人均收入不低于低保标准 {d.get('standard')} 元、低于其1.5倍（按参数），财产符合规定，"
                "为低保边缘家庭（DB-8、NAT-DB-EDGE）"), {"rules": ["DB-8", "NAT-DB-EDGE"]}
        else:
            way, evidence, source = EntryWay.RULE, rigid_text, {"rules": ["NAT-RIGID"]}
        person = f.live[category].person if category == "tekun" else None
        RegisterEntry.objects.create(household=f.household, person=person, region=f.household.region_code,
                                     category=category, entered_on=on, way=way, evidence=zh_punct(evidence),
                                     source=source)
        entered.append(category)
    for category, e in entries.items():
        if category in auto and category not in now:
            e.left_on = on
            e.left_reason = ("待遇已停止或终止" if category in ("dibao", "tekun")
                             else "按最新家庭情况核算已不属于该类别")
            e.save(update_fields=["left_on", "left_reason"])
            left.append(category)
    return entered, left


RURAL_KIND = "anti_poverty_object"  # 乡村振兴's 防返贫监测对象 (doudi/verification/data/kinds.yaml)


def _follows_snapshot(entry: RegisterEntry) -> bool:
    """An entry the 乡村振兴 snapshot brought in (and so may take out); one a township entered by a
    person (enter_from_alert) stays until a person ends it."""
    return entry.way == EntryWay.IMPORT and (entry.source or {}).get("kind") == RURAL_KIND


def _in_anti_poverty(f: Any, entry: RegisterEntry | None, snaps: list[dict]) -> bool:
    if f.rural[0] == "monitored":
        return True
    return entry is not None and not (snaps and _follows_snapshot(entry))


def _extracted(snaps: list[dict]) -> str:
    return "、".join(sorted({s["extracted_on"] for s in snaps}))


def _sync_rural(f: Any, entry: RegisterEntry | None, on: dt.date, snaps: list[dict]) -> tuple[list[str], list[str]]:
    """防返贫监测对象 follows the latest 乡村振兴 snapshot, as 低保 / 特困 follow their benefits: a
    household whose member it names (identified by the day, risk not eliminated) enters by import
    with the snapshot as evidence; an entry it brought in leaves on the day a later snapshot no
    longer names a member so, with the reason. With no snapshot of the kind nothing leaves."""
    from doudi.policy.identity import mask_id_number
    from doudi.verification.kinds import kind

    status, number, record = f.rural
    if status == "monitored" and entry is None:
        member = next((m for m in f.doc["members"] if m.get("id_number") == number), {})
        risk = kind(RURAL_KIND).column("risk").choices.get(record.get("risk") or "", record.get("risk") or "")
        identified = record["identified_on"]
        identified = identified.isoformat() if hasattr(identified, "isoformat") else str(identified)[:10]
        evidence = (f"乡村振兴部门防返贫监测对象数据（{_extracted(snaps)}提取）：家庭成员{member.get('name', '')}"
                    f"（{mask_id_number(number)}）于{identified}识别为防返贫监测对象，风险类型：{risk}，风险未消除")
        RegisterEntry.objects.create(
            household=f.household, region=f.household.region_code, category=Category.ANTI_POVERTY, entered_on=on,
            way=EntryWay.IMPORT, evidence=zh_punct(evidence),
            source={"kind": RURAL_KIND, "snapshots": snaps, "id_number": number, "identified_on": identified})
        return ["anti_poverty"], []
    if status != "monitored" and entry is not None and snaps and _follows_snapshot(entry):
        entry.left_on = on
        entry.left_reason = zh_punct(
            f"乡村振兴部门{_extracted(snaps)}提取的防返贫监测对象数据"
            + ("标注该家庭成员风险已消除" if status == "removed" else "已不再列有该家庭成员"))
        entry.save(update_fields=["left_on", "left_reason"])
        return [], ["anti_poverty"]
    return [], []


def enter(user: Any, household: Any, category: str, *, evidence: str, on: dt.date | None = None,
          way: str = EntryWay.WARNING, source: dict | None = None) -> RegisterEntry:
    """纳入低收入人口 by a person (其他低收入, 防返贫监测对象 …): the township, with the evidence."""
    household = access.access_household(user, household.pk, Action.CASE_ACCEPT)
    if category not in Category.values:
        raise MonitoringError("请选择类别", "category")
    if not (evidence or "").strip():
        raise MonitoringError("请填写纳入依据", "evidence")
    if RegisterEntry.objects.filter(household=household, category=category, left_on__isnull=True).exists():
        raise MonitoringError("该家庭已在此类别中", "category")
    e = RegisterEntry.objects.create(household=household, region=household.region_code, category=category,
                                     entered_on=_today(on), way=way, evidence=evidence.strip(), source=source or {})
    audit.record(user, AuditKind.STEP, e, action="monitoring.enter", reason=f"纳入{e.get_category_display()}",
                 detail={"category": category, "household": household.number})
    return e


@transaction.atomic
def enter_from_alert(user: Any, pk: Any, *, category: str, evidence: str, version: Any = None,
                     on: dt.date | None = None) -> RegisterEntry:
    """纳入低收入人口 (其他低收入, 防返贫监测对象) from a warning's visit: the township, with the evidence."""
    alert = _handle(user, pk, version)
    if alert.household_id is None:
        raise MonitoringError("请先关联该人员所在的家庭", "category")
    if category not in (Category.OTHER, Category.ANTI_POVERTY):
        raise MonitoringError("请选择类别", "category")
    return enter(user, alert.household, category, evidence=evidence, on=on, way=EntryWay.WARNING,
                 source={"alert": alert.pk})


# --- village reports ------------------------------------------------------------------------------------

@transaction.atomic
def report(user: Any, *, name: str, id_number: str = "", village: str, what: str, photo: Any = None,
           on: dt.date | None = None) -> Alert:
    """村(居)主动发现: a village assistant reports a person in difficulty (MW-VILLAGE)."""
    on = _today(on)
    name, what, village = (name or "").strip(), (what or "").strip(), (village or "").strip()
    if not name:
        raise MonitoringError("请填写姓名", "name")
    if not village:
        raise MonitoringError("请选择村（社区）", "village")
    if not access.in_area(access.areas_of(user, Action.CASE_REPORT), village):
        raise MonitoringError("只能报告本村（社区）的困难群众", "village")
    if not what:
        raise MonitoringError("请填写遇到的困难", "what")
    number = ""
    if (id_number or "").strip():
        number = normalise_id_number(id_number.strip()) or ""
        if not number:
            raise MonitoringError("身份证号无效：应为18位居民身份证号（出生日期、校验位须正确），不知道时请留空",
                                  "id_number")
    household = person = None
    if number:
        from doudi.registry.models import Membership

        m = (Membership.objects.filter(region_q("household__region_code", village[:9]), person__id_number=number,
                                       end__isnull=True)
             .select_related("household", "person").first())
        if m is not None:
            household, person = m.household, m.person
    alert = Alert.objects.create(
        rule="MW-VILLAGE", level=rules.rule("MW-VILLAGE").level, household=household, person=person,
        region=household.region_code if household else village, key=f"report-{timezone.now().timestamp()}",
        raised_on=on, due_on=_due(rules.rule("MW-VILLAGE").level, village, on), detail=zh_punct(f"村（居）报告：{what}"),
        reported_by=user, subject_name=name, subject_id_number=number)
    audit.record(user, AuditKind.STEP, alert, action="monitoring.report", reason="主动发现报告",
                 detail={"village": village, "household": household.number if household else ""})
    if photo is not None:
        from doudi.attachments.models import Kind
        from doudi.attachments.services import attach

        attach(user, alert, photo, Kind.VISIT_PHOTO, note="报告时拍摄")
    return alert


# --- the task ---------------------------------------------------------------------------------------------

@transaction.atomic
def assign(user: Any, pk: Any, *, assignee: Any = None, version: Any = None) -> Alert:
    """分派 to a caseworker of the area (default: oneself)."""
    from doudi.accounts.models import User

    alert = _handle(user, pk, version)
    who = user if assignee in (None, "") else User.objects.filter(pk=getattr(assignee, "pk", assignee)).first()
    if who is None or not access.in_area(access.areas_of(who, Action.CASE_ACCEPT), alert.region):
        raise MonitoringError("经办人须是该地区的乡镇（街道）经办人", "assignee")
    alert.assigned_to = who
    return _save(alert, user, "assign", f"分派给{who.display_name}", assignee=who.username)


@transaction.atomic
def link_household(user: Any, pk: Any, *, household_id: Any, version: Any = None) -> Alert:
    """A village report's person found in the registry: the warning belongs to that household."""
    alert = _handle(user, pk, version)
    try:
        household = access.access_household(user, household_id, Action.CASE_ACCEPT)
    except Http404:
        raise MonitoringError("未找到该家庭，或不在您的辖区内", "household_id") from None
    alert.household, alert.region = household, household.region_code
    return _save(alert, user, "link", f"关联家庭 {household.number}", household=household.number)


@transaction.atomic
def record_visit(user: Any, pk: Any, *, visited_on: Any, visitors: str, found: str, photo: Any = None,
                 version: Any = None, on: dt.date | None = None) -> Visit:
    """入户走访: who, when, what was found (a photo as attachment)."""
    alert = _handle(user, pk, version)
    today = _today(on)
    if not isinstance(visited_on, dt.date):
        raise MonitoringError("请填写走访日期（年-月-日）", "visited_on")
    if visited_on > today:
        raise MonitoringError("走访日期不能晚于今天", "visited_on")
    if visited_on < alert.raised_on:
        raise MonitoringError("走访日期不能早于预警日期", "visited_on")
    if not (visitors or "").strip():
        raise MonitoringError("请填写走访人员", "visitors")
    if not (found or "").strip():
        raise MonitoringError("请填写走访情况", "found")
    visit = Visit.objects.create(alert=alert, visited_on=visited_on, visitors=visitors.strip(), found=found.strip(),
                                 recorded_by=user)
    if alert.assigned_to_id is None:
        alert.assigned_to = user
    alert.state = State.VISITED
    _save(alert, user, "visit", "入户走访", visited_on=visited_on.isoformat(), visitors=visit.visitors)
    if photo is not None:
        from doudi.attachments.models import Kind
        from doudi.attachments.services import attach

        attach(user, alert, photo, Kind.VISIT_PHOTO, note=f"{visited_on:%Y-%m-%d} 入户走访")
    return visit


def _finish(alert: Alert, user: Any, outcome: str, note: str, on: dt.date, **link: str) -> Alert:
    alert.state, alert.outcome, alert.outcome_note = State.CLOSED, outcome, note
    alert.closed_on, alert.closed_by = on, user
    for k, v in link.items():
        setattr(alert, k, v)
    return _save(alert, user, "close", Outcome(outcome).label, outcome=outcome, note=note, **link)


@transaction.atomic
def open_application(user: Any, pk: Any, *, program: str = "dibao", version: Any = None,
                     on: dt.date | None = None) -> Alert:
    """The warning's outcome: an application opened for the household (linked to the warning)."""
    alert = _handle(user, pk, version)
    on = _today(on)
    if alert.household_id is None:
        raise MonitoringError("请先关联该人员所在的家庭（在户籍档案中登记）", "household_id")
    if program == "dibao":
        from doudi.cases.procedure import ProcedureError
        from doudi.cases.services import submit_application

        try:
            case = submit_application(user, alert.household_id, on=on)
        except ProcedureError as exc:
            raise MonitoringError(exc.message, "program") from None
        link = {"linked_app": "cases", "linked_pk": str(case.pk), "linked_label": f"低保申请 {case.number}"}
    elif program == "tekun":
        from doudi.support.services import submit

        person = alert.person or alert.household.head
        try:
            case = submit(user, household_id=alert.household_id, person_id=person.pk, on=on)
        except Exception as exc:  # the support app's refusal, in Chinese
            raise MonitoringError(getattr(exc, "message", str(exc)), "program") from None
        link = {"linked_app": "support", "linked_pk": str(case.pk), "linked_label": f"特困申请 {case.number}"}
    elif program == "temporary":
        from doudi.relief.services import submit

        try:
            case = submit(user, household_id=alert.household_id, description=alert.detail[:200], on=on)
        except Exception as exc:
            raise MonitoringError(getattr(exc, "message", str(exc)), "program") from None
        link = {"linked_app": "relief", "linked_pk": str(case.pk), "linked_label": f"临时救助 {case.number}"}
    else:
        raise MonitoringError("请选择救助项目", "program")
    return _finish(alert, user, Outcome.APPLICATION, link["linked_label"], on, **link)


@transaction.atomic
def start_review(user: Any, pk: Any, *, version: Any = None, on: dt.date | None = None) -> Alert:
    """A 错保 finding (MW-CUOBAO) → the benefit's review (doudi.benefits: a reported change)."""
    from doudi.benefits.services import BenefitError, report_change

    alert = _handle(user, pk, version)
    on = _today(on)
    benefit = (alert.figures or {}).get("benefit")
    if alert.rule != "MW-CUOBAO" or not benefit:
        raise MonitoringError("只有疑似错保预警可以启动复核")
    try:
        change = report_change(user, benefit, kind="other", occurred_on=alert.raised_on, on=on,
                               description=f"监测预警 {alert.pk}：{alert.detail}")
    except BenefitError as exc:
        raise MonitoringError(exc.message if hasattr(exc, "message") else str(exc)) from None
    return _finish(alert, user, Outcome.REVIEW, "已启动待遇复核", on, linked_app="benefits",
                   linked_pk=str(change.benefit_id), linked_label=f"待遇复核 {change.benefit_id}")


@transaction.atomic
def close(user: Any, pk: Any, *, outcome: str, note: str, version: Any = None, on: dt.date | None = None) -> Alert:
    """办结 without an application: referral, no need, unreachable — with the reason."""
    alert = _handle(user, pk, version)
    if outcome not in (Outcome.REFERRAL, Outcome.NO_NEED, Outcome.UNREACHABLE):
        raise MonitoringError("请选择处置结果", "outcome")
    if not (note or "").strip():
        raise MonitoringError("请填写处置说明（理由）", "note")
    if outcome in (Outcome.REFERRAL, Outcome.NO_NEED) and not alert.visits.exists():
        raise MonitoringError("转介或认定无需救助前须先入户走访", "outcome")
    return _finish(alert, user, outcome, note.strip(), _today(on))


def escalate_overdue(today: dt.date | None = None) -> int:
    """Open tasks past their deadline go to the county (escalated_on); audited, once each."""
    today = _today(today)
    n = 0
    for alert in Alert.objects.filter(state__in=OPEN_STATES, due_on__lt=today, escalated_on__isnull=True):
        alert.escalated_on = today
        alert.version += 1
        alert.save(update_fields=["escalated_on", "version"])
        audit.record(None, AuditKind.STEP, alert, action="monitoring.escalate", reason="逾期未处置，上报县级民政部门",
                     detail={"due_on": alert.due_on.isoformat()})
        n += 1
    return n


@transaction.atomic
def record_disaster(user: Any, *, region: str, kind: str, occurred_on: Any, note: str = "") -> Disaster:
    """登记灾害事件 of a village (the county, from the emergency department's report)."""
    region = (region or "").strip()
    if not is_valid_region_code(region) or len(region) < 9:
        raise MonitoringError("请填写受灾乡镇或村（社区）的区划代码（9或12位）", "region")
    if not access.in_area(access.areas_of(user, Action.CASE_APPROVE), region):
        raise MonitoringError("只能登记本县（区）的灾害事件", "region")
    if not (kind or "").strip():
        raise MonitoringError("请填写灾害类型", "kind")
    if not isinstance(occurred_on, dt.date):
        raise MonitoringError("请填写发生日期（年-月-日）", "occurred_on")
    d = Disaster.objects.create(region=region, kind=kind.strip(), occurred_on=occurred_on, note=(note or "").strip(),
                                recorded_by=user)
    audit.record(user, AuditKind.STEP, d, action="monitoring.disaster", reason=f"登记灾害：{d.kind}")
    return d
