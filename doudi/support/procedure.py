"""The 特困 procedure as plain Python: states, steps, who may take them, deadlines, self-care tiers.

Nothing here touches the database; the services (services.py) ask this module whether a step is
allowed and which deadline the next state carries (NAT-TK-DEADLINES, NAT-TK-SELFCARE, NAT-TK-END,
TK-5, TK-6):

    submitted ─accept→ accepted ─investigate (home visit, self-care assessment, choice)→ investigated
        ─propose→ in_notice (7 days) ─close_notice→ at_county (≥30% drawn for a home check)
                       └ objection → objected ─reinvestigate→ accepted
    at_county ─approve→ approved (support from the next month) ─propose_termination→ ending
              └refuse→ refused ─notify_refusal→ refusal_notified          ending ─terminate→ terminated
    approved: report_change → reassess (10 working days); sign_agreement, record_visit,
              replace_guardian, record_necessities (dispersed support, TK-6)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure import flow

DATA = Path(__file__).parent / "data" / "procedure.yaml"


class State(StrEnum):
    """特困 case states (案件状态)."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    INVESTIGATED = "investigated"
    IN_NOTICE = "in_notice"
    OBJECTED = "objected"
    AT_COUNTY = "at_county"
    APPROVED = "approved"
    REFUSED = "refused"
    REFUSAL_NOTIFIED = "refusal_notified"
    ENDING = "ending"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"


STATE_NAMES: dict[State, str] = {
    State.SUBMITTED: "已申请待受理",
    State.ACCEPTED: "已受理待调查评估",
    State.INVESTIGATED: "已调查评估待初审",
    State.IN_NOTICE: "公示中",
    State.OBJECTED: "公示有异议",
    State.AT_COUNTY: "待县级审批",
    State.APPROVED: "供养中",
    State.REFUSED: "不予认定待书面告知",
    State.REFUSAL_NOTIFIED: "已书面告知不予认定",
    State.ENDING: "拟终止公示中",
    State.TERMINATED: "已终止供养",
    State.WITHDRAWN: "已撤回",
}

FINAL_STATES = frozenset({State.REFUSAL_NOTIFIED, State.TERMINATED, State.WITHDRAWN})


class Perm(StrEnum):
    """The permissions of doudi.accounts.roles.Action the steps need (same values)."""

    CASE_ACCEPT = "case.accept"
    CASE_INVESTIGATE = "case.investigate"
    CASE_REVIEW = "case.review"
    CASE_APPROVE = "case.approve"
    CASE_SPOT_CHECK = "case.spot_check"


class Action(StrEnum):
    """Steps of the procedure (办理环节); each is one service function of the same name."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    INVESTIGATE = "investigate"
    PROPOSE = "propose"
    RECORD_OBJECTION = "record_objection"
    CLOSE_NOTICE = "close_notice"
    REINVESTIGATE = "reinvestigate"
    RECORD_SPOT_CHECK = "record_spot_check"
    APPROVE = "approve"
    REFUSE = "refuse"
    NOTIFY_REFUSAL = "notify_refusal"
    WITHDRAW = "withdraw"
    REPORT_CHANGE = "report_change"
    REASSESS = "reassess"
    SIGN_AGREEMENT = "sign_agreement"
    RECORD_VISIT = "record_visit"
    REPLACE_GUARDIAN = "replace_guardian"
    RECORD_NECESSITIES = "record_necessities"
    PROPOSE_TERMINATION = "propose_termination"
    TERMINATE = "terminate"
    END_FOR_FRAUD = "end_for_fraud"


ACTION_NAMES: dict[Action, str] = {
    Action.SUBMIT: "登记申请",
    Action.ACCEPT: "受理",
    Action.INVESTIGATE: "入户调查与自理能力评估",
    Action.PROPOSE: "初审并公示",
    Action.RECORD_OBJECTION: "登记公示异议",
    Action.CLOSE_NOTICE: "结束公示",
    Action.REINVESTIGATE: "重新调查",
    Action.RECORD_SPOT_CHECK: "登记入户抽查",
    Action.APPROVE: "批准认定",
    Action.REFUSE: "不予认定",
    Action.NOTIFY_REFUSAL: "书面告知不予认定",
    Action.WITHDRAW: "撤回申请",
    Action.REPORT_CHANGE: "登记自理能力变化",
    Action.REASSESS: "重新评估自理能力",
    Action.SIGN_AGREEMENT: "签订委托照料协议",
    Action.RECORD_VISIT: "登记探访",
    Action.REPLACE_GUARDIAN: "更换照料人",
    Action.RECORD_NECESSITIES: "登记生活必需品发放",
    Action.PROPOSE_TERMINATION: "拟终止供养（公示）",
    Action.TERMINATE: "终止供养",
    Action.END_FOR_FRAUD: "骗取救助供养：终止供养",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[State]
    target: State | None  # None: the state stays (a record within the state)
    perms: frozenset[Perm]  # any one of them, in an area that contains the case


def _step(action: Action, sources: set[State], target: State | None, *perms: Perm) -> Step:
    return Step(action, frozenset(sources), target, frozenset(perms))


ACC, INV, REV = Perm.CASE_ACCEPT, Perm.CASE_INVESTIGATE, Perm.CASE_REVIEW
APP, SPOT = Perm.CASE_APPROVE, Perm.CASE_SPOT_CHECK
LIVE = {State.APPROVED}

# The township accepts, investigates and proposes (初审); the county decides (PR-2: a village
# assistant, holding case.report only, takes no step here). The table is the whole state machine.
STEPS: dict[Action, Step] = {s.action: s for s in (
    _step(Action.SUBMIT, set(), State.SUBMITTED, ACC),
    _step(Action.ACCEPT, {State.SUBMITTED}, State.ACCEPTED, ACC),
    _step(Action.INVESTIGATE, {State.ACCEPTED}, State.INVESTIGATED, INV),
    _step(Action.PROPOSE, {State.INVESTIGATED}, State.IN_NOTICE, REV),
    _step(Action.RECORD_OBJECTION, {State.IN_NOTICE, State.ENDING}, None, ACC, REV),
    _step(Action.CLOSE_NOTICE, {State.IN_NOTICE}, None, ACC, REV),
    _step(Action.REINVESTIGATE, {State.OBJECTED}, State.ACCEPTED, INV, REV),
    _step(Action.RECORD_SPOT_CHECK, {State.AT_COUNTY}, None, SPOT),
    _step(Action.APPROVE, {State.AT_COUNTY}, State.APPROVED, APP),
    _step(Action.REFUSE, {State.AT_COUNTY}, State.REFUSED, APP),
    _step(Action.NOTIFY_REFUSAL, {State.REFUSED}, State.REFUSAL_NOTIFIED, APP, ACC),
    _step(Action.WITHDRAW, {State.SUBMITTED, State.ACCEPTED, State.INVESTIGATED, State.OBJECTED},
          State.WITHDRAWN, ACC),
    _step(Action.REPORT_CHANGE, LIVE, None, ACC, INV),
    _step(Action.REASSESS, LIVE, None, INV),
    _step(Action.SIGN_AGREEMENT, LIVE, None, ACC),
    _step(Action.RECORD_VISIT, LIVE, None, ACC, INV),
    _step(Action.REPLACE_GUARDIAN, LIVE, None, ACC),
    _step(Action.RECORD_NECESSITIES, LIVE, None, ACC),
    _step(Action.PROPOSE_TERMINATION, LIVE, State.ENDING, ACC),
    _step(Action.TERMINATE, {State.ENDING}, State.TERMINATED, APP),
    _step(Action.END_FOR_FRAUD, LIVE | {State.ENDING}, State.TERMINATED, APP),
)}

# Steps taken only as the consequence of another app's act, never from the case page or the API:
# the end for fraud follows the benefit's fraud recovery (doudi.benefits, NAT-DB-FRAUD).
CONSEQUENTIAL = frozenset({Action.END_FOR_FRAUD})


def allowed_actions(state: State, perms: set[str] | frozenset[str]) -> list[Action]:
    """The steps open from `state` to a user holding `perms` on the case (the case page's forms)."""
    return [a for a, s in STEPS.items()
            if s.sources and state in s.sources and s.perms & set(perms) and a not in CONSEQUENTIAL]


class ProcedureError(flow.ProcedureError):
    """A step the procedure does not allow; `field` names what is wrong, message in Chinese."""


def check_step(action: Action, state: State | None) -> Step:
    """The step, if it may be taken from `state`; otherwise ProcedureError."""
    return flow.check_step(STEPS, STATE_NAMES, ACTION_NAMES, ProcedureError, action, state)


# --- parameters ------------------------------------------------------------------------------

Param = flow.Param
load_params = flow.load_params


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


# --- deadlines ------------------------------------------------------------------------------

AddWorkingDays = Callable[[dt.date, int], Any]  # doudi.workdays add_working_days → Deadline(date, warning)


class DeadlineKind(StrEnum):
    """Time limits of NAT-TK-DEADLINES, NAT-TK-SELFCARE, NAT-TK-END and TK-6 (办理时限)."""

    PROPOSAL = "proposal"
    NOTICE_END = "notice_end"
    COUNTY_DECISION = "county_decision"
    REFUSAL_NOTICE = "refusal_notice"
    REASSESSMENT = "reassessment"
    TERMINATION_NOTICE = "termination_notice"
    VISIT = "visit"
    NECESSITIES = "necessities"


DEADLINE_NAMES: dict[DeadlineKind, str] = {
    DeadlineKind.PROPOSAL: "受理后15个工作日内提出初审意见",
    DeadlineKind.NOTICE_END: "公示7天期满",
    DeadlineKind.COUNTY_DECISION: "收到初审意见后15个工作日内作出决定",
    DeadlineKind.REFUSAL_NOTICE: "不予认定后3个工作日内书面告知理由",
    DeadlineKind.REASSESSMENT: "报告变化后10个工作日内重新评估自理能力",
    DeadlineKind.TERMINATION_NOTICE: "拟终止公示7天期满",
    DeadlineKind.VISIT: "定期探访",
    DeadlineKind.NECESSITIES: "每半年购置生活必需品",
}

# The deadline the case carries once it enters a state (its next step is due by then).
STATE_DEADLINE: dict[State, DeadlineKind] = {
    State.ACCEPTED: DeadlineKind.PROPOSAL,
    State.IN_NOTICE: DeadlineKind.NOTICE_END,
    State.AT_COUNTY: DeadlineKind.COUNTY_DECISION,
    State.REFUSED: DeadlineKind.REFUSAL_NOTICE,
    State.ENDING: DeadlineKind.TERMINATION_NOTICE,
}

_WORKING = {
    DeadlineKind.PROPOSAL: "proposal_working_days",
    DeadlineKind.COUNTY_DECISION: "county_decision_working_days",
    DeadlineKind.REFUSAL_NOTICE: "refusal_notice_working_days",
    DeadlineKind.REASSESSMENT: "reassessment_working_days",
}
_CALENDAR = {
    DeadlineKind.NOTICE_END: "public_notice_days",
    DeadlineKind.TERMINATION_NOTICE: "termination_notice_days",
    DeadlineKind.VISIT: "visit_interval_days",
}


@dataclass(frozen=True)
class Due:
    kind: DeadlineKind
    date: dt.date
    warning: str | None = None


def due_for(kind: DeadlineKind, start: dt.date, add: AddWorkingDays) -> Due:
    """The date by which a step is due, counted from `start` (the day of the triggering act).

    Working-day limits follow the State Council's holiday calendar (doudi.workdays); the public
    notices run 7 calendar days ("公示7天"); visits every `visit_interval_days` calendar days;
    necessities every `necessities_months` months.
    """
    if kind in _WORKING:
        d = add(start, int(param(_WORKING[kind])))
        return Due(kind, getattr(d, "date", d), getattr(d, "warning", None) or None)
    if kind in _CALENDAR:
        return Due(kind, start + dt.timedelta(days=int(param(_CALENDAR[kind]))))
    return Due(kind, add_months(start, int(param("necessities_months"))))


def add_months(d: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise ValueError(d)


def first_of_next_month(d: dt.date) -> dt.date:
    """NAT-TK-DEADLINES / NAT-TK-END: support starts (or ends) from the month after the decision."""
    return dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)


# --- self-care (NAT-TK-SELFCARE) ----------------------------------------------------------------

TASKS: tuple[tuple[str, str], ...] = (
    ("eating", "吃饭"),
    ("dressing", "穿衣"),
    ("transfer", "上下床"),
    ("toileting", "如厕"),
    ("walking", "室内行走"),
    ("bathing", "洗澡"),
)
TASK_NAMES = dict(TASKS)

TIERS = ("full", "partial", "none")  # the policy core's self_care vocabulary (schema.ABILITY)
TIER_NAMES = {"full": "具备生活自理能力", "partial": "部分丧失生活自理能力", "none": "完全丧失生活自理能力"}


@dataclass(frozen=True)
class SelfCare:
    unable: tuple[str, ...]  # the tasks the person cannot do
    tier: str  # full | partial | none

    @property
    def count(self) -> int:
        return len(self.unable)

    @property
    def tier_name(self) -> str:
        return TIER_NAMES[self.tier]

    def sentence(self) -> str:
        """The trace sentence (NAT-TK-SELFCARE) with the tasks named."""
        if not self.unable:
            return "六项日常生活活动（吃饭、穿衣、上下床、如厕、室内行走、洗澡）均能完成，具备生活自理能力（NAT-TK-SELFCARE）"
        names = "、".join(TASK_NAMES[t] for t in self.unable)
        return (f"六项日常生活活动中 {self.count} 项不能完成（{names}），"
                f"{'1至3项' if self.tier == 'partial' else '4至6项'}不能完成为{self.tier_name}（NAT-TK-SELFCARE）")


def self_care(unable: Mapping[str, bool] | list[str] | tuple[str, ...]) -> SelfCare:
    """NAT-TK-SELFCARE: of the six tasks, 0 unable → full self-care, 1–3 → partly lost, 4–6 → wholly lost.

    `unable` is {task: True if the person cannot do it} or the list of tasks he cannot do.
    """
    names = [t for t, v in unable.items() if v] if isinstance(unable, Mapping) else list(unable)
    bad = [t for t in names if t not in TASK_NAMES]
    if bad:
        raise ProcedureError(f"未知的自理能力评估项目：{'、'.join(bad)}（应为{'、'.join(TASK_NAMES.values())}）", "tasks")
    order = [t for t, _ in TASKS if t in names]
    n = len(order)
    tier = "full" if n == 0 else "partial" if n <= 3 else "none"
    return SelfCare(tuple(order), tier)


# --- support mode (TK-5), termination (NAT-TK-END) ---------------------------------------------

MODES = (("centralised", "集中供养"), ("dispersed", "分散供养"))
MODE_NAMES = dict(MODES)

GROUNDS = (
    ("death", "死亡或者被宣告死亡、宣告失踪"),
    ("ability", "具备或者恢复劳动能力"),
    ("prison", "依法被判处刑罚且在监狱服刑"),
    ("means", "收入和财产状况不再符合规定"),
    ("supporter", "法定义务人具有了履行义务能力或者新增具有履行义务能力的法定义务人"),
    ("voluntary", "自愿申请退出救助供养"),
    ("fraud", "以虚报、隐瞒、伪造等手段骗取救助供养"),
)
GROUND_NAMES = dict(GROUNDS)
FRAUD_GROUND = "fraud"  # only through the benefit's fraud recovery (NAT-DB-FRAUD), never proposed
PROPOSABLE_GROUNDS = tuple(g for g in GROUNDS if g[0] != FRAUD_GROUND)
NO_FOLLOW_UP = frozenset({"death"})  # the person is no longer there to be assessed


def mode_sentence(mode: str, tier: str) -> str:
    """TK-5: the person's recorded choice; institutions are encouraged for lost self-care."""
    s = f"本人自主选择{MODE_NAMES[mode]}（TK-5）"
    if mode == "dispersed" and tier in ("partial", "none"):
        s += f"；本人{TIER_NAMES[tier]}，已告知优先安排到供养服务机构集中供养"
    return s


# --- the county's random home checks (NAT-TK-DEADLINES) -----------------------------------------

def spot_check_needed(already_selected: int, already_arrived: int, ratio: Decimal,
                      draw: float | None = None) -> tuple[bool, str]:
    """Whether the proposal now arriving at the county is drawn for a home check (入户抽查).

    At least `ratio` (30%) of the county's proposals: a case is drawn when, counting it, the
    drawn cases would otherwise fall below ceil(ratio × arrived); above the quota it is drawn at
    random (`draw` uniform in [0, 1)) with probability `ratio`, so no one can tell in advance.
    """
    arrived = already_arrived + 1
    need = math.ceil(ratio * arrived)  # exact on Decimal
    pct = f"{(ratio * 100).normalize():f}%"
    if already_selected < need:
        return True, (f"抽查比例不低于{pct}：已到县 {arrived} 户，已抽 {already_selected} 户，"
                      f"须抽 {need} 户（NAT-TK-DEADLINES）")
    if draw is not None and Decimal(str(draw)) < ratio:
        return True, f"随机抽中（抽中概率{pct}，NAT-TK-DEADLINES）"
    return False, f"已抽 {already_selected} 户，达到 {arrived} 户的{pct}（NAT-TK-DEADLINES）"
