""""What if": the same population decided under today's parameters and under `--set` overrides.

`compare(table, sets, xlsx_path)` decides every program twice with the batch engine (the very
rule code of `doudi assess`) and reports:

- per program: households eligible before and after, households that gain and that lose
  eligibility, and the cost before and after (per the program's period: month, year, once);
- the change of amount per household (among households whose amount changes): count, mean,
  minimum, deciles, maximum;
- the cost by county and program, before and after.

Amounts are summed as integer fen and printed in yuan with 2 decimals. The Excel workbook
(XlsxWriter) has the same tables, the households that changed, and a chart of the cost per
program before and after.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from doudi.policy import regions

MAX_HOUSEHOLD_ROWS = 100_000  # households listed in the workbook's "households" sheet


@dataclass
class ProgramColumns:
    program: str
    period: str
    eligible: np.ndarray  # bool, null → False
    amount: np.ndarray  # int64 fen, null → 0
    applies: np.ndarray  # bool: the household has the program's inputs


@dataclass
class Comparison:
    ids: np.ndarray
    county: np.ndarray  # str codes, per household
    before: dict[str, ProgramColumns]
    after: dict[str, ProgramColumns]
    sets: dict[str, str]

    @property
    def programs(self) -> list[str]:
        return list(self.before)


def periods() -> dict[str, str]:
    """Program id → period (month | year | once), from the rule modules."""
    from doudi.policy.rules import PROGRAMS

    out: dict[str, str] = {}
    for m in PROGRAMS:  # a module deciding several programs (family_planning) lists them in PERIODS
        out.update(getattr(m, "PERIODS", None) or {m.PROGRAM: m.PERIOD})
    return out


def fen_column(a: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """A decimal yuan column as int64 fen (nulls → 0), exactly."""
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks() if a.num_chunks != 1 else a.chunk(0)
    if not pa.types.is_decimal(a.type) or a.type.scale != 2 or a.type.bit_width != 128:
        a = pc.cast(a, pa.decimal128(18, 2))
    words = np.frombuffer(a.buffers()[1], np.int64)[2 * a.offset: 2 * (a.offset + len(a))][::2]
    valid = a.is_valid().to_numpy(zero_copy_only=False)
    return np.where(valid, words, 0).astype(np.int64)


def _bool_column(a: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    applies = a.is_valid().to_numpy(zero_copy_only=False)
    values = pc.fill_null(a, False).to_numpy(zero_copy_only=False).astype(bool)
    return values, applies


def program_columns(results: pa.Table) -> dict[str, ProgramColumns]:
    per = periods()
    out: dict[str, ProgramColumns] = {}
    for name in results.column_names:
        if not name.endswith(".eligible"):
            continue
        program = name[: -len(".eligible")]
        eligible, applies = _bool_column(results.column(name))
        amount = fen_column(results.column(f"{program}.amount"))
        out[program] = ProgramColumns(program, per.get(program, "month"), eligible, amount, applies)
    return out


def household_counties(table: pa.Table) -> tuple[np.ndarray, np.ndarray]:
    """household_id and county code per household, in order of first appearance (as OUT)."""
    ids = table.column("household_id")
    ids = ids.combine_chunks() if isinstance(ids, pa.ChunkedArray) else ids
    if pa.types.is_dictionary(ids.type):
        ids = ids.cast(ids.type.value_type)
    encoded = pc.dictionary_encode(ids)
    codes = encoded.indices.to_numpy()
    n = len(encoded.dictionary)
    first = np.unique(codes, return_index=True)[1]  # first row of each household (codes 0..n-1)
    region = table.column("household.region")
    if pa.types.is_dictionary(region.type):
        region = region.cast(region.type.value_type)
    region = pc.cast(region, pa.string()).take(pa.array(first)).to_numpy(zero_copy_only=False)
    county = np.array([regions.county_of(str(r)) for r in region], dtype=object) if n < 1000 else \
        _counties_fast(region)
    return encoded.dictionary.to_numpy(zero_copy_only=False), county


def _counties_fast(region: np.ndarray) -> np.ndarray:
    uniq, inv = np.unique(region.astype(str), return_inverse=True)
    return np.array([regions.county_of(u) for u in uniq], dtype=object)[inv]


def run(table: pa.Table, sets: Mapping[str, Any]) -> Comparison:
    """Decide the population before and after the overrides."""
    from doudi.batch.engine import assess_table

    before = assess_table(table)
    after = assess_table(table, dict(sets))
    ids, county = household_counties(table)
    return Comparison(ids, county, program_columns(before), program_columns(after),
                      {k: str(v) for k, v in sets.items()})


# --- the figures ---------------------------------------------------------------------------------

def summary_rows(c: Comparison) -> list[dict[str, Any]]:
    rows = []
    for p in c.programs:
        b, a = c.before[p], c.after[p]
        rows.append({
            "program": p, "period": b.period,
            "eligible_before": int(b.eligible.sum()), "eligible_after": int(a.eligible.sum()),
            "gain": int((~b.eligible & a.eligible).sum()), "lose": int((b.eligible & ~a.eligible).sum()),
            "amount_changed": int((b.amount != a.amount).sum()),
            "cost_before": int(b.amount.sum()), "cost_after": int(a.amount.sum()),
            "cost_change": int(a.amount.sum() - b.amount.sum()),
        })
    return rows


QUANTILES = (0.1, 0.25, 0.5, 0.75, 0.9)


def change_rows(c: Comparison) -> list[dict[str, Any]]:
    """Distribution of the change of amount per household, among households whose amount changes."""
    rows = []
    for p in c.programs:
        d = c.after[p].amount - c.before[p].amount
        d = d[d != 0]
        row: dict[str, Any] = {"program": p, "households": int(len(d))}
        if len(d):
            qs = np.quantile(d, QUANTILES, method="inverted_cdf")
            row.update({"up": int((d > 0).sum()), "down": int((d < 0).sum()), "min": int(d.min()),
                        **{f"p{int(q * 100)}": int(v) for q, v in zip(QUANTILES, qs, strict=True)},
                        "max": int(d.max()), "mean": int(round(d.sum() / len(d)))})
        rows.append(row)
    return rows


def county_rows(c: Comparison) -> list[dict[str, Any]]:
    uniq, inv = np.unique(c.county.astype(str), return_inverse=True)
    rows = []
    for p in c.programs:
        before = _sum_by(inv, c.before[p].amount, len(uniq))
        after = _sum_by(inv, c.after[p].amount, len(uniq))
        nb = _sum_by(inv, c.before[p].eligible.astype(np.int64), len(uniq))
        na = _sum_by(inv, c.after[p].eligible.astype(np.int64), len(uniq))
        for k, code in enumerate(uniq):
            if before[k] == 0 and after[k] == 0 and nb[k] == 0 and na[k] == 0:
                continue
            rows.append({"county": code, "name": regions.name(code) or "", "program": p,
                         "period": c.before[p].period, "eligible_before": int(nb[k]), "eligible_after": int(na[k]),
                         "cost_before": int(before[k]), "cost_after": int(after[k]),
                         "cost_change": int(after[k] - before[k])})
    return rows


def _sum_by(inv: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Exact int64 group sums (np.bincount would go through float64)."""
    out = np.zeros(n, np.int64)
    np.add.at(out, inv, values.astype(np.int64))
    return out


def household_rows(c: Comparison, limit: int = MAX_HOUSEHOLD_ROWS) -> tuple[list[dict[str, Any]], int]:
    """Households whose eligibility or amount changes, program by program (at most `limit`)."""
    rows: list[dict[str, Any]] = []
    total = 0
    for p in c.programs:
        b, a = c.before[p], c.after[p]
        changed = np.flatnonzero((b.eligible != a.eligible) | (b.amount != a.amount))
        total += len(changed)
        for i in changed[: max(limit - len(rows), 0)]:
            rows.append({"household_id": _plain(c.ids[i]), "county": str(c.county[i]), "program": p,
                         "eligible_before": bool(b.eligible[i]), "eligible_after": bool(a.eligible[i]),
                         "amount_before": int(b.amount[i]), "amount_after": int(a.amount[i]),
                         "change": int(a.amount[i] - b.amount[i])})
    return rows, total


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


# --- printing ---------------------------------------------------------------------------------

def yuan(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100:,}.{fen % 100:02d}"


def _width(s: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in s)


def _pad(s: str, w: int, right: bool) -> str:
    fill = " " * max(w - _width(s), 0)
    return fill + s if right else s + fill


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max([_width(h)] + [_width(r[k]) for r in rows]) for k, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(_pad(c, w, k > 0 and _numeric(c)) for k, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def _numeric(s: str) -> bool:
    return s.replace(",", "").replace(".", "").replace("-", "").replace("+", "").isdigit()


def render(c: Comparison) -> str:
    out = [f"what if: {', '.join(f'{k}={v}' for k, v in c.sets.items()) or '(no change)'} — "
           f"{len(c.ids):,} households"]
    summ = summary_rows(c)
    out.append("\nper program (amounts in yuan, per the program's period)")
    out.append(_table(
        ["program", "period", "eligible before", "after", "gain", "lose", "amount changed", "cost before", "cost after", "change"],
        [[r["program"], r["period"], f"{r['eligible_before']:,}", f"{r['eligible_after']:,}", f"{r['gain']:,}",
          f"{r['lose']:,}", f"{r['amount_changed']:,}", yuan(r["cost_before"]), yuan(r["cost_after"]),
          yuan(r["cost_change"])] for r in summ]))
    ch = [r for r in change_rows(c) if r["households"]]
    out.append("\nchange of amount per household, among households whose amount changes (yuan)")
    if ch:
        out.append(_table(
            ["program", "households", "up", "down", "min", "p10", "p25", "median", "p75", "p90", "max", "mean"],
            [[r["program"], f"{r['households']:,}", f"{r['up']:,}", f"{r['down']:,}", yuan(r["min"]), yuan(r["p10"]),
              yuan(r["p25"]), yuan(r["p50"]), yuan(r["p75"]), yuan(r["p90"]), yuan(r["max"]), yuan(r["mean"])]
             for r in ch]))
    else:
        out.append("no household's amount changes")
    county = county_rows(c)
    out.append("\ncost by county and program (yuan, per the program's period)")
    out.append(_table(
        ["county", "name", "program", "period", "eligible before", "after", "cost before", "cost after", "change"],
        [[r["county"], r["name"], r["program"], r["period"], f"{r['eligible_before']:,}", f"{r['eligible_after']:,}",
          yuan(r["cost_before"]), yuan(r["cost_after"]), yuan(r["cost_change"])] for r in county]))
    return "\n".join(out)


# --- the workbook ------------------------------------------------------------------------------

def write_workbook(c: Comparison, path: str) -> None:
    """The comparison as an Excel workbook with a chart of the cost per program."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(path, {"constant_memory": False})
    try:
        bold = wb.add_format({"bold": True})
        money = wb.add_format({"num_format": "#,##0.00"})
        _sheet_summary(wb, c, bold, money)
        _sheet_rows(wb, "change per household", change_rows(c), bold, money,
                    money_keys={"min", "p10", "p25", "p50", "p75", "p90", "max", "mean"})
        _sheet_rows(wb, "by county", county_rows(c), bold, money,
                    money_keys={"cost_before", "cost_after", "cost_change"})
        rows, total = household_rows(c)
        ws = _sheet_rows(wb, "households", rows, bold, money, money_keys={"amount_before", "amount_after", "change"})
        if total > len(rows):
            ws.write(len(rows) + 2, 0, f"{total - len(rows):,} more changes not listed (first {len(rows):,} shown)")
    finally:
        wb.close()


def _sheet_summary(wb, c: Comparison, bold, money) -> None:
    ws = wb.add_worksheet("summary")
    ws.write(0, 0, "what if", bold)
    ws.write(0, 1, ", ".join(f"{k}={v}" for k, v in c.sets.items()))
    ws.write(1, 0, "households", bold)
    ws.write_number(1, 1, len(c.ids))
    rows = sorted(summary_rows(c), key=lambda r: r["period"] != "month")  # monthly programs first
    monthly = sum(r["period"] == "month" for r in rows)
    keys = list(rows[0]) if rows else []
    top = 3
    for k, key in enumerate(keys):
        ws.write(top, k, key, bold)
    for r, row in enumerate(rows, start=top + 1):
        for k, key in enumerate(keys):
            v = row[key]
            if key.startswith("cost"):
                ws.write_number(r, k, v / 100, money)
            elif isinstance(v, str):
                ws.write_string(r, k, v)
            else:
                ws.write_number(r, k, v)
    ws.set_column(0, len(keys), 16)
    if monthly:
        chart = wb.add_chart({"type": "column"})
        last = top + monthly
        for key, colour in (("cost_before", "#8faadc"), ("cost_after", "#c55a11")):
            k = keys.index(key)
            chart.add_series({"name": ["summary", top, k], "categories": ["summary", top + 1, 0, last, 0],
                              "values": ["summary", top + 1, k, last, k], "fill": {"color": colour}})
        chart.set_title({"name": "monthly cost per program, before and after (yuan)"})
        chart.set_y_axis({"name": "yuan", "num_format": "#,##0"})
        chart.set_size({"width": 900, "height": 420})
        ws.insert_chart(top + len(rows) + 3, 0, chart)


def _sheet_rows(wb, name: str, rows: list[dict[str, Any]], bold, money, money_keys: set[str]):
    ws = wb.add_worksheet(name)
    keys: list[str] = []
    for row in rows:
        for key in row:
            if key not in keys:
                keys.append(key)
    for k, key in enumerate(keys):
        ws.write(0, k, key, bold)
    for r, row in enumerate(rows, start=1):
        for k, key in enumerate(keys):
            if key not in row:
                continue
            v = row[key]
            if key in money_keys:
                ws.write_number(r, k, v / 100, money)
            elif isinstance(v, bool):
                ws.write_boolean(r, k, v)
            elif isinstance(v, (int, float)):
                ws.write_number(r, k, v)
            else:
                ws.write_string(r, k, str(v))
    ws.set_column(0, max(len(keys) - 1, 0), 15)
    return ws


def compare(table: pa.Table, sets: dict[str, str], xlsx_path: str | None) -> str:
    """Decide the population with and without `sets`; return the printed comparison and write
    the workbook to `xlsx_path` when given. InputError on bad input or an unknown parameter."""
    c = run(table, sets)
    if xlsx_path:
        write_workbook(c, xlsx_path)
    return render(c)


__all__ = ["compare", "run", "render", "write_workbook", "summary_rows", "change_rows", "county_rows",
           "household_rows", "Comparison"]
