"""CH-3: left-behind children classed by need from the file's answers, each class with its help.

The rule (rules.md CH-3) and its source clause (baotou-2017 三(四), neimenggu-2017 二(四)):
"重点解决无人监护、无力监护、辍学以及户口缺失和无户口的…留守儿童生活保障问题 … 根据留守儿童及其家庭的
不同需求，采取分类帮扶、纳入城乡低保、孤儿保障范围或落实临时救助、医疗救助等政策。需要临时指导的，…给予
教育辅导、心理咨询等服务，提升家庭监护能力；需要替代照料的，及时协调其他监护人给予生活照料；没有其他监护人
的，由民政部门临时照料。属于监护侵害的要追究法律责任，申请撤销监护人资格。"

So each case below is worked by hand from those words: the four needs (无人监护, 无力监护, 辍学, 户口缺失),
the most urgent one naming the class; 无人监护 with another guardian → 替代照料, without one → 民政部门临时
照料 (which needs its start date and the institution). 辍学 counts only at compulsory-school age, 6 up to
16 (义务教育法 第十一条, parameters school_age_from / school_age_until).
"""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.programs import children as s
from doudi.programs import procedure as proc
from doudi.programs.procedure import LeftBehindAnswers, ProcedureError

from .conftest import DAY

D = dt.date

WELL = dict(has_carer=True, carer_able=True, other_guardian=False, in_school=True, registered=True)


def classed(age: int = 10, **answers: object) -> proc.LeftBehindClass:
    return proc.class_left_behind(LeftBehindAnswers(**(WELL | answers)), age)


# --- the rule in words (plain Python): one hand-worked case per class --------------------------------------------

def test_no_carer_and_no_other_guardian_civil_affairs_takes_the_child_into_temporary_care():
    c = classed(has_carer=False, carer_able=None, other_guardian=False)
    assert c.key == "no_guardian" and c.name == "无人监护"
    assert [n["need"] for n in c.needs] == ["no_guardian"]
    assert c.needs[0]["help"] == "没有其他监护人的，由民政部门临时照料"
    assert c.temporary_care is True and c.text().endswith("（CH-3）")


def test_no_carer_but_another_guardian_gets_substitute_care_not_temporary_care():
    c = classed(has_carer=False, carer_able=None, other_guardian=True)
    assert c.key == "no_guardian"
    assert c.needs[0]["help"] == "需要替代照料：及时协调其他监护人给予生活照料"
    assert c.temporary_care is False


def test_a_carer_unable_to_care_gets_guidance_and_substitute_care_when_there_is_another_guardian():
    c = classed(carer_able=False)
    assert c.key == "guardian_unable" and c.name == "无力监护"
    assert "教育辅导、心理咨询" in c.needs[0]["help"] and "提升家庭监护能力" in c.needs[0]["help"]
    assert "替代照料" not in c.needs[0]["help"] and not c.temporary_care
    with_other = classed(carer_able=False, other_guardian=True)
    assert with_other.needs[0]["help"].endswith("需要替代照料：及时协调其他监护人给予生活照料")


def test_dropped_out_counts_only_at_compulsory_school_age_6_to_15():
    assert classed(age=13, in_school=False).key == "dropped_out"
    assert classed(age=13, in_school=False).needs[0]["help"] == "教育部门劝返复学，落实控辍保学"
    assert classed(age=6, in_school=False).key == "dropped_out"      # 年满六周岁入学
    assert classed(age=15, in_school=False).key == "dropped_out"     # still within the nine years
    assert classed(age=5, in_school=False).key == "cared_for"        # not yet of school age
    assert classed(age=16, in_school=False).key == "cared_for"       # past compulsory schooling


def test_no_household_registration():
    c = classed(registered=False)
    assert c.key == "no_registration" and c.name == "户口缺失或无户口"
    assert c.needs[0]["help"] == "公安机关办理户口登记"


def test_a_child_cared_for_with_none_of_the_needs():
    c = classed()
    assert c.key == "cared_for" and [n["need"] for n in c.needs] == ["cared_for"] and not c.temporary_care


def test_several_needs_the_most_urgent_names_the_class_and_each_has_its_help():
    # carer unable (无力监护), 12 and out of school (辍学), no registration (户口缺失): all three, in that order
    c = classed(age=12, carer_able=False, in_school=False, registered=False)
    assert c.key == "guardian_unable"
    assert [n["need"] for n in c.needs] == ["guardian_unable", "dropped_out", "no_registration"]
    # no carer outranks everything: 无人监护 first
    c = classed(age=12, has_carer=False, carer_able=None, in_school=False, registered=False)
    assert [n["need"] for n in c.needs] == ["no_guardian", "dropped_out", "no_registration"] and c.temporary_care


def test_infringement_and_hardship_add_their_help_without_changing_the_class():
    c = classed(infringed=True, hardship=True)
    assert c.key == "cared_for"
    helps = {n["need"]: n["help"] for n in c.needs}
    assert helps["infringed"] == "属于监护侵害：追究法律责任，申请撤销监护人资格"
    assert helps["hardship"] == "分类帮扶：按规定纳入城乡低保、孤儿保障范围或落实临时救助、医疗救助"


# --- the file: the class is derived, never typed ------------------------------------------------------------------

ANSWERS = dict(lb_has_carer=False, lb_other_guardian=False, lb_in_school=True, lb_registered=True, lb_infringed=False,
               lb_hardship=False)


@pytest.fixture
def kid(make_household):
    # born 2016-01-01: 10 on 2026-03-02, of school age
    hh = make_household(members=[("留守儿", "self", D(2016, 1, 1), "M", {})])
    return hh.memberships.get().person


@pytest.mark.django_db
def test_the_file_derives_the_class_and_a_typed_class_does_not_count(huining_caseworker, kid):
    f = s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", left_behind_class="cared_for",
                    **ANSWERS, temporary_care_on=DAY, temporary_care_by="会宁县儿童福利院", on=DAY)
    assert f.left_behind_class == "no_guardian"
    assert f.left_behind_needs == [{"need": "no_guardian", "name": "无人监护",
                                    "help": "没有其他监护人的，由民政部门临时照料"}]
    assert f.temporary_care_on == DAY and f.temporary_care_by == "会宁县儿童福利院"


@pytest.mark.django_db
def test_no_guardian_without_another_needs_the_care_date_and_institution(huining_caseworker, kid):
    with pytest.raises(ProcedureError) as e:
        s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", **ANSWERS, on=DAY)
    assert e.value.field == "temporary_care_on" and "民政部门临时照料" in e.value.message
    with pytest.raises(ProcedureError) as e:
        s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", **ANSWERS, temporary_care_on=DAY,
                    on=DAY)
    assert e.value.field == "temporary_care_by"
    # with a grandmother to take the child, substitute care: no temporary care asked
    f = s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", **(ANSWERS | {"lb_other_guardian": True}),
                    on=DAY)
    assert f.left_behind_class == "no_guardian" and f.temporary_care_on is None
    assert "替代照料" in f.left_behind_needs[0]["help"]


@pytest.mark.django_db
def test_every_question_must_be_answered(huining_caseworker, kid):
    with pytest.raises(ProcedureError) as e:
        s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind",
                    **{k: v for k, v in ANSWERS.items() if k != "lb_in_school"}, on=DAY)
    assert e.value.field == "lb_in_school" and "是否在校就读" in e.value.message
    with pytest.raises(ProcedureError) as e:  # a carer: whether able must be answered
        s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", **(ANSWERS | {"lb_has_carer": True}),
                    on=DAY)
    assert e.value.field == "lb_carer_able"


@pytest.mark.django_db
def test_an_update_reclasses_the_child_and_keeps_the_change(huining_caseworker, kid):
    f = s.open_file(huining_caseworker, person_id=kid.pk, category="left_behind", **ANSWERS, temporary_care_on=DAY,
                    temporary_care_by="会宁县儿童福利院", on=DAY)
    # the mother comes home and cares for the child, but the child is not registered: 户口缺失
    f = s.update_file(huining_caseworker, f.pk, version=f.version, lb_has_carer=True, lb_carer_able=True,
                      lb_registered=False, note="母亲返乡", on=D(2026, 3, 9))
    assert f.left_behind_class == "no_registration"
    assert [n["need"] for n in f.left_behind_needs] == ["no_registration"]
    change = {c["field"]: c for c in f.changes.last().changes}
    assert change["left_behind_class"]["before"] == "no_guardian" and change["left_behind_class"]["after"] == "no_registration"


@pytest.mark.django_db
def test_another_category_has_no_left_behind_class(huining_caseworker, kid):
    f = s.open_file(huining_caseworker, person_id=kid.pk, category="difficulty", on=DAY)
    assert f.left_behind_class == "" and f.left_behind_needs == []


# --- the page --------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_form_asks_the_questions_and_the_file_shows_the_class_and_help(client_for, huining_caseworker, kid):
    c = client_for(huining_caseworker)
    post = {"person_id": kid.pk, "category": "left_behind", "father_status": "normal", "mother_status": "normal",
            "lb_has_carer": "False", "lb_other_guardian": "False", "lb_in_school": "False", "lb_registered": "True",
            "lb_infringed": "False", "lb_hardship": "True"}
    r = c.post(f"/programs/children/new/?person={kid.pk}", post)
    body = r.content.decode()
    assert r.status_code == 400 and "临时照料起始日期" in body
    assert not s.visible_files(huining_caseworker).exists()
    r = c.post(f"/programs/children/new/?person={kid.pk}",
               post | {"temporary_care_on": "2026-03-02", "temporary_care_by": "会宁县儿童福利院"})
    assert r.status_code == 302
    f = s.visible_files(huining_caseworker).get()
    # 10 years old, no carer, no other guardian, out of school, family in hardship
    assert f.left_behind_class == "no_guardian"
    assert [n["need"] for n in f.left_behind_needs] == ["no_guardian", "dropped_out", "hardship"]
    page = c.get(f"/programs/children/{f.pk}/").content.decode()
    assert "无人监护" in page and "由民政部门临时照料" in page and "教育部门劝返复学" in page
    assert "2026-03-02 起由会宁县儿童福利院临时照料" in page
    assert 'name="lb_has_carer"' in page  # the update form asks the same questions
