"""PL-1 with NAT-PL: the temporary price subsidy, from a month's CPI and food-CPI figures.

Per person = monthly 低保 standard (urban/rural) × the rise (the higher when both trigger),
rounded half-up per person; the household amount is the sum over target persons.
"""

import shutil

import yaml

from doudi.policy.engine import assess
from doudi.policy.params import DATA, Policy

STANDARDS = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "500.00"}


def household(members, region="150300", residence="urban", date="2023-06-01"):
    return {"region": region, "residence": residence, "date": date, "members": members, "legal_supporters": "able"}


def adult(wages=0, **kw):
    return {"name": "成员", "relation": "self", "birth_date": "1975-03-01", "work_ability": "full",
            "monthly_income": {"wages": wages}, **kw}


def price(doc, **sets):
    programs = assess(doc, sets={**STANDARDS, **sets}).as_json()["programs"]
    return programs.get("price_subsidy")


DIBAO_PAIR = [adult(), adult(relation="spouse")]  # no income: a 低保 household of 2


def test_cpi_above_trigger_pays_standard_times_rise_to_each_dibao_member():
    # 2023-06: CPI +3.6% ≥ 3.5%: 700.00 × 0.036 = 25.20 per person; 2 × 25.20 = 50.40
    r = price(household(DIBAO_PAIR), **{"price_subsidy.cpi_yoy": "0.036"})
    assert r["eligible"] is True
    assert r["amount"] == "50.40"
    assert r["per_person"] == "25.20"
    assert r["people"] == 2
    assert "NAT-PL" in [s["rule"] for s in r["trace"]]


def test_when_both_indices_trigger_the_higher_rise_is_paid():
    # CPI +4% and food +7%: the higher, 7%: 700.00 × 0.07 = 49.00; × 2 = 98.00
    r = price(household(DIBAO_PAIR), **{"price_subsidy.cpi_yoy": "0.04", "price_subsidy.food_cpi_yoy": "0.07"})
    assert r["amount"] == "98.00"


def test_food_cpi_alone_can_trigger():
    # CPI +2% (below 3.5%), food +6.5% (≥ 6%): 700.00 × 0.065 = 45.50; × 2 = 91.00
    r = price(household(DIBAO_PAIR), **{"price_subsidy.cpi_yoy": "0.02", "price_subsidy.food_cpi_yoy": "0.065"})
    assert r["amount"] == "91.00"


def test_rise_below_both_triggers_pays_nothing():
    # CPI +3.4% < 3.5%, food +5.9% < 6%
    r = price(household(DIBAO_PAIR), **{"price_subsidy.cpi_yoy": "0.034", "price_subsidy.food_cpi_yoy": "0.059"})
    assert r["eligible"] is False
    assert r["amount"] == "0.00"


def test_cpi_trigger_was_three_percent_from_september_2022_to_march_2023():
    # CPI +3.1%: triggers in 2022-10 (threshold 3.0%): 700.00 × 0.031 = 21.70; × 2 = 43.40;
    # not in 2023-06 (threshold back to 3.5%)
    sets = {"price_subsidy.cpi_yoy": "0.031"}
    assert price(household(DIBAO_PAIR, date="2022-10-15"), **sets)["amount"] == "43.40"
    assert price(household(DIBAO_PAIR, date="2023-03-31"), **sets)["amount"] == "43.40"
    assert price(household(DIBAO_PAIR, date="2023-06-01"), **sets)["amount"] == "0.00"


def test_locality_may_lower_the_trigger():
    # trigger lowered to 3%: CPI +3.2% triggers: 700.00 × 0.032 = 22.40; × 2 = 44.80
    r = price(household(DIBAO_PAIR), **{"price_subsidy.cpi_yoy": "0.032", "price_subsidy.trigger.cpi": "0.03"})
    assert r["amount"] == "44.80"


def test_no_figure_for_the_month_means_no_subsidy_and_the_trace_says_so():
    r = price(household(DIBAO_PAIR))
    assert r["eligible"] is False
    assert any("默认无" in s["detail"] for s in r["trace"])


def test_each_person_is_counted_once_and_rounded_half_up_per_person():
    # rural standard 593.90 × 0.0365 = 21.67735 → 21.68 per person.
    # One person who is 低保 AND draws unemployment insurance AND is a special-care recipient counts once;
    # household of 2 in 低保: 2 × 21.68 = 43.36
    members = [adult(unemployment_insurance=True, special_care_recipient=True), adult(relation="spouse")]
    r = price(household(members, region="620422", residence="rural"),
              **{"dibao.standard.rural": "593.90", "price_subsidy.cpi_yoy": "0.0365"})
    assert r["per_person"] == "21.68"
    assert r["amount"] == "43.36"


def test_target_groups_outside_dibao_are_each_paid():
    # wages 8000.00 for 4: not 低保. Targets: unemployment insurance, special care, needy student, orphan (age 10)
    # → 4 people × 700.00 × 0.04 (= 28.00) = 112.00; the fifth member is no target
    members = [adult(wages=8000, unemployment_insurance=True), adult(relation="spouse", special_care_recipient=True),
               adult(relation="child", birth_date="2004-01-01", needy_student=True),
               adult(relation="grandchild", birth_date="2013-01-01", orphan=True), adult(relation="parent")]
    r = price(household(members), **{"price_subsidy.cpi_yoy": "0.04"})
    assert r["people"] == 4
    assert r["amount"] == "112.00"


def test_household_with_nobody_in_a_target_group_has_no_price_subsidy():
    assert price(household([adult(wages=9000)]), **{"price_subsidy.cpi_yoy": "0.05"}) is None


def test_a_provinces_monthly_figure_counts_only_in_its_own_month(tmp_path):
    # Data entry for Inner Mongolia: CPI +4% published for 2023-05 (from 2023-05-01).
    # 2023-05-20: 700.00 × 0.04 = 28.00 × 2 = 56.00; 2023-06-01: no figure for June → nothing;
    # Gansu (another province) has no figure in May → nothing.
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    (root / "150000" / "price_subsidy.yaml").write_text(yaml.safe_dump({"price_subsidy.cpi_yoy": {"values": [
        {"from": "2023-05-01", "value": "0.04", "source": "test: 内蒙古 2023年5月 CPI"}]}}, allow_unicode=True),
        encoding="utf-8")
    policy = Policy(root)

    def amount(region, date):
        r = assess(household(DIBAO_PAIR, region=region, date=date), sets=STANDARDS, policy=policy).as_json()
        return r["programs"]["price_subsidy"]["amount"]

    assert amount("150300", "2023-05-20") == "56.00"
    assert amount("150300", "2023-06-01") == "0.00"
    assert amount("620422", "2023-05-20") == "0.00"
