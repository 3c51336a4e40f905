"""DS-1 with NAT-DS-TWO: living subsidy (低保 households) and care subsidy (grade 1–2, long-term care).

Amounts are set by the province; tests pin them with `sets` and work the sums by hand.
"""

from doudi.policy.engine import assess

AMOUNTS = {
    "disability.living_subsidy": "100.00",
    "disability.care_subsidy.grade1": "150.00",
    "disability.care_subsidy.grade2": "90.00",
    "dibao.standard.urban": "700.00",
    "dibao.standard.rural": "500.00",
}


def household(region, members, residence="urban", date="2023-06-01"):
    return {"region": region, "residence": residence, "date": date, "members": members, "legal_supporters": "able"}


def adult(wages=0, **kw):
    return {"name": "户主", "relation": "self", "birth_date": "1975-03-01", "work_ability": "full",
            "monthly_income": {"wages": wages}, **kw}


def disabled(grade, kind="physical", **kw):
    return {"name": "残疾人", "relation": "spouse", "birth_date": "1978-03-01", "work_ability": "partial",
            "disability": {"kind": kind, "grade": grade}, **kw}


def disability_of(doc, sets=None):
    programs = assess(doc, sets={**AMOUNTS, **(sets or {})}).as_json()["programs"]
    return programs.get("disability"), programs


def test_grade_one_member_of_dibao_household_gets_both_subsidies():
    # 低保 household (no income). Living 100.00 + care (grade 1) 150.00 = 250.00 yuan/month
    d, programs = disability_of(household("620422", [adult(), disabled(1)]))
    assert programs["dibao"]["eligible"] is True
    assert d["eligible"] is True
    assert d["amount"] == "250.00"
    assert d["living_subsidy"] == "100.00"
    assert d["care_subsidy"] == "150.00"
    assert "NAT-DS-TWO" in [s["rule"] for s in d["trace"]]


def test_severely_disabled_outside_dibao_gets_only_the_care_subsidy():
    # wages 5000.00 for 2: no 低保 → no living subsidy; grade 2 care 90.00
    d, programs = disability_of(household("150300", [adult(5000), disabled(2)]))
    assert programs["dibao"]["eligible"] is False
    assert d["amount"] == "90.00"
    assert d["living_subsidy"] == "0.00"


def test_grade_three_member_of_dibao_household_gets_only_the_living_subsidy():
    # grade 3: no care subsidy; living 100.00
    d, _ = disability_of(household("150200", [adult(), disabled(3)]))
    assert d["amount"] == "100.00"
    assert d["care_subsidy"] == "0.00"


def test_no_care_subsidy_without_need_for_long_term_care():
    # grade 1 but needs_long_term_care false: living 100.00 only
    d, _ = disability_of(household("620422", [adult(), disabled(1, needs_long_term_care=False)]))
    assert d["amount"] == "100.00"


def test_orphan_allowance_child_gets_care_but_not_living_subsidy():
    # orphan aged 10, grade 1, in a 低保 household: care 150.00, no living subsidy
    orphan = disabled(1, relation="grandchild", birth_date="2013-01-01", orphan=True)
    d, programs = disability_of(household("150300", [adult(), orphan]))
    assert programs["children"]["eligible"] is True
    assert d["amount"] == "150.00"
    assert d["living_subsidy"] == "0.00"


def test_two_disabled_members_are_summed():
    # living 2 × 100.00 + care grade 1 150.00 + care grade 2 90.00 = 440.00
    d, _ = disability_of(household("620422", [adult(), disabled(1), disabled(2, relation="child", birth_date="2000-01-01")]))
    assert d["amount"] == "440.00"


def test_province_without_figures_grants_nothing_and_says_the_default_was_used():
    # 110101 Beijing: no provincial figures in the data; national default none → 0.00
    programs = assess(household("110101", [adult(), disabled(1)])).as_json()["programs"]
    d = programs["disability"]
    assert d["eligible"] is True
    assert d["amount"] == "0.00"
    assert any("默认无" in s["detail"] for s in d["trace"])


def test_each_province_uses_its_own_figures():
    # Gansu and Inner Mongolia each set the amounts: the trace cites the province's document
    for region, doc in (("620422", "gansu-2017"), ("150300", "neimenggu-2017")):
        programs = assess(household(region, [adult(), disabled(1)])).as_json()["programs"]
        sources = [s["source"] for s in programs["disability"]["trace"] if s["rule"] == "NAT-DS-TWO"]
        assert any(src.startswith(doc) for src in sources), (region, sources)


def test_household_without_disabled_members_has_no_disability_program():
    _, programs = disability_of(household("620422", [adult()]))
    assert "disability" not in programs
