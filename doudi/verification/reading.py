"""Reading a spreadsheet a department or a county hands in: CSV or Excel, into rows of text.

Plain Python (no Django). The format is taken from the file's first bytes, not its name (an
.xlsx renamed .csv is still read as Excel): a ZIP container is .xlsx/.ods, an OLE container
is .xls, anything else is CSV text. Excel is read with python-calamine. CSV text is decoded as
UTF-8 (with or without a byte-order mark) or, when that fails, as GB18030 — the national
standard that contains GBK and GB2312, the encodings Chinese spreadsheet programs save CSV in —
and the encoding found is stated. Any other encoding is refused (`FileError`).

Row numbers are the spreadsheet's: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

UTF8, GB18030 = "UTF-8", "GB18030（兼容GBK）"
MAX_BYTES = 200 * 1024 * 1024


class FileError(Exception):
    """A file that cannot be read at all (format, encoding, no header); message in Chinese."""

    def __init__(self, message: str, column: str = ""):
        super().__init__(message)
        self.message = message
        self.column = column


@dataclass
class Sheet:
    """A file's header and rows as text (an empty cell is ""), with what was found about it."""

    header: list[str]
    rows: list[list[str]]
    file_format: str  # csv | xlsx | xls | ods
    encoding: str  # UTF8, GB18030, or "" for Excel (no text encoding)

    @property
    def described(self) -> str:
        return f"{self.file_format.upper()}" + (f"，编码 {self.encoding}" if self.encoding else "")


def sniff_format(data: bytes, name: str = "") -> str:
    if data[:4] == b"PK\x03\x04":
        return "ods" if name.lower().endswith(".ods") or b"opendocument" in data[:200] else "xlsx"
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    return "csv"


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding it was in: UTF-8 (BOM or not), else GB18030/GBK; FileError otherwise."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise FileError("文件编码为 UTF-16，不能读取：请另存为 UTF-8 或 GBK 编码的 CSV，或直接上传 Excel 文件")
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    try:
        return data.decode("utf-8"), UTF8
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return data.decode("gb18030"), GB18030
    except UnicodeDecodeError as exc:
        raise FileError(f"文件编码无法识别：既不是 UTF-8（第 {utf8_error.start + 1} 字节处不符），也不是 GB18030/GBK"
                        f"（第 {exc.start + 1} 字节处不符）；请另存为 UTF-8 或 GBK 编码的 CSV，或上传 Excel 文件") from None


def read_file(data: bytes, name: str = "") -> Sheet:
    """The file's header and rows as text; FileError when it cannot be read."""
    if len(data) > MAX_BYTES:
        raise FileError(f"文件过大（{len(data) // (1024 * 1024)} MB），上限为 {MAX_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise FileError("文件为空")
    fmt = sniff_format(data, name)
    if fmt == "csv":
        text, encoding = decode(data)
        rows = _csv_rows(text)
    else:
        rows, encoding = _excel_rows(data, fmt), ""
    rows = _trim(rows)
    if not rows:
        raise FileError("文件中没有表头行")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not any(header):
        raise FileError("第 1 行（表头）为空")
    width = len(header)
    body = [(r + [""] * (width - len(r)))[:width] if len(r) != width else r for r in rows[1:]]
    return Sheet(header, body, fmt, encoding)


def _csv_rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _excel_rows(data: bytes, fmt: str) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not wb.sheet_names:
            raise FileError("Excel 文件中没有工作表")
        sheet = wb.get_sheet_by_index(0)
        return [[cell_text(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
    except FileError:
        raise
    except Exception as exc:  # noqa: BLE001 - calamine's errors vary by format: the file cannot be read
        raise FileError(f"无法读取 {fmt.upper()} 文件（{type(exc).__name__}）：请确认文件未损坏、未加密") from None


def cell_text(value: object) -> str:
    """An Excel cell as the text a person sees: whole numbers without ".0", dates as YYYY-MM-DD.

    A number of more than 15 digits has lost its last digits in Excel (an ID number typed as a
    number): it is returned as "#NUMBER:<digits>" so that the checks can say so."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            digits = str(int(value))
            return f"#NUMBER:{digits}" if len(digits) > 15 else digits
        return repr(value)
    if isinstance(value, int):
        digits = str(value)
        return f"#NUMBER:{digits}" if len(digits) > 15 else digits
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Without trailing empty rows (Excel's formatted but empty area)."""
    end = len(rows)
    while end and not any(c.strip() for c in rows[end - 1]):
        end -= 1
    return rows[:end]
