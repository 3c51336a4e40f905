"""Pages of the needs board, charities' records, social help and the bought-services budget."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.areas import region_name
from doudi.accounts.roles import Action as Perm
from doudi.charity import rules, services
from doudi.charity.forms import BudgetForm, CharityHelpForm, HelpForm, NeedForm, OfferForm, ServiceForm
from doudi.charity.rules import HelpError
from doudi.procedure.views import attempt, attempt_button, refusal_status


def _post(request: HttpRequest, form: Any, act: Any, field: str | None = None) -> Any:
    """Run a service on a valid posted form: its result, or None with the refusal on the form
    (procedure.views.attempt; a PermissionDenied under `field`)."""
    if request.method != "POST" or not form.is_valid():
        return None
    return attempt(form, lambda: act(**form.cleaned_data), (HelpError,), forbidden_field=field)


def _may_see_board(user: Any) -> None:
    if not (access.areas_of(user, Perm.NEEDS_VIEW) or access.areas_of(user, Perm.CASE_VIEW)):
        raise PermissionDenied("您的角色不能查看救助需求")


@login_required
def needs(request: HttpRequest, forms: dict | None = None, status: int = 200) -> HttpResponse:
    """需求公示 (PR-10): open needs, the village and the need only; offers of the viewer's own (charity)
    or all offers (the township, which answers them)."""
    user = request.user
    _may_see_board(user)
    gov = services.is_government(user)
    forms = forms or {}
    rows, shown = [], set()
    for n in services.visible_needs(user).filter(closed_on__isnull=True).prefetch_related("offers")[:500]:
        offers = list(n.offers.all()) if gov else [o for o in n.offers.all() if o.offered_by_id == user.pk]
        for o in offers:  # a refused 接受 / 谢绝 shows beside its buttons
            o.refusal = forms.get(("answer", o.pk))
        shown |= {("offer", n.pk), ("help", n.pk), ("close", n.pk)} | {("answer", o.pk) for o in offers}
        rows.append({"n": n, "village": region_name(n.region), "category": rules.NEED_CATEGORIES[n.category],
                     "offers": offers, "offer_form": forms.get(("offer", n.pk)) or OfferForm(),
                     "help_form": forms.get(("help", n.pk)) or CharityHelpForm(),
                     "close_refusal": forms.get(("close", n.pk)),
                     "may_offer": services._may(user, n.region, Perm.HELP_RECORD),
                     "may_answer": services._may(user, n.region, Perm.CASE_ACCEPT)})
    # a refusal whose need is no longer listed (closed meanwhile) shows above the list
    stray = [f for key, f in forms.items() if key not in shown]
    return render(request, "charity/needs.html", {"rows": rows, "gov": gov, "stray_refusals": stray}, status=status)


@login_required
@require_POST
def offer(request: HttpRequest, pk: int) -> HttpResponse:
    form = OfferForm(request.POST)
    if _post(request, form, lambda **d: services.make_offer(request.user, pk, **d)) is not None:
        messages.success(request, "已认领")
        return redirect("charity:needs")
    return needs(request, {("offer", int(pk)): form}, status=400)


@login_required
@require_POST
def need_help(request: HttpRequest, pk: int) -> HttpResponse:
    form = CharityHelpForm(request.POST)
    if _post(request, form, lambda **d: services.charity_help(request.user, pk, **d)) is not None:
        messages.success(request, "已登记帮扶")
        return redirect("charity:mine")
    return needs(request, {("help", int(pk)): form}, status=400)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    _, form = attempt_button(request, lambda: services.answer_offer(request.user, pk,
                                                                     accept=request.POST.get("accept") == "1"),
                             (HelpError,))
    if form.errors:
        return needs(request, {("answer", int(pk)): form}, status=refusal_status(form))
    messages.success(request, "已答复认领")
    return redirect("charity:needs")


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    _, form = attempt_button(request, lambda: services.close_need(request.user, pk), (HelpError,))
    if form.errors:
        return needs(request, {("close", int(pk)): form}, status=refusal_status(form))
    messages.success(request, "已关闭需求")
    return redirect("charity:needs")


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The charity's own records: its offers and the help it recorded."""
    access.require(request.user, Perm.HELP_RECORD)
    offers, helps = services.own_records(request.user)
    return render(request, "charity/mine.html", {"offers": offers, "helps": helps})


@login_required
def need_new(request: HttpRequest) -> HttpResponse:
    """发布需求 from the household file (with consent, anonymised)."""
    from doudi.registry.picker import picked_household

    access.require(request.user, Perm.CASE_ACCEPT)
    household = picked_household(request)
    form = NeedForm(request.POST or None, initial={"household_id": household.pk if household else None,
                                                  "consent_on": timezone.localdate()})
    need = _post(request, form, lambda **d: services.publish_need(request.user, **d))
    if need is not None:
        messages.success(request, "已发布救助需求")
        return redirect("charity:needs")
    return render(request, "charity/form.html", {"form": form, "household": household, "title": "发布救助需求（PR-10）",
                                                 "submit": "发布"}, status=400 if form.errors else 200)


@login_required
def help_new(request: HttpRequest) -> HttpResponse:
    """社会帮扶登记: union help (WK-1) or charity help on the household file."""
    from doudi.registry.picker import picked_household

    access.require(request.user, Perm.CASE_ACCEPT)
    household = picked_household(request)
    form = HelpForm(request.POST or None, initial={"household_id": household.pk if household else None,
                                                  "given_on": timezone.localdate()})
    h = _post(request, form, lambda **d: services.record_help(request.user, **d))
    if h is not None:
        messages.success(request, "已登记社会帮扶")
        return redirect("registry:household_detail", pk=h.household_id)
    return render(request, "charity/form.html", {"form": form, "household": household, "title": "登记社会帮扶（工会、慈善）",
                                                 "submit": "登记"}, status=400 if form.errors else 200)


@login_required
def budget(request: HttpRequest) -> HttpResponse:
    """购买服务资金 (PR-10, huining 2%): the year's figure and the services bought against it."""
    access.require(request.user, Perm.CASE_VIEW)
    counties = sorted({a[:6] for a in access.areas_of(request.user, Perm.CASE_APPROVE) if len(a) >= 6})
    form = BudgetForm(request.POST or None if request.POST.get("form") == "budget" else None,
                      initial={"region": counties[0] if counties else "", "year": timezone.localdate().year})
    if request.POST.get("form") == "budget" and _post(request, form, lambda **d: services.set_budget(request.user, **d),
                                                      "region"):
        messages.success(request, "已登记购买服务资金")
        return redirect("charity:budget")
    service_form, bad = ServiceForm(), None
    if request.POST.get("form") == "service":
        service_form = ServiceForm(request.POST)
        bad = request.POST.get("budget")
        if _post(request, service_form, lambda **d: services.buy_service(request.user, bad, **d), "amount"):
            messages.success(request, "已登记购买服务")
            return redirect("charity:budget")
    rows = [{"b": b, "funds": services.yuan(b.assistance_funds_fen), "budget": services.yuan(b.budget_fen),
             "spent": services.yuan(services.spent_fen(b)), "left": services.yuan(b.budget_fen - services.spent_fen(b)),
             "share": f"{b.share * 100:.0f}%",
             "services": [(x, services.yuan(x.amount_fen)) for x in b.services.all()], "form": service_form if bad == str(b.pk) else ServiceForm()}
            for b in services.visible_budgets(request.user)]
    errors = form.errors or (service_form.errors if bad else None)
    return render(request, "charity/budget.html", {"rows": rows, "form": form, "may_set": bool(counties),
                                                   "yuan": services.yuan}, status=400 if errors else 200)
