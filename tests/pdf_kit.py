"""PDF notices as a citizen gets them: the text of every page (pypdfium2) and each page rendered to
PNG under test-artifacts/notices/, with the checks every notice to a citizen must pass (issue 9)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "notices"


def pdf_pages(pdf: bytes, name: str) -> str:
    """The PDF's text, page after page; each page saved as test-artifacts/notices/<name>-<n>.png."""
    import pypdfium2 as pdfium

    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    doc = pdfium.PdfDocument(pdf)
    texts = []
    try:
        for n, page in enumerate(doc, start=1):
            texts.append(page.get_textpage().get_text_range())
            image = page.render(scale=1.5).to_pil()
            path = ARTIFACTS / f"{name}-{n}.png"
            image.save(path)
            # the page is drawn: some dark ink on it, not a blank sheet
            assert path.stat().st_size > 0 and image.convert("L").getextrema()[0] < 100
    finally:
        doc.close()
    return "\n".join(texts)


def assert_reads_as_a_citizen_notice(text: str, bureau: str, number: str) -> None:
    """Who decided by name, no internal data: no dotted parameter name, no Python value, no placeholder,
    no English word (rule ids included: a citizen reads the clauses by document number). `number`,
    the case number (DB…), is the one run of Latin letters a notice carries."""
    from doudi.policy.params import default_policy

    text = text.replace(number, "")
    flat = re.sub(r"\s+", "", text)
    assert bureau in flat
    assert [n for n in default_policy().defs if n in text] == []
    assert not re.search(r"\b[a-z_]+\.[a-z_.]+\b", text)  # no dotted names (dibao.standard.urban …)
    assert not re.search(r"\b(True|False|None|true|false)\b", text)
    assert "placeholder" not in text.lower() and "占位" not in text
    assert re.findall(r"[A-Za-z]{2,}", text) == [], re.findall(r".{0,20}[A-Za-z]{2,}.{0,20}", text)
    assert "行政复议" in flat and "六十日" in flat and "六个月" in flat and "盖章处" in flat
