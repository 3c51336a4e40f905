"""Each seed region's own 低保 rules govern where its document does, and nowhere else.

huining-2022 (620422) governs urban households of Huining only; wuhai-2014 the whole city of
Wuhai (150300) and its districts, urban and rural; Baotou (150200) and the other counties of
Gansu add no 低保 rule of their own. Standards are set per test so figures are by hand.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import amount, dibao, household, person, rules, std

BOTH = std("700.00", "700.00")  # the same standard urban and rural: only the rules differ
WUHAI_CODES = ["150300", "150302", "150303", "150304"]


def disabled_child_family(region: str, residence: str = "urban") -> dict:
    # 3 members, income 900 + 300 = 1200, per capita 400 < 700: the gap (700 − 400) × 3 = 900;
    # the child (13, grade 2 physical) is the only one in any group
    return household(region, [person(wages=900), person("spouse", "1985-01-01", wages=300),
                              person("child", "2010-01-01", grade=2)], residence=residence)


# --- DB-6: Huining's 20% disability uplift -----------------------------------------------------

def test_the_huining_uplift_is_for_urban_huining() -> None:
    # 900 + 20% × 700 = 1040.00
    e = dibao(disabled_child_family("620422"), **BOTH)
    assert amount(e) == Decimal("1040.00")
    assert "DB-6" in rules(e)


@pytest.mark.parametrize(("region", "residence"), [
    ("620422", "rural"),  # rural Huining follows Gansu and the national rules
    ("620421", "urban"),  # another county of Baiyin
    ("150202", "urban"),  # Baotou
    ("150203", "rural"),
])
def test_the_huining_uplift_does_not_leak(region: str, residence: str) -> None:
    # the gap only: 900.00
    e = dibao(disabled_child_family(region, residence), **BOTH)
    assert amount(e) == Decimal("900.00")
    assert "DB-6" not in rules(e)


def test_wuhai_gives_the_disabled_child_its_supplement_not_the_huining_uplift() -> None:
    # Wuhai: 900 + 5% × 700 = 35 → 935.00 (DB-7), no DB-6
    e = dibao(disabled_child_family("150302"), **BOTH)
    assert amount(e) == Decimal("935.00")
    assert "DB-7" in rules(e)
    assert "DB-6" not in rules(e)


# --- DB-7: Wuhai's 5–10% supplement ------------------------------------------------------------

def elder_family(region: str, residence: str = "urban") -> dict:
    # 2 members, income 400, standard 700: 1400 − 400 = 1000; the self is 73 years old and an
    # ethnic minority, without disability
    return household(region, [person(born="1950-01-01", wages=100, ethnic_minority=True),
                              person("spouse", "1982-01-01", wages=300)], residence=residence)


@pytest.mark.parametrize("residence", ["urban", "rural"])
@pytest.mark.parametrize("region", WUHAI_CODES)
def test_the_wuhai_supplement_covers_the_whole_city(region: str, residence: str) -> None:
    # 1000 + 5% × 700 = 35 → 1035.00 in the city and each district, urban and rural
    e = dibao(elder_family(region, residence), **BOTH)
    assert amount(e) == Decimal("1035.00")
    assert "DB-7" in rules(e)


@pytest.mark.parametrize(("region", "residence"), [
    ("620422", "urban"), ("620422", "rural"), ("150202", "urban"), ("150203", "rural"), ("620421", "urban"),
])
def test_the_wuhai_supplement_does_not_leak(region: str, residence: str) -> None:
    # the gap only: 1000.00
    e = dibao(elder_family(region, residence), **BOTH)
    assert amount(e) == Decimal("1000.00")
    assert "DB-7" not in rules(e)


def test_the_5_percent_floor_is_wuhais_not_baotous() -> None:
    # Baotou may set 4% (no floor there): 1000 + 4% × 700 = 28 → 1028.00
    e = dibao(elder_family("150202"), **BOTH, **{"dibao.supplement.elderly": "0.04"})
    assert amount(e) == Decimal("1028.00")
    with pytest.raises(ValueError, match="at least 0.05"):
        dibao(elder_family("150304"), **BOTH, **{"dibao.supplement.elderly": "0.04"})


# --- DB-10: Wuhai's any-refusal rule ------------------------------------------------------------

def one_refusal(region: str) -> dict:
    # 2 members, income 400, standard 700: 1000, a share of 500 each; the spouse refused once
    return household(region, [person(wages=400), person("spouse", "1990-01-01", refused_work_offers=1)])


@pytest.mark.parametrize("region", WUHAI_CODES)
def test_one_refusal_stops_the_share_in_all_of_wuhai(region: str) -> None:
    # 1000 − 500 = 500.00
    e = dibao(one_refusal(region), **BOTH)
    assert amount(e) == Decimal("500.00")
    assert "DB-10" in rules(e)


@pytest.mark.parametrize("region", ["620422", "150202", "620421"])
def test_one_refusal_reduces_nothing_outside_wuhai(region: str) -> None:
    # national rule: 3 in a row; 1 refusal → 1000.00
    e = dibao(one_refusal(region), **BOTH)
    assert amount(e) == Decimal("1000.00")
    assert "DB-10" not in rules(e)
    assert "NAT-DB-WORK" not in rules(e)


# --- DB-15: Wuhai's classes ----------------------------------------------------------------------

@pytest.mark.parametrize("region", ["620422", "150202", "620421"])
def test_only_wuhai_classes_its_recipients(region: str) -> None:
    e = dibao(elder_family(region), **BOTH)
    assert "class" not in e
    assert "DB-15" not in rules(e)
    assert dibao(elder_family("150303"), **BOTH)["class"] == "B"


# --- DB-8: Huining's illness by cost; DB-12; DB-3 --------------------------------------------------

def costly_illness(region: str, residence: str = "urban") -> dict:
    # edge family: 3 members, income 2200, per capita 733.33 (between 700 and 1050); the parent's
    # own medical cost this year 30000 > last year's household income 26400; his income 200
    doc = household(region, [person(wages=1000), person("spouse", wages=1000),
                              person("parent", "1950-01-01", wages=200, medical_out_of_pocket_this_year=30000)],
                    residence=residence)
    doc["household_income_last_year"] = 26400
    return doc


def test_illness_by_cost_is_huinings_urban_rule() -> None:
    # urban Huining: the parent alone, 700 − 200 = 500.00
    assert amount(dibao(costly_illness("620422"), **BOTH)) == Decimal("500.00")


@pytest.mark.parametrize(("region", "residence"), [("620422", "rural"), ("150202", "urban"), ("150302", "urban")])
def test_illness_by_cost_does_not_leak(region: str, residence: str) -> None:
    # elsewhere only a listed disease counts: nobody covered alone; the edge family is cited
    # under the national rule
    e = dibao(costly_illness(region, residence), **BOTH)
    assert e["eligible"] is False
    assert "NAT-DB-EDGE" in rules(e)
    assert "DB-8" not in rules(e)


@pytest.mark.parametrize(("region", "residence", "cited"), [
    ("620422", "urban", True), ("620422", "rural", False), ("150202", "urban", False), ("150302", "urban", False),
])
def test_the_public_emergency_rule_is_cited_only_in_urban_huining(region: str, residence: str, cited: bool) -> None:
    # income 300 for 2 members: eligible everywhere, 1400 − 300 = 1100.00
    e = dibao(household(region, [person(wages=300), person("spouse")], residence=residence,
                        public_emergency_affected=True), **BOTH)
    assert amount(e) == Decimal("1100.00")
    assert ("DB-12" in rules(e)) is cited


@pytest.mark.parametrize(("residence", "rule"), [("urban", "DB-3"), ("rural", "NAT-DB-INCOME")])
def test_income_rule_cited_follows_the_scope_of_huining_2022(residence: str, rule: str) -> None:
    e = dibao(household("620422", [person(wages=300, pension_basic=110)], residence=residence), **BOTH)
    assert rule in rules(e)
    assert amount(e) == Decimal("400.00")  # 700 − 300


# --- the trace names every rule that made the amount ------------------------------------------

def test_every_rule_that_made_a_wuhai_amount_is_in_the_trace() -> None:
    # 3 members, income 400 + 300 = 700, standard 700: 2100 − 700 = 1400 (DB-1, DB-2, DB-14,
    # NAT-DB-MEMBERS, NAT-DB-INCOME); the elder's supplement 5% × 700 = 35 (DB-7); the son refused
    # work once: his share 1400 / 3 = 466.666… stopped (DB-10): 1435 − 466.666… = 968.333… → 968.33
    e = dibao(household("150302", [person(born="1950-01-01", wages=400), person("spouse", "1970-01-01", wages=300),
                                   person("child", "1995-01-01", refused_work_offers=1)],
                        residence="rural"), **BOTH)
    assert amount(e) == Decimal("968.33")
    assert {"NAT-DB-MEMBERS", "NAT-DB-INCOME", "DB-14", "DB-1", "DB-2", "DB-7", "DB-10"} <= set(rules(e))


def test_every_rule_that_made_a_huining_amount_is_in_the_trace() -> None:
    # tiers 50%: spending 2400 → 1200 a year = 100 a month (DB-4); income 1300 − 100 = 1200;
    # 3 members: 2100 − 1200 = 900 (DB-1, DB-2); the disabled child + 140 (DB-6) → 1040.00
    doc = disabled_child_family("620422")
    doc["members"][0]["monthly_income"]["wages"] = "1000"
    doc["spending_12m"] = {"medical": 2400}
    e = dibao(doc, **BOTH, **{"dibao.rigid_deduction.tiers": '[{"above": "0", "ratio": "0.5"}]'})
    assert amount(e) == Decimal("1040.00")
    assert {"NAT-DB-MEMBERS", "DB-3", "DB-4", "DB-14", "DB-1", "DB-2", "DB-6"} <= set(rules(e))
    for s in e["trace"]:
        assert s["source"], s


def test_a_wuhai_district_cannot_set_a_supplement_below_the_citys_floor(tmp_path) -> None:
    # the 5% floor of wuhai-2014 二.3 binds the districts' own data too (150303 海南区 at 4%)
    import shutil

    from doudi.policy.errors import PolicyDataError
    from doudi.policy.params import DATA, Policy

    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    (root / "150303").mkdir()
    (root / "150303" / "_level.yaml").write_text("level: county\nname: 海南区\ndocuments: []\n", encoding="utf-8")
    (root / "150303" / "dibao.yaml").write_text(
        'dibao.supplement.elderly:\n  values:\n    - from: 2020-01-01\n      value: "0.04"\n      source: test\n',
        encoding="utf-8")
    with pytest.raises(PolicyDataError, match="at least 0.05"):
        Policy(root)
