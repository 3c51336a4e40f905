"""CH-1 with NAT-CH-ORPHAN and NAT-CH-DEFACTO: orphans, de-facto-unsupported and HIV-affected children.

Expected amounts are worked out by hand from the rule text; standards are pinned with `sets`
so the arithmetic does not depend on placeholder data.
"""

from doudi.policy.engine import assess

STANDARDS = {
    "children.orphan_standard.dispersed": "1200.00",
    "children.orphan_standard.institutional": "1600.00",
    "dibao.standard.urban": "700.00",
    "dibao.standard.rural": "500.00",
}


def household(region, members, residence="urban", date="2023-06-01", **extra):
    return {"region": region, "residence": residence, "date": date, "members": members,
            "legal_supporters": "able", **extra}


def carer(**kw):
    """A working-age adult with full ability to work: not 特困, no disability."""
    return {"name": "监护人", "relation": "self", "birth_date": "1975-03-01", "work_ability": "full",
            "monthly_income": {"wages": kw.pop("wages", 0)}, **kw}


def child(**kw):
    return {"name": "儿童", "relation": "grandchild", "birth_date": "2012-05-01", **kw}


def children_of(doc, sets=None):
    programs = assess(doc, sets={**STANDARDS, **(sets or {})}).as_json()["programs"]
    return programs.get("children"), programs


def rules_of(entry):
    return [s["rule"] for s in entry["trace"]]


def test_dispersed_orphan_gets_the_dispersed_standard():
    # NAT-CH-ORPHAN: an orphan aged 11 (born 2012-05-01, assessed 2023-06-01) living with a relative:
    # dispersed standard 1200.00 × 1 child = 1200.00 yuan/month
    c, _ = children_of(household("150300", [carer(wages=3000), child(orphan=True)]))
    assert c["eligible"] is True
    assert c["amount"] == "1200.00"
    assert c["period"] == "month"
    assert "NAT-CH-ORPHAN" in rules_of(c)


def test_institutional_orphan_gets_the_higher_institutional_standard():
    # NAT-CH-ORPHAN: institutional standard 1600.00 (above the dispersed 1200.00) → 1600.00
    c, _ = children_of(household("620422", [child(orphan=True, institutional=True, relation="self")]))
    assert c["amount"] == "1600.00"


def test_orphan_aged_eighteen_is_no_longer_a_child():
    # born 2005-05-31: 18 on 2023-05-31, before the assessment date 2023-06-01 → not under 18
    c, _ = children_of(household("150300", [carer(wages=3000), child(orphan=True, birth_date="2005-05-31")]))
    assert c["eligible"] is False
    assert c["amount"] == "0.00"


def test_orphan_one_day_before_eighteen_still_gets_the_allowance():
    # born 2005-06-02: 17 on 2023-06-01 → 1200.00
    c, _ = children_of(household("150300", [carer(wages=3000), child(orphan=True, birth_date="2005-06-02")]))
    assert c["amount"] == "1200.00"


def test_defacto_child_in_dibao_household_is_topped_up_to_the_orphan_standard():
    # NAT-CH-DEFACTO in Baotou. Household of 2 with no income: 低保 = 700.00 × 2 − 0 = 1400.00,
    # the child's share 1400.00 ÷ 2 = 700.00. Top-up: 1200.00 − 700.00 = 500.00 yuan/month.
    doc = household("150200", [carer(), child(de_facto_unsupported=True)])
    c, programs = children_of(doc)
    assert programs["dibao"]["amount"] == "1400.00"
    assert c["eligible"] is True
    assert c["amount"] == "500.00"
    assert "NAT-CH-DEFACTO" in rules_of(c)


def test_defacto_child_top_up_counts_the_disability_subsidies_too():
    # Child grade 2 physical in a 低保 household of 2 (share 700.00); living subsidy 100.00 and
    # care subsidy (grade 2) 80.00 → received 700.00 + 100.00 + 80.00 = 880.00;
    # top-up 1200.00 − 880.00 = 320.00
    sets = {"disability.living_subsidy": "100.00", "disability.care_subsidy.grade2": "80.00"}
    doc = household("150200", [carer(), child(de_facto_unsupported=True, disability={"kind": "physical", "grade": 2})])
    c, programs = children_of(doc, sets)
    assert programs["disability"]["amount"] == "180.00"
    assert c["amount"] == "320.00"


def test_defacto_child_whose_other_support_exceeds_the_standard_gets_no_top_up():
    # 低保 share 700.00 + living 300.00 + care 400.00 = 1400.00 ≥ 1200.00 → top-up 0
    sets = {"disability.living_subsidy": "300.00", "disability.care_subsidy.grade1": "400.00"}
    doc = household("150200", [carer(), child(de_facto_unsupported=True, disability={"kind": "physical", "grade": 1})])
    c, _ = children_of(doc, sets)
    assert c["amount"] == "0.00"


def test_defacto_child_outside_dibao_gets_the_full_standard():
    # carer earns 3000.00 for 2 people: 1500.00 per head ≥ 700.00 → no 低保; allowance 1200.00 − 0 = 1200.00
    c, programs = children_of(household("620422", [carer(wages=3000), child(de_facto_unsupported=True)]))
    assert programs["dibao"]["eligible"] is False
    assert c["amount"] == "1200.00"


def test_hiv_affected_child_gets_the_orphan_standard_in_baotou():
    # baotou-2017 三(三)1: HIV-infected children get the orphan standard: 1200.00
    c, _ = children_of(household("150200", [carer(wages=3000), child(hiv_affected=True)]))
    assert c["amount"] == "1200.00"
    assert c["trace"][0]["source"].startswith("baotou-2017")


def test_hiv_rule_of_baotou_does_not_leak_into_wuhai_or_huining():
    for region in ("150300", "620422"):
        c, _ = children_of(household(region, [carer(wages=3000), child(hiv_affected=True)]))
        assert c["eligible"] is False, region
        assert c["amount"] == "0.00"


def test_defacto_children_are_not_covered_before_the_2019_national_rule_outside_baotou():
    # 民发〔2019〕62号 in force 2019-06-18; Baotou covered them from 2017-11-20 (baotou-2017 三(三)1)
    members = [carer(wages=3000), child(de_facto_unsupported=True)]
    before_wuhai, _ = children_of(household("150300", members, date="2018-06-01"))
    before_baotou, _ = children_of(household("150200", members, date="2018-06-01"))
    assert before_wuhai["eligible"] is False
    assert before_baotou["amount"] == "1200.00"


def test_county_with_no_data_of_its_own_uses_the_national_placeholder_standard():
    # 110101 (Beijing Dongcheng) restates nothing: national placeholder, dispersed 1257.20 (2021 average)
    programs = assess(household("110101", [carer(wages=5000), child(orphan=True)])).as_json()["programs"]
    assert programs["children"]["amount"] == "1257.20"


def test_household_without_children_flags_has_no_children_program():
    _, programs = children_of(household("150300", [carer(wages=3000), child()]))
    assert "children" not in programs
