"""特困人员救助供养: the case, its events, self-care assessments, decisions, dispersed-support care.

States live in doudi.support.procedure; every change is a `SupportEvent` row written by a
service (services.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.procedure.models import (
    DecisionRecord,
    InvestigationRecord,
    ObjectionRecord,
    ProcedureCase,
    ProcedureEvent,
    SpotCheckRecord,
    SpotCheckTallyRecord,
    choices_of,
)
from doudi.support.procedure import (
    ACTION_NAMES,
    DEADLINE_NAMES,
    GROUNDS,
    MODES,
    STATE_NAMES,
    TIER_NAMES,
    Action,
    DeadlineKind,
    State,
)

USER = settings.AUTH_USER_MODEL
TIER_CHOICES = list(TIER_NAMES.items())


class SupportCase(ProcedureCase):
    """特困人员认定申请 and, once approved, the person's support (one row through its whole life)."""

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="support_cases")
    person = models.ForeignKey("registry.Person", verbose_name="申请人", on_delete=models.PROTECT,
                               related_name="support_cases")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    state = models.CharField("状态", max_length=30, choices=choices_of(State, STATE_NAMES))
    mode = models.CharField("供养方式", max_length=20, choices=MODES, blank=True)
    care_tier = models.CharField("生活自理能力", max_length=10, choices=TIER_CHOICES, blank=True)
    submitted_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    due_kind = models.CharField("当前时限", max_length=30, blank=True, choices=choices_of(DeadlineKind, DEADLINE_NAMES))
    support_from = models.DateField("起始供养月份", null=True, blank=True)
    support_until = models.DateField("终止供养月份（不含）", null=True, blank=True)

    STATES, STATE_NAMES = State, STATE_NAMES

    class Meta:
        verbose_name = "特困人员认定"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.person.name}"


class SupportEvent(ProcedureEvent):
    """办理记录: one act on a case (who, when, why, the figures); append-only."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=30, choices=choices_of(Action, ACTION_NAMES))

    ACTIONS, ACTION_NAMES, STATES, STATE_NAMES = Action, ACTION_NAMES, State, STATE_NAMES


class Investigation(InvestigationRecord):
    """入户调查: the home visit (two investigators, the form signed) with the person's choice of support."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="investigations")
    investigators = models.ManyToManyField(USER, verbose_name="调查人员", related_name="support_investigations")
    visited_on = models.DateField("入户日期")
    mode_choice = models.CharField("本人选择的供养方式", max_length=20, choices=MODES)

    class Meta:
        verbose_name = "入户调查"
        ordering = ["visited_on", "id"]


class SelfCareAssessment(models.Model):
    """生活自理能力评估 on the six tasks (NAT-TK-SELFCARE); a reported change is reassessed in 10 working days."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "认定时评估"
        CHANGE = "change", "情况变化重新评估"

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="assessments")
    reason = models.CharField("评估原因", max_length=10, choices=Reason.choices)
    change_reported_on = models.DateField("变化报告日期", null=True, blank=True)
    change_note = models.TextField("变化情况", blank=True)
    due_on = models.DateField("评估期限", null=True, blank=True)
    due_warning = models.CharField(max_length=200, blank=True)
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    unable = models.JSONField("不能完成的项目", default=list, blank=True)
    unable_count = models.PositiveSmallIntegerField("不能完成项数", null=True, blank=True)
    tier = models.CharField("生活自理能力", max_length=10, choices=TIER_CHOICES, blank=True)
    assessors = models.CharField("评估人员", max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "生活自理能力评估"
        ordering = ["id"]

    @property
    def pending(self) -> bool:
        return self.assessed_on is None


class SpotCheck(SpotCheckRecord):
    """县级入户抽查 (NAT-TK-DEADLINES: at least 30% of the proposals, drawn at random and recorded)."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="spot_checks")
    consistent = models.BooleanField("与初审意见一致", null=True)


class SpotCheckTally(SpotCheckTallyRecord):
    """The running count of 特困 proposals arrived at and drawn by a county in a year (locked per county)."""

    class Meta:
        verbose_name = "特困抽查计数"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="support_spot_tally_once")]


class Proposal(models.Model):
    """初审意见: the township's proposal, publicly noticed 7 days before it goes to the county."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="proposals")
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recommend = models.BooleanField("建议认定")
    opinion = models.TextField("初审意见")
    amount_fen = models.BigIntegerField("拟供养金额（分/月）")
    assessment = models.JSONField("政策核算")
    proposed_on = models.DateField()
    notice_ends_on = models.DateField("公示期满")
    notice_closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "初审意见"
        ordering = ["proposed_on", "id"]


class Objection(ObjectionRecord):
    """公示异议 (of the proposal, or of an intended termination)."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="objections")
    about_termination = models.BooleanField(default=False)


class Decision(DecisionRecord):
    """决定: approval, refusal, a change of the amount after reassessment, or termination.

    The policy core's decision is stored as it was on the day (amount, trace, parameters), so a
    later change of standard never rewrites it.
    """

    class Kind(models.TextChoices):
        APPROVED = "approved", "批准认定"
        REFUSED = "refused", "不予认定"
        CHANGED = "changed", "调整供养金额"
        TERMINATED = "terminated", "终止供养"

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    amount_fen = models.BigIntegerField("月供养金额（分）", default=0)
    care_tier = models.CharField(max_length=10, choices=TIER_CHOICES, blank=True)
    mode = models.CharField(max_length=20, choices=MODES, blank=True)
    effective_from = models.DateField("生效月份", null=True, blank=True)

    class Meta:
        verbose_name = "特困决定"
        ordering = ["decided_on", "id"]


class Guardianship(models.Model):
    """委托照料协议 (TK-6): the guardian of a dispersed-support person, his named duties, his visits."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="guardianships")
    guardian_name = models.CharField("照料人", max_length=50)
    guardian_phone = models.CharField("联系电话", max_length=20, blank=True)
    relation = models.CharField("与供养对象关系", max_length=30, blank=True)
    duties = models.JSONField("照料职责", default=list)
    signed_on = models.DateField("签订日期")
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.TextField("更换原因", blank=True)
    next_visit_on = models.DateField("下次探访期限", null=True, blank=True)

    class Meta:
        verbose_name = "委托照料协议"
        ordering = ["signed_on", "id"]

    @property
    def active(self) -> bool:
        return self.ended_on is None


class Visit(models.Model):
    """探访: a scheduled visit to a dispersed-support person and what was found of the care."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="visits")
    guardianship = models.ForeignKey(Guardianship, on_delete=models.CASCADE, related_name="visits")
    due_on = models.DateField("应探访日期")
    visited_on = models.DateField("探访日期")
    findings = models.TextField("探访情况")
    duties_met = models.BooleanField("照料人履行职责")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "探访记录"
        ordering = ["visited_on", "id"]


class Necessities(models.Model):
    """生活必需品 (TK-6): every six months, what the person lacks is bought (缺什么补什么)."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="necessities")
    due_on = models.DateField("应发放日期")
    given_on = models.DateField("发放日期", null=True, blank=True)
    items = models.TextField("物品", blank=True)
    amount_fen = models.BigIntegerField("金额（分）", default=0)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "生活必需品发放"
        ordering = ["due_on", "id"]


class Termination(models.Model):
    """终止供养 (NAT-TK-END): the ground, the 7-day notice, the end from the next month, the follow-up."""

    case = models.OneToOneField(SupportCase, on_delete=models.CASCADE, related_name="termination")
    ground = models.CharField("终止事由", max_length=20, choices=GROUNDS)
    facts = models.TextField("事实与理由")
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    proposed_on = models.DateField("拟终止日期")
    notice_ends_on = models.DateField("公示期满")
    decided_on = models.DateField("终止决定日期", null=True, blank=True)
    ends_from = models.DateField("自该月起停发", null=True, blank=True)
    follow_up = models.JSONField("低保、临时救助评估", default=dict, blank=True)

    class Meta:
        verbose_name = "终止供养"
