"""Disability subsidies (DS-1, DS-2, NAT-DS-TWO) through the services.

Gansu (620000, disability.yaml): living subsidy 100.00 yuan a month, care subsidy grade 1 100.00,
grade 2 80.00 （gansu-2017 二（二））. Huining's urban 低保 standard is 700.00 (placeholder). Expected
amounts below are worked by hand from the rule text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.programs import disability as s
from doudi.programs.procedure import ProcedureError

from .conftest import DAY

D = dt.date
pytestmark = pytest.mark.django_db
GRADE1 = {"disability": {"kind": "physical", "grade": 1}}


@pytest.fixture
def dibao_disabled(make_household):
    """One person, grade 1 physical disability, no income: 0 < 700 → 低保 (NAT-DS-TWO: living subsidy due)."""
    return make_household(members=[("赵残", "self", D(1970, 1, 1), "M", GRADE1)])


def _person(hh):
    return hh.memberships.get().person


def test_both_subsidies_together_become_two_monthly_benefits(huining_caseworker, huining_approver, dibao_disabled):
    from doudi.benefits.models import Benefit

    a = s.submit(huining_caseworker, household_id=dibao_disabled.pk, person_id=_person(dibao_disabled).pk,
                 subsidy="both", on=DAY)
    a = s.approve(huining_approver, a.pk, on=DAY)
    # NAT-DS-TWO: living 100.00 （低保 household） + care 100.00 (grade 1, long-term care) — both may be received
    assert (a.living_fen, a.care_fen) == (10000, 10000) and a.state == "approved"
    got = {b.program: b.amount_fen for b in Benefit.objects.filter(person=_person(dibao_disabled))}
    assert got == {"disability_living": 10000, "disability_care": 10000}
    assert Benefit.objects.filter(program="disability_care").get().start_month == D(2026, 4, 1)


def test_outside_dibao_only_the_care_subsidy(huining_caseworker, huining_approver, make_household):
    hh = make_household(members=[("钱残", "self", D(1970, 1, 1), "F",
                                  {"disability": {"kind": "visual", "grade": 2}, "monthly_income": {"wages": 3000}})])
    a = s.submit(huining_caseworker, household_id=hh.pk, person_id=_person(hh).pk, subsidy="living", on=DAY)
    with pytest.raises(ProcedureError) as e:  # not in 低保： no living subsidy (NAT-DS-TWO)
        s.approve(huining_approver, a.pk, on=DAY)
    assert "不在低保家庭" in e.value.message
    b = s.submit(huining_caseworker, household_id=hh.pk, person_id=_person(hh).pk, subsidy="both", on=DAY)
    b = s.approve(huining_approver, b.pk, on=DAY)
    assert (b.living_fen, b.care_fen) == (0, 8000)  # grade 2 care subsidy 80.00 only


def test_four_eyes_and_area(huining_caseworker, huining_approver, other_town_caseworker, baotou_approver,
                            dibao_disabled):
    a = s.submit(huining_caseworker, household_id=dibao_disabled.pk, person_id=_person(dibao_disabled).pk,
                 subsidy="care", on=DAY)
    with pytest.raises(PermissionDenied):  # a caseworker does not approve
        s.approve(huining_caseworker, a.pk, on=DAY)
    with pytest.raises(Http404):
        s.approve(baotou_approver, a.pk, on=DAY)
    assert not s.visible_applications(other_town_caseworker).exists()


def test_a_person_without_a_disability_grade_cannot_apply(huining_caseworker, huining_household):
    p = huining_household.memberships.first().person
    with pytest.raises(ProcedureError) as e:
        s.submit(huining_caseworker, household_id=huining_household.pk, person_id=p.pk, subsidy="care")
    assert e.value.field == "person_id"


def test_ds2_grade_1_2_dibao_recipients_not_in_tekun_are_surveyed(huining_caseworker, dibao_disabled,
                                                                 make_household):
    from doudi.benefits import services as benefits

    benefits.start_benefit(None, household=dibao_disabled, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    grade3 = make_household(members=[("孙残", "self", D(1970, 1, 1), "M", {"disability": {"kind": "physical", "grade": 3}})])
    benefits.start_benefit(None, household=grade3, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    rows = s.survey_candidates(huining_caseworker, DAY)
    assert [(r["person"].name, r["grade"], r["listed"]) for r in rows] == [("赵残", 1, False)]  # grade 3 is not listed
    s.record_need(huining_caseworker, household_id=dibao_disabled.pk, person_id=_person(dibao_disabled).pk,
                  needs="需日常生活照料", service="home", on=DAY)
    assert s.survey_candidates(huining_caseworker, DAY)[0]["listed"] is True
    with pytest.raises(ProcedureError):
        s.record_need(huining_caseworker, household_id=grade3.pk, person_id=_person(grade3).pk, needs="x", service="home")
