"""Pages of verification. Thin: every write goes through services.py, datasets.py, monthly.py.

A department liaison sees only the data sets of its own department (upload, snapshots): no
request, report, finding or household reaches its pages (security.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.procedure.views import attempt, attempt_button, refusal_status
from doudi.verification import attachments, datasets, monthly, queries, services
from doudi.verification.datasets import VerificationError
from doudi.verification.forms import AnswerForm, AskForm, CheckForm, ObjectionForm, ReasonForm, UploadForm, VersionForm
from doudi.verification.models import CheckRun, FindingState, Match, RequestState

# --- data sets -----------------------------------------------------------------------------------

@login_required
def index(request: HttpRequest) -> HttpResponse:
    """核对 home: the officer's requests, the data sets the user may see."""
    user = request.user
    if not (access.areas_of(user, Action.VERIFICATION_RUN) or access.areas_of(user, Action.DATA_UPLOAD)
            or access.areas_of(user, Action.CASE_VIEW)):
        raise PermissionDenied("您无权查看核对工作")
    return redirect("verification:datasets" if not access.areas_of(user, Action.CASE_VIEW) else "verification:requests")


@login_required
def dataset_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (access.areas_of(user, Action.VERIFICATION_RUN) or access.areas_of(user, Action.DATA_UPLOAD)):
        raise PermissionDenied("您无权查看部门数据")
    return render(request, "verification/datasets.html", {
        "datasets": datasets.visible_datasets(user).prefetch_related("snapshots__uploaded_by"),
        "may_upload": datasets.upload_departments(user) != []})


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """上传部门数据: the whole file or nothing; the problems by row and column when refused."""
    user = request.user
    deps = datasets.upload_departments(user)
    if deps == []:
        raise PermissionDenied("您无权上传部门数据")
    form = UploadForm(request.POST or None, request.FILES or None, departments=deps)
    result = None
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        f = d["file"]
        result = attempt(form, lambda: datasets.import_snapshot(
            user, kind=d["kind"], area=d["area"], extracted_on=d["extracted_on"], data=f.read(), name=f.name),
            (VerificationError,), forbidden_field="area")
        if result is not None:
            if result.ok:
                messages.success(request, f"已导入 {result.snapshot.rows} 条记录（{result.described}）")
                return redirect("verification:datasets")
            status = 400
    if form.errors:
        status = 400
    return render(request, "verification/upload.html", {"form": form, "result": result}, status=status)


# --- requests and reports ------------------------------------------------------------------------

@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not (access.areas_of(user, Action.VERIFICATION_RUN) or access.areas_of(user, Action.CASE_VIEW)):
        raise PermissionDenied("您无权查看核对请求")
    reqs = services.visible_requests(user).order_by("state", "due_on", "id")[:500]
    return render(request, "verification/request_list.html", {"requests": reqs, "today": timezone.localdate()})


def request_context(request: HttpRequest, req: Any) -> dict:
    user = request.user
    may_run = access.in_area(access.areas_of(user, Action.VERIFICATION_RUN), req.region)
    rep = getattr(req, "report", None) if hasattr(req, "report") else None
    township = any(access.in_area(access.areas_of(user, a), req.region)
                   for a in (Action.CASE_ACCEPT, Action.CASE_INVESTIGATE))
    return {"req": req, "report": rep, "may_run": may_run and req.state != RequestState.ISSUED,
            "may_issue": may_run and rep is not None and not rep.issued_on,
            "may_object": township and rep is not None and bool(rep.issued_on) and not rep.rechecks.exists(),
            "objection_form": ObjectionForm(), "today": timezone.localdate(),
            "queries": req.queries.select_related("answered_by", "snapshot").order_by("asked_on", "id"),
            "ask_form": AskForm() if may_run and req.state != RequestState.ISSUED else None,
            "overdue": req.state == RequestState.REQUESTED and req.due_on < timezone.localdate(),
            **report_context(rep)}


def report_context(rep: Any) -> dict:
    if rep is None:
        return {}
    from doudi.cases.documents import trace_sentences
    from doudi.verification.report import outcome_text

    return {"declared_outcome": outcome_text(rep.declared_decision),
            "department_outcome": outcome_text(rep.department_decision),
            "declared_trace": trace_sentences(rep.declared_decision),
            "department_trace": trace_sentences(rep.department_decision)}


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = services.access_request(request.user, pk)
    return render(request, "verification/request_detail.html", request_context(request, req))


def _request_refused(request: HttpRequest, pk: int, form: Any, **forms: Any) -> HttpResponse:
    """The request's page again, with the refused form (its refusal beside it, what was typed kept)."""
    req = services.access_request(request.user, pk)
    return render(request, "verification/request_detail.html", {**request_context(request, req), **forms},
                  status=refusal_status(form))


@login_required
def report_print(request: HttpRequest, pk: int) -> HttpResponse:
    """核对报告, printable (`?format=pdf`: WeasyPrint, the export audited)."""
    from doudi.cases.documents import render_pdf
    from doudi.procedure.views import printable

    req = services.access_request(request.user, pk, reason="查看核对报告")
    rep = getattr(req, "report", None) if hasattr(req, "report") else None
    if rep is None:
        raise Http404("尚未开展核对，没有核对报告")
    html = render_to_string("verification/report_print.html", {"req": req, "report": rep, **report_context(rep)},
                            request=request)
    return printable(request, html, render_pdf, case=req, action="verification.report.pdf", reason="打印核对报告",
                     filename=f"{rep.number}.pdf")


@login_required
def authorisation(request: HttpRequest, pk: int) -> HttpResponse:
    """The stored 授权书 (read by the case's users and the officer; audited)."""
    req = services.access_request(request.user, pk, reason="查看核对授权书")
    audit.record(request.user, AuditKind.EXPORT, req, action="verification.authorisation", reason="查看核对授权书")
    response = HttpResponse(attachments.read_file(req.authorisation_path), content_type=req.authorisation_type)
    response["Content-Disposition"] = "inline; filename=authorisation" + (
        ".pdf" if req.authorisation_type == "application/pdf" else "")
    return response


def _act(request: HttpRequest, pk: int, fn: Any, done: str, button: str) -> HttpResponse:
    """启动 / 开展 / 出具: a refusal comes back beside its button (`refused.<button>`)."""
    _, form = attempt_button(request, lambda: fn(request.user, pk), (VerificationError,))
    if form.errors:
        return _request_refused(request, pk, form, refused={button: form})
    messages.success(request, done)
    return redirect("verification:request", pk=pk)


@login_required
@require_POST
def request_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.start, "已启动核对", "start")


@login_required
@require_POST
def request_run(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.run, "已完成核对，请审阅核对报告后出具", "run")


@login_required
@require_POST
def request_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.issue, "已出具核对报告", "issue")


@login_required
@require_POST
def report_object(request: HttpRequest, pk: int) -> HttpResponse:
    """登记异议 → 复查 (pk: the request whose report is objected to)."""
    req = services.access_request(request.user, pk, reason="登记核对异议")
    rep = getattr(req, "report", None) if hasattr(req, "report") else None
    form = ObjectionForm(request.POST)
    if rep is None:
        raise Http404("没有核对报告")
    if form.is_valid():
        recheck = attempt(form, lambda: services.object_to(
            request.user, rep.pk, objection=form.cleaned_data["objection"]), (VerificationError,))
        if recheck is not None:
            messages.success(request, "已登记异议，已提请复查")
            return redirect("verification:request", pk=recheck.pk)
    return _request_refused(request, pk, form, objection_form=form)


# --- questions to departments (部门协查) -------------------------------------------------------------

@login_required
@require_POST
def query_ask(request: HttpRequest, pk: int) -> HttpResponse:
    """发起部门协查 from a request's page; a refusal shows on the page (the request's form)."""
    form = AskForm(request.POST)
    if form.is_valid():
        asked = attempt(form, lambda: queries.ask(request.user, pk, form.cleaned_data["kinds"]), (VerificationError,))
        if not form.errors:
            messages.success(request, f"已发起部门协查 {len(asked)} 项，待部门答复")
            return redirect("verification:request", pk=pk)
    return _request_refused(request, pk, form, ask_form=form)


@login_required
def query_list(request: HttpRequest) -> HttpResponse:
    """部门协查: a liaison's questions waiting for its department (and answered); the officer's all."""
    user = request.user
    if not (access.areas_of(user, Action.VERIFICATION_RUN) or access.areas_of(user, Action.DATA_UPLOAD)):
        raise PermissionDenied("您无权查看部门协查")
    rows = [(q, queries.masked_persons(q)) for q in queries.visible_queries(user).order_by("state", "asked_on", "id")[:500]]
    return render(request, "verification/query_list.html", {"rows": rows})


@login_required
def query_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One question: the persons in full (the department needs the ID numbers; the read is audited),
    the kind's columns, and the answer form."""
    q = queries.access_query(request.user, pk)
    form = AnswerForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        f = form.cleaned_data["file"]
        result = attempt(form, lambda: queries.answer(
            request.user, pk, data=f.read(), name=f.name, extracted_on=form.cleaned_data["extracted_on"],
            note=form.cleaned_data["note"]), (VerificationError,))
        if result is not None:
            if result.ok:
                messages.success(request, f"已答复：{result.snapshot.rows} 条记录")
                return redirect("verification:query", pk=pk)
    if form.errors or (result is not None and not result.ok):
        status = 400
    from doudi.verification.kinds import kinds

    return render(request, "verification/query_detail.html", {
        "q": q, "form": form if q.state == "open" else None, "result": result,
        "columns": kinds()[q.kind].columns if q.kind in kinds() else ()}, status=status)


# --- findings and the monthly check --------------------------------------------------------------

@login_required
def finding_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not access.areas_of(user, Action.CASE_VIEW):
        raise PermissionDenied("您无权查看比对发现")
    state = request.GET.get("state", FindingState.OPEN)
    qs = monthly.visible_findings(user)
    if state in FindingState.values:
        qs = qs.filter(state=state)
    return render(request, "verification/finding_list.html", {
        "findings": qs.order_by("due_on", "id")[:500], "state": state, "states": FindingState.choices,
        "today": timezone.localdate()})


def _finding_page(request: HttpRequest, pk: int, status: int = 200, **forms: Any) -> HttpResponse:
    f = monthly.access_finding(request.user, pk)
    audit.record(request.user, AuditKind.READ, f, action="verification.finding", reason="查看比对发现")
    township = access.in_area(access.areas_of(request.user, Action.CASE_ACCEPT), f.region)
    may_handle, possible = township and f.state == FindingState.OPEN, f.match == Match.POSSIBLE
    shown = ({"confirm", "reject"} if possible else {"review", "clear"}) if may_handle else set()
    stray = [form for act, form in forms.get("refused", {}).items() if act not in shown]  # its button is gone
    return render(request, "verification/finding_detail.html", {
        "f": f, "may_handle": may_handle, "possible": possible, "stray_refusals": stray,
        "reason_form": ReasonForm(initial={"version": f.version}), "version": f.version, **forms}, status=status)


@login_required
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _finding_page(request, pk)


@login_required
@require_POST
def finding_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    """clear 核实排除 / reject 不是同一人 / confirm 确认为同一人 / review 启动复核. A refusal, or a missing
    reason, comes back beside the form that caused it, with the reason typed kept."""
    fns = {"clear": (monthly.clear_finding, "已核实排除"), "reject": (monthly.reject_match, "已确认不是同一人"),
           "confirm": (monthly.confirm_match, "已确认为同一人"), "review": (monthly.start_review, "已启动复核")}
    if act not in fns:
        raise Http404("没有这个操作")
    fn, done = fns[act]
    form = ReasonForm(request.POST) if act in ("clear", "reject") else VersionForm(request.POST)
    if form.is_valid():
        attempt(form, lambda: fn(request.user, pk, **form.cleaned_data), (VerificationError,))
        if not form.errors:
            messages.success(request, done)
            return redirect("verification:finding", pk=pk)
    forms: dict[str, Any] = {"refused": {act: form}}
    if act in ("clear", "reject"):
        forms["reason_form"] = form
    return _finding_page(request, pk, refusal_status(form), **forms)


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """月度比对: the runs of the officer's counties; a run can be started now."""
    user = request.user
    if not access.areas_of(user, Action.VERIFICATION_RUN):
        raise PermissionDenied("只有核对员可以运行月度比对")
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = attempt(form, lambda: monthly.run_check(user, form.cleaned_data["county"]), (VerificationError,),
                      forbidden_field="county")
        if run is not None:
            messages.success(request, f"比对完成：{run.recipients} 人，新发现 {run.new_findings} 项")
            return redirect("verification:runs")
    runs = access.scope_queryset(user, CheckRun.objects.all(), Action.VERIFICATION_RUN)[:100]
    return render(request, "verification/run_list.html", {"runs": runs, "form": form},
                  status=400 if form.errors else 200)
