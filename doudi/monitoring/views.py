"""Pages of the monitoring app. Thin: every write goes through services.py."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action, Role
from doudi.monitoring import figures, forms, services
from doudi.monitoring.lists import ALERTS, LEVEL_CHOICES, REGISTER
from doudi.monitoring.models import Level, Scan
from doudi.policy.identity import mask_id_number
from doudi.policy.monitoring import warning_rules
from doudi.policy.wording import cite
from doudi.procedure.views import attempt, refusal_status


def _require_view(user: Any) -> None:
    if not access.areas_of(user, Action.CASE_VIEW):
        raise PermissionDenied("您无权查看监测预警")


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if access.areas_of(request.user, Action.CASE_VIEW) and not access.has_role(request.user, Role.VILLAGE_ASSISTANT):
        return redirect("monitoring:warnings")
    return redirect("monitoring:report_new")


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    """监测预警: by level, rule and village (the shared list: filters, pages, export)."""
    from doudi.web.lists import render_list

    _require_view(request.user)
    level, rule = request.GET.get("level", ""), request.GET.get("rule", "")
    spec = ALERTS
    if level in Level.values or rule in warning_rules():
        def rows(user: Any, base=ALERTS.rows) -> Any:
            qs = base(user)
            if level in Level.values:
                qs = qs.filter(level=level)
            if rule in warning_rules():
                qs = qs.filter(rule=rule)
            return qs

        spec = dataclasses.replace(ALERTS, rows=rows)
    return render_list(request, spec, "monitoring/alert_list.html", {
        "levels": LEVEL_CHOICES, "rules": list(warning_rules().values()), "level": level, "rule": rule,
        "may_scan": bool(access.areas_of(request.user, Action.CASE_APPROVE))})


@login_required
def register_list(request: HttpRequest) -> HttpResponse:
    from doudi.web.lists import render_list

    _require_view(request.user)
    if access.has_role(request.user, Role.VILLAGE_ASSISTANT) and len(access.roles_of(request.user)) == 1:
        raise PermissionDenied("村（居）协理员不能查看低收入人口数据库")
    return render_list(request, REGISTER, "web/list.html")


def _forms(alert: Any, data: dict | None = None) -> dict:
    initial = {"version": alert.version}
    out = {"visit": forms.VisitForm(initial={**initial, "visited_on": timezone.localdate()}),
           "application": forms.ApplicationForm(initial=initial), "close": forms.CloseForm(initial=initial),
           "link": forms.LinkForm(initial=initial), "enter": forms.EnterForm(initial=initial)}
    out.update(data or {})
    return out


def alert_context(request: HttpRequest, alert: Any, step_forms: dict | None = None) -> dict:
    from doudi.attachments.services import attachments_of

    r = warning_rules().get(alert.rule)
    sources = [cite(s) for s in (alert.figures or {}).get("sources", []) if s]
    return {"a": alert, "rule": r, "sources": sources, "visits": alert.visits.select_related("recorded_by"),
            "may_handle": services.may_handle(request.user, alert) and alert.is_open,
            "forms": _forms(alert, step_forms), "photos": attachments_of(request.user, alert),
            "explanation": [{**s, "where": cite(s.get("source", ""))}
                            for s in (alert.figures or {}).get("explanation", [])],
            "masked_subject": mask_id_number(alert.subject_id_number) if alert.subject_id_number else "",
            "linked_url": _linked_url(alert), "today": timezone.localdate()}


def _linked_url(alert: Any) -> str:
    names = {"cases": "cases:case_detail", "support": "support:case_detail", "relief": "relief:case_detail",
             "benefits": "benefits:detail"}
    if not alert.linked_app or alert.linked_app not in names:
        return ""
    try:
        return reverse(names[alert.linked_app], args=[int(alert.linked_pk)])
    except Exception:  # an app without that page: the label only
        return ""


@login_required
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = services.access_alert(request.user, pk, reason="查看监测预警")
    return render(request, "monitoring/alert_detail.html", alert_context(request, alert))


STEPS = {
    "assign": (forms.VersionForm, lambda u, pk, d, f: services.assign(u, pk, version=d.get("version")), "已领取该预警"),
    "visit": (forms.VisitForm, lambda u, pk, d, f: services.record_visit(
        u, pk, visited_on=d["visited_on"], visitors=d["visitors"], found=d["found"], photo=f.get("photo"),
        version=d.get("version")), "已记录入户走访"),
    "application": (forms.ApplicationForm, lambda u, pk, d, f: services.open_application(
        u, pk, program=d["program"], version=d.get("version")), "已启动救助申请"),
    "review": (forms.VersionForm, lambda u, pk, d, f: services.start_review(u, pk, version=d.get("version")),
               "已启动待遇复核"),
    "close": (forms.CloseForm, lambda u, pk, d, f: services.close(
        u, pk, outcome=d["outcome"], note=d["note"], version=d.get("version")), "预警已办结"),
    "link": (forms.LinkForm, lambda u, pk, d, f: services.link_household(
        u, pk, household_id=d["household_id"], version=d.get("version")), "已关联家庭"),
    "enter": (forms.EnterForm, lambda u, pk, d, f: services.enter_from_alert(
        u, pk, category=d["category"], evidence=d["evidence"], version=d.get("version")), "已纳入低收入人口"),
}


@login_required
@require_POST
def alert_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """A step of the warning's task; a refusal comes back beside its form (400), nothing written."""
    from django.core.exceptions import ValidationError

    if step not in STEPS:
        raise Http404("没有这个操作")
    alert = services.access_alert(request.user, pk)
    form_class, fn, done = STEPS[step]
    form = form_class(request.POST, request.FILES)
    if form.is_valid():
        try:
            fn(request.user, pk, form.cleaned_data, request.FILES)
        except services.MonitoringError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except ValidationError as exc:  # the attachments app's refusal of a photo
            for msg in exc.messages:
                form.add_error("photo" if "photo" in form.fields else None, msg)
        else:
            messages.success(request, done)
            return redirect("monitoring:alert", pk=pk)
    alert.refresh_from_db()
    key = step if step in ("visit", "application", "close", "link", "enter") else None
    ctx = alert_context(request, alert, {key: form} if key else None)
    if key is None:
        ctx["step_error"] = "；".join(e for errs in form.errors.values() for e in errs)
    return render(request, "monitoring/alert_detail.html", ctx, status=400)


# --- village reports (phone) ---------------------------------------------------------------------------

def _villages(user: Any) -> list[tuple[str, str]]:
    return [(a, f"{region_name(a)}（{a}）") for a in sorted(access.areas_of(user, Action.CASE_REPORT)) if len(a) == 12]


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """主动发现: a village assistant reports a person in difficulty and sees his reports' outcomes."""
    from django.core.exceptions import ValidationError

    user = request.user
    if not access.areas_of(user, Action.CASE_REPORT):
        raise PermissionDenied("只有村（居）协理员和乡镇经办人可以报告困难群众")
    villages = _villages(user) or [(a, f"{region_name(a)}（{a}）") for a in
                                   sorted(access.areas_of(user, Action.CASE_REPORT))]
    form = forms.ReportForm(villages, request.POST or None, request.FILES or None,
                            initial={"village": villages[0][0] if villages else ""})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                alert = services.report(user, name=d["name"], id_number=d["id_number"], village=d["village"],
                                        what=d["what"], photo=d.get("photo"))
            except services.MonitoringError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            except ValidationError as exc:
                for msg in exc.messages:
                    form.add_error("photo", msg)
            else:
                messages.success(request, f"已报告，编号 {alert.pk}；乡镇经办人将在 {alert.due_on:%Y-%m-%d} 前入户核实")
                return redirect("monitoring:report_new")
        status = 400
    mine = services.Alert.objects.filter(reported_by=user).order_by("-raised_on", "-id")[:50]
    return render(request, "monitoring/report.html", {"form": form, "mine": mine}, status=status)


# --- scans, figures, disasters --------------------------------------------------------------------------

@login_required
def scan_list(request: HttpRequest, disaster_form: Any = None, status: int = 200) -> HttpResponse:
    """监测扫描 (and the disaster event form; `disaster_form`: a refused one, with what was typed)."""
    user = request.user
    if not access.areas_of(user, Action.CASE_APPROVE):
        raise PermissionDenied("只有县级民政部门可以运行监测扫描")
    posted = request.method == "POST" and disaster_form is None
    form = forms.ScanForm(request.POST if posted else None, initial={"county": _county_of(user)})
    if posted:
        if form.is_valid():
            try:
                run = services.scan(user, form.cleaned_data["county"], on=form.cleaned_data.get("on"))
            except services.MonitoringError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"扫描完成：{run.households} 户，新增预警 {sum(run.raised.values())} 条")
                return redirect("monitoring:scans")
        status = 400
    runs = access.scope_queryset(user, Scan.objects.all(), Action.CASE_APPROVE).order_by("-started_at")[:50]
    names = {k: r.name for k, r in warning_rules().items()}
    rows = [{"run": r, "raised": [(names.get(k, k), v) for k, v in r.raised.items()]} for r in runs]
    return render(request, "monitoring/scans.html", {"form": form, "rows": rows,
                                                     "disaster_form": disaster_form or forms.DisasterForm()},
                  status=status)


def _county_of(user: Any) -> str:
    areas = sorted(access.areas_of(user, Action.CASE_APPROVE))
    return areas[0][:6] if areas else ""


@login_required
@require_POST
def disaster_new(request: HttpRequest) -> HttpResponse:
    form = forms.DisasterForm(request.POST)
    if form.is_valid():
        attempt(form, lambda: services.record_disaster(request.user, **form.cleaned_data), (services.MonitoringError,))
        if not form.errors:
            messages.success(request, "已登记灾害事件，下次扫描时对该地区家庭预警")
            return redirect("monitoring:scans")
    return scan_list(request, disaster_form=form, status=refusal_status(form))  # the refusal beside its field


@login_required
def figures_page(request: HttpRequest) -> HttpResponse:
    """Figures per area and month (a table; no map: no region geometry under a free licence is bundled)."""
    user = request.user
    if not (access.areas_of(user, Action.CASE_APPROVE) or access.areas_of(user, Action.STATS_VIEW)
            or access.areas_of(user, Action.CASE_REVIEW) or access.areas_of(user, Action.CASE_ACCEPT)):
        raise PermissionDenied("您无权查看监测统计")
    form = forms.MonthForm(request.GET)
    if not form.is_valid():  # the refusal beside the month typed; no figures of another month in its place
        return render(request, "monitoring/figures.html", {"form": form}, status=400)
    first = form.first_day(timezone.localdate())
    return render(request, "monitoring/figures.html", {"form": form, "month": first.strftime("%Y-%m"),
                                                       **figures.by_area(user, first)})
