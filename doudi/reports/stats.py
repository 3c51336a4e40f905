"""Reading the statistics: one area's monthly series per program and figure, its sub-areas' figures.

Everything here reads `MonthlyFigure` rows of one area prefix (index `reports_fig_area_month`) or of
its children (`reports_fig_parent_month`): a page costs a few hundred rows at any level.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.accounts import access
from doudi.accounts.areas import area_prefix, full_region_name, region_name
from doudi.accounts.roles import Action
from doudi.reports.figures import add_months, month_of, months_between
from doudi.reports.models import PROGRAMS, RESIDENCES, AmountSource, MonthlyFigure

TIERS = {"full": "生活能自理", "partial": "部分丧失生活自理能力", "none": "完全丧失生活自理能力", "": "未评估"}
MODES = {"centralised": "集中供养", "dispersed": "分散供养", "": "未登记"}
CLASSES = {"A": "A类", "B": "B类", "C": "C类", "": "未分类"}
DIM_NAMES = {"class": ("低保类别（DB-15）", CLASSES), "tier": ("生活自理能力（TK-2）", TIERS),
             "mode": ("供养方式（TK-5）", MODES), "kind": ("困难类型（NAT-TA-KINDS）", None)}


@dataclass(frozen=True)
class Figure:
    """One statistic: its id, label, unit and definition (shown beside it on the page)."""

    id: str
    label: str
    unit: str
    definition: str


FIGURES: dict[str, tuple[Figure, ...]] = {
    "dibao": (
        Figure("households", "保障户数", "户", "当月在保（含渐退期）的低保户数"),
        Figure("persons", "保障人数", "人", "当月在保户按批准（或最近一次复核）决定覆盖的人数；单人户（DB-8）计 1 人"),
        Figure("amount", "保障金额", "元", "当月在保户的月保障金额之和（待遇变更记录）；有发放花名册后为实发金额"),
        Figure("average", "人均保障金额", "元/人", "保障金额 ÷ 保障人数，四舍五入到分"),
        Figure("new_households", "新增户数", "户", "起始发放月份为当月的待遇"),
        Figure("stopped_households", "停保户数", "户", "自当月起停发或终止的待遇"),
        Figure("exit_households", "渐退期户数", "户", "当月处于渐退期的待遇（DB-9）"),
        Figure("received", "受理申请", "件", "当月登记的低保申请"),
        Figure("approved", "批准", "件", "当月作出的批准决定"),
        Figure("refused", "不予批准", "件", "当月作出的不予批准决定"),
        Figure("withdrawn", "撤回", "件", "当月撤回的申请"),
        Figure("median_days", "申请至决定工作日（中位数）", "个工作日", "当月决定的案件，自申请日期至决定日期的工作日数（国务院节假日安排）的中位数"),
    ),
    "tekun": (
        Figure("households", "供养户数", "户", "当月供养中人员所在的家庭数（同户多人计 1 户）"),
        Figure("persons", "供养人数", "人", "当月供养中（批准认定起、终止前）的特困人员"),
        Figure("amount", "供养金额", "元", "当月供养人员的月供养金额之和；有发放花名册后为实发金额"),
        Figure("average", "人均供养金额", "元/人", "供养金额 ÷ 供养人数，四舍五入到分"),
        Figure("new_households", "新增人数", "人", "起始供养月份为当月的人员"),
        Figure("stopped_households", "终止人数", "人", "自当月起终止供养的人员"),
        Figure("received", "受理申请", "件", "当月登记的特困人员认定申请"),
        Figure("approved", "批准认定", "件", "当月作出的认定决定"),
        Figure("refused", "不予认定", "件", "当月作出的不予认定决定"),
        Figure("withdrawn", "撤回", "件", "当月撤回的申请"),
        Figure("median_days", "申请至决定工作日（中位数）", "个工作日", "当月决定的案件，自申请日期至决定日期的工作日数的中位数"),
    ),
    "temporary": (
        Figure("households", "救助户次", "户次", "当月批准的临时救助"),
        Figure("persons", "救助人次", "人次", "当月批准的临时救助所救助的人数"),
        Figure("amount", "发放金额", "元", "当月实际发放的临时救助金（分次发放按发放日期）"),
        Figure("average", "人均救助金额", "元/人次", "发放金额 ÷ 救助人次，四舍五入到分"),
        Figure("received", "受理申请", "件", "当月登记的临时救助（含先行救助）"),
        Figure("approved", "批准", "件", "当月作出的批准决定"),
        Figure("refused", "不予救助", "件", "当月作出的不予救助决定"),
        Figure("withdrawn", "撤回", "件", "当月撤回的申请"),
        Figure("median_days", "申请至决定工作日（中位数）", "个工作日", "当月决定的案件，自登记日期至决定日期的工作日数的中位数"),
    ),
}
SUMMED = ("households", "persons", "amount_fen", "new_households", "stopped_households", "exit_households",
          "received", "approved", "refused", "withdrawn")


def region_code_of(prefix: str) -> str:
    """The region code of an area prefix: 62 → 620000, 6204 → 620400, others unchanged."""
    p = str(prefix)
    return p + "0000" if len(p) == 2 else p + "00" if len(p) == 4 else p


def area_label(prefix: str) -> str:
    return full_region_name(region_code_of(prefix))


def stats_areas(user: Any) -> list[str]:
    """The area prefixes in which the user may read statistics (stats.view), widest first."""
    return sorted({area_prefix(a) for a in access.areas_of(user, Action.STATS_VIEW)}, key=lambda p: (len(p), p))


def check_area(user: Any, code: str | None, action: str = Action.STATS_VIEW) -> str:
    """The area prefix asked for, if the user may read it; the user's first area when none is asked.
    A malformed or unknown code: 404; an area outside the user's: 404 (its existence does not leak)."""
    areas = access.areas_of(user, action)
    if not areas:
        raise PermissionDenied("您无权查看统计")
    if not code:
        return sorted({area_prefix(a) for a in areas}, key=lambda p: (len(p), p))[0]
    code = str(code).strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise Http404("区域代码应为 2、4、6、9 或 12 位数字")
    prefix = area_prefix(code) if len(code) >= 6 else code
    if not access.in_area(areas, prefix):
        raise Http404("不在您的辖区内")
    return prefix


def month_range(first: str | None, last: str | None, today: dt.date, default_months: int = 12) -> list[dt.date]:
    """Months from `first` to `last` (YYYY-MM), default the last 12 months to this one; at most 36."""
    def parse(s: str | None) -> dt.date | None:
        if not s:
            return None
        try:
            y, m = str(s)[:7].split("-")
            return dt.date(int(y), int(m), 1)
        except (ValueError, TypeError):
            raise Http404("月份应为 YYYY-MM") from None

    end = parse(last) or month_of(today)
    start = parse(first) or add_months(end, -(default_months - 1))
    if start > end:
        start, end = end, start
    if len(months_between(start, end)) > 36:
        start = add_months(end, -35)
    return months_between(start, end)


def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def average_yuan(fen: int, persons: int) -> str | None:
    """Amount per person in yuan, half-up to the fen (None when nobody)."""
    if not persons:
        return None
    return str((Decimal(int(fen)) / Decimal(int(persons)) / 100).quantize(Decimal("0.01"), ROUND_HALF_UP))


def median(hist: dict) -> Decimal | None:
    """The median of a histogram {value: count} (the mean of the two middle values when even)."""
    items = sorted((int(k), int(v)) for k, v in (hist or {}).items() if int(v) > 0)
    n = sum(v for _, v in items)
    if not n:
        return None
    wanted = [(n - 1) // 2, n // 2]
    out, seen = [], 0
    for value, count in items:
        while wanted and wanted[0] < seen + count:
            out.append(value)
            wanted.pop(0)
        seen += count
    return (Decimal(out[0] + out[1]) / 2).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _merge(into: dict, hist: dict) -> None:
    for k, v in (hist or {}).items():
        into[k] = into.get(k, 0) + int(v)


class Totals:
    """The summed measures of a set of rows, with the histogram of working days."""

    def __init__(self) -> None:
        self.m = dict.fromkeys(SUMMED, 0)
        self.days: dict[str, int] = {}

    def add(self, row: dict) -> None:
        for k in SUMMED:
            self.m[k] += int(row[k])
        _merge(self.days, row["decision_days"])

    def value(self, figure: str) -> Any:
        if figure == "amount":
            return yuan(self.m["amount_fen"])
        if figure == "average":
            return average_yuan(self.m["amount_fen"], self.m["persons"])
        if figure == "median_days":
            md = median(self.days)
            return None if md is None else str(md)
        return self.m[figure]


FIELDS = ("month", "program", "residence", "dim", "value", "amount_source", "decision_days", *SUMMED)


def series(prefix: str, months: list[dt.date]) -> dict:
    """The area's figures per program, month by month: totals, 城镇/农村, breakdowns, and where the amounts came from."""
    rows = MonthlyFigure.objects.filter(area=prefix, month__gte=months[0], month__lte=months[-1]).values(*FIELDS)
    total: dict = defaultdict(Totals)
    by_res: dict = defaultdict(Totals)
    by_dim: dict = defaultdict(Totals)
    sources: dict[str, set] = defaultdict(set)
    for r in rows:
        if r["dim"]:
            by_dim[(r["program"], r["dim"], r["value"], r["month"])].add(r)
            continue
        total[(r["program"], r["month"])].add(r)
        by_res[(r["program"], r["residence"], r["month"])].add(r)
        sources[r["program"]].add(r["amount_source"])
    out = {"area": prefix, "name": area_label(prefix), "months": [f"{m:%Y-%m}" for m in months], "programs": {}}
    for program, figures in FIGURES.items():
        figs = []
        for f in figures:
            fig = {"id": f.id, "label": f.label, "unit": f.unit, "definition": f.definition,
                   "series": [total[(program, m)].value(f.id) for m in months],
                   "by_residence": {res: [by_res[(program, res, m)].value(f.id) for m in months] for res in RESIDENCES}}
            fig["table"] = [[label, fig["series"][i], fig["by_residence"]["urban"][i], fig["by_residence"]["rural"][i]]
                            for i, label in enumerate(out["months"])]
            figs.append(fig)
        dims = {}
        for dim, (dim_label, names) in DIM_NAMES.items():
            values = sorted({v for (p, d, v, _m) in by_dim if p == program and d == dim})
            if not values:
                continue
            dims[dim] = {"label": dim_label, "groups": [
                {"value": v, "label": (names or {}).get(v, v) if names else _kind_name(v),
                 "persons": [by_dim[(program, dim, v, m)].value("persons") for m in months],
                 "households": [by_dim[(program, dim, v, m)].value("households") for m in months],
                 "amount": [by_dim[(program, dim, v, m)].value("amount") for m in months]}
                for v in values]}
        src = sources.get(program) or {AmountSource.BENEFITS.value if program != "temporary" else AmountSource.PAYMENTS.value}
        out["programs"][program] = {
            "label": PROGRAMS[program], "figures": figs, "breakdowns": dims,
            "amount_source": "、".join(AmountSource(s).label for s in sorted(src))}
    return out


def _kind_name(kind: str) -> str:
    try:
        from doudi.relief.procedure import KIND_NAMES
    except ImportError:  # relief not installed
        return kind
    return KIND_NAMES.get(kind, kind or "未登记")


def children(prefix: str, month: dt.date) -> list[dict]:
    """The sub-areas' figures of one month (households, persons, amounts per program), by area."""
    rows = MonthlyFigure.objects.filter(parent=prefix, month=month, dim="").values("area", *FIELDS)
    acc: dict = defaultdict(lambda: defaultdict(Totals))
    for r in rows:
        acc[r["area"]][r["program"]].add(r)
    out = []
    for area in sorted(acc):
        line = {"area": area, "name": region_name(region_code_of(area)), "programs": {}}
        for program in PROGRAMS:
            t = acc[area][program]
            line["programs"][program] = {"households": t.m["households"], "persons": t.m["persons"],
                                         "amount": yuan(t.m["amount_fen"])}
        out.append(line)
    return out


def month_totals(prefix: str, month: dt.date) -> dict[tuple[str, str], Totals]:
    """(program, residence) → totals of one month for an area (the Excel report and the public page)."""
    acc: dict = defaultdict(Totals)
    for r in MonthlyFigure.objects.filter(area=prefix, month=month, dim="").values(*FIELDS):
        acc[(r["program"], r["residence"])].add(r)
    return acc
