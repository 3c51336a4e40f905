"""The disaster rules as plain Python, each expected figure worked by hand from rules.md.

DR-2: report within 2 hours; the zero report (零报告) on a day with none. DR-3: national 70 %, city
15 %, affected county 15 %. DR-4: collapsed houses, 低保 households, dispersed 特困, disabled families.
DR-5: the five relief stages. DR-1: the four steps, each its own role.
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.disaster import procedure as p

UTC = dt.UTC


def test_dr2_a_report_within_two_hours_is_on_time_and_later_is_late():
    occurred = dt.datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    # DR-2: within 2 hours → by 12:00
    assert p.report_deadline(occurred) == dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    assert not p.report_late(occurred, dt.datetime(2026, 3, 2, 11, 59, tzinfo=UTC))
    assert not p.report_late(occurred, dt.datetime(2026, 3, 2, 12, 0, tzinfo=UTC))
    assert p.report_late(occurred, dt.datetime(2026, 3, 2, 12, 1, tzinfo=UTC))


def test_dr2_townships_that_sent_neither_report_are_missing_once_the_zero_report_is_due():
    towns = ["620422100", "620422101", "620422102"]
    day = dt.date(2026, 3, 2)
    # zero_report_hour 17 (placeholder): before 17:00 nobody is missing yet
    assert p.missing_townships(towns, set(), day, dt.datetime(2026, 3, 2, 16, 59, tzinfo=UTC)) == []
    # after it: the two that sent neither an event report nor a zero report
    assert p.missing_townships(towns, {"620422101"}, day, dt.datetime(2026, 3, 2, 17, 0, tzinfo=UTC)) == [
        "620422100", "620422102"]


def test_dr3_shares_are_70_15_15_of_the_event_funds():
    # 100 000.00 yuan: 70 000.00 national, 15 000.00 city, 15 000.00 county
    s = p.split_funding(10_000_000)
    assert (s.national_fen, s.city_fen, s.county_fen) == (7_000_000, 1_500_000, 1_500_000)


def test_dr3_the_fen_left_by_rounding_fall_to_the_affected_county():
    # 333.33 yuan = 33 333 fen: 70 % = 23 333.1 → 23 333; 15 % = 4 999.95 → 4 999; county 33 333 − 23 333 − 4 999 = 5 001
    s = p.split_funding(33_333)
    assert (s.national_fen, s.city_fen, s.county_fen) == (23_333, 4_999, 5_001)
    assert s.national_fen + s.city_fen + s.county_fen == 33_333


def test_dr3_a_negative_total_is_refused():
    with pytest.raises(p.ProcedureError) as e:
        p.split_funding(-1)
    assert e.value.field == "total"


@pytest.mark.parametrize("flags, rank", [
    ({"collapsed": True, "dibao": True, "tekun_dispersed": True, "disabled": True}, 1),  # the first one counts
    ({"collapsed": False, "dibao": True, "tekun_dispersed": True, "disabled": True}, 2),
    ({"collapsed": False, "dibao": False, "tekun_dispersed": True, "disabled": True}, 3),
    ({"collapsed": False, "dibao": False, "tekun_dispersed": False, "disabled": True}, 4),
    ({"collapsed": False, "dibao": False, "tekun_dispersed": False, "disabled": False}, 5),
])
def test_dr4_priority_follows_the_order_of_the_rule(flags, rank):
    # DR-4: 倒房重建户 > 受灾低保户 > 散居特困人员 > 残疾人家庭 > the rest
    assert p.priority(**flags) == rank


def test_dr5_the_five_relief_stages():
    assert list(p.STAGE_NAMES.values()) == ["应急期救助", "过渡期生活救助", "旱灾临时生活困难救助", "冬春临时生活困难救助",
                                            "因灾倒损民房恢复重建"]


def test_dr1_four_steps_each_taken_by_its_own_role():
    # 户申 (village or township records it), 村评 (village), 乡审 (township reviewer), 县定 (county)
    assert p.allowed_actions(p.State.APPLIED, {"case.report"}) == [p.Action.APPRAISE, p.Action.WITHDRAW]
    assert p.allowed_actions(p.State.APPLIED, {"case.review", "case.approve"}) == []
    assert p.allowed_actions(p.State.APPRAISED, {"case.review"}) == [p.Action.REVIEW, p.Action.REFUSE]
    assert p.allowed_actions(p.State.REVIEWED, {"case.approve"}) == [p.Action.APPROVE, p.Action.REFUSE]
    assert p.allowed_actions(p.State.REVIEWED, {"case.review"}) == []  # the township does not decide
    with pytest.raises(p.ProcedureError):
        p.check_step(p.Action.APPROVE, p.State.APPRAISED)
