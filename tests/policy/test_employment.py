"""EM-2 (huining-2022 二(三)五, urban): the county pays part or all of the lowest residents'
pension contribution tier for 低保, 特困 and severely disabled people in that scheme."""

from doudi.policy.engine import assess

SETS = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "500.00",
        "employment.pension.lowest_tier": "200.00"}


def household(members, region="620422", residence="urban", date="2023-06-01"):
    return {"region": region, "residence": residence, "date": date, "members": members, "legal_supporters": "able"}


def person(wages=0, scheme="residents", born="1975-03-01", **kw):
    return {"name": "成员", "relation": "self", "birth_date": born, "work_ability": "full",
            "pension_scheme": scheme, "monthly_income": {"wages": wages}, **kw}


def employment_of(doc, sets=None):
    programs = assess(doc, sets={**SETS, **(sets or {})}).as_json()["programs"]
    return programs.get("employment"), programs


def test_huining_dibao_members_in_residents_scheme_have_the_lowest_tier_paid():
    # 低保 household of 2, both in the residents' scheme, share 1 (placeholder: all):
    # 2 × 200.00 × 1 = 400.00 a year
    e, programs = employment_of(household([person(), person(relation="spouse")]))
    assert programs["dibao"]["eligible"] is True
    assert e["eligible"] is True
    assert e["period"] == "year"
    assert e["amount"] == "400.00"
    assert "EM-2" in [s["rule"] for s in e["trace"]]


def test_partial_share_is_applied_and_rounded_once():
    # share for 低保 0.333333: 200.00 × 0.333333 = 66.66660 per person; 2 people = 133.3332 → 133.33
    e, _ = employment_of(household([person(), person(relation="spouse")]),
                         {"employment.pension.share.dibao": "0.333333"})
    assert e["amount"] == "133.33"


def test_severely_disabled_person_outside_dibao_is_covered_at_his_groups_share():
    # wages 9000.00: no 低保. Spouse grade 2 physical (重度残疾人), share 0.5: 200.00 × 0.5 = 100.00;
    # the earner himself is in no group
    members = [person(9000), person(relation="spouse", disability={"kind": "physical", "grade": 2})]
    e, programs = employment_of(household(members), {"employment.pension.share.severely_disabled": "0.5"})
    assert programs["dibao"]["eligible"] is False
    assert e["amount"] == "100.00"


def test_person_in_several_groups_gets_the_highest_share_once():
    # 低保 member who is also grade 1: max(0.5, 0.8) = 0.8 → 200.00 × 0.8 = 160.00; the other 低保 member 0.5 → 100.00;
    # total 260.00
    sets = {"employment.pension.share.dibao": "0.5", "employment.pension.share.severely_disabled": "0.8"}
    members = [person(), person(relation="spouse", disability={"kind": "physical", "grade": 1})]
    e, _ = employment_of(household(members), sets)
    assert e["amount"] == "260.00"


def test_employees_scheme_and_pension_age_are_not_covered():
    # one member in the employees' scheme, one aged 65 (draws a pension): nothing to pay
    members = [person(scheme="employees"), person(relation="parent", born="1958-01-01")]
    e, programs = employment_of(household(members))
    assert programs["dibao"]["eligible"] is True
    assert e["eligible"] is False
    assert e["amount"] == "0.00"


def test_em2_governs_huining_urban_households_only():
    e, _ = employment_of(household([person(), person(relation="spouse")], residence="rural"))
    assert e["eligible"] is False


def test_em2_does_not_leak_into_wuhai_or_baotou():
    for region in ("150300", "150200"):
        e, programs = employment_of(household([person(), person(relation="spouse")], region=region))
        assert programs["dibao"]["eligible"] is True
        assert e["eligible"] is False, region
        assert e["amount"] == "0.00"


def test_household_without_pension_facts_has_no_employment_program():
    member = person()
    del member["pension_scheme"]
    _, programs = employment_of(household([member]))
    assert "employment" not in programs
