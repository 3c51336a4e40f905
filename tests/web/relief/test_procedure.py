"""Temporary assistance through its services: urgent help first, stages, the township ceiling, the
normal path's amount (TA-1, TA-2), refusal, referral (TA-4) and the 救急难 register (TA-6).

Huining urban (huining-2022 governs urban households): urban 低保 standard 700.00 yuan (placeholder),
TA-1 months capped at 6; TA-2 case by case. The township ceiling `temporary.township_ceiling` is the
national placeholder 1000.00 yuan.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.relief import services as s
from doudi.relief.procedure import ProcedureError

from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db


def test_urgent_help_is_registered_with_simplified_checks_and_awaits_one_approval(urgent):
    case = urgent()
    assert case.state == "urgent" and case.path == "urgent"
    assert case.stages_fen == [300000]  # no plan given: one payment of the whole 3000.00
    ev = case.events.get()
    assert ev.action == "help_first" and ev.figures["policy_amount"] == "3000.00"


def test_the_case_by_case_amount_needs_its_reasoning(huining_caseworker, huining_household):
    with pytest.raises(ProcedureError) as e:
        s.help_first(huining_caseworker, household_id=huining_household.pk, kind="fire", description="失火",
                     simplified_check="已核实", amount="3000", reasoning="  ")
    assert e.value.field == "reasoning"


def test_a_stage_plan_must_add_up_to_the_amount(urgent):
    with pytest.raises(ProcedureError) as e:
        urgent(amount="3000", stages=["1000", "1500"])  # 2500.00 ≠ 3000.00
    assert e.value.field == "stages" and "2500.00" in e.value.message


def test_the_township_approves_within_its_ceiling(urgent, huining_reviewer):
    case = urgent(amount="800")  # 800.00 ≤ 1000.00
    d = s.approve(huining_reviewer, case.pk, on=DAY)
    assert d.level == "township" and d.amount_fen == 80000 and d.ceiling_fen == 100000


def test_above_the_ceiling_the_township_cannot_approve_and_the_county_can(urgent, huining_reviewer,
                                                                         huining_approver):
    case = urgent(amount="3000")  # 3000.00 > 1000.00
    with pytest.raises(PermissionDenied) as e:
        s.approve(huining_reviewer, case.pk, on=DAY)
    assert "1000.00" in str(e.value) and "县级" in str(e.value)
    d = s.approve(huining_approver, case.pk, on=DAY)
    assert d.level == "county" and d.amount_fen == 300000


def test_one_approval_is_paid_in_stages_and_later_stages_wait_for_the_paperwork(
        urgent, huining_approver, huining_finance, huining_caseworker, huining_caseworker_2):
    case = urgent(amount="3000", stages=["1000", "2000"])
    s.approve(huining_approver, case.pk, on=DAY)
    first = s.pay_stage(huining_finance, case.pk, on=DAY)
    assert (first.seq, first.amount_fen) == (1, 100000)
    with pytest.raises(ProcedureError) as e:
        s.pay_stage(huining_finance, case.pk, on=DAY)
    assert e.value.field == "paperwork"
    s.complete_paperwork(huining_caseworker_2, case.pk, visited_on=DAY, findings="补充入户调查,情况属实",
                         signed_by_family=True, authorisation=True, investigators=[huining_caseworker.pk],
                         on=D(2026, 3, 4))
    second = s.pay_stage(huining_finance, case.pk, on=D(2026, 3, 5))
    assert (second.seq, second.amount_fen) == (2, 200000)
    case.refresh_from_db()
    assert case.state == "closed"


def test_the_paperwork_is_due_five_working_days_after_approval_across_national_day(urgent, huining_approver):
    case = urgent(on=D(2026, 9, 30))
    s.approve(huining_approver, case.pk, on=D(2026, 9, 30))
    case.refresh_from_db()
    # Wed 30 Sep: Oct 1–7 off, Thu 8 (1), Fri 9 (2), Sat 10 worked (3), Mon 12 (4), Tue 13 (5)
    assert case.paperwork_due_on == D(2026, 10, 13)


def test_whoever_registered_the_urgent_help_cannot_approve_it(urgent, huining_caseworker):
    from doudi.accounts.access import forget
    from doudi.accounts.models import RoleAssignment

    case = urgent(amount="500")
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422")
    forget(huining_caseworker)
    with pytest.raises(PermissionDenied) as e:
        s.approve(huining_caseworker, case.pk, on=DAY)
    assert "先行救助" in str(e.value)


def test_a_village_assistant_cannot_help_first_or_approve(urgent, huining_village_assistant, huining_household):
    with pytest.raises(PermissionDenied):
        s.help_first(huining_village_assistant, household_id=huining_household.pk, kind="fire", description="失火",
                     simplified_check="已核实", amount="500", reasoning="受灾")
    case = urgent(amount="500")
    with pytest.raises(PermissionDenied):
        s.approve(huining_village_assistant, case.pk, on=DAY)


def test_users_of_other_areas_cannot_see_the_case(urgent, other_town_caseworker, baotou_approver):
    case = urgent()
    for user in (other_town_caseworker, baotou_approver):
        with pytest.raises(Http404):
            s.access_case(user, case.pk)
        with pytest.raises(Http404):
            s.approve(user, case.pk)


def _normal(cw, cw2, household, *, people=None, months=None, amount=None, reasoning=""):
    case = s.submit(cw, household_id=household.pk, description="子女就医自付费用高,生活困难", on=DAY)
    s.accept(cw, case.pk, on=DAY)
    s.investigate(cw, case.pk, visited_on=DAY, findings="医疗支出超出家庭承受能力", people=people, months=months,
                  amount=amount, reasoning=reasoning, signed_by_family=True, authorisation=True,
                  investigators=[cw2.pk], on=DAY)
    case.refresh_from_db()
    return case


def test_the_normal_path_amount_follows_ta1_in_huining_urban(huining_caseworker, huining_caseworker_2,
                                                              huining_household, huining_approver):
    case = _normal(huining_caseworker, huining_caseworker_2, huining_household, people=3, months=2)
    d = s.approve(huining_approver, case.pk, on=D(2026, 3, 4))
    assert d.amount_fen == 420000  # 700.00 × 3 people × 2 months = 4200.00
    assert [t["rule"] for t in d.assessment["programs"]["temporary"]["trace"]][-1] == "TA-1"


def test_ta1_months_are_capped_at_six(huining_caseworker, huining_caseworker_2, huining_household, huining_approver):
    case = _normal(huining_caseworker, huining_caseworker_2, huining_household, people=2, months=9)
    d = s.approve(huining_approver, case.pk, on=D(2026, 3, 4))
    assert d.amount_fen == 840000  # 700.00 × 2 × 6 (9 months declared, capped at 6) = 8400.00


def test_the_normal_path_deadlines_are_counted_in_working_days(huining_caseworker, huining_household):
    case = s.submit(huining_caseworker, household_id=huining_household.pk, description="支出型困难",
                    on=D(2026, 2, 12))
    s.accept(huining_caseworker, case.pk, on=D(2026, 2, 12))
    case.refresh_from_db()
    # Thu 12 Feb: Fri 13 (1), Sat 14 worked (2), 15–23 Feb off, Tue 24 (3)
    assert case.due_on == D(2026, 2, 24)


def test_a_refusal_records_reasons_and_its_notice_deadline(huining_caseworker, huining_caseworker_2,
                                                           huining_household, huining_reviewer):
    case = _normal(huining_caseworker, huining_caseworker_2, huining_household, people=3, months=1)
    d = s.refuse(huining_reviewer, case.pk, reasons="家庭人均收入高于当地标准", on=D(2026, 9, 30))
    assert d.notice_due_on == D(2026, 10, 10)  # 8 Oct (1), 9 (2), Sat 10 worked (3)
    s.notify_refusal(huining_caseworker, case.pk, notified_on=D(2026, 10, 9), on=D(2026, 10, 9))
    case.refresh_from_db()
    assert case.state == "refusal_notified"


def test_referral_onward_registers_a_request_at_the_one_window(urgent, huining_caseworker):
    from doudi.cases.models import WindowRequest

    case = urgent()
    r = s.refer(huining_caseworker, case.pk, to="dibao", note="家庭收入低于低保标准")
    req = WindowRequest.objects.get(pk=r.window_request_id)
    assert req.program == "dibao" and case.number in req.description
    d = s.refer(huining_caseworker, case.pk, to="disaster", note="房屋受灾")
    assert d.window_request_id is None
    with pytest.raises(ProcedureError):
        s.refer(huining_caseworker, case.pk, to="dibao")


def test_an_approved_urgent_case_enters_the_register_and_is_followed_up(urgent, huining_approver, huining_caseworker):
    case = urgent()
    s.approve(huining_approver, case.pk, on=DAY)
    entry = case.register_entry
    assert entry.opened_on == DAY and entry.next_follow_up_on == D(2026, 4, 1)  # 30 days (placeholder)
    s.follow_up(huining_caseworker, entry.pk, situation="已租房暂住", action_taken="转介住房救助", on_date=D(2026, 3, 30))
    entry.refresh_from_db()
    assert entry.next_follow_up_on == D(2026, 4, 29)
    s.follow_up(huining_caseworker, entry.pk, situation="房屋已修复", close=True, closing_note="生活恢复正常",
                on_date=D(2026, 4, 28))
    entry.refresh_from_db()
    assert entry.closed_on == D(2026, 4, 28) and entry.next_follow_up_on is None


def test_the_worklist_shows_the_urgent_decision_to_the_approver(urgent, huining_approver, huining_village_assistant):
    case = urgent()
    items = s.worklist_items(huining_approver, today=DAY)
    assert any(case.number in i["title"] for i in items)
    assert s.worklist_items(huining_village_assistant, today=DAY) == []


def test_wuhai_refuses_a_grant_outside_its_bounds(make_household, wuhai_caseworker, cast):
    from doudi.accounts.models import RoleAssignment

    from ..conftest import WUHAI_VILLAGE

    hh = make_household(WUHAI_VILLAGE, "urban", [("胡海燕", "self", D(1990, 7, 7), "F", {})])
    with pytest.raises(ProcedureError) as e:  # refused when typed (issue 9: every typed amount is bounded)
        s.help_first(wuhai_caseworker, household_id=hh.pk, kind="fire", description="失火",
                     simplified_check="已核实", amount="40000", reasoning="房屋全毁")
    assert "30000.00" in e.value.message and e.value.field == "amount"
    case = s.help_first(wuhai_caseworker, household_id=hh.pk, kind="fire", description="失火",
                        simplified_check="已核实", amount="30000", reasoning="房屋全毁")
    type(case).objects.filter(pk=case.pk).update(decided_amount_fen=4_000_000)  # as if typed before the check
    approver = cast["baotou_approver"]
    RoleAssignment.objects.create(user=approver, role="county_approver", area="150302")
    with pytest.raises(ProcedureError) as e:
        s.approve(approver, case.pk, on=DAY)  # TA-3: 200–30000 yuan per grant in Wuhai
    assert "30000.00" in e.value.message
