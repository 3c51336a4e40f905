"""Reading back an .xlsx written by doudi (a zip of XML): each cell's text, whether it is a number,
and whether it carries the quote prefix (shown as text, never run as a formula)."""

from __future__ import annotations

import io
import re
import zipfile
from xml.etree import ElementTree as ET

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def read(content: bytes) -> list[list[dict]]:
    """Rows of cells: {text, number (bool), quoted (bool), formula (bool)}."""
    z = zipfile.ZipFile(io.BytesIO(content))
    strings = [("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
               for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS)] \
        if "xl/sharedStrings.xml" in z.namelist() else []
    xfs = ET.fromstring(z.read("xl/styles.xml")).find("m:cellXfs", NS).findall("m:xf", NS)
    quoted = [xf.get("quotePrefix") == "1" for xf in xfs]
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        cells = []
        for c in row.findall("m:c", NS):
            col = re.match(r"[A-Z]+", c.get("r")).group(0)
            index = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
            while len(cells) < index:
                cells.append({"text": "", "number": False, "quoted": False, "formula": False})
            v = c.find("m:v", NS)
            kind = c.get("t")
            text = strings[int(v.text)] if kind == "s" else (v.text if v is not None else "")
            cells.append({"text": text, "number": kind is None and v is not None, "formula": c.find("m:f", NS) is not None,
                          "quoted": quoted[int(c.get("s", "0"))]})
        rows.append(cells)
    return rows
