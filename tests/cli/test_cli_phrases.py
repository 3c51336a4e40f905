"""issue 9: the command line's errors follow the locale, from one table with both languages
(doudi/cli_phrases.py): every entry has its English and its Chinese with the same fields; every
message a command module raises is a message of the table; under LANG=zh_CN.UTF-8 the line is
Chinese, otherwise English (exit status 2, one line)."""

from __future__ import annotations

import ast
import os
import re
import subprocess
from pathlib import Path

from test_assess_cli import DOUDI

from doudi.cli_phrases import TABLE, fields, in_chinese, message_key
from doudi.policy.errors import InputError

ROOT = Path(__file__).resolve().parents[2] / "doudi"
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
# what may stay in Latin letters in a Chinese line: flags, file formats, placeholders of a format, commands
LATIN_ALLOWED = re.compile(r"--[a-z][a-z-]*|\b(?:doudi|migrate|unlock|Parquet|true|false|[A-Z][A-Z0-9_]+)\b")


def _english_words(text: str) -> list[str]:
    text = re.sub(r"\b[a-z_]+(?:\.[a-z_]+)+\b|`[^`]*`", "", text)  # a parameter name, a quoted command
    return re.findall(r"[A-Za-z]{2,}", LATIN_ALLOWED.sub("", text))


def test_every_entry_has_both_languages_with_the_same_fields():
    assert len(TABLE) > 40
    for key, entry in TABLE.items():
        assert set(entry) == {"en", "zh"}, key
        en, zh = entry["en"], entry["zh"]
        assert en.strip() and zh.strip(), key
        assert CJK.search(zh) or key in ("true_false",), key  # every Chinese side is Chinese
        assert sorted(fields(en)) == sorted(fields(zh)), key
        assert len(set(fields(en))) == len(fields(en)), key  # a field once: the message can be matched
        assert _english_words(re.sub(r"\{\w+\}", "", zh)) == [], (key, zh)
        assert not CJK.search(en), key


def _raised_messages() -> list[tuple[str, str]]:
    """Every message a command module raises with literal text: (where, the message with its fields as v1, v2 …)."""
    out = []
    for path in [ROOT / "cli.py", *sorted(ROOT.glob("*/cli.py"))]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
                    and isinstance(node.exc.func, ast.Name) and node.exc.func.id in ("UsageError", "InputError")):
                continue
            args = [_sample(a) for a in node.exc.args]
            if not args or None in args[:2]:
                continue  # a message passed on from elsewhere (str(exc)): said by its own service
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            text = args[0] if node.exc.func.id == "UsageError" else InputError(*args[:3]).message()
            out.append((where, text))
    return out


def _sample(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        n = 0
        parts = []
        for v in node.values:
            if isinstance(v, ast.Constant):
                parts.append(v.value)
            else:
                n += 1
                parts.append(f"v{n}")
        return "".join(parts)
    if isinstance(node, ast.Name):
        return "v0"
    return None


def test_every_message_a_command_raises_is_in_the_table_and_said_in_chinese():
    raised = _raised_messages()
    assert len(raised) >= 25
    for where, text in raised:
        assert not CJK.search(text), (where, text)  # written in English where it is raised
        assert message_key(text) is not None, (where, text)
        zh = in_chinese(text)
        assert CJK.search(zh) and _english_words(re.sub(r"\bv\d\b", "", zh)) == [], (where, text, zh)


def test_nested_fields_are_said_in_chinese_and_names_stay():
    line = "h.json: row 3, column 姓名: 应为日期 (2 problems in all, nothing imported)"
    assert in_chinese(line) == "h.json：第 3 行「姓名」列：应为日期（共 2 个问题，未导入任何数据）"
    # a file name with an English word in it is a name: carried over as it is
    assert in_chinese("required-expected.csv: cannot read the file (Permission denied)") == \
        "required-expected.csv：无法读取文件（Permission denied）"


def _run(*args: str, lang: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    return subprocess.run([DOUDI, *args], capture_output=True, text=True, cwd=tmp_path, timeout=120, env=env)


def test_a_commands_error_follows_the_locale(tmp_path):
    zh = _run("monitor", "scan", "--county", "6204", lang="zh_CN.UTF-8", tmp_path=tmp_path)
    assert zh.returncode == 2 and zh.stderr == "doudi：--county 6204：应为6位县（区）代码\n"
    en = _run("monitor", "scan", "--county", "6204", lang="C.UTF-8", tmp_path=tmp_path)
    assert en.returncode == 2 and en.stderr == "doudi: --county 6204: expected a 6-digit county code\n"
    zh = _run("monitor", "scan", "--date", "2026-13-01", lang="zh_CN.UTF-8", tmp_path=tmp_path)
    assert zh.returncode == 2 and zh.stderr == "doudi：--date 2026-13-01：应为日期 YYYY-MM-DD\n"
