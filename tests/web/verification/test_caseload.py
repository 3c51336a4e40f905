"""Importing a county's existing caseload (花名册): every problem by row, whole file or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.verification import caseload
from web.conftest import make_id_number

from .conftest import xlsx_bytes

pytestmark = pytest.mark.django_db

HEADER = [label for _n, label, _r, _d in caseload.COLUMNS]
VILLAGES = ("620422100201", "620422100202")


def _rows(n_households: int = 67) -> list[list[str]]:
    """67 households of 3 members (head, spouse, child) = 201 rows, urban, in two villages of one township."""
    rows = []
    for h in range(n_households):
        key, village = f"H{h + 1:04d}", VILLAGES[h % 2]
        for rel, birth, sex, wages in (("户主", dt.date(1970, 1, 1), "M", "600"), ("配偶", dt.date(1972, 2, 2), "F", ""),
                                       ("子女", dt.date(2010, 3, 3), "M", "")):
            rows.append([key, f"成员{h}{rel}", make_id_number("620422", birth, sex), rel, village, "城镇", wages,
                         "低保" if rel == "户主" else "", "", "1500" if rel == "户主" else "",
                         "2026-01" if rel == "户主" else "", "6228480000000000001" if rel == "户主" else ""])
    return rows


def _broken() -> list[list[str]]:
    rows = _rows()
    bad = rows[8][2]  # spreadsheet row 10: a wrong check character
    rows[8][2] = bad[:17] + ("0" if bad[17] != "0" else "1")
    rows[23][4] = "620499100201"  # row 25: no such region
    rows[38][2] = rows[3][2]  # row 40: the person of row 5 (household H0002) again, in household H0013
    rows[58][3] = "表哥"  # row 60: no such relation
    rows[79][3] = "户主"  # row 81: a second head in household H0027 (rows 80–82)
    return rows


def test_a_200_row_file_with_five_kinds_of_errors_is_reported_by_row_and_imports_nothing(huining_caseworker):
    from doudi.registry.models import Household

    rows = _broken()
    assert len(rows) == 201
    out = caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "花名册.xlsx", dry_run=True)
    where = {(p.row, p.column) for p in out.errors}
    assert where == {(10, "身份证号"), (25, "所在地区划代码"), (40, "身份证号"), (60, "与户主关系"), (80, "与户主关系")}
    by_row = {p.row: p.message for p in out.errors}
    assert "校验位" in by_row[10] and "不存在" in by_row[25] and "户编号「H0002」（第 5 行）" in by_row[40]
    assert "表哥" in by_row[60] and "现有 2 名" in by_row[80]
    report = out.report()
    assert "错误：第 10 行「身份证号」列" in report and "错误 5 处" in report and "未导入" in report
    # the real run takes the whole file or nothing
    out = caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "花名册.xlsx", dry_run=False)
    assert not out.imported and not Household.objects.exists()


def test_a_clean_file_is_registered_whole_and_audited(huining_caseworker):
    from doudi.accounts.models import AuditEntry
    from doudi.registry.models import Household, Membership

    out = caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, _rows(5)), "花名册.xlsx", dry_run=False)
    assert out.imported and out.done == 5 and not out.errors
    assert Household.objects.count() == 5 and Membership.objects.count() == 15
    head = Membership.objects.filter(relation="self").first().person
    assert head.facts == {"monthly_income": {"wages": "600.00"}}
    assert AuditEntry.objects.filter(action="verification.import_household").count() == 5
    assert AuditEntry.objects.filter(action="verification.import_households").count() == 1
    # the same file again: every person is already in a registered household (a person in two households)
    rows = _rows(2)
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    twice = caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=True)
    assert len(twice.errors) == 6 and all("不能属于两户" in p.message for p in twice.errors)


def test_households_outside_the_users_area_are_errors(other_town_caseworker):
    out = caseload.import_households(other_town_caseworker, xlsx_bytes(HEADER, _rows(1)), "a.xlsx", dry_run=True)
    assert [(p.row, p.column) for p in out.errors] == [(2, "所在地区划代码")]


def test_benefits_at_an_amount_other_than_the_policy_cores_are_reported_not_refused(
        huining_caseworker, huining_approver):
    from doudi.benefits.models import Benefit

    rows = _rows(2)
    rows[0][9] = "1400"  # household H0001 is paid 1400.00
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    dry = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=True)
    assert not dry.errors
    # head's wages 600, 3 members, Huining urban standard 700: (700 - 600 / 3) × 3 = 1500.00
    amounts = [p for p in dry.notes if p.column == "月保障金额"]  # (and a note per account without its bank)
    assert [(p.row, p.column) for p in amounts] == [(2, "月保障金额")]
    assert "1400.00 元与政策核算的 1500.00 元不一致" in amounts[0].message and "差 -100.00 元" in amounts[0].message
    assert not Benefit.objects.exists()
    out = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    assert out.imported and out.done == 2
    assert sorted(Benefit.objects.values_list("amount_fen", flat=True)) == [140000, 150000]
    again = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=True)
    assert len(again.errors) == 2 and "已有在保的低保待遇" in again.errors[0].message


def test_benefits_of_households_not_yet_registered_are_errors(huining_approver):
    out = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, _rows(1)), "a.xlsx", dry_run=True)
    assert [(p.row, p.column) for p in out.errors] == [(2, "身份证号")]
    assert "doudi import households" in out.errors[0].message


def test_the_shipped_template_has_the_documented_columns():
    from pathlib import Path

    import doudi.verification
    from doudi.verification.reading import read_file

    path = Path(doudi.verification.__file__).parent / "data" / "caseload-template.xlsx"
    sheet = read_file(path.read_bytes(), path.name)
    assert sheet.header == HEADER and sheet.rows == []


def _tekun_rows() -> list[list[str]]:
    """One person alone, 84 years old on 2024-06-01 (born 1940), rural, no income: a 特困 household of one."""
    key, village = "T0001", VILLAGES[0]
    return [[key, "特困甲", make_id_number("620422", dt.date(1940, 1, 1), "M"), "户主", village, "农村", "",
             "特困", "", "413.40", "2024-07", ""]]


def test_a_tekun_benefit_is_the_heads_own_at_his_own_amount(huining_caseworker, huining_approver):
    from doudi.benefits.models import Benefit

    rows = _tekun_rows()
    on = dt.date(2024, 6, 1)
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=False, start=on)
    # By hand: TK-1 basic-living standard = Gansu's rural 低保 standard 318.00 × 1.3 = 413.40 a month (gansu-2017,
    # the seeds' ratio); TK-2 care standard for a self-sufficient person not set in Huining: 0. So 413.40 is the
    # policy core's amount and the dry run has nothing to say.
    dry = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=True, on=on)
    assert dry.problems == []
    out = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=False, on=on)
    assert out.imported and out.done == 1
    b = Benefit.objects.get()
    assert (b.program, b.amount_fen, b.person.name, b.start_month) == ("tekun", 41340, "特困甲", dt.date(2024, 7, 1))
    again = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=True, on=on)
    assert [(p.row, p.column) for p in again.errors] == [(2, "救助项目")]
    assert "特困甲 已有在保的特困待遇" in again.errors[0].message


def test_a_tekun_amount_other_than_the_persons_own_is_reported(huining_caseworker, huining_approver):
    rows = _tekun_rows()
    rows[0][9] = "500"
    on = dt.date(2024, 6, 1)
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=False, start=on)
    dry = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "t.xlsx", dry_run=True, on=on)
    assert not dry.errors
    # 500.00 against 413.40 by hand (above): 86.60 more.
    assert [(p.row, p.column) for p in dry.notes] == [(2, "月保障金额")]
    assert "500.00 元与政策核算的 413.40 元不一致" in dry.notes[0].message and "差 86.60 元" in dry.notes[0].message


def test_an_unknown_program_names_both_that_can_be_imported():
    rows = _tekun_rows()
    rows[0][7] = "五保"
    _households, problems = caseload.read_rows(xlsx_bytes(HEADER, rows), "t.xlsx")
    assert [p.message for p in problems] == ["目前可导入的救助项目为 低保、特困，收到「五保」"]


def test_the_bank_column_stores_the_payee_account_so_imported_households_are_paid(
        huining_caseworker, huining_approver, huining_finance):
    """The 花名册's bank account with the new 开户银行 column: checked by the bank's rule (doudi.payments:
    中国农业银行, 19 digits with a Luhn check digit), stored as the account in use of the household (the
    account the county already pays into), and the imported households are on the next roll."""
    from doudi.accounts.models import AuditEntry
    from doudi.payments import services as pay
    from doudi.payments.models import Account, Payment

    from ..payments.conftest import card

    rows = _rows(2)
    good, other = card(n=21), card(n=22)
    rows[0][11], rows[3][11] = good, other[:-1] + str((int(other[-1]) + 1) % 10)  # H0002's check digit wrong
    for r in rows:
        r.append("")
    rows[0][12], rows[3][12] = "中国农业银行", "ABC"
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    dry = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=True)
    assert [(p.row, p.column) for p in dry.errors] == [(5, "银行账号")] and "Luhn" in dry.errors[0].message
    rows[3][11] = other
    rows[3][12] = "工商"  # not a bank the payments app knows
    dry = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=True)
    assert [(p.row, p.column) for p in dry.errors] == [(5, "开户银行")] and "ABC（中国农业银行）" in dry.errors[0].message
    rows[3][12] = "ABC"
    out = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    assert out.imported and out.done == 2
    accounts = {a.holder_name: a for a in Account.objects.all()}
    assert sorted(accounts) == ["成员0户主", "成员1户主"]
    assert {a.number for a in accounts.values()} == {good, other}
    assert all(a.state == "active" and a.bank == "ABC" and a.person_id is None for a in accounts.values())
    assert AuditEntry.objects.filter(action="account.import").count() == 2
    # both households paid: January 2026, 1500.00 each (the 花名册's amount) = 3000.00 in 2 records
    roll = pay.build_roll(huining_finance, "620422", dt.date(2026, 1, 1))
    assert (roll.payments_count, roll.total_fen) == (2, 300000)
    assert {p.account.number for p in Payment.objects.filter(roll=roll)} == {good, other}


def test_an_account_without_its_bank_is_a_note_and_not_stored(huining_caseworker, huining_approver):
    from doudi.payments.models import Account

    rows = _rows(1)
    for r in rows:
        r.append("")
    caseload.import_households(huining_caseworker, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    out = caseload.import_benefits(huining_approver, xlsx_bytes(HEADER, rows), "a.xlsx", dry_run=False)
    assert out.imported and [(p.row, p.column) for p in out.notes] == [(2, "开户银行")]
    assert not Account.objects.exists()


def test_a_file_written_with_half_width_brackets_before_the_template_had_full_width_still_imports(huining_caseworker):
    """The template's texts are in full-width punctuation now (issue 9); a county's older file, or one from
    another system, writes "(外)祖父母" and its headers with other widths and spaces: both are matched by
    doudi.verification.checks.header_key, which puts punctuation of either width, brackets and spaces aside."""
    from doudi.registry.models import Household

    key, village = "H0001", VILLAGES[0]
    rows = [[key, "祖父", make_id_number("620422", dt.date(1940, 1, 1), "M"), "户主", village, "农村", "", "", "", "",
             "", ""],
            [key, "祖母", make_id_number("620422", dt.date(1942, 1, 1), "F"), "(外)祖父母", village, "农村", "", "", "",
             "", "", ""],
            [key, "孙子", make_id_number("620422", dt.date(2012, 1, 1), "M"), "（外）孙子女", village, "农村", "", "", "",
             "", "", ""]]
    header = [f" {h} " if i % 2 else h for i, h in enumerate(HEADER)]  # spaces around every other header
    out = caseload.import_households(huining_caseworker, xlsx_bytes(header, rows), "old.xlsx", dry_run=False)
    assert out.errors == [] and out.imported
    relations = sorted(m.relation for m in Household.objects.get().memberships.all())
    assert relations == ["grandchild", "grandparent", "self"]
