"""Chinese wording for pages and notices: sources cited by document number, trace sentences with
full-width punctuation, and the remarks that a citizen's notice leaves out.

The decision JSON (interfaces.md) keeps its sources as the data writes them
("huining-2022 二(一)二.1", "NAT 民发〔2021〕57号 Art.12"); what a Chinese page or document shows
goes through `cite` and `zh_text`. A notice to a citizen shows `for_citizen(detail)`: the
trace sentence without the internal remarks (a placeholder figure, a parameter left at its
default), which stay on the case page and in the case record.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data" / "documents.yaml"

# The remarks rules add to a trace sentence; `for_citizen` removes them by these shapes.
PLACEHOLDER_NOTE = "(占位值,待本地公布标准替换)"


def unset_note(label: str) -> str:
    """The remark that a parameter is at its default "none" (rules.md: no deduction, no cap …)."""
    return f"(参数「{label}」默认无)"


_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_IS_CJK = re.compile(f"[{_CJK}]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_PAREN = re.compile(r"\(([^()]*)\)")
_INTERNAL = re.compile(r"\s*[(（][^()（）]*(?:占位|参数[^()（）]*默认无)[^()（）]*[)）]")
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9.'’/&\- ]*")
_SHORT_NAME = re.compile(r"\b([a-z]+-\d{4})\b")
_ART = re.compile(r"Art\.\s*(\d+(?:\s*[–-]\s*\d+)?(?:\s*,\s*\d+(?:\s*[–-]\s*\d+)?)*)")
_DIGITS = "零一二三四五六七八九"
# what may stay in Latin letters on a Chinese page: rule ids (DB-1, NAT-DB-INCOME), the point of a trace
RULE_ID = re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b")
_CLAUSE = re.compile(r"[一二三四五六七八九十]+")
_ENGLISH = re.compile(r"[A-Za-z]{2,}")
OVERRIDE = "本次指定值"


@lru_cache(maxsize=1)
def documents() -> dict:
    return load_yaml(DATA)


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五, 105 → 一百零五 (article numbers)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else
                                 ("一" + chinese_number(rest) if rest < 20 else chinese_number(rest)))
    return _DIGITS[n // 100] + "百" + tail


def _articles(m: re.Match) -> str:
    parts = []
    for piece in re.split(r"\s*,\s*", m.group(1)):
        ends = re.split(r"\s*[–-]\s*", piece)
        parts.append("至".join(f"第{chinese_number(int(e))}条" for e in ends))
    return "、".join(parts)


def document_number(short: str) -> str:
    """The 文号 of a document cited by its short name (huining-2022 → 会民发〔2022〕63号)."""
    entry = documents().get("short", {}).get(short)
    return entry["number"] if entry else short


def _clean(text: str) -> str:
    """Document numbers for short names, Chinese article numbers, no English words left."""
    text = re.sub(r"^(NAT|national\.md)\s+", "", text.strip())
    text = _SHORT_NAME.sub(lambda m: document_number(m.group(1)), text)
    text = _ART.sub(_articles, text)
    text = text.replace("m²", "平方米")
    text = _LATIN_RUN.sub(lambda m: "" if re.search(r"[A-Za-z]{2,}", m.group(0)) else m.group(0), text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,;:，；：")


def cite(source: str, notes: bool = True) -> str:
    """A source as a Chinese page or notice cites it: "huining-2022 二(一)一.3 (the document leaves …)"
    → "会民发〔2022〕63号 二(一)一.3"; "NAT 民发〔2021〕57号 Art.12–13" → "民发〔2021〕57号 第十二条至第十三条".

    `notes`: keep the parenthesised quotations from the document (in Chinese), else the clause only.
    """
    source = str(source or "").strip()
    if not source:
        return ""
    if source.startswith("--set") or source in ("override", "overrides"):
        return OVERRIDE
    out_notes: list[str] = []

    def note(m: re.Match) -> str:
        inner = m.group(1).strip()
        if _CLAUSE.fullmatch(inner):  # 二(一)二.1: the document's own numbering, not a note
            return m.group(0)
        cf = re.match(r"cf\.\s*(.*)$", inner)
        if cf:
            out_notes.append("参照" + cite(cf.group(1), notes=False))
        elif notes:
            # a note in English (a remark of the data's authors) is left out; quotations stay
            kept = [_clean(seg) for seg in re.split(r"\s*[;；]\s*", inner) if not _ENGLISH.search(seg)]
            kept = [k for k in kept if _IS_CJK.search(k)]
            if kept:
                out_notes.append("；".join(kept))
        return ""

    main = _clean(re.sub(r"\s*[(（]([^()（）]*)[)）]", note, source))
    if not _IS_CJK.search(main):
        main = ""
    return zh_punct((main + "".join(f"（{n}）" for n in out_notes)).strip())


def cited_documents(sources: list[str]) -> list[str]:
    """The documents a list of sources cites, once each, as "文号《标题》" (for a notice's foot)."""
    docs = documents()
    seen: list[str] = []
    for s in sources:
        for short in _SHORT_NAME.findall(str(s)):
            entry = docs.get("short", {}).get(short)
            if entry:
                line = f"{entry['number']}《{entry['title']}》"
                if line not in seen:
                    seen.append(line)
        for number, title in docs.get("numbers", {}).items():
            if number in str(s):
                line = f"《{title}》" if number == title else f"{number}《{title}》"
                if line not in seen:
                    seen.append(line)
    return seen


def zh_punct(text: str) -> str:
    """Full-width punctuation in Chinese sentences: "(参数,默认无)" → "（参数，默认无）"; formulas
    "(700.00 − 400.00) × 3" and figures "1,000" keep their half-width signs."""
    text = str(text)
    while True:
        changed = _PAREN.sub(lambda m: f"（{m.group(1)}）" if _IS_CJK.search(m.group(1)) else f"\0{m.group(1)}\1",
                             text)
        if changed == text:
            break
        text = changed
    text = text.replace("\0", "(").replace("\1", ")")
    out = []
    for k, ch in enumerate(text):
        if ch in _HALF_TO_FULL:
            before = text[:k].rstrip()[-1:]
            after = text[k + 1:].lstrip()[:1]
            if _IS_CJK.match(before or " ") or _IS_CJK.match(after or " "):
                out.append(_HALF_TO_FULL[ch])
                continue
        out.append(ch)
    text = "".join(out)
    # no space beside full-width punctuation
    return re.sub(r"\s*([，；：！？（）])\s*", lambda m: m.group(1), text) if text else text


def zh_text(detail: str) -> str:
    """A trace sentence for a Chinese page: documents by number, full-width punctuation, ending with 。"""
    s = _SHORT_NAME.sub(lambda m: document_number(m.group(1)), str(detail or "").strip())
    s = zh_punct(s)
    if s and s[-1] not in "。；！？":
        s += "。"
    return s


def english_words(text: str) -> list[str]:
    """Latin words left in a Chinese text once rule ids are set aside (a test's and a reviewer's check)."""
    return re.findall(r"[A-Za-z]{2,}", RULE_ID.sub("", str(text)))


def for_citizen(detail: str) -> str:
    """A trace sentence for a citizen's notice: without the internal remarks (placeholder figures,
    parameters at their default), in full-width punctuation."""
    return zh_text(_INTERNAL.sub("", str(detail or "")))
