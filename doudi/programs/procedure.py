"""The programs' procedures as plain Python (no database here): states, who takes each step, time limits,
and the conditions the rules set in words (NAT-CH-DEFACTO's parents, CH-3's classes from the file's answers, ST-1's placement
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
    return ok, (f"父亲{father.text()}、母亲{mother.text()}：" + ("父母双方均死亡或查找不到，属孤儿（NAT-CH-ORPHAN）" if ok
                                                         else "不属于父母双方均死亡或查找不到（NAT-CH-ORPHAN）"))


def defacto_holds(father: Parent, mother: Parent) -> tuple[bool, str]:
    """NAT-CH-DEFACTO: both parents each unable (severely disabled, seriously ill, imprisoned or in
    compulsory rehab 6+ months, out of contact 6+ months); or one dead or missing and the other unable."""
    both_unable = father.unable and mother.unable
    one_gone = (father.gone and mother.unable) or (mother.gone and father.unable)
    head = f"父亲{father.text()}、母亲{mother.text()}："
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
# The source clause: "重点解决无人监护、无力监护、辍学以及户口缺失和无户口的农村牧区留守儿童生活保障问题 …
# 根据留守儿童及其家庭的不同需求，采取分类帮扶、纳入城乡低保、孤儿保障范围或落实临时救助、医疗救助等政策。
# 需要临时指导的，通过相关部门或专业力量给予教育辅导、心理咨询等服务，提升家庭监护能力；需要替代照料的，
# 及时协调其他监护人给予生活照料；没有其他监护人的，由民政部门临时照料。属于监护侵害的要追究法律责任，
# 申请撤销监护人资格。" The class is not typed: it follows from the file's answers (LeftBehindAnswers).
LEFT_BEHIND_CLASSES = (
    ("no_guardian", "无人监护", "没有其他监护人的，由民政部门临时照料"),
    ("guardian_unable", "无力监护", "需要临时指导：通过相关部门或专业力量给予教育辅导、心理咨询等服务，提升家庭监护能力"),
    ("dropped_out", "辍学", "教育部门劝返复学，落实控辍保学"),
    ("no_registration", "户口缺失或无户口", "公安机关办理户口登记"),
    ("cared_for", "有人有效监护、无上述情形", "纳入有效监护范围，儿童主任定期走访，动态管理"),
)
LEFT_BEHIND_NAMES = {k: n for k, n, _ in LEFT_BEHIND_CLASSES}
LEFT_BEHIND_HELP = {k: h for k, _, h in LEFT_BEHIND_CLASSES}
SUBSTITUTE_CARE = "需要替代照料：及时协调其他监护人给予生活照料"
INFRINGED_HELP = "属于监护侵害：追究法律责任，申请撤销监护人资格"
HARDSHIP_HELP = "分类帮扶：按规定纳入城乡低保、孤儿保障范围或落实临时救助、医疗救助"

# The questions of the child's file that decide the class (field name, label); every one is answered yes or no.
LEFT_BEHIND_QUESTIONS = (
    ("lb_has_carer", "是否有人实际监护照料"),
    ("lb_carer_able", "现监护照料人是否有监护能力（无人监护时不填）"),
    ("lb_other_guardian", "是否有其他监护人可以照料（祖父母、外祖父母等）"),
    ("lb_in_school", "是否在校就读"),
    ("lb_registered", "是否已登记户口"),
    ("lb_infringed", "是否存在监护侵害"),
    ("lb_hardship", "家庭是否生活困难"),
)
LEFT_BEHIND_LABELS = dict(LEFT_BEHIND_QUESTIONS)


@dataclass(frozen=True)
class LeftBehindAnswers:
    """The answers of the file that CH-3 reads; `carer_able` is not asked when nobody cares for the child."""

    has_carer: bool
    carer_able: bool | None
    other_guardian: bool
    in_school: bool
    registered: bool
    infringed: bool = False
    hardship: bool = False


def school_age(age: int) -> bool:
    """Compulsory-education age (义务教育法 第十一条： 年满六周岁入学，九年义务教育)."""
    return int(param("school_age_from")) <= age < int(param("school_age_until"))


@dataclass(frozen=True)
class LeftBehindClass:
    key: str                 # the class: the most urgent need (no_guardian, guardian_unable, dropped_out, no_registration) or cared_for
    needs: tuple[dict, ...]  # every need found, most urgent first: {"need", "name", "help"}
    temporary_care: bool     # no guardian and no other guardian: civil affairs takes the child into temporary care

    @property
    def name(self) -> str:
        return LEFT_BEHIND_NAMES[self.key]

    def text(self) -> str:
        return "；".join(f"{n['name']}：{n['help']}" for n in self.needs) + "（CH-3）"


def class_left_behind(a: LeftBehindAnswers, age: int) -> LeftBehindClass:
    """CH-3: the needs of a left-behind child from the file's answers, each with the help the source clause
    gives it; the class is the most urgent need (无人监护 before 无力监护 before 辍学 before 户口缺失)."""
    needs: list[dict] = []

    def need(key: str, help_: str) -> None:
        needs.append({"need": key, "name": LEFT_BEHIND_NAMES.get(key, key), "help": help_})

    temporary = False
    if not a.has_carer:
        if a.other_guardian:
            need("no_guardian", SUBSTITUTE_CARE)
        else:
            need("no_guardian", LEFT_BEHIND_HELP["no_guardian"])
            temporary = True
    elif a.carer_able is False:
        need("guardian_unable", LEFT_BEHIND_HELP["guardian_unable"] + ("；" + SUBSTITUTE_CARE if a.other_guardian else ""))
    if school_age(age) and not a.in_school:
        need("dropped_out", LEFT_BEHIND_HELP["dropped_out"])
    if not a.registered:
        need("no_registration", LEFT_BEHIND_HELP["no_registration"])
    key = needs[0]["need"] if needs else "cared_for"
    if not needs:
        need("cared_for", LEFT_BEHIND_HELP["cared_for"])
    if a.infringed:
        needs.append({"need": "infringed", "name": "监护侵害", "help": INFRINGED_HELP})
    if a.hardship:
        needs.append({"need": "hardship", "name": "家庭生活困难", "help": HARDSHIP_HELP})
    return LeftBehindClass(key, tuple(needs), temporary)


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
