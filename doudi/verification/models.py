"""核对: department data sets and their snapshots, verification requests and reports, monthly findings.

Nothing is overwritten: a snapshot is kept by its extraction date (a second import of the same
date is refused), a report once issued is never changed (a recheck 复查 is a new request with a
new report), a finding is cleared with a reason or leads to a review, both recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.policy.identity import mask_id_number

USER = settings.AUTH_USER_MODEL


class DataSet(models.Model):
    """部门数据集: one department's data of one kind for one area (data/kinds.yaml declares the kinds)."""

    kind = models.CharField("数据类别", max_length=30)
    department = models.CharField("提供部门", max_length=20)
    area = models.CharField("数据范围（区划代码）", max_length=12, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    AREA_FIELD = "area"

    class Meta:
        verbose_name = "部门数据集"
        ordering = ["kind", "area"]
        constraints = [models.UniqueConstraint(fields=["kind", "area"], name="verification_one_dataset_per_kind_area")]

    def __str__(self) -> str:
        return f"{self.kind_label}（{self.area}）"

    @property
    def area_code(self) -> str:
        return self.area

    @property
    def kind_label(self) -> str:
        from doudi.verification.kinds import kinds

        k = kinds().get(self.kind)
        return k.label if k else self.kind


class Snapshot(models.Model):
    """数据快照: one import of a data set, by its date of extraction; never overwritten."""

    dataset = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="snapshots", verbose_name="数据集")
    extracted_on = models.DateField("数据提取日期")
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间")
    source_name = models.CharField("文件名", max_length=200)
    file_format = models.CharField("文件格式", max_length=10)
    encoding = models.CharField("文件编码", max_length=30, blank=True)
    rows = models.PositiveIntegerField("记录数")
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64)
    path = models.CharField("存储位置", max_length=300)
    ignored_columns = models.JSONField("未使用的列", default=list, blank=True)

    AREA_FIELD = "dataset__area"

    class Meta:
        verbose_name = "数据快照"
        ordering = ["-extracted_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["dataset", "extracted_on"],
                                               name="verification_one_snapshot_per_date")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.extracted_on}"

    @property
    def area_code(self) -> str:
        return self.dataset.area


class RequestState(models.TextChoices):
    REQUESTED = "requested", "待启动核对"
    STARTED = "started", "核对中"
    ISSUED = "issued", "已出具核对报告"


class VerificationRequest(models.Model):
    """核对请求: the township's 提请核对 of one application, with the applicant's authorisation (授权书);
    or a recheck (复查) after the applicant objected to a report (``recheck_of``)."""

    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="verification_requests", verbose_name="低保申请")
    case_verification = models.OneToOneField("cases.Verification", null=True, blank=True, on_delete=models.PROTECT,
                                             related_name="request", verbose_name="案件核对记录")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="家庭")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    state = models.CharField("状态", max_length=20, choices=RequestState.choices, default=RequestState.REQUESTED)
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="提请人")
    requested_on = models.DateField("提请日期")
    due_on = models.DateField("启动核对期限")
    due_warning = models.CharField(max_length=200, blank=True)
    authorisation_name = models.CharField("授权书文件名", max_length=200)
    authorisation_path = models.CharField("授权书存储位置", max_length=300)
    authorisation_type = models.CharField("授权书类型", max_length=60)
    authorisation_sha256 = models.CharField("授权书摘要", max_length=64)
    started_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField("启动核对日期", null=True, blank=True)
    recheck_of = models.ForeignKey("VerificationReport", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="rechecks", verbose_name="复查的核对报告")
    objection = models.TextField("申请人异议", blank=True)
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "核对请求"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        what = "复查" if self.recheck_of_id else "核对"
        return f"{what}请求 {self.pk}（{self.household}）"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def is_recheck(self) -> bool:
        return self.recheck_of_id is not None


class VerificationReport(models.Model):
    """核对报告: for each member and item the declared figure, the department's, the difference,
    the source snapshot and date; and the policy core's decision on both figures."""

    request = models.OneToOneField(VerificationRequest, on_delete=models.PROTECT, related_name="report")
    number = models.CharField("报告编号", max_length=40, unique=True)
    run_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="核对人")
    run_on = models.DateField("核对日期")
    issued_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField("出具日期", null=True, blank=True)
    snapshots = models.JSONField("所用数据快照", default=list)
    items = models.JSONField("核对项目", default=list)
    possible = models.JSONField("疑似匹配（未采用）", default=list)
    declared_document = models.JSONField("申报情况", default=dict)
    department_document = models.JSONField("按部门数据", default=dict)
    declared_decision = models.JSONField("按申报核算", default=dict)
    department_decision = models.JSONField("按部门数据核算", default=dict)
    changes_decision = models.BooleanField("部门数据改变核算结果", default=False)
    consistent = models.BooleanField("与申报一致", default=True)
    summary = models.TextField("核对结论")

    AREA_FIELD = "request__region"

    class Meta:
        verbose_name = "核对报告"
        ordering = ["-run_on", "-id"]

    def __str__(self) -> str:
        return f"核对报告 {self.number}"

    @property
    def area_code(self) -> str:
        return self.request.region


class FindingKind(models.TextChoices):
    """比对发现的类别 (monthly check of every recipient)."""

    DEATH = "death", "享受待遇人员死亡"
    NOT_IN_HUJI = "not_in_huji", "家庭成员已不在户籍登记中"
    VEHICLE = "vehicle", "车辆超出本地标准或未申报"
    REAL_ESTATE = "real_estate", "房产超出本地标准或未申报"
    BUSINESS = "business", "登记有市场主体"
    INCOME = "income", "按部门数据人均收入不低于低保标准"
    TWO_COUNTIES = "two_counties", "同一人在两个县（区）享受低保"
    KIN = "kin", "工作人员近亲属享受待遇（NAT-DB-KIN）"
    PENSION = "pension", "开始领取养老金（收入变化）"


class Match(models.TextChoices):
    EXACT = "exact", "身份证号一致"
    POSSIBLE = "possible", "疑似（姓名、出生日期、地区相近，待人工确认）"
    CONFIRMED = "confirmed", "疑似，已人工确认为同一人"


class FindingState(models.TextChoices):
    OPEN = "open", "待核实"
    CLEARED = "cleared", "已核实排除"
    REJECTED = "rejected", "经确认不是同一人"
    REVIEW = "review", "已启动复核"


class CheckRun(models.Model):
    """月度比对: one run of the monthly check of every recipient of a county."""

    county = models.CharField("县（区）", max_length=6, db_index=True)
    run_on = models.DateField("比对日期")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    engine = models.CharField("计算引擎", max_length=30)
    recipients = models.PositiveIntegerField("比对人数", default=0)
    counts = models.JSONField("各类发现数", default=dict)
    new_findings = models.PositiveIntegerField("新发现数", default=0)
    snapshots = models.JSONField("所用数据快照", default=list)
    notes = models.JSONField("说明", default=list)

    AREA_FIELD = "county"

    class Meta:
        verbose_name = "月度比对"
        ordering = ["-run_on", "-id"]

    @property
    def area_code(self) -> str:
        return self.county


class Finding(models.Model):
    """比对发现: a worklist task for the township, with its deadline; cleared with a reason or
    leading to a review (复核, doudi.benefits). A "possible" match is never acted on until a person
    confirms it."""

    run = models.ForeignKey(CheckRun, on_delete=models.PROTECT, related_name="findings")
    last_run = models.ForeignKey(CheckRun, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类别", max_length=20, choices=FindingKind.choices)
    match = models.CharField("匹配方式", max_length=10, choices=Match.choices, default=Match.EXACT)
    score = models.DecimalField("相似度", max_digits=5, decimal_places=3, null=True, blank=True)
    benefit = models.ForeignKey("benefits.Benefit", on_delete=models.PROTECT, related_name="findings")
    household = models.ForeignKey("registry.Household", null=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    key = models.CharField("记录标识", max_length=120)
    detail = models.TextField("情况")
    figures = models.JSONField("数据", default=dict)
    source = models.JSONField("来源", default=dict)
    due_on = models.DateField("核实期限")
    due_warning = models.CharField(max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=FindingState.choices, default=FindingState.OPEN)
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    handled_on = models.DateField(null=True, blank=True)
    reason = models.TextField("处理说明", blank=True)
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    review = models.ForeignKey("benefits.Review", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "比对发现"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["benefit", "kind", "key"], condition=models.Q(state="open"),
                                               name="verification_one_open_finding_per_record")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.person.name if self.person_id else self.household}"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def masked_person(self) -> str:
        if not self.person_id:
            return ""
        return f"{self.person.name}（{mask_id_number(self.person.id_number)}）"


class QueryState(models.TextChoices):
    OPEN = "open", "待部门答复"
    ANSWERED = "answered", "部门已答复"


class DepartmentQuery(models.Model):
    """部门协查: a question put to one department about the members of one verification request, under
    the applicant's authorisation (授权书) — e.g. a bank's balances (PR-6). The department's liaison sees
    the question (the persons' names and ID numbers, nothing of the household or the case) and answers
    with a file of the kind's columns; the answer becomes a snapshot of the village's data set, which
    the next run of the request reads like any other department data."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.PROTECT, related_name="queries",
                                verbose_name="核对请求")
    kind = models.CharField("数据类别", max_length=30)
    department = models.CharField("被协查部门", max_length=20, db_index=True)
    region = models.CharField("所属区域", max_length=12, db_index=True)
    persons = models.JSONField("协查对象", default=list)  # [{"name": …, "id_number": …}]
    asked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="发起人")
    asked_on = models.DateField("发起日期")
    state = models.CharField("状态", max_length=20, choices=QueryState.choices, default=QueryState.OPEN)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="答复人")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="答复数据")
    note = models.CharField("答复说明", max_length=200, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "部门协查"
        ordering = ["state", "asked_on", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "kind"], condition=models.Q(state="open"),
                                               name="verification_one_open_query_per_kind")]

    def __str__(self) -> str:
        return f"部门协查 {self.pk}（{self.kind_label}）"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def kind_label(self) -> str:
        from doudi.verification.kinds import kinds

        k = kinds().get(self.kind)
        return k.label if k else self.kind
