"""`doudi payments roll|export|results`: totals printed; exit 2 and one line on bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from web.conftest import *  # noqa: F401,F403 - the cast of users per role and area, household factories
from web.payments.conftest import account_for, huining_finance_2, start  # noqa: F401

from doudi.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _homes(settings, tmp_path, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("DOUDI_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DOUDI_USER", raising=False)


def test_roll_export_results(tmp_path, capsys, huining_household, start, account_for, huining_finance,  # noqa: F811
                             huining_finance_2, calendar):  # noqa: F811
    from doudi.payments import services as s
    from doudi.payments.models import Payment

    start(huining_household, 150000, dt.date(2027, 1, 1))
    account_for(huining_household, 1)
    assert main(["payments", "roll", "--county", "620422", "--month", "2027-01"]) == 0
    out = capsys.readouterr().out
    assert "records 1 total 1500.00" in out and "program dibao: 1 lines 1500.00" in out
    roll = Payment.objects.get().roll
    s.review_roll(huining_finance, roll.pk)
    s.release_roll(huining_finance_2, roll.pk)
    bank = tmp_path / "bank.csv"
    assert main(["payments", "export", str(roll.pk), "--bank", "csv", "--out", str(bank), "--as", "huining_finance"]) == 0
    assert "1 records total 1500.00 sha256" in capsys.readouterr().out
    p = Payment.objects.get()
    result = tmp_path / "result.csv"
    result.write_bytes(f"{p.seq},{p.account.number},张建国,1500.00,成功,\r\n".encode("gb18030"))
    assert main(["payments", "results", str(roll.pk), str(result)]) == 0
    assert "paid 1 (1500.00), failed 0" in capsys.readouterr().out
    # importing it again: refused with the line number, exit 2
    assert main(["payments", "results", str(roll.pk), str(result)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "第 1 行" in err[0] and "已有回盘结果" in err[0]


@pytest.mark.parametrize("argv, expected", [
    (["payments", "roll", "--county", "620422", "--month", "2027-13"], "--month 2027-13: expected a month"),
    (["payments", "roll", "--county", "62042", "--month", "2027-01"], "县（区）代码应为 6 位"),
    (["payments", "export", "999", "--bank", "csv", "--out", "x"], "未找到该花名册"),
    (["payments", "export", "1", "--bank", "nope", "--out", "x"], "没有名为「nope」的银行文件模板"),
    (["payments", "results", "1", "/nonexistent.csv"], "cannot read the file"),
])
def test_bad_input_is_one_line_and_exit_2(argv, expected, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0]
