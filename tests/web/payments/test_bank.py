"""Bank files (GB18030, CRLF, SHA-256, audited), result files (whole or nothing), re-issue, reconciliation."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from doudi.payments import services as s
from doudi.payments.banks import PaymentError
from doudi.payments.models import BankExport, Line, Payment

JAN, FEB = dt.date(2027, 1, 1), dt.date(2027, 2, 1)
VILLAGE = "620422100201"


@pytest.fixture
def released(make_household, huining_household, start, account_for, huining_finance, huining_finance_2):
    """January: 张建国's household 1500.00, 陈二 800.00, 周三 300.00 — released by two users."""
    start(huining_household, 150000, JAN)
    account_for(huining_household, 11)
    for i, (name, fen) in enumerate((("陈二", 80000), ("周三", 30000))):
        hh = make_household(VILLAGE, "urban", [(name, "self", dt.date(1960, 1, 1), "M", {})])
        start(hh, fen, JAN)
        account_for(hh, 20 + i)
    roll = s.build_roll(huining_finance, "620422", JAN)
    s.review_roll(huining_finance, roll.pk)
    return s.release_roll(huining_finance_2, roll.pk)


def test_csv_bank_file_decodes_back_to_the_roll(released, huining_finance):
    from doudi.accounts.models import AuditEntry

    data, export = s.export_bank_file(huining_finance, released.pk, "csv")
    assert hashlib.sha256(data).hexdigest() == export.sha256
    text = data.decode("gb18030")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")[:-1]
    assert lines[0] == "H,620422,202701,3,2600.00" and lines[-1] == "T,3,2600.00"
    records = [ln.split(",") for ln in lines[1:-1]]
    assert len(records) == released.payments_count == 3
    assert sum(int(r[3].replace(".", "")) for r in records) == released.total_fen == 260000
    assert "张建国" in text and "*" not in export.filename and "6228" not in export.filename
    assert AuditEntry.objects.filter(action="roll.bank_file").count() == 1


def test_fixed_width_file_in_fen(released, huining_finance):
    data, export = s.export_bank_file(huining_finance, released.pk, "fixed")
    lines = data.split(b"\r\n")[:-1]
    body = lines[1:-1]
    assert {len(b) for b in body} == {8 + 21 + 40 + 15 + 30}  # widths in GB18030 bytes
    assert lines[-1] == b"END00000003000000000260000"
    assert sum(int(b[69:84]) for b in body) == 260000
    assert BankExport.objects.get().records == 3


def test_draft_roll_cannot_be_exported(make_household, start, account_for, huining_finance, huining_household):
    start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    roll = s.build_roll(huining_finance, "620422", JAN)
    with pytest.raises(PaymentError, match="锁定"):
        s.export_bank_file(huining_finance, roll.pk, "csv")


def _result(roll, fail: set[int], encoding="gb18030", total=True) -> bytes:
    rows = ["序号,账号,户名,金额,结果,原因"]
    n = t = 0
    for p in Payment.objects.filter(roll=roll).select_related("account").order_by("seq"):
        failed = p.seq in fail
        rows.append(f"{p.seq},{p.account.number},{p.account.holder_name},{p.amount_fen // 100}.{p.amount_fen % 100:02d},"
                    f"{'失败' if failed else '成功'},{'账户已销户' if failed else ''}")
        n, t = n + 1, t + p.amount_fen
    if total:
        rows.append(f"合计,{n},{t // 100}.{t % 100:02d}")
    return ("\r\n".join(rows) + "\r\n").encode(encoding)


def test_results_failed_lines_reissued_next_roll(released, huining_finance, huining_finance_2, huining_caseworker,
                                                 huining_household, calendar):
    s.export_bank_file(huining_finance, released.pk, "csv")
    first = Payment.objects.get(roll=released, household=huining_household)
    imp = s.import_results(huining_finance, released.pk, _result(released, {first.seq}), "回盘.csv",
                           on=dt.date(2027, 1, 20))
    assert (imp.paid, imp.paid_fen, imp.failed, imp.failed_fen) == (2, 110000, 1, 150000)
    rec = s.reconciliation(released)
    assert rec["released"] == rec["paid"] + rec["failed"] == 260000 and rec["balanced"]
    first.refresh_from_db()
    assert first.state == "failed" and first.bank_reason == "账户已销户"
    assert first.task_due_on == dt.date(2027, 1, 27)  # 5 working days after Wednesday 20 January
    assert list(s.failed_tasks(huining_caseworker)) == [first]
    # the caseworker enters the corrected account, a second user confirms it: the task is done
    new = s.enter_account(huining_caseworker, huining_household, bank="RCC", number="620422100201000777",
                          holder_name="张建国", reason="原账户已销户")
    s.confirm_account(huining_finance, new.pk)
    assert list(s.failed_tasks(huining_caseworker)) == []
    # February re-issues January's 1500.00 to the new account, with February's own 1500.00
    feb = s.build_roll(huining_finance, "620422", FEB)
    pay = Payment.objects.get(roll=feb, household=huining_household)
    assert pay.account_id == new.pk and pay.amount_fen == 300000
    assert sorted(Line.objects.filter(payment=pay).values_list("kind", "for_month")) == [("monthly", FEB),
                                                                                         ("reissue", JAN)]


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t.replace("成功", "好的", 1), "第 2 行：结果「好的」无法识别"),
    (lambda t: t.replace("合计,3,2600.00", "合计,3,2601.00"), "不相符"),
    (lambda t: t.replace("\r\n1,", "\r\n9,", 1), "第 2 行：序号 9 不在本花名册中"),
    (lambda t: t.replace(",622848", ",622849", 1), "第 2 行：账号与花名册第 1 笔不符"),
    (lambda t: t.replace("2600.00", "26OO.00"), "合计行应为"),
])
def test_malformed_result_file_is_refused_whole(released, huining_finance, mutate, message):
    good = _result(released, {2}).decode("gb18030")
    with pytest.raises(PaymentError) as e:
        s.import_results(huining_finance, released.pk, mutate(good).encode("gb18030"), "回盘.csv")
    assert message in e.value.message and "未作任何更改" in e.value.message
    assert not Payment.objects.filter(roll=released).exclude(state="due").exists()


def test_result_file_in_utf8_and_wrong_encoding(released, huining_finance):
    with pytest.raises(PaymentError, match="编码"):
        s.import_results(huining_finance, released.pk, "序号".encode("utf-16"), "x.csv")
    imp = s.import_results(huining_finance, released.pk, _result(released, set(), "utf-8"), "回盘.csv")
    assert imp.paid == 3 and s.reconciliation(released)["paid"] == 260000


def test_result_file_in_excel(released, huining_finance):
    from doudi.web.lists import xlsx

    rows = [[p.seq, p.account.number, p.account.holder_name, f"{p.amount_fen // 100}.{p.amount_fen % 100:02d}",
             "成功" if p.seq != 3 else "失败", "" if p.seq != 3 else "卡已挂失"]
            for p in Payment.objects.filter(roll=released).select_related("account").order_by("seq")]
    data = xlsx("回盘", ["序号", "账号", "户名", "金额", "结果", "原因"], rows)
    imp = s.import_results(huining_finance, released.pk, data, "回盘.xlsx")
    assert (imp.paid, imp.failed) == (2, 1)
    assert Payment.objects.get(roll=released, seq=3).bank_reason == "卡已挂失"


def test_the_database_formatted_csv_file_equals_the_python_one(released, huining_finance):
    """On PostgreSQL a CSV bank file's lines are formatted in SQL (services._csv_file_in_sql); they must
    be byte for byte what bankfile.render_rows writes from the same records, also for a name holding the
    separator, a line break and a backslash (each text field's separator, CR and LF become spaces)."""
    from django.db import connection

    from doudi.payments import bankfile
    from doudi.payments.models import Account

    if connection.vendor != "postgresql":
        pytest.skip("the SQL path is PostgreSQL's")
    Account.objects.filter(holder_name="陈二").update(holder_name="陈,二\r\n\\x", branch="城关\t支行")
    in_sql = s._csv_file_in_sql(released, "csv")
    in_python = bankfile.render_rows("csv", s._records(released), county=released.region,
                                     month=f"{released.month:%Y%m}", roll=released.pk)
    assert in_sql is not None and in_sql == in_python
    assert "陈 二  \\x".encode("gb18030") in in_sql[0]
