"""临时救助 (temporary): TA-1, TA-2, TA-3, NAT-TA-KINDS (and NAT-TA-AMOUNT outside TA-1/TA-2's scope).

Expected amounts are worked out by hand from the rule text; the urban 低保 standard is pinned
with `sets`. Assessment date 2023-06-01.
"""

from __future__ import annotations

from doudi.policy.engine import assess

STD = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "400.00"}


def adult(wages=3000, relation="self"):
    return {"relation": relation, "birth_date": "1980-01-01", "monthly_income": {"wages": str(wages)}}


def household(region, hardship, residence="urban", members=None):
    doc = {"region": region, "residence": residence, "date": "2023-06-01",
           "members": members or [adult()]}
    if hardship is not None:
        doc["hardship"] = hardship
    return doc


def temporary(doc, **sets):
    return assess(doc, sets={**STD, **sets}).as_json()["programs"].get("temporary")


def rules(entry):
    return [s["rule"] for s in entry["trace"]]


def step(entry, rule):
    found = [s for s in entry["trace"] if s["rule"] == rule]
    assert found, f"{rule} not in {rules(entry)}"
    return found[0]


# --- TA-1 (Huining urban) ----------------------------------------------------------------------

def test_huining_urban_general_hardship_follows_the_formula():
    # TA-1: 700.00 × 3 people × 4 months = 8400.00, once
    t = temporary(household("620422", {"kind": "general", "people": 3, "months": 4}))
    assert t["eligible"] is True
    assert t["period"] == "once"
    assert t["amount"] == "8400.00"
    assert step(t, "TA-1")["source"].startswith("huining-2022 二(一)三.1")


def test_months_are_capped_at_six():
    # TA-1: 8 months counted as 6: 700.00 × 3 × 6 = 12600.00
    t = temporary(household("620422", {"kind": "general", "people": 3, "months": 8}))
    assert t["amount"] == "12600.00"
    assert "最长按 6 个月计" in step(t, "TA-1")["detail"]


def test_people_default_to_the_members():
    # 2 members, 2 months: 700.00 × 2 × 2 = 2800.00
    doc = household("620422", {"kind": "general", "months": 2}, members=[adult(), adult(relation="spouse")])
    assert temporary(doc)["amount"] == "2800.00"


def test_the_formula_does_not_govern_rural_huining():
    # huining-2022 is for urban households: rural Huining has no formula and no local amount (none)
    t = temporary(household("620422", {"kind": "general", "people": 3, "months": 4}, residence="rural"))
    assert t["eligible"] is False
    assert t["amount"] == "0.00"
    assert "TA-1" not in rules(t)
    assert "默认无" in step(t, "NAT-TA-AMOUNT")["detail"]


def test_the_formula_does_not_leak_into_baotou():
    t = temporary(household("150202", {"kind": "general", "people": 3, "months": 4}))
    assert t["eligible"] is False
    assert "TA-1" not in rules(t)


def test_without_the_formula_the_local_amount_is_used():
    # NAT-TA-AMOUNT: temporary.general.amount 1500.00 per household → 1500.00
    t = temporary(household("150202", {"kind": "general", "people": 3, "months": 4}),
                  **{"temporary.general.amount": "1500.00"})
    assert t["amount"] == "1500.00"


def test_without_the_formula_a_decided_amount_is_used():
    t = temporary(household("620421", {"kind": "general", "decided_amount": "900", "reasoning": "子女学费"}))
    assert t["amount"] == "900.00"
    assert "子女学费" in step(t, "NAT-TA-AMOUNT")["detail"]


# --- TA-2 ------------------------------------------------------------------------------------

def test_huining_fire_is_decided_case_by_case_with_the_reasoning():
    # TA-2: 一事一议, decided 5000.00
    t = temporary(household("620422", {"kind": "fire", "decided_amount": "5000", "reasoning": "住房烧毁,衣被全损"}))
    assert t["amount"] == "5000.00"
    s = step(t, "TA-2")
    assert "住房烧毁" in s["detail"] and "5000.00" in s["detail"]
    assert s["source"].startswith("huining-2022 二(一)三.1")


def test_without_a_decision_the_category_tier_is_used():
    # TA-2: tier for a traffic accident 3000.00
    t = temporary(household("620422", {"kind": "traffic_accident"}), **{"temporary.major.traffic_accident": "3000"})
    assert t["amount"] == "3000.00"
    assert "按类别档次 3000.00" in step(t, "TA-2")["detail"]


def test_without_a_decision_or_a_tier_nothing_is_granted_and_the_trace_says_so():
    t = temporary(household("620422", {"kind": "serious_illness"}))
    assert t["eligible"] is False
    # the parameter by its Chinese label (temporary.major.serious_illness)
    assert "参数「重大困难档次金额（突患重大疾病）」默认无" in step(t, "TA-2")["detail"]


def test_major_hardship_outside_huining_urban_cites_the_national_rule():
    t = temporary(household("150202", {"kind": "fire", "decided_amount": "5000"}))
    assert t["amount"] == "5000.00"
    assert "TA-2" not in rules(t)
    assert "未记录一事一议理由" in step(t, "NAT-TA-AMOUNT")["detail"]


# --- TA-3 (Wuhai) -----------------------------------------------------------------------------

def test_wuhai_grant_below_200_is_refused_with_the_bounds():
    t = temporary(household("150302", {"kind": "fire", "decided_amount": "150"}))
    assert t["eligible"] is False
    assert t["amount"] == "0.00"
    assert "200.00–30000.00" in step(t, "TA-3")["detail"]
    assert step(t, "TA-3")["source"].startswith("wuhai-2014 九.13")
    assert rules(t)[-1] == "TA-3"


def test_wuhai_grant_of_exactly_30000_is_allowed_and_one_fen_more_is_refused():
    ok = temporary(household("150302", {"kind": "fire", "decided_amount": "30000"}))
    assert ok["amount"] == "30000.00"
    assert "范围内" in step(ok, "TA-3")["detail"]
    over = temporary(household("150302", {"kind": "fire", "decided_amount": "30000.01"}))
    assert over["eligible"] is False


def test_wuhai_bounds_apply_to_rural_households_too():
    t = temporary(household("150303", {"kind": "general", "decided_amount": "100"}, residence="rural"))
    assert t["eligible"] is False
    assert "TA-3" in rules(t)


def test_wuhai_bounds_do_not_reach_huining():
    # Huining: 150.00 decided for a fire is granted; 700 × 3 × 6 = 12600.00 has no TA-3 check
    small = temporary(household("620422", {"kind": "fire", "decided_amount": "150"}))
    assert small["amount"] == "150.00"
    assert "TA-3" not in rules(small)
    big = temporary(household("620422", {"kind": "general", "people": 10, "months": 6}))
    assert big["amount"] == "42000.00"  # 700.00 × 10 × 6, above 30000 yet not refused
    assert "TA-3" not in rules(big)


# --- NAT-TA-KINDS -----------------------------------------------------------------------------

def test_fire_is_urgent_and_general_hardship_is_spending_driven():
    fire = temporary(household("620422", {"kind": "fire", "decided_amount": "500"}))
    general = temporary(household("620422", {"kind": "general", "months": 1}))
    assert fire["type"] == "urgent" and fire["kind"] == "fire"
    assert general["type"] == "spending"
    assert "急难型" in step(fire, "NAT-TA-KINDS")["detail"]
    assert "支出型" in step(general, "NAT-TA-KINDS")["detail"]


def test_no_hardship_no_temporary_assistance():
    assert temporary(household("620422", None)) is None
