"""The smaller programs' registers and procedures: children (CH-1…CH-4), disability subsidies (DS-1, DS-2),
street-homeless rescue (ST-1), medical assistance (MA-1…MA-5), the price-linked subsidy (PL-1, NAT-PL),
education, housing and employment help (ED, HO, EM).

Every row is placed by its ``region`` (12-digit code or a prefix of it), which the area filters use.
Amounts are integer fen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.procedure.models import DecisionRecord, InRegion, ProcedureCase, ProcedureEvent, choices_of
from doudi.programs import procedure as proc
from doudi.programs.procedure import ACTION_NAMES, DEADLINE_NAMES, STATE_NAMES, Action, DeadlineKind, State

USER = settings.AUTH_USER_MODEL


def _yuan(fen: int) -> str:
    from doudi.policy.money import format_yuan

    return format_yuan(int(fen))


PARENTS = list(proc.PARENT_STATUSES)


# --- children -------------------------------------------------------------------------------------------

class ChildFile(InRegion, models.Model):
    """儿童档案 (CH-2: one file per child, updated): the child, the category, guardian and situation,
    the parents' situation that NAT-CH-ORPHAN / NAT-CH-DEFACTO read, CH-3's class of a left-behind child."""

    person = models.OneToOneField("registry.Person", verbose_name="儿童", on_delete=models.PROTECT,
                                  related_name="child_file")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="child_files")
    region = models.CharField("所在地", max_length=12, db_index=True)
    category = models.CharField("儿童类别", max_length=20, choices=list(proc.CATEGORIES))
    guardian_name = models.CharField("监护人", max_length=50, blank=True)
    guardian_relation = models.CharField("与儿童关系", max_length=20, blank=True)
    guardian_phone = models.CharField("监护人电话", max_length=20, blank=True)
    situation = models.TextField("儿童情况", blank=True)
    father_status = models.CharField("父亲情况", max_length=20, choices=PARENTS, default="normal")
    father_months = models.PositiveSmallIntegerField("父亲该情形持续月数", default=0)
    mother_status = models.CharField("母亲情况", max_length=20, choices=PARENTS, default="normal")
    mother_months = models.PositiveSmallIntegerField("母亲该情形持续月数", default=0)
    institutional = models.BooleanField("机构集中养育", default=False)
    # CH-3: the answers that class a left-behind child; the class and its help are derived from them
    lb_has_carer = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_has_carer"], null=True, blank=True)
    lb_carer_able = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_carer_able"], null=True, blank=True)
    lb_other_guardian = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_other_guardian"], null=True, blank=True)
    lb_in_school = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_in_school"], null=True, blank=True)
    lb_registered = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_registered"], null=True, blank=True)
    lb_infringed = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_infringed"], null=True, blank=True)
    lb_hardship = models.BooleanField(proc.LEFT_BEHIND_LABELS["lb_hardship"], null=True, blank=True)
    left_behind_class = models.CharField("留守儿童分类（CH-3）", max_length=20, blank=True,
                                         choices=[(k, n) for k, n, _ in proc.LEFT_BEHIND_CLASSES])
    left_behind_needs = models.JSONField("留守儿童需求及帮扶（CH-3）", default=list, blank=True)
    help_planned = models.TextField("其他帮扶措施", blank=True)
    temporary_care_on = models.DateField("临时照料起始日期", null=True, blank=True)
    temporary_care_by = models.CharField("临时照料机构", max_length=100, blank=True)
    opened_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    opened_on = models.DateField("建档日期")
    closed_on = models.DateField("销档日期", null=True, blank=True)
    close_reason = models.CharField("销档原因", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "儿童档案"
        ordering = ["region", "id"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_category_display()}）"

    @property
    def father(self) -> proc.Parent:
        return proc.Parent(self.father_status, self.father_months)

    @property
    def mother(self) -> proc.Parent:
        return proc.Parent(self.mother_status, self.mother_months)


class ChildFileChange(models.Model):
    """档案更新记录 (CH-2): what changed in a child's file, who, when (append-only)."""

    file = models.ForeignKey(ChildFile, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    on_date = models.DateField("更新日期")
    changes = models.JSONField("变化", default=list)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]


class ChildCase(ProcedureCase):
    """孤儿、事实无人抚养儿童、艾滋病病毒感染儿童基本生活保障申请 (CH-1, NAT-CH-DEFACTO): no public notice."""

    file = models.ForeignKey(ChildFile, verbose_name="儿童档案", on_delete=models.PROTECT, related_name="cases")
    region = models.CharField("所在地", max_length=12, db_index=True)
    applicant_name = models.CharField("申请人", max_length=50)
    kind = models.CharField("申请类别", max_length=20, choices=[(k, n) for k, n in proc.CATEGORIES if k in proc.PROTECTED])
    state = models.CharField("状态", max_length=30, choices=choices_of(State, STATE_NAMES))
    due_kind = models.CharField("当前时限", max_length=30, blank=True, choices=choices_of(DeadlineKind, DEADLINE_NAMES))
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("申请日期")
    checked_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_on = models.DateField("查验日期", null=True, blank=True)
    check_findings = models.TextField("查验情况", blank=True)

    STATES, STATE_NAMES = State, STATE_NAMES

    class Meta:
        verbose_name = "儿童基本生活保障申请"
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.file.person.name}"


class ChildEvent(ProcedureEvent):
    case = models.ForeignKey(ChildCase, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=30, choices=choices_of(Action, ACTION_NAMES))

    ACTIONS, ACTION_NAMES, STATES, STATE_NAMES = Action, ACTION_NAMES, State, STATE_NAMES


class ChildDecision(DecisionRecord):
    """县级确认： approved (the allowance, its first month) or refused; the policy core's decision as it was."""

    case = models.OneToOneField(ChildCase, on_delete=models.PROTECT, related_name="decision")
    approved = models.BooleanField("确认")
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("确认日期")
    amount_fen = models.BigIntegerField("月基本生活费（分）", default=0)
    start_month = models.DateField("起始发放月份", null=True, blank=True)

    AREA_FIELD = "case__region"


# --- disability subsidies ------------------------------------------------------------------------------

class DisabilityApplication(InRegion, models.Model):
    """残疾人两项补贴申请 (DS-1, NAT-DS-TWO): the subsidies asked for, the decision with the policy core's result."""

    number = models.CharField("编号", max_length=30, unique=True)
    person = models.ForeignKey("registry.Person", verbose_name="残疾人", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="disability_applications")
    region = models.CharField("所在地", max_length=12, db_index=True)
    subsidy = models.CharField("申请补贴", max_length=10, choices=list(proc.SUBSIDIES))
    state = models.CharField("状态", max_length=20, choices=list(proc.DS_STATES.items()), default="submitted")
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    submitted_on = models.DateField("申请日期")
    due_on = models.DateField("审批期限", null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    living_fen = models.BigIntegerField("生活补贴（分/月）", default=0)
    care_fen = models.BigIntegerField("护理补贴（分/月）", default=0)
    reasons = models.TextField("理由", blank=True)
    assessment = models.JSONField("政策核算（审批时）", default=dict)
    parameters = models.JSONField("参数及版本（审批时）", default=list)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "残疾人两项补贴申请"
        ordering = ["-submitted_on", "id"]


class CareNeed(InRegion, models.Model):
    """DS-2 照护需求台账： a grade 1–2 disabled 低保 recipient not in 特困， surveyed, with the service offered."""

    SERVICES = (("centralised", "集中照护"), ("home", "居家照护服务"), ("declined", "本人不需要"))
    person = models.ForeignKey("registry.Person", verbose_name="残疾人", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    grade = models.PositiveSmallIntegerField("残疾等级")
    surveyed_on = models.DateField("摸排日期")
    needs = models.TextField("照护需求")
    service = models.CharField("提供服务", max_length=20, choices=SERVICES)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "照护需求台账"
        ordering = ["region", "id"]


# --- medical assistance -----------------------------------------------------------------------------------

class SettlementImport(InRegion, models.Model):
    """一站式结算文件 (MA-3): a hospital's file of discharge bills, imported once."""

    region = models.CharField("县（区）", max_length=12, db_index=True)
    hospital = models.CharField("定点医院", max_length=100)
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    rows = models.PositiveIntegerField("行数", default=0)
    total_fen = models.BigIntegerField("救助合计（分）", default=0)

    class Meta:
        verbose_name = "一站式结算导入"
        ordering = ["-imported_at", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "sha256"], name="programs_settlement_once")]


class Reimbursement(InRegion, models.Model):
    """医疗救助 (MA-2, MA-3, NAT-MA): one bill decided through the policy core within the yearly cap."""

    settlement = models.ForeignKey(SettlementImport, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="reimbursements")
    person = models.ForeignKey("registry.Person", verbose_name="患者", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    bill_number = models.CharField("结算单号", max_length=50)
    discharged_on = models.DateField("出院日期")
    illness = models.CharField("病种", max_length=20, default="other")
    in_policy_fen = models.BigIntegerField("政策范围内个人自付（分）")
    paid_before_fen = models.BigIntegerField("本年已救助（分）")
    amount_fen = models.BigIntegerField("救助金额（分）")
    assessment = models.JSONField("政策核算", default=dict)
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = "医疗救助"
        ordering = ["discharged_on", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "bill_number"], name="programs_bill_once")]

    in_policy_yuan = property(lambda self: _yuan(self.in_policy_fen))
    paid_before_yuan = property(lambda self: _yuan(self.paid_before_fen))
    amount_yuan = property(lambda self: _yuan(self.amount_fen))


class EmergencyFundCase(InRegion, models.Model):
    """疾病应急救助 (MA-5): an emergency patient unidentified or unable to pay, covered by the fund."""

    region = models.CharField("所在地", max_length=12, db_index=True)
    hospital = models.CharField("医院", max_length=100)
    patient = models.CharField("患者（身份不明时写体貌特征）", max_length=100)
    identified = models.BooleanField("身份已明", default=False)
    admitted_on = models.DateField("入院日期")
    cost_fen = models.BigIntegerField("急救费用（分）")
    ground = models.CharField("救助情形", max_length=20, choices=[("unidentified", "身份不明"), ("unable", "无力支付")])
    state = models.CharField("状态", max_length=20, default="open",
                             choices=[("open", "待审核"), ("approved", "基金已支付"), ("refused", "不予支付")])
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "疾病应急救助"
        ordering = ["-admitted_on", "id"]

    cost_yuan = property(lambda self: _yuan(self.cost_fen))


# --- price-linked subsidy ----------------------------------------------------------------------------------------

class PriceIndex(InRegion, models.Model):
    """价格指数 (NAT-PL): the province's monthly CPI and food-CPI year-on-year rise, entered by the province."""

    region = models.CharField("省份", max_length=2, db_index=True)
    month = models.DateField("月份")
    cpi_yoy = models.DecimalField("CPI同比涨幅（%）", max_digits=5, decimal_places=2)
    food_cpi_yoy = models.DecimalField("食品CPI同比涨幅（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    published_on = models.DateField("发布日期")
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        verbose_name = "价格指数"
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="programs_one_index_per_month")]


class PriceSubsidyLine(InRegion, models.Model):
    """价格临时补贴 (PL-1, NAT-PL): one household's subsidy for one month, with the figure and the trigger."""

    index = models.ForeignKey(PriceIndex, on_delete=models.PROTECT, related_name="lines")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    month = models.DateField("月份")
    people = models.PositiveSmallIntegerField("保障人数")
    groups = models.CharField("保障对象类别", max_length=200)
    per_person_fen = models.BigIntegerField("每人补贴（分）")
    amount_fen = models.BigIntegerField("补贴金额（分）")
    figure = models.CharField("价格指数", max_length=100)
    trigger = models.CharField("启动条件", max_length=100)
    pay_by = models.DateField("发放期限")
    assessment = models.JSONField("政策核算", default=dict)

    class Meta:
        verbose_name = "价格临时补贴"
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["household", "month"], name="programs_one_price_line")]

    per_person_yuan = property(lambda self: _yuan(self.per_person_fen))
    amount_yuan = property(lambda self: _yuan(self.amount_fen))


# --- street-homeless rescue -----------------------------------------------------------------------------

class RescueCase(InRegion, models.Model):
    """流浪乞讨人员救助 (ST-1): found on patrol or come to the station; identity and family search; return or placement."""

    number = models.CharField("编号", max_length=30, unique=True)
    region = models.CharField("救助站所在地", max_length=12, db_index=True)
    name = models.CharField("姓名（自述或体貌特征）", max_length=100)
    estimated_age = models.PositiveSmallIntegerField("年龄（估计）")
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    found_how = models.CharField("来源", max_length=20, choices=[("patrol", "街面巡查发现"), ("walk_in", "主动求助进站")])
    found_on = models.DateField("进站日期")
    found_at = models.CharField("发现地点", max_length=200, blank=True)
    state = models.CharField("状态", max_length=20, choices=list(proc.RESCUE_STATES), default="in_station")
    person = models.ForeignKey("registry.Person", null=True, blank=True, verbose_name="查明身份", on_delete=models.PROTECT,
                               related_name="+")
    home_region = models.CharField("户籍地（查明后）", max_length=12, blank=True)
    returned_on = models.DateField("返乡日期", null=True, blank=True)
    receiving_told = models.TextField("接收地通知", blank=True)
    placement = models.CharField("安置", max_length=20, blank=True,
                                 choices=[("tekun", "特困人员救助供养"), ("orphan", "孤儿")])
    placement_reason = models.TextField("安置理由", blank=True)
    placement_ref = models.CharField("安置案件", max_length=60, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "流浪乞讨人员救助"
        ordering = ["-found_on", "id"]


class IdentitySearch(models.Model):
    """A search for identity or family: its kind and the external result recorded (ST-1)."""

    case = models.ForeignKey(RescueCase, on_delete=models.CASCADE, related_name="searches")
    kind = models.CharField("方式", max_length=20, choices=list(proc.SEARCH_KINDS))
    searched_on = models.DateField("日期")
    result = models.TextField("结果")
    matched = models.BooleanField("比对成功", default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["searched_on", "id"]


class ReturnNotice(InRegion, models.Model):
    """返乡接收通知 (ST-1, huining-2022 二(二)四 "帮助其及时返乡、回归家庭"): the station tells the receiving area
    (the 户籍地 region code, checked against the region list; its station or civil-affairs office) that the
    person is coming home and how; the receiving area sees it on its own worklist and page and records that
    it received the person (and what it will do). ``region`` is the receiving area, not the station's."""

    ESCORTS = (("escort", "救助管理站护送返乡"), ("family", "亲属接回"), ("ticket", "发放乘车凭证自行返乡"))
    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="return_notices")
    region = models.CharField("接收地（户籍地）区划代码", max_length=12, db_index=True)
    receiving_office = models.CharField("接收单位（救助管理站、民政部门）", max_length=100)
    receiving_contact = models.CharField("接收单位联系人及电话", max_length=100, blank=True)
    escort = models.CharField("返乡方式", max_length=10, choices=ESCORTS)
    returned_on = models.DateField("返乡日期")
    person_name = models.CharField("受助人员", max_length=100)
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")])
    estimated_age = models.PositiveSmallIntegerField("年龄（估计）")
    masked_id = models.CharField("身份证号（隐去中间位）", max_length=18, blank=True)
    sent_from = models.CharField("救助站所在地", max_length=12)
    note = models.TextField("说明", blank=True)
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField("通知日期")
    due_on = models.DateField("接收确认期限")
    acknowledged_on = models.DateField("接收确认日期", null=True, blank=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reply = models.TextField("接收地落实情况", blank=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "返乡接收通知"
        ordering = ["acknowledged_on", "due_on", "id"]

    def __str__(self) -> str:
        return f"返乡接收通知 {self.person_name}"


# --- education, housing, employment -----------------------------------------------------------------------------

class Grant(InRegion, models.Model):
    """教育救助 (ED-1…ED-3) and other decided amounts: the policy core's yearly or one-off amount, approved."""

    program = models.CharField("项目", max_length=20, default="education")
    person = models.ForeignKey("registry.Person", verbose_name="受助人", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    yearly_fen = models.BigIntegerField("年度资助（分）", default=0)
    once_fen = models.BigIntegerField("一次性资助（分）", default=0)
    rules = models.CharField("依据", max_length=100)
    assessment = models.JSONField("政策核算", default=dict)
    approved_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    approved_on = models.DateField("批准日期")

    class Meta:
        verbose_name = "教育救助"
        ordering = ["-approved_on", "id"]


class Referral(InRegion, models.Model):
    """转介合作部门 (HO-1, EM-1, EM-2, ED-3): sent to the partner department, its answer recorded."""

    kind = models.CharField("转介事项", max_length=20, choices=[(k, n) for k, n, _, _ in proc.REFERRAL_KINDS])
    person = models.ForeignKey("registry.Person", verbose_name="对象", on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    note = models.TextField("转介说明")
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField("转介日期")
    due_on = models.DateField("答复期限")
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField("答复日期", null=True, blank=True)
    answer = models.TextField("答复", blank=True)
    accepted = models.BooleanField("已落实", null=True)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "转介"
        ordering = ["-sent_on", "id"]


class EmploymentRecord(models.Model):
    """EM-1 就业援助记录： what was offered and what happened, following the person (not the household)."""

    person = models.ForeignKey("registry.Person", verbose_name="对象", on_delete=models.PROTECT,
                               related_name="employment_records")
    region = models.CharField("记录地", max_length=12, db_index=True)
    on_date = models.DateField("日期")
    service = models.CharField("援助内容", max_length=100)
    outcome = models.TextField("结果", blank=True)
    referral = models.ForeignKey(Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="records")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    AREA_FIELD = "region"

    class Meta:
        ordering = ["on_date", "id"]

    @property
    def area_code(self) -> str:
        return self.region


class HouseRenovation(InRegion, models.Model):
    """HO-2 农村危房改造： a dilapidated house of a 低保， 五保， poor disabled or poor household, with the year done."""

    GROUPS = (("dibao", "低保户"), ("wubao", "五保户（特困）"), ("disabled", "贫困残疾人家庭"), ("poor", "其他贫困户"))
    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所在地", max_length=12, db_index=True)
    group = models.CharField("对象类别", max_length=20, choices=GROUPS)
    grade = models.CharField("危房等级", max_length=2, choices=[("C", "C级"), ("D", "D级")])
    listed_on = models.DateField("列入日期")
    year_done = models.PositiveSmallIntegerField("改造完成年度", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "农村危房改造"
        ordering = ["region", "id"]
        constraints = [models.UniqueConstraint(fields=["household", "listed_on"], name="programs_one_house_listing")]
