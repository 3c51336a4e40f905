"""Chinese text written in Python uses full-width punctuation (issue 9, "Smaller faults seen").

tests/web/test_fullwidth_punctuation.py guards the templates, the YAML catalogues and the forms;
this test guards every string literal of every .py file under doudi/ that holds a Chinese
character: state and deadline names, refusals, messages, notice and PDF texts, trace sentences,
the demo's lines, the Chinese side of the command line, Excel titles and headers.

A mark counts when it sits in Chinese text (a string with a Chinese character, not an English
sentence quoting Chinese words):

- an ASCII , ; : ! ? next to (spaces aside) a Chinese character or a full-width sign
  ("人数:3", "（备注）:"); a , or ; beside a format field ("{who},{why}"), a : between fields;
- an ASCII bracket pair whose content holds a Chinese or full-width character ("(已签署)",
  "(DB-1、DB-2)"), or that touches Chinese or a field with nothing but Latin letters, digits,
  fields and - _ . / , % inside ("低保(DB-1)", "日期 (YYYY-MM-DD)", "{name}({label})"); a bracket
  whose pair is in another string ("…处理(参数" + …);
- the ASCII separator of a join, or a string of ASCII punctuation only, added to Chinese text
  ("无劳动能力：" + ";".join(parts), "…能力（" + why + ")").

What is not Chinese text: format fields (``{x}``, ``{x:.2f}``, ``%(x)s`` and an f-string's
expressions, which count as neither Chinese nor punctuation), times and figures between digits
("12:00", "1,234.00"), URLs, formulas in brackets ("(700.00 − 400.00) × 3"), regular expressions
(a raw string, or the pattern of a ``re`` call), docstrings, strings with no Chinese character and
English text beside Chinese ("edge (低保边缘) households"). ALLOWED lists the strings that keep
their signs, each with its reason. scripts/fullwidth_python.py makes a file's marks full-width.
Counted when this test was written (issue 9): 2,009 marks in 976 strings, now none. No Django is needed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

DOUDI = Path(__file__).resolve().parents[2] / "doudi"

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Chinese characters, CJK signs (。、「」《》〔〕) and the full-width forms (，（）：)
WIDE = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
FIELD = "\0"  # stands for a format field or an f-string's expression
_FIELDS = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx%]|\{[^{}\n]*\}")
_PAIR = re.compile(r"\(([^()\n]*)\)")
_WIDE = re.compile(f"[{WIDE}]")
_PLAIN = re.compile(r"[A-Za-z0-9_.,%\-/ \0]*")  # a rule id, a code, a date pattern, a field
_OPERATOR = re.compile(r" [-+*/=<>] ")
_LATIN = re.compile(r"[A-Za-z]")
_ENGLISH = re.compile(r"[A-Za-z]{2,} +[A-Za-z]{2,}")  # two English words
_LATIN_ALL = re.compile(r"[A-Za-z]")
_RE_FUNCS = {"compile", "match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer"}


def _side(text: str, k: int, step: int) -> str:
    """The first character from index k on in direction step that is not a space ("" at an end)."""
    while 0 <= k < len(text) and text[k] == " ":
        k += step
    return text[k] if 0 <= k < len(text) else ""


def is_english(text: str) -> bool:
    """An English sentence that quotes Chinese words: more Latin letters than Chinese, two English words."""
    return bool(_ENGLISH.search(text)) and len(_LATIN_ALL.findall(text)) > len(HAN.findall(text))


def _mark_beside(text: str, k: int) -> bool:
    """Whether the , ; : ! ? at k is in Chinese text: beside a Chinese or full-width character, or
    (, ;) beside a format field, or (:) between a field and anything but a figure."""
    before, after = _side(text, k - 1, -1), _side(text, k + 1, 1)
    if _WIDE.fullmatch(before) or _WIDE.fullmatch(after):
        return True
    if FIELD not in (before, after):
        return False
    if text[k] in ",;":
        return True  # "{who},{why}"
    return text[k] == ":" and "://" not in text and not (before + after).replace(FIELD, "").isdigit()


def _pair_is_chinese(text: str, m: re.Match) -> bool:
    inner = m.group(1)
    before, after = _side(text, m.start() - 1, -1), _side(text, m.end(), 1)
    if _ENGLISH.search(inner) or (_LATIN.fullmatch(before) and _LATIN.fullmatch(after)):
        return False  # a Chinese word glossed in an English phrase: "edge (低保边缘) households"
    if _WIDE.search(inner):
        return True  # "(已签署)", "(DB-1、DB-2)"
    if not inner.strip() or not _PLAIN.fullmatch(inner) or _OPERATOR.search(inner):
        return False  # a formula "(700.00 − 400.00)", "({a} - {b})"
    # a rule id, code or field beside Chinese: "低保(DB-1)", "日期 (YYYY-MM-DD)", "{name}({label})"
    return bool(_WIDE.fullmatch(before) or _WIDE.fullmatch(after) or FIELD in (before, after))


def marks(text: str) -> list[int]:
    """Where `text` (format fields replaced by FIELD) has ASCII punctuation in Chinese text: the
    index of each such , ; : ! ?, of both brackets of each such pair (innermost pairs), and of a
    bracket without its pair beside Chinese (a sentence built from pieces: "…处理(参数" + …)."""
    if not HAN.search(text) or is_english(text):
        return []
    found = [k for k, ch in enumerate(text) if ch in ",;:!?" and _mark_beside(text, k)]
    for m in _PAIR.finditer(text):
        if _pair_is_chinese(text, m):
            found += [m.start(), m.end() - 1]
    paired = _balanced(text)
    found += [k for k, ch in enumerate(text) if ch in "()" and k not in paired
              and (_WIDE.fullmatch(_side(text, k - 1, -1)) or _WIDE.fullmatch(_side(text, k + 1, 1)))]
    return sorted(found)


def _balanced(text: str) -> set[int]:
    """The indexes of the brackets that have their pair in `text` (nested pairs included)."""
    out, stack = set(), []
    for k, ch in enumerate(text):
        if ch == "(":
            stack.append(k)
        elif ch == ")" and stack:
            out |= {stack.pop(), k}
    return out


def half_width(text: str) -> list[str]:
    """The ASCII punctuation of `text` (format fields replaced by FIELD) that sits in Chinese text."""
    return [text[k] for k in marks(text)]


FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def full_width(text: str) -> tuple[str, set[int]]:
    """`text` with the marks of `marks` made full-width, repeated until none is left (a pair around a
    converted pair counts next), and the indexes changed (for removing the spaces beside them)."""
    changed: set[int] = set()
    while True:
        found = marks(text)
        if not found:
            return text, changed
        chars = list(text)
        for k in found:
            chars[k] = FULL[chars[k]]
        text = "".join(chars)
        changed |= set(found)


def _text_of(node: ast.AST) -> str | None:
    """The text of a string constant or f-string, its format fields and expressions as FIELD."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _FIELDS.sub(FIELD, node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(_FIELDS.sub(FIELD, v.value) if isinstance(v, ast.Constant) else FIELD for v in node.values)
    return None


def _not_text(tree: ast.AST, source: str) -> set[int]:
    """ids of the string nodes that are no UI text: docstrings, regular expressions, f-string parts."""
    skip: set[int] = set()
    lines = [line.encode("utf-8") for line in source.splitlines()]
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, (ast.Constant, ast.JoinedStr)):
                skip.add(id(body[0].value))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))  # a bare string statement: a comment
        elif isinstance(node, ast.JoinedStr):
            for v in node.values:  # checked as parts of the whole f-string; the expressions' strings on their own
                skip.add(id(v))
                if isinstance(v, ast.FormattedValue) and v.format_spec is not None:
                    skip |= {id(x) for x in ast.walk(v.format_spec)}
        elif isinstance(node, ast.Call) and node.args:
            f = node.func
            if isinstance(f, ast.Attribute) and f.attr in _RE_FUNCS and isinstance(f.value, ast.Name) \
                    and f.value.id in ("re", "regex"):
                for part in ast.walk(node.args[0]):
                    skip.add(id(part))
        if isinstance(node, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(node, "value", ""), (str, list)):
            literal = lines[node.lineno - 1][node.col_offset:node.col_offset + 4].decode("utf-8", "replace")
            if re.match(r"[A-Za-z]*[rR][A-Za-z]*['\"]", literal):
                skip.add(id(node))  # a raw string: a regular expression
    return skip


_PUNCT_ONLY = re.compile(r" *[,;:()] *")
_SEPARATORS = frozenset({",", ", ", ";", "; ", ":", ": "})


def _chinese(node: ast.AST) -> bool:
    text = _text_of(node)
    return text is not None and bool(HAN.search(text)) and not is_english(text)


def _sum_parts(node: ast.AST) -> list[ast.AST]:
    """The operands of a chain of + ("甲：" + "、".join(x) + "；乙")."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _sum_parts(node.left) + _sum_parts(node.right)
    return [node]


def _separator(node: ast.AST) -> ast.Constant | None:
    """The separator of `SEP.join(...)` when it is ASCII punctuation."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join" \
            and isinstance(node.func.value, ast.Constant) and node.func.value.value in _SEPARATORS:
        return node.func.value
    return None


def joined_in_chinese(tree: ast.AST) -> list[ast.Constant]:
    """The ASCII separators of the joins that are part of a Chinese sentence: an operand of a +
    beside Chinese text, or an expression of a Chinese f-string ("无劳动能力：" + ";".join(parts));
    and a string of ASCII punctuation only added to Chinese text ("无履行义务能力（" + why + ")")."""
    found: dict[int, ast.Constant] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            parts = _sum_parts(node)
            if any(_chinese(p) for p in parts):
                found |= {id(c): c for c in map(_separator, parts) if c is not None}
                found |= {id(p): p for p in parts if isinstance(p, ast.Constant) and isinstance(p.value, str)
                          and p.value.strip() and _PUNCT_ONLY.fullmatch(p.value)}  # "…能力(" + why + ")"
        elif isinstance(node, ast.JoinedStr) and _chinese(node):
            found |= {id(c): c for v in node.values if isinstance(v, ast.FormattedValue)
                      for c in [_separator(v.value)] if c is not None}
    return list(found.values())


def hits(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, string, marks) of each string of a Python file with half-width punctuation in Chinese text."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    skip = _not_text(tree, source)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        text = _text_of(node)
        if text is None:
            continue
        found = half_width(text)
        if found:
            shown = node.value if isinstance(node, ast.Constant) else (ast.get_source_segment(source, node) or text)
            out.append((node.lineno, shown, found))
    for sep in joined_in_chinese(tree):
        out.append((sep.lineno, f"{sep.value!r} in Chinese text", [sep.value.strip()]))
    return sorted(out)


def all_hits() -> dict[str, list[tuple[int, str, list[str]]]]:
    """Every hit under doudi/ (migrations aside: they repeat the models' labels), by file."""
    found = {}
    for path in sorted(DOUDI.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        h = hits(path)
        if h:
            found[str(path.relative_to(DOUDI.parent))] = h
    return found


def _allowed(where: str, text: str) -> bool:
    return any(where == f and part in text for (f, part) in ALLOWED)


def test_the_detector_finds_half_width_in_chinese_text_only():
    F = FIELD
    assert half_width("家庭签字:是,核对授权书(已签署)") == [":", ",", "(", ")"]
    assert half_width(f"第 {F} 行:{F}") == [":"]
    assert half_width("（备注）:见附件") == [":"]
    assert half_width("低保(DB-1、DB-2),按户施保") == ["(", ")", ","]
    assert half_width("按此日期运行 (YYYY-MM-DD)") == ["(", ")"]
    assert half_width(f"共 {F} 件(编号 {F})") == ["(", ")"]
    assert half_width("PR-5 (gansu-2017 二(四))") == ["(", ")"]  # the outer pair counts once the inner is done
    assert full_width("PR-5 (gansu-2017 二(四))")[0] == "PR-5 （gansu-2017 二（四））"
    # not Chinese text: figures, times, formulas, fields, URLs, English
    assert half_width("(700.00 − 400.00) × 3 = 900.00 元,1,234.00") == [","]
    assert half_width(f"差额 (700.00 − 400.00) × {F} 元") == []
    assert half_width("于 12:00 前,见 https://example.org/a 说明") == [","]
    assert half_width(f"{F}:{F},{F}({F})共") == [":", ",", "(", ")"]  # fields in Chinese text are Chinese
    assert half_width(f"见 http://{F}:{F}/ 说明,于 {F}:30 前") == [","]
    assert half_width("edge (低保边缘) households, urban") == []
    assert half_width("doudi (兜底): social assistance rules and casework") == []
    assert half_width("no Chinese: (here), at all!") == []
    assert half_width("家庭签字：是，核对授权书（已签署）") == []


def test_format_fields_regular_expressions_and_docstrings_are_not_text(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('"""模块说明:不是界面文字."""\n'
                    'import re\n'
                    'A = re.compile("(\\\\d+)年")\n'
                    'B = r"[(（]备注[)）]"\n'
                    'C = "%(n)s 户,%(m)s 人" % {"n": 1, "m": 2}\n'
                    'D = "{a:.2f} 元,{b}"\n'
                    'E = f"{x:>{w}} 元,{y!r}(共{n}人)"\n', encoding="utf-8")
    assert [(line, marks) for line, _s, marks in hits(path)] == [(5, [","]), (6, [","]), (7, [",", "(", ")"])]


def test_the_fixer_makes_the_marks_full_width_and_leaves_fields_and_spaces_of_formulas():
    """scripts/fullwidth_python.py, the tool that made doudi's strings full-width (and may again)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fixer", DOUDI.parent / "scripts" / "fullwidth_python.py")
    fixer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fixer)
    source = ('A = f"第 {i} 行: {msg!r}(共 {n:,} 人),差额 (700 − 400) × 3"\n'
              'B = "无劳动能力: " + ";".join(parts) + "(外)"\n'
              'C = "%(n)s 户, 见 https://x.org/a:b"\n')
    fixed, n = fixer.fix_source(source)
    assert fixed == ('A = f"第 {i} 行：{msg!r}（共 {n:,} 人），差额 (700 − 400) × 3"\n'
                     'B = "无劳动能力：" + "；".join(parts) + "（外）"\n'
                     'C = "%(n)s 户，见 https://x.org/a:b"\n')
    assert n == 5 and fixer.fix_source(fixed) == (fixed, 0)


def test_no_chinese_text_in_python_has_half_width_punctuation():
    bad = []
    for where, found in all_hits().items():
        for line, text, marks in found:
            if not _allowed(where, text):
                bad.append(f"{where}:{line}: {text!r} {marks}")
    print("\n".join(bad))
    assert bad == [], f"{len(bad)} strings with half-width punctuation in Chinese text (listed above)"


def test_every_allowed_string_is_still_there():
    texts = {(where, text) for where, found in all_hits().items() for _line, text, _m in found}
    assert [a for a in ALLOWED if not any(w == a[0] and a[1] in t for w, t in texts)] == []


# Strings that keep their half-width signs, with the reason (file, a part of the string).
ALLOWED: dict[tuple[str, str], str] = {
    ("doudi/payments/demo.py", "序号,账号,户名,金额,结果,原因"):
        "the demo's bank result file (回盘): CSV, its commas separate the columns",
    ("doudi/payments/demo.py", "合计,{n}"): "the same file's trailer line, CSV",
    ("doudi/payments/bankfile.py", "合计,笔数,金额"): "quotes the trailer line of a result file as the bank writes it (CSV)",
    ("doudi/programs/demo.py", "结算单号,身份证号,姓名"): "the demo's hospital settlement file: CSV",
    ("doudi/params/services.py", '[{"above": 0'): "a JSON example of the value to type",
    ("doudi/registry/api.py", '{"assets":'): "a JSON example of the field",
    ("doudi/registry/api.py", '{"12":'): "a JSON example of the field",
    ("doudi/policy/catalogue.py", "(cf. {sources[0]})"):
        "a rule's source in the decision JSON, in the policy data's notation (interfaces.md; wording.cite reads it)",
}


if __name__ == "__main__":
    total = 0
    for f, hs in all_hits().items():
        for line, s, found in hs:
            if not _allowed(f, s):
                total += len(found)
                print(f"{f}:{line}: {s!r}  {found}")
    print("marks:", total)
