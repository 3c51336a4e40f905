"""The one list mechanism of every list page: filters, server-side pages, Excel export.

An app describes its list once (``ListSpec``: the user's rows through the access layer, the
columns, which field is the state, the region and the date, how a search word matches) and its
view returns ``render_list(request, spec)``. The same filters (state, village, date range, a
search by name / ID number / case number) drive the page and the export; the page is cut on the
server (``PAGE_SIZE`` rows); ``?format=xlsx`` exports the filtered rows to Excel (XlsxWriter),
ID numbers masked, every export an audit entry in each of the user's export areas, and every text
cell that a spreadsheet would read as a formula written as text (quote prefix).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property

from doudi.accounts import access, audit
from doudi.accounts.areas import region_name, region_q
from doudi.accounts.models import AuditKind
from doudi.accounts.roles import Action

PAGE_SIZE = 50
COUNT_CAP = 10_000  # a list counts its rows up to here; more is shown as 「10,000+」
EXPORT_LIMIT = 50_000
VILLAGE_OPTIONS = 500
# A text cell beginning with one of these is a formula (or becomes one) in Excel and its kin.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column: its heading, the cell's value for a row (text, int, Decimal or date), an
    optional link, and whether it is a figure (right-aligned; a number in the export)."""

    label: str
    value: Callable[[Any], Any]
    link: Callable[[Any], str] | None = None
    num: bool = False


@dataclass
class ListSpec:
    """What one list is: see the module's docstring."""

    key: str                                         # "cases", "benefits" … (audit action "<key>.export")
    title: str
    columns: Sequence[Column]
    rows: Callable[[Any], QuerySet]                  # the user's rows, through the access layer
    search: Callable[[Any, QuerySet, str], QuerySet]  # (user, rows, word) -> the rows the word finds
    search_label: str = "姓名、身份证号或案件编号"
    state_field: str | None = "state"
    states: Sequence[tuple[str, str]] = ()
    state_label: str = "状态"
    region_field: str = "region"
    date_field: str | None = None
    date_label: str = "日期"
    order: Sequence[str] = ("-id",)
    prepare: Callable[[Any, list], list] | None = None  # per page / export: e.g. subjects shown per user
    row_class: Callable[[Any], str] | None = None
    filename: str = "list"
    unit: str = "件"                                 # 共 N 件 / 户 / 项
    extra: dict = field(default_factory=dict)
    # the action whose areas scope ``rows`` and nothing else: on PostgreSQL the village filter's
    # choices are then read by skipping through the region index (a few ms for a county's 100,000 rows)
    villages_by_area: str | None = None


class QuickSelect(forms.Select):
    """A select whose options are written in Python, not one template each: a county's village
    filter has up to VILLAGE_OPTIONS of them, and their templates were most of a list page's time.
    The HTML is Django's own Select's, in full-width punctuation as the form renderer gives it."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        from django.forms.utils import flatatt
        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        from doudi.web.forms_renderer import full_width_text

        if any(isinstance(label, (list, tuple)) for _o, label in self.choices):  # option groups: Django's own
            return super().render(name, value, attrs, renderer)
        chosen = self.format_value(value)
        options, picked = [], False
        for option, label in self.choices:
            option = "" if option is None else str(option)
            selected = not picked and option in chosen
            picked = picked or selected
            options.append(format_html('  <option value="{}"{}>{}</option>\n\n', option,
                                       mark_safe(" selected") if selected else "", label))
        html = format_html('<select name="{}"{}>\n{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)),
                           mark_safe("".join(options)))
        return mark_safe(full_width_text(html))


class FilterForm(forms.Form):
    q = forms.CharField(label="查找", required=False, max_length=60)
    state = forms.ChoiceField(label="状态", required=False, widget=QuickSelect)
    village = forms.ChoiceField(label="村（社区）", required=False, widget=QuickSelect)
    # a date input takes YYYY-MM-DD only (the zh-hans default format would leave it blank)
    start = forms.DateField(label="起", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = forms.DateField(label="止", required=False, widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, spec: ListSpec, villages: Sequence[tuple[str, str]], data: Any = None):
        super().__init__(data)
        self.fields["q"].label = spec.search_label
        self.fields["q"].widget.attrs["placeholder"] = "张三 / zs / 620422********123X"
        if spec.state_field:
            self.fields["state"].label = spec.state_label
            self.fields["state"].choices = [("", "全部")] + list(spec.states)
        else:
            del self.fields["state"]
        self.fields["village"].choices = [("", "全部")] + list(villages)
        if spec.date_field:
            self.fields["start"].label = f"{spec.date_label}自"
            self.fields["end"].label = f"{spec.date_label}至"
        else:
            del self.fields["start"], self.fields["end"]

    def clean(self) -> dict:
        d = super().clean()
        if d.get("start") and d.get("end") and d["start"] > d["end"]:
            self.add_error("end", "截止日期不能早于起始日期")
        return d


def villages(user: Any, spec: ListSpec, rows: QuerySet) -> list[tuple[str, str]]:
    """The villages (region codes) the user's rows lie in, with their names, for the filter."""
    codes = _villages_by_index(user, spec, rows)
    if codes is None:
        codes = rows.order_by().values_list(spec.region_field, flat=True).distinct()[:VILLAGE_OPTIONS]
    return sorted(((c, f"{region_name(c)}（{c}）") for c in codes if c), key=lambda x: x[0])


# A loose index scan: each next distinct code under the prefix is one probe of the pattern index
# (varchar_pattern_ops, the index Django adds for LIKE 'prefix%'), instead of reading every row.
_NEXT_CODES = """WITH RECURSIVE v(code) AS (
    (SELECT {c} FROM {t} WHERE {c} ~>=~ %s AND {c} ~<~ %s ORDER BY {c} USING ~<~ LIMIT 1)
    UNION ALL
    SELECT (SELECT {c} FROM {t} WHERE {c} ~>~ v.code AND {c} ~<~ %s ORDER BY {c} USING ~<~ LIMIT 1)
    FROM v WHERE v.code IS NOT NULL)
SELECT code FROM v WHERE code IS NOT NULL LIMIT %s"""


def _villages_by_index(user: Any, spec: ListSpec, rows: QuerySet) -> list[str] | None:
    """The distinct region codes of the user's areas by a loose index scan (PostgreSQL, a list whose
    rows are its model's rows in the user's areas: ``spec.villages_by_area``); None otherwise."""
    from django.db import connection

    if not spec.villages_by_area or connection.vendor != "postgresql" or "__" in spec.region_field:
        return None
    prefixes = access._prefixes(access.areas_of(user, spec.villages_by_area))
    if not prefixes or any(not p or not p.isdigit() for p in prefixes):
        return None
    model = rows.model
    column = model._meta.get_field(spec.region_field).column
    sql = _NEXT_CODES.format(c=connection.ops.quote_name(column), t=connection.ops.quote_name(model._meta.db_table))
    codes: list[str] = []
    with connection.cursor() as cur:
        for p in prefixes:
            end = str(int(p) + 1).zfill(len(p))  # the codes starting with p lie in [p, p + 1)
            cur.execute(sql, [p, end, end, VILLAGE_OPTIONS])
            codes.extend(r[0] for r in cur.fetchall())
    return codes[:VILLAGE_OPTIONS]


def filtered(user: Any, spec: ListSpec, data: Any) -> tuple[QuerySet, FilterForm]:
    """The user's rows after the filters of ``data`` (an invalid filter is reported on the form and
    ignored), in the list's order."""
    rows = spec.rows(user)
    form = FilterForm(spec, villages(user, spec, rows), data or None)
    if form.is_valid():
        d = form.cleaned_data
        if d.get("state"):
            rows = rows.filter(**{spec.state_field: d["state"]})
        if d.get("village"):
            rows = rows.filter(region_q(spec.region_field, d["village"]))
        if d.get("start"):
            rows = rows.filter(**{f"{spec.date_field}__gte": d["start"]})
        if d.get("end"):
            rows = rows.filter(**{f"{spec.date_field}__lte": d["end"]})
        if (d.get("q") or "").strip():
            rows = spec.search(user, rows, d["q"].strip())
    return rows.order_by(*spec.order), form


def _prepared(user: Any, spec: ListSpec, rows: Sequence[Any]) -> list:
    rows = page_rows(rows)
    return spec.prepare(user, rows) if spec.prepare else rows


def page_rows(rows: Sequence[Any]) -> list:
    """A page's rows. A far page of a queryset (an OFFSET) is read in two steps: the page's primary keys first (the
    filters, ORDER BY and OFFSET over the table alone, without the joins of select_related), then
    those rows with their joins — the same rows in the same order; a far page no longer builds the
    joined rows of every row before it."""
    rows = getattr(rows, "object_list", rows)  # a Paginator's page
    if not isinstance(rows, QuerySet) or not rows.query.low_mark or rows.query.combinator:
        return list(rows)  # not a far page (the first page, an export): one query is best
    pks = list(rows.values_list("pk", flat=True))
    if not pks:
        return []
    whole = rows._chain()
    whole.query.clear_limits()
    found = {r.pk: r for r in whole.order_by().filter(pk__in=pks)}
    return [found[pk] for pk in pks if pk in found]


class CappedPage(Page):
    """A page of a list whose count was capped: whether a next page exists is known from the count up
    to the cap, and past it by asking for the next page's first row."""

    def has_next(self) -> bool:
        paginator = self.paginator
        if not getattr(paginator, "capped", False):
            return super().has_next()
        end = self.number * paginator.per_page
        if end < paginator.count:
            return True
        return paginator.object_list[end:end + 1].exists()


class CappedPaginator(Paginator):
    """The list's pages without an exact COUNT(*) of a huge set (a county's 100,000 households):
    the rows are counted up to ``COUNT_CAP`` (a count over at most COUNT_CAP + 1 index entries), a
    larger set is shown as 「10,000+」 and can still be paged to its end with 下一页. A set of up to
    COUNT_CAP rows is counted exactly, as before."""

    def __init__(self, object_list: Any, per_page: int, cap: int | None = None):
        super().__init__(object_list, per_page)
        self.cap = COUNT_CAP if cap is None else cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows)
        n = rows.order_by().values("pk")[: self.cap + 1].count()  # neither the order nor the annotations count
        self.capped = n > self.cap
        return n

    @property
    def count_text(self) -> str:
        return f"{self.cap:,}+" if self.count and self.capped else str(self.count)

    def validate_number(self, number: Any) -> int:
        if self.count and self.capped:  # past the cap the last page is not known: any page from 1 on
            try:
                number = int(number)
            except (TypeError, ValueError) as exc:
                raise PageNotAnInteger("页码无效") from exc
            if number < 1:
                raise EmptyPage("页码无效")
            return number
        return super().validate_number(number)

    def page(self, number: Any) -> Page:
        if not (self.count and self.capped):
            return super().page(number)
        number = self.validate_number(number)  # past the cap: the page's rows, whatever the count says
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom:bottom + self.per_page], number, self)

    def _get_page(self, *args: Any, **kwargs: Any) -> Page:
        return CappedPage(*args, **kwargs)


def table_rows(spec: ListSpec, rows: Sequence[Any]) -> list[dict]:
    """Each row's cells as the template shows them: {label, text, link, num}, and the row's HTML
    (``html``: written here, escaped, rather than by a template tag per cell — a page of 50 rows of 9
    cells was most of a list page's time)."""
    out = []
    for r in rows:
        row = {"class": spec.row_class(r) if spec.row_class else "",
               "cells": [{"label": c.label, "text": _text(c.value(r)), "link": c.link(r) if c.link else "",
                          "num": c.num} for c in spec.columns]}
        row["html"] = _row_html(row)
        out.append(row)
    return out


def _row_html(row: dict) -> str:
    from django.utils.html import conditional_escape as escape  # as {{ }} does
    from django.utils.safestring import mark_safe

    cells = []
    for c in row["cells"]:
        num = ' class="num"' if c["num"] else ""
        text = escape(c["text"])
        inner = f'<a href="{escape(c["link"])}">{text}</a>' if c["link"] else text
        cells.append(f'<td data-label="{escape(c["label"])}"{num}>{inner}</td>')
    css = f' class="{escape(row["class"])}"' if row["class"] else ""
    return mark_safe(f"<tr{css}>{''.join(cells)}</tr>")


def _text(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def render_list(request: HttpRequest, spec: ListSpec, template: str = "web/list.html",
                context: dict | None = None) -> HttpResponse:
    """The list page (or, with ``?format=xlsx``, its export) for the request's filters."""
    rows, form = filtered(request.user, spec, request.GET)
    if request.GET.get("format") == "xlsx":
        return export(request, spec, rows, form)
    page = CappedPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k not in ("page", "format") and v}
    ctx = {"spec": spec, "form": form, "page": page, "rows": table_rows(spec, _prepared(request.user, spec, page)),
           "columns": spec.columns, "query": urlencode(query), "filtered": bool(query),
           "can_export": bool(access.areas_of(request.user, Action.EXPORT)), **spec.extra, **(context or {})}
    if request.headers.get("HX-Request"):  # the filter form, in place
        return render(request, "web/_list_rows.html", ctx)
    return render(request, template, ctx)


def export(request: HttpRequest, spec: ListSpec, rows: QuerySet, form: FilterForm) -> HttpResponse:
    """导出 the filtered rows to Excel: needs the export action; one audit entry per export area."""
    user = request.user
    access.require(user, Action.EXPORT)
    rows = access.scope_queryset(user, rows, Action.EXPORT, field=spec.region_field)
    data = _prepared(user, spec, rows[:EXPORT_LIMIT])
    content = xlsx(spec.title, [c.label for c in spec.columns], [[c.value(r) for c in spec.columns] for r in data])
    filters = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    for area in sorted(access.areas_of(user, Action.EXPORT)):  # seen by each area's auditors
        audit.record(user, AuditKind.EXPORT, None, area=area, action=f"{spec.key}.export",
                     reason=request.GET.get("reason", "") or f"导出{spec.title}",
                     detail={"list": spec.key, "filters": filters, "rows": len(data)})
    resp = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    resp["Content-Disposition"] = f'attachment; filename="{spec.filename}-{stamp}.xlsx"'
    return resp


def xlsx(title: str, headings: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """An .xlsx of one sheet: a bold heading row, then the rows; text is always text (a text that
    a spreadsheet would take for a formula gets the quote prefix), Decimal and int are numbers,
    dates are written as YYYY-MM-DD text."""
    import xlsxwriter

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False})
    ws = wb.add_worksheet(title[:31] or "list")
    bold = wb.add_format({"bold": True})
    quoted = wb.add_format({"quote_prefix": True})
    money = wb.add_format({"num_format": "0.00"})
    for c, h in enumerate(headings):
        ws.write_string(0, c, str(h), bold)
    for r, values in enumerate(rows, start=1):
        for c, v in enumerate(values):
            _cell(ws, r, c, v, quoted, money)
    ws.freeze_panes(1, 0)
    wb.close()
    return out.getvalue()


def _cell(ws: Any, r: int, c: int, v: Any, quoted: Any, money: Any) -> None:
    if v is None:
        return
    if isinstance(v, bool):
        ws.write_string(r, c, "是" if v else "否")
    elif isinstance(v, Decimal):
        ws.write_number(r, c, v, money)  # written as its exact decimal text
    elif isinstance(v, int):
        ws.write_number(r, c, v)
    elif isinstance(v, (dt.date, dt.datetime)):
        ws.write_string(r, c, v.strftime("%Y-%m-%d"))
    else:
        text = str(v)
        ws.write_string(r, c, text, quoted if text.startswith(FORMULA_START) else None)


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run: text starting like a formula (=, +, -, @, a tab…)
    gets a leading apostrophe (OWASP's CSV injection advice); numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, out: Any, **kwargs: Any):
        import csv

        self._w = csv.writer(out, **kwargs)

    def writerow(self, row: Sequence[Any]) -> Any:
        return self._w.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Any) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Any, **kwargs: Any) -> _SafeWriter:
    """csv.writer for every CSV export: each cell through ``csv_cell`` (no formula injection)."""
    return _SafeWriter(out, **kwargs)


# --- searches the lists share ------------------------------------------------------------------------

def person_search(user: Any, rows: QuerySet, q: str, *, household: str | None = "household",
                  person: str | None = None, names: Sequence[str] = (), numbers: Sequence[str] = ()) -> QuerySet:
    """Rows found by a word: the household (a member's name, pinyin initials, ID number full / in part
    / masked, the household number — registry.search_households, in the user's areas), a person
    field's the same (``person``), a name field containing it (``names``), a case number (``numbers``)."""
    from doudi.registry.services import search_households

    found = Q(pk__in=[])
    if household:
        found |= Q(**{f"{household}__in": search_households(user, q).values("pk")})
    if person:
        found |= Q(**{f"{person}__in": person_ids(q)})
    for f in names:
        found |= Q(**{f"{f}__contains": q})
    for f in numbers:
        found |= Q(**{f"{f}__icontains": q})
    return rows.filter(found)


def person_ids(q: str) -> QuerySet:
    """Persons whose name, pinyin initials or ID number (full, in part, masked) matches ``q``."""
    from doudi.registry.models import Person
    from doudi.registry.services import person_q

    return Person.objects.filter(person_q(q, prefix="")).values("pk")
