"""Pages of the smaller programs. Thin: every write goes through the services (children, disability, medical,
prices, rescue, partners); every read of personal data through the access layer."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from doudi.accounts import access
from doudi.accounts.roles import Action as Perm
from doudi.cases.documents import trace_sentences, yuan
from doudi.policy.identity import mask_id_number
from doudi.procedure.views import Steps, attempt, take_step
from doudi.programs import children, disability, medical, partners, prices, rescue
from doudi.programs import forms as F
from doudi.programs import lists as program_lists
from doudi.programs import procedure as proc
from doudi.programs.models import ChildCase
from doudi.programs.procedure import ACTION_NAMES, DEADLINE_NAMES, Action, DeadlineKind, ProcedureError


def _act(request: HttpRequest, form: Any, call: Callable[[dict], Any], done: Callable[[Any], HttpResponse],
         ok: str) -> HttpResponse | None:
    """A posted form through its service: the redirect on success, or None with the service's refusal on the
    form under the field it names (procedure.views.attempt; nothing written: each service is one transaction)."""
    if request.method != "POST" or not form.is_valid():
        return None
    result = attempt(form, lambda: call(dict(form.cleaned_data)), (ProcedureError,))
    if result is None and form.errors:
        return None
    messages.success(request, ok)
    return done(result)


def _form_page(request: HttpRequest, title: str, form: Any, *, intro: str = "", multipart: bool = False) -> HttpResponse:
    return render(request, "programs/form.html", {"title": title, "form": form, "intro": intro, "multipart": multipart},
                  status=400 if request.method == "POST" else 200)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    today = timezone.localdate()
    due = [c for c in children.visible_cases(request.user).filter(state__in=["submitted", "checked"]).order_by("due_on")]
    return render(request, "programs/index.html", {
        "due": due, "today": today,
        "counts": {"children": children.visible_files(request.user).count(),
                   "disability": disability.visible_applications(request.user).filter(state="submitted").count(),
                   "rescue": rescue.visible_cases(request.user).exclude(state__in=["returned", "placed"]).count(),
                   "referrals": partners.visible_referrals(request.user).filter(answered_on__isnull=True).count()}})


# --- children -------------------------------------------------------------------------------------------------

@login_required
def children_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    if request.GET.get("format") in ("xlsx", "csv"):
        return program_lists.export(request, program_lists.CHILD_FILES)
    level = request.GET.get("level") or "village"
    try:
        rows = children.register(request.user, level)
    except ProcedureError:
        level, rows = "village", children.register(request.user, "village")
    files = children.visible_files(request.user).order_by("region", "id")[:200]
    return render(request, "programs/children.html", {
        "can_export": bool(access.areas_of(request.user, Perm.EXPORT)), "files": files, "rows": rows, "level": level, "levels": children.LEVELS, "categories": proc.CATEGORIES})


@login_required
def child_new(request: HttpRequest) -> HttpResponse:
    person = access.access_person(request.user, request.GET.get("person") or request.POST.get("person_id"))
    form = F.ChildFileForm(request.POST or None, initial={"person_id": person.pk})
    done = _act(request, form, lambda d: children.open_file(request.user, **d),
                lambda f: redirect("programs:child_file", pk=f.pk), f"已为{person.name}建立儿童档案")
    return done or _form_page(request, f"建立儿童档案：{person.name}（{person.masked_id}）", form,
                              intro="一人一档，动态更新（CH-2）。农村留守儿童回答下列问题，系统据此按需求分类并列出帮扶措施（CH-3）；"
                                    "无人监护且没有其他监护人的，由民政部门临时照料。")


@login_required
def child_file(request: HttpRequest, pk: int) -> HttpResponse:
    f = children.access_file(request.user, pk)
    may = access.in_area(access.areas_of(request.user, Perm.CASE_ACCEPT), f.region)
    initial = {k: getattr(f, k) for k in children.FILE_FIELDS} | {"version": f.version}
    update = F.ChildFileUpdateForm(request.POST if request.POST.get("form") == "update" else None, initial=initial)
    submit = F.ChildSubmitForm(request.POST if request.POST.get("form") == "submit" else None,
                               initial={"kind": f.category if f.category in proc.PROTECTED else "defacto"})
    if may and request.method == "POST":
        if request.POST.get("form") == "update":
            done = _act(request, update, lambda d: children.update_file(request.user, f.pk, **d),
                        lambda _f: redirect("programs:child_file", pk=f.pk), "已更新儿童档案")
        else:
            done = _act(request, submit, lambda d: children.submit(request.user, file_id=f.pk, **d),
                        lambda c: redirect("programs:child_case", pk=c.pk), "已登记申请")
        if done:
            return done
    protected = proc.still_protected(f.category, f.father, f.mother) if f.category in proc.PROTECTED else None
    return render(request, "programs/child_file.html", {
        "f": f, "may": may, "update": update, "submit": submit, "cases": f.cases.all(),
        "changes": f.changes.select_related("actor"), "protected": protected,
        "lb_answers": [(label, getattr(f, k)) for k, label in proc.LEFT_BEHIND_QUESTIONS]
        if f.category == "left_behind" else []},
        status=400 if request.method == "POST" else 200)


def case_context(request: HttpRequest, case: ChildCase, forms: dict | None = None) -> dict:
    decision = getattr(case, "decision", None) if hasattr(case, "decision") else None
    today = timezone.localdate()
    return {"case": case, "f": case.file, "events": case.events.select_related("actor"),
            "step_forms": STEPS.form_rows(request.user, case, forms), "decision": decision,
            "amount": yuan(decision.amount_fen) if decision else "",
            "trace": trace_sentences(decision.assessment, "children") if decision and decision.approved else [],
            "parents": children.parents_test(case.file, case.kind)[1],
            "due_name": DEADLINE_NAMES.get(DeadlineKind(case.due_kind)) if case.due_kind else "",
            "overdue": bool(case.due_on and case.due_on < today)}


STEPS = Steps(app="programs", actions=Action, action_names=ACTION_NAMES, forms=F.STEP_FORMS, run_step=F.run_step,
              access_case=children.access_case, case_perms=children.case_perms,
              allowed_actions=proc.allowed_actions, case_context=case_context, model=ChildCase)


@login_required
def child_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = children.access_case(request.user, pk)
    return render(request, "programs/case_detail.html", case_context(request, case))


@login_required
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    return take_step(request, pk, action, STEPS)


# --- disability --------------------------------------------------------------------------------------------------

@login_required
def disability_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    if request.GET.get("format") in ("xlsx", "csv"):
        return program_lists.export(request, program_lists.DISABILITY)
    return render(request, "programs/disability.html", {
        "can_export": bool(access.areas_of(request.user, Perm.EXPORT)),
        "apps": disability.visible_applications(request.user)[:200], "names": proc.SUBSIDY_NAMES,
        "states": proc.DS_STATES})


@login_required
def disability_new(request: HttpRequest) -> HttpResponse:
    household = access.access_household(request.user, request.GET.get("household"))
    form = F.DisabilityForm(request.POST or None, household=household)
    done = _act(request, form, lambda d: disability.submit(request.user, household_id=household.pk, **d),
                lambda a: redirect("programs:disability_detail", pk=a.pk), "已登记申请")
    return done or _form_page(request, f"残疾人两项补贴申请：{household.number}", form,
                              intro="困难残疾人生活补贴、重度残疾人护理补贴可同时享受（NAT-DS-TWO）。")


@login_required
def disability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = disability.access_application(request.user, pk)
    refuse = F.RefuseReasonsForm(request.POST if request.POST.get("form") == "refuse" else None,
                                 initial={"version": a.version})
    if request.method == "POST":
        if request.POST.get("form") == "approve":
            form = F.RefuseReasonsForm({"version": request.POST.get("version"), "reasons": "-"})
            done = _act(request, form, lambda d: disability.approve(request.user, a.pk, version=d["version"]),
                        lambda _a: redirect("programs:disability_detail", pk=a.pk), "已批准")
            refuse = form if done is None else refuse
        else:
            done = _act(request, refuse, lambda d: disability.refuse(request.user, a.pk, **d),
                        lambda _a: redirect("programs:disability_detail", pk=a.pk), "已不予批准")
        if done:
            return done
    may = access.in_area(access.areas_of(request.user, Perm.CASE_APPROVE), a.region) and a.state == "submitted"
    return render(request, "programs/disability_detail.html", {
        "a": a, "may": may, "refuse": refuse, "subsidy": proc.SUBSIDY_NAMES[a.subsidy], "state": proc.DS_STATES[a.state],
        "living": yuan(a.living_fen), "care": yuan(a.care_fen),
        "trace": trace_sentences(a.assessment, "disability") if a.assessment else []},
        status=400 if request.method == "POST" else 200)


@login_required
def care_needs(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    form = F.CareNeedForm(request.POST or None)
    done = _act(request, form, lambda d: disability.record_need(request.user, **d),
                lambda _n: redirect("programs:care_needs"), "已记入照护需求台账")
    if done:
        return done
    return render(request, "programs/care_needs.html", {
        "candidates": disability.survey_candidates(request.user), "needs": disability.visible_needs(request.user),
        "form": form}, status=400 if request.method == "POST" else 200)


# --- medical --------------------------------------------------------------------------------------------------

@login_required
def medical_page(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    form = F.SettlementForm(request.POST or None, request.FILES or None)

    def call(d: dict) -> Any:
        up = d["file"]
        return medical.import_settlement(request.user, data=up.read(), name=up.name, hospital=d["hospital"],
                                         region=d["region"])

    done = _act(request, form, call, lambda _i: redirect("programs:medical"), "已导入结算文件")
    if done:
        return done
    return render(request, "programs/medical.html", {
        "form": form, "imports": medical.visible_imports(request.user)[:50],
        "bills": medical.visible_reimbursements(request.user).order_by("-discharged_on")[:200]},
        status=400 if request.method == "POST" else 200)


@login_required
def premium_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    rows = medical.premium_list(request.user, year)
    if request.GET.get("format") == "xlsx":  # for the medical-insurance office: full ID numbers, audited
        from doudi.accounts import audit
        from doudi.accounts.models import AuditKind
        from doudi.web.lists import XLSX, xlsx

        access.require(request.user, Perm.EXPORT)
        access.require(request.user, Perm.PERSON_FULL_ID)
        audit.record(request.user, AuditKind.EXPORT, None, action="programs.premiums.export",
                     area=rows[0]["household"].region_code[:6] if rows else "",
                     reason=f"导出{year}年参保资助名单（MA-1）", detail={"year": year, "rows": len(rows)})
        content = xlsx(f"{year}参保资助", ["家庭", "姓名", "身份证号", "资助金额（元）", "年度"],
                       [[r["household"].number, r["name"], r["id_number"], Decimal(r["amount"]), year] for r in rows])
        resp = HttpResponse(content, content_type=XLSX)
        resp["Content-Disposition"] = f'attachment; filename="premiums-{year}.xlsx"'
        return resp
    for r in rows:
        r["masked"] = mask_id_number(r["id_number"])
    return render(request, "programs/premiums.html", {"rows": rows, "year": year})


@login_required
def emergency(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    form = F.EmergencyForm(request.POST or None)
    done = _act(request, form, lambda d: medical.open_emergency(request.user, **d),
                lambda _c: redirect("programs:emergency"), "已登记疾病应急救助")
    if done:
        return done
    from doudi.programs.models import EmergencyFundCase

    cases = access.scope_queryset(request.user, EmergencyFundCase.objects.all(), Perm.CASE_VIEW)
    return render(request, "programs/emergency.html", {"form": form, "cases": cases},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def emergency_decide(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        medical.decide_emergency(request.user, pk, approved=request.POST.get("approved") == "1",
                                 note=request.POST.get("note", ""))
        messages.success(request, "已审核")
    except (ProcedureError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("programs:emergency")


# --- prices ---------------------------------------------------------------------------------------------------------

@login_required
def prices_page(request: HttpRequest) -> HttpResponse:
    form = F.PriceIndexForm(request.POST or None)
    done = _act(request, form, lambda d: prices.enter_index(request.user, **d),
                lambda _i: redirect("programs:prices"), "已录入价格指数")
    if done:
        return done
    indexes = list(prices.visible_indexes(request.user))
    for i in indexes:
        i.figure = prices.figure_text(i)
        i.line_count = i.lines.count()
        i.may = access.in_area(access.areas_of(request.user, Perm.PARAMS_CHANGE), i.region + "0000")
    return render(request, "programs/prices.html", {
        "form": form, "indexes": indexes, "may_enter": bool(access.areas_of(request.user, Perm.PARAMS_CHANGE)),
        "lines": prices.visible_lines(request.user)[:200]}, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def prices_compute(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        out = prices.compute_month(request.user, pk)
        if out["lines"]:
            messages.success(request, f"{out['figure']}：已计算 {out['lines']} 户，合计 {out['total']} 元，"
                                      f"应于 {out['pay_by']} 前发放（NAT-PL）")
        else:
            messages.info(request, f"{out['figure']}：{out['not_triggered'] or '没有保障对象'}，不发放价格临时补贴")
    except (ProcedureError, PermissionDenied) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("programs:prices")


# --- rescue -------------------------------------------------------------------------------------------------------------

@login_required
def rescue_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    if request.GET.get("format") in ("xlsx", "csv"):
        return program_lists.export(request, program_lists.RESCUE)
    form = F.IntakeForm(request.POST or None, initial={"found_on": timezone.localdate()})
    done = _act(request, form, lambda d: rescue.intake(request.user, **d),
                lambda c: redirect("programs:rescue_detail", pk=c.pk), "已登记")
    if done:
        return done
    return render(request, "programs/rescue.html", {"form": form, "cases": rescue.visible_cases(request.user)[:200],
                                                    "can_export": bool(access.areas_of(request.user, Perm.EXPORT))},
                  status=400 if request.method == "POST" else 200)


@login_required
def rescue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = rescue.access_case(request.user, pk)
    which = request.POST.get("form", "")
    v = {"version": c.version}
    search = F.SearchForm(request.POST if which == "search" else None, initial=v)
    back = F.ReturnForm(request.POST if which == "return" else None, initial=v | {"returned_on": timezone.localdate()})
    place = F.PlaceForm(request.POST if which == "place" else None, initial=v)
    go = lambda _x: redirect("programs:rescue_detail", pk=c.pk)  # noqa: E731
    done = None
    if which == "search":
        done = _act(request, search, lambda d: rescue.record_search(request.user, c.pk, **d), go, "已记录")
    elif which == "return":
        done = _act(request, back, lambda d: rescue.return_home(request.user, c.pk, **d), go, "已办理返乡")
    elif which == "place":
        done = _act(request, place, lambda d: rescue.place(request.user, c.pk, **d), go, "已落户安置")
    elif which == "long_stay":
        try:
            rescue.mark_long_stay(request.user, c.pk, version=request.POST.get("version"))
            messages.success(request, "已登记为长期滞留")
        except (ProcedureError, PermissionDenied) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return go(None)
    if done:
        return done
    return render(request, "programs/rescue_detail.html", {
        "c": c, "searches": c.searches.all(), "search": search, "back": back, "place": place,
        "notices": c.return_notices.select_related("acknowledged_by"),
        "home": rescue.place_name(c.home_region) if c.home_region else "",
        "may": access.in_area(access.areas_of(request.user, Perm.CASE_ACCEPT), c.region)},
        status=400 if request.method == "POST" else 200)


@login_required
def rescue_receiving(request: HttpRequest) -> HttpResponse:
    """返乡接收 (ST-1): the notices of people returned to the user's areas, each confirmed here."""
    access.require(request.user, Perm.CASE_VIEW)
    forms_by_id: dict[int, Any] = {}
    if request.method == "POST":
        pk = request.POST.get("notice")
        form = F.ReturnAckForm(request.POST)
        done = _act(request, form, lambda d: rescue.acknowledge_return(request.user, pk, **d),
                    lambda _n: redirect("programs:rescue_receiving"), "已确认接收")
        if done:
            return done
        forms_by_id[int(pk) if str(pk).isdigit() else 0] = form
    accept = access.areas_of(request.user, Perm.CASE_ACCEPT)
    rows = list(rescue.visible_notices(request.user)[:200])
    for n in rows:
        n.form = forms_by_id.get(n.pk) or F.ReturnAckForm(initial={"version": n.version})
        n.may = n.acknowledged_on is None and access.in_area(accept, n.region)
        n.place, n.sent_from_name = rescue.place_name(n.region), rescue.place_name(n.sent_from)
    return render(request, "programs/rescue_receiving.html", {"rows": rows, "today": timezone.localdate()},
                  status=400 if request.method == "POST" else 200)


# --- referrals, education, houses ---------------------------------------------------------------------------------

@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    rows = list(partners.visible_referrals(request.user).order_by("-sent_on", "-id")[:200])
    if not rows and not (access.areas_of(request.user, Perm.CASE_VIEW) or access.areas_of(request.user, Perm.TRANSFER_ANSWER)):
        raise PermissionDenied("您无权查看转介")
    answering = access.areas_of(request.user, Perm.TRANSFER_ANSWER)
    for r in rows:
        r.may_answer = r.answered_on is None and access.in_area(answering, r.region)
        r.form = F.AnswerForm(initial={"version": r.version})
        r.kind_name, r.department, r.rule = (proc.REFERRAL_NAMES[r.kind], proc.REFERRAL_DEPARTMENTS[r.kind],
                                             proc.REFERRAL_RULES[r.kind])
    return render(request, "programs/referrals.html", {"rows": rows, "today": timezone.localdate()})


@login_required
@require_POST
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    form = F.AnswerForm(request.POST)
    done = _act(request, form, lambda d: partners.answer(request.user, pk, **d),
                lambda _r: redirect("programs:referrals"), "已答复")
    if done:
        return done
    messages.error(request, "；".join(e for errs in form.errors.values() for e in errs) or "答复未保存")
    return redirect("programs:referrals")


@login_required
def referral_new(request: HttpRequest) -> HttpResponse:
    household = access.access_household(request.user, request.GET.get("household"))
    form = F.ReferralForm(request.POST or None, household=household)
    done = _act(request, form, lambda d: partners.refer(request.user, household_id=household.pk, **d),
                lambda _r: redirect("programs:referrals"), "已转介")
    return done or _form_page(request, f"转介合作部门：{household.number}", form,
                              intro="住房救助（HO-1）、就业援助（EM-1）、代缴养老保险费（EM-2）、教育减免（ED-3）由合作部门办理并答复。")


@login_required
def education_new(request: HttpRequest) -> HttpResponse:
    household = access.access_household(request.user, request.GET.get("household"))
    form = F.EducationForm(request.POST or None, household=household)
    done = _act(request, form, lambda d: partners.approve_education(request.user, household_id=household.pk, **d),
                lambda _g: redirect("registry:household_detail", pk=household.pk), "已批准教育救助")
    return done or _form_page(request, f"教育救助：{household.number}", form,
                              intro="按政策核算（ED-1、ED-2、ED-3）批准年度资助和一次性资助，次月发放。")


@login_required
def daily_allowance_new(request: HttpRequest) -> HttpResponse:
    """MA-4: start the household's daily medical allowance beside its 低保 benefit, as the policy core decides."""
    household = access.access_household(request.user, request.GET.get("household"))
    form = F.ConfirmForm(request.POST or None)
    done = _act(request, form, lambda d: medical.start_daily_allowance(request.user, household_id=household.pk),
                lambda _b: redirect("registry:household_detail", pk=household.pk), "已批准日常医疗补贴")
    return done or _form_page(request, f"日常医疗补贴：{household.number}", form,
                              intro="A类低保人员、低保老年人和一至三级低保残疾人按月发放日常医疗补贴（MA-4），随低保金发放，金额按政策核算。")


@login_required
def houses(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.CASE_VIEW)
    from doudi.programs.models import HouseRenovation

    rows = access.scope_queryset(request.user, HouseRenovation.objects.select_related("household"), Perm.CASE_VIEW)
    if request.method == "POST":
        try:
            partners.house_done(request.user, request.POST.get("pk"), year=int(request.POST.get("year") or 0))
            messages.success(request, "已登记改造完成年度")
        except (ProcedureError, PermissionDenied, ValueError) as exc:
            messages.error(request, getattr(exc, "message", str(exc)))
        return redirect("programs:houses")
    return render(request, "programs/houses.html", {"rows": rows, "year": dt.date.today().year})


@login_required
def house_new(request: HttpRequest) -> HttpResponse:
    household = access.access_household(request.user, request.GET.get("household"))
    form = F.HouseForm(request.POST or None)
    done = _act(request, form, lambda d: partners.list_house(request.user, household_id=household.pk, **d),
                lambda _h: redirect("programs:houses"), "已列入危房改造")
    return done or _form_page(request, f"农村危房改造：{household.number}", form,
                              intro="低保户、五保户、贫困残疾人家庭和其他贫困户的农村危房（HO-2）。")


# --- the overdue report (DS-1, HO-1, EM-1, EM-2, ED-3 deadlines in working days) -----------------------------------

@login_required
def overdue_report(request: HttpRequest) -> HttpResponse:
    """逾期报告: disability decisions and partners' answers past their deadline (working days); ?format=xlsx
    exports it (export permission; audited in each export area; formula-looking text written as text)."""
    from doudi.accounts import audit
    from doudi.accounts.models import AuditKind
    from doudi.programs import overdue
    from doudi.web import lists

    if not overdue.may_see(request.user):
        raise PermissionDenied("您无权查看逾期报告")
    today = timezone.localdate()
    kind = request.GET.get("kind", "")
    kind = kind if kind in overdue.KIND_NAMES else ""
    include_done = request.GET.get("done") == "1"
    rows = overdue.report(request.user, today, include_done=include_done, kind=kind)
    if request.GET.get("format") == "xlsx":
        access.require(request.user, Perm.EXPORT)
        heads = ["事项", "编号或内容", "对象", "身份证号", "所在地", "开始日期", "期限", "办结日期", "逾期工作日",
                 "办理单位", "依据", "状态"]
        data = [[o.kind_name, o.number, o.person_name, o.masked_id, o.region, o.started_on, o.due_on, o.done_on,
                 o.late_working_days, o.who, o.rule, o.state] for o in rows]
        audit.record_in_areas(request.user, AuditKind.EXPORT, None, via=Perm.EXPORT, action="programs.overdue.export",
                              reason="导出逾期报告", detail={"rows": len(data), "kind": kind, "done": include_done})
        resp = HttpResponse(lists.xlsx("逾期报告", heads, data), content_type=lists.XLSX)
        resp["Content-Disposition"] = f'attachment; filename="programs-overdue-{today:%Y%m%d}.xlsx"'
        return resp
    return render(request, "programs/overdue.html", {
        "rows": rows, "today": today, "kind": kind, "kinds": overdue.KINDS, "include_done": include_done,
        "open_count": sum(1 for o in rows if o.open),
        "can_export": bool(access.areas_of(request.user, Perm.EXPORT))})
