"""The command line's error messages in both languages: one table (issue 9: CLI errors follow the locale).

Every error a `doudi` command reports is written in English where it is raised (UsageError,
InputError); under a Chinese locale (``doudi.cli.chinese_locale``: LANG=zh_CN.UTF-8 …) the line is
said in Chinese from ``TABLE``. Each entry has both languages:

- a *message* (``MESSAGES``; its English may have ``{name}`` fields): a whole message of a command, matched whole;
  its fields (file names, flags, values, a nested message) are carried over, a nested English
  message said in Chinese in turn;
- a *phrase* (``PHRASES``, no fields): the words of argparse's and the policy core's messages, replaced inside a
  line that no message matches (longest first), so that names and values stay as they were.

tests/cli/test_cli_phrases.py checks that every entry has both languages with the same fields and
that every message a command module raises is found here.
"""

from __future__ import annotations

import re
from functools import lru_cache

# the whole messages of the commands (doudi/*/cli.py), tried in this order
MESSAGES: dict[str, dict[str, str]] = {
    "parameter_store": {"en": "--database: cannot read the parameter store ({detail}); is the database migrated "
                              "(doudi migrate)?",
                        "zh": "--database：无法读取参数库（{detail}）；数据库是否已迁移（doudi migrate）？"},
    "no_archive": {"en": "{archive}: no such backup archive", "zh": "{archive}：没有这个备份文件"},
    "restore_confirm": {"en": "restore replaces the whole database and the attachments: add --yes to confirm",
                        "zh": "恢复将替换整个数据库和全部附件：确认请加 --yes"},
    "unlock_what": {"en": "doudi unlock: give a USERNAME or --ip ADDRESS",
                    "zh": "doudi unlock：请给出用户名（USERNAME）或 --ip 地址"},
    "no_such_user": {"en": "--user {user}: no such user", "zh": "--user {user}：没有这个用户"},
    "county_code": {"en": "--county {county}: expected a 6-digit county code",
                    "zh": "--county {county}：应为6位县（区）代码"},
    "flag_date": {"en": "--date {value}: expected a date YYYY-MM-DD", "zh": "--date {value}：应为日期 YYYY-MM-DD"},
    "a_flag_date": {"en": "{flag} {value}: expected a date YYYY-MM-DD", "zh": "{flag} {value}：应为日期 YYYY-MM-DD"},
    "flag_message": {"en": "--county {county}: {message}", "zh": "--county {county}：{message}"},
    "as_needed": {"en": "--as: expected the user name of the person doing this (or set DOUDI_USER); the act is "
                        "recorded in the audit log under that name",
                  "zh": "--as：应为执行此操作的人员的用户名（或设置 DOUDI_USER）；该操作以此用户名记入审计日志"},
    "as_unknown": {"en": "--as {name}: no active user of that name", "zh": "--as {name}：没有该用户名的在用账户"},
    "as_refused": {"en": "--as {name}: {message}", "zh": "--as {name}：{message}"},
    "as_message": {"en": "--as: {message}", "zh": "--as：{message}"},
    "set_message": {"en": "--set: {message}", "zh": "--set：{message}"},
    "month": {"en": "--month {value}: expected a month YYYY-MM", "zh": "--month {value}：应为月份 YYYY-MM"},
    "cannot_write": {"en": "--out {path}: cannot write the file ({reason})", "zh": "--out {path}：无法写入文件（{reason}）"},
    "cannot_read": {"en": "{path}: cannot read the file ({reason})", "zh": "{path}：无法读取文件（{reason}）"},
    "area_needed": {"en": "--area: expected the area of the data (the user has {n} areas for this)",
                    "zh": "--area：应指明数据所属区域（该用户有 {n} 个可用区域）"},
    "kind": {"en": "KIND {kind}: expected one of {kinds}", "zh": "数据类别 {kind}：应为以下之一：{kinds}"},
    "problems": {"en": "{file}: {where}: {message} ({n} problems in all, nothing imported)",
                 "zh": "{file}：{where}：{message}（共 {n} 个问题，未导入任何数据）"},
    "errors": {"en": "{file}: {where}: {message} ({n} errors in all, nothing imported)",
               "zh": "{file}：{where}：{message}（共 {n} 个错误，未导入任何数据）"},
    "row_column": {"en": "row {row}, column {column}", "zh": "第 {row} 行「{column}」列"},
    "row": {"en": "row {row}", "zh": "第 {row} 行"},
    "expected_got": {"en": "{where}: expected {expected}, got {got}", "zh": "{where}：应为{expected}，收到 {got}"},
    "expected": {"en": "{where}: expected {expected}", "zh": "{where}：应为{expected}"},
    "file_field": {"en": "{file}: {field}: {message}", "zh": "{file}：{field}：{message}"},
    "file_message": {"en": "{file}: {message}", "zh": "{file}：{message}"},
}
# the words of argparse's and the policy core's messages (longest first)
PHRASES: dict[str, dict[str, str]] = {
    "required_arguments": {"en": "the following arguments are required", "zh": "缺少必需的参数"},
    "unrecognized": {"en": "unrecognized arguments", "zh": "无法识别的参数"},
    "invalid_choice": {"en": "invalid choice", "zh": "无效的选项"},
    "choose_from": {"en": "choose from", "zh": "可选"},
    "one_argument": {"en": "expected one argument", "zh": "应带一个值"},
    "read_file": {"en": "cannot read the file", "zh": "无法读取文件"},
    "no_file": {"en": "No such file or directory", "zh": "没有这个文件或目录"},
    "known_field": {"en": "a known field of the household document", "zh": "家庭文档中的已知字段"},
    "utf8_json": {"en": "a readable UTF-8 JSON file", "zh": "可读取的 UTF-8 JSON 文件"},
    "household_object": {"en": "a JSON object (the household document)", "zh": "JSON 对象（家庭文档）"},
    "json_object": {"en": "a JSON object", "zh": "JSON 对象"},
    "members_nonempty": {"en": "a non-empty list of members", "zh": "非空的成员列表"},
    "members_list": {"en": "a list of members", "zh": "成员列表"},
    "date_as": {"en": "a date as YYYY-MM-DD", "zh": "日期 YYYY-MM-DD"},
    "date": {"en": "a date YYYY-MM-DD", "zh": "日期 YYYY-MM-DD"},
    "whole_not_negative": {"en": "a whole number, not negative", "zh": "不为负数的整数"},
    "whole": {"en": "a whole number", "zh": "整数"},
    "not_negative": {"en": "not negative", "zh": "不为负数"},
    "population_file": {"en": "the population file to write (Parquet, or CSV by extension)",
                        "zh": "要写出的人口文件（Parquet，或按扩展名为 CSV）"},
    "policy_file": {"en": "a parameter file written by `doudi policy export`",
                    "zh": "由 `doudi policy export` 写出的参数文件"},
    "writable_path": {"en": "a writable output path", "zh": "可写入的输出路径"},
    "decimals_at_most": {"en": "a number with at most", "zh": "小数位不超过"},
    "decimals": {"en": "decimals", "zh": "位的数字"},
    "true_false": {"en": "true or false", "zh": "true 或 false"},
    "no_active_user": {"en": "no active user of that name", "zh": "没有该用户名的在用账户"},
    "problems_in_all": {"en": "problems in all", "zh": "个问题"},
    "errors_in_all": {"en": "errors in all", "zh": "个错误"},
    "nothing_imported": {"en": "nothing imported", "zh": "未导入任何数据"},
    "in_region": {"en": "in region", "zh": "（地区"},
    "name_value": {"en": "NAME=VALUE, for example", "zh": "名称=值，例如"},
    "word_invalid": {"en": "invalid", "zh": "无效"},
    "word_expected": {"en": "expected", "zh": "应为"},
    "word_one_of": {"en": "one of", "zh": "以下之一："},
    "word_at_most": {"en": "at most", "zh": "不大于"},
    "word_at_least": {"en": "at least", "zh": "不小于"},
    "word_from": {"en": " from ", "zh": "，自 "},
    "word_to": {"en": " to ", "zh": " 至 "},
    "word_got": {"en": "got", "zh": "收到"},
    "word_required": {"en": "required", "zh": "必填"},
    "internal_error": {"en": "internal error", "zh": "内部错误"},
}
TABLE: dict[str, dict[str, str]] = {**MESSAGES, **PHRASES}  # the one table: every key with both languages

_FIELD = re.compile(r"\{(\w+)\}")
# the fields that hold a nested message (said in Chinese in turn); every other field is a name or a value
NESTED = ("message", "where", "expected", "detail")
# the fields that hold one name or value (a file, a flag's value): no spaces, so that argparse's own
# sentences ("the following arguments are required: file") are not taken for "{file}: {message}"
NAMES = ("file", "path", "archive", "flag", "county", "name", "user", "value", "kind", "row", "n")
WORD, ANY = r"\S+?", r".+?"


def fields(template: str) -> list[str]:
    return _FIELD.findall(template)


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[tuple[str, re.Pattern, str]], list[tuple[str, str]]]:
    messages, phrases = [], []
    for key, entry in MESSAGES.items():
        parts = _FIELD.split(entry["en"])  # text, field, text, field, …
        pattern = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{WORD if p in NAMES else ANY})"
                          for i, p in enumerate(parts))
        messages.append((key, re.compile(pattern, re.S), entry["zh"]))
    phrases = [(e["en"], e["zh"]) for e in PHRASES.values()]
    phrases.sort(key=lambda p: -len(p[0]))
    return messages, phrases


def message_key(text: str) -> str | None:
    """The key of the message that the whole line is, or None (then only its phrases are said in Chinese)."""
    for key, pattern, _zh in _compiled()[0]:
        if pattern.fullmatch(text):
            return key
    return None


def in_chinese(text: str) -> str:
    """The line in Chinese: the message it is (its fields carried over, a nested message said in Chinese),
    else its phrases replaced; names and values as they were."""
    messages, phrases = _compiled()
    for _key, pattern, zh in messages:
        m = pattern.fullmatch(text)
        if m:
            return zh.format(**{k: in_chinese(v) if k in NESTED else v for k, v in m.groupdict().items()})
    for en, zh in phrases:
        text = text.replace(f", {en}", f"，{zh}").replace(en, zh)
    return text.replace(": ", "：")
