"""issue 9: the command-line errors follow the locale (LANG=zh_CN.UTF-8 → Chinese), still exit status 2
and one line on stderr (interfaces.md); the text output's program headline names each non-zero part."""

from __future__ import annotations

import json
import os
import subprocess

from test_assess_cli import BASE, DOUDI


def run(*args: str, lang: str, tmp_path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    env["LANG"] = lang
    return subprocess.run([DOUDI, *args], capture_output=True, text=True, cwd=tmp_path, timeout=60, env=env)


def test_a_bad_field_is_told_in_chinese_under_a_chinese_locale_and_in_english_otherwise(tmp_path):
    doc = {**BASE, "members": [{**BASE["members"][0], "age": 3}]}
    (tmp_path / "h.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    zh = run("assess", "h.json", lang="zh_CN.UTF-8", tmp_path=tmp_path)
    assert zh.returncode == 2 and len(zh.stderr.splitlines()) == 1 and "Traceback" not in zh.stderr
    assert zh.stderr.startswith("doudi：h.json：members[0].age：应为") and "收到 'age'" in zh.stderr
    en = run("assess", "h.json", lang="C.UTF-8", tmp_path=tmp_path)
    assert en.returncode == 2 and en.stderr.startswith("doudi: h.json: members[0].age: expected")


def test_a_usage_error_is_told_in_chinese_under_a_chinese_locale(tmp_path):
    zh = run("assess", lang="zh_CN.UTF-8", tmp_path=tmp_path)
    assert zh.returncode == 2 and len(zh.stderr.splitlines()) == 1
    assert "参数错误：缺少必需的参数" in zh.stderr and "--help" in zh.stderr


def test_the_text_headline_of_a_one_off_grant_names_the_one_off_part(tmp_path):
    """ED-2 (Wuhai): a new bachelor student of a 低保 family gets 40000.00 once and nothing yearly, so the
    headline says 「一次性 40000.00 元」, not 「每年 0.00 元」 (tests/policy/test_education.py's household)."""
    doc = {"region": "150300", "residence": "urban", "date": "2023-09-01", "legal_supporters": "able",
           "members": [{"name": "家长", "relation": "self", "birth_date": "1975-03-01", "work_ability": "full",
                        "monthly_income": {"wages": 0}},
                       {"name": "学生", "relation": "child", "birth_date": "2005-01-01",
                        "school": {"stage": "bachelor", "boarding": False, "new_entrant": True}}]}
    (tmp_path / "e.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = run("assess", "e.json", "--format", "text", "--set", "dibao.standard.urban=700.00", lang="C.UTF-8",
              tmp_path=tmp_path)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("【教育救助】"))
    assert "一次性 40000.00 元" in line and "每年 0.00 元" not in line
