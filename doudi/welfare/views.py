"""Pages of TA-5 (the funeral-fee certificate, printable) and EL-1 (the elderly allowance)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.policy.money import format_yuan
from doudi.procedure.forms import DATE, TEXT
from doudi.procedure.views import attempt, attempt_button, printable, refusal_status
from doudi.web import notices
from doudi.welfare import rules, services
from doudi.welfare.rules import WelfareError


class FuneralForm(forms.Form):
    person_id = forms.TypedChoiceField(label="逝者", coerce=int, choices=[])
    deceased_on = forms.DateField(label="死亡日期", widget=DATE)
    funeral_home = forms.CharField(label="殡仪服务机构", max_length=100)

    def __init__(self, *args: Any, household: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person_id"].choices = [(m.person_id, f"{m.person.name}（{m.person.masked_id}）")
                                                for m in household.memberships.select_related("person")]


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="审批结果", choices=[("1", "批准"), ("0", "不予批准")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    reasons = forms.CharField(label="理由（不予批准时必填）", widget=TEXT, required=False)


def _household(request: HttpRequest) -> Any:
    from doudi.registry.picker import picked_household

    return picked_household(request)


@login_required
def funeral_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_ACCEPT)
    household = _household(request)
    form = FuneralForm(request.POST or None, household=household, initial={"deceased_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        c = attempt(form, lambda: services.issue_funeral_certificate(request.user, **form.cleaned_data),
                    (WelfareError,))
        if c is not None:
            messages.success(request, f"已开具 {c.number}")
            return redirect("welfare:funeral", pk=c.pk)
    return render(request, "welfare/form.html", {"form": form, "household": household, "submit": "开具证明",
                                                 "title": "基本丧葬服务费用减免证明（TA-5）"},
                  status=400 if form.errors else 200)


@login_required
def funeral(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate for the funeral home, as a page or ``?format=pdf``."""
    c = services.access_certificate(request.user, pk)
    office = notices.office_of(c.region, "county")
    html = render_to_string("welfare/print/funeral.html", {
        "title": "基本丧葬服务费用减免证明", "c": c, "office": office, "issuer": office.name,
        "date_words": notices.date_words(c.issued_on)}, request=request)
    return printable(request, html, notices.render_pdf, case=c, action="welfare.funeral.pdf",
                     reason="打印丧葬费减免证明", filename=f"{c.number}.pdf")


@login_required
@require_POST
def elderly_submit(request: HttpRequest) -> HttpResponse:
    """受理 for the household picked on its file; a refusal comes back beside the button (EL-1's conditions)."""
    household_id = request.POST.get("household_id")
    c, form = attempt_button(request, lambda: services.submit_elderly(request.user, household_id=household_id),
                             (WelfareError,))
    if form.errors:
        return elderly(request, status=refusal_status(form), submit_refusal=form, household_id=household_id)
    messages.success(request, f"已受理困难老年人补贴申请 {c.number}")
    return redirect("welfare:elderly")


@login_required
def elderly(request: HttpRequest, forms_: dict | None = None, status: int = 200, submit_refusal: Any = None,
            household_id: Any = None) -> HttpResponse:
    """困难老年人补贴 (EL-1): applications and decisions; the county decides here."""
    access.require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    forms_ = forms_ or {}
    rows = []
    for c in services.visible_elderly(request.user).order_by("state", "due_on", "id")[:500]:
        a = c.assessment if c.decided_on else services.assess(c.household, today)
        rows.append({"c": c, "a": a, "amount": format_yuan(a['amount_fen']),
                     "form": forms_.get(c.pk) or DecideForm(),
                     "may": c.state == "submitted" and services._may(request.user, c.region, Perm.CASE_APPROVE),
                     "overdue": bool(c.state == "submitted" and c.due_on and c.due_on < today)})
    return render(request, "welfare/elderly.html", {"rows": rows, "min_age": rules.param("elderly_min_age"),
                                                    "monthly": rules.param("elderly_monthly"),
                                                    "placeholder": rules.params()["elderly_monthly"].placeholder,
                                                    "submit_refusal": submit_refusal,
                                                    "household_id": household_id or request.GET.get("household")},
                  status=status)


@login_required
@require_POST
def elderly_decide(request: HttpRequest, pk: int) -> HttpResponse:
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_elderly(request.user, pk, **form.cleaned_data)
        except WelfareError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "已审批")
            return redirect("welfare:elderly")
    return elderly(request, {int(pk): form}, status=400)
