"""Make the half-width punctuation in the Chinese text of Python string literals full-width.

    python scripts/fullwidth_python.py [--check] FILE_OR_DIR ...

What counts is what tests/policy/test_fullwidth_python.py counts (its `marks`): an ASCII , ; : ! ?
beside a Chinese character or a full-width sign, and ASCII brackets around Chinese. The spaces
beside a mark that is changed go ("日期 (YYYY-MM-DD), 默认" → "日期（YYYY-MM-DD），默认"). Format
fields, f-string expressions, escapes, docstrings, raw strings (regular expressions) and the
strings that test allows are left as they are. Review the diff: a string that is compared with
data from outside (a file's header, a stored value) must not change, or must be matched either way.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("fullwidth_guard", ROOT / "tests" / "policy" / "test_fullwidth_python.py")
guard = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(guard)

OPAQUE = "\x01"  # an escape sequence: neither Chinese nor punctuation


def _cells(token: str, start: int) -> list[tuple[str, int | None]]:
    """(character, offset in the file of the character) of a string token's content; a format field
    or an escape is one cell FIELD/OPAQUE with no offset (it is never changed)."""
    k = 0
    while token[k] not in "'\"":
        k += 1
    prefix = token[:k].lower()
    quote = token[k:k + 3] if token[k:k + 3] in ('"""', "'''") else token[k]
    body_start, body_end = k + len(quote), len(token) - len(quote)
    cells: list[tuple[str, int | None]] = []
    i = body_start
    while i < body_end:
        ch = token[i]
        if ch == "\\" and "r" not in prefix:
            j = i + 2
            if token[i + 1:i + 2] == "N" and token[i + 2:i + 3] == "{":
                j = token.index("}", i) + 1
            cells.append((OPAQUE, None))
            i = j
            continue
        if "f" in prefix and ch in "{}":
            if token[i:i + 2] in ("{{", "}}"):
                cells.append((ch, None))
                i += 2
                continue
            depth, j, q = 0, i, ""
            while j < body_end:
                c = token[j]
                if q:
                    q = "" if c == q else q
                elif c in "'\"":
                    q = c
                elif c in "{[(":
                    depth += 1
                elif c in "}])":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            cells.append((guard.FIELD, None))
            i = j + 1
            continue
        cells.append((ch, start + i))
        i += 1
    return cells


def _mask_fields(cells: list[tuple[str, int | None]]) -> list[tuple[str, int | None]]:
    """The ``{x}`` and ``%(x)s`` fields of the text as one FIELD cell each (as the guard reads them)."""
    text = "".join(c for c, _o in cells)
    out, k = [], 0
    for m in guard._FIELDS.finditer(text):
        out += cells[k:m.start()] + [(guard.FIELD, None)]
        k = m.end()
    return out + cells[k:]


def _offsets(source: str) -> list[int]:
    starts, n = [0], 0
    for line in source.splitlines(keepends=True):
        n += len(line)
        starts.append(n)
    return starts


def fix_source(source: str, where: str = "") -> tuple[str, int]:
    """The source with its string literals' Chinese punctuation made full-width, and the number of strings changed."""
    tree = ast.parse(source)
    skip = guard._not_text(tree, source)
    line_start = _offsets(source)
    lines = source.splitlines(keepends=True)

    def pos(lineno: int, col_bytes: int) -> int:  # ast's columns count UTF-8 bytes
        return line_start[lineno - 1] + len(lines[lineno - 1].encode("utf-8")[:col_bytes].decode("utf-8"))

    tokens = [(line_start[t.start[0] - 1] + t.start[1], t.string)
              for t in tokenize.generate_tokens(io.StringIO(source).readline) if t.type == tokenize.STRING]
    edits: dict[int, str] = {}
    changed = 0
    for node in ast.walk(tree):
        if id(node) in skip or guard._text_of(node) is None:
            continue
        text = guard._text_of(node)
        if not guard.half_width(text):
            continue
        shown = node.value if isinstance(node, ast.Constant) else (ast.get_source_segment(source, node) or text)
        if where and guard._allowed(where, shown):
            continue
        n_start, n_end = pos(node.lineno, node.col_offset), pos(node.end_lineno, node.end_col_offset)
        cells: list[tuple[str, int | None]] = []
        for t_start, t_string in tokens:
            if n_start <= t_start < n_end:
                cells += _cells(t_string, t_start)
        if not cells:  # a string inside an f-string's expression: not a token of its own
            cells = _cells(source[n_start:n_end], n_start)
        cells = _mask_fields(cells)
        text = "".join(c for c, _o in cells)
        new, at = guard.full_width(text)
        if not at:
            continue
        changed += 1
        for k in at:
            edits[cells[k][1]] = new[k]
            for step in (-1, 1):  # the spaces beside a changed mark
                j = k + step
                while 0 <= j < len(cells) and cells[j][0] == " " and cells[j][1] is not None:
                    edits[cells[j][1]] = ""
                    j += step
    for sep in guard.joined_in_chinese(tree):
        if where and guard._allowed(where, f"{sep.value!r} in Chinese text"):
            continue
        start, end = pos(sep.lineno, sep.col_offset), pos(sep.end_lineno, sep.end_col_offset)
        quote = source[start]
        edits[start + 1] = guard.FULL[sep.value.strip()]
        for k in range(start + 2, end - 1):
            edits[k] = ""  # the spaces go with the full-width sign
        assert source[end - 1] == quote
        changed += 1
    out = list(source)
    for offset, ch in edits.items():
        out[offset] = ch
    return "".join(out), changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or [ROOT / "doudi"]
    files = [f for p in paths for f in (sorted(p.rglob("*.py")) if p.is_dir() else [p]) if "migrations" not in f.parts]
    total = 0
    for f in files:
        source = f.read_text(encoding="utf-8")
        where = str(f.resolve().relative_to(ROOT))
        new, n = fix_source(source, where)
        if n:
            total += n
            print(f"{where}: {n} strings")
            if not check:
                f.write_text(new, encoding="utf-8")
    print(f"{total} strings {'to change' if check else 'changed'}")
    return 1 if check and total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
