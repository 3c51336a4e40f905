"""Roles (security.md) and the actions each may take — the single table of who may do what.

An action is a dotted name; a role allows a set of actions inside the area it is bound to.
Other apps use these constants (``Action.CASE_APPROVE``) rather than bare strings.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    """角色."""

    VILLAGE_ASSISTANT = "village_assistant", "村（居）协理员"
    TOWNSHIP_CASEWORKER = "township_caseworker", "乡镇（街道）经办人"
    TOWNSHIP_REVIEWER = "township_reviewer", "乡镇审核人"
    COUNTY_APPROVER = "county_approver", "县级民政审批人"
    VERIFICATION_OFFICER = "verification_officer", "核对员"
    FINANCE_OFFICER = "finance_officer", "财务"
    DEPARTMENT_LIAISON = "department_liaison", "部门联络员"
    SUPERVISOR = "supervisor", "监督"
    AUDITOR = "auditor", "审计"
    CHARITY = "charity", "慈善组织"
    ADMINISTRATOR = "administrator", "管理员"


class Action(StrEnum):
    """What a user may do; each role allows some of these inside its area."""

    HOUSEHOLD_VIEW = "household.view"        # see households and persons (ID numbers masked)
    HOUSEHOLD_EDIT = "household.edit"        # register and change households, persons, memberships
    PERSON_FULL_ID = "person.full_id"        # see a full ID number on request (logged)
    CASE_VIEW = "case.view"                  # see cases and their timelines
    CASE_REPORT = "case.report"              # report a person in difficulty, help prepare (PR-2)
    CASE_ACCEPT = "case.accept"              # accept at the window, list missing materials, transfer
    CASE_INVESTIGATE = "case.investigate"    # home investigation, record results
    CASE_REVIEW = "case.review"              # township review and proposal, public notice
    CASE_APPROVE = "case.approve"            # county decision: approve, refuse, stop, change
    CASE_SPOT_CHECK = "case.spot_check"      # county spot checks (PR-3)
    VERIFICATION_RUN = "verification.run"    # load department data, run verification, issue reports
    PAYMENT_MANAGE = "payment.manage"        # payment rolls, bank files, returns
    TRANSFER_ANSWER = "transfer.answer"      # a department answers transfers and verification requests
    DATA_UPLOAD = "data.upload"              # upload a department's data sets (its own department's kinds)
    AUDIT_VIEW = "audit.view"                # read the audit log of the area
    STATS_VIEW = "stats.view"                # statistics of the area
    NEEDS_VIEW = "needs.view"                # published needs without names or ID numbers
    HELP_RECORD = "help.record"              # record help given by a charity
    EXPORT = "export"                        # export lists (logged)
    USERS_MANAGE = "users.manage"            # manage users and roles
    PARAMS_CHANGE = "params.change"          # change policy parameters and the working-day calendar
    COMPLAINT_RECORD = "complaint.record"    # record a complaint or report received by any channel (PR-5)
    COMPLAINT_HANDLE = "complaint.handle"    # investigate and answer a complaint assigned to one (PR-5)


ACTION_LABELS: dict[str, str] = {
    "household.view": "查看家庭", "household.edit": "登记和修改家庭", "person.full_id": "查看完整身份证号",
    "case.view": "查看案件", "case.report": "报告困难群众、协助申请", "case.accept": "受理、转办",
    "case.investigate": "入户调查", "case.review": "审核、提出意见", "case.approve": "审批",
    "case.spot_check": "抽查", "verification.run": "经济状况核对", "payment.manage": "资金发放",
    "transfer.answer": "答复转办", "data.upload": "上传部门数据", "audit.view": "查阅审计日志", "stats.view": "查看统计",
    "needs.view": "查看公开的救助需求", "help.record": "登记慈善帮扶", "export": "导出",
    "users.manage": "管理用户和角色", "params.change": "修改政策参数和工作日历",
    "complaint.record": "登记投诉举报", "complaint.handle": "核查答复投诉举报",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(str(action), str(action))


A = Action
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VILLAGE_ASSISTANT: frozenset({A.HOUSEHOLD_VIEW, A.CASE_VIEW, A.CASE_REPORT}),
    Role.TOWNSHIP_CASEWORKER: frozenset({A.HOUSEHOLD_VIEW, A.HOUSEHOLD_EDIT, A.PERSON_FULL_ID, A.CASE_VIEW,
                                         A.CASE_REPORT, A.CASE_ACCEPT, A.CASE_INVESTIGATE, A.EXPORT,
                                         A.COMPLAINT_RECORD}),
    Role.TOWNSHIP_REVIEWER: frozenset({A.HOUSEHOLD_VIEW, A.PERSON_FULL_ID, A.CASE_VIEW, A.CASE_REVIEW, A.EXPORT}),
    Role.COUNTY_APPROVER: frozenset({A.HOUSEHOLD_VIEW, A.PERSON_FULL_ID, A.CASE_VIEW, A.CASE_APPROVE,
                                     A.CASE_SPOT_CHECK, A.EXPORT, A.COMPLAINT_RECORD, A.COMPLAINT_HANDLE,
                                     A.PARAMS_CHANGE}),
    Role.VERIFICATION_OFFICER: frozenset({A.HOUSEHOLD_VIEW, A.PERSON_FULL_ID, A.CASE_VIEW, A.VERIFICATION_RUN,
                                          A.DATA_UPLOAD}),
    Role.FINANCE_OFFICER: frozenset({A.HOUSEHOLD_VIEW, A.CASE_VIEW, A.PAYMENT_MANAGE, A.EXPORT}),
    Role.DEPARTMENT_LIAISON: frozenset({A.TRANSFER_ANSWER, A.DATA_UPLOAD}),
    Role.SUPERVISOR: frozenset({A.HOUSEHOLD_VIEW, A.CASE_VIEW, A.AUDIT_VIEW, A.STATS_VIEW}),
    Role.AUDITOR: frozenset({A.HOUSEHOLD_VIEW, A.PERSON_FULL_ID, A.CASE_VIEW, A.AUDIT_VIEW, A.STATS_VIEW,
                             A.EXPORT}),
    Role.CHARITY: frozenset({A.NEEDS_VIEW, A.HELP_RECORD}),
    Role.ADMINISTRATOR: frozenset({A.USERS_MANAGE, A.PARAMS_CHANGE, A.STATS_VIEW}),
}

# The length of area code each role is normally bound to (documentation and form hints only).
ROLE_AREA_LEVEL: dict[str, str] = {
    Role.VILLAGE_ASSISTANT: "村（社区）12 位",
    Role.TOWNSHIP_CASEWORKER: "乡镇（街道）9 位",
    Role.TOWNSHIP_REVIEWER: "乡镇（街道）9 位",
    Role.COUNTY_APPROVER: "县（区）6 位",
    Role.VERIFICATION_OFFICER: "县（区）或市 6 位",
    Role.FINANCE_OFFICER: "县（区）6 位",
    Role.DEPARTMENT_LIAISON: "县（区）6 位",
    Role.SUPERVISOR: "市或省 6 位",
    Role.AUDITOR: "县、市或省 6 位",
    Role.CHARITY: "县（区）或市 6 位",
    Role.ADMINISTRATOR: "县、市或省 6 位",
}


def actions_of(role: str) -> frozenset[Action]:
    return ROLE_ACTIONS.get(role, frozenset())
