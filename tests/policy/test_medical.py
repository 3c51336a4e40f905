"""医疗救助 (medical): MA-1 premium subsidy, MA-2 reimbursement, MA-4 daily allowance, NAT-MA.

The program reports per year: amount = premium_subsidy + reimbursement; the MA-4 daily
allowance is reported per month beside it (daily_allowance_monthly). Expected figures are worked
out by hand; the personal premium (380.00), the 低保 standards and the placeholder amounts are
pinned with `sets`. Assessment date 2023-06-01.
"""

from __future__ import annotations

import pytest

from doudi.policy.engine import assess
from doudi.policy.errors import InputError

PINNED = {
    "dibao.standard.urban": "700.00", "dibao.standard.rural": "400.00",
    "medical.premium.personal": "380.00",
    "medical.daily_allowance.class_a": "60.00", "medical.daily_allowance.elderly": "40.00",
    "medical.daily_allowance.disabled": "45.00",
}


def person(born="1983-01-01", relation="self", wages=None, **kw):
    m = {"relation": relation, "birth_date": born}
    if wages is not None:
        m["monthly_income"] = {"wages": str(wages)}
    if "grade" in kw:
        m["disability"] = {"kind": kw.pop("kind", "physical"), "grade": kw.pop("grade")}
    m.update(kw)
    return m


def household(region, members, residence="urban", **kw):
    return {"region": region, "residence": residence, "date": "2023-06-01", "members": members, **kw}


def medical(doc, **sets):
    return assess(doc, sets={**PINNED, **sets}).as_json()["programs"].get("medical")


def rules(entry):
    return [s["rule"] for s in entry["trace"]]


def step(entry, rule):
    found = [s for s in entry["trace"] if s["rule"] == rule]
    assert found, f"{rule} not in {rules(entry)}"
    return found[0]


def wuhai_family(**kw):
    """Wuhai, class B 低保: a working adult (wages 500), a pupil aged 10, a spouse with a grade 3
    physical disability. Income 500 < 3 × 700 = 2100 → 低保."""
    return household("150302", [person(wages=500, work_ability="full"),
                                person("2013-01-01", "child", school={"stage": "primary"}),
                                person("1985-01-01", "spouse", grade=3)], dibao_class="B", **kw)


# --- MA-1 --------------------------------------------------------------------------------------

def test_wuhai_class_b_gets_50_yuan_and_students_and_disabled_in_full():
    # MA-1 wuhai: adult (class B) 50.00; pupil (student) 380.00; spouse (disabled) 380.00 = 810.00
    m = medical(wuhai_family())
    assert m["period"] == "year"
    assert m["premium_subsidy"] == "810.00"
    assert m["amount"] == "810.00"
    s = step(m, "MA-1")
    assert "wuhai-2014 五.6" in s["source"]
    assert "定额 50.00" in s["detail"]


def test_wuhai_class_a_is_subsidised_in_full():
    # a 70-year-old alone, class A (no member able to work); an able supporter elsewhere keeps
    # him out of 特困: premium 380.00 in full
    doc = household("150302", [person("1953-01-01", wages=100)], legal_supporters="able")
    m = medical(doc)
    assert m["premium_subsidy"] == "380.00"
    assert "A类低保对象" in step(m, "MA-1")["detail"]


def test_baotou_dibao_child_gets_half_and_the_adult_the_national_fixed_amount():
    # MA-1 baotou: child 380.00 × 50% = 190.00; adult NAT-MA fixed 100.00 → 290.00
    doc = household("150202", [person(wages=500, work_ability="full"), person("2013-01-01", "child")])
    m = medical(doc, **{"medical.premium.dibao.fixed": "100.00"})
    assert m["premium_subsidy"] == "290.00"
    assert step(m, "MA-1")["source"].startswith("baotou-2017 三(三)2")
    assert "定额 100.00" in step(m, "NAT-MA")["detail"]


def test_baotou_severely_disabled_child_outside_dibao_gets_half():
    # income 5000 ≥ 2 × 700: no 低保; the grade 1 child: 380.00 × 50% = 190.00
    doc = household("150202", [person(wages=5000, work_ability="full"),
                               person("2013-01-01", "child", grade=1, kind="intellectual")])
    m = medical(doc)
    assert m["amount"] == "190.00"


def test_baotou_tekun_child_in_full():
    # a child of 10 alone, no supporter, not taking a child allowance: 特困 → 380.00 in full
    doc = household("150202", [person("2013-01-01", chooses_child_allowance=False)])
    m = medical(doc)
    assert m["premium_subsidy"] == "380.00"
    assert "特困儿童" in step(m, "MA-1")["detail"]


def test_baotou_half_for_children_does_not_leak_into_wuhai():
    # Wuhai 低保 child not in school, class C: 50.00 fixed, not 190.00
    doc = household("150302", [person(wages=500, work_ability="full"), person("2021-01-01", "child")],
                    dibao_class="C")
    m = medical(doc)
    assert m["premium_subsidy"] == "100.00"  # 50.00 × 2 members


def test_huining_urban_dibao_in_full_and_rural_the_national_fixed_amount():
    doc = [person(wages=500, work_ability="full"), person("1985-01-01", "spouse", work_ability="full")]
    urban = medical(household("620422", doc), **{"medical.premium.dibao.fixed": "100.00"})
    rural = medical(household("620422", doc, residence="rural"), **{"medical.premium.dibao.fixed": "100.00"})
    # urban: huining-2022 二(三)一.3 full: 380.00 × 2 = 760.00; rural: NAT-MA fixed 100.00 × 2 = 200.00
    assert urban["premium_subsidy"] == "760.00"
    assert step(urban, "MA-1")["source"].startswith("huining-2022 二(三)一.3")
    assert rural["premium_subsidy"] == "200.00"
    assert "MA-1" not in rules(rural)
    assert "NAT-MA" in rules(rural)


def test_huining_urban_orphan_in_full_but_not_elsewhere():
    # an orphan in a family with wages 5000 (no 低保): Huining urban full 380.00;
    # Hebei (national only) names no orphan premium subsidy → nothing
    members = [person(wages=5000, work_ability="full"), person("2013-01-01", "grandchild", orphan=True)]
    huining = medical(household("620422", members))
    hebei = medical(household("130102", members))
    assert huining["premium_subsidy"] == "380.00"
    assert hebei["eligible"] is False


def test_national_tekun_premium_in_full():
    # NAT-MA: 特困 premiums in full — a 70-year-old alone with no income in Hebei: 380.00
    m = medical(household("130102", [person("1953-01-01")]))
    assert m["premium_subsidy"] == "380.00"
    assert step(m, "NAT-MA")["source"].startswith("NAT 国办发〔2021〕42号")


# --- MA-2 --------------------------------------------------------------------------------------

def test_wuhai_dibao_patient_gets_70_percent():
    # MA-2: 10000.00 × 70% = 7000.00; amount = 810.00 + 7000.00 = 7810.00
    m = medical(wuhai_family(medical_bill={"in_policy_out_of_pocket": "10000"}))
    assert m["reimbursement"] == "7000.00"
    assert m["amount"] == "7810.00"


@pytest.mark.parametrize("illness", ["mental", "infectious"])
def test_wuhai_mental_and_infectious_patients_get_80_percent(illness):
    # MA-2 wuhai: 10000.00 × 80% = 8000.00
    m = medical(wuhai_family(medical_bill={"in_policy_out_of_pocket": "10000", "illness": illness}))
    assert m["reimbursement"] == "8000.00"
    assert "80%" in step(m, "MA-2")["source"]


def test_wuhai_80_percent_does_not_leak_into_huining():
    # Huining urban 低保 patient with an infectious disease: 10000.00 × 70% = 7000.00
    doc = household("620422", [person(wages=500, work_ability="full")],
                    medical_bill={"in_policy_out_of_pocket": "10000", "illness": "infectious"})
    m = medical(doc)
    assert m["reimbursement"] == "7000.00"
    assert step(m, "MA-2")["source"].startswith("huining-2022 二(三)一.4")


def test_wuhai_rural_wubao_is_reimbursed_in_full_and_subsidised_in_full():
    # 70-year-old alone, rural Wuhai, no income, no supporter → 特困 (农区五保):
    # MA-1 premium 380.00 in full; MA-2 10000.00 × 100% = 10000.00; total 10380.00
    doc = household("150303", [person("1953-01-01")], residence="rural",
                    medical_bill={"in_policy_out_of_pocket": "10000"})
    m = medical(doc)
    assert m["premium_subsidy"] == "380.00"
    assert m["reimbursement"] == "10000.00"
    assert m["amount"] == "10380.00"


def test_yearly_cap_counts_what_was_paid_this_year():
    # cap 5000.00 − paid 1000.00 = 4000.00 left; 10000.00 × 100% = 10000.00 → 4000.00
    doc = household("150303", [person("1953-01-01")], residence="rural",
                    medical_bill={"in_policy_out_of_pocket": "10000", "paid_this_year": "1000"})
    m = medical(doc, **{"medical.reimburse.yearly_cap": "5000"})
    assert m["reimbursement"] == "4000.00"
    assert "剩余 4000.00" in step(m, "MA-2")["detail"]


def test_without_a_cap_the_trace_says_the_default_was_used():
    m = medical(wuhai_family(medical_bill={"in_policy_out_of_pocket": "100"}))
    assert any("默认无" in s["detail"] for s in m["trace"] if s["rule"] == "MA-2")


def test_national_dibao_patient_gets_70_percent_under_nat_ma():
    # Hebei 低保 patient: NAT-MA 10000.00 × 70% = 7000.00
    doc = household("130102", [person(wages=500, work_ability="full")],
                    medical_bill={"in_policy_out_of_pocket": "10000"})
    m = medical(doc)
    assert m["reimbursement"] == "7000.00"
    assert "NAT-MA" in rules(m)


def test_a_patient_outside_the_assisted_groups_gets_nothing():
    doc = household("620422", [person(wages=5000, work_ability="full")],
                    medical_bill={"in_policy_out_of_pocket": "10000"})
    m = medical(doc)
    assert m["eligible"] is False
    assert "不属于" in step(m, "MA-2")["detail"]
    assert step(m, "MA-2")["source"].startswith("huining-2022 二(三)一.4")
    rural = medical({**doc, "residence": "rural"})
    assert "MA-2" not in rules(rural)
    assert "不属于" in step(rural, "NAT-MA")["detail"]


def test_the_bill_is_for_the_patient_named_by_index():
    # patient 2 (the spouse, disabled 低保) in the Wuhai family: 1000.00 × 70% = 700.00
    m = medical(wuhai_family(medical_bill={"in_policy_out_of_pocket": "1000", "patient": 2}))
    assert m["reimbursement"] == "700.00"
    assert "第3人" in step(m, "MA-2")["detail"]


def test_a_patient_index_outside_the_household_is_refused():
    with pytest.raises(InputError) as exc:
        assess(wuhai_family(medical_bill={"in_policy_out_of_pocket": "1000", "patient": 3}))
    assert "medical_bill.patient" in str(exc.value)


# --- MA-4 --------------------------------------------------------------------------------------

def test_wuhai_disabled_dibao_recipient_gets_the_daily_allowance():
    # MA-4: the spouse (grade 3) 45.00/month; nobody else qualifies → 45.00, not in the yearly amount
    m = medical(wuhai_family())
    assert m["daily_allowance_monthly"] == "45.00"
    assert m["amount"] == "810.00"
    assert "MA-4" in rules(m)


def test_the_daily_allowance_cites_the_wuhai_clause_and_marks_its_placeholder():
    # unpinned: Wuhai's placeholder for grade 1–3 disabled recipients, 40.00/month
    m = assess(wuhai_family(), sets={"dibao.standard.urban": "700.00"}).as_json()["programs"]["medical"]
    assert m["daily_allowance_monthly"] == "40.00"
    assert step(m, "MA-4")["source"].startswith("wuhai-2014 五.6")
    assert "占位值" in step(m, "MA-4")["detail"]


def test_wuhai_class_a_elder_gets_the_best_of_his_groups():
    # class A (60.00) and elderly (40.00): one allowance, the higher → 60.00
    m = medical(household("150302", [person("1953-01-01", wages=100)], legal_supporters="able"))
    assert m["daily_allowance_monthly"] == "60.00"


def test_the_daily_allowance_is_wuhai_only():
    # Huining elderly 低保 recipient: no MA-4 (national amounts are none)
    doc = household("620422", [person("1953-01-01", wages=100)], legal_supporters="able")
    m = assess(doc, sets={"dibao.standard.urban": "700.00"}).as_json()["programs"]["medical"]
    assert "daily_allowance_monthly" not in m or m["daily_allowance_monthly"] == "0.00"
    assert "MA-4" not in rules(m)


def test_no_assisted_member_and_no_bill_no_medical_program():
    assert medical(household("620422", [person(wages=5000, work_ability="full")])) is None
