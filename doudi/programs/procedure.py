"""The programs' procedures as plain Python (no database here): states, who takes each step, time limits,
and the conditions the rules set in words (NAT-CH-DEFACTO's parents, CH-3's classes, ST-1's placement
by age with NAT-TK-COND, NAT-DS-TWO's choice of subsidies).

Children's basic-living protection （孤儿、事实无人抚养儿童、艾滋病病毒感染儿童， CH-1, NAT-CH-DEFACTO）：

    submit → submitted ─township_check→ checked ─approve→ approved
                 │                          └refuse→ refused
                 └refuse (township finds the child does not qualify)→ refused

The township checks within 15 working days of the application, the county decides within 15
working days of the township's opinion (NAT-CH-DEFACTO). There is no public notice (privacy):
the procedure has no such step. Four eyes: who registered or checked does not decide.

Disability subsidies (DS-1, NAT-DS-TWO): submit → submitted ─approve/refuse→ approved/refused
(the county decides; who registered does not).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure import flow
from doudi.procedure.flow import Param, load_params
from doudi.procedure.flow import ProcedureError as _Base

DATA = Path(__file__).parent / "data" / "procedure.yaml"


class ProcedureError(_Base):
    """A step of the programs' procedures that the rules do not allow (message in Chinese)."""


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


class Perm(StrEnum):
    CASE_ACCEPT = "case.accept"
    CASE_REVIEW = "case.review"
    CASE_APPROVE = "case.approve"


# --- children: the procedure -------------------------------------------------------------------------

class State(StrEnum):
    SUBMITTED = "submitted"
    CHECKED = "checked"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATE_NAMES: dict[State, str] = {
    State.SUBMITTED: "已申请待乡镇查验",
    State.CHECKED: "乡镇已查验待县级确认",
    State.APPROVED: "已确认发放基本生活费",
    State.REFUSED: "不予认定",
    State.WITHDRAWN: "已撤回",
}


class Action(StrEnum):
    SUBMIT = "submit"
    TOWNSHIP_CHECK = "township_check"
    APPROVE = "approve"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


ACTION_NAMES: dict[Action, str] = {
    Action.SUBMIT: "登记申请",
    Action.TOWNSHIP_CHECK: "乡镇查验",
    Action.APPROVE: "县级确认",
    Action.REFUSE: "不予认定",
    Action.WITHDRAW: "撤回申请",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[State]
    perms: frozenset[Perm]


def _step(action: Action, sources: set[State], *perms: Perm) -> Step:
    return Step(action, frozenset(sources), frozenset(perms))


STEPS: dict[Action, Step] = {s.action: s for s in (
    _step(Action.SUBMIT, set(), Perm.CASE_ACCEPT),
    _step(Action.TOWNSHIP_CHECK, {State.SUBMITTED}, Perm.CASE_REVIEW),
    _step(Action.APPROVE, {State.CHECKED}, Perm.CASE_APPROVE),
    _step(Action.REFUSE, {State.SUBMITTED, State.CHECKED}, Perm.CASE_REVIEW, Perm.CASE_APPROVE),
    _step(Action.WITHDRAW, {State.SUBMITTED, State.CHECKED}, Perm.CASE_ACCEPT),
)}


class DeadlineKind(StrEnum):
    TOWNSHIP_CHECK = "township_check"
    COUNTY_DECISION = "county_decision"


DEADLINE_NAMES = {DeadlineKind.TOWNSHIP_CHECK: "乡镇查验（15个工作日）", DeadlineKind.COUNTY_DECISION: "县级确认（15个工作日）"}
STATE_DEADLINE = {State.SUBMITTED: DeadlineKind.TOWNSHIP_CHECK, State.CHECKED: DeadlineKind.COUNTY_DECISION}
_DEADLINE_PARAM = {DeadlineKind.TOWNSHIP_CHECK: "township_check_working_days",
                   DeadlineKind.COUNTY_DECISION: "county_decision_working_days"}


@dataclass(frozen=True)
class Due:
    kind: Any
    date: dt.date
    warning: str | None = None


def due_for(kind: DeadlineKind, start: dt.date, add: Any) -> Due:
    """NAT-CH-DEFACTO: 15 working days for the township, 15 for the county (the holiday calendar's days)."""
    d = add(start, int(param(_DEADLINE_PARAM[kind])))
    return Due(kind, getattr(d, "date", d), getattr(d, "warning", None) or None)


def allowed_actions(state: State, perms: set[str] | frozenset[str]) -> list[Action]:
    return [a for a, s in STEPS.items() if s.sources and state in s.sources and s.perms & set(perms)]


def check_step(action: Action, state: State | None) -> Step:
    return flow.check_step(STEPS, STATE_NAMES, ACTION_NAMES, ProcedureError, action, state)


# --- children: who the child is (CH-1, NAT-CH-ORPHAN, NAT-CH-DEFACTO, CH-3) -----------------------------

CATEGORIES = (("orphan", "孤儿"), ("defacto", "事实无人抚养儿童"), ("hiv", "艾滋病病毒感染儿童"),
              ("left_behind", "农村留守儿童"), ("difficulty", "困境儿童"))
CATEGORY_NAMES = dict(CATEGORIES)
PROTECTED = ("orphan", "defacto", "hiv")  # the categories whose allowance is a benefit (CH-1)

PARENT_STATUSES = (
    ("normal", "正常履行抚养义务"), ("dead", "死亡"), ("missing", "失踪（宣告失踪或查找不到）"),
    ("severe_disabled", "重残（一二级，或三四级精神、智力残疾）"), ("seriously_ill", "重病"),
    ("imprisoned", "服刑在押、强制隔离戒毒"), ("lost_contact", "失联"),
)
PARENT_NAMES = dict(PARENT_STATUSES)
GONE = ("dead", "missing")
UNABLE = ("severe_disabled", "seriously_ill", "imprisoned", "lost_contact")
SIX_MONTHS = ("imprisoned", "lost_contact")  # NAT-CH-DEFACTO: these count only for 6 months or more


@dataclass(frozen=True)
class Parent:
    status: str
    months: int = 0  # how long the situation has lasted (for imprisonment and loss of contact)

    @property
    def gone(self) -> bool:
        return self.status in GONE

    @property
    def unable(self) -> bool:
        return self.status in UNABLE and (self.status not in SIX_MONTHS or self.months >= 6)

    def text(self) -> str:
        name = PARENT_NAMES.get(self.status, self.status)
        return f"{name}{f' {self.months} 个月' if self.status in SIX_MONTHS else ''}"


def orphan_holds(father: Parent, mother: Parent) -> tuple[bool, str]:
    """NAT-CH-ORPHAN: both parents dead or not to be found."""
    ok = father.gone and mother.gone
    return ok, (f"父亲{father.text()}、母亲{mother.text()}:" + ("父母双方均死亡或查找不到，属孤儿（NAT-CH-ORPHAN）" if ok
                                                         else "不属于父母双方均死亡或查找不到（NAT-CH-ORPHAN）"))


def defacto_holds(father: Parent, mother: Parent) -> tuple[bool, str]:
    """NAT-CH-DEFACTO: both parents each unable (severely disabled, seriously ill, imprisoned or in
    compulsory rehab 6+ months, out of contact 6+ months); or one dead or missing and the other unable."""
    both_unable = father.unable and mother.unable
    one_gone = (father.gone and mother.unable) or (mother.gone and father.unable)
    head = f"父亲{father.text()}、母亲{mother.text()}:"
    if both_unable:
        return True, head + "父母双方均符合重残、重病、服刑在押或强制隔离戒毒、失联（6个月以上）情形之一，属事实无人抚养儿童（NAT-CH-DEFACTO）"
    if one_gone:
        return True, head + "父母一方死亡或失踪，另一方符合重残、重病、服刑在押、失联（6个月以上）情形之一，属事实无人抚养儿童（NAT-CH-DEFACTO）"
    short = [p for p in (father, mother) if p.status in SIX_MONTHS and p.months < 6]
    why = "；服刑在押或失联未满 6 个月" if short else ""
    return False, head + f"不符合事实无人抚养儿童的父母情形（NAT-CH-DEFACTO）{why}"


def still_protected(category: str, father: Parent, mother: Parent) -> tuple[bool, str]:
    """CH-2: whether the parents' situation still makes the child an orphan or de-facto unsupported
    (an HIV-affected child's protection does not depend on the parents)."""
    if category == "orphan":
        return orphan_holds(father, mother)
    if category == "defacto":
        ok, text = defacto_holds(father, mother)
        if not ok and orphan_holds(father, mother)[0]:
            return True, text + "；父母情形已属孤儿，按孤儿保障"
        return ok, text
    return True, "艾滋病病毒感染儿童，保障不以父母情形为条件（CH-1）"


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def eighteenth_birthday(birth: dt.date) -> dt.date:
    try:
        return birth.replace(year=birth.year + 18)
    except ValueError:  # 29 February
        return dt.date(birth.year + 18, 3, 1)


# CH-3: left-behind children classed by need, each class with its help （baotou-2017 三（四）； neimenggu-2017 二（四））.
LEFT_BEHIND_CLASSES = (
    ("no_guardian", "无人监护", "民政部门临时监护（送儿童福利机构或临时照料），督促落实委托监护"),
    ("guardian_unable", "监护人无监护能力", "督促父母另行委托有能力的亲属监护，儿童主任定期走访"),
    ("dropped_out", "失学辍学", "教育部门劝返复学，落实控辍保学"),
    ("no_registration", "无户籍", "公安部门办理户口登记"),
    ("cared_for", "有人监护、无上述情形", "儿童主任定期走访，建立信息台账"),
)
LEFT_BEHIND_NAMES = {k: n for k, n, _ in LEFT_BEHIND_CLASSES}
LEFT_BEHIND_HELP = {k: h for k, _, h in LEFT_BEHIND_CLASSES}


def class_left_behind(*, has_guardian: bool, guardian_able: bool, in_school: bool, school_age: bool,
                      registered: bool) -> tuple[str, str]:
    """CH-3: the class of a left-behind child by need (the most urgent first) and the help of that class."""
    if not has_guardian:
        k = "no_guardian"
    elif not guardian_able:
        k = "guardian_unable"
    elif school_age and not in_school:
        k = "dropped_out"
    elif not registered:
        k = "no_registration"
    else:
        k = "cared_for"
    return k, f"{LEFT_BEHIND_NAMES[k]}：{LEFT_BEHIND_HELP[k]}（CH-3）"


# --- disability subsidies (DS-1, NAT-DS-TWO) -----------------------------------------------------------------

SUBSIDIES = (("living", "困难残疾人生活补贴"), ("care", "重度残疾人护理补贴"), ("both", "两项补贴"))
SUBSIDY_NAMES = dict(SUBSIDIES)
DS_STATES = {"submitted": "已申请待审核", "approved": "已批准", "refused": "不予批准"}


# --- street-homeless rescue (ST-1) ---------------------------------------------------------------------------

RESCUE_STATES = (("in_station", "站内救助"), ("family_found", "已找到亲属"), ("returned", "已返乡"),
                 ("long_stay", "长期滞留"), ("placed", "已安置"))
RESCUE_STATE_NAMES = dict(RESCUE_STATES)
SEARCH_KINDS = (("dna", "DNA比对"), ("fingerprint", "指纹比对"), ("face", "人像比对"), ("notice", "寻亲公告"))
SEARCH_NAMES = dict(SEARCH_KINDS)


def placement_for(age: int, *, able_to_work: bool, has_income: bool, has_supporter: bool,
                  disabled: bool) -> tuple[str, str]:
    """ST-1: a long stayer is placed by age — a minor as an orphan (NAT-CH-ORPHAN: parents not to be
    found), an adult as 特困 when NAT-TK-COND holds (old, disabled or minor; no ability to work, no
    source of living, no one with a duty of support). Returns (placement, reason); placement ""
    when neither applies."""
    if age < 18:
        return "orphan", f"未满18周岁（{age}岁），父母查找不到，按孤儿安置（ST-1、NAT-CH-ORPHAN）"
    old = age >= 60
    if (old or disabled) and not able_to_work and not has_income and not has_supporter:
        who = "老年人" if old else "残疾人"
        return "tekun", (f"{age}岁{who}，无劳动能力、无生活来源、无法定赡养抚养扶养义务人，"
                         "符合特困人员条件，纳入特困人员救助供养（ST-1、NAT-TK-COND）")
    missing = [t for t, bad in (("非老年人或残疾人", not (old or disabled)), ("有劳动能力", able_to_work),
                               ("有生活来源", has_income), ("有法定义务人", has_supporter)) if bad]
    return "", f"{age}岁，{'、'.join(missing)}，不符合特困人员条件（NAT-TK-COND），应办理落户并按其他救助办理（ST-1）"


# --- referrals to partner departments (HO-1, EM-1, ED-3) --------------------------------------------------------

REFERRAL_KINDS = (("housing", "住房救助（公租房或租赁补贴）", "住建部门", "HO-1"),
                  ("employment", "就业援助（公共就业服务、公益性岗位、补贴）", "人社部门", "EM-1"),
                  ("pension", "代缴最低档次养老保险费", "人社部门", "EM-2"),
                  ("education", "教育救助（减免、资助、送教上门）", "教育部门", "ED-3"))
REFERRAL_NAMES = {k: n for k, n, _, _ in REFERRAL_KINDS}
REFERRAL_DEPARTMENTS = {k: d for k, _, d, _ in REFERRAL_KINDS}
REFERRAL_RULES = {k: r for k, _, _, r in REFERRAL_KINDS}
