"""PR-5, worked by hand from the rule text: "Complaints and reports are recorded, checked and answered; favour
cases (人情保, 关系保), averaging, re-distribution and false claims are looked for" (gansu-2017 二(四):
"建立健全投诉举报核查制度，坚决查处人情保、关系保、平均保以及二次分配、虚报冒领等群众反映强烈的问题").

Where it is decided: doudi/reports/complaints.py (recorded, checked, answered within
`complaint_answer_working_days` = 15 working days, a placeholder), doudi/reports/indicators.py
(complaints_in_time), doudi/reports/anomalies.py (人情保/关系保: kin_without_second, approval_gap;
平均保: same_amount; 二次分配: shared_account; 虚报冒领: same_address, shared_account).
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.reports import anomalies, complaints, indicators

pytestmark = pytest.mark.django_db
D = dt.date


def _complaint(user, handler, received_on, **kw):
    base = dict(region="620422100201", channel="letter", received_on=received_on, subject_kind="staff",
                subject_name="某村干部", content="低保金被收走后重新分给他人", handler_id=handler.pk, anonymous=True,
                on=received_on)
    return complaints.record_complaint(user, **(base | kw))


def test_pr5_a_complaint_is_answered_within_15_working_days_counted_past_qingming(calendar, huining_caseworker,
                                                                                   huining_approver):
    # received Wed 2026-04-01: 2, 3 April (2); 4–6 April 清明 off; 7–10 (6); 13–17 (11); 20–23 (15) → 2026-04-23
    c = _complaint(huining_caseworker, huining_approver, D(2026, 4, 1))
    assert c.due_on == D(2026, 4, 23) and c.due_warning == ""
    complaints.add_note(huining_approver, c.pk, text="调取发放记录，约谈村干部", on=D(2026, 4, 10))
    c = complaints.answer(huining_approver, c.pk, outcome="founded", answer_text="属实，责令退还并追责",
                          answered_on=D(2026, 4, 23), on=D(2026, 4, 23))
    assert c.state == "answered" and c.answered_on == c.due_on  # the last day is still in time


def test_pr5_the_share_answered_in_time(calendar, huining_caseworker, huining_approver):
    # two complaints due in April 2026: one answered on its last day, one a day late → 1 of 2 in time
    a = _complaint(huining_caseworker, huining_approver, D(2026, 4, 1))   # due 2026-04-23
    b = _complaint(huining_caseworker, huining_approver, D(2026, 4, 2))   # 3, 7–10, 13–17, 20–24 → due 2026-04-24
    assert b.due_on == D(2026, 4, 24)
    complaints.answer(huining_approver, a.pk, outcome="unfounded", answer_text="不属实", answered_on=D(2026, 4, 23),
                      on=D(2026, 4, 30))
    complaints.answer(huining_approver, b.pk, outcome="unfounded", answer_text="不属实", answered_on=D(2026, 4, 27),
                      on=D(2026, 4, 30))
    r = indicators.complaints_in_time("620422", D(2026, 4, 1), D(2026, 4, 30))
    assert (r.numerator, r.denominator) == (1, 2)


# --- 二次分配: the money of several households reaching one account ------------------------------------------------

ACCOUNT = "620422100201000777"  # 18 digits, a rural credit cooperative account (no Luhn digit)


def _account(entered_by, confirmed_by, household, number, holder):
    from doudi.payments import services as pay

    a = pay.enter_account(entered_by, household, bank="RCC", number=number, holder_name=holder)
    if confirmed_by is not None:
        pay.confirm_account(confirmed_by, a.pk)
    return a


def test_pr5_redistribution_one_account_paid_for_two_households_is_listed(
        make_household, huining_caseworker, huining_caseworker_2, auditor, baotou_approver):
    a = make_household(members=[("甲一", "self", D(1970, 1, 1), "M", {})])
    b = make_household(members=[("乙二", "self", D(1971, 1, 1), "M", {})])
    c = make_household(members=[("丙三", "self", D(1972, 1, 1), "M", {})])
    d = make_household(members=[("丁四", "self", D(1973, 1, 1), "M", {})])
    _account(huining_caseworker, huining_caseworker_2, a, ACCOUNT, "甲一")
    _account(huining_caseworker, huining_caseworker_2, b, ACCOUNT, "乙二")   # the same number under another name
    _account(huining_caseworker, huining_caseworker_2, c, "620422100201000888", "丙三")  # its own account
    _account(huining_caseworker, None, d, ACCOUNT, "丁四")                   # entered, not confirmed: not paid to
    found = anomalies.shared_account(auditor, D(2026, 4, 15))
    # the number masked: first 4 and last 4 digits, 10 stars between
    assert [(f.subject, f.detail) for f in found] == [
        ("账户 6204**********0777", f"同一账号是 2 户家庭的在用收款账户：{'、'.join(sorted([a.number, b.number]))}")]
    assert ACCOUNT not in found[0].subject + found[0].detail
    assert anomalies.shared_account(baotou_approver, D(2026, 4, 15)) == []   # another city's auditor sees none
    assert "shared_account" in [c.id for c, _ in anomalies.run_all(auditor, D(2026, 4, 15))]


def test_pr5_averaging_the_detail_names_the_households_and_the_amount(make_household, auditor):
    from doudi.benefits.services import start_benefit

    village = "620422100202"
    for k in range(3):  # three live 低保 households of one village, 500.00 yuan each → 平均保
        hh = make_household(village, "urban", [(f"平{k}", "self", D(1970, 2, 1 + k), "M", {})])
        start_benefit(None, household=hh, program="dibao", amount_fen=50000, start_month=D(2026, 1, 1))
    found = anomalies.same_amount(auditor, D(2026, 4, 15))
    assert [(f.subject, f.detail) for f in found] == [(f"村（社区）{village}", "在保低保 3 户，月保障金额均为 500.00 元")]
