"""特困 (tekun): TK-1, TK-2, TK-3, TK-4 with NAT-TK-ABILITY/INCOME/SUPPORTER/SELFCARE/MINOR, TK-7.

Expected amounts are worked out by hand from the rule text. The 低保 standards and the care
tiers are pinned with `sets`, so the arithmetic does not hang on placeholder data.
Assessment date 2023-06-01 throughout.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from doudi.policy.engine import assess, decide
from doudi.policy.errors import InputError
from doudi.policy.household import from_documents

CARE = {"tekun.care.full": "100.00", "tekun.care.partial": "300.00", "tekun.care.none": "600.00"}
STD = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "400.00"}


def member(born="1950-01-01", relation="self", **kw):
    m = {"relation": relation, "birth_date": born}
    income = {k: str(kw.pop(k)) for k in ("wages", "pension_basic", "transfer") if k in kw}
    if income:
        m["monthly_income"] = income
    if "grade" in kw:
        m["disability"] = {"kind": kw.pop("kind", "physical"), "grade": kw.pop("grade")}
    m.update(kw)
    return m


def household(region, members, residence="urban", **kw):
    return {"region": region, "residence": residence, "date": "2023-06-01", "members": members, **kw}


def programs(doc, **sets):
    return assess(doc, sets={**STD, **CARE, **sets}).as_json()["programs"]


def tekun(doc, **sets):
    return programs(doc, **sets).get("tekun")


def rules(entry):
    return [s["rule"] for s in entry["trace"]]


def step(entry, rule):
    found = [s for s in entry["trace"] if s["rule"] == rule]
    assert found, f"{rule} not in {rules(entry)}"
    return found[0]


# --- TK-1 and TK-2 -----------------------------------------------------------------------------

def test_huining_urban_elder_gets_one_point_three_times_the_standard_plus_care():
    # TK-1: 700.00 × 1.3 = 910.00; TK-2 full self-care (self_care "full") 100.00 → 1010.00/month
    t = tekun(household("620422", [member(self_care="full")]))
    assert t["eligible"] is True
    assert t["period"] == "month"
    assert t["amount"] == "1010.00"
    assert step(t, "TK-1")["source"].startswith("huining-2022 二(一)一.3")
    assert "910.00" in step(t, "TK-1")["detail"]


def test_care_standard_follows_the_self_care_tier_of_each_person():
    # NAT-TK-SELFCARE: 2 tasks unable → partly lost (300.00); 5 tasks unable → wholly lost (600.00)
    # TK-1 + TK-2: 910.00 × 2 + 300.00 + 600.00 = 2720.00
    doc = household("620422", [member(self_care_tasks_unable=2),
                               member("1952-03-01", "spouse", self_care_tasks_unable=5)])
    t = tekun(doc)
    assert t["amount"] == "2720.00"
    assert "部分丧失" in step(t, "NAT-TK-SELFCARE")["detail"]
    assert "完全丧失" in step(t, "NAT-TK-SELFCARE")["detail"]


@pytest.mark.parametrize("tasks, care", [(0, "100.00"), (1, "300.00"), (3, "300.00"), (4, "600.00"), (6, "600.00")])
def test_self_care_tasks_map_to_tiers_at_the_boundaries(tasks, care):
    # 0 = full self-care, 1–3 = partly lost, 4–6 = wholly lost: 910.00 + care
    t = tekun(household("620422", [member(self_care_tasks_unable=tasks)]))
    assert Decimal(t["amount"]) == Decimal("910.00") + Decimal(care)


def test_self_care_word_and_task_count_that_disagree_are_refused():
    doc = household("620422", [member(self_care="full", self_care_tasks_unable=4)])
    with pytest.raises(InputError) as exc:
        assess(doc)
    assert "members[0].self_care" in str(exc.value)
    assert "self_care_tasks_unable" in str(exc.value)


def test_agreeing_self_care_word_and_task_count_are_accepted():
    # 4 tasks unable = wholly lost = "none": 910.00 + 600.00 = 1510.00
    t = tekun(household("620422", [member(self_care="none", self_care_tasks_unable=4)]))
    assert t["amount"] == "1510.00"


def test_unset_care_tier_defaults_to_none_and_says_so():
    # Huining rural: huining-2022 governs urban households only; national care tiers are none.
    # TK-1 on the rural standard 400.00 × 1.3 (national) = 520.00; TK-2 0 → 520.00
    t = programs(household("620422", [member()], residence="rural"),
                 **{"tekun.care.full": "none"})["tekun"]
    assert t["amount"] == "520.00"
    assert "默认无" in step(t, "TK-2")["detail"]
    assert not step(t, "TK-1")["source"].startswith("huining")


def test_huining_care_placeholders_do_not_reach_rural_households():
    # without pinning the care tiers: urban gets huining's placeholder (70.00), rural the national none
    urban = assess(household("620422", [member()]), sets=STD).as_json()["programs"]["tekun"]
    rural = assess(household("620422", [member()], residence="rural"), sets=STD).as_json()["programs"]["tekun"]
    assert urban["amount"] == "980.00"  # 910.00 + 70.00
    assert rural["amount"] == "520.00"  # 400.00 × 1.3 + 0


# --- TK-3 and NAT-TK-ABILITY ---------------------------------------------------------------------

@pytest.mark.parametrize("kind, grade, covered", [
    ("intellectual", 3, True), ("mental", 3, True), ("mental", 4, False),
    ("physical", 2, True), ("physical", 3, False), ("visual", 1, True), ("visual", 2, False),
    ("hearing", 1, False),
])
def test_tk3_disabilities_are_no_ability_to_work(kind, grade, covered):
    # a 40-year-old with no income and no supporter: covered only for the TK-3 grades;
    # covered: 910.00 + 100.00 = 1010.00
    doc = household("620422", [member("1983-01-01", grade=grade, kind=kind)])
    t = tekun(doc)
    if covered:
        assert t["amount"] == "1010.00"
        assert "TK-3" in rules(t)
    else:
        # no member has an ability condition: not 特困, the refusal ends with NAT-TK-ABILITY
        assert t["eligible"] is False and rules(t)[-1] == "NAT-TK-ABILITY"


@pytest.mark.parametrize("region, residence, source", [
    ("620422", "urban", "huining-2022 二(一)一.2"),
    ("620422", "rural", "gansu-2017 二(二)"),  # huining-2022 governs urban households only
    ("150202", "urban", "neimenggu-2017 二(二)"),
])
def test_tk3_is_cited_from_the_seed_document_that_governs(region, residence, source):
    t = tekun(household(region, [member("1983-01-01", grade=1, kind="visual")], residence=residence))
    assert t["eligible"] is True
    assert step(t, "TK-3")["source"].startswith(source)


def test_outside_the_seeds_the_disability_rule_is_the_national_one():
    t = tekun(household("130102", [member("1983-01-01", grade=1, kind="visual")]))
    assert t["eligible"] is True
    assert "TK-3" not in rules(t)
    assert any("残疾人员中符合条件" in s["detail"] for s in t["trace"] if s["rule"] == "NAT-TK-ABILITY")


@pytest.mark.parametrize("born, stage, covered", [
    ("2013-01-01", None, True),   # 10: under 16
    ("2006-01-01", None, True),   # 17: covered until 18
    ("2004-01-01", "senior", True),  # 19 and still in senior school
    ("2004-01-01", None, False),  # 19, not in school
])
def test_minors_are_covered_until_eighteen_and_beyond_while_in_school(born, stage, covered):
    extra = {"school": {"stage": stage}} if stage else {}
    doc = household("620422", [member(born, chooses_child_allowance=False, **extra)])
    t = tekun(doc)
    assert (t is not None and t["eligible"]) is covered


def test_working_age_adult_is_not_a_candidate():
    t = tekun(household("620422", [member("1980-01-01")]))
    assert t["eligible"] is False and t["amount"] == "0.00" and rules(t)[-1] == "NAT-TK-ABILITY"


# --- NAT-TK-INCOME ---------------------------------------------------------------------------

def test_own_income_at_or_above_the_standard_is_a_source_of_living():
    # NAT-TK-INCOME: wages 700.00 is not below the standard 700.00
    t = tekun(household("620422", [member(wages=700)]))
    assert t["eligible"] is False
    assert "不符合无生活来源" in step(t, "TK-4")["detail"]


def test_basic_pension_is_not_counted_as_income():
    # NAT-TK-INCOME: 800.00 of basic pension is not counted → own income 0 < 700.00 → 910 + 100
    t = tekun(household("620422", [member(pension_basic=800)]))
    assert t["amount"] == "1010.00"


# --- NAT-TK-SUPPORTER ------------------------------------------------------------------------

def test_an_able_supporter_elsewhere_excludes():
    t = tekun(household("620422", [member()], legal_supporters="able"))
    assert t["eligible"] is False
    assert "有具备履行义务能力" in step(t, "TK-4")["detail"]


def test_a_working_son_at_home_is_an_able_supporter():
    t = tekun(household("620422", [member(), member("1985-01-01", "child", wages=4000)]))
    assert t["eligible"] is False


def test_a_son_in_prison_is_unable_to_support():
    # NAT-TK-SUPPORTER: in prison → unable; the mother alone is covered: 910.00 + 100.00
    son = member("1985-01-01", "child", lives_together=False, not_member_reason="prison")
    t = tekun(household("620422", [member(), son]))
    assert t["amount"] == "1010.00"
    assert "在押服刑" in step(t, "NAT-TK-SUPPORTER")["detail"]


def test_an_old_low_income_spouse_is_unable_and_each_person_is_decided_alone():
    # Person 1, 73, no income: meets every condition. Person 2, 72, wages 1000 ≥ 700 → not 特困
    # himself; as a supporter he is 70+ with 1000 × 12 = 12000 < 36883 (2022 per-capita disposable
    # income, the 2023 figure in force) → unable. So person 1 alone: 910.00 + 100.00 = 1010.00
    doc = household("620422", [member(), member("1951-01-01", "spouse", wages=1000)])
    t = tekun(doc)
    assert t["amount"] == "1010.00"
    detail = step(t, "TK-4")["detail"]
    assert "第1人：无劳动能力、无生活来源" in detail
    assert "第2人：不符合无生活来源条件" in detail


def test_an_elderly_couple_with_no_income_are_both_covered():
    # each is the other's only supporter, and each is 特困 → unable: (910.00 + 100.00) × 2
    t = tekun(household("620422", [member(), member("1952-01-01", "spouse")]))
    assert t["amount"] == "2020.00"


# --- NAT-TK-MINOR ----------------------------------------------------------------------------

def test_an_orphan_who_takes_the_child_allowance_is_not_tekun():
    doc = household("620422", [member("2013-01-01", orphan=True)])
    t = tekun(doc)
    assert t["eligible"] is False
    assert "NAT-TK-MINOR" in rules(t)


def test_an_orphan_who_chooses_tekun_is_covered():
    # 910.00 + 100.00 = 1010.00
    t = tekun(household("620422", [member("2013-01-01", orphan=True, chooses_child_allowance=False)]))
    assert t["amount"] == "1010.00"


# --- TK-7 and its scope ----------------------------------------------------------------------

def test_wuhai_rural_tekun_uses_the_urban_standard():
    # TK-7: 同城同待遇 — urban 低保 standard 700.00 × 1.3 = 910.00 (not rural 400.00 × 1.3 = 520.00)
    # Wuhai sets no care tiers of its own; pinned full self-care 100.00 → 1010.00
    t = tekun(household("150302", [member()], residence="rural"))
    assert t["amount"] == "1010.00"
    assert step(t, "TK-7")["source"].startswith("wuhai-2014 三.4")


def test_baotou_rural_tekun_keeps_the_rural_standard():
    # no TK-7 outside Wuhai: 400.00 × 1.3 = 520.00 + 100.00 = 620.00
    t = tekun(household("150202", [member()], residence="rural"))
    assert t["amount"] == "620.00"
    assert "TK-7" not in rules(t)


def test_basic_ratio_is_a_parameter():
    # tekun.basic_ratio 1.5: 700.00 × 1.5 = 1050.00 + 100.00 = 1150.00
    t = tekun(household("620422", [member()]), **{"tekun.basic_ratio": "1.5"})
    assert t["amount"] == "1150.00"


# --- published for later programs ------------------------------------------------------------

def test_covered_persons_are_published_as_a_person_mask():
    docs = [household("620422", [member(), member("1985-01-01", "child", wages=4000)]),
            household("620422", [member(), member("1951-01-01", "spouse", wages=1000)])]
    hh = from_documents(docs)
    done, _, _ = decide(hh, overrides={"dibao.standard.urban": 700})
    covered = done["tekun"].persons["covered"]
    assert covered.dtype == bool
    assert np.array_equal(covered, [False, False, True, False])
    assert list(done["tekun"].eligible) == [False, True]
