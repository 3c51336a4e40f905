"""Checking a department file against its kind's declared schema, into an Arrow table.

Plain Python (no Django). Every cell is checked; every problem is kept with its row (the
spreadsheet's: header = row 1) and column (the Chinese label), so that a bad file gets one report
of everything wrong with it, and nothing of it is stored (the import takes the whole file or
nothing). ID numbers are normalised (upper-case X, 15-digit old numbers to 18) and never repeated
in full in a message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

import pyarrow as pa

from doudi.policy import regions
from doudi.policy.identity import mask_id_number, normalise_id_number
from doudi.verification.kinds import Column, Kind
from doudi.verification.reading import Sheet

MAX_LISTED = 500
MAX_YUAN = Decimal("100000000")  # 一亿元
EARLIEST = dt.date(1880, 1, 1)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where (row, column) and what was expected, in Chinese."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row:,} 行" if self.row else "文件"
        return f"{where}{'「' + self.column + '」列' if self.column else ''}:{self.message}"


@dataclass
class Checked:
    """The records as a table (None when there were problems), every problem, what was ignored."""

    table: pa.Table | None
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return self.problem_count == 0


class _Problems:
    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.count = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.listed) < MAX_LISTED:
            self.listed.append(Problem(row, column, message))


_HALF_WIDTH = str.maketrans("，；：（）！？", ",;:()!?")


def header_key(text: str) -> str:
    """What a file's header (or a label typed in a cell) is matched by: punctuation of either width
    ("发放县(区)代码" = "发放县（区）代码"), brackets, spaces and case aside. The labels of doudi's
    templates and catalogues are written in full-width punctuation; files made before, or by other
    systems, may have ASCII."""
    return re.sub(r"[\s()]", "", (text or "").translate(_HALF_WIDTH)).lower()



def map_header(kind: Kind, header: list[str], problems: _Problems) -> tuple[dict[str, int], list[str]]:
    """Which file column holds each of the kind's columns (by Chinese label or name); unknown ones are ignored."""
    by_key: dict[str, Column] = {}
    for c in kind.all_columns:
        by_key[header_key(c.label)] = c
        by_key[header_key(c.name)] = c
    where: dict[str, int] = {}
    ignored = []
    for i, h in enumerate(header):
        c = by_key.get(header_key(h))
        if c is None:
            if h:
                ignored.append(h)
            continue
        if c.name in where:
            problems.add(1, c.label, f"表头中「{c.label}」列出现了两次（第 {where[c.name] + 1} 列和第 {i + 1} 列）")
            continue
        where[c.name] = i
    for c in kind.all_columns:
        if c.required and c.name not in where:
            problems.add(1, c.label, f"缺少必填列「{c.label}」（表头应包含：{'、'.join(x.label for x in kind.all_columns)}）")
    if kind.identify == "id_number" and "id_number" not in where:
        problems.add(1, "身份证号", "缺少「身份证号」列：该类数据以身份证号识别人员")
    if kind.identify == "either" and "id_number" not in where and not {"birth_date", "region"} <= set(where):
        problems.add(1, "身份证号", "缺少「身份证号」列；无身份证号时须有「出生日期」和「区划代码」列")
    return where, ignored


# --- one cell ---------------------------------------------------------------------------------

def parse_date(text: str) -> dt.date:
    s = text.strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    if re.fullmatch(r"\d{8}", s):
        s = f"{s[:4]}-{s[4:6]}-{s[6:]}"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?: 00:00:00)?", s)
    if not m:
        raise ValueError("应为日期，如 2026-05-01")
    d = dt.date(int(m[1]), int(m[2]), int(m[3]))  # ValueError for 2026-02-30
    if d < EARLIEST or d.year > 2199:
        raise ValueError("应为 1880 年至 2199 年之间的日期")
    return d


def parse_month(text: str) -> dt.date:
    s = text.strip().replace("/", "-").replace(".", "-").replace("年", "-").rstrip("月")
    if re.fullmatch(r"\d{6}", s):
        s = f"{s[:4]}-{s[4:]}"
    m = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-\d{1,2})?(?: 00:00:00)?", s)
    if not m or not 1 <= int(m[2]) <= 12:
        raise ValueError("应为年月，如 2026-05")
    return dt.date(int(m[1]), int(m[2]), 1)


def parse_yuan(text: str) -> int:
    """Yuan text → fen: at most 2 decimals, not negative, below 一亿元."""
    from doudi.policy.money import parse_amount

    s = text.strip().replace(",", "").replace(",", "").removesuffix("元")
    try:
        v = parse_amount(s)  # the one money parser: no 1e5, no full-width digits
    except ValueError:
        if s.startswith("-"):
            raise ValueError("应为不小于 0 的金额（元）") from None
        if "." in s and s.replace(".", "", 1).isascii() and s.replace(".", "", 1).isdigit():
            raise ValueError("金额最多保留 2 位小数") from None
        raise ValueError("应为金额（元），如 1200 或 1200.50") from None
    if v >= MAX_YUAN:
        raise ValueError("金额应小于一亿元")
    return int(v * 100)


def parse_count(text: str, lo: int | None, hi: int | None) -> int:
    s = text.strip()
    if not re.fullmatch(r"-?\d+", s):
        raise ValueError("应为整数")
    n = int(s)
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise ValueError(f"应为 {lo if lo is not None else ''} 至 {hi if hi is not None else ''} 之间的整数")
    return n


FLAGS = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False, "y": True, "n": False,
         "yes": True, "no": False}


@lru_cache(maxsize=1 << 14)
def region_exists(code: str) -> bool:
    """A 6-, 9- or 12-digit code that exists (or lies under a known county while the list has no townships)."""
    if not code.isdigit() or len(code) not in (6, 9, 12):
        return False
    return regions.is_known(code) or (len(code) > 6 and regions.is_known(code[:6]))


def converter(c: Column) -> Callable[[str], object]:
    """A function from cell text (not empty) to the stored value; ValueError with the Chinese expectation.
    Cached: a department file repeats its months, dates, amounts and codes many times."""
    conv = _converter(c)
    return conv if c.type == "text" else lru_cache(maxsize=1 << 16)(conv)


def _converter(c: Column) -> Callable[[str], object]:
    if c.type == "text":
        def text(s: str) -> str:
            if len(s) > 200:
                raise ValueError("内容过长（最多 200 字）")
            return s
        return text
    if c.type == "date":
        return parse_date
    if c.type == "month":
        return parse_month
    if c.type == "money":
        return parse_yuan
    if c.type == "decimal":
        return lambda s: Decimal(parse_yuan(s)) / 100
    if c.type == "count":
        return lambda s: parse_count(s, c.min, c.max)
    if c.type == "region":
        def region(s: str) -> str:
            if not region_exists(s.strip()):
                raise ValueError("应为存在的 6 位（县）、9 位（乡镇）或 12 位（村/社区）区划代码")
            return s.strip()
        return region
    if c.type == "flag":
        def flag(s: str) -> bool:
            try:
                return FLAGS[s.strip().lower()]
            except KeyError:
                raise ValueError("应为 是 或 否") from None
        return flag
    if c.type == "choice":
        lookup = {**{code: code for code in c.choices}, **{label: code for code, label in c.choices.items()}}

        def choice(s: str) -> str:
            try:
                return lookup[s.strip()]
            except KeyError:
                raise ValueError(f"应为 {'、'.join(c.choices.values())} 之一") from None
        return choice
    raise ValueError(c.type)


ARROW = {"text": pa.string(), "date": pa.date32(), "month": pa.date32(), "money": pa.int64(),
         "decimal": pa.decimal128(14, 2), "count": pa.int32(), "region": pa.string(), "choice": pa.string(),
         "flag": pa.bool_()}


def id_problem(raw: str) -> str:
    """Why a non-empty ID number is not one (no digits of it repeated)."""
    if raw.startswith("#NUMBER:"):
        return "身份证号以数字格式保存，末几位已丢失：请将该列设为文本格式后重新导出"
    s = raw.strip().upper()
    if len(s) not in (15, 18):
        return f"应为 18 位身份证号（或 15 位旧号码），收到 {len(s)} 位"
    return f"身份证号 {mask_id_number(s)} 无效：应为校验位、出生日期和地址码都正确的号码"


# --- the whole file ---------------------------------------------------------------------------

def check_sheet(kind: Kind, sheet: Sheet, today: dt.date | None = None) -> Checked:
    """Every row of the file checked against the kind; the table only when nothing is wrong."""
    today = today or dt.date.today()
    problems = _Problems()
    where, ignored = map_header(kind, sheet.header, problems)
    n = len(sheet.rows)
    if n == 0:
        problems.add(0, "", "文件中没有数据行")
    if problems.count:
        return Checked(None, problems.listed, problems.count, ignored, n)

    def cells(name: str) -> list[str]:
        i = where.get(name)
        return [""] * n if i is None else [r[i].strip() for r in sheet.rows]

    ids = _id_column(cells("id_number"), problems)
    arrays: dict[str, list] = {"row": list(range(2, n + 2)), "id_number": ids}
    for c in kind.all_columns:
        if c.name == "id_number":
            continue
        arrays[c.name] = _column(c, cells(c.name), problems)
    _births(arrays, ids, problems, today)
    _identified(kind, arrays, problems)
    if problems.count:
        return Checked(None, problems.listed, problems.count, ignored, n)
    schema = [("row", pa.int32()), ("id_number", pa.string())] + [
        (c.name, ARROW[c.type]) for c in kind.all_columns if c.name != "id_number"]
    table = pa.table({name: pa.array(arrays[name], type=t) for name, t in schema})
    return Checked(table, [], 0, ignored, n)


def _id_column(raw: list[str], problems: _Problems) -> list[str | None]:
    """Normalised ID numbers (None where empty); checked in bulk (doudi.batch.io.check_id_numbers, the
    batch reader's vectorised GB 11643 check), old 15-digit numbers converted first."""
    from doudi.batch.io import check_id_numbers

    wanted = [s.upper().replace(" ", "") if s and not s.startswith("#NUMBER:") else "" for s in raw]
    wanted = [normalise_id_number(s) or s if len(s) == 15 else s for s in wanted]
    ok = check_id_numbers(pa.array(wanted, pa.string()))[0] if wanted else []
    out: list[str | None] = []
    for i, (s, good) in enumerate(zip(wanted, ok, strict=True)):
        if good:
            out.append(s)
            continue
        if raw[i]:
            problems.add(i + 2, "身份证号", id_problem(raw[i]))
        out.append(None)
    return out


def _column(c: Column, raw: list[str], problems: _Problems) -> list:
    conv = converter(c)
    default = conv(c.default) if c.default is not None else None
    out = []
    for i, s in enumerate(raw):
        if not s or s.startswith("#NUMBER:") and c.type != "text":
            if s:
                problems.add(i + 2, c.label, "数字位数过多，末几位已丢失：请将该列设为文本格式")
            elif c.required:
                problems.add(i + 2, c.label, f"「{c.label}」不能为空")
            out.append(default)
            continue
        try:
            out.append(conv(s))
        except ValueError as exc:
            problems.add(i + 2, c.label, f"{exc.args[0] if exc.args else '格式不正确'}，收到「{s[:40]}」")
            out.append(None)
    return out


def _births(arrays: dict[str, list], ids: list[str | None], problems: _Problems, today: dt.date) -> None:
    """The birth date from a valid ID number; a stated one must agree with it."""
    births = arrays["birth_date"]
    for i, number in enumerate(ids):
        if number is None:
            continue
        from_id = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        if births[i] is not None and births[i] != from_id:
            problems.add(i + 2, "出生日期", f"出生日期 {births[i]} 与身份证号中的 {from_id} 不一致")
        births[i] = from_id
        if from_id > today:
            problems.add(i + 2, "身份证号", "身份证号中的出生日期晚于今天")


def _identified(kind: Kind, arrays: dict[str, list], problems: _Problems) -> None:
    """Each record names its person: a valid ID number, or (where the kind allows) name + birth date + region."""
    ids, births, regions_ = arrays["id_number"], arrays["birth_date"], arrays["region"]
    for i, number in enumerate(ids):
        if number is not None:
            continue
        row = i + 2
        if kind.identify == "id_number":
            if not any(p.row == row and p.column == "身份证号" for p in problems.listed[-3:]):
                problems.add(row, "身份证号", "「身份证号」不能为空：该类数据以身份证号识别人员")
        elif births[i] is None or regions_[i] is None:
            if not any(p.row == row for p in problems.listed[-3:]):
                problems.add(row, "身份证号", "无身份证号的记录须填写「出生日期」和「区划代码」，以便按姓名、出生日期和地区比对")
