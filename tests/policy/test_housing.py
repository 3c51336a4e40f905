"""HO-1: housing assistance for 低保 and 特困 households with no home or too little living space.

Wuhai's threshold is 15 m² per person (wuhai-2014 七.9); Huining's (urban) is HO-1's 15 m² as a
placeholder (huining-2022 二(三)三 leaves the standard to the county); elsewhere HO-1 is not in force.
"""

from doudi.policy.engine import assess

STANDARDS = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "500.00"}


def household(region, assets, n=3, wages=0, residence="urban", date="2023-06-01"):
    members = [{"name": f"成员{k}", "relation": "self" if k == 0 else "child", "birth_date": "1980-01-01",
                "work_ability": "full", "monthly_income": {"wages": wages if k == 0 else 0}} for k in range(n)]
    return {"region": region, "residence": residence, "date": date, "members": members,
            "legal_supporters": "able", "assets": assets}


def housing_of(doc, sets=None):
    programs = assess(doc, sets={**STANDARDS, **(sets or {})}).as_json()["programs"]
    return programs.get("housing"), programs


def test_wuhai_dibao_household_under_15_square_metres_per_person_is_assisted():
    # 3 members, 44.99 m²: 44.99 ÷ 3 = 14.9967 < 15 → assisted; rent subsidy none → 0.00
    h, programs = housing_of(household("150300", {"homes": 1, "living_space_m2": "44.99"}))
    assert programs["dibao"]["eligible"] is True
    assert h["eligible"] is True
    assert h["amount"] == "0.00"
    assert any("默认无" in s["detail"] for s in h["trace"])
    assert "HO-1" in [s["rule"] for s in h["trace"]]


def test_wuhai_exactly_15_square_metres_per_person_is_not_under():
    # 45.00 ÷ 3 = 15.00, not below 15 → not assisted
    h, _ = housing_of(household("150300", {"homes": 1, "living_space_m2": "45.00"}))
    assert h["eligible"] is False


def test_wuhai_dibao_household_with_no_home_is_assisted_and_gets_the_rent_subsidy_set():
    # no home; rent subsidy set to 300.00 per household per month → 300.00
    h, _ = housing_of(household("150300", {"homes": 0}), {"housing.rent_subsidy": "300.00"})
    assert h["eligible"] is True
    assert h["amount"] == "300.00"
    assert h["period"] == "month"


def test_household_outside_dibao_and_tekun_is_not_assisted():
    # wages 9000.00 for 3 → no 低保; no home, yet not a 住房救助 target
    h, programs = housing_of(household("150300", {"homes": 0}, wages=9000))
    assert programs["dibao"]["eligible"] is False
    assert h["eligible"] is False


def test_huining_urban_uses_the_15_square_metre_placeholder():
    # 2 members, 20.00 m² → 10.00 m²/person < 15 (placeholder) → assisted
    h, _ = housing_of(household("620422", {"homes": 1, "living_space_m2": "20"}, n=2))
    assert h["eligible"] is True
    assert any("占位值" in s["detail"] for s in h["trace"])


def test_huining_threshold_is_the_countys_to_set():
    # the county sets 10 m²: 20.00 ÷ 2 = 10.00, not below 10 → not assisted
    h, _ = housing_of(household("620422", {"homes": 1, "living_space_m2": "20"}, n=2),
                      {"housing.living_space_per_person_max": "10"})
    assert h["eligible"] is False


def test_huining_rule_governs_urban_households_only():
    h, programs = housing_of(household("620422", {"homes": 0}, residence="rural"))
    assert programs["dibao"]["eligible"] is True
    assert h["eligible"] is False


def test_ho1_does_not_leak_into_baotou_or_other_counties():
    for region in ("150200", "110101"):
        h, programs = housing_of(household(region, {"homes": 0}))
        assert programs["dibao"]["eligible"] is True, region
        assert h["eligible"] is False, region


def test_household_without_housing_facts_has_no_housing_program():
    doc = household("150300", {})
    del doc["assets"]
    _, programs = housing_of(doc)
    assert "housing" not in programs
