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
from typing import Any

from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data" / "documents.yaml"

# The remarks rules add to a trace sentence; `for_citizen` removes them by these shapes.
PLACEHOLDER_NOTE = "（占位值，待本地公布标准替换）"


def unset_note(label: str) -> str:
    """The remark that a parameter is at its default "none" (rules.md: no deduction, no cap …)."""
    return f"（参数「{label}」默认无）"


_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_IS_CJK = re.compile(f"[{_CJK}]")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_PAREN = re.compile(r"\(([^()]*)\)")
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
    return zh_text(_drop_internal(str(detail or "")))


def _drop_internal(text: str) -> str:
    """Remove each bracketed remark (nested brackets included) that marks a placeholder figure or a
    parameter left at its default: "(占位值,…)", "(参数「人均金融资产限额（…）」默认无)"."""
    out, k = [], 0
    while k < len(text):
        if text[k] in "(（":
            depth, j = 0, k
            while j < len(text):
                depth += text[j] in "(（"
                depth -= text[j] in ")）"
                if depth == 0:
                    break
                j += 1
            inner = text[k + 1:j]
            if j < len(text) and ("占位" in inner or (inner.startswith("参数") and "默认无" in inner)):
                while out and out[-1] == " ":
                    out.pop()
                k = j + 1
                continue
        out.append(text[k])
        k += 1
    return "".join(out)


# Words of list and text values in the policy data (income kinds, groups, combine modes).
VALUE_WORDS = {
    "wages": "工资性收入", "business": "经营净收入", "property": "财产净收入", "transfer": "转移净收入",
    "other": "其他收入", "pension_basic": "城乡居民基本养老保险基础养老金", "special_care": "优待抚恤金",
    "family_planning": "计划生育奖励与扶助金", "scholarship": "奖学金", "heroism_award": "见义勇为等奖励性补助",
    "assistance": "政府发放的社会救助资金和物资", "dibao": "低保家庭子女", "orphan": "孤儿",
    "needy_student": "家庭经济困难学生", "max": "取最高一项", "sum": "各项累加",
}
LEVEL_WORDS = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "override": "本次指定"}


def _number(v: Any) -> str:
    from decimal import Decimal

    d = Decimal(str(v))
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def value_words(name: str, value: Any) -> str:
    """A parameter's value in Chinese with its unit: 700.00 元/人·月, 20%, 1.3 倍低保标准, 是/否,
    the income kinds by name; "无" for none. Unknown names give the value as it is."""
    from decimal import Decimal

    from doudi.policy.params import default_policy

    d = default_policy().defs.get(name)
    if value is None or value == "" or (isinstance(value, str) and value.lower() in ("none", "null")):
        return "无"
    if isinstance(value, bool) or (d is not None and d.type == "flag"):
        return "是" if str(value).lower() in ("true", "1", "yes") else "否"
    unit = d.unit_label if d is not None else ""
    kind = d.type if d is not None else ""
    if kind == "tiers" and isinstance(value, (list, tuple)):
        parts = []
        for t in value:
            above, share = (t.get("above"), t.get("ratio")) if isinstance(t, dict) else t
            parts.append(f"超过 {_number(above)} 元的部分扣减 {_number(Decimal(str(share)) * 100)}%")
        return "；".join(parts) or "无"
    if isinstance(value, (list, tuple)):
        if value and all(isinstance(x, int) or str(x).isdigit() for x in value):
            return "至".join(str(x) for x in value) + (f" {unit}" if unit else "")
        return "、".join(VALUE_WORDS.get(str(x), str(x)) for x in value)
    if kind == "text":
        return VALUE_WORDS.get(str(value), str(value))
    if kind == "ratio" and "倍" not in unit:
        return f"{_number(Decimal(str(value)) * 100)}%"
    return f"{value} {unit}".strip()


def cite_rules(text: str, documents: tuple[str, ...] | list[str] = ()) -> str:
    """A sentence for a citizen with each rule id replaced by the clause it cites for a region whose
    documents are `documents`: "…罚款 1500.00 元(NAT-DB-FRAUD)" → "…罚款 1500.00 元（国务院令第649号 第六十八条）"."""
    from doudi.policy.catalogue import catalogue, rule_source

    def clause(rule: str) -> str:
        return cite(rule_source(rule, tuple(documents)), notes=False) if rule in catalogue() else rule

    def group(m: re.Match) -> str:  # "TK-1、TK-2": two rules of one clause cite it once
        cited: list[str] = []
        for rule in RULE_ID.findall(m.group(0)):
            c = clause(rule)
            if c not in cited:
                cited.append(c)
        return "、".join(cited)

    return zh_punct(re.sub(f"{RULE_ID.pattern}(?:[、,]\\s*{RULE_ID.pattern})*", group, str(text or "")))
