"""DB-14 change of standard: recomputation of the affected households, review of the differences,
approval as new BenefitChange rows; DB-13 refusal of too small a rise (Huining, urban)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from doudi.benefits import services
from doudi.benefits.models import Benefit, BenefitChange, RecomputedLine, StandardChange
from doudi.benefits.reckon import BenefitError

D = dt.date
VILLAGE = "620422100201"


@pytest.fixture
def households(start, make_household, huining_household, elderly_household, wuhai_household):
    """Four live 低保 benefits: three Huining urban, one Huining rural (not affected), one Wuhai."""
    earner = make_household(VILLAGE, "urban", [
        ("赵志强", "self", dt.date(1980, 2, 2), "M", {"monthly_income": {"wages": 2000}}),
        ("孙丽", "spouse", dt.date(1982, 3, 3), "F", {}),
        ("赵洋", "child", dt.date(2014, 5, 5), "M", {}),
    ])
    rural = make_household(VILLAGE, "rural", [("何文华", "self", dt.date(1960, 2, 2), "M", {})])
    return {
        # 700.00 × 3 − 600.00 = 1500.00; paid 1700.00 (an older figure) to show a loss
        "zhang": start(huining_household, amount_fen=170000),
        # 700.00 × 2 − 0 (basic pension not counted) = 1400.00
        "wang": start(elderly_household, amount_fen=140000),
        # 700.00 × 3 − 2000.00 = 100.00
        "zhao": start(earner, amount_fen=10000),
        "rural": start(rural, amount_fen=50000),
        "wuhai": start(wuhai_household, amount_fen=60000),
    }


def test_a_rise_below_last_years_consumption_growth_is_refused_with_the_figures(households, huining_approver):
    with pytest.raises(BenefitError) as e:
        services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="720",
                                       effective_from=D(2026, 7, 1), consumption_growth="5", source="会民发〔2026〕1号")
    # (720 − 700) ÷ 700 = 2.857…% < 5%
    assert e.value.field == "new_standard"
    assert "720.00" in e.value.message and "700.00" in e.value.message
    assert "2.86%" in e.value.message and "5.00%" in e.value.message and "DB-13" in e.value.message
    assert StandardChange.objects.count() == 0


def test_the_consumption_growth_is_required_for_huinings_urban_standard(households, huining_approver):
    with pytest.raises(BenefitError) as e:
        services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                       effective_from=D(2026, 7, 1), source="会民发〔2026〕1号")
    assert e.value.field == "consumption_growth"


def test_the_rural_standard_has_no_growth_floor(households, huining_approver):
    change = services.start_standard_change(huining_approver, region="620422", residence="rural",
                                            new_standard="540", effective_from=D(2026, 7, 1), source="甘民发")
    # only the one rural household is recomputed
    assert [ln.benefit_id for ln in change.lines.all()] == [households["rural"].pk]


def test_a_rise_recomputes_the_affected_households_and_approval_writes_new_rows(
        households, huining_approver, huining_approver_2):
    change = services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                            effective_from=D(2026, 7, 1), consumption_growth="5.2",
                                            source="会民发〔2026〕1号")
    assert change.old_standard_fen == 70000 and change.new_standard_fen == 75000
    lines = {ln.benefit_id: ln for ln in change.lines.all()}
    h = households
    assert set(lines) == {h["zhang"].pk, h["wang"].pk, h["zhao"].pk}  # not rural, not Wuhai
    # 750.00 × 3 − 600.00 = 1650.00 (paid 1700.00: a loss of 50.00)
    assert (lines[h["zhang"].pk].amount_after_fen, lines[h["zhang"].pk].kind) == (165000, "loss")
    # 750.00 × 2 = 1500.00 (a gain of 100.00)
    assert (lines[h["wang"].pk].amount_after_fen, lines[h["wang"].pk].kind) == (150000, "gain")
    # 750.00 × 3 − 2000.00 = 250.00
    assert (lines[h["zhao"].pk].amount_after_fen, lines[h["zhao"].pk].kind) == (25000, "gain")
    assert BenefitChange.objects.filter(kind="standard").count() == 0  # nothing before approval

    with pytest.raises(PermissionDenied):
        services.approve_standard_change(huining_approver, change.pk, on=D(2026, 6, 20))  # four eyes
    services.approve_standard_change(huining_approver_2, change.pk, on=D(2026, 6, 20))
    rows = BenefitChange.objects.filter(kind="standard")
    assert rows.count() == 3 and {r.effective_month for r in rows} == {D(2026, 7, 1)}
    assert Benefit.objects.get(pk=h["wang"].pk).amount_fen == 150000
    assert Benefit.objects.get(pk=h["wuhai"].pk).amount_fen == 60000
    # the start rows (the decisions as they were) are unchanged
    assert BenefitChange.objects.get(benefit=h["wang"], kind="start").amount_after_fen == 140000


def test_a_lower_standard_stops_a_household_that_no_longer_qualifies(households, huining_approver,
                                                                    huining_approver_2):
    change = services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="650",
                                            effective_from=D(2026, 7, 1), consumption_growth="-10",
                                            source="会民发〔2026〕2号")
    # 650.00 × 3 = 1950.00 < 2000.00: 赵志强's household no longer qualifies
    line = change.lines.get(benefit=households["zhao"])
    assert (line.kind, line.amount_after_fen) == (RecomputedLine.Kind.STOP, 0)
    services.approve_standard_change(huining_approver_2, change.pk, on=D(2026, 6, 20))
    b = Benefit.objects.get(pk=households["zhao"].pk)
    assert b.status == "stopped" and b.end_month == D(2026, 7, 1)


def test_a_review_after_the_approved_change_uses_the_new_standard(households, huining_approver, huining_approver_2,
                                                                 huining_caseworker):
    change = services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                            effective_from=D(2026, 7, 1), consumption_growth="5",
                                            source="会民发〔2026〕1号")
    services.approve_standard_change(huining_approver_2, change.pk, on=D(2026, 6, 20))
    b = households["wang"]
    report = services.report_change(huining_caseworker, b.pk, kind="other", occurred_on=D(2026, 8, 1),
                                    description="核查", on=D(2026, 8, 3))
    review = services.decide_review(huining_approver, report.reviews.get().pk, reasons="", on=D(2026, 8, 5))
    assert review.amount_after_fen == 150000  # 750.00 × 2


def test_a_caseworker_cannot_start_a_standard_change(households, huining_caseworker):
    with pytest.raises(PermissionDenied):
        services.start_standard_change(huining_caseworker, region="620422", residence="urban", new_standard="750",
                                       effective_from=D(2026, 7, 1), consumption_growth="5", source="x")


def test_a_baotou_approver_cannot_change_huinings_standard(households, baotou_approver):
    with pytest.raises(PermissionDenied):
        services.start_standard_change(baotou_approver, region="620422", residence="urban", new_standard="750",
                                       effective_from=D(2026, 7, 1), consumption_growth="5", source="x")


def test_a_tekun_benefit_follows_the_dibao_standard(start, make_household, huining_approver):
    person = make_household(VILLAGE, "urban", [("孙德福", "self", dt.date(1950, 4, 1), "M", {"self_care": "full"})],
                            facts={"legal_supporters": "none"})
    # TK-1: 700.00 × 1.3 = 910.00, TK-2 care (self-sufficient, Huining placeholder) 70.00: 980.00
    b = start(person, amount_fen=98000, program="tekun", person=person.memberships.get().person)
    change = services.start_standard_change(huining_approver, region="620422", residence="urban", new_standard="750",
                                            effective_from=D(2026, 7, 1), consumption_growth="5", source="会民发")
    line = change.lines.get(benefit=b)
    # 750.00 × 1.3 = 975.00 + 70.00 = 1045.00
    assert (line.kind, line.amount_after_fen) == ("gain", 104500) and "特困供养金 1045.00" in line.detail
