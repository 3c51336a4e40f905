"""The 低保 procedure as plain Python: states, steps, who may take them, and the deadlines.

Nothing here touches the database; the services (services.py) ask this module whether a step
is allowed from a state and by which role, and which deadline the next state carries.

The steps follow NAT-DB-DEADLINES, NAT-DB-APPRAISAL, NAT-DB-KIN, PR-2 and PR-3:

    submitted ─accept→ accepted ─investigate→ investigated ─request_verification→ verifying
        │                                      ▲                                     │
        └─ask_for_materials→ materials_missing ┘(resubmit → submitted)   record_verification
                                                                                     ▼
    in_notice ◀─propose── verified ◀────────────────────────────────────────────────┘
       │ close_notice (no objection)      │ close_notice (objection recorded)
       ▼                                  ▼
    at_county                          objected ─reinvestigate→ accepted (investigate again)
       │                                  └─hold_appraisal→ verified (propose again)
       ├─approve→ approved (or first_approved → approve again by a second approver if kin)
       └─refuse→ refused ─notify_refusal→ refusal_notified
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure import flow

DATA = Path(__file__).parent / "data" / "procedure.yaml"


class State(StrEnum):
    """低保 case states (案件状态)."""

    SUBMITTED = "submitted"
    MATERIALS_MISSING = "materials_missing"
    ACCEPTED = "accepted"
    INVESTIGATED = "investigated"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    IN_NOTICE = "in_notice"
    OBJECTED = "objected"
    AT_COUNTY = "at_county"
    FIRST_APPROVED = "first_approved"
    APPROVED = "approved"
    REFUSED = "refused"
    REFUSAL_NOTIFIED = "refusal_notified"
    WITHDRAWN = "withdrawn"


STATE_NAMES: dict[State, str] = {
    State.SUBMITTED: "已申请待受理",
    State.MATERIALS_MISSING: "待补齐材料",
    State.ACCEPTED: "已受理待入户调查",
    State.INVESTIGATED: "已入户调查",
    State.VERIFYING: "信息核对中",
    State.VERIFIED: "已核对待审核",
    State.IN_NOTICE: "公示中",
    State.OBJECTED: "公示有异议",
    State.AT_COUNTY: "待县级审批",
    State.FIRST_APPROVED: "已初审批待第二人审批",
    State.APPROVED: "已批准",
    State.REFUSED: "不予批准待书面告知",
    State.REFUSAL_NOTIFIED: "已书面告知不予批准",
    State.WITHDRAWN: "已撤回",
}

FINAL_STATES = frozenset({State.APPROVED, State.REFUSAL_NOTIFIED, State.WITHDRAWN})


class Perm(StrEnum):
    """The permissions of doudi.accounts.roles.Action that the steps need (same values)."""

    CASE_REPORT = "case.report"
    CASE_ACCEPT = "case.accept"
    CASE_INVESTIGATE = "case.investigate"
    CASE_REVIEW = "case.review"
    CASE_APPROVE = "case.approve"
    CASE_SPOT_CHECK = "case.spot_check"
    VERIFICATION_RUN = "verification.run"


class Action(StrEnum):
    """Steps of the procedure (办理环节); each is one service function of the same name."""

    SUBMIT = "submit"
    ASK_FOR_MATERIALS = "ask_for_materials"
    RESUBMIT = "resubmit"
    ACCEPT = "accept"
    INVESTIGATE = "investigate"
    REQUEST_VERIFICATION = "request_verification"
    RECORD_VERIFICATION = "record_verification"
    PROPOSE = "propose"
    RECORD_OBJECTION = "record_objection"
    CLOSE_NOTICE = "close_notice"
    REINVESTIGATE = "reinvestigate"
    HOLD_APPRAISAL = "hold_appraisal"
    RECORD_SPOT_CHECK = "record_spot_check"
    APPROVE = "approve"
    REFUSE = "refuse"
    NOTIFY_REFUSAL = "notify_refusal"
    WITHDRAW = "withdraw"


ACTION_NAMES: dict[Action, str] = {
    Action.SUBMIT: "登记申请",
    Action.ASK_FOR_MATERIALS: "一次性告知补齐材料",
    Action.RESUBMIT: "补齐材料",
    Action.ACCEPT: "受理",
    Action.INVESTIGATE: "入户调查",
    Action.REQUEST_VERIFICATION: "提请信息核对",
    Action.RECORD_VERIFICATION: "登记核对结果",
    Action.PROPOSE: "审核并提出意见（公示）",
    Action.RECORD_OBJECTION: "登记公示异议",
    Action.CLOSE_NOTICE: "结束公示",
    Action.REINVESTIGATE: "重新调查",
    Action.HOLD_APPRAISAL: "民主评议",
    Action.RECORD_SPOT_CHECK: "登记入户抽查",
    Action.APPROVE: "批准",
    Action.REFUSE: "不予批准",
    Action.NOTIFY_REFUSAL: "书面告知不予批准",
    Action.WITHDRAW: "撤回申请",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[State]
    target: State | None  # None: the service decides (close_notice, approve) or the state stays
    perms: frozenset[Perm]  # any one of them, in an area that contains the case


def _step(action: Action, sources: set[State], target: State | None, *perms: Perm) -> Step:
    return Step(action, frozenset(sources), target, frozenset(perms))


ACC, INV, REV = Perm.CASE_ACCEPT, Perm.CASE_INVESTIGATE, Perm.CASE_REVIEW
APP, SPOT, VER = Perm.CASE_APPROVE, Perm.CASE_SPOT_CHECK, Perm.VERIFICATION_RUN
AT_COUNTY_STATES = {State.AT_COUNTY, State.FIRST_APPROVED}

# PR-2: village assistants (case.report only) may only report and help; the township accepts
# and investigates (case.accept, case.investigate), reviews and proposes (case.review); the
# county approves (case.approve). The table is the whole state machine.
STEPS: dict[Action, Step] = {s.action: s for s in (
    _step(Action.SUBMIT, set(), State.SUBMITTED, ACC),
    _step(Action.ACCEPT, {State.SUBMITTED}, State.ACCEPTED, ACC),
    _step(Action.ASK_FOR_MATERIALS, {State.SUBMITTED}, State.MATERIALS_MISSING, ACC),
    _step(Action.RESUBMIT, {State.MATERIALS_MISSING}, State.SUBMITTED, ACC),
    _step(Action.INVESTIGATE, {State.ACCEPTED}, State.INVESTIGATED, INV),
    _step(Action.REQUEST_VERIFICATION, {State.INVESTIGATED}, State.VERIFYING, INV, REV),
    _step(Action.RECORD_VERIFICATION, {State.VERIFYING}, State.VERIFIED, VER, APP),
    _step(Action.PROPOSE, {State.VERIFIED}, State.IN_NOTICE, REV),
    _step(Action.RECORD_OBJECTION, {State.IN_NOTICE}, None, ACC, REV),
    _step(Action.CLOSE_NOTICE, {State.IN_NOTICE}, None, ACC, REV),
    _step(Action.REINVESTIGATE, {State.OBJECTED}, State.ACCEPTED, INV, REV),
    _step(Action.HOLD_APPRAISAL, {State.OBJECTED}, State.VERIFIED, REV),
    _step(Action.RECORD_SPOT_CHECK, AT_COUNTY_STATES, None, SPOT),
    _step(Action.APPROVE, AT_COUNTY_STATES, None, APP),
    _step(Action.REFUSE, AT_COUNTY_STATES, State.REFUSED, APP),
    _step(Action.NOTIFY_REFUSAL, {State.REFUSED}, State.REFUSAL_NOTIFIED, APP, ACC),
    _step(Action.WITHDRAW, {State.SUBMITTED, State.MATERIALS_MISSING, State.ACCEPTED, State.INVESTIGATED,
                            State.VERIFYING, State.VERIFIED, State.OBJECTED}, State.WITHDRAWN, ACC),
)}


def allowed_actions(state: State, perms: set[str] | frozenset[str]) -> list[Action]:
    """The steps open from `state` to a user holding `perms` on the case (for the case page's buttons)."""
    return [a for a, s in STEPS.items() if state in s.sources and s.perms & set(perms)]


class ProcedureError(flow.ProcedureError):
    """A step that the procedure does not allow; `field` names what is wrong, message in Chinese."""


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

AddWorkingDays = Callable[[dt.date, int], Any]  # doudi.workdays.add_working_days → Deadline(date, warning)


class DeadlineKind(StrEnum):
    """Time limits of NAT-DB-DEADLINES and PR-1 (办理时限)."""

    INVESTIGATION = "investigation"
    VERIFICATION = "verification"
    NOTICE_END = "notice_end"
    COUNTY_DECISION = "county_decision"
    REFUSAL_NOTICE = "refusal_notice"
    WHOLE_PROCEDURE = "whole_procedure"
    TRANSFER_REPLY = "transfer_reply"


DEADLINE_NAMES: dict[DeadlineKind, str] = {
    DeadlineKind.INVESTIGATION: "受理后3个工作日内开始入户调查",
    DeadlineKind.VERIFICATION: "提请后3个工作日内启动信息核对",
    DeadlineKind.NOTICE_END: "公示7天期满",
    DeadlineKind.COUNTY_DECISION: "收到审核意见后10个工作日内作出审批决定",
    DeadlineKind.REFUSAL_NOTICE: "不予批准后3个工作日内书面告知理由",
    DeadlineKind.WHOLE_PROCEDURE: "受理后30个工作日内办结（特殊情况45个）",
    DeadlineKind.TRANSFER_REPLY: "转办答复期限",
}

# The deadline the case carries once it enters a state (the state's next step is due by then).
STATE_DEADLINE: dict[State, DeadlineKind] = {
    State.ACCEPTED: DeadlineKind.INVESTIGATION,
    State.VERIFYING: DeadlineKind.VERIFICATION,
    State.IN_NOTICE: DeadlineKind.NOTICE_END,
    State.AT_COUNTY: DeadlineKind.COUNTY_DECISION,
    State.FIRST_APPROVED: DeadlineKind.COUNTY_DECISION,
    State.REFUSED: DeadlineKind.REFUSAL_NOTICE,
}


@dataclass(frozen=True)
class Due:
    kind: DeadlineKind
    date: dt.date
    warning: str | None = None


def _wd(add: AddWorkingDays, start: dt.date, n: int, kind: DeadlineKind) -> Due:
    d = add(start, n)
    date = getattr(d, "date", d)
    warning = getattr(d, "warning", None) or None
    return Due(kind, date, warning)


def due_for(kind: DeadlineKind, start: dt.date, add: AddWorkingDays, special: bool = False) -> Due:
    """The date by which a step is due, counted from `start` (the day of the triggering act).

    Working days follow the State Council's holiday calendar (doudi.workdays); the public notice
    runs 7 calendar days (NAT-DB-DEADLINES says "7 days", not working days): it may be closed on
    the 7th day after it was put up.
    """
    if kind is DeadlineKind.NOTICE_END:
        return Due(kind, start + dt.timedelta(days=int(param("public_notice_days"))))
    n = {
        DeadlineKind.INVESTIGATION: "investigation_start_working_days",
        DeadlineKind.VERIFICATION: "verification_start_working_days",
        DeadlineKind.COUNTY_DECISION: "county_decision_working_days",
        DeadlineKind.REFUSAL_NOTICE: "refusal_notice_working_days",
        DeadlineKind.TRANSFER_REPLY: "transfer_reply_working_days",
        DeadlineKind.WHOLE_PROCEDURE: ("whole_procedure_working_days_special" if special
                                       else "whole_procedure_working_days"),
    }[kind]
    return _wd(add, start, int(param(n)), kind)


# --- spot checks (PR-3) ----------------------------------------------------------------------

def spot_check_needed(already_selected: int, already_arrived: int, ratio: Decimal, kin: bool,
                      draw: float | None = None) -> tuple[bool, str]:
    """Whether the case now arriving at the county is drawn for an in-person check (入户抽查).

    PR-3: at least `ratio` (30%) of the proposed households of the county. The quota keeps the
    running share at or above the ratio at every moment: a case is drawn when, counting it, the
    drawn cases would otherwise fall below ceil(ratio × arrived). NAT-DB-KIN: a relative's
    application is always visited by the county. Above the quota a case is also drawn at random
    (`draw`, uniform in [0, 1)) with probability `ratio`, so that no one can tell in advance
    which household will be visited.
    """
    if kin:
        return True, "近亲属备案申请，县级必须入户调查（NAT-DB-KIN）"
    arrived = already_arrived + 1
    need = math.ceil(ratio * arrived)
    if already_selected < need:
        return True, f"抽查比例不低于{_pct(ratio)}：已到县 {arrived} 户，已抽 {already_selected} 户，须抽 {need} 户（PR-3）"
    if draw is not None and Decimal(str(draw)) < ratio:
        return True, f"随机抽中（抽中概率{_pct(ratio)}，PR-3）"
    return False, f"已抽 {already_selected} 户，达到 {arrived} 户的{_pct(ratio)}（PR-3）"


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


def payment_start(approved_on: dt.date) -> dt.date:
    """NAT-DB-PAY: paid from the month after approval (the first day of that month)."""
    if approved_on.month == 12:
        return dt.date(approved_on.year + 1, 1, 1)
    return dt.date(approved_on.year, approved_on.month + 1, 1)


def mask_name(name: str, mask_given_name: bool | None = None) -> str:
    """The name as the public notice shows it: all but the surname masked where local rules say so."""
    if mask_given_name is None:
        mask_given_name = bool(param("notice_mask_given_name"))
    if not mask_given_name or len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)
