"""临时救助: the case (urgent or normal path), its events, decision, stages, referrals, the 救急难 register."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.procedure.models import (
    DecisionRecord,
    InRegion,
    InvestigationRecord,
    ProcedureCase,
    ProcedureEvent,
    choices_of,
)
from doudi.relief.procedure import (
    ACTION_NAMES,
    DEADLINE_NAMES,
    KIND_NAMES,
    PATH_NAMES,
    REFERRALS,
    STATE_NAMES,
    Action,
    DeadlineKind,
    State,
)

USER = settings.AUTH_USER_MODEL


class ReliefCase(ProcedureCase):
    """临时救助案件. `region` is where the help is given (NAT-TA-FIRST: where the emergency happens,
    regardless of household registration).

    Opened from a household the user may see, `household` is that household. Opened by ID number
    and name (a person registered in another area, or not at all), `person` is the registry's
    person, `household` the person's current household if any, and `subject_only` is set when the
    household file stays with its home area: the case is then decided on the person's own details
    (`residence`, the ID number's birth date and sex), never on the other area's household file.
    `home_region` is the household registration (户籍地) as recorded on the case."""

    path = models.CharField("程序", max_length=10, choices=list(PATH_NAMES.items()))
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="relief_cases", null=True, blank=True)
    person = models.ForeignKey("registry.Person", verbose_name="救助对象", on_delete=models.PROTECT,
                               related_name="relief_cases", null=True, blank=True)
    home_region = models.CharField("户籍地区划代码", max_length=12, blank=True)
    residence = models.CharField("城乡类别", max_length=5, blank=True, choices=[("urban", "城镇"), ("rural", "农村")])
    subject_only = models.BooleanField("外地户籍或未在册（不调阅户籍地家庭档案）", default=False)
    region = models.CharField("救助地", max_length=12, db_index=True)
    applicant_name = models.CharField("申请人", max_length=50)
    state = models.CharField("状态", max_length=30, choices=choices_of(State, STATE_NAMES))
    kind = models.CharField("困难类型", max_length=20, choices=list(KIND_NAMES.items()))
    description = models.TextField("困难情形")
    people = models.PositiveSmallIntegerField("救助人数", null=True, blank=True)
    months = models.PositiveSmallIntegerField("困难持续月数", null=True, blank=True)
    decided_amount_fen = models.BigIntegerField("一事一议核定金额（分）", null=True, blank=True)
    reasoning = models.TextField("核定理由", blank=True)
    stages_fen = models.JSONField("分次发放计划（分）", default=list, blank=True)
    simplified_check = models.TextField("简化核查情况", blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("登记日期")
    due_kind = models.CharField("当前时限", max_length=30, blank=True, choices=choices_of(DeadlineKind, DEADLINE_NAMES))
    paperwork_due_on = models.DateField("补齐手续期限", null=True, blank=True)
    paperwork_due_warning = models.CharField(max_length=200, blank=True)
    paperwork_done_on = models.DateField("手续补齐日期", null=True, blank=True)

    STATES, STATE_NAMES = State, STATE_NAMES

    class Meta:
        verbose_name = "临时救助"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"

    @property
    def household_shown(self):
        """The household whose file the case may show: None when it stays with its home area."""
        return None if self.subject_only else self.household

    @property
    def subject_label(self) -> str:
        """What lists show of whom the case helps: the household, or the person (ID number masked)."""
        if self.household_shown is not None:
            return str(self.household_shown)
        return f"{self.applicant_name}（{self.person.masked_id}）" if self.person_id else self.applicant_name


class ReliefEvent(ProcedureEvent):
    """办理记录: one act on a case; append-only."""

    case = models.ForeignKey(ReliefCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=30, choices=choices_of(Action, ACTION_NAMES))

    ACTIONS, ACTION_NAMES, STATES, STATE_NAMES = Action, ACTION_NAMES, State, STATE_NAMES


class Investigation(InvestigationRecord):
    """入户调查 (normal path) or 补齐手续 (urgent path, after the help): the full form, signed."""

    case = models.ForeignKey(ReliefCase, on_delete=models.CASCADE, related_name="investigations")
    investigators = models.ManyToManyField(USER, verbose_name="调查人员", related_name="relief_investigations")
    visited_on = models.DateField("调查日期")
    signed_by_family = models.BooleanField("申请人已签字")
    authorisation = models.BooleanField("已签署核对授权书")
    after_help = models.BooleanField("先行救助后补办", default=False)

    class Meta:
        verbose_name = "入户调查"
        ordering = ["visited_on", "id"]


class Decision(DecisionRecord):
    """审批决定: approved (with its stages) or refused; the policy core's decision as it was."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "批准"
        REFUSED = "refused", "不予救助"

    class Level(models.TextChoices):
        TOWNSHIP = "township", "乡镇审批（限额内）"
        COUNTY = "county", "县级审批"

    case = models.OneToOneField(ReliefCase, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    level = models.CharField("审批层级", max_length=10, choices=Level.choices)
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    amount_fen = models.BigIntegerField("救助金额（分）", default=0)
    ceiling_fen = models.BigIntegerField("乡镇审批限额（分）", null=True, blank=True)

    class Meta:
        verbose_name = "临时救助决定"


class Stage(models.Model):
    """分次发放: one payment of the single approval (NAT-TA-FIRST)."""

    case = models.ForeignKey(ReliefCase, on_delete=models.CASCADE, related_name="stages")
    seq = models.PositiveSmallIntegerField("次序")
    amount_fen = models.BigIntegerField("金额（分）")
    paid_on = models.DateField("发放日期", null=True, blank=True)
    paid_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "分次发放"
        ordering = ["seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="relief_stage_once")]


class Referral(models.Model):
    """转介 (TA-4): onward to 低保, 特困, disaster, education, housing or employment assistance."""

    case = models.ForeignKey(ReliefCase, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField("转介至", max_length=20, choices=REFERRALS)
    note = models.TextField("转介说明", blank=True)
    window_request_id = models.BigIntegerField("一门受理登记", null=True, blank=True)
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField()

    class Meta:
        verbose_name = "转介"
        ordering = ["referred_on", "id"]


class RegisterEntry(InRegion, models.Model):
    """救急难对象台账 (TA-6): kept for each urgent case and followed up as the situation changes."""

    case = models.OneToOneField(ReliefCase, on_delete=models.CASCADE, related_name="register_entry")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    person_name = models.CharField("救助对象", max_length=50)
    situation = models.TextField("困难情形")
    opened_on = models.DateField("登记日期")
    next_follow_up_on = models.DateField("下次跟踪期限", null=True, blank=True)
    closed_on = models.DateField("销号日期", null=True, blank=True)
    closing_note = models.TextField("销号说明", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "救急难对象台账"
        ordering = ["next_follow_up_on", "id"]


class FollowUp(models.Model):
    """跟踪回访: what was found, what was done, the next follow-up (or the entry closed)."""

    entry = models.ForeignKey(RegisterEntry, on_delete=models.CASCADE, related_name="follow_ups")
    on_date = models.DateField("回访日期")
    situation = models.TextField("当前状况")
    action_taken = models.TextField("采取措施", blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "跟踪回访"
        ordering = ["on_date", "id"]


class HomeNotice(InRegion, models.Model):
    """户籍地通报 (NAT-TA-FIRST): help given where the emergency happened, told to the township of
    the person's household registration, which sees it in its worklist and records that it took
    note (and what it will do: 低保 or 特困 screening, contact with the family). `region` is the
    home area; the helping township's case itself stays in its own area."""

    class Kind(models.TextChoices):
        HELP = "help", "先行救助通报"
        REFERRAL = "referral", "转介户籍地"

    case = models.ForeignKey(ReliefCase, on_delete=models.CASCADE, related_name="home_notices")
    region = models.CharField("户籍地", max_length=12, db_index=True)
    kind = models.CharField("通报类型", max_length=10, choices=Kind.choices, default=Kind.HELP)
    person_name = models.CharField("救助对象", max_length=50)
    masked_id = models.CharField("身份证号（隐去中间位）", max_length=18, blank=True)
    helped_in = models.CharField("救助地", max_length=12)
    text = models.TextField("通报内容")
    sent_on = models.DateField("通报日期")
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("知悉期限")
    acknowledged_on = models.DateField("知悉日期", null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reply = models.TextField("户籍地处理情况", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "户籍地通报"
        ordering = ["acknowledged_on", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.person_name}"
