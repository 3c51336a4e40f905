"""Abstract models shared by the procedures' concrete models (cases, support, relief).

Each concrete model keeps its exact fields, table and migrations: the fields written here are the
ones that were the same to the letter in every procedure; what differs (the case it belongs to,
choices, verbose names) stays in the concrete model. A concrete case or event names its own
vocabulary in class attributes: STATES and STATE_NAMES (and ACTIONS and ACTION_NAMES for events).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


def choices_of(members: Iterable[Enum], names: Mapping) -> list[tuple[str, str]]:
    """Field choices in the enum's order: [(value, name), …]."""
    return [(m.value, names[m]) for m in members]


class InRegion:
    """An object placed by its `region` (12-digit code), which the area filters use (security.md)."""

    AREA_FIELD = "region"

    @property
    def area_code(self) -> str:
        return self.region


class ProcedureCase(InRegion, models.Model):
    """A case through a procedure: its number, version (optimistic lock), current deadline."""

    number = models.CharField("案件编号", max_length=30, unique=True)
    version = models.PositiveIntegerField(default=0)
    due_on = models.DateField("当前环节期限", null=True, blank=True, db_index=True)
    due_warning = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    STATES: type[Enum]
    STATE_NAMES: Mapping

    class Meta:
        abstract = True

    @property
    def state_enum(self):
        return self.STATES(self.state)

    @property
    def state_name(self) -> str:
        return self.STATE_NAMES[self.STATES(self.state)]


class ProcedureEvent(models.Model):
    """办理记录: one act on a case (who, when, why, the figures); append-only.

    The concrete event adds `case` and `action`, and names ACTIONS, ACTION_NAMES, STATES, STATE_NAMES."""

    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on_date = models.DateField("办理日期")
    reason = models.TextField("理由", blank=True)
    figures = models.JSONField("数据", default=dict, blank=True)

    ACTIONS: type[Enum]
    ACTION_NAMES: Mapping
    STATES: type[Enum]
    STATE_NAMES: Mapping

    class Meta:
        abstract = True
        verbose_name = "办理记录"
        ordering = ["at", "id"]

    @property
    def action_name(self) -> str:
        return self.ACTION_NAMES[self.ACTIONS(self.action)]

    @property
    def to_state_name(self) -> str:
        return self.STATE_NAMES[self.STATES(self.to_state)]


class InvestigationRecord(models.Model):
    """入户调查: what the investigators found, the household as it was, who recorded it and when."""

    findings = models.TextField("调查情况")
    household_document = models.JSONField("家庭情况（调查时）")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        abstract = True


class SpotCheckRecord(models.Model):
    """县级入户抽查: drawn when the case reaches the county, then visited (the concrete adds `consistent`)."""

    county = models.CharField(max_length=6, db_index=True)
    selected = models.BooleanField("抽中")
    reason = models.CharField("抽取依据", max_length=200)
    ratio = models.DecimalField(max_digits=4, decimal_places=2)
    drawn_at = models.DateTimeField()
    visited_on = models.DateField("抽查日期", null=True, blank=True)
    findings = models.TextField("抽查情况", blank=True)
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        verbose_name = "入户抽查"
        ordering = ["drawn_at", "id"]


class SpotCheckTallyRecord(models.Model):
    """The running count of cases arrived at and drawn by a county in a year (the quota, locked per county)."""

    county = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    arrived = models.PositiveIntegerField(default=0)
    selected = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class ObjectionRecord(models.Model):
    """公示异议: an objection raised during a public notice."""

    received_on = models.DateField("收到日期")
    content = models.TextField("异议内容")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True
        verbose_name = "公示异议"
        ordering = ["received_on", "id"]


class DecisionRecord(models.Model):
    """A decision with the policy core's decision stored as it was on the day, and its written notice."""

    assessment = models.JSONField("政策核算（决定时）", default=dict)
    parameters = models.JSONField("参数及版本（决定时）", default=list)
    household_document = models.JSONField("家庭情况（决定时）", default=dict)
    reasons = models.TextField("理由", blank=True)
    notice_due_on = models.DateField("书面告知期限", null=True, blank=True)
    notified_on = models.DateField("书面告知日期", null=True, blank=True)

    class Meta:
        abstract = True
