"""Payments pages (Chinese). Views are thin: the access layer finds, the services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access, audit
from doudi.accounts.areas import region_name
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.payments import forms, services
from doudi.payments.banks import PaymentError
from doudi.payments.models import Account, AccountState, LineKind, Payment, RollState
from doudi.payments.worklist import items as worklist_items
from doudi.procedure.views import attempt, attempt_button, refusal_status
from doudi.web.lists import XLSX, render_list, xlsx

PROGRAM_LABELS = {"dibao": "低保", "tekun": "特困供养", "price_subsidy": "价格临时补贴", "temporary": "临时救助",
                  "medical": "医疗救助", "disaster": "自然灾害生活救助"}


def _yuan(fen: Any) -> str:
    from doudi.benefits.reckon import yuan

    return yuan(int(fen or 0))


def _counties(user: Any) -> list[tuple[str, str]]:
    areas = sorted(a for a in access.areas_of(user, Action.PAYMENT_MANAGE) if len(a) >= 6)
    return [(a[:6], f"{region_name(a[:6])}（{a[:6]}）") for a in areas]


def _error(request: HttpRequest, form: Any, exc: PaymentError) -> None:
    """The refusal on the form that was sent: under its field, or on the whole form."""
    if form is not None:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    else:
        messages.error(request, exc.message)


@login_required
def worklist(request: HttpRequest) -> HttpResponse:
    """资金发放工作台: rolls to build, review, release, export; results to import; returned records."""
    access.require(request.user, Action.PAYMENT_MANAGE)
    form = forms.BuildForm(_counties(request.user), initial={"month": timezone.localdate().strftime("%Y-%m")})
    rolls = services.visible_rolls(request.user).order_by("-month", "region")[:24]
    return render(request, "payments/worklist.html", {"items": worklist_items(request.user), "form": form,
                                                      "rolls": rolls})


@login_required
@require_POST
def build(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Action.PAYMENT_MANAGE)
    form = forms.BuildForm(_counties(request.user), request.POST)
    if form.is_valid():
        try:
            roll = services.build_roll(request.user, form.cleaned_data["county"], form.cleaned_data["month"])
            messages.success(request, f"已生成{roll}：{roll.payments_count} 笔，合计 {_yuan(roll.total_fen)} 元")
            return redirect("payments:roll", roll.pk)
        except PaymentError as exc:
            _error(request, form, exc)
    rolls = services.visible_rolls(request.user).order_by("-month", "region")[:24]
    return render(request, "payments/worklist.html", {"items": worklist_items(request.user), "form": form,
                                                      "rolls": rolls}, status=400)


def _totals(roll: Any) -> dict:
    t = roll.totals or {}
    return {
        "program": [(PROGRAM_LABELS.get(k, k), v) for k, v in sorted(t.get("program", {}).items())],
        "township": [(f"{region_name(k)}（{k}）", v) for k, v in sorted(t.get("township", {}).items())],
        "fund": sorted(t.get("fund", {}).items()),
        "kind": [(LineKind(k).label if k in LineKind.values else k, v) for k, v in sorted(t.get("kind", {}).items())],
    }


@login_required
def roll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """花名册: totals, warnings, reconciliation, the records (paged) and the acts allowed now."""
    return _roll_page(request, pk)


def _roll_page(request: HttpRequest, pk: int, *, status: int = 200, refused: dict | None = None,
               export_form: Any = None, results_form: Any = None) -> HttpResponse:
    """The roll's page; after a refusal, with the refused form (`refused`: {button: form}; a bound export or
    results form) beside the button that was pressed, or where the buttons were when it removed them."""
    roll = services.access_roll(request.user, pk)
    payments = Payment.objects.filter(roll=roll).select_related("account").order_by("seq")
    state = request.GET.get("state", "")
    if state:
        payments = payments.filter(state=state)
    page = Paginator(payments, 50).get_page(request.GET.get("page"))
    lines = {}
    for p in page:
        lines[p.pk] = list(services.payee_lines(p))
    audit.record(request.user, AuditKind.READ, roll, action="roll.view", reason="查看发放花名册")
    return render(request, "payments/roll.html", {
        "roll": roll, "page": page, "lines": lines, "totals": _totals(roll), "rec": services.reconciliation(roll),
        "export_form": export_form or forms.ExportForm(), "results_form": results_form or forms.ResultsForm(),
        "state": state, "exports": roll.exports.all(), "results": roll.results.all(),
        "may_review": roll.state == RollState.DRAFT,
        "may_release": roll.state == RollState.REVIEWED and roll.reviewed_by_id != request.user.pk,
        "released": roll.state == RollState.RELEASED, "refused": refused or {}}, status=status)


def _act(request: HttpRequest, pk: int, fn: Any, done: str, button: str) -> HttpResponse:
    """审核 / 发放 / 重新生成: a refusal (four eyes, a changed roll) comes back beside its button."""
    _, form = attempt_button(request, lambda: fn(), (PaymentError,))
    if form.errors:
        return _roll_page(request, pk, status=refusal_status(form), refused={button: form})
    messages.success(request, done)
    return redirect("payments:roll", pk)


def _version(request: HttpRequest) -> int | None:
    return int(request.POST.get("version") or 0) or None


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.review_roll(request.user, pk, version=_version(request)),
                "已审核。请由另一名财务人员发放。", "review")


@login_required
@require_POST
def release(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda: services.release_roll(request.user, pk, version=_version(request)),
                "已发放，花名册已锁定。可导出银行代发文件。", "release")


@login_required
@require_POST
def rebuild(request: HttpRequest, pk: int) -> HttpResponse:
    roll = services.access_roll(request.user, pk)
    return _act(request, pk, lambda: services.build_roll(request.user, roll.region, roll.month), "已重新生成。",
                "rebuild")


@login_required
@require_POST
def export(request: HttpRequest, pk: int) -> HttpResponse:
    """银行代发文件 (GB18030): downloaded once per request, recorded with its SHA-256."""
    form = forms.ExportForm(request.POST)
    done = attempt(form, lambda: services.export_bank_file(request.user, pk, form.cleaned_data["template"]),
                   (PaymentError,)) if form.is_valid() else None
    if done is None:  # the form again, its refusal beside the template chosen
        return _roll_page(request, pk, status=refusal_status(form), export_form=form)
    data, exp = done
    resp = HttpResponse(data, content_type="text/plain; charset=gb18030")
    resp["Content-Disposition"] = f'attachment; filename="{exp.filename}"'
    resp["X-Content-SHA256"] = exp.sha256
    return resp


@login_required
@require_POST
def results(request: HttpRequest, pk: int) -> HttpResponse:
    form = forms.ResultsForm(request.POST, request.FILES)
    imp = attempt(form, lambda: services.import_results(request.user, pk, form.cleaned_data["file"].read(),
                                                        form.cleaned_data["file"].name),
                  (PaymentError,)) if form.is_valid() else None
    if imp is None:  # a malformed result file: refused beside the form (line and reason), nothing applied
        return _roll_page(request, pk, status=refusal_status(form), results_form=form)
    messages.success(request, f"回盘已导入：成功 {imp.paid} 笔 {_yuan(imp.paid_fen)} 元，失败 {imp.failed} 笔 "
                              f"{_yuan(imp.failed_fen)} 元；失败的记录已通知经办人更正账户，下月重发。")
    return redirect("payments:roll", pk)


def _roll_rows(roll: Any) -> list[list]:
    out = []
    for ln in (services.Line.objects.filter(roll=roll).select_related("payment", "account")
               .order_by("payment__seq", "for_month", "id").iterator(chunk_size=2000)):
        p = ln.payment
        out.append([p.seq if p else None, region_name(ln.region), p.payee if p else "", ln.id_masked,
                    PROGRAM_LABELS.get(ln.program, ln.program), LineKind(ln.kind).label,
                    f"{ln.for_month.year}年{ln.for_month.month}月", _dec(ln.amount_fen), ln.account.masked,
                    ln.fund, ln.rule, ln.benefit_id, p.get_state_display() if p else ""])
    return out


def _dec(fen: int):
    from decimal import Decimal

    return Decimal(int(fen)) / 100


@login_required
def roll_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll as Excel (account numbers masked): one line per benefit-month, with its record's state."""
    roll = services.access_roll(request.user, pk)
    access.require(request.user, Action.EXPORT, roll)
    heads = ["序号", "村（社区）", "领款人", "身份证号", "项目", "类别", "所属月份", "金额（元）", "账号", "资金来源", "依据",
             "待遇编号", "状态"]
    data = xlsx(f"{roll.month:%Y%m}花名册", heads, _roll_rows(roll))
    audit.record(request.user, AuditKind.EXPORT, roll, action="roll.xlsx", reason="导出发放花名册（Excel）")
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="roll-{roll.region}-{roll.month:%Y%m}.xlsx"'
    return resp


@login_required
def reconciliation_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    roll = services.access_roll(request.user, pk)
    access.require(request.user, Action.EXPORT, roll)
    r = services.reconciliation(roll)
    rows = [["发放总额", roll.payments_count, _dec(r["released"])], ["已入账", r["paid_n"], _dec(r["paid"])],
            ["退票（失败）", r["failed_n"], _dec(r["failed"])], ["待回盘", r["due_n"], _dec(r["due"])],
            ["是否平衡", "", "是" if r["balanced"] else "否"]]
    data = xlsx("对账", ["项目", "笔数", "金额（元）"], rows)
    audit.record(request.user, AuditKind.EXPORT, roll, action="roll.reconciliation.xlsx", reason="导出对账表")
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="reconciliation-{roll.region}-{roll.month:%Y%m}.xlsx"'
    return resp


@login_required
def roll_print(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed 发放花名册 (totals in 大写), as a page or, with ?format=pdf, a PDF."""
    from doudi.cases.numerals import capital_yuan
    from doudi.procedure.views import printable
    from doudi.web import notices

    roll = services.access_roll(request.user, pk)
    payments = list(Payment.objects.filter(roll=roll).exclude(state="none").select_related("account").order_by("seq")[:5000])
    html = render_to_string("payments/roll_print.html", {
        "roll": roll, "payments": payments, "totals": _totals(roll), "capital": capital_yuan(roll.total_fen, fen=True),
        "more": roll.payments_count - len(payments)}, request=request)
    return printable(request, html, notices.render_pdf, case=roll, action="roll.pdf", reason="打印发放花名册",
                     filename=f"roll-{roll.region}-{roll.month:%Y%m}.pdf")


# --- accounts -----------------------------------------------------------------------------------------

@login_required
def account_list(request: HttpRequest) -> HttpResponse:
    from doudi.payments.lists import ACCOUNTS

    access.require(request.user, Action.HOUSEHOLD_VIEW)
    return render_list(request, ACCOUNTS)


@login_required
def account_new(request: HttpRequest, household: int) -> HttpResponse:
    """登记收款账户 for a household (or one 特困 person of it); confirmed by a second user."""
    hh = access.access_household(request.user, household)
    if not (access.can(request.user, Action.PAYMENT_MANAGE, hh) or access.can(request.user, Action.CASE_ACCEPT, hh)):
        raise PermissionDenied("您的角色不能登记收款账户")
    if request.method != "POST":  # the form names the household's members: a read of its file (security.md)
        audit.record(request.user, AuditKind.READ, hh, action="payments.account_form.read", reason="登记收款账户")
    people = [(str(m.person_id), m.person.name) for m in hh.memberships.filter(end__isnull=True).select_related("person")]
    form = forms.AccountForm(people, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = hh.memberships.filter(person_id=d["person"]).first().person if d["person"] else None
        try:
            services.enter_account(request.user, hh, bank=d["bank"], number=d["number"], holder_name=d["holder_name"],
                                   holder_kind=d["holder_kind"], person=person, branch=d["branch"],
                                   yikatong=d["yikatong"], reason=d["reason"])
            messages.success(request, "收款账户已登记，待另一名工作人员复核后生效。")
            return redirect("registry:household_detail", hh.pk)
        except PaymentError as exc:
            _error(request, form, exc)
    return render(request, "payments/account_form.html", {"form": form, "household": hh},
                  status=400 if request.method == "POST" else 200)


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = access.access_object(request.user, Account.objects.select_related("household", "person"), pk,
                                   Action.HOUSEHOLD_VIEW)
    if request.method != "POST":  # the holder's name and the household: a read of its file (security.md)
        audit.record(request.user, AuditKind.READ, account, action="payments.account.read", reason="查看收款账户")
    full, refused, status = None, {}, 200
    what = request.POST.get("act") if request.method == "POST" else ""
    form = forms.ReasonForm(request.POST if what == "reject" else None)  # 不通过's reason
    if what == "confirm":  # four eyes: a refusal comes back beside the button
        _, button = attempt_button(request, lambda: services.confirm_account(request.user, pk), (PaymentError,))
        if not button.errors:
            messages.success(request, "复核通过，自下一次生成的花名册起使用该账户。")
            return redirect("payments:account", pk)
        refused["confirm"], status = button, refusal_status(button)
    elif what == "reject":
        if form.is_valid():
            attempt(form, lambda: services.reject_account(request.user, pk, form.cleaned_data["reason"]),
                    (PaymentError,))
            if not form.errors:
                return redirect("payments:account", pk)
        status = refusal_status(form)
    elif what == "reveal":
        reveal = forms.ReasonForm(request.POST)
        got = attempt(reveal, lambda: services.reveal_account(request.user, pk, reveal.cleaned_data["reason"]),
                      (PaymentError,)) if reveal.is_valid() else None
        if got is None:
            refused["reveal"], status = reveal, refusal_status(reveal)
        else:
            full = got.number
    account.refresh_from_db()
    may_confirm = (account.state == AccountState.PENDING and account.entered_by_id != request.user.pk
                   and (access.can(request.user, Action.PAYMENT_MANAGE, account)
                        or access.can(request.user, Action.CASE_ACCEPT, account)))
    return render(request, "payments/account.html", {
        "a": account, "full": full, "form": form, "may_confirm": may_confirm, "refused": refused,
        "may_reveal": access.can(request.user, Action.PAYMENT_MANAGE, account)}, status=status)


# --- funds --------------------------------------------------------------------------------------------

@login_required
def funds(request: HttpRequest) -> HttpResponse:
    """资金: budgets by program and fund source, spending to date from released rolls, DR-3 and MA-6 checks."""
    access.require(request.user, Action.PAYMENT_MANAGE)
    counties = _counties(request.user)
    year = int(request.GET.get("year") or timezone.localdate().year)
    form = forms.BudgetForm(counties, request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_budget(request.user, county=d["county"], year=d["year"], program=d["program"], level=d["level"],
                                amount_fen=int(d["amount"] * 100), residents=d["residents"], source=d["source"])
            messages.success(request, "预算已登记。")
            return redirect(f"{request.path}?year={d['year']}")
        except PaymentError as exc:
            _error(request, form, exc)
    status = [(c, label, services.fund_status(c, year)) for c, label in counties]
    return render(request, "payments/funds.html", {"form": form, "status": status, "year": year,
                                                   "labels": PROGRAM_LABELS})
