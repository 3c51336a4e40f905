"""`doudi batch assess IN OUT` from the command line (the installed console script)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

DOUDI = str(Path(sys.executable).with_name("doudi"))

HEADER = ("household_id,household.region,household.residence,household.date,relation,birth_date,"
          "monthly_income.wages,disability.kind,disability.grade")
# 会宁县 (620422), urban, 2023-06-01: urban 低保 standard 700.00 yuan (data/620422/dibao.yaml).
ROWS = [
    # h1: one adult earning 300.00. DB-1: 300 < 700; DB-2: 700 × 1 − 300 = 400.00
    "h1,620422,urban,2023-06-01,self,1983-04-05,300.00,,",
    # h2: adult earning 1200.00 and a child with a grade-2 physical disability.
    # DB-1: 1200 / 2 = 600 < 700; DB-2: 700 × 2 − 1200 = 200.00;
    # DB-6 (huining-2022): severely disabled member (grade 1–2) + 20 % × 700 = 140.00 → 340.00
    "h2,620422,urban,2023-06-01,self,1980-01-01,1200.00,,",
    "h2,620422,urban,2023-06-01,child,2012-05-05,0,physical,2",
    # h3: one adult earning 900.00 > 700: not eligible, 0.00
    "h3,620422,urban,2023-06-01,self,1983-04-05,900.00,,",
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([DOUDI, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def population(tmp_path: Path, rows: list[str] = ROWS, name: str = "pop.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_csv_in_csv_out_gives_one_row_per_household_with_amounts_to_two_decimals(tmp_path):
    population(tmp_path)
    r = run("batch", "assess", "pop.csv", "out.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    head = lines[0].replace('"', "").split(",")
    assert head[:3] == ["household_id", "dibao.eligible", "dibao.amount"]
    got = {cells[0]: cells[1:3] for cells in (line.replace('"', "").split(",") for line in lines[1:])}
    assert got == {"h1": ["true", "400.00"], "h2": ["true", "340.00"], "h3": ["false", "0.00"]}


def test_parquet_in_parquet_out_holds_exact_decimal_yuan(tmp_path):
    t = pa.table({
        "household_id": pa.array([1, 2, 2], pa.int64()),
        "household.region": ["620422"] * 3,
        "household.residence": ["urban"] * 3,
        "household.date": ["2023-06-01"] * 3,
        "relation": ["self", "self", "child"],
        "birth_date": ["1983-04-05", "1980-01-01", "2012-05-05"],
        "monthly_income.wages": pa.array([Decimal("300.00"), Decimal("1200.00"), Decimal("0")], pa.decimal128(10, 2)),
        "disability.kind": [None, None, "physical"],
        "disability.grade": pa.array([None, None, 2], pa.int8()),
    })
    pq.write_table(t, tmp_path / "pop.parquet")
    r = run("batch", "assess", "pop.parquet", "out.parquet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.schema.field("dibao.amount").type == pa.decimal128(14, 2)
    assert out.schema.field("dibao.eligible").type == pa.bool_()
    assert out.column("household_id").to_pylist() == [1, 2]
    # as above: 700 − 300 = 400.00; 700 × 2 − 1200 + 20 % × 700 = 340.00
    assert out.column("dibao.amount").to_pylist() == [Decimal("400.00"), Decimal("340.00")]


def test_batch_and_single_assess_print_the_same_amounts(tmp_path):
    population(tmp_path)
    assert run("batch", "assess", "pop.csv", "out.parquet", cwd=tmp_path).returncode == 0
    out = {r["household_id"]: r for r in pq.read_table(tmp_path / "out.parquet").to_pylist()}
    doc = {"region": "620422", "residence": "urban", "date": "2023-06-01", "members": [
        {"relation": "self", "birth_date": "1980-01-01", "monthly_income": {"wages": "1200.00"}},
        {"relation": "child", "birth_date": "2012-05-05", "monthly_income": {"wages": "0"},
         "disability": {"kind": "physical", "grade": 2}}]}
    (tmp_path / "h2.json").write_text(json.dumps(doc), encoding="utf-8")
    single = json.loads(run("assess", "h2.json", "--format", "json", cwd=tmp_path).stdout)["programs"]
    for pid, entry in single.items():
        assert out["h2"][f"{pid}.eligible"] == entry["eligible"], pid
        assert out["h2"][f"{pid}.amount"] == Decimal(entry["amount"]), pid


def test_set_overrides_a_parameter_for_the_run(tmp_path):
    population(tmp_path)
    r = run("batch", "assess", "pop.csv", "out.csv", "--set", "dibao.standard.urban=800.00", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    rows = [line.replace('"', "").split(",")[:3] for line in (tmp_path / "out.csv").read_text().splitlines()[1:]]
    # h1: 800 − 300 = 500.00; h3: 900 > 800 still not eligible
    assert rows[0] == ["h1", "true", "500.00"] and rows[2] == ["h3", "false", "0.00"]


@pytest.mark.parametrize("bad_row, where", [
    ("h4,620422,urban,2023-06-01,self,1983-04-05,-5,,", "row 5, column monthly_income.wages: expected an amount that is not negative, got '-5'"),
    ("h4,620422,urban,2023-06-01,self,1983-04-05,12.345,,", "row 5, column monthly_income.wages: expected an amount with at most 2 decimals"),
    ("h4,620422,urban,2023-06-01,self,1983-04-05,0,physical,7", "row 5, column disability.grade: expected a whole number from 1 to 4"),
    ("h4,999999,urban,2023-06-01,self,1983-04-05,0,,", "row 5, column household.region: expected a region code that exists"),
    ("h4,620422,town,2023-06-01,self,1983-04-05,0,,", "row 5, column household.residence: expected one of urban, rural"),
    ("h1,620422,rural,2023-06-01,spouse,1983-04-05,0,,", "row 5, column household.residence: expected the same value on every row"),
])
def test_a_bad_row_exits_2_with_one_line_naming_row_and_column_and_writes_nothing(tmp_path, bad_row, where):
    population(tmp_path, ROWS + [bad_row])
    r = run("batch", "assess", "pop.csv", "out.parquet", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("doudi: pop.csv: ") and where in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop.csv"]  # no OUT, no temporary file


def test_a_failed_run_leaves_an_existing_out_untouched(tmp_path):
    population(tmp_path, ROWS + ["h4,620422,urban,2023-06-01,self,1983-04-05,-1,,"])
    (tmp_path / "out.csv").write_text("previous results\n")
    r = run("batch", "assess", "pop.csv", "out.csv", cwd=tmp_path)
    assert r.returncode == 2
    assert (tmp_path / "out.csv").read_text() == "previous results\n"


def test_bad_arguments_and_missing_files_are_one_line_errors(tmp_path):
    population(tmp_path)
    r = run("batch", "assess", "pop.csv", "out.csv", "--set", "no.such.parameter=1", cwd=tmp_path)
    assert r.returncode == 2 and "--set no.such.parameter" in r.stderr and r.stderr.count("\n") == 1
    r = run("batch", "assess", "missing.parquet", "out.csv", cwd=tmp_path)
    assert r.returncode == 2 and "missing.parquet" in r.stderr and r.stderr.count("\n") == 1
    (tmp_path / "junk.parquet").write_text("not parquet")
    r = run("batch", "assess", "junk.parquet", "out.csv", cwd=tmp_path)
    assert r.returncode == 2 and "expected a readable Parquet file" in r.stderr and "Traceback" not in r.stderr
    r = run("batch", "assess", "pop.csv", "out.csv", "--date", "2023-13-01", cwd=tmp_path)
    assert r.returncode == 2 and "--date" in r.stderr
    assert not (tmp_path / "out.csv").exists()


def test_a_member_a_rule_refuses_is_named_by_row_and_column(tmp_path):
    # self_care "full" cannot go with 3 of the six tasks undoable (NAT-TK-SELFCARE: 1–3 = partial)
    (tmp_path / "pop.csv").write_text(
        "household_id,household.region,household.residence,relation,birth_date,self_care,self_care_tasks_unable\n"
        "A 1,620422,urban,self,1950-01-01,,\n"
        "B 2,620422,urban,self,1950-01-01,,\n"
        "B 2,620422,urban,spouse,1950-01-01,full,3\n", encoding="utf-8")
    r = run("batch", "assess", "pop.csv", "out.csv", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("doudi: pop.csv: row 3, column self_care: expected partial")
    assert not (tmp_path / "out.csv").exists()


def test_synth_then_batch_assess_then_compare_run_end_to_end(tmp_path):
    r = run("synth", "--households", "40", "--region", "620422", "150202", "--seed", "3", "pop.parquet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len(pq.read_table(tmp_path / "pop.parquet").column("household_id").unique()) == 40
    r = run("batch", "assess", "pop.parquet", "out.csv", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 41  # header + 40 households
    r = run("batch", "compare", "pop.parquet", "--set", "dibao.standard.urban=800.00", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "dibao" in r.stdout


def test_program_limits_out_to_the_named_programs_with_the_same_amounts(tmp_path):
    # The amounts are those of the first test (DB-1, DB-2, DB-6 worked there): h1 400.00,
    # h2 340.00, h3 0.00. Only 低保's columns are written with --program dibao.
    population(tmp_path)
    r = run("batch", "assess", "pop.csv", "out.csv", "--program", "dibao", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = (tmp_path / "out.csv").read_text(encoding="utf-8").replace('"', "").splitlines()
    assert lines[0].split(",") == ["household_id", "dibao.eligible", "dibao.amount"]
    assert {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]} == {
        "h1": ["true", "400.00"], "h2": ["true", "340.00"], "h3": ["false", "0.00"]}


def test_a_later_program_alone_is_decided_with_the_programs_it_reads(tmp_path):
    # The medical assistance of a 低保 household reads who is 低保 (rules/medical.py): asked
    # alone, it must give what the full run gives, so the programs before it run too.
    population(tmp_path)
    assert run("batch", "assess", "pop.csv", "all.parquet", cwd=tmp_path).returncode == 0
    r = run("batch", "assess", "pop.csv", "medical.parquet", "--program", "medical", "price_subsidy", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    every, some = pq.read_table(tmp_path / "all.parquet"), pq.read_table(tmp_path / "medical.parquet")
    assert all(c.split(".")[0] in ("household_id", "medical", "price_subsidy") for c in some.column_names)
    assert any(c.startswith("medical.") for c in some.column_names)
    assert some.equals(every.select(some.column_names))


def test_an_unknown_program_is_a_one_line_error_before_anything_is_read(tmp_path):
    r = run("batch", "assess", "missing.csv", "out.csv", "--program", "dibao", "lottery", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "--program" in r.stderr and "'lottery'" in r.stderr and "missing.csv" not in r.stderr
    assert not (tmp_path / "out.csv").exists()


def test_synth_streams_to_out_and_a_failure_leaves_nothing(tmp_path):
    r = run("synth", "--households", "1200", "--region", "620422", "--seed", "4", "pop.parquet", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    t = pq.read_table(tmp_path / "pop.parquet")
    assert len(set(t.column("household_id").to_pylist())) == 1200
    assert "calibration of 1,200 households" in r.stdout
    r = run("synth", "--households", "10", "--region", "999999", "bad.parquet", cwd=tmp_path)
    assert r.returncode == 2 and "--region" in r.stderr and r.stderr.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop.parquet"]  # no OUT, no temporary file


def test_the_parameters_are_judged_before_the_file_read_beside_them(tmp_path):
    # IN is read (and grouped) on a thread of its own while the parameters are checked: a bad
    # --set is still the one error reported when the file is bad too, and the file's own errors,
    # the grouping's included, still come back as one line naming the file, row and column.
    (tmp_path / "junk.parquet").write_text("not parquet")
    r = run("batch", "assess", "junk.parquet", "out.csv", "--set", "no.such.parameter=1", cwd=tmp_path)
    assert r.returncode == 2 and "--set no.such.parameter" in r.stderr and r.stderr.count("\n") == 1
    r = run("batch", "assess", "missing.parquet", "out.csv", "--program", "no_such_program", cwd=tmp_path)
    assert r.returncode == 2 and "--program" in r.stderr and r.stderr.count("\n") == 1
    population(tmp_path, [ROWS[0], ",620422,urban,2023-06-01,self,1983-04-05,300.00,,"], name="noid.csv")
    r = run("batch", "assess", "noid.csv", "out.csv", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.count("\n") == 1
    assert "noid.csv" in r.stderr and "row 2, column household_id" in r.stderr and "a household id on every row" in r.stderr
    assert not (tmp_path / "out.csv").exists()
