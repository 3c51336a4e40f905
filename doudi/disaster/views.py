"""Pages of disaster relief. Thin: every write goes through services.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access, audit
from doudi.accounts.areas import region_name
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.disaster import procedure as proc
from doudi.disaster import services
from doudi.disaster.forms import (
    STEP_FORMS,
    ApplyForm,
    ApplyNewForm,
    EventForm,
    FundingForm,
    StageForm,
    StockForm,
    ZeroReportForm,
    run_step,
)
from doudi.disaster.models import Grant
from doudi.disaster.procedure import ACTION_NAMES, DEADLINE_NAMES, Action, DeadlineKind, ProcedureError
from doudi.procedure.views import Steps, attempt, printable, take_step
from doudi.registry.picker import PickForm, picked_household


def _post(request: HttpRequest, form: Any, act: Any, field: str = "") -> Any:
    """Run a service on a valid posted form: its result, or None with the errors on the form
    (procedure.views.attempt; a refused area under `field`)."""
    if request.method != "POST" or not form.is_valid():
        return None
    return attempt(form, lambda: act(**form.cleaned_data), (ProcedureError,), forbidden_field=field or None)


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    return render(request, "disaster/worklist.html", {
        "items": services.worklist_items(request.user, timezone.localdate()),
        "events": services.visible_events(request.user)[:20],
        "may_report": bool(access.areas_of(request.user, Perm.CASE_ACCEPT))})


@login_required
def event_new(request: HttpRequest) -> HttpResponse:
    """报灾 (DR-2)."""
    access.require(request.user, Perm.CASE_ACCEPT)
    areas = sorted(access.areas_of(request.user, Perm.CASE_ACCEPT))
    form = EventForm(request.POST or None, initial={"region": areas[0] if len(areas) == 1 else "",
                                                    "occurred_at": timezone.localtime().replace(second=0, microsecond=0)})
    event = _post(request, form, lambda **d: services.report_event(request.user, **d), "region")
    if event is not None:
        messages.success(request, f"已报送灾情 {event.number}" + ("（超过2小时，已记为迟报）" if event.report_late else ""))
        return redirect("disaster:event_detail", pk=event.pk)
    return render(request, "disaster/form.html", {"form": form, "title": "报送灾情（2小时内，DR-2）", "submit": "报送"},
                  status=400 if form.errors else 200)


def _event_context(request: HttpRequest, event: Any, forms: dict | None = None) -> dict:
    forms = forms or {}
    user = request.user
    grants = list(services.visible_grants(user).filter(event=event).order_by("priority", "submitted_on", "id"))
    fundings = list(event.fundings.select_related("recorded_by"))
    return {"event": event, "grants": grants, "fundings": [{"f": f, "total": services.yuan(f.total_fen),
                                                             "national": services.yuan(f.national_fen),
                                                             "city": services.yuan(f.city_fen),
                                                             "county": services.yuan(f.county_fen)} for f in fundings],
            "stage_form": forms.get("stage") or StageForm(initial={"stage": event.stage, "version": event.version}),
            "funding_form": forms.get("funding") or FundingForm(),
            "may_apply": any(access.in_area(access.areas_of(user, p), event.region[:9]) or
                             any(access.in_area([event.region], a) for a in access.areas_of(user, p))
                             for p in (Perm.CASE_ACCEPT, Perm.CASE_REPORT)),
            "may_stage": services._may(user, event.region, Perm.CASE_ACCEPT, Perm.CASE_APPROVE),
            "may_fund": services._may(user, event.region, Perm.CASE_APPROVE, Perm.PAYMENT_MANAGE),
            "region_name": region_name(event.region), "deadline": services.proc.report_deadline(event.occurred_at),
            "money": services.yuan(sum(g.amount_fen for g in grants if g.state in ("approved", "issued")))}


@login_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = services.access_event(request.user, pk)
    audit.record(request.user, AuditKind.READ, event, action="disaster.event.view", reason="查看灾情及受灾家庭")
    return render(request, "disaster/event_detail.html", _event_context(request, event))


@login_required
@require_POST
def event_stage(request: HttpRequest, pk: int) -> HttpResponse:
    event = services.access_event(request.user, pk)
    form = StageForm(request.POST)
    if _post(request, form, lambda **d: services.set_stage(request.user, event.pk, **d), "stage") is not None:
        messages.success(request, "已调整救助阶段")
        return redirect("disaster:event_detail", pk=pk)
    return render(request, "disaster/event_detail.html", _event_context(request, event, {"stage": form}), status=400)


@login_required
@require_POST
def event_funding(request: HttpRequest, pk: int) -> HttpResponse:
    event = services.access_event(request.user, pk)
    form = FundingForm(request.POST)
    if _post(request, form, lambda **d: services.record_funding(request.user, event.pk, **d), "total") is not None:
        messages.success(request, "已登记救灾资金及分担比例")
        return redirect("disaster:event_detail", pk=pk)
    return render(request, "disaster/event_detail.html", _event_context(request, event, {"funding": form}), status=400)


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    """台账 (DR-1) of an event, in DR-4 order; ``?format=xlsx`` exports it (audited)."""
    from doudi.web.lists import XLSX, xlsx

    event = services.access_event(request.user, pk)
    rows = services.ledger_rows(request.user, event)
    if request.GET.get("format") == "xlsx":
        access.require(request.user, Perm.EXPORT)
        audit.record(request.user, AuditKind.EXPORT, event, action="disaster.ledger.export",
                     reason=f"导出受灾人员救助台账 {event.number}", detail={"rows": len(rows)})
        response = HttpResponse(xlsx(f"{event.number} 受灾人员救助台账", services.LEDGER_HEADINGS, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{event.number}-ledger.xlsx"'
        return response
    audit.record(request.user, AuditKind.READ, event, action="disaster.ledger", reason="查看受灾人员救助台账")
    return render(request, "disaster/ledger.html", {"event": event, "headings": services.LEDGER_HEADINGS, "rows": rows})


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """户申: a household found in the registry, or registered here with its head."""
    event = services.access_event(request.user, pk)
    if not (access.areas_of(request.user, Perm.CASE_REPORT) or access.areas_of(request.user, Perm.CASE_ACCEPT)):
        raise PermissionDenied("您的角色不能登记受灾人员救助申请")
    household = picked_household(request)
    new = request.POST.get("new") == "1"
    form = ApplyForm(None if new else (request.POST or None), initial={"household_id": household.pk} if household else None)
    new_form = ApplyNewForm(request.POST if new else None, initial={"region": event.region if len(event.region) == 12 else ""})
    if new:
        case = _post(request, new_form, lambda **d: services.apply_new_household(request.user, event_id=event.pk, **d),
                     "region")
    else:
        case = _post(request, form, lambda **d: services.apply(request.user, event_id=event.pk, **d), "household_id")
    if case is not None:
        messages.success(request, f"已登记 {case.number}（户申）")
        return redirect("disaster:case_detail", pk=case.pk)
    return render(request, "disaster/apply.html", {
        "event": event, "form": form, "new_form": new_form, "household": household,
        "pick_form": PickForm(request.user, request.GET or None),
        "may_register": bool(access.areas_of(request.user, Perm.HOUSEHOLD_EDIT))},
        status=400 if (form.errors or new_form.errors) else 200)


def case_context(request: HttpRequest, case: Grant, forms: dict | None = None) -> dict:
    today = timezone.localdate()
    return {"case": case, "household": case.household, "events": case.events.select_related("actor"),
            "step_forms": STEPS.form_rows(request.user, case, forms),
            "priority_name": proc.PRIORITY_NAMES[case.priority], "stage_name": proc.STAGE_NAMES[case.stage],
            "amount": services.yuan(case.amount_fen) if case.amount_fen else "",
            "due_name": DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "",
            "overdue": bool(case.due_on and case.due_on < today)}


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.access_case(request.user, pk)
    return render(request, "disaster/case_detail.html", case_context(request, case))


STEPS = Steps(app="disaster", actions=Action, action_names=ACTION_NAMES, forms=STEP_FORMS, run_step=run_step,
              access_case=services.access_case, case_perms=services.case_perms,
              allowed_actions=proc.allowed_actions, case_context=case_context, model=Grant)


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return take_step(request, pk, action, STEPS)


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The decision or refusal notice to the household, as a page or ``?format=pdf`` (audited)."""
    from django.http import Http404
    from django.template.loader import render_to_string

    from doudi.disaster import documents
    from doudi.web.notices import render_pdf

    case = services.access_case(request.user, pk, reason="打印受灾人员救助文书")
    wanted = {"decision": ("approved", "issued"), "refusal": ("refused",)}.get(kind)
    if wanted is None or case.state not in wanted:
        raise Http404("本案尚无该文书")
    html = render_to_string(f"disaster/print/{kind}.html", documents.notice(case, kind), request=request)
    return printable(request, html, render_pdf, case=case, action=f"disaster.document.{kind}.pdf",
                     reason=f"打印{documents.DOCUMENTS[kind]}", filename=f"{case.number}-{kind}.pdf")


@login_required
def village_list(request: HttpRequest) -> HttpResponse:
    """The village's list of open grants in DR-4 order (倒房重建户、受灾低保户、散居特困人员、残疾人家庭)."""
    access.require(request.user, Perm.CASE_VIEW)
    rows = (services.visible_grants(request.user).exclude(state__in=[s.value for s in proc.FINAL_STATES])
            .order_by("region", "priority", "submitted_on", "id"))
    out, seq = [], {}
    for g in rows[:1000]:
        seq[g.region] = seq.get(g.region, 0) + 1  # the order within the village
        out.append({"g": g, "n": seq[g.region], "priority_name": proc.PRIORITY_NAMES[g.priority],
                    "village": region_name(g.region), "stage_name": proc.STAGE_NAMES[g.stage]})
    return render(request, "disaster/village_list.html", {"rows": out})


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    """DR-2 报灾: each township's reports of a day; the townships that sent neither are flagged."""
    access.require(request.user, Perm.CASE_VIEW)
    try:
        day = dt.date.fromisoformat(request.GET.get("day") or "")
    except ValueError:
        day = timezone.localdate()
    form = ZeroReportForm(request.POST or None)
    if request.method == "POST":
        r = _post(request, form, lambda **d: services.zero_report(request.user, **d), "township")
        if r is not None:
            messages.success(request, f"已报送 {region_name(r.region)} {r.day} 零报告")
            return redirect(reverse("disaster:reports") + f"?day={r.day}")
    towns = sorted(a for a in access.areas_of(request.user, Perm.CASE_ACCEPT) if len(a) == 9)
    if not form.is_bound:
        form = ZeroReportForm(initial={"township": towns[0] if towns else "", "day": day})
    return render(request, "disaster/reports.html", {
        "day": day, "rows": services.report_status(request.user, day), "form": form, "may_zero": bool(towns),
        "due_hour": proc.param("zero_report_hour")}, status=400 if form.errors else 200)


@login_required
def stock(request: HttpRequest) -> HttpResponse:
    """救灾物资: the county's stock and its ledger; goods received."""
    access.require(request.user, Perm.CASE_VIEW)
    counties = sorted({a[:6] for p in (Perm.CASE_APPROVE, Perm.PAYMENT_MANAGE) for a in access.areas_of(request.user, p)
                       if len(a) >= 6})
    form = StockForm(request.POST or None, initial={"region": counties[0] if counties else ""})
    if _post(request, form, lambda **d: services.receive_stock(request.user, **d), "region") is not None:
        messages.success(request, "已入库")
        return redirect("disaster:stock")
    items = list(services.visible_stock(request.user).prefetch_related("movements__by", "movements__grant"))
    return render(request, "disaster/stock.html", {"items": items, "form": form, "may_receive": bool(counties)},
                  status=400 if form.errors else 200)
