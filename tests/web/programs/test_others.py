"""The price-linked subsidy (PL-1, NAT-PL), street-homeless rescue (ST-1, NAT-TK-COND), education, housing and
employment (ED-1, HO-1, HO-2, EM-1) through the services. Expected amounts worked by hand from the rule text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from doudi.programs import partners, prices, rescue
from doudi.programs import procedure as proc
from doudi.programs.models import EmploymentRecord, PriceSubsidyLine
from doudi.programs.procedure import ProcedureError

D = dt.date
pytestmark = pytest.mark.django_db


# --- PL-1, NAT-PL -----------------------------------------------------------------------------------------

@pytest.fixture
def dibao_one(make_household):
    from doudi.benefits import services as benefits

    hh = make_household(members=[("孔低保", "self", D(1970, 1, 1), "M", {})])  # Huining urban, no income: 低保
    benefits.start_benefit(None, household=hh, program="dibao", amount_fen=70000, start_month=D(2026, 1, 1))
    return hh


def test_pl1_cpi_past_the_trigger_pays_the_standard_times_the_rise(administrator, dibao_one, huining_caseworker):
    idx = prices.enter_index(administrator, province="62", month=D(2026, 3, 1), cpi_yoy="4.00",
                             published_on=D(2026, 4, 10))
    out = prices.compute_month(administrator, idx.pk)
    line = PriceSubsidyLine.objects.get()
    # NAT-PL: 4.0% ≥ 3.5% → Huining urban 低保 standard 700.00 × 4% = 28.00 yuan, 1 person （低保）
    assert (line.per_person_fen, line.people, line.amount_fen) == (2800, 1, 2800)
    assert "CPI同比 4.00%" in line.figure and "≥ 3.5%" in line.trigger
    # paid within 20 working days of 2026-04-10 (Fri): 13–17 (5), 20–24 (10), 27–30 (14), then the May Day
    # holiday: the 20th working day falls after 2026-05-08
    assert out["pay_by"] == line.pay_by and line.pay_by > D(2026, 5, 8)
    assert list(prices.visible_lines(huining_caseworker)) == [line]


def test_pl1_both_indexes_pay_the_higher_rise(administrator, dibao_one):
    idx = prices.enter_index(administrator, province="62", month=D(2026, 3, 1), cpi_yoy="3.60", food_cpi_yoy="7.00",
                             published_on=D(2026, 4, 10))
    prices.compute_month(administrator, idx.pk)
    # both trigger (3.6 ≥ 3.5; 7 ≥ 6): the higher, 700.00 × 7% = 49.00
    assert PriceSubsidyLine.objects.get().amount_fen == 4900


def test_pl1_below_the_trigger_nothing_is_written_and_the_figure_is_shown(administrator, dibao_one):
    idx = prices.enter_index(administrator, province="62", month=D(2026, 3, 1), cpi_yoy="3.00",
                             published_on=D(2026, 4, 10))
    out = prices.compute_month(administrator, idx.pk)
    assert out["lines"] == 0 and "3%" in out["not_triggered"] and "未达到" in out["not_triggered"]


def test_only_the_province_enters_the_index(huining_approver, administrator):
    with pytest.raises(PermissionDenied):
        prices.enter_index(huining_approver, province="62", month=D(2026, 3, 1), cpi_yoy="4", published_on=D(2026, 4, 1))
    with pytest.raises(ProcedureError) as e:
        prices.enter_index(administrator, province="62", month=D(2026, 3, 1), cpi_yoy="四", published_on=D(2026, 4, 1))
    assert e.value.field == "cpi_yoy"


# --- ST-1 ------------------------------------------------------------------------------------------------------

def test_st1_placement_by_age_names_nat_tk_cond():
    assert proc.placement_for(12, able_to_work=False, has_income=False, has_supporter=False, disabled=False)[0] == "orphan"
    kind, why = proc.placement_for(70, able_to_work=False, has_income=False, has_supporter=False, disabled=False)
    assert kind == "tekun" and "NAT-TK-COND" in why
    kind, why = proc.placement_for(40, able_to_work=True, has_income=False, has_supporter=False, disabled=False)
    assert kind == "" and "NAT-TK-COND" in why and "有劳动能力" in why


def test_st1_found_searched_and_returned_home(huining_caseworker, other_town_caseworker):
    c = rescue.intake(huining_caseworker, region="620422100", name="男，约40岁，自称姓李", estimated_age=40, sex="M",
                      found_how="patrol", found_on=D(2026, 3, 1), found_at="会师路桥下")
    rescue.record_search(huining_caseworker, c.pk, kind="face", result="人像比对未比中", on=D(2026, 3, 2))
    rescue.record_search(huining_caseworker, c.pk, kind="dna", result="DNA比对成功，户籍河南省", matched=True,
                         home_region="410102", on=D(2026, 3, 5))
    c = rescue.return_home(huining_caseworker, c.pk, returned_on=D(2026, 3, 6), receiving_office="郑州市救助管理站",
                           escort="escort", on=D(2026, 3, 6))
    assert c.state == "returned" and c.searches.count() == 2
    with pytest.raises(Http404):
        rescue.access_case(other_town_caseworker, c.pk)


def test_st1_a_long_staying_minor_is_placed_as_an_orphan_with_his_case_opened(huining_caseworker):
    from doudi.policy.identity import check_character
    from doudi.programs.models import ChildCase

    c = rescue.intake(huining_caseworker, region="620422100201", name="小男孩", estimated_age=10, sex="M",
                      found_how="walk_in", found_on=D(2026, 3, 1))
    rescue.mark_long_stay(huining_caseworker, c.pk)
    first17 = "62042220160101001"
    c = rescue.place(huining_caseworker, c.pk, id_number=first17 + check_character(first17), birth_name="会宁",
                     on=D(2026, 3, 2))
    assert c.placement == "orphan" and "NAT-CH-ORPHAN" in c.placement_reason
    case = ChildCase.objects.get()
    assert case.kind == "orphan" and case.state == "submitted" and c.placement_ref.endswith(case.number)


def test_st1_an_adult_who_can_work_is_not_placed_as_tekun(huining_caseworker):
    from doudi.policy.identity import check_character

    c = rescue.intake(huining_caseworker, region="620422100201", name="中年男", estimated_age=40, sex="M",
                      found_how="walk_in")
    rescue.mark_long_stay(huining_caseworker, c.pk)
    first17 = "62042219860101001"
    with pytest.raises(ProcedureError) as e:
        rescue.place(huining_caseworker, c.pk, id_number=first17 + check_character(first17), able_to_work=True)
    assert "NAT-TK-COND" in e.value.message


# --- ED-1, HO-1, EM-1, HO-2 --------------------------------------------------------------------------------------

def test_ed1_wuhai_primary_boarder_of_a_dibao_family_gets_1000_a_year(make_household):
    from doudi.accounts.models import RoleAssignment, User
    from doudi.benefits.models import Benefit

    ap = User.objects.create_user(username="wuhai_ap", password="x", full_name="乌审批")
    RoleAssignment.objects.create(user=ap, role="county_approver", area="150302")
    hh = make_household(region="150302001002", members=[
        ("母亲", "self", D(1985, 1, 1), "F", {}),
        ("孩子", "child", D(2016, 1, 1), "M", {"school": {"stage": "primary", "boarding": True}})])
    kid = hh.memberships.get(person__name="孩子").person
    g = partners.approve_education(ap, household_id=hh.pk, person_id=kid.pk, on=D(2026, 3, 2))
    # ED-1 (wuhai-2014 六.7): 低保 family (no income), primary boarder: 1000.00 yuan a year
    assert g.yearly_fen == 100000 and "ED-1" in g.rules
    b = Benefit.objects.get(program="education")
    assert b.person_id == kid.pk and b.amount_fen == 100000 and b.last_month == b.start_month == D(2026, 4, 1)


def test_ed2_wuhai_new_bachelor_student_of_a_dibao_family_gets_40000_once(make_household):
    from doudi.accounts.models import RoleAssignment, User

    ap = User.objects.create_user(username="wuhai_ap2", password="x", full_name="乌审批")
    RoleAssignment.objects.create(user=ap, role="county_approver", area="150302")
    hh = make_household(region="150302001002", facts={"local_registration": True}, members=[
        ("父亲", "self", D(1975, 1, 1), "M", {}),
        ("新生", "child", D(2008, 1, 1), "F", {"school": {"stage": "bachelor", "new_entrant": True}})])
    kid = hh.memberships.get(person__name="新生").person
    g = partners.approve_education(ap, household_id=hh.pk, person_id=kid.pk, on=D(2026, 9, 1))
    # ED-2 (wuhai-2014 六.8): new bachelor's student of a 低保 family registered locally: 40000.00 once
    assert g.once_fen == 4000000 and "ED-2" in g.rules


@pytest.mark.parametrize(("kind", "department", "rule"), [
    ("housing", "住建部门", "HO-1"), ("pension", "人社部门", "EM-2"), ("education", "教育部门", "ED-3")])
def test_referral_kinds_name_their_department_and_rule(kind, department, rule, huining_caseworker, huining_household):
    # HO-1 housing, EM-2 the lowest pension contribution paid, ED-3 waivers and teaching at home: partner departments
    p = huining_household.memberships.get(relation="self").person
    r = partners.refer(huining_caseworker, household_id=huining_household.pk, person_id=p.pk, kind=kind, note="转介")
    assert proc.REFERRAL_DEPARTMENTS[r.kind] == department and proc.REFERRAL_RULES[r.kind] == rule


def test_ho1_em1_referral_answered_by_the_partner_and_recorded_with_the_person(huining_caseworker, huining_liaison,
                                                                              huining_household, other_town_caseworker):
    p = huining_household.memberships.get(relation="self").person
    r = partners.refer(huining_caseworker, household_id=huining_household.pk, person_id=p.pk, kind="employment",
                       note="有劳动能力，愿意就业", on=D(2026, 3, 2))
    assert r.due_on == D(2026, 3, 16)  # 10 working days: 3–6 (4), 9–13 (9), 16 (10)
    assert list(partners.visible_referrals(huining_liaison)) == [r]
    with pytest.raises(Http404):
        partners.answer(other_town_caseworker, r.pk, accepted=True, answer="x")
    partners.answer(huining_liaison, r.pk, accepted=True, answer="安排公益性岗位（保洁）", on=D(2026, 3, 9))
    rec = EmploymentRecord.objects.get(person=p)
    assert rec.outcome == "安排公益性岗位（保洁）" and rec.referral_id == r.pk
    with pytest.raises(ProcedureError):
        partners.answer(huining_liaison, r.pk, accepted=True, answer="again")


def test_ho2_rural_dilapidated_house_listed_then_done(huining_caseworker, make_household):
    hh = make_household(residence="rural")
    h = partners.list_house(huining_caseworker, household_id=hh.pk, group="dibao", grade="D", on=D(2026, 3, 2))
    h = partners.house_done(huining_caseworker, h.pk, year=2026)
    assert h.year_done == 2026
    urban = make_household(residence="urban")
    with pytest.raises(ProcedureError):
        partners.list_house(huining_caseworker, household_id=urban.pk, group="dibao", grade="D")


def test_st1_an_old_long_stayer_is_placed_as_tekun_with_the_application_opened(huining_caseworker):
    from doudi.policy.identity import check_character
    from doudi.support.models import SupportCase

    c = rescue.intake(huining_caseworker, region="620422100201", name="老人", estimated_age=72, sex="M",
                      found_how="patrol", found_on=D(2026, 3, 1))
    rescue.mark_long_stay(huining_caseworker, c.pk)
    first17 = "62042219540101001"
    c = rescue.place(huining_caseworker, c.pk, id_number=first17 + check_character(first17), on=D(2026, 3, 2))
    # NAT-TK-COND: 72, no ability to work, no income, no supporter → 特困; the application is registered
    assert c.placement == "tekun" and "NAT-TK-COND" in c.placement_reason
    sc = SupportCase.objects.get()
    assert c.placement_ref.endswith(sc.number) and sc.state == "submitted"
