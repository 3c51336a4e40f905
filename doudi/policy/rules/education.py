"""教育救助 (education assistance): ED-1, ED-2, ED-3.

- ED-1 (wuhai-2014 六.7; `education.ed1.in_force`): children of 低保 families and orphans in
  school — preschool care fees waived; primary boarders a living allowance (1000 yuan/year) and
  no boarding fee; junior boarders 1250 yuan/year; senior-secondary and vocational boarders a
  national grant of 1000–2000 yuan/year (parameter) and no boarding fee.
- ED-2 (wuhai-2014 六.8, baotou-2017 三(三)3): a new university student (`school.new_entrant`)
  gets a one-off grant — bachelor 40000, junior college / higher vocational 30000 — when he is
  of a group the region names (`education.new_student.groups`: Wuhai 低保 families; Baotou also
  orphans and needy students) and, where required (Wuhai), the household is registered locally.
- ED-3 (huining-2022 二(三)二, urban households): students of 低保, 特困 and disabled families get
  the measures of their stage (preschool fee reduction, compulsory-education living allowance,
  vocational fee waiver, national grants, travel grant for new university students, loans,
  priority for work-study); disabled children of school age not in school are taught at home
  (送教上门). The document names no figures: each amount is a parameter defaulting to none.

Design: the program's period is the year; `amount` is the yearly money (ED-1 and ED-3 grants),
and the one-off grants (ED-2 and the ED-3 travel grant) are reported apart in the extra field
`once` (yuan, paid once). Waivers and priorities carry no amount and are listed in the trace.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import names, unset_remark, y
from doudi.policy.rules.groups import covered, source
from doudi.policy.schema import SCHOOL_STAGES
from doudi.policy.trace import Trace
from doudi.policy.wording import PLACEHOLDER_NOTE

PROGRAM = "education"
PERIOD = "year"
P = PROGRAM
UNIVERSITY = ("junior_college", "bachelor", "postgraduate")
SCHOOL = ("preschool", "primary", "junior", "senior", "vocational")  # ED-1 stages
STAGE_NAMES = {
    "preschool": "学前教育", "primary": "小学", "junior": "初中", "senior": "普通高中", "vocational": "中等职业教育",
    "junior_college": "专科（高职）", "bachelor": "本科", "postgraduate": "研究生",
}


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    stage = hh.p("school.stage")
    student = stage >= 0
    ed1 = ed1_aid(hh, p, why, done)
    once2 = ed2_grant(hh, p, why, done)
    yearly3, once3, granted3, home = ed3_measures(hh, p, why, done)
    yearly = ed1[0] + yearly3
    once = once2 + once3
    amount = hh.sum_members(yearly)
    once_h = hh.sum_members(once)
    eligible = hh.any_member(ed1[1] | (once2 > 0) | granted3)
    applies = hh.any_member(student | home)
    note_refusal(hh, p, why, applies & ~eligible)
    return ProgramResult(
        P, PERIOD, applies=applies, eligible=eligible, amount=amount,
        persons={"covered": ed1[1] | (once2 > 0) | granted3, "yearly": yearly, "once": once},
        extra={"once": once_h}, money=("once",),
    )


def note_refusal(hh: Households, p: Params, why: Trace, refused: np.ndarray) -> None:
    """A refusal ends with the rule that failed: the region's own rule (ED-3, ED-1, ED-2), or the
    national text where the region has none."""
    ed3 = p.flag("education.ed3.in_force")
    ed1 = p.flag("education.ed1.in_force")
    ed2 = np.array([bool(g) for g in p.group_values("education.new_student.groups")], bool)
    ed2 = ed2[p.group] if len(ed2) else np.zeros(hh.n, bool)
    text = lambda i: "无学生符合本地教育救助资助条件，不予资助"  # noqa: E731
    why.note(P, "ED-3", refused & ed3, text, source=source(p, "education.ed3.in_force"))
    why.note(P, "ED-1", refused & ~ed3 & ed1, text, source=source(p, "education.ed1.in_force"))
    why.note(P, "ED-2", refused & ~ed3 & ~ed1 & ed2, text, source=source(p, "education.new_student.groups"))
    why.note(P, "ED-3", refused & ~ed3 & ~ed1 & ~ed2, lambda i: (
        "本地区未规定教育救助资助（ED-1 乌海、ED-2 乌海和包头、ED-3 会宁城镇均不适用），不予资助"),
        source=source(p, "education.ed3.in_force"))


def _stage(hh: Households, *words: str) -> np.ndarray:
    return hh.enum_is("school.stage", *words)


# --- ED-1 (Wuhai) ------------------------------------------------------------------------------

def ed1_aid(hh: Households, p: Params, why: Trace, done: dict) -> tuple[np.ndarray, np.ndarray]:
    """ED-1: (yearly allowance per person in fen, person granted any ED-1 measure)."""
    in_force = hh.per_person(p.flag("education.ed1.in_force"))
    who = in_force & _stage(hh, *SCHOOL) & (covered(done, "dibao", hh) | hh.p("orphan"))
    boarder = hh.p("school.boarding")
    preschool = who & _stage(hh, "preschool")
    rates = (
        (who & boarder & _stage(hh, "primary"), "education.ed1.primary_boarder_allowance", "生活费补助"),
        (who & boarder & _stage(hh, "junior"), "education.ed1.junior_boarder_allowance", "生活费补助"),
        (who & boarder & _stage(hh, "senior", "vocational"), "education.ed1.senior_boarder_grant", "国家助学金"),
    )
    yearly = np.zeros(hh.n_persons, np.int64)
    granted = preschool.copy()
    for mask, name, _ in rates:
        yearly = yearly + np.where(mask, hh.per_person(p.money(name)), 0)
        granted |= mask

    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            if preschool[k]:
                parts.append(f"{hh.label(k)}（学前教育）免除保育教育费")
            for mask, name, what in rates:
                if mask[k]:
                    value = p.value(name, i)
                    money = f"{what} {y(yearly[k])} 元/年" if value is not None else f"{what}标准未设定{unset_remark(p, name)}"
                    mark = PLACEHOLDER_NOTE if p.entry(name, i).placeholder else ""
                    parts.append(f"{hh.label(k)}（{STAGE_NAMES[_stage_word(hh, k)]}寄宿生）免除住宿费，{money}{mark}")
        return "低保家庭子女、孤儿在校生：" + "；".join(parts)

    why.note(P, "ED-1", hh.any_member(granted), detail, source=source(p, "education.ed1.in_force"))
    others = in_force & _stage(hh, *SCHOOL) & ~who
    why.note(P, "ED-1", hh.any_member(others), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if others[k]])} 非低保家庭子女、非孤儿，不属 ED-1 资助对象"),
        source=source(p, "education.ed1.in_force"))
    day = who & ~granted
    why.note(P, "ED-1", hh.any_member(day), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if day[k]])} 非学前教育且非寄宿生，无 ED-1 生活补助"),
        source=source(p, "education.ed1.in_force"))
    return yearly, granted


def _stage_word(hh: Households, k: int) -> str:
    return SCHOOL_STAGES[int(hh.p("school.stage")[k])]


# --- ED-2 (Wuhai, Baotou) ------------------------------------------------------------------------

def ed2_groups(hh: Households, p: Params, done: dict) -> np.ndarray:
    """Person mask: of a group the region's ED-2 names (低保 family, orphan, needy student)."""
    out = np.zeros(hh.n_persons, bool)
    by_group = p.group_values("education.new_student.groups")
    dibao = covered(done, "dibao", hh)
    masks = {"dibao": dibao, "orphan": hh.p("orphan"), "needy_student": hh.p("needy_student")}
    group_of_person = p.group[hh.person_hh]
    for g, words in enumerate(by_group):
        sel = group_of_person == g
        for w in words or ():
            if w in masks:
                out |= sel & masks[w]
    return out


def ed2_grant(hh: Households, p: Params, why: Trace, done: dict) -> np.ndarray:
    """ED-2: one-off grant per new university student (fen)."""
    new = hh.p("school.new_entrant")
    bachelor = new & _stage(hh, "bachelor") & hh.per_person(p.isset("education.new_student.bachelor"))
    college = new & _stage(hh, "junior_college") & hh.per_person(p.isset("education.new_student.junior_college"))
    candidate = bachelor | college
    in_group = ed2_groups(hh, p, done)
    registered = hh.per_person(hh.h("local_registration") | ~p.flag("education.new_student.local_registration"))
    ok = candidate & in_group & registered
    grant = np.where(ok & bachelor, hh.per_person(p.money("education.new_student.bachelor")),
                     np.where(ok & college, hh.per_person(p.money("education.new_student.junior_college")), 0))
    src = lambda i: p.entry("education.new_student.bachelor", i).source or None  # noqa: E731
    why.note(P, "ED-2", hh.any_member(ok), lambda i: "普通高校新生入学一次性资助：" + "；".join(
        f"{hh.label(k)}（{STAGE_NAMES[_stage_word(hh, k)]}新生）一次性 {y(grant[k])} 元"
        for k in hh.members_of(i) if ok[k]), source=src)
    no_reg = candidate & in_group & ~registered
    why.note(P, "ED-2", hh.any_member(no_reg), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if no_reg[k]])} 须具有本地户籍，家庭户籍不在本地，不予资助"), source=src)
    other = candidate & ~in_group
    why.note(P, "ED-2", hh.any_member(other), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if other[k]])} 不属于本地入学资助对象"
        f"（{'、'.join(GROUP_NAMES.get(w, w) for w in p.value('education.new_student.groups', i) or ())}）"), source=src)
    return grant.astype(np.int64)


GROUP_NAMES = {"dibao": "低保家庭子女", "orphan": "孤儿", "needy_student": "家庭经济困难学生"}


# --- ED-3 (Huining, urban) -------------------------------------------------------------------------

ED3_ITEMS = (
    # (stages, measure, amount parameter or None, yearly or once)
    (("preschool",), "减免保教费", "education.ed3.preschool_fee_reduction", "year"),
    (("primary", "junior"), "义务教育阶段家庭经济困难学生生活补助", "education.ed3.compulsory_living_allowance", "year"),
    (("vocational",), "中等职业教育免学费", None, "year"),
    (("senior", "vocational") + UNIVERSITY, "国家助学金", "education.ed3.national_grant", "year"),
    (("senior", "vocational") + UNIVERSITY, "优先安排勤工助学", None, "year"),
    (UNIVERSITY, "生源地信用助学贷款", None, "year"),
)


def ed3_measures(hh: Households, p: Params, why: Trace, done: dict):
    """ED-3: (yearly fen, once fen, granted mask, home-teaching mask) per person."""
    in_force = hh.per_person(p.flag("education.ed3.in_force"))
    family = hh.per_person(hh.any_member(covered(done, "dibao", hh) | covered(done, "tekun", hh)
                                         | (hh.p("disability.grade") >= 1)))
    student = in_force & family & (hh.p("school.stage") >= 0)
    yearly = np.zeros(hh.n_persons, np.int64)
    lines: list[tuple[np.ndarray, str, str | None]] = []
    for stages, measure, name, _ in ED3_ITEMS:
        mask = student & _stage(hh, *stages)
        if name:
            yearly = yearly + np.where(mask, hh.per_person(p.money(name)), 0)
        lines.append((mask, measure, name))
    travel = student & hh.p("school.new_entrant") & _stage(hh, "junior_college", "bachelor")
    once = np.where(travel, hh.per_person(p.money("education.ed3.travel_grant")), 0).astype(np.int64)
    lines.append((travel, "普通高校新生入学路费资助", "education.ed3.travel_grant"))
    home = home_teaching(hh, p, in_force)

    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            got = []
            for mask, measure, name in lines:
                if not mask[k]:
                    continue
                if name is None:
                    got.append(measure)
                elif p.value(name, i) is None:
                    got.append(f"{measure}（金额未设定）{unset_remark(p, name)}")
                else:
                    got.append(f"{measure} {y(hh.per_person(p.money(name))[k])} 元")
            if got:
                parts.append(f"{hh.label(k)}({STAGE_NAMES[_stage_word(hh, k)]}): " + "、".join(got))
        return "城市低保、特困、残疾等家庭经济困难学生：" + "；".join(parts)

    why.note(P, "ED-3", hh.any_member(student), detail, source=source(p, "education.ed3.in_force"))
    outside = in_force & ~family & (hh.p("school.stage") >= 0)
    why.note(P, "ED-3", hh.any_member(outside), lambda i: "家庭中无低保对象、特困人员或残疾人，不属 ED-3 资助对象",
             source=source(p, "education.ed3.in_force"))
    why.note(P, "ED-3", hh.any_member(home), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if home[k]])} 为未入学的适龄残疾儿童少年，落实送教上门"),
        source=source(p, "education.ed3.in_force"))
    return yearly, once, student | home, home


def home_teaching(hh: Households, p: Params, in_force: np.ndarray) -> np.ndarray:
    """ED-3: disabled children of school age (education.ed3.home_teaching_ages) not in school."""
    lo = np.zeros(hh.n, np.int64)
    hi = np.full(hh.n, -1, np.int64)
    for g, ages in enumerate(p.group_values("education.ed3.home_teaching_ages")):
        if ages:
            sel = p.group == g
            lo[sel], hi[sel] = int(ages[0]), int(ages[1])
    age = hh.age
    return (in_force & (hh.p("disability.grade") >= 1) & (hh.p("school.stage") < 0)
            & (age >= hh.per_person(lo)) & (age <= hh.per_person(hi)))
