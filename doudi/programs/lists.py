"""The programs' lists for export (children's files, disability applications, rescue cases) through the shared
list mechanism (doudi.web.lists): the user's rows through the access layer, the same filters, ID numbers
masked, text that a spreadsheet would run as a formula written as text, and every export audited in each
of the user's export areas. ``?format=xlsx`` gives Excel (lists.export), ``?format=csv`` CSV (UTF-8 with
BOM, lists.csv_writer)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import region_name
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action
from doudi.programs import procedure as proc
from doudi.web import lists
from doudi.web.lists import Column, ListSpec, person_search


def _files(user: Any):
    from doudi.programs.children import visible_files

    return visible_files(user)


def _applications(user: Any):
    from doudi.programs.disability import visible_applications

    return visible_applications(user)


def _rescue(user: Any):
    from doudi.programs.rescue import visible_cases

    return visible_cases(user).select_related("person")


CHILD_FILES = ListSpec(
    key="programs_child_files", title="儿童档案", filename="child-files",
    columns=[
        Column("儿童", lambda f: f.person.name, link=lambda f: reverse("programs:child_file", args=[f.pk])),
        Column("身份证号", lambda f: f.person.masked_id),
        Column("出生日期", lambda f: f.person.birth_date),
        Column("类别", lambda f: f.get_category_display()),
        Column("监护人", lambda f: f.guardian_name),
        Column("留守儿童分类（CH-3）", lambda f: f.get_left_behind_class_display()),
        Column("帮扶措施", lambda f: "；".join(f"{n['name']}：{n['help']}" for n in f.left_behind_needs or [])),
        Column("临时照料", lambda f: f"{f.temporary_care_on:%Y-%m-%d} {f.temporary_care_by}" if f.temporary_care_on else ""),
        Column("所在地", lambda f: region_name(f.region)),
        Column("建档日期", lambda f: f.opened_on),
    ],
    rows=_files, search=lambda user, rows, q: person_search(user, rows, q, household=None, person="person"),
    state_field="category", states=list(proc.CATEGORIES), state_label="类别", date_field="opened_on",
    date_label="建档日期", order=("region", "id"), unit="份",
)

DISABILITY = ListSpec(
    key="programs_disability", title="残疾人两项补贴申请", filename="disability-subsidies",
    columns=[
        Column("编号", lambda a: a.number, link=lambda a: reverse("programs:disability_detail", args=[a.pk])),
        Column("残疾人", lambda a: a.person.name),
        Column("身份证号", lambda a: a.person.masked_id),
        Column("申请补贴", lambda a: proc.SUBSIDY_NAMES.get(a.subsidy, a.subsidy)),
        Column("状态", lambda a: proc.DS_STATES.get(a.state, a.state)),
        Column("所在地", lambda a: region_name(a.region)),
        Column("申请日期", lambda a: a.submitted_on),
        Column("审批期限", lambda a: a.due_on),
        Column("生活补贴（元/月）", lambda a: Decimal(a.living_fen) / 100, num=True),
        Column("护理补贴（元/月）", lambda a: Decimal(a.care_fen) / 100, num=True),
    ],
    rows=_applications, search=lambda user, rows, q: person_search(user, rows, q, person="person",
                                                                  numbers=("number",)),
    states=list(proc.DS_STATES.items()), date_field="submitted_on", date_label="申请日期",
    order=("-submitted_on", "id"),
)

RESCUE = ListSpec(
    key="programs_rescue", title="流浪乞讨人员救助", filename="rescue-cases",
    columns=[
        Column("编号", lambda c: c.number, link=lambda c: reverse("programs:rescue_detail", args=[c.pk])),
        Column("姓名或特征", lambda c: c.name),
        Column("身份证号", lambda c: c.person.masked_id if c.person_id else ""),
        Column("年龄（估计）", lambda c: c.estimated_age, num=True),
        Column("来源", lambda c: c.get_found_how_display()),
        Column("进站日期", lambda c: c.found_on),
        Column("状态", lambda c: c.get_state_display()),
        Column("户籍地", lambda c: region_name(c.home_region) if c.home_region else ""),
        Column("返乡日期", lambda c: c.returned_on),
        Column("安置", lambda c: c.get_placement_display()),
    ],
    rows=_rescue, search=lambda user, rows, q: person_search(user, rows, q, household=None, person="person",
                                                            names=("name",), numbers=("number",)),
    states=list(proc.RESCUE_STATES), date_field="found_on", date_label="进站日期", order=("-found_on", "id"),
    unit="人",
)

SPECS = {"children": CHILD_FILES, "disability": DISABILITY, "rescue": RESCUE}


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if hasattr(v, "strftime"):
        return v.strftime("%Y-%m-%d")
    return v


def export(request: HttpRequest, spec: ListSpec) -> HttpResponse:
    """导出 the list with the request's filters: Excel (``format=xlsx``) or CSV (``format=csv``)."""
    rows, form = lists.filtered(request.user, spec, request.GET)
    if request.GET.get("format") != "csv":
        return lists.export(request, spec, rows, form)
    user = request.user
    access.require(user, Action.EXPORT)
    rows = access.scope_queryset(user, rows, Action.EXPORT, field=spec.region_field)
    data = list(rows[:lists.EXPORT_LIMIT])
    out = io.StringIO()
    w = lists.csv_writer(out)
    w.writerow([c.label for c in spec.columns])
    for r in data:
        w.writerow([_cell(c.value(r)) for c in spec.columns])
    filters = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    for area in sorted(access.areas_of(user, Action.EXPORT)):  # seen by each area's auditors
        audit.record(user, AuditKind.EXPORT, None, area=area, action=f"{spec.key}.export",
                     reason=request.GET.get("reason", "") or f"导出{spec.title}",
                     detail={"list": spec.key, "filters": filters, "rows": len(data), "format": "csv"})
    resp = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{spec.filename}-{timezone.localdate():%Y%m%d}.csv"'
    return resp
