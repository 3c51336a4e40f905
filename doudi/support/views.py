"""Pages of the 特困 procedure. Thin: every write goes through services.py.

Reading works without JavaScript; with htmx the step forms post in place and the case panel is
swapped (`HX-Request` → the partial `support/_case.html`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.accounts.roles import Role
from doudi.cases.documents import trace_sentences, yuan
from doudi.cases.numerals import capital_yuan
from doudi.procedure.views import Steps, printable, take_step
from doudi.registry.picker import PickForm, picked_household
from doudi.support import documents, services
from doudi.support import procedure as proc
from doudi.support.forms import STEP_FORMS, SubmitForm, run_step
from doudi.support.models import SupportCase
from doudi.support.procedure import ACTION_NAMES, DEADLINE_NAMES, Action, DeadlineKind, ProcedureError


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """特困工作台: the steps due, reassessments, visits and necessities, sorted by deadline."""
    access.require(request.user, Perm.CASE_VIEW)
    roles = [(Role(r).label, a) for r, a in access.roles_of(request.user)]
    items = services.worklist_items(request.user, timezone.localdate())
    return render(request, "support/worklist.html", {"roles": roles, "items": items,
                                                      "may_apply": bool(access.areas_of(request.user, Perm.CASE_ACCEPT))})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """特困案件: filtered, searched, paged and exported through doudi.web.lists."""
    from doudi.support.lists import SUPPORT_CASES
    from doudi.web.lists import render_list

    access.require(request.user, Perm.CASE_VIEW)
    return render_list(request, SUPPORT_CASES, "support/case_list.html",
                       {"centralised": centralised_rate(request.user)})


def centralised_rate(user: Any) -> str:
    """TK-5: the share of people in support who chose centralised support (a tracked indicator)."""
    live = services.visible_cases(user).filter(state__in=[proc.State.APPROVED.value, proc.State.ENDING.value])
    n = live.count()
    if not n:
        return "暂无供养对象"
    m = live.filter(mode="centralised").count()
    pct = (Decimal(m) * 100 / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{pct}%（供养中 {n} 人，其中集中供养 {m} 人；TK-5 跟踪指标）"


def _decision_view(d: Any) -> dict:
    return {"d": d, "amount": yuan(d.amount_fen), "amount_capital": capital_yuan(d.amount_fen, fen=True),
            "trace": trace_sentences(d.assessment, "tekun"), "tier": proc.TIER_NAMES.get(d.care_tier, ""),
            "mode": proc.MODE_NAMES.get(d.mode, ""), "person_line": services.person_line_sentence(d)}


def case_context(request: HttpRequest, case: SupportCase, forms: dict | None = None) -> dict:
    step_forms = STEPS.form_rows(request.user, case, forms)
    today = timezone.localdate()
    assessments = [{"a": a, "sentence": proc.self_care(a.unable).sentence() if not a.pending else "",
                    "overdue": a.pending and a.due_on and a.due_on < today} for a in case.assessments.all()]
    return {
        "case": case, "household": case.household, "person": case.person,
        "events": case.events.select_related("actor"),
        "investigations": case.investigations.prefetch_related("investigators"),
        "assessments": assessments, "proposals": case.proposals.select_related("reviewer"),
        "objections": case.objections.all(), "spot_checks": case.spot_checks.all(),
        "decisions": [_decision_view(d) for d in case.decisions.select_related("decided_by")],
        "guardianships": case.guardianships.prefetch_related("visits"),
        "necessities": case.necessities.all(), "termination": getattr(case, "termination", None)
        if hasattr(case, "termination") else None,
        "mode_name": proc.MODE_NAMES.get(case.mode, "—"), "tier_name": proc.TIER_NAMES.get(case.care_tier, "—"),
        "step_forms": step_forms, "due_name": DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "",
        "overdue": bool(case.due_on and case.due_on < today), "today": today,
        "documents": _documents(case),
        # the policy core's decision as the person stands now, before the township proposes or the county decides
        "figures": services.current_figures(case) if any(r["action"] in DECIDING for r in step_forms) else None,
    }


DECIDING = {Action.PROPOSE.value, Action.APPROVE.value, Action.REFUSE.value}


def _documents(case: SupportCase) -> list[tuple[str, str]]:
    kinds = {d.kind for d in case.decisions.all()}
    out = []
    for kind, name in documents.DOCUMENTS.items():
        if kind == "record" and kinds or {"decision": "approved", "refusal": "refused",
                                          "termination": "terminated"}.get(kind) in kinds:
            out.append((name, reverse("support:document", args=[case.pk, kind])))
    return out


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.access_case(request.user, pk)
    return render(request, "support/case_detail.html", case_context(request, case))


STEPS = Steps(app="support", actions=Action, action_names=ACTION_NAMES, forms=STEP_FORMS, run_step=run_step,
              access_case=services.access_case, case_perms=services.case_perms,
              allowed_actions=proc.allowed_actions, case_context=case_context, model=SupportCase)


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step's form (GET) and its submission (POST); errors come back beside what was typed."""
    return take_step(request, pk, action, STEPS)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """登记特困人员认定申请: pick the household (?household=<id>), then the member who applies."""
    access.require(request.user, Perm.CASE_ACCEPT)
    household = picked_household(request)
    form = SubmitForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.submit(request.user, household_id=form.cleaned_data["household_id"],
                                   person_id=form.cleaned_data["person_id"])
        except ProcedureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已登记特困人员认定申请 {case.number}")
            return redirect("support:case_detail", pk=case.pk)
    return render(request, "support/case_new.html", {"form": form, "household": household,
                                                      "pick_form": PickForm(request.user, request.GET or None)},
                  status=400 if form.errors else 200)


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A printable notice; `?format=pdf` gives the same page as PDF (WeasyPrint)."""
    builders = {"decision": documents.decision_notice, "refusal": documents.refusal_notice,
                "termination": documents.termination_notice, "record": documents.record_of}
    if kind not in builders:
        raise Http404("没有这种文书")
    case = services.access_case(request.user, pk)
    try:
        ctx = builders[kind](case)
    except (case.decisions.model.DoesNotExist, AttributeError, SupportCase.termination.RelatedObjectDoesNotExist):
        raise Http404("本案尚无该文书") from None
    template = "web/print/record.html" if kind == "record" else f"support/print/{kind}.html"
    html = render_to_string(template, ctx, request=request)
    return printable(request, html, documents.render_pdf, case=case, action=f"support.document.{kind}.pdf",
                     reason=f"打印{documents.DOCUMENTS[kind]}", filename=f"{case.number}-{kind}.pdf")
