"""The low-income register, warnings and their tasks (PR-7).

- ``RegisterEntry`` 低收入人口: one household (or person) in one category, how and when it entered,
  the evidence, and when and why it left. A category is entered once while open.
- ``Alert`` 预警: one rule raised for one household (or a village report about a person); its
  task for the township (deadline by level), the visit(s), one outcome, the escalation to the
  county when overdue. The same rule and key on the same household is not raised twice while open
  (a unique constraint on open warnings).
- ``Visit`` 入户走访 of a warning; photos are attachments (doudi.attachments) of the warning.
- ``Disaster`` 灾害事件 recorded in a village (应急), read by MW-DISASTER.
- ``Scan`` 扫描记录: one run of the rules over a county.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from doudi.policy.monitoring import CATEGORIES, LEVELS

USER = settings.AUTH_USER_MODEL


class Category(models.TextChoices):
    DIBAO = "dibao", CATEGORIES["dibao"]
    TEKUN = "tekun", CATEGORIES["tekun"]
    EDGE = "edge", CATEGORIES["edge"]
    RIGID = "rigid", CATEGORIES["rigid"]
    OTHER = "other", CATEGORIES["other"]
    ANTI_POVERTY = "anti_poverty", CATEGORIES["anti_poverty"]


class EntryWay(models.TextChoices):
    DECISION = "decision", "救助决定"
    RULE = "rule", "政策核算"
    WARNING = "warning", "预警处置"
    VILLAGE = "village", "村（居）报告"
    IMPORT = "import", "导入"


class RegisterEntry(models.Model):
    """低收入人口数据库的一条记录."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="low_income_entries",
                                  verbose_name="家庭")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="人员（特困按人）")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    category = models.CharField("类别", max_length=20, choices=Category.choices)
    entered_on = models.DateField("纳入日期")
    way = models.CharField("纳入方式", max_length=20, choices=EntryWay.choices)
    evidence = models.TextField("依据", blank=True)
    source = models.JSONField("来源", default=dict, blank=True)  # benefit id, rule ids, warning id …
    left_on = models.DateField("退出日期", null=True, blank=True)
    left_reason = models.CharField("退出原因", max_length=200, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = verbose_name_plural = "低收入人口"
        constraints = [models.UniqueConstraint(fields=["household", "category"], condition=Q(left_on__isnull=True),
                                               name="monitoring_one_open_entry_per_category")]
        indexes = [models.Index(fields=["region", "category"])]

    def __str__(self) -> str:
        return f"{self.household.number} {self.get_category_display()}"

    @property
    def area_code(self) -> str:
        return self.region


class Level(models.TextChoices):
    RED = "red", LEVELS["red"]
    ORANGE = "orange", LEVELS["orange"]
    YELLOW = "yellow", LEVELS["yellow"]


class State(models.TextChoices):
    OPEN = "open", "待处置"
    VISITED = "visited", "已走访"
    CLOSED = "closed", "已办结"


class Outcome(models.TextChoices):
    APPLICATION = "application", "已启动救助申请"
    REVIEW = "review", "已启动复核"
    REFERRAL = "referral", "转介其他部门或慈善帮扶"
    NO_NEED = "no_need", "经核实无需救助"
    UNREACHABLE = "unreachable", "无法联系"


OPEN_STATES = (State.OPEN, State.VISITED)


class Alert(models.Model):
    """预警 and its task."""

    rule = models.CharField("预警规则", max_length=20, db_index=True)
    level = models.CharField("预警等级", max_length=10, choices=Level.choices)
    household = models.ForeignKey("registry.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="alerts", verbose_name="家庭")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="涉及人员")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    key = models.CharField("去重键", max_length=60, default="", blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    raised_on = models.DateField("预警日期", db_index=True)
    due_on = models.DateField("处置时限")
    detail = models.TextField("预警说明")
    figures = models.JSONField("数据", default=dict, blank=True)  # sources, the decision's explanation …
    subject_name = models.CharField("报告对象姓名", max_length=50, blank=True)
    subject_id_number = models.CharField("报告对象身份证号", max_length=18, blank=True)
    reported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="报告人")
    assigned_to = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="经办人")
    escalated_on = models.DateField("逾期上报县级日期", null=True, blank=True)
    outcome = models.CharField("处置结果", max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField("处置说明", blank=True)
    linked_app = models.CharField("关联申请（应用）", max_length=40, blank=True)
    linked_pk = models.CharField("关联申请（编号）", max_length=40, blank=True)
    linked_label = models.CharField("关联申请", max_length=80, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="办结人")
    scan = models.ForeignKey("Scan", null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = verbose_name_plural = "预警"
        constraints = [models.UniqueConstraint(
            fields=["household", "rule", "key"], condition=Q(state__in=["open", "visited"], household__isnull=False),
            name="monitoring_one_open_warning")]
        indexes = [models.Index(fields=["region", "state", "level"]), models.Index(fields=["state", "due_on"]),
                   # the list's order with the area filter's column: the far pages' id query reads the index
                   # alone (SQLite walks it without a table lookup per skipped row; PostgreSQL index-only)
                   models.Index(fields=["due_on", "id", "region"], name="monitoring_alert_list_cover")]
        # PostgreSQL also has trigram (pg_trgm) indexes for the name search: migration 0004.

    def __str__(self) -> str:
        return f"预警 {self.pk} {self.rule_name}"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def rule_name(self) -> str:
        from doudi.policy.monitoring import warning_rules

        r = warning_rules().get(self.rule)
        return r.name if r else self.rule

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def who(self) -> str:
        if hasattr(self, "_head_name"):  # set for a whole page at once (lists.py)
            head = self._head_name
        else:
            head = self.household.head.name if self.household_id and self.household.head else ""
        if head or self.subject_name or not self.household_id:
            return head or self.subject_name
        from doudi.registry.models import Household

        return Household.number_of(self.household_id)  # the household's number without reading it


class Visit(models.Model):
    """入户走访."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="visits", verbose_name="预警")
    visited_on = models.DateField("走访日期")
    visitors = models.CharField("走访人员", max_length=100)
    found = models.TextField("走访情况")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="记录人")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    AREA_FIELD = "alert__region"

    class Meta:
        verbose_name = verbose_name_plural = "入户走访"
        ordering = ["visited_on", "id"]

    @property
    def area_code(self) -> str:
        return self.alert.region


class Disaster(models.Model):
    """灾害事件 of a village (应急管理部门)."""

    region = models.CharField("受灾村（社区）", max_length=12, db_index=True)
    kind = models.CharField("灾害类型", max_length=40)
    occurred_on = models.DateField("发生日期")
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")

    AREA_FIELD = "region"

    class Meta:
        verbose_name = verbose_name_plural = "灾害事件"

    @property
    def area_code(self) -> str:
        return self.region


class Scan(models.Model):
    """一次监测扫描."""

    county = models.CharField("县（区）", max_length=6)
    on_date = models.DateField("扫描日期")
    started_at = models.DateTimeField("开始时间")
    seconds = models.FloatField("用时（秒）", default=0)
    households = models.PositiveIntegerField("扫描户数", default=0)
    raised = models.JSONField("新增预警（按规则）", default=dict)
    entered = models.JSONField("新纳入（按类别）", default=dict)
    left = models.JSONField("退出（按类别）", default=dict)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    AREA_FIELD = "county"

    class Meta:
        verbose_name = verbose_name_plural = "监测扫描"

    @property
    def area_code(self) -> str:
        return self.county
