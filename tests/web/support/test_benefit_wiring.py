"""特困 acts reach the person's benefit in doudi.benefits, in the same transaction: termination
(NAT-TK-END) ends it from the next month, a reassessed care tier (NAT-TK-SELFCARE, TK-2) changes
its monthly amount from the next month, and a later review keeps the assessed tier.

Figures (Huining urban, 620422 tekun.yaml and dibao.yaml, placeholders): 低保 standard 700.00;
TK-1 basic standard 700.00 × 1.3 = 910.00; TK-2 care standard full 70.00, partial 350.00,
none 700.00. The elder lives alone, aged 75, no income.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from doudi.accounts.models import AuditEntry
from doudi.benefits import services as b
from doudi.benefits.models import Benefit, ChangeKind, Review, Status
from doudi.support import services as s

D = dt.date
REASSESSED = D(2026, 5, 12)
FIVE = ["bathing", "dressing", "walking", "toileting", "eating"]


def _benefit(household) -> Benefit:
    return Benefit.objects.get(household=household, program="tekun")


def _paid(benefit, *months):
    return [a for _, a in b.monthly_amounts(benefit, list(months))]


def _terminate(case, caseworker, approver, ground="supporter", facts="儿子返乡就业,有赡养能力"):
    s.propose_termination(caseworker, case.pk, ground=ground, facts=facts, on=D(2026, 6, 10))
    return s.terminate(approver, case.pk, opinion="同意终止", on=D(2026, 6, 17))  # 7-day notice over on 06-17


def test_termination_ends_the_tekun_benefit_from_the_next_month_with_its_ground(
        elder_household, walk, huining_caseworker, huining_approver):
    case = walk(elder_household, unable=("bathing",))  # approved 2026-03-11: 910.00 + 350.00 = 1260.00 from April
    _terminate(case, huining_caseworker, huining_approver)
    benefit = _benefit(elder_household)
    assert benefit.status == Status.ENDED and benefit.end_month == D(2026, 7, 1)
    row = benefit.changes.order_by("-id").first()
    assert (row.kind, row.effective_month, row.amount_before_fen, row.amount_after_fen) == (
        ChangeKind.STOP, D(2026, 7, 1), 126000, 0)
    assert row.figures["ground"] == "supporter" and "NAT-TK-END" in row.reasons
    assert "儿子返乡就业" in row.reasons and row.actor == huining_approver
    # June is still paid, July no more: 1260.00, 0
    assert _paid(benefit, D(2026, 6, 1), D(2026, 7, 1)) == [126000, 0]
    assert AuditEntry.objects.filter(action="benefit.stop", object_id=str(benefit.pk)).exists()
    event = case.events.get(action="terminate")
    assert "自 2026年07月 起终止发放" in event.figures["benefit"]


def test_the_follow_up_dibao_assessment_is_written_in_the_benefit_history(
        elder_household, walk, huining_caseworker, huining_approver):
    case = walk(elder_household)
    t = _terminate(case, huining_caseworker, huining_approver)
    row = _benefit(elder_household).changes.order_by("-id").first()
    # one person, no income: 低保 700.00 × 1 − 0.00 = 700.00 a month
    assert t.follow_up["advice"] == "dibao" and t.follow_up["dibao_amount"] == "700.00"
    assert row.figures["follow_up"] == t.follow_up["sentence"] and "700.00" in row.reasons


def test_the_ground_of_regained_ability_reaches_benefits_under_its_own_name(
        elder_household, walk, huining_caseworker, huining_approver):
    case = walk(elder_household)
    _terminate(case, huining_caseworker, huining_approver, ground="ability", facts="康复,恢复劳动能力")
    row = _benefit(elder_household).changes.order_by("-id").first()
    assert row.figures["ground"] == "able" and "具备或恢复劳动能力" in row.reasons


def test_termination_closes_the_open_review_of_the_benefit(elder_household, walk, huining_caseworker,
                                                           huining_approver):
    case = walk(elder_household)
    benefit = _benefit(elder_household)
    b.report_change(huining_caseworker, benefit.pk, kind="other", occurred_on=D(2026, 6, 1), description="儿子返乡",
                    on=D(2026, 6, 2))
    _terminate(case, huining_caseworker, huining_approver)
    review = Review.objects.get(benefit=benefit)
    assert (review.state, review.outcome, review.effective_month) == ("done", "stop", D(2026, 7, 1))


def test_a_review_does_not_stop_a_tekun_benefit_behind_the_case(elder_household, walk, huining_caseworker,
                                                                huining_approver):
    case = walk(elder_household)
    benefit = _benefit(elder_household)
    report = b.report_change(huining_caseworker, benefit.pk, kind="other", occurred_on=D(2026, 5, 1),
                             description="本人自愿退出", on=D(2026, 5, 4))
    with pytest.raises(b.BenefitError) as e:
        b.decide_review(huining_approver, report.reviews.get().pk, reasons="本人申请退出", stop=True,
                        ground="voluntary", on=D(2026, 5, 6))
    assert e.value.field == "stop" and "特困案件" in e.value.message
    assert _benefit(elder_household).live
    _terminate(case, huining_caseworker, huining_approver, ground="voluntary", facts="本人申请退出")
    assert report.reviews.get().state == "done" and not _benefit(elder_household).live


def test_a_caseworker_cannot_end_a_benefit_directly(elder_household, walk, huining_caseworker):
    walk(elder_household)
    with pytest.raises(PermissionDenied):
        b.end_benefit(huining_caseworker, _benefit(elder_household), ground="voluntary", effective_month=D(2026, 7, 1),
                      reasons="本人申请", on=D(2026, 6, 17))


def _reassess(case, caseworker, unable, on=REASSESSED):
    s.report_change(caseworker, case.pk, note="中风", reported_on=D(2026, 5, 6), on=D(2026, 5, 6))
    return s.reassess(caseworker, case.pk, unable=unable, on=on)


def test_a_reassessed_care_tier_changes_the_benefit_from_the_next_month(elder_household, walk, huining_caseworker):
    case = walk(elder_household, unable=("bathing",))  # partial: 910.00 + 350.00 = 1260.00
    _reassess(case, huining_caseworker, FIVE)  # 5 of 6 tasks: wholly lost, 910.00 + 700.00 = 1610.00 from June
    benefit = _benefit(elder_household)
    assert benefit.amount_fen == 161000 and benefit.status == Status.ACTIVE
    row = benefit.changes.order_by("-id").first()
    assert (row.kind, row.effective_month, row.amount_before_fen, row.amount_after_fen) == (
        ChangeKind.AMOUNT, D(2026, 6, 1), 126000, 161000)
    assert "NAT-TK-SELFCARE" in row.figures["rules"] and "5 项不能完成" in row.reasons
    assert _paid(benefit, D(2026, 5, 1), D(2026, 6, 1)) == [126000, 161000]
    assert AuditEntry.objects.filter(action="benefit.amount", object_id=str(benefit.pk)).exists()
    assert "调整为 1610.00 元" in case.events.get(action="reassess").figures["benefit"]


def test_a_recovered_self_care_reduces_the_benefit_with_a_written_notice(elder_household, walk,
                                                                         huining_caseworker):
    case = walk(elder_household, unable=FIVE)  # wholly lost: 910.00 + 700.00 = 1610.00
    _reassess(case, huining_caseworker, ["bathing"])  # partial: 910.00 + 350.00 = 1260.00 from June
    row = _benefit(elder_household).changes.order_by("-id").first()
    assert (row.kind, row.amount_before_fen, row.amount_after_fen) == (ChangeKind.REDUCE, 161000, 126000)
    assert row.needs_notice


def test_a_reassessment_in_the_same_tier_leaves_the_benefit_alone(elder_household, walk, huining_caseworker):
    case = walk(elder_household, unable=("bathing",))
    _reassess(case, huining_caseworker, ["bathing", "dressing"])  # still partial (1–3 tasks): 1260.00
    assert _benefit(elder_household).changes.count() == 1  # the start only


def test_a_later_review_keeps_the_reassessed_care_tier(elder_household, walk, huining_caseworker, huining_approver):
    case = walk(elder_household, unable=("bathing",))
    _reassess(case, huining_caseworker, FIVE)  # 1610.00 from June
    benefit = _benefit(elder_household)
    report = b.report_change(huining_caseworker, benefit.pk, kind="other", occurred_on=D(2026, 8, 1),
                             description="年度走访", on=D(2026, 8, 3))
    review = b.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 8, 5))
    # still wholly lost (5 tasks): 910.00 + 700.00 = 1610.00, not the full-self-care 910.00 + 70.00 = 980.00
    assert (review.outcome, review.amount_after_fen) == ("continue", 161000)


def test_a_change_that_disagrees_with_the_policy_core_is_refused(elder_household, walk, huining_caseworker):
    walk(elder_household, unable=("bathing",))
    benefit = _benefit(elder_household)
    line = {"id_number": benefit.person.id_number, "name": "王老汉", "covered": True, "basic_standard": "910.00",
            "care_standard": "700.00", "amount": "1610.00", "self_care_tier": "none"}
    assessment = {"programs": {"tekun": {"eligible": True, "amount": "1610.00", "trace": []}},
                  "person_lines": {"tekun": [line]}}
    with pytest.raises(b.BenefitError) as e:
        b.change_benefit_amount(huining_caseworker, benefit, amount_fen=150000, effective_month=D(2026, 6, 1),
                                reasons="测试", assessment=assessment, on=D(2026, 5, 12))
    assert e.value.field == "amount_fen" and "1610.00" in e.value.message
    with pytest.raises(b.BenefitError) as e:
        b.change_benefit_amount(huining_caseworker, benefit, amount_fen=161000, effective_month=D(2026, 5, 1),
                                reasons="测试", assessment=assessment, on=D(2026, 5, 12))
    assert e.value.field == "effective_month"
    # the household's sum without the person's own line is not his amount (特困 is per person, TK-4)
    household_only = {"programs": {"tekun": {"eligible": True, "amount": "1610.00", "trace": []}}}
    with pytest.raises(b.BenefitError) as e:
        b.change_benefit_amount(huining_caseworker, benefit, amount_fen=161000, effective_month=D(2026, 6, 1),
                                reasons="测试", assessment=household_only, on=D(2026, 5, 12))
    assert e.value.field == "amount_fen" and "王老汉本人" in e.value.message


def test_a_change_of_standard_recomputes_a_tekun_benefit_with_its_assessed_care_tier(
        elder_household, walk, huining_approver_2):
    walk(elder_household, unable=("bathing",))  # partial: 910.00 + 350.00 = 1260.00
    change = b.start_standard_change(huining_approver_2, region="620422", residence="urban", new_standard="750",
                                     effective_from=D(2026, 7, 1), consumption_growth="5", source="会民发")
    line = change.lines.get(benefit=_benefit(elder_household))
    # TK-1 750.00 × 1.3 = 975.00, TK-2 partial 350.00: 1325.00 (not the full-self-care 975.00 + 70.00 = 1045.00)
    assert (line.kind, line.amount_after_fen) == ("gain", 132500)
