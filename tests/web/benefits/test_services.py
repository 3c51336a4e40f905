"""Benefits after approval: start, reported changes, reviews and their deadlines, 渐退, refusals,
fraud recovery. Amounts worked out by hand from the rule text (see conftest for the household)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.benefits import services
from doudi.benefits.models import Benefit, BenefitChange, Outcome, Review, Status
from doudi.benefits.reckon import BenefitError

D = dt.date


def test_start_writes_the_start_row_and_a_half_yearly_review_date_when_a_member_can_work(huining_benefit):
    b = huining_benefit
    assert b.amount_fen == 150000 and b.status == Status.ACTIVE and b.start_month == D(2026, 1, 1)
    # 张建国 (born 1975) is 50: able to work → every six months (DB-11, NAT-DB-REVIEW): 2026-01 + 6 = 2026-07-01
    assert b.cycle == "half_yearly" and b.next_review_on == D(2026, 7, 1)
    (row,) = b.changes.all()
    assert (row.kind, row.amount_before_fen, row.amount_after_fen, row.status_after) == ("start", 0, 150000, "active")


def test_a_household_nobody_in_which_can_work_is_reviewed_yearly(start, elderly_household):
    b = start(elderly_household, amount_fen=140000)
    assert b.cycle == "yearly" and b.next_review_on == D(2027, 1, 1)


def test_unstable_income_makes_the_review_half_yearly(start, elderly_household):
    b = start(elderly_household, amount_fen=140000, income_unstable=True)
    assert b.cycle == "half_yearly" and b.next_review_on == D(2026, 7, 1)


def test_tekun_is_reviewed_yearly(start, elderly_household):
    b = start(elderly_household, amount_fen=91000, program="tekun", person=_head(elderly_household))
    assert b.cycle == "yearly" and b.next_review_on == D(2027, 1, 1)


def test_starting_twice_for_one_decision_takes_effect_once(start, huining_household):
    a = start(huining_household, decision_ref=("cases", "decision", 7))
    b = start(huining_household, decision_ref=("cases", "decision", 7))
    assert a.pk == b.pk and Benefit.objects.count() == 1


def test_a_village_assistant_cannot_start_a_benefit(huining_household, huining_village_assistant):
    with pytest.raises(PermissionDenied):
        services.start_benefit(huining_village_assistant, household=huining_household, program="dibao",
                               amount_fen=100, start_month=D(2026, 1, 1))


def test_the_change_history_cannot_be_edited(huining_benefit):
    row = huining_benefit.changes.get()
    row.reasons = "改"
    with pytest.raises(ValueError):
        row.save()
    with pytest.raises(ValueError):
        row.delete()


# --- scheduled reviews ------------------------------------------------------------------------

def test_the_job_creates_a_scheduled_review_once_when_its_date_is_near(huining_benefit):
    from doudi.benefits.jobs import daily

    assert daily("2026-05-31")["reviews_created"] == 0  # 2026-07-01 is 31 days away (lead 30 days)
    assert daily("2026-06-01")["reviews_created"] == 1
    assert daily("2026-06-02")["reviews_created"] == 0
    review = Review.objects.get()
    # 10 working days after Wed 2026-07-01: Jul 2, 3, 6–10, 13, 14, 15 → 2026-07-15
    assert (review.trigger, review.scheduled_for, review.due_on) == ("scheduled", D(2026, 7, 1), D(2026, 7, 15))


def test_a_scheduled_review_deadline_skips_the_national_day_holiday(start, huining_household):
    from doudi.benefits.jobs import schedule_reviews

    start(huining_household, month=D(2026, 4, 1))  # half-yearly: review on 2026-10-01
    assert schedule_reviews(D(2026, 9, 15)) == 1
    review = Review.objects.get()
    # Oct 1–7 off; Oct 8 (1), 9 (2), Sat 10 worked (3), 12–16 (4–8), 19 (9), 20 (10)
    assert review.due_on == D(2026, 10, 20) and review.due_warning == ""


def test_a_scheduled_review_into_2027_carries_the_calendar_warning(start, elderly_household):
    from doudi.benefits.jobs import schedule_reviews

    start(elderly_household, amount_fen=140000, month=D(2026, 3, 1))  # yearly: 2027-03-01
    assert schedule_reviews(D(2027, 2, 20)) == 1
    review = Review.objects.get()
    # 2027 is not entered: weekends only. Mon Mar 1 → Mar 2–5 (4), 8–12 (9), 15 (10)
    assert review.due_on == D(2027, 3, 15) and "2027" in review.due_warning


# --- reported changes ------------------------------------------------------------------------

def test_a_reported_change_gets_a_review_in_ten_working_days_across_the_spring_festival(
        huining_benefit, huining_caseworker):
    report = services.report_change(huining_caseworker, huining_benefit.pk, kind="illness",
                                    occurred_on=D(2026, 2, 10), description="张建国住院", on=D(2026, 2, 13))
    review = report.reviews.get()
    # From Fri 2026-02-13: Sat 14 worked (1); 15–23 off; 24 (2), 25, 26, 27 (5), Sat 28 worked (6),
    # Mar 2 (7), 3 (8), 4 (9), 5 (10)
    assert (review.trigger, review.due_on) == ("reported", D(2026, 3, 5))


def test_a_death_is_reviewed_within_three_months_of_it(huining_benefit, huining_village_assistant):
    wife = huining_benefit.household.memberships_on(D(2026, 3, 1)).get(relation="spouse").person
    report = services.report_change(huining_village_assistant, huining_benefit.pk, kind="death", person_id=wife.pk,
                                    occurred_on=D(2026, 3, 31), description="李秀英病故", on=D(2026, 4, 2))
    review = report.reviews.get()
    assert (review.trigger, review.due_on) == ("death", D(2026, 6, 30))  # 2026-03-31 + 3 months
    assert report.member_facts == {"lives_together": False}


def test_a_report_names_the_missing_field(huining_benefit, huining_caseworker):
    with pytest.raises(BenefitError) as e:
        services.report_change(huining_caseworker, huining_benefit.pk, kind="illness", occurred_on=D(2026, 2, 1),
                               description=" ", on=D(2026, 2, 2))
    assert e.value.field == "description"


def test_a_baotou_caseworker_cannot_see_a_huining_benefit(huining_benefit, baotou_caseworker):
    with pytest.raises(Http404):
        services.report_change(baotou_caseworker, huining_benefit.pk, kind="illness", occurred_on=D(2026, 2, 1),
                               description="x", on=D(2026, 2, 2))


def test_a_reviewer_may_see_but_not_report(huining_benefit, huining_reviewer):
    with pytest.raises(PermissionDenied):
        services.report_change(huining_reviewer, huining_benefit.pk, kind="illness", occurred_on=D(2026, 2, 1),
                               description="x", on=D(2026, 2, 2))


# --- review decisions ---------------------------------------------------------------------------

REPORTED_ON = D(2026, 3, 5)


def _head(household):
    """The household's head: a 特困 benefit belongs to one person (TK-4)."""
    return household.memberships.get(relation="self").person


def _report(user, benefit, kind, facts=None, on=REPORTED_ON, who="self"):
    person = benefit.household.memberships_on(on).get(relation=who).person
    return services.report_change(user, benefit.pk, kind=kind, person_id=person.pk, member_facts=facts or {},
                                  occurred_on=on - dt.timedelta(days=3), description="报告", on=on)


def test_a_review_without_change_continues_and_sets_the_next_review(huining_benefit, huining_caseworker,
                                                                    huining_approver):
    report = _report(huining_caseworker, huining_benefit, "other")
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 3, 10))
    b = Benefit.objects.get()
    assert review.outcome == Outcome.CONTINUE and b.amount_fen == 150000
    assert b.next_review_on == D(2026, 9, 10)  # half-yearly from the review
    assert b.changes.last().effective_month == D(2026, 4, 1)


def test_lower_wages_raise_the_amount_from_next_month(huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 300}})
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="工资下降", on=D(2026, 3, 10))
    # 700.00 × 3 − 300.00 = 1800.00
    assert review.outcome == Outcome.CHANGE and review.amount_after_fen == 180000
    row = BenefitChange.objects.filter(kind="amount").get()
    assert (row.amount_before_fen, row.amount_after_fen, row.effective_month) == (150000, 180000, D(2026, 4, 1))


def test_a_reduction_needs_written_reasons(huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 900}})
    with pytest.raises(BenefitError) as e:
        services.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 3, 10))
    assert e.value.field == "reasons"
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="工资上涨", on=D(2026, 3, 10))
    # 700.00 × 3 − 900.00 = 1200.00
    assert review.outcome == Outcome.REDUCE and review.amount_after_fen == 120000


def test_a_caseworker_cannot_decide_a_review(huining_benefit, huining_caseworker):
    report = _report(huining_caseworker, huining_benefit, "other")
    with pytest.raises(PermissionDenied):
        services.decide_review(huining_caseworker, report.reviews.get().pk, reasons="", on=D(2026, 3, 10))


def test_three_refused_offers_stop_the_refusers_own_share(huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "refused_work", {"refused_work_offers": 3})
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="三次拒绝介绍的工作",
                                    on=D(2026, 3, 10))
    # NAT-DB-WORK/huining (threshold 3, reduction 1 = stopped): his share of the gap 1500.00 ÷ 3 = 500.00;
    # 1500.00 − 500.00 = 1000.00
    assert review.outcome == Outcome.REDUCE and review.amount_after_fen == 100000
    assert BenefitChange.objects.filter(kind="work_refusal").count() == 1


def test_a_job_found_starts_six_months_of_gradual_exit_then_the_benefit_stops(
        huining_benefit, huining_caseworker, huining_approver):
    from doudi.benefits.jobs import daily
    from doudi.benefits.reckon import exit_month_number

    report = _report(huining_caseworker, huining_benefit, "found_work", {"monthly_income": {"wages": 2500}})
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="张建国就业,月工资2500元",
                                    on=D(2026, 3, 10))
    # 2500.00 > 700.00 × 3 = 2100.00 through work: 渐退 6 months (huining-2022 二(一)二.2), amount kept
    b = Benefit.objects.get()
    assert review.outcome == Outcome.GRADUAL_EXIT and b.status == Status.GRADUAL_EXIT and b.amount_fen == 150000
    # months April (1) … September (6); June is the 3rd
    assert (b.exit_first_month, b.exit_months, b.exit_last_month) == (D(2026, 4, 1), 6, D(2026, 9, 1))
    assert exit_month_number(b.exit_first_month, 6, D(2026, 6, 15)) == 3
    assert daily("2026-09-30")["exits_ended"] == 0
    assert daily("2026-10-01")["exits_ended"] == 1
    b.refresh_from_db()
    assert b.status == Status.STOPPED and b.amount_fen == 0 and b.end_month == D(2026, 10, 1)
    assert BenefitChange.objects.filter(kind="exit").get().effective_month == D(2026, 10, 1)


def test_income_above_the_standard_not_through_work_stops_at_once(huining_benefit, huining_caseworker,
                                                                  huining_approver):
    report = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 600,
                                                                                         "property": 1900}})
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="出租房屋收入", on=D(2026, 3, 10))
    assert review.outcome == Outcome.STOP and Benefit.objects.get().status == Status.STOPPED


def test_tekun_ends_after_seven_days_notice_from_the_next_month(start, elderly_household, huining_caseworker,
                                                                huining_approver):
    b = start(elderly_household, amount_fen=91000, program="tekun", person=_head(elderly_household))
    report = _report(huining_caseworker, b, "other")
    with pytest.raises(BenefitError) as e:
        services.decide_review(huining_approver, report.reviews.get().pk, reasons="本人申请", stop=True,
                               on=D(2026, 3, 27))
    assert e.value.field == "ground"
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="本人申请", stop=True,
                                    ground="voluntary", on=D(2026, 3, 27))
    # notice 2026-03-27 + 7 days = 2026-04-03; ends from the next month: 2026-05
    assert review.effective_month == D(2026, 5, 1)
    assert "NAT-TK-END" in review.reasons and "低保" in review.reasons and "自愿申请退出" in review.reasons


# --- NAT-DB-FRAUD -----------------------------------------------------------------------------------

def test_fraud_recovers_the_months_paid_and_fines_two_times(huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 300}})
    services.decide_review(huining_approver, report.reviews.get().pk, reasons="工资下降", on=D(2026, 3, 10))
    # paid: Jan–Mar 1500.00, from April 1800.00
    rec = services.recover_fraud(huining_approver, huining_benefit.pk, first_month=D(2026, 2, 1),
                                 last_month=D(2026, 5, 1), fine_multiple="2", reasons="隐瞒收入", on=D(2026, 5, 20))
    # Feb 1500 + Mar 1500 + Apr 1800 + May 1800 = 6600.00; fine 2 × 6600.00 = 13200.00
    assert rec.amount_fen == 660000 and rec.fine_fen == 1320000
    assert [a for _, a in rec.months] == [150000, 150000, 180000, 180000]
    b = Benefit.objects.get()
    assert b.status == Status.STOPPED and b.end_month == D(2026, 6, 1)


def test_a_fine_of_one_and_a_half_times_rounds_half_up(start, huining_household, huining_approver):
    b = start(huining_household, amount_fen=33333)
    rec = services.recover_fraud(huining_approver, b.pk, first_month=D(2026, 1, 1), last_month=D(2026, 1, 1),
                                 fine_multiple="1.5", reasons="虚报", on=D(2026, 2, 3))
    # 333.33 × 1.5 = 499.995 → 500.00
    assert rec.amount_fen == 33333 and rec.fine_fen == 50000


@pytest.mark.parametrize("multiple", ["0.5", "3.5", "两倍", "1.005"])
def test_a_fine_outside_one_to_three_times_is_refused(huining_benefit, huining_approver, multiple):
    with pytest.raises(BenefitError) as e:
        services.recover_fraud(huining_approver, huining_benefit.pk, first_month=D(2026, 1, 1),
                               last_month=D(2026, 1, 1), fine_multiple=multiple, reasons="x", on=D(2026, 2, 3))
    assert e.value.field == "fine_multiple"


def test_months_not_yet_paid_cannot_be_recovered(huining_benefit, huining_approver):
    with pytest.raises(BenefitError) as e:
        services.recover_fraud(huining_approver, huining_benefit.pk, first_month=D(2026, 1, 1),
                               last_month=D(2026, 4, 1), fine_multiple="1", reasons="x", on=D(2026, 2, 3))
    assert e.value.field == "last_month"


def test_a_caseworker_cannot_decide_a_recovery(huining_benefit, huining_caseworker):
    with pytest.raises(PermissionDenied):
        services.recover_fraud(huining_caseworker, huining_benefit.pk, first_month=D(2026, 1, 1),
                               last_month=D(2026, 1, 1), fine_multiple="1", reasons="x", on=D(2026, 2, 3))


def test_after_a_death_the_review_recomputes_without_the_member(huining_benefit, huining_village_assistant,
                                                                huining_approver):
    wife = huining_benefit.household.memberships_on(D(2026, 3, 1)).get(relation="spouse").person
    report = services.report_change(huining_village_assistant, huining_benefit.pk, kind="death", person_id=wife.pk,
                                    occurred_on=D(2026, 3, 1), description="李秀英病故", on=D(2026, 3, 2))
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="家庭成员死亡,保障人数减为 2 人",
                                    on=D(2026, 3, 20))
    # 700.00 × 2 − 600.00 = 800.00
    assert review.outcome == Outcome.REDUCE and review.amount_after_fen == 80000


def test_two_refusals_in_huining_change_nothing(huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "refused_work", {"refused_work_offers": 2})
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 3, 10))
    assert review.outcome == Outcome.CONTINUE and review.amount_after_fen == 150000  # NAT-DB-WORK: 3 in a row


def test_in_wuhai_one_refusal_stops_the_refusers_share(start, make_household, wuhai_caseworker, cast):
    from doudi.accounts.models import RoleAssignment

    approver = cast["baotou_approver"]
    RoleAssignment.objects.create(user=approver, role="county_approver", area="150302")
    hh = make_household("150302001001", "urban", [("胡海燕", "self", D(1990, 7, 7), "F", {}),
                                                  ("胡洋", "child", D(2015, 1, 1), "M", {})])
    b = start(hh, amount_fen=112000)  # 560.00 × 2 (Wuhai urban standard, a placeholder)
    report = _report(wuhai_caseworker, b, "refused_work", {"refused_work_offers": 1})
    review = services.decide_review(approver, report.reviews.get().pk, reasons="拒绝介绍的工作", on=D(2026, 3, 10))
    # DB-10 (wuhai-2014 八.12, any refusal): her share 1120.00 ÷ 2 = 560.00 stopped → 560.00
    assert review.amount_after_fen == 56000 and "DB-10" in {t["rule"] for t in
                                                            review.assessment["programs"]["dibao"]["trace"]}


def test_the_same_report_submitted_twice_takes_effect_once(huining_benefit, huining_caseworker):
    a = _report(huining_caseworker, huining_benefit, "illness")
    b = _report(huining_caseworker, huining_benefit, "illness")
    assert a.pk == b.pk and Review.objects.count() == 1


def test_the_worklist_items_have_the_contract_shape(huining_benefit, huining_caseworker, huining_approver,
                                                   baotou_caseworker):
    from doudi.benefits.worklist import items

    _report(huining_caseworker, huining_benefit, "illness")
    (item,) = items(huining_approver, today=D(2026, 3, 19))
    # reported Thu 2026-03-05 + 10 working days: Mar 6, 9–13, 16–19 → 2026-03-19
    assert item["deadline"] == D(2026, 3, 19) and item["due_today"] and not item["overdue"]
    # the review is the county's to decide: not on the reporting caseworker's worklist, nor Baotou's
    assert items(huining_caseworker) == [] and items(baotou_caseworker) == []


def test_temporary_assistance_in_three_stages_ends_after_its_last_month(start, huining_household):
    from doudi.benefits.jobs import daily

    b = start(huining_household, amount_fen=50000, program="temporary", month=D(2026, 2, 1),
              last_month=D(2026, 4, 1))
    assert b.next_review_on is None and b.cycle == "none"
    assert daily("2026-04-30")["terms_ended"] == 0
    assert daily("2026-05-01")["terms_ended"] == 1
    b.refresh_from_db()
    assert b.status == Status.ENDED and b.end_month == D(2026, 5, 1)
    paid = services.monthly_amounts(b, [D(2026, 1, 1), D(2026, 2, 1), D(2026, 4, 1), D(2026, 5, 1)])
    assert [a for _, a in paid] == [0, 50000, 50000, 0]


def test_a_household_has_one_live_dibao_benefit_at_a_time(start, huining_benefit, huining_household):
    with pytest.raises(BenefitError) as e:
        start(huining_household, decision_ref=("cases", "decision", 99))
    assert e.value.field == "household"


def test_a_job_lost_during_gradual_exit_brings_the_household_back_to_full_benefit(
        huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "found_work", {"monthly_income": {"wages": 2500}})
    services.decide_review(huining_approver, report.reviews.get().pk, reasons="就业", on=D(2026, 3, 10))
    lost = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 0}},
                   on=D(2026, 5, 6))
    review = services.decide_review(huining_approver, lost.reviews.get().pk, reasons="失业", on=D(2026, 5, 12))
    b = Benefit.objects.get()
    # 700.00 × 3 − 0 = 2100.00 from June; the 渐退期 is over
    assert (b.status, b.amount_fen, b.exit_first_month) == (Status.ACTIVE, 210000, None)
    assert review.effective_month == D(2026, 6, 1) and "结束渐退" in review.reasons


def test_a_review_during_gradual_exit_with_income_still_high_keeps_the_exit(
        huining_benefit, huining_caseworker, huining_approver):
    report = _report(huining_caseworker, huining_benefit, "found_work", {"monthly_income": {"wages": 2500}})
    services.decide_review(huining_approver, report.reviews.get().pk, reasons="就业", on=D(2026, 3, 10))
    again = _report(huining_caseworker, huining_benefit, "income", {"monthly_income": {"wages": 2600}},
                    on=D(2026, 5, 6))
    review = services.decide_review(huining_approver, again.reviews.get().pk, reasons="", on=D(2026, 5, 12))
    b = Benefit.objects.get()
    assert review.outcome == Outcome.CONTINUE and b.status == Status.GRADUAL_EXIT and b.amount_fen == 150000
    assert "现为第 2 个月" in review.reasons  # April (1), May (2)


def test_a_death_still_in_the_registry_is_pointed_out(huining_benefit, huining_village_assistant):
    wife = huining_benefit.household.memberships_on(D(2026, 3, 1)).get(relation="spouse").person
    report = services.report_change(huining_village_assistant, huining_benefit.pk, kind="death", person_id=wife.pk,
                                    occurred_on=D(2026, 3, 1), description="李秀英病故", on=D(2026, 3, 2))
    r = services.reassess(Benefit.objects.get(), D(2026, 3, 5), [report])
    assert any("办理减员" in n for n in r.notes)
