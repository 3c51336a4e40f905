"""Temporary assistance (临时救助) as plain Python: the two paths, who may take each step, deadlines.

Urgent path (急难型, NAT-TA-FIRST, TA-4): help first with simplified checks, paperwork afterwards,
one approval paid in stages:

    help_first → urgent ─approve→ paying ─pay_stage…→ closed (all stages paid and paperwork completed)
                    └refuse→ refused ─notify_refusal→ refusal_notified

Normal path (支出型, spending-driven hardship, NAT-TA-KINDS):

    submit → submitted ─accept→ accepted ─investigate→ investigated ─approve→ paying ─pay_stage→ closed
                                                           └refuse→ refused ─notify_refusal→ refusal_notified

The township may approve a grant up to `temporary.township_ceiling` (NAT-TA-FIRST, a policy-core
parameter); above it only the county. Referral onward (TA-4) and the 救急难 register (TA-6) are
records beside the states.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from doudi.cases.documents import yuan
from doudi.procedure import flow
from doudi.support.procedure import AddWorkingDays, Param, ProcedureError, load_params

DATA = Path(__file__).parent / "data" / "procedure.yaml"

__all__ = ["ProcedureError"]


class State(StrEnum):
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    INVESTIGATED = "investigated"
    URGENT = "urgent"
    PAYING = "paying"
    CLOSED = "closed"
    REFUSED = "refused"
    REFUSAL_NOTIFIED = "refusal_notified"
    WITHDRAWN = "withdrawn"


STATE_NAMES: dict[State, str] = {
    State.SUBMITTED: "已申请待受理",
    State.ACCEPTED: "已受理待入户调查",
    State.INVESTIGATED: "已调查待审批",
    State.URGENT: "先行救助待审批",
    State.PAYING: "已批准分次发放中",
    State.CLOSED: "已办结",
    State.REFUSED: "不予救助待书面告知",
    State.REFUSAL_NOTIFIED: "已书面告知不予救助",
    State.WITHDRAWN: "已撤回",
}
FINAL_STATES = frozenset({State.CLOSED, State.REFUSAL_NOTIFIED, State.WITHDRAWN})


class Path_(StrEnum):
    URGENT = "urgent"
    NORMAL = "normal"


PATH_NAMES = {"urgent": "急难型（先行救助）", "normal": "支出型（一般程序）"}


class Perm(StrEnum):
    CASE_ACCEPT = "case.accept"
    CASE_INVESTIGATE = "case.investigate"
    CASE_REVIEW = "case.review"
    CASE_APPROVE = "case.approve"
    PAYMENT_MANAGE = "payment.manage"


class Action(StrEnum):
    HELP_FIRST = "help_first"
    SUBMIT = "submit"
    ACCEPT = "accept"
    INVESTIGATE = "investigate"
    APPROVE = "approve"
    REFUSE = "refuse"
    NOTIFY_REFUSAL = "notify_refusal"
    PAY_STAGE = "pay_stage"
    COMPLETE_PAPERWORK = "complete_paperwork"
    REFER = "refer"
    WITHDRAW = "withdraw"


ACTION_NAMES: dict[Action, str] = {
    Action.HELP_FIRST: "先行救助登记（简化核查）",
    Action.SUBMIT: "登记申请",
    Action.ACCEPT: "受理",
    Action.INVESTIGATE: "入户调查",
    Action.APPROVE: "批准救助",
    Action.REFUSE: "不予救助",
    Action.NOTIFY_REFUSAL: "书面告知不予救助",
    Action.PAY_STAGE: "分次发放",
    Action.COMPLETE_PAPERWORK: "补齐审核审批手续",
    Action.REFER: "转介其他救助",
    Action.WITHDRAW: "撤回申请",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[State]
    perms: frozenset[Perm]


def _step(action: Action, sources: set[State], *perms: Perm) -> Step:
    return Step(action, frozenset(sources), frozenset(perms))


ACC, INV, REV, APP, PAY = Perm.CASE_ACCEPT, Perm.CASE_INVESTIGATE, Perm.CASE_REVIEW, Perm.CASE_APPROVE, Perm.PAYMENT_MANAGE
OPEN = {State.SUBMITTED, State.ACCEPTED, State.INVESTIGATED, State.URGENT, State.PAYING, State.CLOSED,
        State.REFUSED, State.REFUSAL_NOTIFIED}

# Township caseworkers take the urgent report and the paperwork; the township reviewer approves
# within the ceiling, the county approver any amount (PR-2: a village assistant takes no step).
STEPS: dict[Action, Step] = {s.action: s for s in (
    _step(Action.HELP_FIRST, set(), ACC),
    _step(Action.SUBMIT, set(), ACC),
    _step(Action.ACCEPT, {State.SUBMITTED}, ACC),
    _step(Action.INVESTIGATE, {State.ACCEPTED}, INV),
    _step(Action.APPROVE, {State.URGENT, State.INVESTIGATED}, REV, APP),
    _step(Action.REFUSE, {State.URGENT, State.INVESTIGATED}, REV, APP),
    _step(Action.NOTIFY_REFUSAL, {State.REFUSED}, ACC, REV, APP),
    _step(Action.PAY_STAGE, {State.PAYING}, PAY, ACC),
    _step(Action.COMPLETE_PAPERWORK, {State.URGENT, State.PAYING}, INV),
    _step(Action.REFER, OPEN, ACC),
    _step(Action.WITHDRAW, {State.SUBMITTED, State.ACCEPTED, State.INVESTIGATED}, ACC),
)}

TARGET: dict[Action, State] = {
    Action.HELP_FIRST: State.URGENT, Action.SUBMIT: State.SUBMITTED, Action.ACCEPT: State.ACCEPTED,
    Action.INVESTIGATE: State.INVESTIGATED, Action.APPROVE: State.PAYING, Action.REFUSE: State.REFUSED,
    Action.NOTIFY_REFUSAL: State.REFUSAL_NOTIFIED, Action.WITHDRAW: State.WITHDRAWN,
}


def allowed_actions(state: State, perms: set[str] | frozenset[str]) -> list[Action]:
    return [a for a, s in STEPS.items() if s.sources and state in s.sources and s.perms & set(perms)]


def check_step(action: Action, state: State | None) -> Step:
    return flow.check_step(STEPS, STATE_NAMES, ACTION_NAMES, ProcedureError, action, state)


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


class DeadlineKind(StrEnum):
    URGENT_DECISION = "urgent_decision"
    PAPERWORK = "paperwork"
    INVESTIGATION = "investigation"
    DECISION = "decision"
    REFUSAL_NOTICE = "refusal_notice"
    FOLLOW_UP = "follow_up"
    HOME_NOTICE = "home_notice"


DEADLINE_NAMES: dict[DeadlineKind, str] = {
    DeadlineKind.URGENT_DECISION: "急难情形先行救助审批",
    DeadlineKind.PAPERWORK: "先行救助后补齐审核审批手续",
    DeadlineKind.INVESTIGATION: "受理后入户调查",
    DeadlineKind.DECISION: "调查后审批",
    DeadlineKind.REFUSAL_NOTICE: "不予救助后书面告知理由",
    DeadlineKind.FOLLOW_UP: "救急难对象跟踪回访",
    DeadlineKind.HOME_NOTICE: "户籍地知悉外地先行救助",
}
_PARAM = {
    DeadlineKind.URGENT_DECISION: "urgent_decision_working_days",
    DeadlineKind.PAPERWORK: "paperwork_working_days",
    DeadlineKind.INVESTIGATION: "investigation_working_days",
    DeadlineKind.DECISION: "decision_working_days",
    DeadlineKind.REFUSAL_NOTICE: "refusal_notice_working_days",
    DeadlineKind.HOME_NOTICE: "home_notice_working_days",
}
STATE_DEADLINE: dict[State, DeadlineKind] = {
    State.URGENT: DeadlineKind.URGENT_DECISION,
    State.ACCEPTED: DeadlineKind.INVESTIGATION,
    State.INVESTIGATED: DeadlineKind.DECISION,
    State.REFUSED: DeadlineKind.REFUSAL_NOTICE,
}


@dataclass(frozen=True)
class Due:
    kind: DeadlineKind
    date: dt.date
    warning: str | None = None


def due_for(kind: DeadlineKind, start: dt.date, add: AddWorkingDays) -> Due:
    """Working-day limits by the holiday calendar; the register's follow-up in calendar days."""
    if kind is DeadlineKind.FOLLOW_UP:
        return Due(kind, start + dt.timedelta(days=int(param("follow_up_days"))))
    d = add(start, int(param(_PARAM[kind])))
    return Due(kind, getattr(d, "date", d), getattr(d, "warning", None) or None)


MAJOR_KINDS = ("fire", "traffic_accident", "serious_illness", "disaster", "other_major")
KIND_NAMES = {"general": "一般性基本生活困难（支出型）", "fire": "火灾", "traffic_accident": "交通事故",
              "serious_illness": "突患重大疾病", "disaster": "自然灾害", "other_major": "其他重大生活困难"}

# TA-4: referred onward to 低保, 特困, disaster, education, housing or employment assistance.
REFERRALS = (("dibao", "最低生活保障"), ("tekun", "特困人员救助供养"), ("disaster", "受灾人员救助"),
             ("education", "教育救助"), ("housing", "住房救助"), ("employment", "就业救助"))
REFERRAL_NAMES = dict(REFERRALS)
# the one window's program for a referral (doudi.cases WindowRequest), None = another department
WINDOW_PROGRAM = {"dibao": "dibao", "tekun": "tekun", "education": "education", "housing": "housing",
                  "employment": "employment", "disaster": None}


def split_stages(total_fen: int, stages: list[int]) -> list[int]:
    """NAT-TA-FIRST one approval paid in stages: the planned amounts must add up to the approved total.

    An empty plan is one payment of the whole amount.
    """
    if not stages:
        return [total_fen]
    if any(s <= 0 for s in stages):
        raise ProcedureError("每次发放金额须大于0", "stages")
    if sum(stages) != total_fen:
        raise ProcedureError(f"分次发放金额合计 {yuan(sum(stages))} 元，应等于批准金额 {yuan(total_fen)} 元", "stages")
    return list(stages)
