"""Importing department files: whole file or nothing, encodings stated, problems by row and column."""

from __future__ import annotations

import datetime as dt

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied

from doudi.verification.datasets import VerificationError, snapshot_path
from doudi.verification.models import DataSet, Snapshot
from web.conftest import make_id_number

from .conftest import DAY, xlsx_bytes

pytestmark = pytest.mark.django_db

DEATH = ["身份证号", "姓名", "出生日期", "区划代码", "死亡日期"]


def test_a_gbk_file_is_read_and_its_encoding_stated(upload):
    number = make_id_number("620422", dt.date(1950, 3, 1))
    r = upload("death", DEATH, [[number, "张建国", "", "", "2026-10-01"]], encoding="gbk")
    assert r.ok, r.problems
    assert r.snapshot.encoding == "GB18030（兼容GBK）" and r.snapshot.file_format == "csv"
    table = pq.read_table(snapshot_path(r.snapshot))
    assert table["name"].to_pylist() == ["张建国"]
    assert table["death_date"].to_pylist() == [dt.date(2026, 10, 1)]
    # the birth date comes from the ID number
    assert table["birth_date"].to_pylist() == [dt.date(1950, 3, 1)]


def test_a_utf8_file_says_utf8(upload):
    r = upload("death", DEATH, [[make_id_number(), "李四", "", "", "2026-10-01"]])
    assert r.ok and r.snapshot.encoding == "UTF-8"


def test_a_file_with_one_broken_row_imports_nothing_and_names_the_row_and_column(upload):
    rows = [[make_id_number(), f"人员{i}", "", "", "2026-10-01"] for i in range(1, 1210)]
    rows[1202][0] = rows[1202][0][:17] + ("0" if rows[1202][0][17] != "0" else "1")  # spreadsheet row 1,204
    rows[5][4] = "2026-02-30"  # row 7: no such day
    r = upload("death", DEATH, rows)
    assert not r.ok and r.snapshot is None
    assert r.problem_count == 2
    where = {(p.row, p.column) for p in r.problems}
    assert where == {(1204, "身份证号"), (7, "死亡日期")}
    assert "第 1,204 行「身份证号」列" in str([p for p in r.problems if p.row == 1204][0])
    assert not Snapshot.objects.exists() and not DataSet.objects.exists()


def test_a_missing_column_is_reported_on_the_header_row(upload):
    r = upload("death", ["身份证号", "姓名"], [[make_id_number(), "张三"]])
    assert not r.ok
    assert r.problems[0].row == 1 and r.problems[0].column == "死亡日期"


def test_a_file_in_neither_utf8_nor_gbk_is_refused_with_the_encodings_expected(upload):
    data = "身份证号,姓名\n".encode("utf-16")
    r = upload("death", DEATH, [], data=data)
    assert not r.ok and "UTF-16" in r.problems[0].message
    # bytes that are valid neither as UTF-8 nor as GB18030
    r = upload("death", DEATH, [], data=b"id_number,name\n\x81\x20\xff\xfe\x80\n")
    assert not r.ok and "GB18030" in r.problems[0].message


def test_an_excel_file_is_read_with_calamine_and_old_15_digit_numbers_become_18(upload):
    # 15-digit number of a man born 1950-03-01 in Huining, sequence 123: 620422 500301 123
    old = "620422500301123"
    r = upload("vehicle", ["身份证号", "姓名", "号牌号码"], [], name="v.xlsx",
               data=xlsx_bytes(["身份证号", "姓名", "号牌号码"], [[old, "王五", "甘D12345"]]))
    assert r.ok, r.problems
    assert r.snapshot.file_format == "xlsx" and r.snapshot.encoding == ""
    from doudi.policy.identity import check_character

    expected = "62042219500301123" + check_character("62042219500301123")
    assert pq.read_table(snapshot_path(r.snapshot))["id_number"].to_pylist() == [expected]


def test_an_id_number_stored_as_a_number_in_excel_is_refused_with_the_fix(upload):
    r = upload("vehicle", [], [], name="v.xlsx",
               data=xlsx_bytes(["身份证号", "姓名", "号牌号码"], [[620422195003011230, "王五", "甘D1"]]))
    assert not r.ok and "文本格式" in r.problems[0].message and r.problems[0].row == 2


def test_a_record_without_id_number_needs_birth_date_and_region_where_the_kind_allows_it(upload):
    r = upload("death", DEATH, [["", "赵六", "", "", "2026-10-01"]])
    assert not r.ok and r.problems[0].row == 2 and "出生日期" in r.problems[0].message
    r = upload("death", DEATH, [["", "赵六", "1950-01-01", "620422100201", "2026-10-01"]])
    assert r.ok
    # social insurance is identified by ID number only
    r = upload("social_insurance", ["身份证号", "姓名", "缴费月份", "缴费基数"], [["", "赵六", "2026-10", "3000"]])
    assert not r.ok and "不能为空" in r.problems[0].message


def test_snapshots_are_kept_by_date_and_never_overwritten(upload):
    n = make_id_number()
    assert upload("death", DEATH, [[n, "张三", "", "", "2026-10-01"]], extracted=DAY).ok
    assert upload("death", DEATH, [[n, "张三", "", "", "2026-10-01"]], extracted=DAY + dt.timedelta(days=30)).ok
    with pytest.raises(VerificationError) as e:
        upload("death", DEATH, [[n, "张三", "", "", "2026-10-02"]], extracted=DAY)
    assert "不能覆盖" in e.value.message
    assert Snapshot.objects.count() == 2


def test_a_liaison_uploads_only_its_own_departments_kinds(upload, huining_liaison):
    # the cast's liaison is of 人社: pensions yes, deaths (公安) no
    r = upload("pension", ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"],
               [[make_id_number(), "张三", "职工基本养老金", "2026-09", "1800"]], user=huining_liaison)
    assert r.ok, r.problems
    with pytest.raises(PermissionDenied):
        upload("death", DEATH, [[make_id_number(), "张三", "", "", "2026-10-01"]], user=huining_liaison)
    with pytest.raises(PermissionDenied):  # outside its county
        upload("pension", [], [], area="150202", user=huining_liaison, data=b"x")


def test_money_and_choices_are_checked(upload):
    header = ["身份证号", "姓名", "养老金类别", "起始月份", "月领取金额"]
    r = upload("pension", header, [[make_id_number(), "张三", "企业年金", "2026-9", "-5"],
                                   [make_id_number(), "李四", "resident", "202609", "120.555"]])
    assert not r.ok
    msgs = {(p.row, p.column): p.message for p in r.problems}
    assert "职工基本养老金" in msgs[(2, "养老金类别")]
    assert "不小于 0" in msgs[(2, "月领取金额")]
    assert "2 位小数" in msgs[(3, "月领取金额")]
    assert len(msgs) == 3


def test_every_kind_has_a_declared_schema_with_the_person_columns_first():
    from doudi.verification.kinds import kinds

    assert len(kinds()) >= 17
    for k in kinds().values():
        assert k.all_columns[0].name == "id_number" and k.label

