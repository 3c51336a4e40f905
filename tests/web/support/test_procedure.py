"""The 特困 procedure through its services: deadlines, self-care tiers, support mode, care, termination.

Amounts are worked by hand from the rules: Huining urban (huining-2022, urban households) has the
低保 standard 700.00 yuan (placeholder, DB-14), TK-1 ratio 1.3 → basic standard 910.00 yuan; TK-2
care standards (placeholders) 70.00 full / 350.00 partial / 700.00 wholly lost.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from doudi.support import procedure as proc
from doudi.support import services as s
from doudi.support.models import Decision
from doudi.support.procedure import ProcedureError, self_care

D = dt.date
pytestmark = pytest.mark.django_db


# --- NAT-TK-SELFCARE tiers (pure) -------------------------------------------------------------

@pytest.mark.parametrize("unable, tier", [
    ([], "full"),                                             # 0 of 6 unable: full self-care
    (["bathing"], "partial"),                                 # 1 → partly lost
    (["bathing", "dressing", "walking"], "partial"),          # 3 → partly lost (upper bound)
    (["bathing", "dressing", "walking", "toileting"], "none"),  # 4 → wholly lost (lower bound)
    ([t for t, _ in proc.TASKS], "none"),                     # 6 → wholly lost
])
def test_the_self_care_tier_follows_the_count_of_tasks_the_person_cannot_do(unable, tier):
    assert self_care(unable).tier == tier
    assert self_care(unable).count == len(unable)


def test_the_self_care_sentence_names_the_tasks_in_chinese():
    sc = self_care({"bathing": True, "eating": True, "walking": False})
    assert sc.sentence().startswith("六项日常生活活动中 2 项不能完成（吃饭、洗澡）")
    assert "部分丧失生活自理能力" in sc.sentence()


def test_an_unknown_self_care_task_is_refused_with_the_field_named():
    with pytest.raises(ProcedureError) as e:
        self_care(["flying"])
    assert e.value.field == "tasks" and "flying" in e.value.message


# --- deadlines across holidays ----------------------------------------------------------------

def test_the_township_proposal_is_due_fifteen_working_days_after_acceptance_across_the_spring_festival(
        elder_household, walk):
    # accepted Thu 2026-02-12: Fri 13 (1), Sat 14 worked (2), 15–23 Feb Spring Festival off, Tue 24 (3),
    # 25 (4), 26 (5), 27 (6), Sat 28 worked (7), Mar 2 (8), 3 (9), 4 (10), 5 (11), 6 (12), 9 (13), 10 (14), 11 (15)
    case = walk(elder_household, to="accepted", start=D(2026, 2, 12))
    assert case.due_kind == "proposal"
    assert case.due_on == D(2026, 3, 11)
    assert case.due_warning == ""


def test_the_proposal_deadline_runs_on_after_the_investigation(elder_household, walk):
    case = walk(elder_household, to="investigated", start=D(2026, 2, 12))
    assert case.due_on == D(2026, 3, 11)


def test_the_public_notice_lasts_seven_days_and_cannot_be_closed_earlier(elder_household, walk, huining_reviewer):
    case = walk(elder_household, to="in_notice", start=D(2026, 3, 2))
    assert case.due_on == D(2026, 3, 9)  # 2 March + 7 days
    with pytest.raises(ProcedureError) as e:
        s.close_notice(huining_reviewer, case.pk, on=D(2026, 3, 8))
    assert e.value.field == "on"


def test_the_county_decides_within_fifteen_working_days_across_national_day(elder_household, walk):
    # notice put up Wed 2026-09-23, closed Wed 30 Sep: Oct 1–7 off, Thu 8 (1), Fri 9 (2), Sat 10 worked (3),
    # 12–16 (4–8), 19–23 (9–13), Mon 26 (14), Tue 27 (15)
    case = walk(elder_household, to="at_county", start=D(2026, 9, 23))
    assert case.due_kind == "county_decision"
    assert case.due_on == D(2026, 10, 27)


def test_a_refusal_is_notified_in_writing_within_three_working_days(elder_household, walk, huining_approver):
    case = walk(elder_household, to="at_county", start=D(2026, 9, 21))
    check = case.spot_checks.last()
    if check.selected:
        s.record_spot_check(huining_approver, case.pk, visited_on=D(2026, 9, 29), findings="有子女赡养",
                            consistent=False, on=D(2026, 9, 29))
    d = s.refuse(huining_approver, case.pk, reasons="有具备履行能力的赡养人", on=D(2026, 9, 30))
    # decided Wed 30 Sep: Oct 1–7 off, Thu 8 (1), Fri 9 (2), Sat 10 worked (3)
    assert d.notice_due_on == D(2026, 10, 10)


def test_a_reported_change_is_reassessed_within_ten_working_days_across_national_day(elder_household, walk,
                                                                                         huining_caseworker):
    case = walk(elder_household)
    a = s.report_change(huining_caseworker, case.pk, note="摔伤后卧床", reported_on=D(2026, 9, 30), on=D(2026, 9, 30))
    # Wed 30 Sep: Oct 1–7 off, 8 (1), 9 (2), Sat 10 worked (3), 12–16 (4–8), Mon 19 (9), Tue 20 (10)
    assert a.due_on == D(2026, 10, 20)
    assert a.due_warning == ""


def test_a_reassessment_due_in_2027_warns_that_the_holidays_are_not_entered(elder_household, walk,
                                                                            huining_caseworker):
    case = walk(elder_household)
    a = s.report_change(huining_caseworker, case.pk, note="病情加重", reported_on=D(2026, 12, 28), on=D(2026, 12, 28))
    # weekends only in 2027: Tue 29 (1), 30 (2), 31 (3), Fri 1 Jan (4), Mon 4 – Fri 8 (5–9), Mon 11 (10)
    assert a.due_on == D(2027, 1, 11)
    assert "2027年" in a.due_warning


# --- amounts by tier (TK-1, TK-2) ---------------------------------------------------------------

@pytest.mark.parametrize("unable, tier, fen", [
    ((), "full", 98000),                                          # 910.00 + 70.00 = 980.00
    (("bathing", "dressing"), "partial", 126000),                 # 910.00 + 350.00 = 1260.00
    (("bathing", "dressing", "walking", "toileting", "transfer"), "none", 161000),  # 910.00 + 700.00 = 1610.00
])
def test_the_approved_amount_is_the_basic_standard_plus_the_care_standard_of_the_tier(
        elder_household, walk, unable, tier, fen):
    case = walk(elder_household, unable=unable)
    d = case.decisions.get(kind=Decision.Kind.APPROVED)
    assert (d.care_tier, d.amount_fen) == (tier, fen)
    rules = [t["rule"] for t in d.assessment["programs"]["tekun"]["trace"]]
    assert "NAT-TK-SELFCARE" in rules and "TK-2" in rules


def test_support_starts_the_month_after_approval(elder_household, walk):
    case = walk(elder_household, start=D(2026, 3, 2))  # approved 2026-03-11
    assert case.state == "approved"
    assert case.support_from == D(2026, 4, 1)


def test_a_reassessed_tier_changes_the_amount_from_the_next_month(elder_household, walk, huining_caseworker):
    case = walk(elder_household, unable=("bathing",))  # partial: 1260.00
    s.report_change(huining_caseworker, case.pk, note="中风", reported_on=D(2026, 5, 6), on=D(2026, 5, 6))
    s.reassess(huining_caseworker, case.pk, unable=["bathing", "dressing", "walking", "toileting", "eating"],
               on=D(2026, 5, 12))
    d = case.decisions.get(kind=Decision.Kind.CHANGED)
    assert d.care_tier == "none"
    assert d.amount_fen == 161000  # 910.00 + 700.00
    assert d.effective_from == D(2026, 6, 1)


def test_a_reassessment_without_a_reported_change_is_refused(elder_household, walk, huining_caseworker):
    case = walk(elder_household)
    with pytest.raises(ProcedureError) as e:
        s.reassess(huining_caseworker, case.pk, unable=[], on=D(2026, 5, 12))
    assert e.value.field == "unable"


# --- roles and four eyes --------------------------------------------------------------------------

def test_a_village_assistant_cannot_accept(elder_household, walk, huining_village_assistant):
    case = walk(elder_household, to="submitted")
    with pytest.raises(PermissionDenied):
        s.accept(huining_village_assistant, case.pk)


def test_a_village_assistant_cannot_approve(elder_household, walk, huining_village_assistant):
    case = walk(elder_household, to="at_county")
    with pytest.raises(PermissionDenied):
        s.approve(huining_village_assistant, case.pk)


def test_an_investigator_cannot_approve_even_with_the_approver_role(elder_household, walk, huining_caseworker):
    from doudi.accounts.access import forget
    from doudi.accounts.models import RoleAssignment

    case = walk(elder_household, to="at_county")
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422")
    forget(huining_caseworker)
    case.spot_checks.update(selected=False)
    with pytest.raises(PermissionDenied) as e:
        s.approve(huining_caseworker, case.pk)
    assert "入户调查" in str(e.value)


def test_a_caseworker_of_another_township_cannot_see_the_case(elder_household, walk, other_town_caseworker,
                                                              baotou_approver):
    from django.http import Http404

    case = walk(elder_household, to="submitted")
    for user in (other_town_caseworker, baotou_approver):
        with pytest.raises(Http404):
            s.access_case(user, case.pk)
        assert not s.visible_cases(user).exists()


def test_a_drawn_case_cannot_be_approved_before_the_home_check(elder_household, walk, huining_approver):
    case = walk(elder_household, to="at_county")
    case.spot_checks.update(selected=True)
    with pytest.raises(ProcedureError) as e:
        s.approve(huining_approver, case.pk, on=D(2026, 3, 11))
    assert e.value.field == "spot_check"


def test_at_least_thirty_percent_of_proposals_are_drawn_for_a_home_check(make_household, walk):
    from ..conftest import HUINING_VILLAGE

    cases = []
    for i in range(10):
        hh = make_household(HUINING_VILLAGE, "urban", [(f"老人{i}", "self", D(1950, 1, 1 + i), "M", {})])
        cases.append(walk(hh, to="at_county"))
    drawn = sum(c.spot_checks.last().selected for c in cases)
    assert drawn >= 3  # ceil(0.30 × 10)
    assert cases[0].spot_checks.last().selected  # the first arrival: ceil(0.3 × 1) = 1 must be drawn
    assert all(c.spot_checks.last().reason for c in cases)


def test_a_step_taken_twice_takes_effect_once(elder_household, walk, huining_caseworker):
    case = walk(elder_household, to="submitted")
    s.accept(huining_caseworker, case.pk, version=case.version)
    with pytest.raises(ProcedureError):
        s.accept(huining_caseworker, case.pk, version=case.version)
    assert case.events.filter(action="accept").count() == 1


# --- support mode and dispersed care (TK-5, TK-6) ------------------------------------------------

def test_the_persons_choice_of_support_is_recorded_with_the_advice_for_lost_self_care(elder_household, walk):
    case = walk(elder_household, to="investigated", mode="dispersed", unable=("bathing",))
    assert case.mode == "dispersed"
    figures = case.events.get(action="investigate").figures
    assert "本人自主选择分散供养（TK-5）" in figures["mode"]
    assert "集中供养" in figures["mode"]  # partly lost self-care: encouraged into an institution


def test_dispersed_support_gets_a_guardian_with_named_duties_visits_and_replacement(elder_household, walk,
                                                                                   huining_caseworker):
    case = walk(elder_household, mode="dispersed")
    g = s.sign_agreement(huining_caseworker, case.pk, guardian_name="王二", relation="侄子",
                         duties=["每日送餐", "代购药品"], signed_on=D(2026, 4, 1), on=D(2026, 4, 1))
    assert g.duties == ["每日送餐", "代购药品"]
    assert g.next_visit_on == D(2026, 5, 1)  # 30 days (placeholder interval)
    s.record_visit(huining_caseworker, case.pk, visited_on=D(2026, 4, 28), findings="未按约送餐", duties_met=False,
                   on=D(2026, 4, 28))
    g.refresh_from_db()
    assert g.next_visit_on == D(2026, 5, 28)
    g2 = s.replace_guardian(huining_caseworker, case.pk, reason="未履行送餐职责", guardian_name="李大姐",
                            duties=["每日送餐"], signed_on=D(2026, 4, 30), on=D(2026, 4, 30))
    g.refresh_from_db()
    assert g.ended_on == D(2026, 4, 30) and g.end_reason == "未履行送餐职责"
    assert g2.active and s.active_guardianship(case) == g2


def test_centralised_support_needs_no_guardianship_agreement(elder_household, walk, huining_caseworker):
    case = walk(elder_household, mode="centralised")
    with pytest.raises(ProcedureError):
        s.sign_agreement(huining_caseworker, case.pk, guardian_name="王二", duties=["送餐"])


def test_necessities_come_every_six_months_for_dispersed_support(elder_household, walk, huining_caseworker):
    case = walk(elder_household, mode="dispersed")  # support from 2026-04-01
    first = case.necessities.get()
    assert first.due_on == D(2026, 10, 1)
    s.record_necessities(huining_caseworker, case.pk, items="棉被、冬衣", amount="320.50", given_on=D(2026, 9, 28),
                         on=D(2026, 9, 28))
    first.refresh_from_db()
    assert first.amount_fen == 32050
    assert case.necessities.filter(given_on__isnull=True).get().due_on == D(2027, 4, 1)


# --- termination (NAT-TK-END) ----------------------------------------------------------------------

def test_termination_is_noticed_seven_days_and_ends_support_from_the_next_month(elder_household, walk,
                                                                                huining_caseworker, huining_approver):
    case = walk(elder_household)
    t = s.propose_termination(huining_caseworker, case.pk, ground="supporter", facts="儿子返乡就业,有赡养能力",
                              on=D(2026, 6, 10))
    assert t.notice_ends_on == D(2026, 6, 17)
    with pytest.raises(ProcedureError):
        s.terminate(huining_approver, case.pk, on=D(2026, 6, 16))
    s.terminate(huining_approver, case.pk, on=D(2026, 6, 17))
    t.refresh_from_db()
    case.refresh_from_db()
    assert case.state == "terminated"
    assert t.ends_from == D(2026, 7, 1) == case.support_until
    assert t.follow_up["advice"] in ("dibao", "temporary")
    assert "NAT-TK-END" in t.follow_up["sentence"]


def test_termination_on_death_needs_no_follow_up_assessment(elder_household, walk, huining_caseworker,
                                                           huining_approver):
    case = walk(elder_household)
    s.propose_termination(huining_caseworker, case.pk, ground="death", facts="2026-06-01 病故", on=D(2026, 6, 2))
    t = s.terminate(huining_approver, case.pk, on=D(2026, 6, 9))
    assert "无需转介" in t.follow_up["sentence"]


def test_a_caseworker_cannot_decide_a_termination(elder_household, walk, huining_caseworker):
    case = walk(elder_household)
    s.propose_termination(huining_caseworker, case.pk, ground="voluntary", facts="本人申请退出", on=D(2026, 6, 2))
    with pytest.raises(PermissionDenied):
        s.terminate(huining_caseworker, case.pk, on=D(2026, 6, 10))


def test_approval_starts_the_benefit_from_the_month_after(elder_household, walk):
    pytest.importorskip("doudi.benefits.services")
    from doudi.benefits.models import Benefit

    case = walk(elder_household, unable=("bathing",))  # approved 2026-03-11
    b = Benefit.objects.get(household=elder_household, program="tekun")
    assert b.amount_fen == 126000 and b.start_month == D(2026, 4, 1)  # 910.00 + 350.00 from April
    assert "待遇已建立" in case.events.get(action="approve").figures["benefit"]
