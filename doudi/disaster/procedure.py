"""Disaster relief (受灾人员救助, program id `disaster`) as plain Python: no database here.

DR-1 four steps for each household's relief grant, each taken by its own user (户申、村评、乡审、县定),
then the relief issued straight to the household (DR-3 一站式):

    apply → applied ─appraise→ appraised ─review→ reviewed ─approve→ approved ─issue→ issued
                                              └────────────refuse→ refused

DR-2 the township's report within 2 hours of an event, a zero report (零报告) on a day with none;
DR-3 the funding shares national 70 %, city 15 %, affected county 15 %; DR-4 the village list's
priority order; DR-5 the relief stages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure import flow
from doudi.procedure.flow import Param, load_params

DATA = Path(__file__).parent / "data" / "procedure.yaml"


class ProcedureError(flow.ProcedureError):
    """A disaster-relief step the rules do not allow (field named, message in Chinese)."""


# --- events (DR-5) --------------------------------------------------------------------------------

KIND_NAMES = {"flood": "洪涝", "drought": "干旱", "hail": "风雹", "earthquake": "地震", "snow": "低温冷冻和雪灾",
              "geological": "崩塌、滑坡、泥石流", "fire": "森林草原火灾", "other": "其他自然灾害"}

# DR-5 (huining-2022 二(三)六): the relief stages.
STAGE_NAMES = {"emergency": "应急期救助", "transition": "过渡期生活救助", "drought": "旱灾临时生活困难救助",
               "winter_spring": "冬春临时生活困难救助", "rebuilding": "因灾倒损民房恢复重建"}


# --- the household's grant (DR-1) --------------------------------------------------------------------

class State(StrEnum):
    APPLIED = "applied"
    APPRAISED = "appraised"
    REVIEWED = "reviewed"
    APPROVED = "approved"
    ISSUED = "issued"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


STATE_NAMES: dict[State, str] = {
    State.APPLIED: "户申待村评", State.APPRAISED: "村评待乡审", State.REVIEWED: "乡审待县定",
    State.APPROVED: "县定待发放", State.ISSUED: "已发放到户", State.REFUSED: "不予救助", State.WITHDRAWN: "已撤回",
}
FINAL_STATES = frozenset({State.ISSUED, State.REFUSED, State.WITHDRAWN})


class Perm(StrEnum):
    CASE_REPORT = "case.report"
    CASE_ACCEPT = "case.accept"
    CASE_REVIEW = "case.review"
    CASE_APPROVE = "case.approve"
    PAYMENT_MANAGE = "payment.manage"


class Action(StrEnum):
    APPLY = "apply"
    APPRAISE = "appraise"
    REVIEW = "review"
    APPROVE = "approve"
    REFUSE = "refuse"
    ISSUE = "issue"
    WITHDRAW = "withdraw"


ACTION_NAMES: dict[Action, str] = {
    Action.APPLY: "户申（登记申请）", Action.APPRAISE: "村评（民主评议）", Action.REVIEW: "乡审（乡镇审核）",
    Action.APPROVE: "县定（批准救助）", Action.REFUSE: "不予救助", Action.ISSUE: "发放到户", Action.WITHDRAW: "撤回申请",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[State]
    perms: frozenset[Perm]


def _step(action: Action, sources: set[State], *perms: Perm) -> Step:
    return Step(action, frozenset(sources), frozenset(perms))


# DR-1: the village records its appraisal (民主评议, not a decision: PR-2), the township reviews, the
# county decides; the township may refuse at its review, the county at its decision.
STEPS: dict[Action, Step] = {s.action: s for s in (
    _step(Action.APPLY, set(), Perm.CASE_REPORT, Perm.CASE_ACCEPT),
    _step(Action.APPRAISE, {State.APPLIED}, Perm.CASE_REPORT),
    _step(Action.REVIEW, {State.APPRAISED}, Perm.CASE_REVIEW),
    _step(Action.APPROVE, {State.REVIEWED}, Perm.CASE_APPROVE),
    _step(Action.REFUSE, {State.APPRAISED, State.REVIEWED}, Perm.CASE_REVIEW, Perm.CASE_APPROVE),
    _step(Action.ISSUE, {State.APPROVED}, Perm.PAYMENT_MANAGE, Perm.CASE_ACCEPT),
    _step(Action.WITHDRAW, {State.APPLIED, State.APPRAISED}, Perm.CASE_ACCEPT, Perm.CASE_REPORT),
)}
TARGET: dict[Action, State] = {
    Action.APPLY: State.APPLIED, Action.APPRAISE: State.APPRAISED, Action.REVIEW: State.REVIEWED,
    Action.APPROVE: State.APPROVED, Action.REFUSE: State.REFUSED, Action.ISSUE: State.ISSUED,
    Action.WITHDRAW: State.WITHDRAWN,
}
# Four eyes (DR-1: four steps, each its own user): whoever took an earlier step of the four does
# not take a later one of them.
FOUR_STEPS = (Action.APPLY, Action.APPRAISE, Action.REVIEW, Action.APPROVE)


def refusal_perm(state: State) -> Perm:
    """Who refuses: the township at its review (乡审), the county once the township has proposed (县定)."""
    return Perm.CASE_APPROVE if state is State.REVIEWED else Perm.CASE_REVIEW


def allowed_actions(state: State, perms: set[str] | frozenset[str]) -> list[Action]:
    return [a for a, s in STEPS.items() if s.sources and state in s.sources and s.perms & set(perms)
            and (a is not Action.REFUSE or refusal_perm(state) in perms)]


def check_step(action: Action, state: State | None) -> Step:
    return flow.check_step(STEPS, STATE_NAMES, ACTION_NAMES, ProcedureError, action, state)


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


class DeadlineKind(StrEnum):
    APPRAISAL = "appraisal"
    REVIEW = "review"
    DECISION = "decision"
    ISSUE = "issue"


DEADLINE_NAMES = {DeadlineKind.APPRAISAL: "户申后村评", DeadlineKind.REVIEW: "村评后乡审",
                  DeadlineKind.DECISION: "乡审后县定", DeadlineKind.ISSUE: "县定后发放到户"}
STATE_DEADLINE = {State.APPLIED: DeadlineKind.APPRAISAL, State.APPRAISED: DeadlineKind.REVIEW,
                  State.REVIEWED: DeadlineKind.DECISION, State.APPROVED: DeadlineKind.ISSUE}


@dataclass(frozen=True)
class Due:
    kind: DeadlineKind
    date: dt.date
    warning: str | None = None


def due_for(kind: DeadlineKind, start: dt.date, add: Any) -> Due:
    """The step's limit in working days (the holiday calendar's `add`)."""
    d = add(start, int(param(f"{kind.value}_working_days")))
    return Due(kind, getattr(d, "date", d), getattr(d, "warning", None) or None)


# --- DR-2: reports ---------------------------------------------------------------------------------

def report_deadline(occurred_at: dt.datetime) -> dt.datetime:
    """DR-2: the township reports an event within 2 hours (`report_hours`) of its occurrence."""
    return occurred_at + dt.timedelta(hours=int(param("report_hours")))


def report_late(occurred_at: dt.datetime, reported_at: dt.datetime) -> bool:
    """DR-2: a report later than 2 hours after the event is late."""
    return reported_at > report_deadline(occurred_at)


def zero_report_due(day: dt.date, tz: Any = None) -> dt.datetime:
    """DR-2: the zero report (零报告) of a day with no event is due by `zero_report_hour` of that day."""
    return dt.datetime.combine(day, dt.time(int(param("zero_report_hour"))), tzinfo=tz)


def missing_townships(townships: list[str], reported: set[str], day: dt.date, now: dt.datetime) -> list[str]:
    """DR-2: the townships that sent neither an event report nor a zero report for `day`, once
    the zero report is due (the county is warned of them)."""
    if now < zero_report_due(day, now.tzinfo):
        return []
    return [t for t in townships if t not in reported]


# --- DR-3: funding shares ------------------------------------------------------------------------

@dataclass(frozen=True)
class Shares:
    national_fen: int
    city_fen: int
    county_fen: int


def split_funding(total_fen: int) -> Shares:
    """DR-3 (baotou-2017 四(三)): national 70 %, city 15 %, the affected county 15 % of an event's
    relief funds. National and city shares are cut down to the fen; the fen left by rounding fall
    to the affected county, so the three always add up to the total."""
    if total_fen < 0:
        raise ProcedureError("救灾资金总额不能为负数", "total")
    national = int((Decimal(total_fen) * Decimal(param("national_share"))).to_integral_value(ROUND_DOWN))
    city = int((Decimal(total_fen) * Decimal(param("city_share"))).to_integral_value(ROUND_DOWN))
    return Shares(national, city, total_fen - national - city)


# --- DR-4: priority ------------------------------------------------------------------------------

PRIORITY_NAMES = {1: "倒房重建户", 2: "受灾低保户", 3: "散居特困人员", 4: "残疾人家庭", 5: "其他受灾户"}


def priority(*, collapsed: bool, dibao: bool, tekun_dispersed: bool, disabled: bool) -> int:
    """DR-4 (gansu-2017 二(二)): households rebuilding collapsed houses first, then affected 低保
    households, dispersed 特困 people, disabled families; every other household after them.
    A household meeting several counts by the first."""
    for rank, hit in ((1, collapsed), (2, dibao), (3, tekun_dispersed), (4, disabled)):
        if hit:
            return rank
    return 5
