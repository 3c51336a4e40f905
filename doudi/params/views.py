"""政策参数 pages: parameters in force for a region on a date, new dated values, approval, history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.params import forms, services
from doudi.params.models import ParameterValue
from doudi.policy import regions
from doudi.procedure.views import attempt, attempt_button, refusal_status


def _areas(user: Any) -> list[str]:
    return sorted(access.areas_of(user, Action.PARAMS_CHANGE), key=lambda a: (len(regions.prefix(a)), a))


def _form_error(form: Any, exc: services.ParamsError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """参数一览: every parameter in force for a region on a date, with level, source, placeholder."""
    access.require(request.user, Action.PARAMS_CHANGE)
    areas = _areas(request.user)
    form = forms.ShowForm(request.GET or None)
    region, on, residence, rows = (areas[0] if areas else ""), timezone.localdate(), "urban", []
    if form.is_valid():
        d = form.cleaned_data
        region, on, residence = d["region"] or region, d["on"] or on, d["residence"] or residence
    if region and (not form.is_bound or form.is_valid()):
        try:
            region = services.check_region(request.user, region)
        except services.ParamsError as exc:
            form.add_error("region", exc.message)
        else:
            rows = services.in_force(region, on, residence)
    return render(request, "params/index.html", {
        "form": form, "rows": rows, "region": region, "region_name": regions.full_name(region) if rows else "",
        "on": on, "residence": residence, "areas": [(a, regions.name(a)) for a in areas]})


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """录入新取值 with its document; waits for a second user's approval."""
    access.require(request.user, Action.PARAMS_CHANGE)
    initial = {k: request.GET.get(k, "") for k in ("parameter", "region")}
    form = forms.ValueForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            v = services.enter(request.user, **form.cleaned_data)
        except services.ParamsError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, "已录入，待同级另一位用户批准后生效")
            return redirect("params:detail", v.pk)
    name = form.data.get("parameter") if form.is_bound else initial["parameter"]
    d = services.definitions().get(name or "")
    return render(request, "params/new.html", {
        "form": form, "definition": d, "hint": services.hint(d) if d else "",
        "definitions": sorted(services.definitions().values(), key=lambda x: x.name)})


def _value(user: Any, pk: Any) -> ParameterValue:
    try:
        return access.scope_queryset(user, ParameterValue.objects.select_related("entered_by", "approved_by"),
                                     Action.PARAMS_CHANGE).get(pk=pk)
    except (ParameterValue.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该参数调整，或不在您的辖区内") from None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(request: HttpRequest, pk: int, refused: Any = None, reject_form: Any = None) -> HttpResponse:
    """The change; `refused`: the approval's or return's refusal, shown beside its button (with the
    reason typed kept), or where the buttons were when the user may no longer use them."""
    access.require(request.user, Action.PARAMS_CHANGE)
    v = _value(request.user, pk)
    d = services.definitions().get(v.parameter)
    pending = v.state == ParameterValue.State.PENDING
    return render(request, "params/detail.html", {
        "v": v, "definition": d, "region_name": regions.full_name(v.region),
        "may_approve": pending and v.entered_by_id != request.user.pk
        and bool(services.same_level_areas(request.user, v.region)),
        "own": pending and v.entered_by_id == request.user.pk, "reject_form": reject_form or forms.RejectForm(),
        "refused": refused, "effective": v.effective_from <= timezone.localdate()},
        status=refusal_status(refused) if refused is not None else 200)


@login_required
@require_POST
def approve(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Action.PARAMS_CHANGE)
    _, form = attempt_button(request, lambda: services.approve(request.user, pk), (services.ParamsError,))
    if form.errors:
        return _detail_page(request, pk, refused=form)
    messages.success(request, "已批准：自执行日期起，各项决定按新取值办理")
    return redirect("params:detail", pk)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    access.require(request.user, Action.PARAMS_CHANGE)
    form = forms.RejectForm(request.POST)
    if form.is_valid():
        attempt(form, lambda: services.reject(request.user, pk, reason=form.cleaned_data["reason"]),
                (services.ParamsError,))
        if not form.errors:
            messages.success(request, "已退回")
            return redirect("params:detail", pk)
    return _detail_page(request, pk, refused=form, reject_form=form)


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """调整记录: every entered value of the user's areas, with who entered and approved it."""
    access.require(request.user, Action.PARAMS_CHANGE)
    region = request.GET.get("region", "").strip() or None
    parameter = request.GET.get("parameter", "").strip() or None
    rows = list(services.history(request.user, region, parameter)[:500])
    labels = {n: d.label_or_name for n, d in services.definitions().items()}
    return render(request, "params/history.html", {
        "rows": [(v, labels.get(v.parameter, v.parameter)) for v in rows], "region": region or "",
        "parameter": parameter or "", "today": dt.date.today()})
