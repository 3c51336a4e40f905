"""`doudi monitor scan`: the warnings raised by rule; exit 2 and one line on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from web.conftest import *  # noqa: F401,F403 - the cast of users per role and area, household factories
from web.verification.conftest import csv_bytes

from doudi.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _homes(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DOUDI_VERIFICATION_ROOT = str(tmp_path / "verification")
    monkeypatch.setenv("DOUDI_HOME", str(tmp_path / "home"))


def test_scan_prints_the_warnings_raised_by_rule_and_none_the_second_time(capsys, huining_household, huining_verifier):
    from doudi.verification.datasets import import_snapshot

    p = huining_household.memberships.get(person__name="李秀英").person
    # 张建国's 600.00 a month → 7,200.00 a year; 3,600.01 is above half of it (MW-MEDICAL); the household is
    # also eligible for 低保 without benefit or case (MW-LOUBAO)
    assert import_snapshot(huining_verifier, kind="medical_cost", area="620422", extracted_on=dt.date(2026, 11, 2),
                           data=csv_bytes(["身份证号", "姓名", "年度", "政策范围内个人自付"],
                                          [[p.id_number, p.name, 2026, "3600.01"]]), name="医保.csv",
                           today=dt.date(2026, 11, 3)).ok
    assert main(["monitor", "scan", "--county", "620422", "--date", "2026-11-02"]) == 0
    out = capsys.readouterr().out
    assert "620422 2026-11-02: 1 households, 2 warnings raised" in out
    assert "MW-MEDICAL 大额医疗支出: 1" in out and "MW-LOUBAO" in out
    assert main(["monitor", "scan", "--county", "620422", "--date", "2026-11-03"]) == 0
    assert "0 warnings raised" in capsys.readouterr().out


@pytest.mark.parametrize("argv, expected", [
    (["monitor", "scan", "--county", "62042"], "--county 62042: expected a 6-digit county code"),
    (["monitor", "scan", "--county", "999999"], "--county 999999"),
    (["monitor", "scan", "--county", "620422", "--date", "2026-13-01"], "--date 2026-13-01: expected a date"),
])
def test_bad_input_is_one_line_and_exit_2(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
