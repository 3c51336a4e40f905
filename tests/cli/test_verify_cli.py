"""`doudi verify import|check` and `doudi import households|benefits`: output, exit 2 and one line on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from web.conftest import *  # noqa: F401,F403 - the cast of users per role and area, household factories
from web.conftest import make_id_number
from web.verification.conftest import csv_bytes, xlsx_bytes

from doudi.cli import main

pytestmark = pytest.mark.django_db

DEATH = ["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"]


@pytest.fixture(autouse=True)
def _homes(settings, tmp_path, monkeypatch):
    """Snapshots and the data home in the test's folder; the cast's passwords hashed fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DOUDI_VERIFICATION_ROOT = str(tmp_path / "verification")
    monkeypatch.setenv("DOUDI_HOME", str(tmp_path / "home"))


def _file(tmp_path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def test_verify_import_takes_a_gbk_file_and_says_so(tmp_path, capsys, huining_verifier):
    f = _file(tmp_path, "deaths.csv", csv_bytes(DEATH, [[make_id_number(), "张三", "", "", "2026-10-01"]], "gbk"))
    assert main(["verify", "import", "death", f, "--extracted", "2026-11-02", "--as", huining_verifier.username]) == 0
    out = capsys.readouterr().out
    assert "imported 1 records of death for 620422, extracted 2026-11-02 (csv, GB18030（兼容GBK）)" in out


def test_verify_import_of_a_broken_file_exits_2_with_one_line_and_imports_nothing(tmp_path, capsys, huining_verifier):
    from doudi.verification.models import Snapshot

    rows = [[make_id_number(), f"人员{i}", "", "", "2026-10-01"] for i in range(5)]
    rows[3][4] = "昨天"
    f = _file(tmp_path, "deaths.csv", csv_bytes(DEATH, rows))
    assert main(["verify", "import", "death", f, "--extracted", "2026-11-02", "--as", huining_verifier.username]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "row 5, column 死亡日期" in err[0] and "nothing imported" in err[0]
    assert not Snapshot.objects.exists()


@pytest.mark.parametrize("argv, expected", [
    (["verify", "import", "deaths", "x.csv", "--extracted", "2026-11-02"], "KIND deaths: expected one of"),
    (["verify", "import", "death", "x.csv", "--extracted", "2026-13-02"], "--extracted 2026-13-02: expected a date"),
    (["verify", "import", "death", "x.csv", "--extracted", "2026-11-02"], "--as: expected the user name"),
    (["verify", "check", "--county", "999999"], "--county 999999"),
])
def test_bad_input_is_one_line_and_exit_2(argv, expected, capsys, monkeypatch):
    monkeypatch.delenv("DOUDI_USER", raising=False)
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err


def test_verify_check_prints_the_counts_of_findings_by_kind(tmp_path, capsys, huining_verifier, huining_household):
    from doudi.benefits.services import start_benefit
    from doudi.registry.documents import household_document

    start_benefit(None, household=huining_household, program="dibao", amount_fen=150000,
                  start_month=dt.date(2026, 1, 1),
                  household_document=household_document(huining_household, dt.date(2025, 12, 1)),
                  on=dt.date(2025, 12, 1))
    head = huining_household.head
    f = _file(tmp_path, "d.csv", csv_bytes(DEATH, [[head.id_number, head.name, "", "", "2026-10-01"]]))
    assert main(["verify", "import", "death", f, "--extracted", "2026-11-02", "--as", huining_verifier.username]) == 0
    assert main(["verify", "check", "--county", "620422", "--date", "2026-11-02"]) == 0
    out = capsys.readouterr().out
    assert "(duckdb): 3 recipients checked, 1 findings (1 new)" in out
    assert [ln.split()[:2] for ln in out.splitlines() if ln.startswith("  death")] == [["death", "1"]]


def test_import_households_dry_run_reports_by_row_and_the_real_run_imports(tmp_path, capsys, huining_caseworker):
    from doudi.registry.models import Household
    from doudi.verification.caseload import COLUMNS

    header = [label for _n, label, _r, _d in COLUMNS]
    good = [["H1", "王甲", make_id_number(), "户主", "620422100201", "城镇", "", "", "", "", "", ""],
            ["H1", "李乙", make_id_number(), "配偶", "620422100201", "城镇", "", "", "", "", "", ""]]
    bad = [*good, ["H2", "赵丙", "620422", "户主", "620422100201", "城镇", "", "", "", "", "", ""]]
    f = _file(tmp_path, "hmc.xlsx", xlsx_bytes(header, bad))
    assert main(["import", "households", f, "--dry-run", "--as", huining_caseworker.username]) == 2
    cap = capsys.readouterr()
    assert "错误：第 4 行「身份证号」列" in cap.out
    assert len(cap.err.strip().splitlines()) == 1 and "row 4, column 身份证号" in cap.err
    f = _file(tmp_path, "hmc.xlsx", xlsx_bytes(header, good))
    assert main(["import", "households", f, "--dry-run", "--as", huining_caseworker.username]) == 0
    assert not Household.objects.exists()
    assert main(["import", "households", f, "--as", huining_caseworker.username]) == 0
    assert "已导入 1 户" in capsys.readouterr().out and Household.objects.count() == 1
