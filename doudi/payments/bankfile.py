"""Bank files (templates as data, data/banks.yaml) and the bank's result files (回盘). Plain Python.

A bank file is encoded in GB18030 with CRLF line ends (what Chinese banks' batch-payment systems
read): an optional header line, one line per record, an optional trailer with the count and total.
A result file (CSV in GB18030 or UTF-8, or Excel) has one line per record; it is checked whole
before anything is applied, and every problem is reported with its line number.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from doudi.payments.banks import PaymentError, template

ENCODING = "gb18030"


@dataclass(frozen=True)
class Record:
    seq: int
    account: str
    holder: str
    amount_fen: int
    id_masked: str = ""
    bank: str = ""
    branch: str = ""
    yikatong: bool = False
    memo: str = ""


def _amount(fen: int, unit: str) -> str:
    return f"{fen // 100}.{fen % 100:02d}" if unit == "yuan" else str(fen)


def _fixed(text: str, width: int, figure: bool) -> str:
    raw = text.encode(ENCODING)
    if len(raw) > width:  # cut on a character boundary
        while len(raw) > width:
            text = text[:-1]
            raw = text.encode(ENCODING)
    pad = width - len(raw)
    return ("0" * pad + text) if figure else (text + " " * pad)


def _clean(text: str, sep: str) -> str:
    return str(text).replace(sep, " ").replace("\r", " ").replace("\n", " ")


# a record as a plain row, in this order (what the roll's query gives; Record's fields)
FIELDS = ("seq", "account", "holder", "amount_fen", "id_masked", "bank", "branch", "yikatong", "memo")
CHUNK = 20_000  # lines encoded at a time


def _formatter(t: dict):
    """A function from one plain row (FIELDS) to the text of its line, by template ``t``: the columns'
    getters chosen once, not per row and field."""
    unit = t.get("amount", "yuan")
    csv = t["format"] == "csv"
    sep = t.get("separator", ",") if csv else "\t"
    getters = []
    for c in t["columns"]:
        name = c if csv else c["field"]
        if name == "amount":
            getters.append(lambda r, u=unit: _amount(r[3], u))
        elif name == "yikatong":
            getters.append(lambda r: "1" if r[7] else "0")
        elif name == "seq":
            getters.append(lambda r: str(r[0]))
        else:
            i = FIELDS.index(name)
            getters.append(lambda r, i=i: _clean(r[i], sep))
    if csv:
        return lambda r: sep.join([g(r) for g in getters])
    widths = [(int(c["width"]), c["field"] in ("seq", "amount")) for c in t["columns"]]
    pairs = list(zip(getters, widths, strict=True))
    return lambda r: "".join([_fixed(g(r), w, fig) for g, (w, fig) in pairs])


def frame(name: str, body: list[bytes], count: int, total: int, *, county: str, month: str, roll: int) -> bytes:
    """The whole file: the template's header, the encoded lines (each ending in CRLF), its trailer."""
    t = template(name)
    fill = {"count": count, "total": _amount(total, t.get("amount", "yuan")), "month": month, "county": county,
            "roll": roll}
    head = (t["header"].format(**fill) + "\r\n").encode(ENCODING) if t.get("header") else b""
    tail = (t["trailer"].format(**fill) + "\r\n").encode(ENCODING) if t.get("trailer") else b""
    return b"".join([head, *body, tail])


def render_rows(name: str, rows: Iterable[tuple], *, county: str, month: str, roll: int) -> tuple[bytes, int, int]:
    """The bank file of plain rows (FIELDS) by template ``name``: (bytes, count, total fen). Lines are
    formatted by getters chosen once and encoded CHUNK at a time."""
    line = _formatter(template(name))
    body: list[bytes] = []
    chunk: list[str] = []
    count = total = 0
    for r in rows:
        count += 1
        total += r[3]
        chunk.append(line(r))
        if len(chunk) >= CHUNK:
            body.append(("\r\n".join(chunk) + "\r\n").encode(ENCODING))
            chunk = []
    if chunk:
        body.append(("\r\n".join(chunk) + "\r\n").encode(ENCODING))
    return frame(name, body, count, total, county=county, month=month, roll=roll), count, total


def render(name: str, records: Iterable[Record], *, county: str, month: str, roll: int) -> tuple[bytes, int, int]:
    """The bank file of ``records`` by template ``name``: (bytes, count, total fen)."""
    rows = ((r.seq, r.account, r.holder, r.amount_fen, r.id_masked, r.bank, r.branch, r.yikatong, r.memo)
            for r in records)
    return render_rows(name, rows, county=county, month=month, roll=roll)


_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def copy_text_lines(data: bytes) -> str:
    """Lines read by COPY … TO STDOUT (text format, one column; UTF-8): the data's own text, each line
    ending in LF, with COPY's backslash escapes undone."""
    text = data.decode("utf-8")
    if "\\" in text:
        text = re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), text)
    return text


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- result files ----------------------------------------------------------------------------------

PAID_WORDS = {"成功", "已入账", "入账成功", "S", "SUCCESS", "0", "00"}
FAILED_WORDS = {"失败", "退票", "退回", "F", "FAIL", "FAILED", "1"}


@dataclass(frozen=True)
class Result:
    line: int
    seq: int
    account: str
    amount_fen: int
    paid: bool
    reason: str


def _rows(data: bytes, filename: str) -> list[list[str]]:
    from doudi.verification.reading import FileError, _csv_rows, _excel_rows, decode, sniff_format

    if not data.strip():
        raise PaymentError("回盘文件为空", "file")
    fmt = sniff_format(data, filename)
    try:
        if fmt == "csv":
            text, _enc = decode(data)
            return _csv_rows(text)
        return _excel_rows(data, fmt)
    except FileError as exc:
        raise PaymentError(exc.message, "file") from None


def _parse_amount(raw: str, unit: str) -> int | None:
    s = raw.strip().replace(",", "")
    try:
        v = Decimal(s)
    except InvalidOperation:
        return None
    if unit == "fen":
        return int(v) if v == v.to_integral_value() and v >= 0 else None
    if v < 0 or v != v.quantize(Decimal("0.01")):
        return None
    return int(v * 100)


def parse_results(data: bytes, filename: str, unit: str) -> tuple[list[Result], tuple[int, int] | None, list[str]]:
    """(results, the trailer's (count, total fen) if there is one, problems by line number)."""
    rows = _rows(data, filename)
    out: list[Result] = []
    problems: list[str] = []
    trailer = None
    for i, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        first = cells[0].upper()
        if i == 1 and not re.fullmatch(r"\d+", cells[0]) and first not in ("合计", "T", "END"):
            continue  # a heading line
        if first in ("合计", "T", "END", "TOTAL"):
            n = cells[1] if len(cells) > 1 else ""
            total = _parse_amount(cells[2], unit) if len(cells) > 2 else None
            if not n.isdigit() or total is None:
                problems.append(f"第 {i} 行：合计行应为「合计,笔数,金额」")
            else:
                trailer = (int(n), total)
            continue
        if len(cells) < 5:
            problems.append(f"第 {i} 行：应有 序号、账号、户名、金额、结果（、原因）至少 5 列，只有 {len(cells)} 列")
            continue
        seq, account, _holder, amount, result = cells[:5]
        reason = cells[5] if len(cells) > 5 else ""
        if not seq.isdigit():
            problems.append(f"第 {i} 行：序号「{seq}」不是数字")
            continue
        fen = _parse_amount(amount, unit)
        if fen is None:
            problems.append(f"第 {i} 行：金额「{amount}」不是{'以分计的整数' if unit == 'fen' else '两位小数的金额（元）'}")
            continue
        word = result.upper()
        if word not in PAID_WORDS and word not in FAILED_WORDS:
            problems.append(f"第 {i} 行：结果「{result}」无法识别（应为 成功 或 失败）")
            continue
        paid = word in PAID_WORDS
        if not paid and not reason:
            problems.append(f"第 {i} 行：失败的记录须有银行给出的原因")
            continue
        out.append(Result(i, int(seq), account.replace(" ", ""), fen, paid, reason))
    return out, trailer, problems
