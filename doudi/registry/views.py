"""Registry pages (Chinese). Views are thin: they call the access layer and the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from doudi.accounts import access, audit
from doudi.accounts.areas import full_region_name
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.registry import services
from doudi.registry.forms import HouseholdEditForm, HouseholdForm, MemberForm, RevealForm

if TYPE_CHECKING:
    from doudi.registry.models import KinRequest


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    """家庭列表: households of the user's areas, filtered, searched, paged, exported (doudi.web.lists)."""
    from doudi.registry.lists import HOUSEHOLDS
    from doudi.web.lists import render_list

    access.require(request.user, Action.HOUSEHOLD_VIEW)
    return render_list(request, HOUSEHOLDS, "registry/household_list.html",
                       {"can_edit": access.can(request.user, Action.HOUSEHOLD_EDIT)})


@login_required
def household_pick(request: HttpRequest) -> HttpResponse:
    """The picker's choices (htmx): the households matching ``<name>_q`` in the user's areas."""
    from doudi.registry import picker

    access.require(request.user, Action.HOUSEHOLD_VIEW)
    name = request.GET.get("name", "household_id")
    if not name.replace("_", "").isalnum():
        name = "household_id"
    q = request.GET.get(f"{name}_q", "")
    chosen = request.GET.get("chosen", "")
    rows, total = picker.choices(request.user, q, chosen)
    return render(request, "registry/widgets/_household_choices.html", {
        "name": name, "rows": rows, "total": total, "limit": picker.LIMIT, "value": chosen, "q": q.strip()})


@login_required
def household_export(request: HttpRequest) -> HttpResponse:
    """导出家庭名单 as CSV (masked ID numbers; logged)."""
    from django.http import HttpResponse as Raw

    text = services.export_households_csv(request.user, request.GET.get("q", ""), request.GET.get("reason", ""))
    resp = Raw("\ufeff" + text, content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = 'attachment; filename="households.csv"'
    return resp


@login_required
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """一户一档: the household's whole file — members over time, economic facts and their history,
    then what every app holds (doudi.registry.household_file); reading it is logged."""
    from doudi.registry import household_file

    hh = services.read_household(request.user, pk)
    return render(request, "registry/household_detail.html", {
        "household": hh, "region_name": full_region_name(hh.region_code),
        "sections": household_file.sections(request.user, hh),
        "actions": household_file.actions(request.user, hh),
    })


@login_required
def household_create(request: HttpRequest) -> HttpResponse:
    """登记家庭."""
    access.require(request.user, Action.HOUSEHOLD_EDIT)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            hh = services.register_household(
                request.user, region_code=d["region_code"], residence=d["residence"], address=d["address"],
                phone=d["phone"], start=d["start"],
                head={"id_number": d["head_id_number"], "name": d["head_name"],
                      "ethnic_minority": d["head_ethnic_minority"]})
        except ValidationError as exc:
            form.add_service_errors(_rename(exc, {"id_number": "head_id_number", "name": "head_name"}))
        except PermissionDenied as exc:  # outside the user's area: beside the code, the form kept (issue 9)
            form.add_error("region_code", f"{exc}：{d['region_code']} 不在您的辖区内")
        else:
            messages.success(request, f"已登记家庭 {hh.number}")
            return redirect("registry:household_detail", pk=hh.pk)
    return render(request, "registry/household_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """修改家庭信息 (optimistic locking: a form based on an old version is refused, the input kept)."""
    hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
    if request.method == "GET":  # the form shows the address and phone: a read of the file
        audit.record(request.user, AuditKind.READ, hh, action="household.edit.read", reason="修改家庭信息")
    initial = {"residence": hh.residence, "address": hh.address, "phone": hh.phone, "version": hh.version}
    form = HouseholdEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_household(request.user, hh, d["version"], residence=d["residence"],
                                      address=d["address"], phone=d["phone"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, "家庭信息已保存")
            return redirect("registry:household_detail", pk=hh.pk)
    return render(request, "registry/household_edit.html", {"form": form, "household": hh},
                  status=400 if form.errors else 200)


@login_required
def household_facts(request: HttpRequest, pk: int) -> HttpResponse:
    """家庭经济状况: assets, spending, and each member's income, disability, abilities, schooling."""
    from doudi.registry import facts

    hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
    if request.method == "GET":  # incomes, illnesses, disabilities of every member: a read of the file
        audit.record(request.user, AuditKind.READ, hh, action="household.facts.read", reason="记录家庭经济状况")
    form = facts.build_form(hh, request.POST or None)
    if request.method == "POST" and form.is_valid():
        household_facts, member_facts = facts.facts_from_form(form)
        try:
            facts.update_facts(request.user, hh, form.cleaned_data["version"], household_facts, member_facts)
        except ValidationError as exc:
            for msg in exc.messages:
                form.add_error(None, msg)
        else:
            messages.success(request, "家庭经济状况已保存")
            return redirect("registry:household_detail", pk=hh.pk)
    sections = [(p, form.member_fields(p)) for p in form.members]
    return render(request, "registry/household_facts.html", {"form": form, "household": hh, "sections": sections},
                  status=400 if form.errors else 200)


@login_required
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """增加家庭成员."""
    hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_member(request.user, hh, id_number=d["id_number"], name=d["name"], relation=d["relation"],
                                start=d["start"], ethnic_minority=d["ethnic_minority"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已将 {d['name']} 登记为本户成员")
            return redirect("registry:household_detail", pk=hh.pk)
    return render(request, "registry/member_form.html", {"form": form, "household": hh},
                  status=400 if form.errors else 200)


@login_required
def member_end(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    """成员迁出 (死亡、迁出或其他): each live benefit of the household gets the change for review."""
    from django.http import Http404

    from doudi.registry.forms import EndMembershipForm

    hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
    m = hh.memberships.select_related("person").filter(pk=membership_pk, end__isnull=True).first()
    if m is None:
        raise Http404("未找到该成员，或已迁出")
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.end_membership(request.user, m, d["end"], d["note"], reason=d["end_reason"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, f"已登记 {m.person.name} {m.get_end_reason_display()}")
            return redirect("registry:household_detail", pk=hh.pk)
    return render(request, "registry/member_end.html", {"form": form, "household": hh, "membership": m},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def reveal_id(request: HttpRequest, person_pk: int) -> HttpResponse:
    """显示完整身份证号 (logged with the reason); htmx swaps the cell, without JS a page shows it."""
    form = RevealForm(request.POST)
    number, error = None, None
    if form.is_valid():
        try:
            number = services.reveal_id_number(request.user, person_pk, form.cleaned_data["reason"])
        except ValidationError as exc:
            error = "；".join(exc.messages)
    else:
        error = "；".join(form.error_summary())
    person = access.access_person(request.user, person_pk)
    ctx = {"person": person, "number": number, "error": error, "reveal_form": form}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_id_cell.html", ctx)
    return render(request, "registry/reveal.html", ctx, status=400 if error else 200)


def _rename(exc: ValidationError, names: dict[str, str]) -> ValidationError:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError({names.get(k, k): v for k, v in exc.message_dict.items()})


@login_required
def kin_add(request: HttpRequest, pk: int) -> HttpResponse:
    """登记亲属关系: linked at once inside the user's areas; for a relative whose file is elsewhere a
    亲属关联请求 goes to that area (their consent makes the link; nothing of that file is told here)."""
    from doudi.registry.forms import KinForm
    from doudi.registry.models import KinRequest

    hh = access.access_household(request.user, pk, Action.HOUSEHOLD_EDIT)
    members = [m.person for m in hh.memberships_on()]
    form = KinForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        person = next(p for p in members if p.pk == d["person"])
        try:
            out = services.add_kinship(request.user, person, relative_id_number=d["relative_id_number"],
                                       relative_name=d["relative_name"], kind=d["kind"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            if isinstance(out, KinRequest):
                messages.info(request, services.KIN_REQUESTED.format(number=out.number))
            else:
                messages.success(request, f"已登记亲属关系：{out}")
            return redirect("registry:household_detail", pk=hh.pk)
    return render(request, "registry/kin_form.html", {"form": form, "household": hh},
                  status=400 if form.errors else 200)


@login_required
def kin_requests(request: HttpRequest) -> HttpResponse:
    """亲属关联请求: those about persons of the user's areas (to consent or refuse), and those sent."""
    access.require(request.user, Action.HOUSEHOLD_VIEW)
    return _kin_requests_page(request)


def _kin_requests_page(request: HttpRequest, refused: KinRequest | None = None, status: int = 200) -> HttpResponse:
    """The requests page; `refused` (a request whose decision was refused, its form holding the
    refusal and what was typed) shown in place of its blank form."""
    from doudi.registry.forms import KinDecisionForm

    incoming = list(services.kin_requests_to_decide(request.user)[:200])
    for r in incoming:
        r.form = refused.form if refused is not None and r.pk == refused.pk else KinDecisionForm(prefix=f"k{r.pk}")
    if incoming:  # the other area's person and this area's relative, named: a read of both files
        audit.record_in_areas(request.user, AuditKind.READ, via=Action.HOUSEHOLD_EDIT, action="kin.requests.read",
                              reason="查看亲属关联请求", detail={"requests": [r.pk for r in incoming]})
    sent = list(services.kin_requests_sent(request.user)[:200])
    return render(request, "registry/kin_requests.html", {"incoming": incoming, "sent": sent}, status=status)


@login_required
@require_POST
def kin_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """同意 / 拒绝 a 亲属关联请求; htmx swaps the request's row, without JS the page comes back."""
    from doudi.procedure.views import attempt, refusal_status
    from doudi.registry.forms import KinDecisionForm

    form = KinDecisionForm(request.POST, prefix=f"k{pk}")

    class Refused(Exception):
        def __init__(self, exc: ValidationError) -> None:
            self.field = next(iter(exc.message_dict), None) if hasattr(exc, "error_dict") else None
            self.message = "；".join(exc.messages)

    def decide() -> KinRequest:
        try:
            return services.decide_kin_request(request.user, pk, consent=form.cleaned_data["decision"] == "consent",
                                               note=form.cleaned_data["note"])
        except ValidationError as exc:
            raise Refused(exc) from None

    done = attempt(form, decide, (Refused,)) if form.is_valid() else None
    r = services.kin_requests_to_decide(request.user).filter(pk=pk).first()
    if r is None:
        raise PermissionDenied("您无权处理该亲属关联请求：此人的档案不在您的辖区内")
    if done is None:
        r.form = form
    status = 200 if done is not None else refusal_status(form)
    if request.headers.get("HX-Request"):
        return render(request, "registry/_kin_request_row.html", {"r": r}, status=status)
    if done is not None:
        messages.success(request, f"{r.number} {r.get_state_display()}")
        return redirect("registry:kin_requests")
    return _kin_requests_page(request, refused=r, status=status)  # the refusal beside the request's form
