"""民政统计月报 (Excel, XlsxWriter): the month's 低保, 特困 and 临时救助 tables of an area, one row per
sub-area and a total, 城市 / 农村 side by side, in the layout of the monthly civil-affairs report."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal

import xlsxwriter

from doudi.accounts.areas import region_name
from doudi.reports.models import AmountSource, MonthlyFigure
from doudi.reports.stats import area_label, region_code_of

RES = (("urban", "城市"), ("rural", "农村"))


def _rows(prefix: str, month: dt.date) -> tuple[list[str], dict]:
    """Sub-areas (or the area itself when it has none) and their summed measures by (area, program, residence, dim, value)."""
    acc: dict = defaultdict(lambda: defaultdict(int))
    areas: set[str] = set()
    qs = MonthlyFigure.objects.filter(parent=prefix, month=month)
    if not qs.exists():
        qs = MonthlyFigure.objects.filter(area=prefix, month=month)
    sources = set()
    for r in qs.values("area", "program", "residence", "dim", "value", "households", "persons", "amount_fen",
                       "amount_source"):
        areas.add(r["area"])
        key = (r["area"], r["program"], r["residence"], r["dim"], r["value"])
        for m in ("households", "persons", "amount_fen"):
            acc[key][m] += r[m]
        if not r["dim"] and r["program"] != "temporary":
            sources.add(r["amount_source"])
    acc["_sources"] = sources  # type: ignore[index]
    return sorted(areas), acc


def monthly_report(prefix: str, month: dt.date) -> bytes:
    """The workbook of one month for an area: sheets 低保, 特困, 临时救助 (amounts in yuan, 2 decimals)."""
    areas, acc = _rows(prefix, month)
    sources = acc.pop("_sources", set())
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    f = {"title": wb.add_format({"bold": True, "font_size": 14, "align": "center"}),
         "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}),
         "cell": wb.add_format({"border": 1}), "money": wb.add_format({"border": 1, "num_format": "0.00"}),
         "total": wb.add_format({"border": 1, "bold": True}),
         "total_money": wb.add_format({"border": 1, "bold": True, "num_format": "0.00"})}
    meta = f"填报单位：{area_label(prefix)}    统计月份：{month.year}年{month.month}月"
    note = ("金额来源：" + "、".join(AmountSource(s).label for s in sorted(sources))) if sources else ""

    def v(area, program, res, m, dim="", value=""):
        return acc.get((area, program, res, dim, value), {}).get(m, 0)

    def sheet(name: str, title: str, groups: list) -> None:
        ws = wb.add_worksheet(name)
        ncols = 1 + sum(len(cols) for _, cols in groups)
        ws.merge_range(0, 0, 0, ncols - 1, title, f["title"])
        ws.merge_range(1, 0, 1, ncols - 1, meta)
        ws.merge_range(2, 0, 3, 0, "地区", f["head"])
        col = 1
        for label, cols in groups:
            ws.merge_range(2, col, 2, col + len(cols) - 1, label, f["head"])
            for k, (clabel, _fn, _money) in enumerate(cols):
                ws.write(3, col + k, clabel, f["head"])
            col += len(cols)
        row = 4
        for area in areas + [None]:
            fmt = "total" if area is None else "cell"
            ws.write(row, 0, "合计" if area is None else region_name(region_code_of(area)), f[fmt])
            col = 1
            for _label, cols in groups:
                for _clabel, fn, money in cols:
                    n = sum(fn(a) for a in areas) if area is None else fn(area)
                    if money:  # fen → yuan exactly (Decimal), written as the cell's number
                        ws.write_number(row, col, float(Decimal(n) / 100), f["total_money" if area is None else "money"])
                    else:
                        ws.write_number(row, col, n, f[fmt])
                    col += 1
            row += 1
        ws.write(row + 1, 0, note)
        ws.set_column(0, 0, 22)
        ws.set_column(1, ncols, 12)

    dibao_groups = []
    for res, rlabel in RES:
        dibao_groups.append((f"{rlabel}最低生活保障", [
            ("户数（户）", lambda a, r=res: v(a, "dibao", r, "households"), False),
            ("人数（人）", lambda a, r=res: v(a, "dibao", r, "persons"), False),
            ("当月支出（元）", lambda a, r=res: v(a, "dibao", r, "amount_fen"), True),
        ]))
    sheet("低保", f"城乡最低生活保障情况（{month.year}年{month.month}月）", dibao_groups)

    tekun_groups = []
    for res, rlabel in RES:
        tekun_groups.append((f"{rlabel}特困人员救助供养", [
            ("人数（人）", lambda a, r=res: v(a, "tekun", r, "persons"), False),
            ("集中供养（人）", lambda a, r=res: v(a, "tekun", r, "persons", "mode", "centralised"), False),
            ("分散供养（人）", lambda a, r=res: v(a, "tekun", r, "persons", "mode", "dispersed"), False),
            ("生活能自理（人）", lambda a, r=res: v(a, "tekun", r, "persons", "tier", "full"), False),
            ("部分丧失自理能力（人）", lambda a, r=res: v(a, "tekun", r, "persons", "tier", "partial"), False),
            ("完全丧失自理能力（人）", lambda a, r=res: v(a, "tekun", r, "persons", "tier", "none"), False),
            ("当月支出（元）", lambda a, r=res: v(a, "tekun", r, "amount_fen"), True),
        ]))
    sheet("特困", f"特困人员救助供养情况（{month.year}年{month.month}月）", tekun_groups)

    temp_groups = []
    for res, rlabel in RES:
        temp_groups.append((f"{rlabel}临时救助", [
            ("救助户次", lambda a, r=res: v(a, "temporary", r, "households"), False),
            ("救助人次", lambda a, r=res: v(a, "temporary", r, "persons"), False),
            ("当月支出（元）", lambda a, r=res: v(a, "temporary", r, "amount_fen"), True),
        ]))
    sheet("临时救助", f"临时救助情况（{month.year}年{month.month}月）", temp_groups)
    wb.close()
    return buf.getvalue()

