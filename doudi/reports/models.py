"""Statistics, complaints and the figures the supervision needs (PR-9, PR-5).

- `MonthlyFigure` 月度统计: the pre-aggregated monthly table the statistics pages read. One row per
  area (at every level: province, city, county, township, village), month, program, 城乡 and
  breakdown; written only by `figures.refresh` (the Django-Q2 job and `reports_refresh`).
- `RefreshRun`: when the table was last refreshed, how long it took, where the amounts came from.
- `Population` 常住人口: the population of a region entered as a parameter (coverage per 1,000).
- `Complaint` 投诉举报 and `ComplaintNote` 核查记录 (PR-5).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from doudi.accounts.areas import validate_region_code

USER = settings.AUTH_USER_MODEL

PROGRAMS = {"dibao": "最低生活保障", "tekun": "特困人员救助供养", "temporary": "临时救助"}
RESIDENCES = {"urban": "城镇", "rural": "农村"}


class AmountSource(models.TextChoices):
    """Where a row's amount comes from."""

    BENEFITS = "benefits", "按待遇月保障金额测算（尚无发放花名册）"
    PAYMENTS = "payments", "按实际发放记录"
    ROLLS = "rolls", "按发放花名册"
    MIXED = "mixed", "已有发放花名册的县按花名册、其余按待遇月保障金额测算"


class MonthlyFigure(models.Model):
    """月度统计: one area's figures of one month, program, 城乡 and breakdown (`dim` = "" is the total).

    Breakdowns: `class` (低保 A/B/C, DB-15), `tier` (特困 self-care, TK-2), `mode` (集中/分散, TK-5),
    `kind` (临时救助 kind, NAT-TA-KINDS). Counts of applications and the working days to decision
    (a histogram, so medians can be taken over any set of rows) are on the total rows only."""

    area = models.CharField("区域（代码前缀）", max_length=12)
    parent = models.CharField("上级区域（代码前缀）", max_length=12, blank=True)
    level = models.PositiveSmallIntegerField("层级（代码位数）")
    month = models.DateField("月份")
    program = models.CharField("救助项目", max_length=20)
    residence = models.CharField("城乡", max_length=5)
    dim = models.CharField("分组", max_length=10, blank=True)
    value = models.CharField("分组值", max_length=20, blank=True)
    households = models.BigIntegerField("户数", default=0)
    persons = models.BigIntegerField("人数", default=0)
    amount_fen = models.BigIntegerField("金额（分）", default=0)
    amount_source = models.CharField("金额来源", max_length=10, choices=AmountSource.choices,
                                     default=AmountSource.BENEFITS)
    new_households = models.BigIntegerField("新增户数", default=0)
    stopped_households = models.BigIntegerField("停保户数", default=0)
    exit_households = models.BigIntegerField("渐退期户数", default=0)
    received = models.BigIntegerField("受理申请", default=0)
    approved = models.BigIntegerField("批准", default=0)
    refused = models.BigIntegerField("不予批准", default=0)
    withdrawn = models.BigIntegerField("撤回", default=0)
    decision_days = models.JSONField("申请至决定工作日分布", default=dict, blank=True)

    AREA_FIELD = "area"

    class Meta:
        verbose_name = "月度统计"
        indexes = [models.Index(fields=["area", "month"], name="reports_fig_area_month"),
                   models.Index(fields=["parent", "month"], name="reports_fig_parent_month")]
        constraints = [models.UniqueConstraint(fields=["area", "month", "program", "residence", "dim", "value"],
                                               name="reports_figure_once")]

    @property
    def area_code(self) -> str:
        return self.area


class RefreshRun(models.Model):
    """One refresh of the monthly table: which months, when, how long, where the amounts came from."""

    first_month = models.DateField()
    last_month = models.DateField()
    started_at = models.DateTimeField()
    seconds = models.DecimalField(max_digits=10, decimal_places=2)
    rows = models.PositiveIntegerField()
    amount_source = models.CharField(max_length=10, choices=AmountSource.choices)

    class Meta:
        verbose_name = "统计刷新"
        ordering = ["-started_at", "-id"]


class Population(models.Model):
    """常住人口: a region's resident population from a date, entered by an administrator as a
    parameter (coverage per 1,000 residents); history kept, the latest in force is used."""

    region = models.CharField("区划代码", max_length=12, validators=[validate_region_code])
    effective_from = models.DateField("起始日期")
    population = models.PositiveBigIntegerField("常住人口（人）")
    source = models.CharField("来源（统计公报等）", max_length=200)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "常住人口"
        ordering = ["region", "-effective_from", "-id"]

    @property
    def area_code(self) -> str:
        return self.region


class Channel(models.TextChoices):
    PHONE = "phone", "电话"
    LETTER = "letter", "信件"
    VISIT = "visit", "来访"
    ONLINE = "online", "网络"


class SubjectKind(models.TextChoices):
    STAFF = "staff", "工作人员（含村居干部）"
    RECIPIENT = "recipient", "救助对象"
    OTHER = "other", "其他"


class ComplaintOutcome(models.TextChoices):
    FOUNDED = "founded", "属实"
    PARTLY = "partly", "部分属实"
    UNFOUNDED = "unfounded", "不属实"


class Complaint(models.Model):
    """投诉举报 (PR-5): received by any channel, about a person, answered by a user above the
    township complained about within the deadline. An anonymous reporter leaves no personal data:
    the database refuses a name, phone or address beside `anonymous`."""

    class State(models.TextChoices):
        OPEN = "open", "核查中"
        ANSWERED = "answered", "已答复"

    number = models.CharField("编号", max_length=30, unique=True)
    region = models.CharField("被投诉地区（区划代码）", max_length=12, db_index=True, validators=[validate_region_code])
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    received_on = models.DateField("收到日期")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    subject_kind = models.CharField("被投诉对象类别", max_length=10, choices=SubjectKind.choices)
    subject_name = models.CharField("被投诉对象", max_length=100)
    content = models.TextField("投诉举报内容")
    anonymous = models.BooleanField("匿名", default=False)
    reporter_name = models.CharField("举报人姓名", max_length=50, blank=True)
    reporter_phone = models.CharField("举报人电话", max_length=20, blank=True)
    reporter_address = models.CharField("举报人地址", max_length=200, blank=True)
    handler = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="complaints_handled",
                                verbose_name="承办人")
    due_on = models.DateField("答复期限")
    due_warning = models.CharField(max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    outcome = models.CharField("核查结论", max_length=10, choices=ComplaintOutcome.choices, blank=True)
    answer = models.TextField("答复意见", blank=True)
    answered_on = models.DateField("答复日期", null=True, blank=True)
    review = models.ForeignKey("benefits.Review", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name="引起的复核")
    recovery = models.ForeignKey("benefits.Recovery", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name="引起的追回")
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "投诉举报"
        ordering = ["state", "due_on", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(anonymous=False) | Q(reporter_name="", reporter_phone="", reporter_address=""),
            name="reports_anonymous_reporter_leaves_no_data")]

    def __str__(self) -> str:
        return f"{self.number} {self.get_subject_kind_display()}"

    @property
    def area_code(self) -> str:
        return self.region


class ComplaintNote(models.Model):
    """核查记录: what the handler found and did (append-only: a note is never edited)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="notes")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on_date = models.DateField("核查日期")
    text = models.TextField("核查情况")

    class Meta:
        verbose_name = "核查记录"
        ordering = ["at", "id"]

    def save(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if self.pk is not None:
            raise ValueError("核查记录不可修改")
        super().save(*args, **kwargs)
