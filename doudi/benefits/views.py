"""Benefits pages (Chinese). Views are thin: the access layer finds, the services write."""

from __future__ import annotations

import datetime as dt
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
from doudi.benefits import forms, reckon, services
from doudi.benefits.models import LIVE, BenefitChange, Recovery, Review, StandardChange
from doudi.benefits.months import add_months, month_label, months_from_to
from doudi.benefits.reckon import BenefitError, yuan
from doudi.benefits.worklist import items as worklist_items
from doudi.procedure.views import attempt, attempt_button, printable, refusal_status
from doudi.web import notices


def _may(user: Any, action: str, region: str) -> bool:
    return access.in_area(access.areas_of(user, action), region)


def _status(form: Any) -> int:
    """A refused form answers 400/403/409 (doudi.procedure.views.refusal_status), a fresh one 200."""
    return refusal_status(form) if form.is_bound and form.errors else 200


def visible_reviews(user: Any):
    return access.scope_queryset(user, Review.objects.select_related("benefit__household", "benefit__person"), Action.CASE_VIEW)


def _review(user: Any, pk: Any) -> Review:
    try:
        return visible_reviews(user).get(pk=pk)
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该复核，或不在您的辖区内") from None


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """复核任务: every open review of the user's areas (case.view), by deadline (overdue in red); the
    one worklist (cases:worklist) lists only those the user decides."""
    access.require(request.user, Action.CASE_VIEW)
    items = worklist_items(request.user, action=Action.CASE_VIEW)
    return render(request, "benefits/worklist.html", {"items": items, "roles": []})


@login_required
def benefit_list(request: HttpRequest) -> HttpResponse:
    """待遇列表: filtered, searched, paged and exported through doudi.web.lists."""
    from doudi.benefits.lists import BENEFITS
    from doudi.web.lists import render_list

    access.require(request.user, Action.CASE_VIEW)
    return render_list(request, BENEFITS, "benefits/benefit_list.html")


@login_required
def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """待遇页面: current figures, the change history, 渐退 months, reports, reviews, recoveries."""
    b = services.access_benefit(request.user, pk, reason="查看待遇")
    today = timezone.localdate()
    exit_text = reckon.exit_text(b.exit_first_month, b.exit_months, today) if b.exit_first_month else ""
    last = min(today.replace(day=1), b.end_month - dt.timedelta(days=1) if b.end_month else today).replace(day=1)
    months = months_from_to(max(b.start_month, add_months(last, -23)), last)
    paid = [(month_label(m), yuan(a)) for m, a in reversed(services.monthly_amounts(b, months))]
    return render(request, "benefits/benefit_detail.html", {
        "b": b, "subject": services.subject_of(request.user, b), "changes": b.changes.select_related("actor"), "reviews": b.reviews.all(),
        "reports": b.reports.select_related("person", "reported_by"), "recoveries": b.recoveries.all(),
        "exit_text": exit_text, "paid": paid, "can_report": b.live and (_may(request.user, Action.CASE_REPORT, b.region)
                                                          or _may(request.user, Action.CASE_ACCEPT, b.region)),
        "can_approve": _may(request.user, Action.CASE_APPROVE, b.region),
    })


@login_required
def report_change(request: HttpRequest, pk: int) -> HttpResponse:
    """报告家庭情况变化."""
    b = services.access_benefit(request.user, pk)
    if not (_may(request.user, Action.CASE_REPORT, b.region) or _may(request.user, Action.CASE_ACCEPT, b.region)):
        raise PermissionDenied("您的角色不能报告家庭情况变化")
    subject = services.subject_of(request.user, b)
    if subject.household is not None:
        members = [m.person for m in subject.household.memberships_on(timezone.localdate()).select_related("person")]
    else:  # a household outside the user's areas is not listed: only the person of the benefit
        members = [subject.person] if subject.person is not None else []
    form = forms.ReportForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        report = attempt(form, lambda: services.report_change(
            request.user, b.pk, kind=d["kind"], occurred_on=d["occurred_on"], description=d["description"],
            person_id=d["person"] or None, member_facts=form.member_facts()), (BenefitError,))
        if report is not None:
            review = report.reviews.first()
            messages.success(request, f"已登记，复核期限 {review.due_on}")
            return redirect("benefits:review", review.pk)
    return render(request, "benefits/report_form.html", {"b": b, "subject": subject, "form": form},
                  status=_status(form))


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """复核: the policy core's redecision (for an open review) and the decision form (county)."""
    review = _review(request.user, pk)
    b = review.benefit
    may_decide = _may(request.user, Action.CASE_APPROVE, b.region) and review.state == Review.State.OPEN
    form = forms.ReviewDecisionForm(request.POST or None, initial={"version": review.version})
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied("您的角色不能作出复核决定")
        if form.is_valid():
            d = form.cleaned_data
            if attempt(form, lambda: services.decide_review(
                    request.user, review.pk, reasons=d["reasons"], through_work=d["through_work"], stop=d["stop"],
                    ground=d["ground"], version=d["version"]), (BenefitError,)) is not None:
                messages.success(request, "复核决定已作出")
                return redirect("benefits:notice", review.pk)
    preview, problem = None, ""
    if review.state == Review.State.OPEN:
        try:
            preview = services.reassess(b, timezone.localdate(), [review.report] if review.report else [],
                                        bool(request.POST.get("through_work")))
        except BenefitError as exc:
            problem = exc.message
    audit.record(request.user, AuditKind.READ, b, action="benefit.review_view", reason="查看复核")
    trace = notices.staff_trace(preview.decision if preview else review.assessment, b.program)
    return render(request, "benefits/review.html", {
        "review": review, "b": b, "subject": services.subject_of(request.user, b), "preview": preview, "problem": problem, "form": form, "may_decide": may_decide,
        "trace": trace, "preview_amount": yuan(preview.amount_fen) if preview else "",
        "outcome_label": dict(Review._meta.get_field("outcome").choices).get(preview.outcome) if preview else "",
    }, status=_status(form) if request.method == "POST" else 200)


@login_required
def review_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """复核决定告知书: the written notice with the reasons (reductions and stops, NAT-DB-REVIEW)."""
    review = _review(request.user, pk)
    if review.state != Review.State.DONE:
        raise Http404("该复核尚未作出决定")
    b = review.benefit
    audit.record(request.user, AuditKind.READ, b, action="benefit.notice", reason="查看复核决定告知书")
    ctx = {**notices.citizen_notice(b.region, review.decided_on, review.assessment, b.program),
           "title": f"{b.program_name}复核决定告知书", "review": review, "b": b,
           "reasons": notices.reasons_in_words(review.reasons, b.region),
           "subject": services.subject_of(request.user, b),
           "before": yuan(review.amount_before_fen), "after": yuan(review.amount_after_fen),
           "month": month_label(review.effective_month)}
    return _notice(request, "benefits/notice.html", ctx, b, f"review-{review.pk}")


@login_required
def change_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """变更告知书: the written notice of any reduction or stop (NAT-DB-REVIEW), with its reasons."""
    try:
        change = access.scope_queryset(request.user, BenefitChange.objects.select_related("benefit__household", "benefit__person"),
                                       Action.CASE_VIEW).get(pk=pk)
    except (BenefitChange.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该变更记录，或不在您的辖区内") from None
    b = change.benefit
    audit.record(request.user, AuditKind.READ, b, action="benefit.change_notice", reason="查看变更告知书")
    stopped = change.status_after not in LIVE
    ctx = {**notices.citizen_notice(b.region, change.on_date),
           "title": f"{b.program_name}{'停发' if stopped else '减发'}告知书", "c": change, "b": b,
           "kind": change.get_kind_display(), "reasons": notices.reasons_in_words(change.reasons, b.region),
           "subject": services.subject_of(request.user, b),
           "before": yuan(change.amount_before_fen), "after": yuan(change.amount_after_fen),
           "month": month_label(change.effective_month), "stopped": stopped,
           "one_off": services.paid_in_stages(b)}
    return _notice(request, "benefits/change_notice.html", ctx, b, f"change-{change.pk}")


def _notice(request: HttpRequest, template: str, ctx: dict, benefit: Any, name: str) -> HttpResponse:
    """A notice to the citizen as a printable page, or with `?format=pdf` as PDF (the export audited)."""
    html = render_to_string(template, ctx, request=request)
    return printable(request, html, notices.render_pdf, case=benefit, action=f"benefit.notice.{name}.pdf",
                     reason=f"打印{ctx['title']}", filename=f"{name}.pdf")


@login_required
def recovery_form(request: HttpRequest, pk: int) -> HttpResponse:
    """骗取保障金的停发、追回和罚款 (NAT-DB-FRAUD)."""
    b = services.access_benefit(request.user, pk)
    if not _may(request.user, Action.CASE_APPROVE, b.region):
        raise PermissionDenied("您的角色不能决定追回")
    form = forms.RecoveryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        rec = attempt(form, lambda: services.recover_fraud(
            request.user, b.pk, first_month=d["first_month"], last_month=d["last_month"],
            fine_multiple=d["fine_multiple"], reasons=d["reasons"]), (BenefitError,))
        if rec is not None:
            messages.success(request, f"已决定追回 {yuan(rec.amount_fen)} 元，罚款 {yuan(rec.fine_fen)} 元")
            return redirect("benefits:recovery", rec.pk)
    return render(request, "benefits/recovery_form.html", {"b": b, "subject": services.subject_of(request.user, b),
                                                           "form": form}, status=_status(form))


@login_required
def recovery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        rec = access.scope_queryset(request.user, Recovery.objects.select_related("benefit__household", "benefit__person"),
                                    Action.CASE_VIEW).get(pk=pk)
    except (Recovery.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到") from None
    months = [(month_label(dt.date.fromisoformat(m)), yuan(a)) for m, a in rec.months]
    return render(request, "benefits/recovery.html", {"rec": rec, "b": rec.benefit, "months": months,
                                                      "subject": services.subject_of(request.user, rec.benefit)})


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    """标准调整."""
    access.require(request.user, Action.CASE_VIEW)
    qs = access.scope_queryset(request.user, StandardChange.objects.all(), Action.CASE_VIEW)
    return render(request, "benefits/standard_list.html", {
        "changes": qs, "may_start": bool(access.areas_of(request.user, Action.PARAMS_CHANGE))})


@login_required
def standard_new(request: HttpRequest) -> HttpResponse:
    """A new standard: DB-13 is checked, then the affected households are recomputed."""
    access.require(request.user, Action.PARAMS_CHANGE)
    form = forms.StandardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        change = attempt(form, lambda: services.start_standard_change(request.user, **d), (BenefitError,))
        if change is not None:
            return redirect("benefits:standard", change.pk)
    return render(request, "benefits/standard_form.html", {"form": form}, status=_status(form))


def _standard(user: Any, pk: Any) -> StandardChange:
    try:
        return access.scope_queryset(user, StandardChange.objects.all(), Action.CASE_VIEW).get(pk=pk)
    except (StandardChange.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该标准调整，或不在您的辖区内") from None


@login_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The differences of a recomputation: gains, losses, stops, unchanged."""
    return _standard_page(request, pk)


def _standard_page(request: HttpRequest, pk: int, refused: Any = None) -> HttpResponse:
    """`refused`: the approval's refusal, shown beside its button."""
    change = _standard(request.user, pk)
    lines = list(change.lines.select_related("benefit__household", "benefit__person"))
    services.with_subjects(request.user, [ln.benefit for ln in lines])
    groups = [(label, [ln for ln in lines if ln.kind == kind]) for kind, label in
              (("gain", "增加"), ("loss", "减少"), ("stop", "不再符合条件（停发）"), ("same", "不变"))]
    total = sum(ln.difference_fen for ln in lines)
    return render(request, "benefits/standard_detail.html", {
        "change": change, "groups": groups, "total": yuan(total), "count": len(lines),
        "growth": reckon.percent(reckon.growth(change.old_standard_fen, change.new_standard_fen)),
        "consumption": reckon.percent(change.consumption_growth) if change.consumption_growth is not None else "",
        "may_approve": change.state == StandardChange.State.COMPUTED and change.started_by_id != request.user.pk
        and _may(request.user, Action.PARAMS_CHANGE, change.region), "refused": refused},
        status=refusal_status(refused) if refused is not None else 200)


@login_required
@require_POST
def standard_approve(request: HttpRequest, pk: int) -> HttpResponse:
    change = _standard(request.user, pk)
    _, form = attempt_button(request, lambda: services.approve_standard_change(request.user, change.pk),
                             (BenefitError,))
    if form.errors:
        return _standard_page(request, pk, refused=form)
    messages.success(request, "已批准，变更记录已生成")
    return redirect("benefits:standard", change.pk)

