"""受灾人员救助: events, the townships' reports (DR-2), household grants (DR-1), the stock of relief
goods with its ledger, and the funding shares of each event (DR-3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.disaster.procedure import (
    ACTION_NAMES,
    DEADLINE_NAMES,
    KIND_NAMES,
    PRIORITY_NAMES,
    STAGE_NAMES,
    STATE_NAMES,
    Action,
    DeadlineKind,
    State,
)
from doudi.procedure.models import InRegion, ProcedureCase, ProcedureEvent, choices_of

USER = settings.AUTH_USER_MODEL


class DisasterEvent(InRegion, models.Model):
    """灾情: one disaster in an area (a township, or a county for a wide one), its current stage (DR-5)."""

    number = models.CharField("灾情编号", max_length=30, unique=True)
    region = models.CharField("受灾区域", max_length=12, db_index=True)
    kind = models.CharField("灾害种类", max_length=20, choices=list(KIND_NAMES.items()))
    stage = models.CharField("救助阶段", max_length=20, choices=list(STAGE_NAMES.items()))
    occurred_at = models.DateTimeField("发生时间")
    description = models.TextField("灾情概况")
    affected_households = models.PositiveIntegerField("受灾户数（初报）", default=0)
    affected_people = models.PositiveIntegerField("受灾人数（初报）", default=0)
    collapsed_houses = models.PositiveIntegerField("倒塌房屋（间）", default=0)
    reported_at = models.DateTimeField("报送时间")
    reported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    report_late = models.BooleanField("超过2小时报送", default=False)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "灾情"
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    @property
    def occurred_on(self):
        from django.utils import timezone

        return timezone.localtime(self.occurred_at).date()


class TownshipReport(InRegion, models.Model):
    """DR-2 报灾: a township's report of a day — an event's report, or the zero report (零报告)."""

    class Kind(models.TextChoices):
        EVENT = "event", "灾情报告"
        ZERO = "zero", "零报告"

    region = models.CharField("乡镇（街道）", max_length=12, db_index=True)
    day = models.DateField("报告日")
    kind = models.CharField("报告类型", max_length=10, choices=Kind.choices)
    event = models.ForeignKey(DisasterEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    sent_at = models.DateTimeField("报送时间")
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    late = models.BooleanField("逾期", default=False)

    class Meta:
        verbose_name = "报灾记录"
        ordering = ["-day", "region", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "day"], condition=models.Q(kind="zero"),
                                               name="disaster_one_zero_report_a_day")]


class Grant(ProcedureCase):
    """受灾人员救助: one household's relief of one event and stage, through 户申、村评、乡审、县定 (DR-1).
    `region` is the household's village; `priority` the DR-4 rank shown on the village's list."""

    class Form(models.TextChoices):
        MONEY = "money", "救灾资金"
        GOODS = "goods", "救灾物资"
        BOTH = "both", "资金和物资"

    event = models.ForeignKey(DisasterEvent, verbose_name="灾情", on_delete=models.PROTECT, related_name="grants")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="disaster_grants")
    region = models.CharField("所在村（社区）", max_length=12, db_index=True)
    applicant_name = models.CharField("申请人", max_length=50)
    stage = models.CharField("救助阶段", max_length=20, choices=list(STAGE_NAMES.items()))
    state = models.CharField("状态", max_length=30, choices=choices_of(State, STATE_NAMES))
    losses = models.TextField("受灾情况")
    house_collapsed = models.BooleanField("房屋倒塌须重建", default=False)
    priority = models.PositiveSmallIntegerField("优先顺序（DR-4）", choices=list(PRIORITY_NAMES.items()), default=5)
    requested = models.TextField("申请救助内容", blank=True)
    appraisal = models.TextField("村民主评议意见", blank=True)
    review_opinion = models.TextField("乡镇审核意见", blank=True)
    form = models.CharField("救助形式", max_length=10, choices=Form.choices, blank=True)
    amount_fen = models.BigIntegerField("救助金额（分）", default=0)
    goods_item = models.ForeignKey("StockItem", verbose_name="救灾物资", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="grants")
    goods_quantity = models.PositiveIntegerField("物资数量", default=0)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("县定日期", null=True, blank=True)
    reasons = models.TextField("决定理由", blank=True)
    issued_on = models.DateField("发放日期", null=True, blank=True)
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("申请日期")
    due_kind = models.CharField("当前时限", max_length=20, blank=True, choices=choices_of(DeadlineKind, DEADLINE_NAMES))

    STATES, STATE_NAMES = State, STATE_NAMES

    class Meta:
        verbose_name = "受灾人员救助"
        ordering = ["priority", "submitted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "household", "stage"],
                                               condition=~models.Q(state__in=["refused", "withdrawn"]),
                                               name="disaster_one_grant_per_stage")]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"


class GrantEvent(ProcedureEvent):
    """办理记录 of a grant; append-only."""

    case = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=30, choices=choices_of(Action, ACTION_NAMES))

    ACTIONS, ACTION_NAMES, STATES, STATE_NAMES = Action, ACTION_NAMES, State, STATE_NAMES


class StockItem(InRegion, models.Model):
    """救灾物资库存: one kind of goods held by a county (rice, quilts, tents …)."""

    region = models.CharField("储备单位（县）", max_length=12, db_index=True)
    name = models.CharField("物资名称", max_length=50)
    unit = models.CharField("计量单位", max_length=10)
    quantity = models.PositiveIntegerField("库存数量", default=0)

    class Meta:
        verbose_name = "救灾物资"
        ordering = ["region", "name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="disaster_stock_item_once")]

    def __str__(self) -> str:
        return f"{self.name}（库存 {self.quantity} {self.unit}）"


class StockMovement(InRegion, models.Model):
    """物资台账: goods received into the stock or issued from it to a household, with the balance after."""

    class Kind(models.TextChoices):
        IN = "in", "入库"
        OUT = "out", "发放出库"

    item = models.ForeignKey(StockItem, on_delete=models.PROTECT, related_name="movements")
    region = models.CharField(max_length=12, db_index=True)
    kind = models.CharField("类型", max_length=5, choices=Kind.choices)
    quantity = models.PositiveIntegerField("数量")
    balance = models.PositiveIntegerField("结存")
    on_date = models.DateField("日期")
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    note = models.CharField("说明", max_length=200, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "物资台账"
        ordering = ["on_date", "id"]


class EventFunding(InRegion, models.Model):
    """DR-3 救灾资金分担: the event's relief funds and the shares national 70 %, city 15 %, county 15 %."""

    event = models.ForeignKey(DisasterEvent, on_delete=models.CASCADE, related_name="fundings")
    region = models.CharField(max_length=12, db_index=True)
    total_fen = models.BigIntegerField("资金总额（分）")
    national_fen = models.BigIntegerField("中央（国家）财政（分）")
    city_fen = models.BigIntegerField("市本级财政（分）")
    county_fen = models.BigIntegerField("受灾县区财政（分）")
    shares = models.JSONField("分担比例（记录时）", default=dict)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField("记录日期")

    class Meta:
        verbose_name = "救灾资金分担"
        ordering = ["recorded_on", "id"]
