"""Pages of temporary assistance and the 救急难 register. Thin: every write goes through services.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.accounts.roles import Role
from doudi.cases.documents import trace_sentences, yuan
from doudi.cases.numerals import capital_yuan
from doudi.procedure.views import Steps, printable, take_step
from doudi.registry.picker import PickForm, picked_household
from doudi.relief import documents, services
from doudi.relief import procedure as proc
from doudi.relief.forms import (
    STEP_FORMS,
    FollowUpForm,
    HelpFirstForm,
    HelpFirstPersonForm,
    NoticeForm,
    SubmitForm,
    run_step,
)
from doudi.relief.models import Decision, ReliefCase
from doudi.relief.procedure import ACTION_NAMES, DEADLINE_NAMES, Action, DeadlineKind, ProcedureError


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    roles = [(Role(r).label, a) for r, a in access.roles_of(request.user)]
    return render(request, "relief/worklist.html", {
        "roles": roles, "items": services.worklist_items(request.user, timezone.localdate()),
        "may_apply": bool(access.areas_of(request.user, Perm.CASE_ACCEPT))})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """临时救助案件: filtered, searched, paged and exported through doudi.web.lists."""
    from doudi.relief.lists import RELIEF_CASES
    from doudi.web.lists import render_list

    access.require(request.user, Perm.CASE_VIEW)
    return render_list(request, RELIEF_CASES, "relief/case_list.html")


def case_context(request: HttpRequest, case: ReliefCase, forms: dict | None = None) -> dict:
    step_forms = STEPS.form_rows(request.user, case, forms)
    decision = Decision.objects.filter(case=case).select_related("decided_by").first()
    today = timezone.localdate()
    ceiling, ceiling_entry = services.township_ceiling(case, today)
    return {
        "case": case, "household": case.household_shown, "events": case.events.select_related("actor"),
        "person": case.person if case.household_shown is None else None,
        "residence_name": {"urban": "城镇", "rural": "农村"}.get(services.residence_of(case), ""),
        "home_notices": case.home_notices.select_related("acknowledged_by"),
        "home_name": services.place_name(case.home_region),
        "investigations": case.investigations.prefetch_related("investigators"),
        "decision": decision, "amount": yuan(decision.amount_fen) if decision else "",
        "amount_capital": capital_yuan(decision.amount_fen, fen=True) if decision else "",
        "trace": trace_sentences(decision.assessment, "temporary") if decision else [],
        "stages": [{"s": s, "amount": yuan(s.amount_fen)} for s in case.stages.select_related("paid_by")],
        "planned": [yuan(f) for f in case.stages_fen or []],
        "decided_amount": yuan(case.decided_amount_fen) if case.decided_amount_fen is not None else "",
        "referrals": case.referrals.select_related("referred_by"),
        "entry": getattr(case, "register_entry", None) if hasattr(case, "register_entry") else None,
        "ceiling": yuan(ceiling) if ceiling is not None else "未设定",
        "ceiling_placeholder": ceiling_entry.placeholder, "kind_name": proc.KIND_NAMES[case.kind],
        "county_needed": services.over_ceiling(case, today) if decision is None else "",
        "path_name": proc.PATH_NAMES[case.path], "step_forms": step_forms,
        "due_name": DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "",
        "overdue": bool(case.due_on and case.due_on < today),
        "paperwork_overdue": bool(case.paperwork_due_on and not case.paperwork_done_on and case.paperwork_due_on < today),
        # the policy core's decision as the case stands now, before the township or the county decides
        "figures": services.current_figures(case) if decision is None and any(
            r["action"] in DECIDING for r in step_forms) else None,
    }


DECIDING = {Action.APPROVE.value, Action.REFUSE.value}


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = services.access_case(request.user, pk)
    return render(request, "relief/case_detail.html", case_context(request, case))


STEPS = Steps(app="relief", actions=Action, action_names=ACTION_NAMES, forms=STEP_FORMS, run_step=run_step,
              access_case=services.access_case, case_perms=services.case_perms,
              allowed_actions=proc.allowed_actions, case_context=case_context, model=ReliefCase)


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step's form (GET) and its submission (POST); errors come back beside what was typed."""
    return take_step(request, pk, action, STEPS)




def _open(request: HttpRequest, form: Any, service: Any) -> HttpResponse | None:
    """A new case from a posted form: the redirect to the case, or None with the errors on the form
    (a refused region, e.g. over the township's ceiling, under the region field)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        case = service(request.user, **form.cleaned_data)
    except ProcedureError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    except PermissionDenied as exc:
        form.add_error("region", str(exc))
        return None
    messages.success(request, f"已登记 {case.number}")
    return redirect("relief:case_detail", pk=case.pk)


def _new(request: HttpRequest, form_class: type, service: Any, title: str, submit: str,
         by_person: bool = False) -> HttpResponse:
    access.require(request.user, Perm.CASE_ACCEPT)
    household = picked_household(request)
    form = form_class(request.POST or None, initial={"household_id": household.pk} if household else None)
    opened = _open(request, form, service)
    if opened is not None:
        return opened
    return render(request, "relief/case_new.html", {"form": form, "household": household,
                                                     "pick_form": PickForm(request.user, request.GET or None),
                                                     "title": title, "submit": submit, "by_person": by_person},
                  status=400 if form.errors else 200)


@login_required
def urgent_new(request: HttpRequest) -> HttpResponse:
    """先行救助登记 (急难型)."""
    return _new(request, HelpFirstForm, services.help_first, "急难型临时救助：先行救助登记", "先行救助登记", by_person=True)


@login_required
def urgent_person(request: HttpRequest) -> HttpResponse:
    """先行救助登记 by ID number: a person registered in another area or not at all (NAT-TA-FIRST)."""
    access.require(request.user, Perm.CASE_ACCEPT)
    form = HelpFirstPersonForm(request.POST or None)
    opened = _open(request, form, services.help_first_person)
    if opened is not None:
        return opened
    return render(request, "relief/urgent_person.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def notices(request: HttpRequest, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """户籍地通报: help given elsewhere to persons registered in the user's areas, open ones first."""
    access.require(request.user, Perm.CASE_VIEW)
    forms = forms or {}
    accept = access.areas_of(request.user, Perm.CASE_ACCEPT)
    rows = [{"n": n, "form": forms.get(n.pk) or NoticeForm(initial={"version": n.version}),
             "may": not n.acknowledged_on and access.in_area(accept, n.region),
             "overdue": bool(not n.acknowledged_on and n.due_on < timezone.localdate())}
            for n in services.visible_notices(request.user).order_by("acknowledged_on", "due_on", "id")[:500]]
    return render(request, "relief/notices.html", {"rows": rows}, status=status)


@login_required
@require_POST
def acknowledge_notice(request: HttpRequest, pk: int) -> HttpResponse:
    return _row_action(request, pk, NoticeForm, services.acknowledge_notice, "已登记户籍地处理情况",
                       "relief:notices", f"#notice-{pk}", notices)


def _row_action(request: HttpRequest, pk: int, form_class, act, done: str, page: str, anchor: str,
                redisplay) -> HttpResponse:
    """A form posted from one row of a list page (a notice, a register entry): on success back to
    the row with a message; on an error the list again with the row's form and its errors."""
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(request.user, pk, **form.cleaned_data)
        except ProcedureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, done)
            return redirect(reverse(page) + anchor)
    return redisplay(request, {int(pk): form}, status=400)


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    """临时救助申请 (支出型)."""
    return _new(request, SubmitForm, services.submit, "临时救助申请（支出型）", "登记申请")


@login_required
def register(request: HttpRequest, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """救急难对象台账 (TA-6): open entries first, by next follow-up."""
    access.require(request.user, Perm.CASE_VIEW)
    entries = services.visible_register(request.user).prefetch_related("follow_ups").order_by(
        "closed_on", "next_follow_up_on", "id")
    forms = forms or {}
    accept = access.areas_of(request.user, Perm.CASE_ACCEPT)
    rows = [{"e": e, "form": forms.get(e.pk) or FollowUpForm(initial={"version": e.version}),
             "may": not e.closed_on and access.in_area(accept, e.region),
             "overdue": bool(e.next_follow_up_on and e.next_follow_up_on < timezone.localdate())} for e in entries]
    return render(request, "relief/register.html", {"rows": rows}, status=status)


@login_required
@require_POST
def follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _row_action(request, pk, FollowUpForm, services.follow_up, "已登记跟踪回访",
                       "relief:register", f"#entry-{pk}", register)


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in documents.DOCUMENTS:
        raise Http404("没有这种文书")
    case = services.access_case(request.user, pk)
    d = Decision.objects.filter(case=case).first()
    if d is None or d.outcome != {"decision": "approved", "refusal": "refused"}.get(kind, d.outcome):
        raise Http404("本案尚无该文书")
    builders = {"decision": documents.decision_notice, "refusal": documents.refusal_notice,
                "record": documents.record_of}
    ctx = builders[kind](case)
    template = "web/print/record.html" if kind == "record" else f"relief/print/{kind}.html"
    html = render_to_string(template, ctx, request=request)
    return printable(request, html, documents.render_pdf, case=case, action=f"relief.document.{kind}.pdf",
                     reason=f"打印{documents.DOCUMENTS[kind]}", filename=f"{case.number}-{kind}.pdf")
