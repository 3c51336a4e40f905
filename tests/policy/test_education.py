"""ED-1 (Wuhai), ED-2 (Wuhai, Baotou) and ED-3 (Huining, urban): education assistance.

`amount` is yearly; one-off grants are reported in `once`. Figures worked by hand from the text.
"""

from doudi.policy.engine import assess

STANDARDS = {"dibao.standard.urban": "700.00", "dibao.standard.rural": "500.00"}


def household(region, members, residence="urban", date="2023-09-01", **extra):
    return {"region": region, "residence": residence, "date": date, "members": members,
            "legal_supporters": "able", **extra}


def parent(wages=0):
    return {"name": "家长", "relation": "self", "birth_date": "1975-03-01", "work_ability": "full",
            "monthly_income": {"wages": wages}}


def pupil(stage, boarding=False, new=False, born="2010-05-01", **kw):
    return {"name": stage, "relation": "child", "birth_date": born,
            "school": {"stage": stage, "boarding": boarding, "new_entrant": new}, **kw}


def education_of(doc, sets=None):
    programs = assess(doc, sets={**STANDARDS, **(sets or {})}).as_json()["programs"]
    return programs.get("education"), programs


def rules_of(entry):
    return [s["rule"] for s in entry["trace"]]


# --- ED-1 ----------------------------------------------------------------------------------------

def test_wuhai_dibao_boarders_get_their_yearly_living_allowances():
    # ED-1: 低保 household (no income) with a primary boarder 1000.00 and a junior boarder 1250.00:
    # 1000.00 + 1250.00 = 2250.00 yuan/year; the preschool child's care fees are waived (no money)
    doc = household("150300", [parent(), pupil("primary", boarding=True, born="2014-01-01"),
                               pupil("junior", boarding=True), pupil("preschool", born="2019-01-01")])
    e, programs = education_of(doc)
    assert programs["dibao"]["eligible"] is True
    assert e["eligible"] is True
    assert e["period"] == "year"
    assert e["amount"] == "2250.00"
    detail = " ".join(s["detail"] for s in e["trace"] if s["rule"] == "ED-1")
    assert "免除保育教育费" in detail and "免除住宿费" in detail


def test_wuhai_senior_boarder_grant_is_a_parameter_between_1000_and_2000():
    # placeholder floor 1000.00; set to 1500.00 → 1500.00 (and 2500 is refused by Wuhai's bounds)
    doc = household("150300", [parent(), pupil("senior", boarding=True, born="2007-01-01")])
    assert education_of(doc)[0]["amount"] == "1000.00"
    assert education_of(doc, {"education.ed1.senior_boarder_grant": "1500.00"})[0]["amount"] == "1500.00"
    try:
        education_of(doc, {"education.ed1.senior_boarder_grant": "2500.00"})
    except ValueError as exc:
        assert "2000" in str(exc)
    else:
        raise AssertionError("2500 should be outside wuhai-2014's 1000–2000")


def test_wuhai_day_pupils_get_no_living_allowance():
    # ED-1 pays living allowances to boarders only
    e, _ = education_of(household("150300", [parent(), pupil("primary", born="2014-01-01")]))
    assert e["amount"] == "0.00"
    assert e["eligible"] is False


def test_wuhai_orphan_boarder_outside_dibao_is_covered():
    # orphan in a household above the 低保 line (wages 9000.00): junior boarder → 1250.00
    e, programs = education_of(household("150300", [parent(9000), pupil("junior", boarding=True, orphan=True)]))
    assert programs["dibao"]["eligible"] is False
    assert e["amount"] == "1250.00"


def test_wuhai_boarder_outside_dibao_and_not_orphan_gets_nothing():
    e, _ = education_of(household("150300", [parent(9000), pupil("junior", boarding=True)]))
    assert e["amount"] == "0.00"
    assert any(s["rule"] == "ED-1" and "不属" in s["detail"] for s in e["trace"])


def test_ed1_does_not_leak_into_baotou_or_huining():
    for region in ("150200", "620422"):
        e, _ = education_of(household(region, [parent(), pupil("junior", boarding=True)], residence="rural"))
        assert e["amount"] == "0.00", region
        assert "ED-1" not in rules_of(e)


# --- ED-2 ----------------------------------------------------------------------------------------

def test_wuhai_new_bachelor_from_dibao_family_gets_40000_once():
    # ED-2: one-off 40000.00; nothing yearly
    e, _ = education_of(household("150300", [parent(), pupil("bachelor", new=True, born="2005-01-01")]))
    assert e["once"] == "40000.00"
    assert e["amount"] == "0.00"
    assert e["eligible"] is True
    assert "ED-2" in rules_of(e)


def test_wuhai_new_junior_college_student_gets_30000_once():
    e, _ = education_of(household("150300", [parent(), pupil("junior_college", new=True, born="2005-01-01")]))
    assert e["once"] == "30000.00"


def test_wuhai_requires_local_registration():
    doc = household("150300", [parent(), pupil("bachelor", new=True, born="2005-01-01")], local_registration=False)
    e, _ = education_of(doc)
    assert e.get("once", "0.00") == "0.00"
    assert e["eligible"] is False


def test_second_year_student_gets_no_new_student_grant():
    e, _ = education_of(household("150300", [parent(), pupil("bachelor", born="2004-01-01")]))
    assert e.get("once", "0.00") == "0.00"


def test_baotou_also_grants_orphans_and_needy_students_without_local_registration_rule():
    # baotou-2017 三(三)3: orphan (bachelor) 40000.00; needy student (junior college) 30000.00;
    # household above the 低保 line, not locally registered (Baotou does not require it): 70000.00 once
    members = [parent(20000), pupil("bachelor", new=True, born="2005-01-01", orphan=True),
               pupil("junior_college", new=True, born="2005-02-01", needy_student=True)]
    e, programs = education_of(household("150200", members, local_registration=False))
    assert programs["dibao"]["eligible"] is False
    assert e["once"] == "70000.00"


def test_wuhai_does_not_grant_needy_students_outside_dibao():
    # Wuhai names only 低保 families
    members = [parent(20000), pupil("bachelor", new=True, born="2005-01-01", needy_student=True)]
    e, _ = education_of(household("150300", members))
    assert e.get("once", "0.00") == "0.00"


def test_ed2_does_not_leak_into_huining():
    e, _ = education_of(household("620422", [parent(), pupil("bachelor", new=True, born="2005-01-01")]))
    assert e.get("once", "0.00") == "0.00"
    assert "ED-2" not in rules_of(e)


# --- ED-3 ----------------------------------------------------------------------------------------

def test_huining_urban_dibao_students_get_the_measures_of_their_stage_amounts_default_none():
    # ED-3: measures granted, amounts none → 0.00; the trace lists them and says the default was used
    doc = household("620422", [parent(), pupil("primary", born="2014-01-01"), pupil("vocational", born="2007-01-01")])
    e, _ = education_of(doc)
    assert e["eligible"] is True
    assert e["amount"] == "0.00"
    detail = " ".join(s["detail"] for s in e["trace"] if s["rule"] == "ED-3")
    assert "义务教育阶段家庭经济困难学生生活补助" in detail
    assert "中等职业教育免学费" in detail and "国家助学金" in detail and "勤工助学" in detail
    assert "默认无" in detail


def test_huining_ed3_amounts_by_parameter():
    # compulsory living allowance 500.00 + national grant 2000.00 = 2500.00 a year;
    # travel grant for the new bachelor student 1000.00 once
    sets = {"education.ed3.compulsory_living_allowance": "500.00", "education.ed3.national_grant": "2000.00",
            "education.ed3.travel_grant": "1000.00"}
    doc = household("620422", [parent(), pupil("junior", born="2010-01-01"), pupil("bachelor", new=True, born="2005-01-01")])
    e, _ = education_of(doc, sets)
    assert e["amount"] == "2500.00"
    assert e["once"] == "1000.00"


def test_huining_disabled_family_student_is_covered_without_dibao():
    # household above the 低保 line, but a disabled parent: "残疾等家庭" → ED-3 measures
    members = [dict(parent(20000), disability={"kind": "physical", "grade": 3}), pupil("senior", born="2007-01-01")]
    e, programs = education_of(household("620422", members), {"education.ed3.national_grant": "2000.00"})
    assert programs["dibao"]["eligible"] is False
    assert e["amount"] == "2000.00"


def test_huining_disabled_child_not_in_school_is_taught_at_home():
    # ED-3 送教上门: disabled child aged 9, no school stage
    child = {"name": "残疾儿童", "relation": "child", "birth_date": "2014-01-01", "disability": {"kind": "intellectual", "grade": 2}}
    e, _ = education_of(household("620422", [parent(), child]))
    assert e["eligible"] is True
    assert any("送教上门" in s["detail"] for s in e["trace"])


def test_huining_ed3_governs_urban_households_only():
    doc = household("620422", [parent(), pupil("primary", born="2014-01-01")], residence="rural")
    e, _ = education_of(doc, {"education.ed3.compulsory_living_allowance": "500.00"})
    assert e["eligible"] is False
    assert e["amount"] == "0.00"


def test_ed3_does_not_leak_into_wuhai():
    # a Wuhai day pupil of a 低保 family gets nothing: ED-3's measures are Huining's
    e, _ = education_of(household("150300", [parent(), pupil("primary", born="2014-01-01")]),
                        {"education.ed3.compulsory_living_allowance": "500.00"})
    assert e["amount"] == "0.00"
    assert "ED-3" not in rules_of(e)


def test_household_without_students_has_no_education_program():
    _, programs = education_of(household("150300", [parent()]))
    assert "education" not in programs
