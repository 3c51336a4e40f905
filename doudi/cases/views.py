"""Pages of the one window and the 低保 procedure. Thin: every write goes through services.py.

Reading works without JavaScript; with htmx the step forms on the case page post in place and
the case panel is swapped (`HX-Request` → the partial `cases/_case.html`).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from importlib.util import find_spec
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

from doudi.accounts import access, audit
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action as Perm
from doudi.accounts.roles import Role
from doudi.cases import documents, services
from doudi.cases.forms import (
    STEP_FORMS,
    AnswerForm,
    ApplicationForm,
    HelpForm,
    RouteForm,
    TransferForm,
    WindowRequestForm,
    run_step,
)
from doudi.cases.models import Case, Transfer, WindowRequest
from doudi.cases.procedure import (
    ACTION_NAMES,
    DEADLINE_NAMES,
    Action,
    DeadlineKind,
    ProcedureError,
    State,
    allowed_actions,
)
from doudi.procedure.steps import worklist_steps
from doudi.procedure.views import Steps, attempt, printable, refusal_status, take_step
from doudi.registry.picker import quiet, use_picker
from doudi.registry.picker import searching as picker_searching

# --- worklist ----------------------------------------------------------------------------------

# The worklist shows the cases whose time limits come first: a county's thousands of open cases are
# not read into one page (issue 16: pages under load).
WORKLIST_CASES = 200


def _worklist_states(user: Any, side: set) -> list[str]:
    """The states in which some role of the user has a step that puts a case on the worklist (a
    superset: each case is still checked with the permissions held in its own area)."""
    from doudi.cases.procedure import Perm as ProcPerm

    held = {p for p in ProcPerm if access.areas_of(user, p)}
    return [st.value for st in State if any(a not in side for a in allowed_actions(st, held))]


def _case_bars(user: Any, cases: list[Case]) -> tuple[set[int], set[int], set[int]]:
    """For a page of cases, in three queries: those the user may not decide under four eyes (as
    services.may_decide: investigated, recorded the investigation, reviewed; a relative's case first
    approved by the user), and those with a drawn home check not yet visited (PR-3)."""
    from django.db.models import Q

    from doudi.cases.models import Decision, Investigation, Proposal, SpotCheck

    ids = [c.pk for c in cases]
    took = set(Investigation.objects.filter(Q(investigators=user) | Q(recorded_by=user), case_id__in=ids)
               .values_list("case_id", flat=True))
    took |= set(Proposal.objects.filter(reviewer=user, case_id__in=ids).values_list("case_id", flat=True))
    kin = [c.pk for c in cases if c.kin and c.state_enum is State.FIRST_APPROVED]
    first = set(Decision.objects.filter(case_id__in=kin, first_approver=user).values_list("case_id", flat=True)) \
        if kin else set()
    latest: dict[int, Any] = {}
    for check in SpotCheck.objects.filter(case_id__in=ids).order_by("case_id", "-drawn_at", "-id"):
        latest.setdefault(check.case_id, check)
    pending = {pk for pk, c in latest.items() if c.selected and not c.visited_on}
    return took, first, pending


def worklist_items(user: Any, today: dt.date) -> list[dict]:
    """The user's open work: cases whose next step the user may take, and transfers awaiting a reply."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    from doudi.registry.models import Household

    items = []
    side = {Action.RECORD_OBJECTION, Action.WITHDRAW}
    if services.verification_app():
        side.add(Action.RECORD_VERIFICATION)  # the verification app's report records the result
    candidates = (services.visible_cases(user).filter(state__in=_worklist_states(user, side - {Action.RECORD_SPOT_CHECK}))
                  .exclude(state__in=[s.value for s in (State.APPROVED, State.REFUSAL_NOTIFIED, State.WITHDRAWN)])
                  # no join: a worklist line needs the household's number only, which is its key's
                  .only("number", "applicant_name", "state", "region", "kin", "household_id", "due_on", "due_warning",
                        "due_kind", "overall_due_on", "overall_due_warning")
                  .order_by(Coalesce("due_on", "overall_due_on").asc(nulls_last=True), F("pk").asc()))
    shown, offset = 0, 0
    detail = reverse("cases:case_detail", args=[987654321]).replace("987654321", "{}")  # one reverse, not 200
    perms_in: dict[str, set] = {}  # the permissions held where a case lies depend on its region only
    more = False  # a candidate after the last batch read (the row past it is read with the batch)
    while shown < WORKLIST_CASES:
        batch = list(candidates[offset:offset + WORKLIST_CASES + 1])
        more, batch = len(batch) > WORKLIST_CASES, batch[:WORKLIST_CASES]
        offset += len(batch)
        took, first, pending = _case_bars(user, batch) if batch else (set(), set(), set())
        for case in batch:
            perms = perms_in.get(case.region)
            if perms is None:
                perms = perms_in[case.region] = services.case_perms(user, case)
            allowed = allowed_actions(case.state_enum, perms)
            skip = set(side)
            if Action.RECORD_SPOT_CHECK in allowed and case.pk not in pending:
                skip.add(Action.RECORD_SPOT_CHECK)  # only a drawn check not yet visited is work waiting
            steps = worklist_steps(allowed, skip, (Action.APPROVE, Action.REFUSE),
                                   lambda case=case, perms=perms, barred=took | first: (
                                       Perm.CASE_APPROVE in perms and case.pk not in barred))
            if not steps:
                continue
            # the step's own time limit, else the whole procedure's (NAT-DB-DEADLINES)
            if case.due_on:
                due, warning = case.due_on, case.due_warning
                rule = DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else ""
            else:
                due, warning = case.overall_due_on, case.overall_due_warning
                rule = DEADLINE_NAMES[DeadlineKind.WHOLE_PROCEDURE] if due else ""
            items.append(_item(due, warning, f"{case.number} {case.applicant_name}:{ACTION_NAMES[steps[0]]}",
                               detail.format(case.pk), Household.number_of(case.household_id), case.state_name,
                               today, rule))
            shown += 1
            if shown >= WORKLIST_CASES:
                break
        if len(batch) < WORKLIST_CASES:
            break
    if shown >= WORKLIST_CASES and more:
        # a caseworker must know the list is cut, and where the rest is (sorted last: no deadline)
        items.append(_item(None, "", f"另有低保案件待办：此处只列期限最早的 {WORKLIST_CASES} 件，其余请在「全部低保案件」中查看",
                           reverse("cases:case_list"), "", "", today, ""))
    window = access.areas_of(user, Perm.CASE_ACCEPT)  # the window (受理) answers and hands on requests
    transfers = [t for t in services.visible_transfers(user, open_only=True).select_related("request")
                 if services.may_answer(user, t) and (t.request.first_asked_id == user.pk or not window)
                 ] if window or access.areas_of(user, Perm.TRANSFER_ANSWER) else []  # may_answer's two rights
    for t in transfers:
        items.append(_item(t.reply_due, t.due_warning, f"转办{t.get_department_display()}：{t.request.applicant_name}",
                           reverse("cases:request_detail", args=[t.request_id]), "", "待答复", today, "转办答复期限"))
    open_requests = access.scope_queryset(user, WindowRequest.objects.filter(status=WindowRequest.Status.OPEN),
                                          Perm.CASE_ACCEPT) if window else ()
    for r in open_requests:
        items.append(_item(None, "", f"求助登记：{r.applicant_name}（{r.get_program_display()}）",
                           reverse("cases:request_detail", args=[r.pk]), "", "待分办", today, ""))
    items.extend(other_apps_items(user, today))
    far = dt.date.max
    items.sort(key=lambda i: (i["due"] or far, i["title"]))
    return items


def _spot_check_pending(case: Case) -> bool:
    """The case was drawn for the county's home check (PR-3) and the check is not recorded yet."""
    check = case.spot_checks.order_by("-drawn_at", "-id").first()
    return bool(check and check.selected and not check.visited_on)


# Apps whose open work joins the one worklist (each has `items(user, today)` in the worklist item shape)
WORKLIST_SOURCES = ("doudi.benefits.worklist", "doudi.support.worklist", "doudi.relief.worklist",
                    "doudi.verification.worklist", "doudi.payments.worklist", "doudi.disaster.worklist",
                    "doudi.monitoring.worklist", "doudi.welfare.worklist", "doudi.programs.worklist",
                    "doudi.registry.worklist")


def other_apps_items(user: Any, today: dt.date) -> list[dict]:
    """Reviews, 特困 and temporary-assistance steps due from the same user, one list sorted by deadline."""
    out = []
    for module in WORKLIST_SOURCES:
        if find_spec(module) is None:
            continue
        for it in import_module(module).items(user, today):
            due = it.get("due", it.get("deadline"))
            due = due if isinstance(due, dt.date) else None
            out.append(_item(due, it.get("warning") or "", it["title"], it["url"], it.get("household", ""),
                             it.get("state", ""), today, it.get("rule", "")))
    return out


def _item(due: dt.date | None, warning: str, title: str, url: str, household: str, state: str, today: dt.date,
          rule: str) -> dict:
    return {"due": due, "deadline": due.isoformat() if due else "—", "warning": warning, "title": title, "url": url,
            "household": household, "state": state, "overdue": bool(due and due < today),
            "due_today": bool(due and due == today), "rule": rule}


def _worklist_row(item: dict) -> str:
    """One worklist line's HTML (cases/worklist.html's row, written here: 200 lines of template tags were a
    large part of the page's time), every value escaped as {{ }} does."""
    from django.utils.html import conditional_escape as esc
    from django.utils.safestring import mark_safe

    css = "overdue" if item["overdue"] else ("due-today" if item["due_today"] else "")
    mark = " 已逾期" if item["overdue"] else (" 今日到期" if item["due_today"] else "")
    warn = (f' <span class="warn" title="{esc(item["warning"])}">⚠ {esc(item["warning"])}</span>'
            if item["warning"] else "")
    return mark_safe(f'<tr class="{css}">\n    <td>{esc(item["deadline"])}{mark}{warn}</td>\n'
                     f'    <td><a href="{esc(item["url"])}">{esc(item["title"])}</a></td><td>{esc(item["household"])}</td>'
                     f'<td>{esc(item["state"])}</td><td>{esc(item["rule"])}</td>\n  </tr>')


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    roles = [(Role(r).label, a) for r, a in access.roles_of(request.user)]
    items = worklist_items(request.user, timezone.localdate())
    for item in items:
        item["html"] = _worklist_row(item)
    return render(request, "cases/worklist.html", {"roles": roles, "items": items})


# --- cases -------------------------------------------------------------------------------------

@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """低保案件: filtered, searched, paged and exported through doudi.web.lists."""
    from doudi.cases.lists import CASES
    from doudi.web.lists import render_list

    return render_list(request, CASES, "cases/case_list.html",
                       {"may_apply": bool(access.areas_of(request.user, Perm.CASE_ACCEPT))})


def case_context(request: HttpRequest, case: Case, forms: dict | None = None) -> dict:
    user = request.user
    step_forms = STEPS.form_rows(user, case, forms)
    if services.verification_app():  # the result is the 核对报告's (doudi.verification), not typed here
        step_forms = [r for r in step_forms if r["action"] != Action.RECORD_VERIFICATION.value]
    decision = getattr(case, "decision", None) if hasattr(case, "decision") else None
    notice = case.notices.order_by("-starts_on", "-id").first()
    return {
        "case": case,
        "household": case.household,
        "events": case.events.select_related("actor"),
        "investigations": case.investigations.prefetch_related("investigators"),
        "verifications": case.verifications.all(),
        "proposals": case.proposals.select_related("reviewer"),
        "notices": case.notices.prefetch_related("objections"),
        "notice": notice,
        "appraisals": case.appraisals.all(),
        "spot_checks": case.spot_checks.all(),
        "decision": decision,
        "decision_trace": documents.trace_sentences(decision.assessment) if decision and decision.assessment else [],
        "decision_summary": documents.summary_sentence(decision.assessment) if decision else "",
        "decision_parameters": documents.parameter_lines(decision.parameters) if decision else [],
        "amount": documents.yuan(decision.amount_fen) if decision else "",
        "amount_capital": documents.capital_yuan(decision.amount_fen, fen=True) if decision else "",
        "step_forms": step_forms,
        "due_name": DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "",
        "overdue": bool(case.due_on and case.due_on < timezone.localdate()),
        "today": timezone.localdate(),
        "help": case.help.select_related("by"),
        "may_help": access.in_area(access.areas_of(user, Perm.CASE_REPORT), case.region),
        "help_form": HelpForm(),
        "verification_reports": verification_reports(case),
        # the policy core's decision as the household stands now, before the reviewer or approver acts
        "figures": services.current_figures(case) if any(
            r["action"] in DECIDING for r in step_forms) and not (decision and decision.outcome) else None,
    }


DECIDING = {Action.PROPOSE.value, Action.APPROVE.value, Action.REFUSE.value}


def verification_reports(case: Case) -> list:
    """The case's 核对报告 (doudi.verification), each with its page and what it says of the decision."""
    if not services.verification_app():
        return []
    from doudi.verification.services import reports_of_case

    return reports_of_case(case)


def _case_for(request: HttpRequest, pk: int) -> Case:
    return services.access_case(request.user, pk)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for(request, pk)
    return render(request, "cases/case_detail.html", case_context(request, case))


STEPS = Steps(app="cases", actions=Action, action_names=ACTION_NAMES, forms=STEP_FORMS, run_step=run_step,
              access_case=services.access_case, case_perms=services.case_perms, allowed_actions=allowed_actions,
              case_context=case_context, model=Case)


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step's form (GET) and its submission (POST); errors come back beside what was typed."""
    return take_step(request, pk, action, STEPS)


@login_required
def application_new(request: HttpRequest) -> HttpResponse:
    """登记低保申请 for a registered household, picked by search (registry.picker)."""
    initial = {"household_id": request.GET.get("household")} if request.GET.get("household") else None
    form = use_picker(ApplicationForm(request.POST or None, initial=initial), request.user, request.POST or request.GET)
    if picker_searching(request):
        quiet(form)
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.submit_application(request.user, d["household_id"], kin=d["kin"],
                                               kin_note=d["kin_note"], special=d["special"])
        except Http404:
            form.add_error("household_id", "未找到该家庭，或不在您的辖区内")
        except ProcedureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已登记低保申请 {case.number}")
            return redirect("cases:case_detail", pk=case.pk)
    return render(request, "cases/form_page.html", {"form": form, "title": "登记低保申请",
                                                     "submit": "登记申请"}, status=400 if form.errors else 200)


@login_required
@require_POST
def help_record(request: HttpRequest, pk: int) -> HttpResponse:
    """协助记录 on a case (village assistants and the window); a refusal comes back beside the form."""
    form = HelpForm(request.POST)
    if form.is_valid():
        attempt(form, lambda: services.record_help(request.user, case_id=pk, note=form.cleaned_data["note"]),
                (ProcedureError,))
        if not form.errors:
            messages.success(request, "已登记协助")
            return redirect("cases:case_detail", pk=pk)
    case = _case_for(request, pk)
    return render(request, "cases/case_detail.html", {**case_context(request, case), "help_form": form},
                  status=refusal_status(form))


# --- the one window ---------------------------------------------------------------------------

@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    reqs = access.scope_queryset(request.user, WindowRequest.objects.all(), Perm.CASE_VIEW)
    return render(request, "cases/request_list.html", {"requests": reqs[:500]})


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """一门受理登记; a registered household is picked by search (registry.picker), or none."""
    initial = {"household_id": request.GET.get("household")} if request.GET.get("household") else None
    form = use_picker(WindowRequestForm(request.POST or None, initial=initial), request.user,
                      request.POST or request.GET)
    if picker_searching(request):
        quiet(form)
    elif request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = services.register_request(request.user, region=d["region"] or "", applicant_name=d["applicant_name"],
                                             program=d["program"], description=d["description"],
                                             applicant_id_number=d["applicant_id_number"], phone=d["phone"],
                                             household_id=d["household_id"])
        except Http404:
            form.add_error("household_id", "未找到该家庭，或不在您的辖区内")
        except PermissionDenied as exc:
            form.add_error("region", str(exc))
        except ProcedureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "已登记求助，您是首问责任人")
            return redirect("cases:request_detail", pk=req.pk)
    return render(request, "cases/form_page.html", {"form": form, "title": "一门受理登记", "submit": "登记"},
                  status=400 if form.errors else 200)


def _request_for(request: HttpRequest, pk: int) -> WindowRequest:
    """The request if the user may see it: in its areas, or (a liaison) transferred to its department."""
    try:
        return access.access_object(request.user, WindowRequest, pk, Perm.CASE_VIEW)
    except Http404:
        if services.visible_transfers(request.user).filter(request_id=pk).exists():
            return WindowRequest.objects.get(pk=pk)
        raise


@login_required
def request_detail(request: HttpRequest, pk: int, forms: dict | None = None, status: int = 200) -> HttpResponse:
    req = _request_for(request, pk)
    audit.record(request.user, AuditKind.READ, req, action="request.view", reason="查看求助登记")
    forms = forms or {}
    may_accept = access.in_area(access.areas_of(request.user, Perm.CASE_ACCEPT), req.region)
    may_answer = may_accept or any(services.may_answer(request.user, t) for t in req.transfers.all())
    case = Case.objects.filter(request=req).first()
    transfers = services.visible_transfers(request.user).filter(request=req)
    return render(request, "cases/request_detail.html", {
        "req": req, "transfers": transfers, "case": case, "may_accept": may_accept,
        "may_answer": may_answer, "route_form": forms.get("route") or RouteForm(),
        "transfer_form": forms.get("transfer") or TransferForm(), "answer_form": forms.get("answer") or AnswerForm(),
    }, status=status)


@login_required
@require_POST
def request_route(request: HttpRequest, pk: int) -> HttpResponse:
    form = RouteForm(request.POST)
    if form.is_valid():
        try:
            req = services.route_request(request.user, pk, **form.cleaned_data)
        except ProcedureError as exc:
            form.add_error(None, exc.message)
        else:
            case = Case.objects.filter(request=req).first()
            messages.success(request, "已分办")
            return redirect("cases:case_detail", pk=case.pk) if case else redirect("cases:request_detail", pk=pk)
    return request_detail(request, pk, {"route": form}, status=400)


@login_required
@require_POST
def request_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    form = TransferForm(request.POST)
    if form.is_valid():
        try:
            t = services.transfer_request(request.user, pk, **form.cleaned_data)
        except ProcedureError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已转办{t.get_department_display()}，答复期限 {t.reply_due}")
            return redirect("cases:request_detail", pk=pk)
    return request_detail(request, pk, {"transfer": form}, status=400)


@login_required
@require_POST
def transfer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        t = services.visible_transfers(request.user).get(pk=pk)
    except Transfer.DoesNotExist:
        raise Http404("未找到该转办，或不在您的辖区内") from None
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_transfer(request.user, t.pk, **form.cleaned_data)
        except ProcedureError as exc:
            form.add_error("answer", exc.message)
        else:
            messages.success(request, "已登记转办答复")
            return redirect("cases:request_detail", pk=t.request_id)
    return request_detail(request, t.request_id, {"answer": form}, status=400)


# --- documents --------------------------------------------------------------------------------

DOCUMENTS = {
    "application": "申请表",
    "investigation": "入户调查表",
    "decision": "审批决定书",
    "refusal": "不予批准告知书",
    "record": "核算记录（内部）",
}


def document_context(case: Case, kind: str) -> dict:
    ctx: dict[str, Any] = {"case": case, "kind": kind, "title": DOCUMENTS[kind], "household": case.household}
    if kind == "application":
        ctx["members"] = case.household.memberships_on(case.submitted_on)
    elif kind == "investigation":
        inv = case.investigations.prefetch_related("investigators").last()
        if inv is None:
            raise Http404("本案尚无入户调查")
        ctx["inv"] = inv
        ctx["members"] = inv.household_document.get("members", [])
    else:
        decision = getattr(case, "decision", None) if hasattr(case, "decision") else None
        wanted = {"decision": "approved", "refusal": "refused"}.get(kind)
        if decision is None or (wanted and decision.outcome != wanted):
            raise Http404("本案尚无该文书")
        builders = {"decision": documents.decision_notice, "refusal": documents.refusal_notice,
                    "record": lambda c: documents.record(c, c.decision)}
        ctx.update(builders[kind](case))
    return ctx


@login_required
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """A printable page; `?format=pdf` gives the same page as PDF (WeasyPrint)."""
    if kind not in DOCUMENTS:
        raise Http404("没有这种文书")
    case = _case_for(request, pk)
    ctx = document_context(case, kind)
    template = "web/print/record.html" if kind == "record" else f"cases/print/{kind}.html"
    html = render_to_string(template, ctx, request=request)
    return printable(request, html, documents.render_pdf, case=case, action=f"document.{kind}.pdf",
                     reason=f"打印{DOCUMENTS[kind]}", filename=f"{case.number}-{kind}.pdf")


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    """公示名单 (PR-4, NAT-DB-PAY) per village: in the application's frame; `?format=print` the sheet for the
    village board, `?format=pdf` the same as PDF (audited). Name, household size and amount only."""
    from doudi.cases.notice_board import board

    area = request.GET.get("area", "").strip()
    if area and not area.isdigit():
        raise Http404("区划代码应为数字")
    today = timezone.localdate()
    ctx = {"area": area, "villages": board(request.user, area, today), "today": today,
           "title": "城乡最低生活保障公示名单"}
    fmt = request.GET.get("format", "")
    if fmt not in ("print", "pdf"):
        return render(request, "cases/notice_board.html", ctx)
    html = render_to_string("cases/print/notice_list.html", ctx, request=request)
    if fmt == "pdf":
        audit.record_in_areas(request.user, AuditKind.EXPORT, None, action="document.notice_list.pdf", area=area,
                              via=Perm.CASE_VIEW, reason="打印公示名单")  # no area: one entry per area
        return HttpResponse(documents.render_pdf(html), content_type="application/pdf")
    return HttpResponse(html)
