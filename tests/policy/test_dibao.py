"""低保 rules DB-1 to DB-8, DB-10, DB-12, DB-15 and NAT-DB-*: figures worked out by hand.

Standards are set in each test (--set) so the figures do not hang on placeholder values.
Baotou (150202) is used where a rule is national, because Baotou adds no 低保 rule of its own.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import amount, dibao, household, person, rules, std, step

BAOTOU = "150202"
HUINING = "620422"
WUHAI = "150302"


# --- DB-1, DB-2 -------------------------------------------------------------------------------

def test_household_below_the_standard_gets_the_gap_times_members() -> None:
    # 3 members, counted income 900 + 300 + 0 = 1200, per capita 400 < 700:
    # (700 − 400) × 3 = 900.00
    e = dibao(household(BAOTOU, [person(wages=900), person("spouse", wages=300), person("child", "2012-03-01")]),
              **std("700.00"))
    assert e["eligible"] is True
    assert amount(e) == Decimal("900.00")
    assert e["period"] == "month"
    assert {"DB-1", "DB-2", "DB-14"} <= set(rules(e))


def test_the_gap_is_standard_times_members_less_income_without_rounding_the_per_capita_income() -> None:
    # 3 members, income 1000, per capita 333.333… < 710: 710 × 3 − 1000 = 1130.00
    # (rounding the per-capita income first would give (710 − 333.33) × 3 = 1130.01)
    e = dibao(household(BAOTOU, [person(wages=1000), person("spouse"), person("child", "2012-03-01")]),
              **std("710.00"))
    assert amount(e) == Decimal("1130.00")
    assert "710.00 × 3 − 1000.00 = 1130.00" in step(e, "DB-2")["detail"]


def test_per_capita_income_equal_to_the_standard_is_not_eligible_and_the_trace_ends_with_db1() -> None:
    # 2 members, income 1400, per capita 700, not below 700 → not eligible, 0.00.
    # 700 is below 1.5 × 700 = 1050, so the family is an edge family, but nobody qualifies alone.
    e = dibao(household(BAOTOU, [person(wages=1400), person("spouse")]), **std("700.00"))
    assert e["eligible"] is False
    assert amount(e) == Decimal("0.00")
    assert "不低于低保标准" in step(e, "DB-1")["detail"]


def test_one_fen_below_the_standard_is_eligible_for_one_fen_per_member() -> None:
    # 2 members, income 1399.99 → 700 × 2 − 1399.99 = 0.01
    e = dibao(household(BAOTOU, [person(wages="1399.99"), person("spouse")]), **std("700.00"))
    assert e["eligible"] is True
    assert amount(e) == Decimal("0.01")


def test_a_rural_household_is_measured_against_the_rural_standard() -> None:
    # rural standard 530, 2 members, income 600: 530 × 2 − 600 = 460.00 (the urban 710 is not used)
    e = dibao(household(BAOTOU, [person(wages=600), person("spouse")], residence="rural"),
              **std("710.00", "530.00"))
    assert amount(e) == Decimal("460.00")
    assert "农村低保标准 530.00" in step(e, "DB-14")["detail"]


def test_a_region_without_a_standard_cannot_decide() -> None:
    # the urban standard set to none: no standard, no 低保 (trace says so)
    e = dibao(household(BAOTOU, [person(wages=100)]), **{"dibao.standard.urban": "none"})
    assert e["eligible"] is False
    assert "低保标准未设定" in step(e, "DB-1")["detail"]


# --- NAT-DB-MEMBERS ---------------------------------------------------------------------------

def test_people_in_prison_or_living_apart_are_not_members_and_their_income_is_not_counted() -> None:
    # 4 listed: self 200, spouse 200, a son in prison earning 3000, a daughter living apart earning 2500.
    # Members: 2, income 400: 700 × 2 − 400 = 1000.00
    e = dibao(household(BAOTOU, [
        person(wages=200), person("spouse", wages=200),
        person("child", "2000-01-01", wages=3000, not_member_reason="prison"),
        person("child", "2001-01-01", wages=2500, lives_together=False),
    ]), **std("700.00"))
    assert amount(e) == Decimal("1000.00")
    assert "计 2 人" in step(e, "NAT-DB-MEMBERS")["detail"]


# --- DB-3, NAT-DB-INCOME ----------------------------------------------------------------------

NOT_COUNTED = dict(pension_basic=110, special_care=200, family_planning=50, scholarship=100,
                   heroism_award=80, assistance=500)


def test_every_counted_kind_of_income_is_counted() -> None:
    # wages 100 + business 100 + property 100 + transfer 100 + other 100 = 500;
    # 2 members, standard 700: 1400 − 500 = 900.00
    e = dibao(household(BAOTOU, [person(wages=100, business=100, property=100), person("spouse", transfer=100, other=100)]),
              **std("700.00"))
    assert amount(e) == Decimal("900.00")


def test_pensions_awards_scholarships_and_assistance_are_not_counted_as_income() -> None:
    # counted: wages 300 only; not counted 110 + 200 + 50 + 100 + 80 + 500 = 1040.
    # 2 members, standard 700: 1400 − 300 = 1100.00
    e = dibao(household(BAOTOU, [person(wages=300, **NOT_COUNTED), person("spouse")]), **std("700.00"))
    assert amount(e) == Decimal("1100.00")
    s = step(e, "NAT-DB-INCOME")
    assert s["source"].startswith("NAT")
    assert "基础养老金 110.00" in s["detail"]


def test_huining_urban_households_cite_db3_of_huining() -> None:
    # same figures in urban Huining: 1400 − 300 = 1100.00, the rule cited is DB-3 (huining-2022 二(一)一.2)
    e = dibao(household(HUINING, [person(wages=300, **NOT_COUNTED), person("spouse")]), **std("700.00"))
    assert amount(e) == Decimal("1100.00")
    assert step(e, "DB-3")["source"] == "huining-2022 二(一)一.2"
    assert "基础养老金 110.00" in step(e, "DB-3")["detail"]
    assert not any("不计入收入" in s["detail"] for s in e["trace"] if s["rule"] == "NAT-DB-INCOME")


def test_the_cost_of_going_to_work_is_not_deducted_by_default_and_the_trace_says_so() -> None:
    # no work cost set: wages 300 counted in full; 1400 − 300 = 1100.00
    e = dibao(household(BAOTOU, [person(wages=300), person("spouse")]), **std("700.00"))
    assert amount(e) == Decimal("1100.00")
    assert "默认无" in rules_details(e, "NAT-DB-INCOME")


def test_a_set_cost_of_going_to_work_is_deducted_from_each_earners_wages() -> None:
    # work cost 100 per earner: (300 − 100) + max(50 − 100, 0) + business 80 = 280;
    # 1400 − 280 = 1120.00
    e = dibao(household(BAOTOU, [person(wages=300, business=80), person("spouse", wages=50)]),
              **std("700.00"), **{"dibao.income.work_cost": "100"})
    assert amount(e) == Decimal("1120.00")
    assert "必要就业成本 100.00" in rules_details(e, "NAT-DB-INCOME")


def test_a_kind_the_region_no_longer_exempts_is_counted() -> None:
    # the list of not-counted kinds without pension_basic (after the 14th five-year plan, say):
    # counted 300 + 110 = 410; 1400 − 410 = 990.00
    e = dibao(household(BAOTOU, [person(wages=300, **NOT_COUNTED), person("spouse")]),
              **std("700.00"), **{"dibao.income.not_counted":
                                  '["special_care", "family_planning", "scholarship", "heroism_award", "assistance"]'})
    assert amount(e) == Decimal("990.00")


# --- DB-4 -------------------------------------------------------------------------------------

def test_rigid_spending_is_not_deducted_by_default_and_the_trace_says_so() -> None:
    # no tiers set: spending 15000 deducts nothing; 2 members, income 1000: 1400 − 1000 = 400.00
    e = dibao(household(BAOTOU, [person(wages=1000), person("spouse")],
                        spending_12m={"medical": 12000, "education": 3000}), **std("700.00"))
    assert amount(e) == Decimal("400.00")
    assert "默认无" in step(e, "DB-4")["detail"]


def test_rigid_spending_is_deducted_in_tiers() -> None:
    # tiers: 50% of the first 10000, 80% above. Spending 12000 + 3000 = 15000:
    # 10000 × 0.5 + 5000 × 0.8 = 9000 a year = 750.00 a month.
    # 2 members, wages 1800 → counted 1800 − 750 = 1050 < 1400: 1400 − 1050 = 350.00
    # (without the deduction per capita 900 ≥ 700: not eligible)
    tiers = '[{"above": "0", "ratio": "0.5"}, {"above": "10000", "ratio": "0.8"}]'
    doc = household(BAOTOU, [person(wages=1800), person("spouse")],
                    spending_12m={"medical": 12000, "education": 3000})
    e = dibao(doc, **std("700.00"), **{"dibao.rigid_deduction.tiers": tiers})
    assert e["eligible"] is True
    assert amount(e) == Decimal("350.00")
    assert "750.00" in step(e, "DB-4")["detail"]
    assert dibao(doc, **std("700.00"))["eligible"] is False


def test_the_monthly_deduction_is_rounded_half_up_to_the_fen() -> None:
    # 1000 × 0.5 = 500 a year; 500 / 12 = 41.666… → 41.67 a month.
    # 1 member, wages 500 → 458.33; 700 − 458.33 = 241.67
    e = dibao(household(BAOTOU, [person(wages=500)], spending_12m={"care": 1000}),
              **std("700.00"), **{"dibao.rigid_deduction.tiers": '[{"above": "0", "ratio": "0.5"}]'})
    assert amount(e) == Decimal("241.67")


# --- DB-5, NAT-DB-PROPERTY -------------------------------------------------------------------

def test_property_limits_default_to_none_and_the_trace_says_so() -> None:
    # no limits set: 1,000,000 of deposits and 3 homes do not exclude; 1400 − 400 = 1000.00
    e = dibao(household(BAOTOU, [person(wages=400), person("spouse")],
                        assets={"financial": 1000000, "homes": 3}), **std("700.00"))
    assert amount(e) == Decimal("1000.00")
    assert "默认无限额" in step(e, "NAT-DB-PROPERTY")["detail"]


def test_the_home_needed_for_living_is_exempt() -> None:
    # limit: no home beyond the exempt one (max_homes 0). 1 home − 1 exempt = 0 ≤ 0: eligible;
    # 2 homes − 1 = 1 > 0: not eligible.
    limits = {"dibao.property.max_homes": "0"}
    one = dibao(household(BAOTOU, [person(wages=400), person("spouse")], assets={"homes": 1}), **std("700.00"), **limits)
    two = dibao(household(BAOTOU, [person(wages=400), person("spouse")], assets={"homes": 2}), **std("700.00"), **limits)
    assert amount(one) == Decimal("1000.00")
    assert "DB-5" in rules(one)
    assert two["eligible"] is False
    assert "家庭财产状况不符合本地规定" in rules_details(two, "DB-1")


def test_financial_assets_at_the_per_capita_limit_pass_and_one_fen_more_fails() -> None:
    # limit 5000 per member, 2 members: 10000.00 is 5000 each (not above) → eligible;
    # 10000.01 is above 2 × 5000 → not eligible
    limit = {"dibao.property.financial_max_per_capita": "5000"}
    ok = dibao(household(BAOTOU, [person(wages=400), person("spouse")], assets={"financial": "10000.00"}),
               **std("700.00"), **limit)
    over = dibao(household(BAOTOU, [person(wages=400), person("spouse")], assets={"financial": "10000.01"}),
                 **std("700.00"), **limit)
    assert ok["eligible"] is True
    assert over["eligible"] is False


def rules_details(entry: dict, rule: str) -> str:
    return " | ".join(s["detail"] for s in entry["trace"] if s["rule"] == rule)


# --- DB-6 -------------------------------------------------------------------------------------

def huining_family(residence: str = "urban", region: str = HUINING, date: str = "2023-06-01") -> dict:
    return household(region, [person(wages=900), person("spouse", wages=300),
                               person("child", "2010-01-01", grade=2)], residence=residence, date=date)


def test_huining_disabled_child_gets_the_20_percent_uplift() -> None:
    # 3 members, income 1200, per capita 400, standard 700: (700 − 400) × 3 = 900,
    # plus 20% of 700 for the disabled child = 140 → 1040.00
    e = dibao(huining_family(), **std("700.00"))
    assert amount(e) == Decimal("1040.00")
    assert step(e, "DB-6")["source"] == "huining-2022 二(一)一.3"


def test_huining_two_disabled_members_each_get_the_uplift() -> None:
    # 2 members, income 500, standard 700: 1400 − 500 = 900, + 2 × 140 = 280 → 1180.00
    e = dibao(household(HUINING, [person(wages=500, grade=4, kind="hearing"), person("spouse", grade=1)]),
              **std("700.00"))
    assert amount(e) == Decimal("1180.00")


def test_the_huining_uplift_starts_with_the_action_plan() -> None:
    # 2022-03-01 is before huining-2022 (2022-04-15): 900.00, no DB-6
    e = dibao(huining_family(date="2022-03-01"), **std("700.00"))
    assert amount(e) == Decimal("900.00")
    assert "DB-6" not in rules(e)


# --- DB-7 -------------------------------------------------------------------------------------

def wuhai_family(region: str = WUHAI, residence: str = "urban") -> dict:
    # self: 73 years old on 2023-06-01, ethnic minority, grade 3 disabled, wages 100; spouse wages 300
    return household(region, [person(born="1950-01-01", wages=100, ethnic_minority=True, grade=3),
                              person("spouse", "1982-01-01", wages=300)], residence=residence)


def test_wuhai_gives_a_member_in_several_groups_the_highest_supplement() -> None:
    # 2 members, income 400, standard 560: 1120 − 400 = 720; the elder is in three groups, each 5%:
    # the highest, 560 × 5% = 28 → 748.00
    e = dibao(wuhai_family(), **std("560.00"))
    assert amount(e) == Decimal("748.00")
    assert step(e, "DB-7")["source"].startswith("wuhai-2014 二.3")


def test_wuhai_supplements_can_be_summed_per_group() -> None:
    # combine = sum: 5% + 5% + 5% = 15% of 560 = 84 → 720 + 84 = 804.00
    e = dibao(wuhai_family(), **std("560.00"), **{"dibao.supplement.combine": "sum"})
    assert amount(e) == Decimal("804.00")


def test_wuhai_supplement_rates_are_set_per_group() -> None:
    # disabled 8%, elderly 10%, minority 6%: the highest, 10% of 560 = 56 → 720 + 56 = 776.00
    e = dibao(wuhai_family(), **std("560.00"), **{"dibao.supplement.disabled": "0.08",
                                                  "dibao.supplement.elderly": "0.10",
                                                  "dibao.supplement.ethnic_minority": "0.06"})
    assert amount(e) == Decimal("776.00")


@pytest.mark.parametrize("group", ["disabled", "elderly", "ethnic_minority"])
def test_wuhai_refuses_a_supplement_below_5_percent(group: str) -> None:
    # wuhai-2014 二.3: not less than 5%: 4% is refused with the bound named
    with pytest.raises(ValueError, match="at least 0.05"):
        dibao(wuhai_family(), **std("560.00"), **{f"dibao.supplement.{group}": "0.04"})


def test_supplements_are_summed_in_micro_fen_and_rounded_once() -> None:
    # standard 100.05, two members aged 65, no income: 200.10; each gets 5% of 100.05 = 5.0025,
    # together 10.005 → 210.105 → 210.11 (rounding each supplement first would give 210.10)
    e = dibao(household(WUHAI, [person(born="1958-01-01"), person("spouse", "1958-02-01")]), **std("100.05"))
    assert amount(e) == Decimal("210.11")


# --- DB-8, NAT-DB-EDGE ------------------------------------------------------------------------

def edge_family(region: str = HUINING, residence: str = "urban", **disabled: object) -> dict:
    # 3 members, income 1000 + 1000 + 200 = 2200, per capita 733.33: between 700 and 1.5 × 700 = 1050
    return household(region, [person(wages=1000), person("spouse", wages=1000),
                               person("parent", "1950-01-01", wages=200, **disabled)], residence=residence)


def test_huining_severely_disabled_member_of_an_edge_family_is_covered_alone() -> None:
    # the grade-1 parent alone: 700 − his own income 200 = 500, plus the DB-6 uplift of a disabled
    # recipient in urban Huining, 20% of 700 = 140 → 640.00
    e = dibao(edge_family(grade=1), **std("700.00"))
    assert e["eligible"] is True
    assert amount(e) == Decimal("640.00")
    assert e["single_person"] == 1
    # the edge family (huining-2022 一(三)), then the single-person cover (二(一)二.3)
    assert {s["source"] for s in e["trace"] if s["rule"] == "DB-8"} == {"huining-2022 一(三)", "huining-2022 二(一)二.3"}
    assert {"DB-8", "DB-2", "DB-6"} <= set(rules(e))


def test_grade_3_intellectual_or_mental_disability_is_severe_but_grade_3_physical_is_not() -> None:
    # grade 3 mental: covered alone, 500 + 140 = 640.00; grade 3 physical: not covered, 0.00
    assert amount(dibao(edge_family(grade=3, kind="mental"), **std("700.00"))) == Decimal("640.00")
    e = dibao(edge_family(grade=3, kind="physical"), **std("700.00"))
    assert e["eligible"] is False
    assert amount(e) == Decimal("0.00")


def test_huining_counts_out_of_pocket_cost_above_last_years_income_as_serious_illness() -> None:
    # the parent's own cost this year 30000 > last year's household income 26400: seriously ill,
    # covered alone: 700 − 200 = 500.00 (no disability, no uplift)
    doc = edge_family(medical_out_of_pocket_this_year=30000)
    doc["household_income_last_year"] = 26400
    e = dibao(doc, **std("700.00"))
    assert amount(e) == Decimal("500.00")
    # 26400 is not above 26400: not seriously ill
    doc["members"][2]["medical_out_of_pocket_this_year"] = 26400
    assert dibao(doc, **std("700.00"))["eligible"] is False


def test_a_member_who_does_not_apply_is_not_covered_alone() -> None:
    e = dibao(edge_family(grade=1, single_person_application=False), **std("700.00"))
    assert e["eligible"] is False


def test_a_member_whose_own_income_reaches_the_standard_is_not_covered_alone() -> None:
    # 3 members, 700 + 650 + 850 = 2200 (per capita 733.33): the grade-1 member earns 850 ≥ 700
    doc = household(HUINING, [person(wages=700), person("spouse", wages=650), person("parent", "1950-01-01", wages=850, grade=1)])
    assert dibao(doc, **std("700.00"))["eligible"] is False


def test_an_edge_family_ends_below_one_and_a_half_times_the_standard() -> None:
    # 2 members, standard 700: edge up to per capita 1050 (excluded). Income 2099.99 (1049.995 each):
    # edge, the grade-2 member with no income alone gets 700 + 140 = 840.00; income 2100.00: not edge.
    def doc(wages: str) -> dict:
        return household(HUINING, [person(wages=wages), person("spouse", grade=2)])

    assert amount(dibao(doc("2099.99"), **std("700.00"))) == Decimal("840.00")
    assert dibao(doc("2100.00"), **std("700.00"))["eligible"] is False


def test_baotou_covers_a_listed_serious_illness_alone_under_the_national_rule() -> None:
    # Baotou: NAT-DB-EDGE (民发〔2021〕57号 Art.8): the parent with a listed disease: 700 − 200 = 500.00
    e = dibao(edge_family(BAOTOU, serious_illness=True), **std("700.00"))
    assert amount(e) == Decimal("500.00")
    assert step(e, "NAT-DB-EDGE")["source"].startswith("NAT")
    assert "DB-8" not in rules(e)


def test_before_the_national_edge_rule_nobody_is_covered_alone() -> None:
    # 2021-06-30 is before 民发〔2021〕57号 (2021-07-01): no edge family in Baotou
    doc = edge_family(BAOTOU, grade=1)
    doc["date"] = "2021-06-30"
    e = dibao(doc, **std("700.00"))
    assert e["eligible"] is False
    assert "NAT-DB-EDGE" not in rules(e)


# --- DB-10, NAT-DB-WORK -----------------------------------------------------------------------

def refusing_family(region: str, refusals: int, **fields: object) -> dict:
    # 2 members, income 400: standard 560 → 1120 − 400 = 720, a share of 360 each
    return household(region, [person(wages=400), person("spouse", "1990-01-01", work_ability="full",
                                                        refused_work_offers=refusals, **fields)])


def test_wuhai_stops_the_own_share_of_a_member_who_refused_work_once() -> None:
    # wuhai-2014 八.12: any refusal; his own share 720 / 2 = 360 stopped → 360.00
    e = dibao(refusing_family(WUHAI, 1), **std("560.00"))
    assert amount(e) == Decimal("360.00")
    assert step(e, "DB-10")["source"].startswith("wuhai-2014 八.12")


def test_nationally_only_three_refusals_in_a_row_reduce_the_share() -> None:
    # Baotou, NAT-DB-WORK: 2 refusals → 720.00; 3 refusals → 720 − 360 = 360.00
    assert amount(dibao(refusing_family(BAOTOU, 2), **std("560.00"))) == Decimal("720.00")
    e = dibao(refusing_family(BAOTOU, 3), **std("560.00"))
    assert amount(e) == Decimal("360.00")
    assert step(e, "NAT-DB-WORK")["source"].startswith("NAT 国务院令第649号")
    assert "DB-10" not in rules(e)


def test_a_reduction_ratio_below_one_reduces_the_share() -> None:
    # reduction 50%: 360 × 0.5 = 180 → 720 − 180 = 540.00
    e = dibao(refusing_family(WUHAI, 1), **std("560.00"), **{"dibao.work_refusal.reduction": "0.5"})
    assert amount(e) == Decimal("540.00")


def test_the_own_share_is_exact_and_the_amount_rounded_once() -> None:
    # 3 members, income 1000, standard 700: 2100 − 1000 = 1100, a share of 366.666…;
    # stopped: 1100 − 366.666… = 733.333… → 733.33; halved: 1100 − 183.333… = 916.666… → 916.67
    doc = household(WUHAI, [person(wages=1000), person("spouse", refused_work_offers=1), person("child", "2012-01-01")])
    assert amount(dibao(doc, **std("700.00"))) == Decimal("733.33")
    assert amount(dibao(doc, **std("700.00"), **{"dibao.work_refusal.reduction": "0.5"})) == Decimal("916.67")


def test_the_refusers_own_supplement_goes_with_his_share() -> None:
    # Wuhai: the refuser is an ethnic minority: his own 低保金 = 360 + 5% × 560 = 388, stopped:
    # 720 + 28 − 388 = 360.00
    e = dibao(refusing_family(WUHAI, 1, ethnic_minority=True), **std("560.00"))
    assert amount(e) == Decimal("360.00")
    assert {"DB-7", "DB-10"} <= set(rules(e))


def test_members_unable_to_work_or_employed_are_not_reduced() -> None:
    # work_ability none, or in a job: no reduction, 720.00
    doc = refusing_family(WUHAI, 1)
    doc["members"][1]["work_ability"] = "none"
    assert amount(dibao(doc, **std("560.00"))) == Decimal("720.00")
    assert amount(dibao(refusing_family(WUHAI, 1, employed=True), **std("560.00"))) == Decimal("720.00")


# --- DB-12 ------------------------------------------------------------------------------------

def test_huining_covers_urban_residents_whose_income_fell_in_a_public_emergency() -> None:
    # income now 300 for 2 members: 1400 − 300 = 1100.00, DB-12 cited
    e = dibao(household(HUINING, [person(wages=300), person("spouse")], public_emergency_affected=True),
              **std("700.00"))
    assert amount(e) == Decimal("1100.00")
    assert step(e, "DB-12")["source"] == "huining-2022 二(一)二.3"


# --- DB-15 ------------------------------------------------------------------------------------

def test_wuhai_keeps_the_declared_class() -> None:
    doc = wuhai_family()
    doc["dibao_class"] = "C"
    e = dibao(doc, **std("560.00"))
    assert e["class"] == "C"
    assert "申报" in step(e, "DB-15")["detail"]


@pytest.mark.parametrize(("members", "expected"), [
    # both 60 or older: nobody can work → A
    ([person(born="1950-01-01"), person("spouse", "1955-01-01")], "A"),
    # one of working age, one aged 73 → B
    ([person(born="1950-01-01"), person("spouse", "1982-01-01")], "B"),
    # both of working age and healthy → C
    ([person(born="1980-01-01"), person("spouse", "1982-01-01")], "C"),
    # both of working age, one seriously ill → B
    ([person(born="1980-01-01", serious_illness=True), person("spouse", "1982-01-01")], "B"),
])
def test_wuhai_derives_the_class_from_the_placeholder_criteria(members: list, expected: str) -> None:
    e = dibao(household(WUHAI, members), **std("560.00"))
    assert e["class"] == expected
    assert "占位" in step(e, "DB-15")["detail"]


def test_a_household_that_is_not_granted_has_no_class() -> None:
    e = dibao(household(WUHAI, [person(wages=5000)]), **std("560.00"))
    assert "class" not in e
    assert "DB-15" not in rules(e)
