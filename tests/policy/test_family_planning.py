"""FP-1 (wuhai-2014 三.4): family-planning special support (monthly) and reward (yearly), Wuhai only."""

from doudi.policy.engine import assess


def household(kind, members, region="150300", residence="urban", date="2023-06-01"):
    return {"region": region, "residence": residence, "date": date, "members": members,
            "family_planning": kind, "legal_supporters": "able"}


def parent(relation="self", born="1970-01-01", wages=5000, **kw):
    return {"name": "父母", "relation": relation, "birth_date": born, "work_ability": "full",
            "monthly_income": {"wages": wages}, **kw}


def kid(**kw):
    return {"name": "子女", "relation": "child", "birth_date": "2000-01-01", **kw}


def fp(doc):
    programs = assess(doc).as_json()["programs"]
    return programs.get("family_planning_special"), programs.get("family_planning_reward")


def test_parents_of_a_disabled_only_child_get_1200_each_per_month():
    # 1200.00 × 2 parents = 2400.00 yuan/month
    special, _ = fp(household("only_child_disabled", [parent(), parent("spouse"), kid(disability={"kind": "physical", "grade": 2})]))
    assert special["eligible"] is True
    assert special["period"] == "month"
    assert special["amount"] == "2400.00"
    assert special["trace"][0]["rule"] == "FP-1"


def test_parents_of_a_deceased_only_child_get_1500_each_per_month():
    # 1500.00 × 2 = 3000.00
    special, _ = fp(household("only_child_deceased", [parent(), parent("spouse")]))
    assert special["amount"] == "3000.00"


def test_a_single_surviving_parent_gets_one_share():
    # 1500.00 × 1 = 1500.00
    special, _ = fp(household("only_child_deceased", [parent()]))
    assert special["amount"] == "1500.00"


def test_rural_one_child_family_gets_2000_per_parent_per_year():
    # rural, one child: 2000.00 × 2 = 4000.00 a year; no special support
    special, reward = fp(household("one_child", [parent(), parent("spouse"), kid()], residence="rural"))
    assert reward["eligible"] is True
    assert reward["period"] == "year"
    assert reward["amount"] == "4000.00"
    assert special["eligible"] is False


def test_rural_two_girls_and_two_girls_both_deceased_families_are_rewarded():
    # 2000.00 × 2 = 4000.00 each
    for kind in ("two_girls", "no_child_after_two_girls"):
        _, reward = fp(household(kind, [parent(), parent("spouse")], residence="rural"))
        assert reward["amount"] == "4000.00", kind


def test_rural_family_of_a_disabled_only_child_gets_both_special_and_reward():
    # "现有一个子女": special 1200.00 × 2 = 2400.00/month and reward 2000.00 × 2 = 4000.00/year
    special, reward = fp(household("only_child_disabled", [parent(), parent("spouse")], residence="rural"))
    assert special["amount"] == "2400.00"
    assert reward["amount"] == "4000.00"


def test_urban_one_child_parents_without_work_and_pension_aged_49_get_2000_each():
    # both 53, not employed, not insured: 2000.00 × 2 = 4000.00
    members = [parent(wages=0, employed=False, pension_insured=False),
               parent("spouse", wages=0, employed=False, pension_insured=False), kid()]
    _, reward = fp(household("one_child", members))
    assert reward["amount"] == "4000.00"


def test_urban_parent_under_49_or_in_the_pension_scheme_is_left_out():
    # date 2023-06-01. Father born 1970 (53), no work, not insured → 2000.00;
    # mother born 1975-01-01 (48) → not yet 49; total 2000.00
    members = [parent(wages=0, employed=False, pension_insured=False),
               parent("spouse", born="1975-01-01", wages=0, employed=False, pension_insured=False)]
    _, reward = fp(household("one_child", members))
    assert reward["amount"] == "2000.00"
    # both insured (in the pension pooling) → nothing
    insured = [parent(wages=0, pension_insured=True), parent("spouse", wages=0, pension_scheme="employees")]
    _, reward = fp(household("one_child", insured))
    assert reward["eligible"] is False
    assert reward["amount"] == "0.00"


def test_urban_two_girls_family_gets_no_reward():
    # the urban reward is for one-child families only
    _, reward = fp(household("two_girls", [parent(wages=0, employed=False, pension_insured=False)]))
    assert reward["eligible"] is False


def test_fp1_does_not_leak_outside_wuhai():
    for region in ("150200", "620422", "110101"):
        special, reward = fp(household("only_child_deceased", [parent(), parent("spouse")], region=region, residence="rural"))
        assert special["eligible"] is False, region
        assert special["amount"] == "0.00"
        assert reward["eligible"] is False
        _, reward = fp(household("one_child", [parent(), parent("spouse")], region=region, residence="rural"))
        assert reward["eligible"] is False, region
        assert any("未规定" in s["detail"] for s in reward["trace"])


def test_household_without_family_planning_facts_has_neither_program():
    doc = household("one_child", [parent()])
    del doc["family_planning"]
    special, reward = fp(doc)
    assert special is None and reward is None
