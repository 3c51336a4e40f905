"""The monthly roll (PR-8, NAT-DB-PAY): accounts with four eyes, amounts by hand from the benefits'
history, idempotent builds, review and release by two users, overpaid months and fraud offsets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from doudi.payments import services as s
from doudi.payments.banks import PaymentError
from doudi.payments.models import Debt, Line, Payment, RollState

from .conftest import card

JAN, FEB, MAR = dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 1)
HUINING = "620422"
VILLAGE = "620422100201"


def lines_of(roll, benefit):
    return sorted((ln.kind, ln.for_month, ln.amount_fen) for ln in Line.objects.filter(roll=roll, benefit=benefit))


def release(roll, f1, f2):
    s.review_roll(f1, roll.pk)
    return s.release_roll(f2, roll.pk)


def test_account_number_and_holder_are_checked(huining_household, huining_caseworker, huining_finance):
    with pytest.raises(PaymentError) as e:
        s.enter_account(huining_caseworker, huining_household, bank="ABC", number="6228 48", holder_name="张建国")
    assert e.value.field == "number" and "19 位" in e.value.message
    bad = card(n=7)[:-1] + str((int(card(n=7)[-1]) + 1) % 10)
    with pytest.raises(PaymentError) as e:
        s.enter_account(huining_caseworker, huining_household, bank="ABC", number=bad, holder_name="张建国")
    assert "Luhn" in e.value.message
    with pytest.raises(PaymentError) as e:
        s.enter_account(huining_caseworker, huining_household, bank="ABC", number=card(n=7), holder_name="王某")
    assert e.value.field == "holder_name"
    a = s.enter_account(huining_caseworker, huining_household, bank="ABC", number=card(n=7), holder_name="李秀英")
    assert a.state == "pending" and a.masked.startswith("6228") and "*" in a.masked
    with pytest.raises(PaymentError, match="双人复核"):
        s.confirm_account(huining_caseworker, a.pk)
    assert s.confirm_account(huining_finance, a.pk).state == "active"
    # a change of account: the old one is replaced once the new one is confirmed
    b = s.enter_account(huining_finance, huining_household, bank="RCC", number="620422100201000001", holder_name="张建国")
    assert s.payee_account(huining_household).pk == a.pk
    s.confirm_account(huining_caseworker, b.pk)
    assert s.payee_account(huining_household).pk == b.pk


def test_only_finance_of_the_area_sees_the_full_number(huining_household, account_for, huining_caseworker,
                                                      huining_finance):
    from doudi.accounts.models import AuditEntry

    a = account_for(huining_household, 3)
    with pytest.raises(PermissionDenied):
        s.reveal_account(huining_caseworker, a.pk, "核对")
    assert s.reveal_account(huining_finance, a.pk, "核对退票").number == a.number
    assert AuditEntry.objects.filter(action="account.reveal", username="huining_finance").count() == 1


def test_roll_amounts_late_approval_exit_stop_and_four_eyes(make_household, huining_household, start, account_for,
                                                            huining_finance, huining_finance_2):
    from doudi.benefits.services import _change

    # A: 低保 1500.00 a month from January (the county's first roll is January)
    a = start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    # C: 渐退 from February for 3 months (DB-9: the amount is kept during the 渐退期)
    hh_c = make_household(VILLAGE, "urban", [("陈渐退", "self", dt.date(1970, 1, 1), "M", {})])
    c = start(hh_c, 50000, JAN)
    account_for(hh_c, 2)
    _change(c, None, "gradual_exit", FEB, dt.date(2027, 1, 20), amount=50000, status="gradual_exit", reasons="渐退")
    jan = s.build_roll(huining_finance, HUINING, JAN)
    assert jan.total_fen == 150000 + 50000 and jan.payments_count == 2
    # built again: the same roll, nothing twice
    again = s.build_roll(huining_finance, HUINING, JAN)
    assert again.pk == jan.pk and again.total_fen == 200000 and Line.objects.filter(roll=jan).count() == 2
    s.review_roll(huining_finance, jan.pk)
    with pytest.raises(PaymentError, match="两名不同"):
        s.release_roll(huining_finance, jan.pk)
    s.release_roll(huining_finance_2, jan.pk)
    with pytest.raises(PaymentError, match="不能重新生成"):
        s.build_roll(huining_finance, HUINING, JAN)
    # B approved late (after the January roll) with January as its start month: February pays January's
    # arrears 800.00 + February 800.00 (NAT-DB-PAY, from the start month)
    hh_b = make_household(VILLAGE, "urban", [("李补发", "self", dt.date(1965, 1, 1), "F", {})])
    b = start(hh_b, 80000, JAN, on=dt.date(2027, 2, 3))
    account_for(hh_b, 4)
    feb = s.build_roll(huining_finance, HUINING, FEB)
    assert lines_of(feb, b) == [("arrears", JAN, 80000), ("monthly", FEB, 80000)]
    assert lines_of(feb, a) == [("monthly", FEB, 150000)]
    assert lines_of(feb, c) == [("monthly", FEB, 50000)]  # the first 渐退 month
    release(feb, huining_finance, huining_finance_2)
    # after February's release, A is stopped from February (a death reported late): February was overpaid;
    # March pays nothing to A, and A's household owes 1500.00 (a recovery)
    _change(a, None, "stop", FEB, dt.date(2027, 2, 25), amount=0, status="stopped", reasons="户主死亡")
    mar = s.build_roll(huining_finance, HUINING, MAR)
    assert lines_of(mar, a) == [("overpaid", FEB, -150000)]
    assert lines_of(mar, c) == [("monthly", MAR, 50000)]  # the second 渐退 month: still 500.00
    assert lines_of(mar, b) == [("monthly", MAR, 80000)]
    pay_a = Payment.objects.get(roll=mar, household=huining_household)
    assert pay_a.state == "none" and pay_a.amount_fen == 0
    assert mar.total_fen == 50000 + 80000
    release(mar, huining_finance, huining_finance_2)
    assert Debt.objects.get(household=huining_household).amount_fen == 150000
    assert [left for _d, left in s.debts_of(huining_finance, huining_household)] == [150000]


def test_fraud_recovery_is_offset(make_household, start, account_for, huining_approver, huining_finance,
                                  huining_finance_2):
    """(The price-subsidy month of this test moved to test_price.py, from the province's computed index.)"""
    from doudi.benefits.services import recover_fraud

    hh = make_household(VILLAGE, "urban", [("赵骗保", "self", dt.date(1970, 1, 1), "M", {}),
                                           ("钱家属", "spouse", dt.date(1971, 1, 1), "F", {}),
                                           ("赵小孩", "child", dt.date(2015, 1, 1), "M", {})])
    e1 = start(hh, 20000, JAN)
    account_for(hh, 5)
    release(s.build_roll(huining_finance, HUINING, JAN), huining_finance, huining_finance_2)
    release(s.build_roll(huining_finance, HUINING, FEB), huining_finance, huining_finance_2)
    # NAT-DB-FRAUD: January and February (200.00 each) obtained by fraud: 400.00 recovered, the benefit stopped
    recover_fraud(huining_approver, e1.pk, first_month=JAN, last_month=FEB, fine_multiple="1",
                  reasons="隐瞒收入", on=dt.date(2027, 2, 20))
    # re-approved from March at 900.00: March pays 900.00 − 400.00 offset = 500.00
    e2 = start(hh, 90000, MAR, on=dt.date(2027, 2, 26))
    mar = s.build_roll(huining_finance, HUINING, MAR)
    assert lines_of(mar, e1) == []
    assert lines_of(mar, e2) == [("monthly", MAR, 90000)]
    offset = Line.objects.get(roll=mar, kind="offset")
    assert offset.amount_fen == -40000 and offset.rule == "NAT-DB-FRAUD"
    assert Payment.objects.get(roll=mar).amount_fen == 90000 - 40000
    release(mar, huining_finance, huining_finance_2)
    assert [left for _d, left in s.debts_of(huining_finance, hh)] == [0]  # repaid by the March offset


def test_tekun_centralised_paid_to_the_institution(make_household, start, huining_caseworker, huining_finance):
    hh = make_household(VILLAGE, "rural", [("孙五保", "self", dt.date(1940, 1, 1), "M", {})])
    person = hh.head
    t = start(hh, 120000, JAN, program="tekun", person=person)
    acct = s.enter_account(huining_caseworker, hh, bank="RCC", number="620422100201009999", person=person,
                           holder_name="会宁县中心敬老院", holder_kind="institution")
    s.confirm_account(huining_finance, acct.pk)
    roll = s.build_roll(huining_finance, HUINING, JAN)
    p = Payment.objects.get(roll=roll)
    assert p.account_id == acct.pk and p.payee == "会宁县中心敬老院" and p.amount_fen == 120000
    assert lines_of(roll, t) == [("monthly", JAN, 120000)]


def test_missing_account_is_paid_later_as_arrears(huining_household, start, account_for, huining_finance,
                                                  huining_finance_2):
    b = start(huining_household, 150000, JAN)
    jan = s.build_roll(huining_finance, HUINING, JAN)
    assert jan.total_fen == 0 and "没有复核通过的收款账户" in jan.warnings[0]
    release(jan, huining_finance, huining_finance_2)
    account_for(huining_household, 9)
    feb = s.build_roll(huining_finance, HUINING, FEB)
    assert lines_of(feb, b) == [("arrears", JAN, 150000), ("monthly", FEB, 150000)]


def test_bad_input_and_scope(huining_finance, baotou_approver, huining_finance_2):
    with pytest.raises(PaymentError) as e:
        s.build_roll(huining_finance, "62042", JAN)
    assert e.value.field == "county"
    with pytest.raises(PermissionDenied):
        s.build_roll(baotou_approver, HUINING, JAN)
    roll = s.build_roll(huining_finance, HUINING, JAN)
    with pytest.raises(PaymentError, match="须先经审核"):
        s.release_roll(huining_finance_2, roll.pk)
    assert roll.state == RollState.DRAFT


def test_stopped_from_the_first_paid_month_after_release(huining_household, start, account_for, huining_finance,
                                                         huining_finance_2):
    """Stopped from January (the county's first roll) after January was released: February takes the
    1500.00 back as a debt and pays nothing."""
    from doudi.benefits.services import _change

    b = start(huining_household, 150000, JAN)
    account_for(huining_household, 1)
    release(s.build_roll(huining_finance, HUINING, JAN), huining_finance, huining_finance_2)
    _change(b, None, "stop", JAN, dt.date(2027, 1, 28), amount=0, status="stopped", reasons="死亡")
    feb = s.build_roll(huining_finance, HUINING, FEB)
    assert lines_of(feb, b) == [("overpaid", JAN, -150000)] and feb.total_fen == 0
