"""Per-application verification (核对, PR-6): the request, its run against the latest snapshots,
the 核对报告, and the recheck (复查) after the applicant objects (民发〔2021〕57号 第十八条).

The only writers of requests and reports. Each service takes the acting user, checks role and
area through doudi.accounts.access (outside the area 404, inside without the role 403), runs in
one transaction and writes its audit entry. The township's 提请核对 stays a step of the 低保
procedure (doudi.cases.services.request_verification calls `open_request`); issuing the report
takes the case's step 登记核对结果 (`record_verification`) with the report.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.verification import attachments, report
from doudi.verification.datasets import VerificationError, latest_snapshots, snapshot_path, snapshot_ref
from doudi.verification.kinds import kinds
from doudi.verification.models import RequestState, VerificationReport, VerificationRequest

__all__ = ["VerificationError", "open_request", "start", "run", "issue", "object_to", "visible_requests",
           "access_request", "current_report", "blocking_reason", "reports_of_case"]


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def visible_requests(user: Any):
    """Requests the user may read: the verification officer's (verification.run) and the case's users'
    (case.view) in their areas. Never a liaison's (no household is shown to a department)."""
    qs = VerificationRequest.objects.select_related("household", "case")
    run = access.scope_queryset(user, qs, Action.VERIFICATION_RUN)
    seen = access.scope_queryset(user, qs, Action.CASE_VIEW)
    return qs.filter(pk__in=run.values("pk")) | qs.filter(pk__in=seen.values("pk"))


def access_request(user: Any, pk: Any, *, reason: str = "查看核对请求", lock: bool = False) -> VerificationRequest:
    """The request if the user may read it (404 otherwise); the read is audited (it shows a household's figures)."""
    qs = visible_requests(user)
    if lock:
        qs = VerificationRequest.objects.select_for_update().filter(pk__in=qs.values("pk"))
    try:
        req = qs.get(pk=pk)
    except (VerificationRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该核对请求，或不在您的辖区内") from None
    if not lock:
        audit.record(user, AuditKind.READ, req, action="verification.view", reason=reason)
    return req


def _require_run(user: Any, req: VerificationRequest) -> None:
    if not access.in_area(access.areas_of(user, Action.VERIFICATION_RUN), req.region):
        raise PermissionDenied("只有核对员可以开展信息核对、出具核对报告")


# --- the request ------------------------------------------------------------------------------

def open_request(user: Any, case: Any, case_verification: Any, *, authorisation: tuple[bytes, str] | None,
                 on: dt.date) -> VerificationRequest:
    """提请核对 (called by the 低保 procedure inside its transaction): the request with the
    applicant's signed authorisation (授权书) stored; the county starts within 3 working days
    (NAT-DB-DEADLINES, 审核确认办法 第十八条; the case's verification deadline)."""
    data, name = authorisation or (b"", "")
    try:
        stored = attachments.store_file(data, name, f"authorisations/{case.region[:6]}")
    except attachments.AttachmentError as exc:
        raise VerificationError(str(exc), "authorisation") from None
    try:
        req = VerificationRequest.objects.create(
            case=case, case_verification=case_verification, household=case.household, region=case.region,
            requested_by=user, requested_on=on, due_on=case_verification.due_on,
            due_warning=case.due_warning or "", authorisation_name=stored.name, authorisation_path=stored.path,
            authorisation_type=stored.content_type, authorisation_sha256=stored.sha256)
        audit.record(user, AuditKind.STEP, req, action="verification.request",
                     reason=f"提请核对，授权书 {stored.name}（{stored.size} 字节）",
                     detail={"case": case.pk, "due_on": req.due_on.isoformat(), "sha256": stored.sha256})
    except BaseException:
        attachments.remove_file(stored.path)
        raise
    return req


@transaction.atomic
def start(user: Any, pk: Any, *, on: dt.date | None = None) -> VerificationRequest:
    """启动核对: the county's verification officer takes the request (the 3-working-day limit is met or not)."""
    req = access_request(user, pk, lock=True)
    _require_run(user, req)
    if req.state != RequestState.REQUESTED:
        raise VerificationError(f"该核对请求当前为「{req.get_state_display()}」，无需再启动", "state")
    today = _today(on)
    req.state, req.started_by, req.started_on = RequestState.STARTED, user, today
    req.version += 1
    req.save()
    late = today > req.due_on
    audit.record(user, AuditKind.STEP, req, action="verification.start",
                 reason="启动信息核对" + (f"（超过 {req.due_on} 的期限）" if late else ""),
                 detail={"due_on": req.due_on.isoformat(), "late": late})
    return req


# --- the run and the report -------------------------------------------------------------------

def _records(members: list[dict], county: str, on: dt.date) -> tuple[dict, dict, list[dict], list[dict]]:
    """The members' records in the latest snapshots of every kind covering the county:
    (ID number → kind → records, kind → snapshot refs, the snapshots used, possible matches)."""
    import duckdb

    from doudi.verification import matching
    from doudi.verification.engine import query
    from doudi.verification.params import param

    ids = [m.get("id_number") for m in members if m.get("id_number")]
    births = sorted({m.get("birth_date") for m in members if m.get("birth_date")})
    records: dict[str, dict[str, list[dict]]] = {i: {} for i in ids}
    sources: dict[str, list[dict]] = {}
    used: list[dict] = []
    possible: list[dict] = []
    threshold = param("possible_match_threshold")
    con = duckdb.connect()
    try:
        for code in kinds():
            snaps = latest_snapshots(code, county, on)
            if not snaps:
                continue
            refs = [snapshot_ref(s) for s in snaps]
            sources[code], used = refs, used + refs
            paths = [str(snapshot_path(s)) for s in snaps]
            rows = query(con, "SELECT * FROM read_parquet(?, union_by_name=true) WHERE list_contains(?, id_number)"
                         " ORDER BY row", [paths, ids]).to_pylist()
            for r in rows:
                records[r["id_number"]].setdefault(code, []).append(r)
            if not births:
                continue
            loose = query(con, "SELECT * FROM read_parquet(?, union_by_name=true) WHERE id_number IS NULL AND "
                          "list_contains(?, strftime(birth_date, '%Y-%m-%d'))", [paths, births]).to_pylist()
            for r in loose:
                for m in members:
                    if m.get("birth_date") != r["birth_date"].isoformat():
                        continue
                    s = matching.score(m.get("name", ""), r["name"], m.get("region") or county, r.get("region"))
                    if s >= float(threshold):
                        possible.append({"member": m.get("name"), "masked_id": report.masked(m.get("id_number")),
                                         "kind": code, "label": kinds()[code].label, "record_name": r["name"],
                                         "row": r["row"], "score": round(s, 3), "sources": refs,
                                         "explain": matching.explain(m.get("name", ""), r["name"],
                                                                     m.get("region") or county, r.get("region"),
                                                                     threshold)})
    finally:
        con.close()
    return records, sources, used, possible


def _document(req: VerificationRequest, on: dt.date) -> dict:
    from doudi.registry.documents import household_document

    return household_document(req.household, on)


@transaction.atomic
def run(user: Any, pk: Any, *, on: dt.date | None = None) -> VerificationReport:
    """开展核对: compare the household (as the registry has it on the day) with the latest snapshots and
    write the report (not yet issued; run again, it is rewritten until it is issued)."""
    req = access_request(user, pk, lock=True)
    _require_run(user, req)
    today = _today(on)
    if req.state == RequestState.ISSUED:
        raise VerificationError("核对报告已出具，不能再修改；申请人有异议的，由乡镇登记异议后复查", "state")
    if req.state == RequestState.REQUESTED:
        req.state, req.started_by, req.started_on = RequestState.STARTED, user, today
        req.version += 1
        req.save()
    doc = _document(req, today)
    for m in doc["members"]:
        m.setdefault("region", req.household.region_code)
    records, sources, used, possible = _records(doc["members"], req.household.county, today)
    for m in doc["members"]:
        m.pop("region", None)
    built = report.build(doc, records, sources, today, possible)
    existing = VerificationReport.objects.filter(request=req).first()
    rep = existing or VerificationReport(request=req, number=f"HD{req.region[:6]}{today:%Y}{req.pk:06d}")
    rep.run_by, rep.run_on, rep.snapshots = user, today, used
    rep.items, rep.possible = built.items, built.possible
    rep.declared_document, rep.department_document = doc, built.department_document
    rep.declared_decision, rep.department_decision = built.declared_decision, built.department_decision
    rep.changes_decision, rep.consistent, rep.summary = built.changes_decision, built.consistent, built.summary
    rep.save()
    audit.record(user, AuditKind.STEP, req, action="verification.run", reason="开展信息核对（PR-6）",
                 detail={"report": rep.pk, "snapshots": [s["snapshot"] for s in used],
                         "changes_decision": rep.changes_decision, "possible": len(possible)})
    return rep


@transaction.atomic
def issue(user: Any, pk: Any, *, on: dt.date | None = None) -> VerificationReport:
    """出具核对报告: the report is fixed; the first request's report is the case's 核对结果
    (the 低保 procedure's step record_verification)."""
    req = access_request(user, pk, lock=True)
    _require_run(user, req)
    rep = VerificationReport.objects.filter(request=req).first()
    if rep is None:
        raise VerificationError("请先开展核对，生成核对报告", "report")
    if rep.issued_on:
        raise VerificationError("核对报告已经出具", "report")
    today = _today(on)
    rep.issued_by, rep.issued_on = user, today
    rep.save()
    req.state = RequestState.ISSUED
    req.version += 1
    req.save()
    if req.case_id and not req.is_recheck:
        from doudi.cases import services as cases

        cases.record_verification(user, req.case_id, result=rep.summary, consistent=rep.consistent, report=rep,
                                  on=today)
    audit.record(user, AuditKind.DECISION, req, action="verification.issue",
                 reason=("出具复查报告 " if req.is_recheck else "出具核对报告 ") + rep.number,
                 detail={"report": rep.pk, "changes_decision": rep.changes_decision, "consistent": rep.consistent})
    return rep


# --- the objection and the recheck (复查) -------------------------------------------------------

@transaction.atomic
def object_to(user: Any, report_pk: Any, *, objection: str, on: dt.date | None = None) -> VerificationRequest:
    """登记异议: the applicant objects to the report's result with evidence; a recheck (复查) request
    follows, due like a request (民发〔2021〕57号 第十八条; the county starts within 3 working days)."""
    from doudi.cases.procedure import DeadlineKind, due_for
    from doudi.procedure.steps import add_working_days

    try:
        rep = VerificationReport.objects.select_for_update().select_related("request").get(
            pk=report_pk, request__in=visible_requests(user))
    except (VerificationReport.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该核对报告，或不在您的辖区内") from None
    req = rep.request
    if not any(access.in_area(access.areas_of(user, a), req.region) for a in (Action.CASE_ACCEPT, Action.CASE_INVESTIGATE)):
        raise PermissionDenied("申请人的异议由乡镇（街道）登记")
    if not rep.issued_on:
        raise VerificationError("核对报告尚未出具", "report")
    if VerificationRequest.objects.filter(recheck_of=rep).exists():
        raise VerificationError("对该报告的异议已经登记，复查正在进行或已完成", "objection")
    if req.case_id and req.case.state not in ("verified",):
        raise VerificationError(f"案件当前为「{req.case.state_name}」：异议须在审核前提出", "objection")
    text = (objection or "").strip()
    if not text:
        raise VerificationError("请填写申请人的异议及所附证明材料", "objection")
    today = _today(on)
    due = due_for(DeadlineKind.VERIFICATION, today, add_working_days)
    recheck = VerificationRequest.objects.create(
        case=req.case, household=req.household, region=req.region, requested_by=user, requested_on=today,
        due_on=due.date, due_warning=due.warning or "", authorisation_name=req.authorisation_name,
        authorisation_path=req.authorisation_path, authorisation_type=req.authorisation_type,
        authorisation_sha256=req.authorisation_sha256, recheck_of=rep, objection=text)
    audit.record(user, AuditKind.STEP, recheck, action="verification.object",
                 reason=f"申请人对核对报告 {rep.number} 有异议，提请复查：{text[:200]}",
                 detail={"report": rep.pk, "due_on": due.date.isoformat()})
    return recheck


# --- what the case shows ----------------------------------------------------------------------

def reports_of_case(case: Any) -> list[VerificationReport]:
    """The case's reports, first request first, then the rechecks (issued or not)."""
    return list(VerificationReport.objects.filter(request__case=case).select_related("request").order_by(
        "request__requested_on", "request_id"))


def current_report(case: Any) -> VerificationReport | None:
    """The latest issued report of the case (a recheck's replaces the one objected to)."""
    return (VerificationReport.objects.filter(request__case=case, issued_on__isnull=False)
            .order_by("-issued_on", "-id").first())


def blocking_reason(case: Any, recommend: bool) -> str:
    """Why the township may not propose now ("" if it may): a recheck still open; or, to recommend
    approval, a report whose department figures make the household ineligible (PR-6)."""
    if VerificationRequest.objects.filter(case=case, recheck_of__isnull=False).exclude(
            state=RequestState.ISSUED).exists():
        return "申请人对核对结果有异议，复查尚未完成，须待复查报告出具后再审核"
    rep = current_report(case)
    if recommend and rep is not None:
        dibao = rep.department_decision.get("programs", {}).get("dibao")
        if dibao is not None and not dibao.get("eligible"):
            return (f"核对报告 {rep.number} 按部门数据核算不符合低保条件，不能建议批准"
                    "（申请人有异议的，可登记异议申请复查）")
    return ""
