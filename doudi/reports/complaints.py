"""投诉举报 (PR-5): recorded from any channel, assigned to a user above the township complained about,
investigated, answered within the deadline, and linked to the review or fraud recovery it caused.

Services are the only writers (one transaction, an audit row each). The reporter's identity is
shown only to the handler and to auditors (`may_see_reporter`); every showing is audited. An
anonymous reporter leaves no personal data at all (the database refuses it too).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from doudi.accounts import access, audit
from doudi.accounts.areas import area_prefix, contains, is_valid_region_code
from doudi.accounts.models import AuditKind, RoleAssignment, User
from doudi.accounts.roles import Action, Role, actions_of
from doudi.reports.models import Channel, Complaint, ComplaintNote, ComplaintOutcome, SubjectKind
from doudi.reports.params import param, source

SEE = (Action.COMPLAINT_RECORD, Action.COMPLAINT_HANDLE, Action.AUDIT_VIEW)


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _required(value: str, field: str, label: str) -> str:
    v = (value or "").strip()
    if not v:
        raise ValidationError({field: f"请填写{label}"})
    return v


def visible_complaints(user: Any):
    """Complaints of the areas where the user may record, handle or audit them (and those assigned to one)."""
    q = Q(pk__in=[])
    for action in SEE:
        q |= access.area_q(user, action, "region")
    return Complaint.objects.filter(q | Q(handler=user)).distinct()


def access_complaint(user: Any, pk: Any, *, lock: bool = False) -> Complaint:
    from django.http import Http404

    qs = visible_complaints(user)
    if lock:
        qs = Complaint.objects.select_for_update().filter(pk__in=qs.values("pk"))
    try:
        return qs.get(pk=pk)
    except (Complaint.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该投诉举报，或不在您的辖区内") from None


def may_see_reporter(user: Any, complaint: Complaint) -> bool:
    """Only the handler and auditors of the area see who reported (PR-5; security.md)."""
    if complaint.anonymous:
        return False
    if complaint.handler_id == getattr(user, "pk", None):
        return True
    return access.has_role(user, Role.AUDITOR) and access.in_area(
        [a for r, a in access.roles_of(user) if r == Role.AUDITOR], complaint.region)


def reporter_of(user: Any, complaint: Complaint) -> dict | None:
    """The reporter's identity for the handler or an auditor (the read is audited); None otherwise."""
    if not may_see_reporter(user, complaint):
        return None
    audit.record(user, AuditKind.READ, complaint, action="complaint.reporter", reason="查看举报人身份")
    return {"name": complaint.reporter_name, "phone": complaint.reporter_phone, "address": complaint.reporter_address}


def handlers_for(region: str) -> list[User]:
    """Users who may be assigned: complaint.handle in an area containing the region, at county level or above."""
    out = []
    for ra in RoleAssignment.objects.filter(active=True, user__is_active=True).select_related("user"):
        if Action.COMPLAINT_HANDLE not in actions_of(ra.role):
            continue
        if len(area_prefix(ra.area)) <= 6 and contains(ra.area, region) and ra.user not in out:
            out.append(ra.user)
    return out


def _number(today: dt.date) -> str:
    n = Complaint.objects.filter(number__startswith=f"TS{today:%Y}").count() + 1
    while Complaint.objects.filter(number=f"TS{today:%Y}{n:05d}").exists():
        n += 1
    return f"TS{today:%Y}{n:05d}"


@transaction.atomic
def record_complaint(user: Any, *, region: str, channel: str, received_on: dt.date, subject_kind: str,
                     subject_name: str, content: str, handler_id: Any, anonymous: bool = False,
                     reporter_name: str = "", reporter_phone: str = "", reporter_address: str = "",
                     on: dt.date | None = None) -> Complaint:
    """登记投诉举报. The deadline to answer is `complaint_answer_working_days` working days after receipt."""
    from doudi.workdays.calendar import add_working_days

    region = (region or "").strip()
    if not is_valid_region_code(region):
        raise ValidationError({"region": f"区划代码应为存在的 6、9 或 12 位代码，收到 {region or '空'}"})
    access.require(user, Action.COMPLAINT_RECORD, _Where(region))
    if channel not in Channel.values:
        raise ValidationError({"channel": "请选择渠道：电话、信件、来访或网络"})
    if subject_kind not in SubjectKind.values:
        raise ValidationError({"subject_kind": "请选择被投诉对象类别"})
    today = _today(on)
    if received_on is None or received_on > today:
        raise ValidationError({"received_on": "收到日期应为不晚于今天的日期"})
    handler = next((u for u in handlers_for(region) if str(u.pk) == str(handler_id)), None)
    if handler is None:
        raise ValidationError({"handler_id": "承办人应为被投诉地区所在县（或以上）有核查答复权限的用户"})
    if anonymous and any((v or "").strip() for v in (reporter_name, reporter_phone, reporter_address)):
        raise ValidationError({"anonymous": "匿名举报不登记举报人的任何个人信息（姓名、电话、地址须为空）"})
    if not anonymous:
        _required(reporter_name, "reporter_name", "举报人姓名（或选择匿名）")
    due = add_working_days(received_on, int(param("complaint_answer_working_days")))
    c = Complaint.objects.create(
        number=_number(today), region=region, channel=channel, received_on=received_on, recorded_by=user,
        subject_kind=subject_kind, subject_name=_required(subject_name, "subject_name", "被投诉对象"),
        content=_required(content, "content", "投诉举报内容"), anonymous=bool(anonymous),
        reporter_name="" if anonymous else reporter_name.strip(),
        reporter_phone="" if anonymous else (reporter_phone or "").strip(),
        reporter_address="" if anonymous else (reporter_address or "").strip(),
        handler=handler, due_on=due.date, due_warning=due.warning or "")
    audit.record(user, AuditKind.STEP, c, action="complaint.record",
                 reason=f"登记投诉举报，答复期限 {due.date}（{source('complaint_answer_working_days')}）",
                 detail={"channel": channel, "anonymous": bool(anonymous), "handler": handler.username})
    return c


class _Where:
    """An object placed in a region (for access.require before the complaint exists)."""

    def __init__(self, region: str):
        self.area_code = region


def _handled_by(user: Any, complaint_id: Any) -> Complaint:
    c = access_complaint(user, complaint_id, lock=True)
    if c.handler_id != getattr(user, "pk", None) or not access.can(user, Action.COMPLAINT_HANDLE, c):
        raise PermissionDenied("只有承办人可以核查和答复本投诉举报")
    return c


@transaction.atomic
def add_note(user: Any, complaint_id: Any, *, text: str, on: dt.date | None = None) -> ComplaintNote:
    """核查记录: what the handler found (the complaint must still be open)."""
    c = _handled_by(user, complaint_id)
    if c.state != Complaint.State.OPEN:
        raise ValidationError({"text": "已答复的投诉举报不能再添加核查记录"})
    note = ComplaintNote.objects.create(complaint=c, by=user, at=timezone.now(), on_date=_today(on),
                                        text=_required(text, "text", "核查情况"))
    audit.record(user, AuditKind.STEP, c, action="complaint.note", reason=note.text[:200])
    return note


@transaction.atomic
def answer(user: Any, complaint_id: Any, *, outcome: str, answer_text: str, answered_on: dt.date | None = None,
           review_id: Any = None, recovery_id: Any = None, version: int | None = None,
           on: dt.date | None = None) -> Complaint:
    """答复: the outcome (属实 / 部分属实 / 不属实), the answer, and, when founded, the review or
    fraud recovery it caused (a benefits Review or Recovery of the complained area)."""
    c = _handled_by(user, complaint_id)
    if version is not None and int(version) != c.version:
        raise ValidationError({"version": "该投诉举报已被他人修改，请刷新后再办理"})
    if c.state != Complaint.State.OPEN:
        raise ValidationError({"outcome": "该投诉举报已答复"})
    if outcome not in ComplaintOutcome.values:
        raise ValidationError({"outcome": "请选择核查结论：属实、部分属实或不属实"})
    today = _today(on)
    answered_on = answered_on or today
    if answered_on < c.received_on or answered_on > today:
        raise ValidationError({"answered_on": "答复日期应在收到日期与今天之间"})
    review = recovery = None
    if review_id or recovery_id:
        if outcome == ComplaintOutcome.UNFOUNDED:
            raise ValidationError({"outcome": "不属实的投诉举报不关联复核或追回"})
        review, recovery = _linked(user, c, review_id, recovery_id)
    c.outcome, c.answer, c.answered_on = outcome, _required(answer_text, "answer_text", "答复意见"), answered_on
    c.review, c.recovery, c.state = review, recovery, Complaint.State.ANSWERED
    c.version += 1
    c.save()
    late = answered_on > c.due_on
    audit.record(user, AuditKind.DECISION, c, action="complaint.answer",
                 reason=f"核查结论：{c.get_outcome_display()}；{'超过' if late else '在'}答复期限 {c.due_on}{'' if late else '内'}答复",
                 detail={"outcome": outcome, "review": review.pk if review else None,
                         "recovery": recovery.pk if recovery else None})
    return c


def _linked(user: Any, c: Complaint, review_id: Any, recovery_id: Any) -> tuple[Any, Any]:
    from doudi.benefits.models import Recovery, Review

    def find(model, pk, field):
        if not pk:
            return None
        obj = access.scope_queryset(user, model.objects.all(), Action.CASE_VIEW).filter(pk=pk).first()
        if obj is None or not contains(c.region, obj.benefit.region) and not contains(obj.benefit.region, c.region):
            raise ValidationError({field: "关联的复核或追回应为本辖区、被投诉地区的待遇"})
        return obj

    return find(Review, review_id, "review_id"), find(Recovery, recovery_id, "recovery_id")
