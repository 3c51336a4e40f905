"""The warning rules and the register's categories of doudi.policy.monitoring (PR-7, NAT-RIGID),
each with a household just below and one just above its threshold. Figures worked by hand from
the rule text and the parameters in doudi/policy/data/national/monitoring.yaml (national values,
2026): medical share 0.5, income drop 0.3, severe disability grade ≤ 2, unemployment 3 months,
disaster 90 days, stopped 6 months, NAT-RIGID income limit 41,314 yuan a person a year and
spending share 0.5; deadlines red 3 / orange 7 / yellow 15 days."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.policy import monitoring as m

ON = dt.date(2026, 11, 2)
HUINING = "620422"


def hits(*rows, rules=None, overrides=None):
    facts = m.Facts.from_rows([{"county": HUINING, "residence": "urban", **r} for r in rows])
    return [(h.index, h.rule) for h in m.evaluate(facts, ON, rules=rules, overrides=overrides)]


def test_rules_are_data_with_levels_parameters_and_cited_rules():
    from doudi.policy.catalogue import catalogue
    from doudi.policy.params import default_policy

    rules = m.warning_rules()
    assert set(m.RULE_FUNCS) | set(m.APP_RULES) == set(rules)
    defs = default_policy().defs
    for r in rules.values():
        assert r.level in m.LEVELS
        assert all(p in defs for p in r.params), r.id
        assert r.rules and all(x in catalogue() for x in r.rules), r.id
        assert "all" in r.applies_to or set(r.applies_to) <= set(m.CATEGORIES)


def test_medical_cost_just_below_and_just_above_half_the_yearly_income():
    # yearly income 20,000.00 yuan; half is 10,000.00: 10,000.00 is not above it, 10,000.01 is.
    below = {"yearly_income": 2_000_000, "medical": 1_000_000}
    above = {"yearly_income": 2_000_000, "medical": 1_000_001}
    assert hits(below, above, rules=["MW-MEDICAL"]) == [(1, "MW-MEDICAL")]


def test_medical_detail_names_the_figures_and_rules():
    facts = m.Facts.from_rows([{"county": HUINING, "yearly_income": 2_000_000, "medical": 1_200_000}])
    (h,) = m.evaluate(facts, ON, rules=["MW-MEDICAL"])
    assert h.level == "red"
    assert "12000.00 元" in h.detail and "20000.00 元" in h.detail and "50%" in h.detail
    assert "PR-7" in h.detail
    assert h.sources and "NAT" in h.sources[0]


def test_income_drop_just_below_and_just_above_thirty_percent():
    # before 1,000.00 a month: a fall to 700.00 is exactly 30% (not more); to 699.99 is more.
    assert hits({"income_before": 100_000, "income": 70_000}, {"income_before": 100_000, "income": 69_999},
                rules=["MW-INCOME"]) == [(1, "MW-INCOME")]


def test_income_drop_needs_a_previous_record_with_income():
    assert hits({"income_before": -1, "income": 0}, {"income_before": 0, "income": 0}, rules=["MW-INCOME"]) == []


def test_death_of_an_earning_member():
    assert hits({"earner_died": False}, {"earner_died": True}, rules=["MW-DEATH"]) == [(1, "MW-DEATH")]


def test_disability_grade_two_warns_grade_three_does_not():
    assert hits({"earner_disability": 3}, {"earner_disability": 2}, {"earner_disability": 0},
                rules=["MW-DISABILITY"]) == [(1, "MW-DISABILITY")]


def test_disaster_within_ninety_days():
    assert hits({"disaster_days": 91}, {"disaster_days": 90}, rules=["MW-DISASTER"]) == [(1, "MW-DISASTER")]


def test_unemployment_started_within_three_months():
    assert hits({"unemployment_months": 4}, {"unemployment_months": 3}, rules=["MW-UNEMPLOYMENT"]) == [
        (1, "MW-UNEMPLOYMENT")]


def test_university_entrant_warns_only_in_a_register_category():
    # MW-UNIVERSITY applies to the register's categories, not to a household in none.
    assert hits({"university_entrant": True}, {"university_entrant": True, "edge": True},
                rules=["MW-UNIVERSITY"]) == [(1, "MW-UNIVERSITY")]


def test_benefit_stopped_within_six_months_and_none_live():
    assert hits({"stopped_months": 7}, {"stopped_months": 6}, {"stopped_months": 2, "dibao": True},
                rules=["MW-STOPPED"]) == [(1, "MW-STOPPED")]


def test_a_region_parameter_override_moves_the_threshold():
    row = {"yearly_income": 2_000_000, "medical": 900_000}  # 45% of the yearly income
    assert hits(row, rules=["MW-MEDICAL"]) == []
    assert hits(row, rules=["MW-MEDICAL"], overrides={"monitoring.medical.income_share": 0.4}) == [(0, "MW-MEDICAL")]


def rigid(**row):
    facts = m.Facts.from_rows([{"county": HUINING, "residence": "urban", **row}])
    t = m.Thresholds(facts, ON)
    return bool(m.rigid_family(facts, t)[0])


def test_rigid_spending_family_by_nat_rigid():
    # 2 members; limit 41,314.00 a person a year → household below 82,628.00 a year.
    # yearly income 30,000.00: spending must be above 15,000.00 (half of it).
    base = {"members": 2, "yearly_income": 3_000_000}
    assert not rigid(**base, spending_12m=1_500_000)
    assert rigid(**base, spending_12m=1_500_001)


def test_rigid_spending_family_income_limit_just_below_and_above():
    # 2 × 41,314.00 = 82,628.00: income at the limit is not below it.
    assert rigid(members=2, yearly_income=8_262_799, spending_12m=5_000_000)
    assert not rigid(members=2, yearly_income=8_262_800, spending_12m=5_000_000)


def test_rigid_excludes_dibao_tekun_and_edge_families():
    row = {"members": 1, "yearly_income": 1_000_000, "spending_12m": 900_000}
    assert rigid(**row)
    assert not rigid(**row, dibao=True)
    assert not rigid(**row, tekun=True)
    assert not rigid(**row, edge=True)


def test_categories_edge_only_outside_dibao():
    facts = m.Facts.from_rows([{"county": HUINING, "edge": True}, {"county": HUINING, "edge": True, "dibao": True}])
    cats = m.categories(facts, m.Thresholds(facts, ON))
    assert list(cats["edge"]) == [True, False]
    assert list(cats["dibao"]) == [False, True]


@pytest.mark.parametrize("level,days", [("red", 3), ("orange", 7), ("yellow", 15)])
def test_deadline_by_level(level, days):
    assert m.deadline_days(level, HUINING, ON) == days


def test_months_between():
    assert m.months_between(dt.date(2026, 8, 31), dt.date(2026, 11, 2)) == 3
    assert m.months_between(dt.date(2025, 12, 1), dt.date(2026, 1, 1)) == 1


def test_facts_rows_must_agree_in_length():
    import numpy as np

    with pytest.raises(ValueError):
        m.Facts(**{**{f: np.zeros(2) for f in ("members", "income", "income_before", "yearly_income", "medical",
                                              "spending_12m", "earner_died", "earner_disability",
                                              "unemployment_months", "university_entrant", "disaster_days",
                                              "stopped_months", "dibao", "tekun", "edge")},
                    "county": np.array(["620422"]), "residence": np.array(["urban", "urban"])})
