"""待遇: a benefit after it starts — its history, reported changes, reviews, recovery, standard changes.

Nothing is updated in place without history: every change of a benefit's amount or status is a
`BenefitChange` row (who, when, why, the figures, the month it takes effect) written by a
service (services.py) together with the benefit's new current figures. Old decisions (the
procedures' own Decision rows) are never rewritten.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from doudi.policy import regions

USER = settings.AUTH_USER_MODEL

PROGRAM_NAMES = {
    "dibao": "最低生活保障（低保）",
    "tekun": "特困人员救助供养",
    "temporary": "临时救助",
    # doudi.programs (issue 15): benefits of one person (ONE_PERSON) or of the household (medical_daily)
    "children": "孤儿、事实无人抚养儿童基本生活费",
    "disability_living": "困难残疾人生活补贴",
    "disability_care": "重度残疾人护理补贴",
    "medical_daily": "日常医疗补贴",
    "education": "教育救助",
}


class Status(models.TextChoices):
    """待遇状态."""

    ACTIVE = "active", "在保"
    GRADUAL_EXIT = "gradual_exit", "渐退期"
    STOPPED = "stopped", "已停保"
    ENDED = "ended", "已终止"


LIVE = (Status.ACTIVE, Status.GRADUAL_EXIT)


class ReviewCycle(models.TextChoices):
    """复核周期 (DB-11, NAT-DB-REVIEW)."""

    YEARLY = "yearly", "每年复核"
    HALF_YEARLY = "half_yearly", "每半年复核"
    NONE = "none", "不定期复核"


PER_PERSON = ("tekun",)  # a benefit of these programs belongs to one person of the household (TK-4)
# monthly benefits paid to one person, not decided per person by the policy core (doudi.programs)
ONE_PERSON = ("children", "disability_living", "disability_care", "education")
LIVE_VALUES = [s.value for s in LIVE]


class Benefit(models.Model):
    """待遇: one household's benefit of one program, from its first month to its end; for 特困
    (decided per person, TK-4) one person's benefit (``person``).

    A one-off benefit (临时救助) names the person helped (``person``) when the procedure helped a
    person rather than a household; it may have no household at all (a person in no household of
    the registry, helped where the emergency happened, NAT-TA-FIRST). Either a household or a
    person is always set (database check)."""

    household = models.ForeignKey("registry.Household", verbose_name="家庭", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="benefits")
    person = models.ForeignKey("registry.Person", verbose_name="救助对象", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="benefits")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    program = models.CharField("救助项目", max_length=20)
    amount_fen = models.BigIntegerField("月保障金额（分）")
    start_month = models.DateField("起始发放月份")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.ACTIVE)
    cycle = models.CharField("复核周期", max_length=20, choices=ReviewCycle.choices, default=ReviewCycle.YEARLY)
    income_unstable = models.BooleanField("收入来源不固定", default=False)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True, db_index=True)
    decision_app = models.CharField("批准决定（应用）", max_length=40, blank=True)
    decision_model = models.CharField("批准决定（类型）", max_length=40, blank=True)
    decision_pk = models.CharField("批准决定（编号）", max_length=40, blank=True)
    assessment = models.JSONField("政策核算（批准时）", default=dict)
    parameters = models.JSONField("参数及版本（批准时）", default=list)
    household_document = models.JSONField("家庭情况（批准时）", default=dict)
    exit_first_month = models.DateField("渐退起始月份", null=True, blank=True)
    exit_months = models.PositiveSmallIntegerField("渐退期（月）", null=True, blank=True)
    end_month = models.DateField("停发起始月份", null=True, blank=True)
    last_month = models.DateField("末次发放月份（定期救助）", null=True, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "待遇"
        ordering = ["region", "id"]
        constraints = [
            models.UniqueConstraint(fields=["decision_app", "decision_model", "decision_pk"],
                                    condition=~models.Q(decision_pk=""), name="benefits_one_per_decision"),
            # one live 低保 benefit per household; one live 特困 benefit per person (services.start_benefit
            # says so in Chinese first; these hold under concurrent approvals)
            models.UniqueConstraint(fields=["household", "program"],
                                    condition=models.Q(program="dibao", status__in=LIVE_VALUES),
                                    name="benefits_one_live_dibao_per_household"),
            models.UniqueConstraint(fields=["household", "program", "person"],
                                    condition=models.Q(program="tekun", status__in=LIVE_VALUES),
                                    name="benefits_one_live_tekun_per_person"),
            models.CheckConstraint(condition=models.Q(household__isnull=False) | models.Q(person__isnull=False),
                                   name="benefits_household_or_person"),
        ]

    def __str__(self) -> str:
        if not self.household_local:  # written to the audit log of the benefit's area: not another area's household
            return f"{self.person.name if self.person_id else ''} {self.program_name}".strip()
        who = f"({self.person.name})" if self.person_id else ""
        return f"{self.household} {self.program_name}{who}"

    @property
    def household_local(self) -> bool:
        """Whether the household lies in the benefit's own area (false for none, or for a household
        registered elsewhere whose member was helped here: its file stays with its home area)."""
        if self.household_id is None:
            return False
        return regions.contains(self.region, str(self.household.region_code))

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def program_name(self) -> str:
        return PROGRAM_NAMES.get(self.program, self.program)

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def exit_last_month(self) -> dt.date | None:
        """The last month of the 渐退期 (the benefit stops from the month after)."""
        if self.exit_first_month is None or not self.exit_months:
            return None
        from doudi.benefits.months import add_months

        return add_months(self.exit_first_month, self.exit_months - 1)


class ChangeKind(models.TextChoices):
    START = "start", "开始发放"
    CONTINUE = "continue", "复核：继续保障"
    AMOUNT = "amount", "调整保障金额"
    REDUCE = "reduce", "减发"
    GRADUAL_EXIT = "gradual_exit", "渐退"
    EXIT = "exit", "渐退期满退出"
    STOP = "stop", "停发"
    WORK_REFUSAL = "work_refusal", "拒绝就业减发/停发本人保障金"
    FRAUD = "fraud", "骗取保障金：停发并追回"
    STANDARD = "standard", "标准调整"
    TERM_END = "term_end", "救助期满终止"
    PAYMENT = "payment", "一次性救助发放"


class BenefitChange(models.Model):
    """待遇变更记录: one change of a benefit (append-only)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("变更类型", max_length=20, choices=ChangeKind.choices)
    effective_month = models.DateField("生效月份")
    amount_before_fen = models.BigIntegerField("变更前（分）", default=0)
    amount_after_fen = models.BigIntegerField("变更后（分）")
    status_before = models.CharField(max_length=20, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices)
    reasons = models.TextField("理由")
    figures = models.JSONField("数据", default=dict, blank=True)
    source = models.CharField("依据", max_length=80, blank=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on_date = models.DateField("办理日期")

    AREA_FIELD = "benefit__region"

    class Meta:
        verbose_name = "待遇变更记录"
        ordering = ["effective_month", "at", "id"]

    @property
    def area_code(self) -> str:
        return self.benefit.region

    @property
    def needs_notice(self) -> bool:
        """A reduction or a stop is notified in writing with its reasons (NAT-DB-REVIEW)."""
        return self.status_after not in LIVE or self.amount_after_fen < self.amount_before_fen

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise ValueError("待遇变更记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # noqa: ANN002, ANN003
        raise ValueError("待遇变更记录不可删除")


class ChangeReportKind(models.TextChoices):
    DEATH = "death", "家庭成员死亡"
    MOVED = "moved", "家庭成员迁出"
    FOUND_WORK = "found_work", "家庭成员就业"
    BUSINESS = "business", "家庭成员创业"
    ILLNESS = "illness", "家庭成员患病"
    INCOME = "income", "收入变化"
    REFUSED_WORK = "refused_work", "无正当理由拒绝介绍的工作"
    OTHER = "other", "其他变化"


WORK_KINDS = (ChangeReportKind.FOUND_WORK, ChangeReportKind.BUSINESS)


class ReportedChange(models.Model):
    """家庭情况变化报告: a change reported (a member dies, moves, finds work, falls ill …)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField("变化类型", max_length=20, choices=ChangeReportKind.choices)
    person = models.ForeignKey("registry.Person", verbose_name="涉及成员", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("发生日期")
    description = models.TextField("情况说明")
    member_facts = models.JSONField("成员情况（变化后）", default=dict, blank=True)
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    reported_on = models.DateField("报告日期")

    AREA_FIELD = "benefit__region"

    class Meta:
        verbose_name = "家庭情况变化报告"
        ordering = ["-reported_on", "-id"]

    @property
    def area_code(self) -> str:
        return self.benefit.region


class TekunEndGround(models.TextChoices):
    """特困人员终止供养的事由 (NAT-TK-END, 特困人员认定办法 第二十四条)."""

    DEATH = "death", "死亡或被宣告死亡、宣告失踪"
    ABLE = "able", "具备或恢复劳动能力"
    PRISON = "prison", "依法被判处刑罚且在监狱服刑"
    MEANS = "means", "收入和财产状况不再符合条件"
    SUPPORTER = "supporter", "法定义务人具有了履行义务能力或者新增具有履行义务能力的法定义务人"
    VOLUNTARY = "voluntary", "自愿申请退出"


class Outcome(models.TextChoices):
    CONTINUE = "continue", "继续保障"
    CHANGE = "change", "调整保障金额"
    REDUCE = "reduce", "减发"
    GRADUAL_EXIT = "gradual_exit", "渐退"
    STOP = "stop", "停发"


class Review(models.Model):
    """复核: a task on the worklist (scheduled or after a reported change) and its redecision."""

    class Trigger(models.TextChoices):
        SCHEDULED = "scheduled", "定期复核"
        REPORTED = "reported", "情况变化复核"
        DEATH = "death", "成员死亡复核"

    class State(models.TextChoices):
        OPEN = "open", "待复核"
        DONE = "done", "已复核"

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="reviews")
    trigger = models.CharField("复核原因", max_length=20, choices=Trigger.choices)
    report = models.ForeignKey(ReportedChange, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="reviews")
    scheduled_for = models.DateField("应复核日期")
    due_on = models.DateField("复核期限", db_index=True)
    due_warning = models.CharField(max_length=200, blank=True)
    due_rule = models.CharField("期限依据", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField()
    outcome = models.CharField("复核结论", max_length=20, choices=Outcome.choices, blank=True)
    amount_before_fen = models.BigIntegerField(null=True, blank=True)
    amount_after_fen = models.BigIntegerField(null=True, blank=True)
    assessment = models.JSONField("政策核算（复核时）", default=dict, blank=True)
    household_document = models.JSONField("家庭情况（复核时）", default=dict, blank=True)
    reasons = models.TextField("书面理由", blank=True)
    effective_month = models.DateField("生效月份", null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "benefit__region"

    class Meta:
        verbose_name = "复核"
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["benefit", "scheduled_for", "trigger"],
                                    condition=models.Q(trigger="scheduled"), name="benefits_one_scheduled_review"),
        ]

    def __str__(self) -> str:
        return f"{self.get_trigger_display()} {self.benefit}"

    @property
    def area_code(self) -> str:
        return self.benefit.region


class Recovery(models.Model):
    """追回: benefit obtained by fraud, stopped and recovered with a fine (NAT-DB-FRAUD)."""

    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="recoveries")
    first_month = models.DateField("骗取起始月份")
    last_month = models.DateField("骗取截止月份")
    months = models.JSONField("逐月发放金额（分）")
    amount_fen = models.BigIntegerField("追回金额（分）")
    fine_multiple = models.DecimalField("罚款倍数", max_digits=4, decimal_places=2)
    fine_fen = models.BigIntegerField("罚款金额（分）")
    reasons = models.TextField("理由")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()

    AREA_FIELD = "benefit__region"

    class Meta:
        verbose_name = "追回"
        ordering = ["-decided_on", "-id"]

    @property
    def area_code(self) -> str:
        return self.benefit.region


class StandardChange(models.Model):
    """标准调整 (DB-14): a new 低保 standard for an area, the recomputation and its approval."""

    class State(models.TextChoices):
        COMPUTED = "computed", "已重新核算，待审批"
        APPROVED = "approved", "已批准"

    region = models.CharField("适用区域", max_length=12, db_index=True)
    residence = models.CharField("城乡", max_length=10, choices=[("urban", "城市"), ("rural", "农村")])
    old_standard_fen = models.BigIntegerField("现行标准（分）")
    new_standard_fen = models.BigIntegerField("新标准（分）")
    effective_from = models.DateField("执行日期")
    consumption_growth = models.DecimalField("上年城镇居民人均消费支出增长率", max_digits=8, decimal_places=6,
                                             null=True, blank=True)
    source = models.CharField("文件依据", max_length=200)
    problems = models.JSONField("未能核算的家庭", default=list, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.COMPUTED)
    started_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField(null=True, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "标准调整"
        ordering = ["-effective_from", "-id"]

    def __str__(self) -> str:
        return f"{self.region} {self.get_residence_display()}低保标准 {self.effective_from}"

    @property
    def area_code(self) -> str:
        return self.region


class RecomputedLine(models.Model):
    """One household's figures in a recomputation: current amount, new amount, the difference."""

    class Kind(models.TextChoices):
        GAIN = "gain", "增加"
        LOSS = "loss", "减少"
        STOP = "stop", "不再符合条件"
        SAME = "same", "不变"

    change = models.ForeignKey(StandardChange, on_delete=models.CASCADE, related_name="lines")
    benefit = models.ForeignKey(Benefit, on_delete=models.PROTECT, related_name="+")
    amount_before_fen = models.BigIntegerField("现发金额（分）")
    amount_after_fen = models.BigIntegerField("新标准下金额（分）")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    detail = models.TextField("核算说明", blank=True)

    class Meta:
        verbose_name = "重新核算结果"
        ordering = ["kind", "id"]

    @property
    def difference_fen(self) -> int:
        return self.amount_after_fen - self.amount_before_fen
