"""The installed `doudi` command: bad input is refused with exit status 2 and one line on stderr
naming the file, the field and what was expected (interfaces.md), never a traceback.

Runs .venv/bin/doudi (the console script of the project's install) as a subprocess.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

DOUDI = str(Path(sys.executable).with_name("doudi"))
if not Path(DOUDI).exists():  # pragma: no cover - a venv always has it beside python
    DOUDI = shutil.which("doudi") or DOUDI

# 62042219800101001?: 6·7+2·9+0·10+4·5+2·8+2·4 = 104; 1·2+9·1+8·6+0·3 = 59; 0·7+1·9+0·10+1·5 = 14;
# 0·8+0·4+1·2 = 2; 104+59+14+2 = 179; 179 mod 11 = 3 -> "10X98765432"[3] = "9"
ID_1980_MAN = "620422198001010019"

BASE: dict[str, Any] = {
    "region": "620422",
    "residence": "urban",
    "date": "2023-06-01",
    "members": [
        {"id_number": ID_1980_MAN, "name": "张某", "relation": "self", "monthly_income": {"wages": 300}},
        {"relation": "spouse", "birth_date": "1982-03-04", "sex": "F"},
    ],
}


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DOUDI, *args], input=stdin, capture_output=True, text=True, cwd=cwd, timeout=60)


def write(tmp_path: Path, doc: Any, name: str = "household.json") -> Path:
    path = tmp_path / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def doc_with(**changes: Any) -> dict[str, Any]:
    """BASE with dotted paths set ("members.0.sex": "F"); a value of DELETE removes the key."""
    doc = copy.deepcopy(BASE)
    for dotted, value in changes.items():
        parts = dotted.split("__")
        node: Any = doc
        for part in parts[:-1]:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        last = parts[-1]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return doc


DELETE = object()


def assert_refused(proc: subprocess.CompletedProcess[str], file: str, field: str, expected: str) -> str:
    """Exit 2, one line on stderr: `doudi: FILE: FIELD: expected …`, no traceback."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith(f"doudi: {file}: {field}: expected "), line
    assert expected in line, line
    assert proc.stdout == ""
    return line


# (case id, document, extra arguments, field named, words of the expectation)
BAD_DOCUMENTS = [
    ("missing_region", doc_with(region=DELETE), [], "region", "(required)"),
    ("missing_residence", doc_with(residence=DELETE), [], "residence", "(required)"),
    ("missing_members", doc_with(members=DELETE), [], "members", "required"),
    ("empty_members", doc_with(members=[]), [], "members", "non-empty list"),
    ("unknown_residence_word", doc_with(residence="city"), [], "residence", "one of urban, rural"),
    ("unknown_relation_word", doc_with(members__0__relation="cousin"), [], "members[0].relation", "one of self, spouse"),
    ("unknown_disability_kind", doc_with(members__1__disability={"kind": "bad", "grade": 2}), [],
     "members[1].disability.kind", "one of physical"),
    ("unknown_hardship_kind", doc_with(hardship={"kind": "flood", "months": 2}), [], "hardship.kind", "one of general"),
    # 62042219800101001X: the check character of the first 17 digits is 9 (see ID_1980_MAN)
    ("wrong_id_checksum", doc_with(members__0__id_number="62042219800101001X"), [], "members[0].id_number",
     "check character"),
    ("birth_date_contradicts_id", doc_with(members__0__birth_date="1980-01-02"), [], "members[0].birth_date",
     "the birth date in the ID number (1980-01-01)"),
    ("sex_contradicts_id", doc_with(members__0__sex="F"), [], "members[0].sex", "the sex in the ID number (M)"),
    ("unknown_region", doc_with(region="620499"), [], "region", "exists in GB/T 2260"),
    ("malformed_region", doc_with(region="62-04"), [], "region", "6 digits"),
    ("unknown_village", doc_with(region="620422100999"), [], "region", "exists in GB/T 2260"),
    ("negative_amount", doc_with(members__0__monthly_income={"wages": -1}), [], "members[0].monthly_income.wages",
     "not negative"),
    ("non_numeric_amount", doc_with(assets={"financial": "lots"}), [], "assets.financial", "an amount in yuan"),
    ("boolean_amount", doc_with(members__0__monthly_income={"wages": True}), [], "members[0].monthly_income.wages",
     "an amount in yuan"),
    ("three_decimals_as_string", doc_with(members__0__monthly_income={"wages": "1200.001"}), [],
     "members[0].monthly_income.wages", "at most 2 decimals"),
    ("three_decimals_as_number", doc_with(spending_12m={"medical": 10.125}), [], "spending_12m.medical",
     "at most 2 decimals"),
    ("disability_grade_5", doc_with(members__1__disability={"kind": "physical", "grade": 5}), [],
     "members[1].disability.grade", "from 1 to 4"),
    ("disability_grade_0", doc_with(members__1__disability={"kind": "physical", "grade": 0}), [],
     "members[1].disability.grade", "from 1 to 4"),
    ("negative_months", doc_with(hardship={"kind": "general", "months": -2}), [], "hardship.months", "not negative"),
    ("negative_people", doc_with(hardship={"kind": "general", "people": -1}), [], "hardship.people", "not negative"),
    ("fractional_people", doc_with(hardship={"kind": "general", "people": 1.5}), [], "hardship.people", "whole number"),
    ("unknown_override_name", doc_with(overrides={"dibao.no_such": "1"}), [], "overrides.dibao.no_such",
     "a parameter name"),
    ("malformed_override_value", doc_with(overrides={"dibao.standard.urban": "abc"}), [],
     "overrides.dibao.standard.urban", "an amount in yuan"),
    ("override_with_three_decimals", doc_with(overrides={"dibao.standard.urban": "700.001"}), [],
     "overrides.dibao.standard.urban", "at most 2 decimals"),
    ("overrides_not_an_object", doc_with(overrides=["dibao.standard.urban"]), [], "overrides", "an object"),
    ("unknown_set_name", BASE, ["--set", "dibao.no_such=1"], "--set dibao.no_such", "a parameter name"),
    ("malformed_set_value", BASE, ["--set", "dibao.standard.urban=abc"], "--set dibao.standard.urban",
     "an amount in yuan"),
    ("set_without_equals", BASE, ["--set", "dibao.standard.urban"], "--set dibao.standard.urban", "NAME=VALUE"),
    ("set_below_a_regions_floor", doc_with(region="150302"), ["--set", "dibao.supplement.disabled=0.01"],
     "--set dibao.supplement.disabled", "at least 0.05"),
    ("unknown_top_level_field", doc_with(colour="red"), [], "colour", "a known field"),
    ("unknown_member_field", doc_with(members__0__colour="red"), [], "members[0].colour", "a known field"),
    ("unknown_nested_field", doc_with(members__0__monthly_income={"salary": 100}), [],
     "members[0].monthly_income.salary", "one of the fields wages"),
    ("unknown_household_nested_field", doc_with(assets={"gold": 1}), [], "assets.gold", "one of the fields financial"),
    ("object_field_given_a_number", doc_with(assets=5), [], "assets", "an object with the fields"),
    ("member_not_an_object", doc_with(members=[5]), [], "members[0]", "a JSON object"),
    ("document_not_an_object", [BASE], [], "$", "a JSON object"),
    ("impossible_date", doc_with(date="2023-02-30"), [], "date", "YYYY-MM-DD"),
    ("date_out_of_range", doc_with(date="1700-01-01"), [], "date", "from 1880-01-01 to 2199-12-31"),
    ("birth_date_not_a_string", doc_with(members__1__birth_date=19820304), [], "members[1].birth_date", "YYYY-MM-DD"),
    ("flag_given_a_word", doc_with(members__0__orphan="yes"), [], "members[0].orphan", "true or false"),
    ("absurd_amount", doc_with(members__0__monthly_income={"wages": 1e100}), [], "members[0].monthly_income.wages",
     "at most"),
    ("patient_not_a_member", doc_with(medical_bill={"in_policy_out_of_pocket": 100, "patient": 2}), [],
     "medical_bill.patient", "the index of a member, from 0 to 1"),
    ("bad_date_option", BASE, ["--date", "2023-13-01"], "--date", "YYYY-MM-DD"),
    ("bad_region_option", BASE, ["--region", "999999"], "--region", "GB/T 2260"),
]


@pytest.mark.parametrize(("doc", "args", "field", "expected"), [c[1:] for c in BAD_DOCUMENTS],
                         ids=[c[0] for c in BAD_DOCUMENTS])
def test_bad_input_exits_2_with_one_line_naming_file_field_and_expectation(
        tmp_path: Path, doc: Any, args: list[str], field: str, expected: str) -> None:
    path = write(tmp_path, doc)
    assert_refused(run("assess", path.name, *args, cwd=tmp_path), path.name, field, expected)


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, '{"region": "620422",\n  "residence": }')
    line = assert_refused(run("assess", path.name, cwd=tmp_path), path.name, "line 2 column 16", "valid JSON")
    assert "Traceback" not in line


def test_a_wrong_checksum_does_not_print_the_whole_id_number(tmp_path: Path) -> None:
    path = write(tmp_path, doc_with(members__0__id_number="62042219800101001X"))
    line = run("assess", path.name, cwd=tmp_path).stderr
    assert "62042219800101001X" not in line and "620422********001X" in line


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, '{"region": ' + "9" * 5000 + "}", "", "\ufeff{}"])
def test_pathological_json_is_bad_input_not_a_crash(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, text)
    proc = run("assess", path.name, cwd=tmp_path)
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(f"doudi: {path.name}: ")


def test_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    assert_refused(run("assess", "nowhere.json", cwd=tmp_path), "nowhere.json", "$", "a readable UTF-8 JSON file")


def test_a_file_that_is_not_utf8_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "latin.json").write_bytes(b'{"region": "\xe9"}')
    assert_refused(run("assess", "latin.json", cwd=tmp_path), "latin.json", "$", "UTF-8")


def test_bad_input_on_stdin_is_named_stdin() -> None:
    assert_refused(run("assess", "-", stdin="{oops"), "<stdin>", "line 1 column 2", "valid JSON")


def test_a_missing_argument_is_one_line_with_status_2() -> None:
    proc = run("assess")
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1
    assert "required: file" in proc.stderr


# --- the happy path -------------------------------------------------------------------------

def test_assess_prints_the_decision_json(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    proc = run("assess", path.name, "--format", "json", "--set", "dibao.standard.urban=700.00", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    d = json.loads(proc.stdout)
    assert (d["region"], d["date"]) == ("620422", "2023-06-01")
    assert [x["level"] for x in d["policy"]][0] == "national"
    # counted income 300.00 (wages of the first member); 2 members: 300.00 / 2 = 150.00 per person
    assert d["household"] == {"members": 2, "counted_monthly_income": "300.00", "per_capita_income": "150.00"}
    dibao = d["programs"]["dibao"]
    # DB-1: 150.00 < 700.00 -> eligible; DB-2: (700.00 - 150.00) × 2 = 1100.00
    assert dibao["eligible"] is True
    assert dibao["amount"] == "1100.00" and dibao["period"] == "month"
    assert "DB-1" in {s["rule"] for s in dibao["trace"]}


def test_assess_reads_standard_input_with_a_dash() -> None:
    proc = run("assess", "-", "--format", "json", "--set", "dibao.standard.urban=700.00",
               stdin=json.dumps(BASE, ensure_ascii=False))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["programs"]["dibao"]["amount"] == "1100.00"  # as above


def test_assess_text_explains_in_chinese(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    proc = run("assess", path.name, "--format", "text", "--set", "dibao.standard.urban=700.00", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "【最低生活保障（低保）】符合" in proc.stdout
    assert "1100.00 元" in proc.stdout  # (700.00 - 150.00) × 2
    assert "DB-1" in proc.stdout and "会宁县" in proc.stdout


def test_the_documents_overrides_apply_and_set_wins_over_them(tmp_path: Path) -> None:
    path = write(tmp_path, doc_with(overrides={"dibao.standard.urban": "600.00"}))
    proc = run("assess", path.name, "--format", "json", cwd=tmp_path)
    assert json.loads(proc.stdout)["programs"]["dibao"]["amount"] == "900.00"  # (600.00 - 150.00) × 2
    proc = run("assess", path.name, "--format", "json", "--set", "dibao.standard.urban=500.00", cwd=tmp_path)
    assert json.loads(proc.stdout)["programs"]["dibao"]["amount"] == "700.00"  # (500.00 - 150.00) × 2


def test_a_village_code_is_accepted_as_the_region(tmp_path: Path) -> None:
    path = write(tmp_path, doc_with(region="620422100001"))
    proc = run("assess", path.name, "--format", "json", "--set", "dibao.standard.urban=700.00", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["programs"]["dibao"]["amount"] == "1100.00"  # as in Huining


def test_a_huining_id_number_of_someone_born_before_1985_is_accepted(tmp_path: Path) -> None:
    # 62042219700101001?: 104 + (1·2+9·1+7·6+0·3 = 53) + 14 + 2 = 173; 173 mod 11 = 8 -> "4"
    path = write(tmp_path, doc_with(members__0__id_number="620422197001010014"))
    assert run("assess", path.name, cwd=tmp_path).returncode == 0


# --- doudi policy show ----------------------------------------------------------------------

def show(region: str, *args: str) -> dict[str, Any]:
    proc = run("policy", "show", region, "--date", "2023-06-01", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def param(d: dict[str, Any], name: str) -> dict[str, Any]:
    return next(p for p in d["parameters"] if p["name"] == name)


@pytest.mark.parametrize(("region", "levels", "urban_from"), [
    ("620000", ["national", "620000"], "620000"),
    ("620400", ["national", "620000", "620400"], "620000"),  # Baiyin restates nothing: Gansu's
    ("620422", ["national", "620000", "620400", "620422"], "620422"),  # huining-2022 sets the urban standard
    ("150000", ["national", "150000"], "150000"),
    ("150200", ["national", "150000", "150200"], "150200"),
    ("150300", ["national", "150000", "150300"], "150300"),
    ("620421", ["national", "620000", "620400"], "620000"),  # 靖远县: a non-seed county of Baiyin
    ("150303", ["national", "150000", "150300"], "150300"),  # 海南区 of Wuhai inherits the city's
    ("110101", ["national"], "national"),  # Beijing: no local data
    ("440305", ["national"], "national"),  # Shenzhen Nanshan: no local data
])
def test_policy_show_lists_every_parameter_with_the_level_it_comes_from(
        region: str, levels: list[str], urban_from: str) -> None:
    d = show(region)
    assert d["region"] == region and d["date"] == "2023-06-01"
    assert [lv["region"] for lv in d["levels"]] == levels
    assert d["regions"][-1]["region"] == region
    urban = param(d, "dibao.standard.urban")
    assert urban["region"] == urban_from and urban["source"]
    assert all(p["level"] in ("national", "province", "city", "county") for p in d["parameters"])


def test_policy_show_text_names_the_region_chain() -> None:
    proc = run("policy", "show", "440305", "--date", "2023-06-01")
    assert proc.returncode == 0, proc.stderr
    assert "440000 广东省 > 440300 深圳市 > 440305 南山区" in proc.stdout
    assert "dibao.standard.urban" in proc.stdout and "national" in proc.stdout


def test_policy_show_for_a_township_is_its_countys() -> None:
    assert show("620422100")["parameters"] == show("620422")["parameters"]


def test_policy_show_applies_set() -> None:
    p = param(show("620422", "--set", "dibao.standard.urban=650.00"), "dibao.standard.urban")
    assert (p["value"], p["level"]) == ("650.00", "override")


@pytest.mark.parametrize(("args", "field", "expected"), [
    (["999999"], "REGION", "GB/T 2260"),
    (["abc"], "REGION", "GB/T 2260"),
    (["620422", "--date", "2023-02-30"], "--date", "YYYY-MM-DD"),
    (["620422", "--set", "no.such=1"], "--set no.such", "a parameter name"),
    (["620422", "--set", "dibao.standard.urban=-5"], "--set dibao.standard.urban", "not negative"),
])
def test_policy_show_refuses_bad_input_in_one_line(args: list[str], field: str, expected: str) -> None:
    proc = run("policy", "show", *args)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith(f"doudi: {field}: expected ") and expected in proc.stderr
