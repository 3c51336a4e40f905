"""Pages of doudi.reports: statistics (ECharts, a time series per figure), the monthly Excel report,
indicators, anomaly checks, complaints, the auditor's read-only views, the public county page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access, audit
from doudi.accounts.areas import region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.reports import anomalies, complaints, excel, indicators, public, services, stats
from doudi.reports.figures import add_months, last_run, month_of
from doudi.reports.models import Channel, Complaint, ComplaintOutcome, SubjectKind
from doudi.reports.params import param
from doudi.web import lists


def _period(request: HttpRequest) -> list:
    return stats.month_range(request.GET.get("from"), request.GET.get("to"), timezone.localdate())


def _area_choices(user: Any, prefix: str) -> list[dict]:
    """The user's own areas and the sub-areas of the one shown (links to move up and down)."""
    own = [{"area": a, "name": stats.area_label(a)} for a in stats.stats_areas(user)]
    subs = [{"area": c["area"], "name": c["name"]} for c in stats.children(prefix, month_of(timezone.localdate()))]
    return own + [s for s in subs if s["area"] not in {o["area"] for o in own}]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计: one area's figures per program, month by month, charts and tables, and its sub-areas."""
    prefix = stats.check_area(request.user, request.GET.get("area"))
    months = _period(request)
    data = stats.series(prefix, months)
    ctx = {"data": data, "prefix": prefix, "months": months, "children": stats.children(prefix, months[-1]),
           "choices": _area_choices(request.user, prefix), "run": last_run(), "first": f"{months[0]:%Y-%m}",
           "last": f"{months[-1]:%Y-%m}", "may_audit": access.can(request.user, Action.AUDIT_VIEW)}
    return render(request, "reports/dashboard.html", ctx)


@login_required
def excel_report(request: HttpRequest) -> HttpResponse:
    """民政统计月报 (xlsx) of an area and a month; the export is an audit entry."""
    prefix = stats.check_area(request.user, request.GET.get("area"))
    month = stats.month_range(request.GET.get("month"), request.GET.get("month"), timezone.localdate())[-1]
    body = excel.monthly_report(prefix, month)
    audit.record(request.user, AuditKind.EXPORT, None, action="reports.monthly_excel", area=stats.region_code_of(prefix),
                 reason=f"导出统计月报 {month:%Y-%m}")
    resp = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f'attachment; filename="monthly-{prefix}-{month:%Y-%m}.xlsx"'
    return resp


@login_required
def indicator_list(request: HttpRequest) -> HttpResponse:
    """绩效指标 of an area and period, each with its definition and rule."""
    prefix = stats.check_area(request.user, request.GET.get("area"))
    months = _period(request)
    first, last = months[0], min(timezone.localdate(), _month_end(months[-1]))
    return render(request, "reports/indicators.html", {
        "prefix": prefix, "name": stats.area_label(prefix), "results": indicators.evaluate(prefix, first, last),
        "first": first, "last": last, "from": f"{months[0]:%Y-%m}", "to": f"{months[-1]:%Y-%m}"})


def _month_end(m: dt.date) -> dt.date:
    return add_months(m, 1) - dt.timedelta(days=1)


@login_required
def anomaly_list(request: HttpRequest) -> HttpResponse:
    """异常核查: each check with its findings; audited (the lists name households)."""
    access.require(request.user, Action.AUDIT_VIEW)
    today = timezone.localdate()
    results = anomalies.run_all(request.user, today)
    audit.record(request.user, AuditKind.READ, None, action="reports.anomalies", reason="查阅异常核查清单",
                 detail={c.id: len(f) for c, f in results})
    return render(request, "reports/anomalies.html", {"results": results, "today": today})


# --- complaints -------------------------------------------------------------------------------

class ComplaintForm(forms.Form):
    region = forms.CharField(label="被投诉地区（区划代码）", max_length=12)
    channel = forms.ChoiceField(label="渠道", choices=Channel.choices)
    received_on = forms.DateField(label="收到日期", widget=forms.DateInput(attrs={"type": "date"}))
    subject_kind = forms.ChoiceField(label="被投诉对象类别", choices=SubjectKind.choices)
    subject_name = forms.CharField(label="被投诉对象", max_length=100)
    content = forms.CharField(label="投诉举报内容", widget=forms.Textarea(attrs={"rows": 4}))
    handler_id = forms.IntegerField(label="承办人（用户编号）")
    anonymous = forms.BooleanField(label="匿名举报（不登记举报人任何个人信息）", required=False)
    reporter_name = forms.CharField(label="举报人姓名", max_length=50, required=False)
    reporter_phone = forms.CharField(label="举报人电话", max_length=20, required=False)
    reporter_address = forms.CharField(label="举报人地址", max_length=200, required=False)


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, msgs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
        form.add_error(field if field in form.fields else None, msgs)


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    qs = complaints.visible_complaints(request.user).select_related("handler")
    state = request.GET.get("state", "")
    if state in Complaint.State.values:
        qs = qs.filter(state=state)
    return render(request, "reports/complaint_list.html", {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")), "state": state,
        "today": timezone.localdate(), "may_record": access.can(request.user, Action.COMPLAINT_RECORD)})


@login_required
def complaint_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.COMPLAINT_RECORD)
    form = ComplaintForm(request.POST or None, initial={"received_on": timezone.localdate()})
    region = (request.POST.get("region") or request.GET.get("region") or "").strip()
    if request.method == "POST" and form.is_valid():
        try:
            c = complaints.record_complaint(request.user, **form.cleaned_data)
            return redirect("reports:complaint_detail", pk=c.pk)
        except ValidationError as exc:
            _form_errors(form, exc)
    handlers = complaints.handlers_for(region) if region.isdigit() else []
    return render(request, "reports/complaint_new.html", {"form": form, "handlers": handlers, "region": region,
                                                          "days": param("complaint_answer_working_days")})


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = complaints.access_complaint(request.user, pk)
    reporter = complaints.reporter_of(request.user, c)
    is_handler = c.handler_id == request.user.pk and access.can(request.user, Action.COMPLAINT_HANDLE, c)
    return render(request, "reports/complaint_detail.html", {
        "c": c, "reporter": reporter, "is_handler": is_handler, "notes": c.notes.select_related("by"),
        "outcomes": ComplaintOutcome.choices, "today": timezone.localdate(), "error": request.GET.get("error", "")})


@login_required
@require_POST
def complaint_note(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        complaints.add_note(request.user, pk, text=request.POST.get("text", ""))
    except ValidationError as exc:
        return _detail_with_error(request, pk, exc)
    return redirect("reports:complaint_detail", pk=pk)


@login_required
@require_POST
def complaint_answer(request: HttpRequest, pk: int) -> HttpResponse:
    from datetime import date

    p = request.POST
    try:
        answered = date.fromisoformat(p["answered_on"]) if p.get("answered_on") else None
    except ValueError:
        return _detail_with_error(request, pk, ValidationError({"answered_on": "答复日期应为 YYYY-MM-DD"}))
    try:
        complaints.answer(request.user, pk, outcome=p.get("outcome", ""), answer_text=p.get("answer_text", ""),
                          answered_on=answered, review_id=p.get("review_id") or None,
                          recovery_id=p.get("recovery_id") or None, version=p.get("version") or None)
    except ValidationError as exc:
        return _detail_with_error(request, pk, exc)
    return redirect("reports:complaint_detail", pk=pk)


def _detail_with_error(request: HttpRequest, pk: int, exc: ValidationError) -> HttpResponse:
    c = complaints.access_complaint(request.user, pk)
    msgs = [m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms]
    return render(request, "reports/complaint_detail.html", {
        "c": c, "reporter": complaints.reporter_of(request.user, c),
        "is_handler": c.handler_id == request.user.pk, "notes": c.notes.select_related("by"),
        "outcomes": ComplaintOutcome.choices, "today": timezone.localdate(), "error": "；".join(msgs)}, status=400)


# --- the auditor's read-only views -------------------------------------------------------------

@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    """审计:所有案件 of the area (filter by area, program, address); the view is audited."""
    access.require(request.user, Action.AUDIT_VIEW)
    kind = request.GET.get("program", "dibao")
    qs = services.audited_cases(request.user, kind)
    area = request.GET.get("area", "").strip()
    if area:
        prefix = stats.check_area(request.user, area, Action.AUDIT_VIEW)
        qs = qs.filter(region_q("region", prefix))
    address = request.GET.get("address", "").strip()
    if address and kind != "temporary":
        qs = qs.filter(household__address__icontains=address)
    audit.record(request.user, AuditKind.READ, None, action="reports.audit_list", area=area,
                 reason=f"审计查阅{services.KINDS[kind][2]}案件清单")
    page = Paginator(qs.order_by("-id"), 50).get_page(request.GET.get("page"))
    return render(request, "reports/audit_list.html", {"page": page, "kind": kind, "kinds": services.KINDS,
                                                       "area": area, "address": address})


def _benefits_of(user: Any, kind: str, case: Any) -> list:
    from django.apps import apps

    if not apps.is_installed("doudi.benefits"):
        return []
    from doudi.benefits.models import Benefit

    app = services.KINDS[kind][0]
    decisions = ([case.decision] if kind != "tekun" and hasattr(case, "decision") else
                 list(case.decisions.all()) if kind == "tekun" else [])
    pks = [str(d.pk) for d in decisions if d is not None]
    qs = Benefit.objects.filter(decision_app=app, decision_pk__in=pks).prefetch_related("changes")
    return list(access.scope_queryset(user, qs, Action.AUDIT_VIEW))


@login_required
def audit_case(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """One case as the auditor reads it: events, decisions with their stored parameters, the benefit
    with every change of amount and payment, and the audit log beside it."""
    access.require(request.user, Action.AUDIT_VIEW)
    case = services.read_case(request.user, kind, pk)
    decisions = list(case.decisions.all()) if kind == "tekun" else (
        [case.decision] if _has_decision(case) else [])
    benefits = _benefits_of(request.user, kind, case)
    changes = [c for b in benefits for c in b.changes.all()]
    trail = services.audit_trail(request.user, [case, *decisions, *benefits])
    return render(request, "reports/audit_case.html", {
        "case": case, "kind": kind, "label": services.KINDS[kind][2], "events": case.events.select_related("actor"),
        "decisions": decisions, "benefits": benefits, "changes": changes, "trail": trail})


def _has_decision(case: Any) -> bool:
    try:
        return case.decision is not None
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of whichever procedure
        return False


@login_required
def audit_parameters(request: HttpRequest) -> HttpResponse:
    """参数变更: every parameter change of the area (the audit log's parameter_change entries and the
    benefits' 标准调整), audited."""
    access.require(request.user, Action.AUDIT_VIEW)
    entries = services.audit_trail_kind(request.user, AuditKind.PARAMETER_CHANGE)
    standards = services.standard_changes(request.user)
    audit.record(request.user, AuditKind.READ, None, action="reports.audit_parameters", reason="审计查阅参数变更")
    return render(request, "reports/audit_parameters.html", {"entries": entries, "standards": standards})


@login_required
def audit_sample(request: HttpRequest) -> HttpResponse:
    """随机抽取 N 件案件用于档案审计; ?format=csv exports it (the export is audited)."""
    access.require(request.user, Action.AUDIT_VIEW)
    try:
        n = int(request.GET.get("n", "20"))
    except ValueError:
        n = 0
    area = request.GET.get("area", "").strip()
    prefix = stats.check_area(request.user, area, Action.AUDIT_VIEW) if area else None
    try:
        seed, drawn = services.sample(request.user, n, request.GET.get("seed") or None, prefix)
    except ValidationError as exc:
        return render(request, "web/error.html", {"title": "抽样参数有误", "message": "；".join(exc.messages)}, status=400)
    if request.GET.get("format") == "csv":
        access.require(request.user, Action.EXPORT)
        buf = io.StringIO()
        w = lists.csv_writer(buf)  # no formula injection
        w.writerow(["类型", "案件编号", "申请人", "区域", "状态"])
        for s in drawn:
            w.writerow([services.KINDS[s.kind][2], s.case.number, getattr(s.case, "applicant_name", "") or str(s.case),
                        s.case.region, s.case.state_name])
        audit.record_in_areas(request.user, AuditKind.EXPORT, None, action="reports.audit_sample.csv", area=prefix or "",
                              via=Action.AUDIT_VIEW, reason=f"导出档案审计抽样清单（种子 {seed}）")
        resp = HttpResponse(buf.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
        resp["Content-Disposition"] = f'attachment; filename="audit-sample-{seed}.csv"'
        return resp
    return render(request, "reports/audit_sample.html", {"seed": seed, "drawn": drawn, "n": n, "area": area,
                                                         "kinds": services.KINDS,
                                                         "may_export": access.can(request.user, Action.EXPORT)})


# --- population (a parameter) -----------------------------------------------------------------

@login_required
def population(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.PARAMS_CHANGE)
    error = ""
    if request.method == "POST":
        from datetime import date

        try:
            services.enter_population(request.user, region=request.POST.get("region", ""),
                                      population=request.POST.get("population", ""),
                                      effective_from=date.fromisoformat(request.POST.get("effective_from") or ""),
                                      source=request.POST.get("source", ""))
            return redirect("reports:population")
        except ValueError:
            error = "起始日期应为 YYYY-MM-DD"
        except ValidationError as exc:
            error = "；".join(exc.messages)
    rows = services.populations(request.user)
    return render(request, "reports/population.html", {"rows": rows, "error": error}, status=400 if error else 200)


# --- the public page (no login) ---------------------------------------------------------------

def public_county(request: HttpRequest, county: str) -> HttpResponse:
    """信息公开: a county's published figures, standards and notice lists; cached and rate-limited."""
    from django.core.cache import cache

    if not public.is_county(county):
        raise Http404("没有这个县（区）")
    client = request.META.get("REMOTE_ADDR", "")
    if not public.allowed(client):
        return HttpResponse("请求过于频繁，请稍后再试。", status=429, content_type="text/plain; charset=utf-8")
    today = timezone.localdate()
    key = f"reports:public:{county}:{today}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("reports/public.html", public.page_context(county, today), request=None)
        cache.set(key, html, int(param("public_cache_seconds")))
    resp = HttpResponse(html)
    resp["Cache-Control"] = f"public, max-age={int(param('public_cache_seconds'))}"
    return resp
