"""Cases: the one-window request (PR-1) and the 低保 procedure (NAT-DB-*).

States live in doudi.cases.procedure; every change of state is a `CaseEvent` row written by a
service (services.py), never a field overwritten without its row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Substr

from doudi.cases.procedure import ACTION_NAMES, DEADLINE_NAMES, STATE_NAMES, Action, DeadlineKind, State
from doudi.procedure.models import (
    DecisionRecord,
    InRegion,
    InvestigationRecord,
    ObjectionRecord,
    ProcedureCase,
    ProcedureEvent,
    SpotCheckRecord,
    SpotCheckTallyRecord,
    choices_of,
)

USER = settings.AUTH_USER_MODEL

PROGRAM_CHOICES = [
    ("dibao", "最低生活保障（低保）"),
    ("tekun", "特困人员救助供养"),
    ("temporary", "临时救助"),
    ("medical", "医疗救助"),
    ("education", "教育救助"),
    ("housing", "住房救助"),
    ("employment", "就业救助"),
    ("disability", "残疾人两项补贴"),
    ("children", "儿童福利"),
    ("unclear", "部门不明确"),
]

DEPARTMENT_CHOICES = [
    ("civil_affairs", "民政"),
    ("medical_security", "医疗保障"),
    ("education", "教育"),
    ("housing", "住房和城乡建设"),
    ("human_resources", "人力资源和社会保障"),
    ("emergency", "应急管理"),
    ("disabled_federation", "残联"),
    ("health", "卫生健康"),
    ("other", "其他"),
]

# What a department liaison's `department` may say for each department (security.md: a liaison
# sees only the transfers to its own department).
DEPARTMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "civil_affairs": ("民政",),
    "medical_security": ("医保", "医疗保障"),
    "education": ("教育",),
    "housing": ("住建", "住房和城乡建设"),
    "human_resources": ("人社", "人力资源和社会保障"),
    "emergency": ("应急", "应急管理"),
    "disabled_federation": ("残联",),
    "health": ("卫健", "卫生健康"),
    "other": ("其他",),
}


def departments_of(user_department: str) -> list[str]:
    """The department codes a liaison with this `department` text answers for."""
    text = (user_department or "").strip()
    if not text:
        return []
    return [code for code, names in DEPARTMENT_ALIASES.items() if text in names or text == code]


class WindowRequest(InRegion, models.Model):
    """一门受理登记: a request received at the township window (or reported by a village assistant)."""

    class Status(models.TextChoices):
        OPEN = "open", "待办理"
        ROUTED = "routed", "已转入本部门办理"
        TRANSFERRED = "transferred", "已转办"
        ANSWERED = "answered", "已答复"
        CLOSED = "closed", "已办结"

    class Source(models.TextChoices):
        WINDOW = "window", "窗口受理"
        VILLAGE_REPORT = "village_report", "村（居）报告"

    region = models.CharField("所属区域", max_length=12, db_index=True)
    applicant_name = models.CharField("申请人姓名", max_length=50)
    applicant_id_number = models.CharField("身份证号码", max_length=18, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    program = models.CharField("求助事项", max_length=20, choices=PROGRAM_CHOICES)
    description = models.TextField("诉求", blank=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices, default=Source.WINDOW)
    household = models.ForeignKey("registry.Household", verbose_name="家庭", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="window_requests")
    first_asked = models.ForeignKey(USER, verbose_name="首问责任人", on_delete=models.PROTECT,
                                    related_name="first_asked_requests")
    responsible = models.ForeignKey(USER, verbose_name="当前责任人", on_delete=models.PROTECT,
                                    related_name="responsible_requests")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.OPEN)
    received_at = models.DateTimeField("登记时间")
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "一门受理登记"
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.applicant_name} {self.get_program_display()}"


class Transfer(models.Model):
    """转办: a request handed to another department, with its reply deadline and answer."""

    request = models.ForeignKey(WindowRequest, on_delete=models.CASCADE, related_name="transfers")
    department = models.CharField("承办部门", max_length=30, choices=DEPARTMENT_CHOICES)
    note = models.TextField("转办说明", blank=True)
    transferred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    transferred_at = models.DateTimeField()
    reply_due = models.DateField("答复期限")
    due_warning = models.CharField(max_length=200, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    AREA_FIELD = "request__region"

    class Meta:
        verbose_name = "转办"
        ordering = ["transferred_at", "id"]


class Case(ProcedureCase):
    """低保申请 case: one household's application through the whole procedure."""

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="dibao_cases")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    applicant_name = models.CharField("申请人", max_length=50)
    request = models.OneToOneField(WindowRequest, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="case")
    state = models.CharField("状态", max_length=30, choices=choices_of(State, STATE_NAMES))
    kin = models.BooleanField("近亲属备案", default=False)
    kin_note = models.CharField("近亲属关系", max_length=200, blank=True)
    special = models.BooleanField("特殊情况（45个工作日）", default=False)
    missing_materials = models.JSONField("需补齐材料", default=list, blank=True)
    submitted_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    due_kind = models.CharField("当前时限", max_length=30, blank=True, choices=choices_of(DeadlineKind, DEADLINE_NAMES))
    overall_due_on = models.DateField("办结期限", null=True, blank=True)
    overall_due_warning = models.CharField(max_length=200, blank=True)

    STATES, STATE_NAMES = State, STATE_NAMES

    class Meta:
        verbose_name = "低保申请"
        ordering = ["due_on", "id"]
        # the case list's order (doudi.cases.lists: time limit, newest first): a page read from the index
        indexes = [
            models.Index(models.F("due_on").asc(), models.F("id").desc(), name="cases_case_list_order"),
            # the same order within one county (doudi.cases.lists filters on the code's first six digits)
            models.Index(Substr("region", 1, 6), models.F("due_on").asc(), models.F("id").desc(),
                         name="cases_case_county_order"),
            # the worklist's candidates: the open states with a step for the user, in the user's areas
            models.Index(fields=["state", "region"], opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
                         name="cases_case_state_region"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.applicant_name}"


class CaseEvent(ProcedureEvent):
    """办理记录: one change of a case (who, when, why, the figures); append-only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=30, choices=choices_of(Action, ACTION_NAMES))

    ACTIONS, ACTION_NAMES, STATES, STATE_NAMES = Action, ACTION_NAMES, State, STATE_NAMES


class Investigation(InvestigationRecord):
    """入户调查: a home visit by at least two investigators, the form signed by them and the family."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="investigations")
    round = models.PositiveSmallIntegerField("次数", default=1)
    investigators = models.ManyToManyField(USER, verbose_name="调查人员", related_name="investigations")
    visited_on = models.DateField("入户日期")
    signed_by_investigators = models.BooleanField("调查人员已签字")
    signed_by_family = models.BooleanField("申请家庭已签字")
    authorisation = models.BooleanField("已签署核对授权书")

    class Meta:
        verbose_name = "入户调查"
        ordering = ["round", "id"]


class Verification(models.Model):
    """信息核对: the township's request and the county's result (PR-6 is the verification app's)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="verifications")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    due_on = models.DateField()
    result = models.TextField("核对结果", blank=True)
    consistent = models.BooleanField("与申报一致", null=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField(null=True)

    class Meta:
        verbose_name = "信息核对"
        ordering = ["requested_on", "id"]


class Proposal(models.Model):
    """审核意见: the township's proposal, publicly noticed before it goes to the county."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proposals")
    round = models.PositiveSmallIntegerField(default=1)
    reviewer = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recommend = models.BooleanField("建议批准")
    opinion = models.TextField("审核意见")
    amount_fen = models.BigIntegerField("拟保障金额（分）")
    household_size = models.PositiveSmallIntegerField("保障人数")
    assessment = models.JSONField("政策核算")
    proposed_on = models.DateField()

    class Meta:
        verbose_name = "审核意见"
        ordering = ["round", "id"]


class PublicNotice(models.Model):
    """公示: the proposal shown in the village for 7 days (name, household size, amount only)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notices")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="notice")
    place = models.CharField("公示地点", max_length=12)
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示期满")
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "公示"
        ordering = ["starts_on", "id"]


class Objection(ObjectionRecord):
    """公示异议: an objection raised during the public notice."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.CASCADE, related_name="objections")


class Appraisal(models.Model):
    """民主评议: held only after an objection (NAT-DB-APPRAISAL)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="appraisals")
    held_on = models.DateField("评议日期")
    participants = models.PositiveSmallIntegerField("参加人数")
    result = models.TextField("评议结果")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "民主评议"


class SpotCheck(SpotCheckRecord):
    """入户抽查 (PR-3): drawn when the case reaches the county; a drawn case cannot be approved before it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="spot_checks")
    consistent = models.BooleanField("与审核意见一致", null=True)


class Decision(DecisionRecord):
    """审批决定: the county's decision, with the policy core's decision stored as it was."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", "批准"
        REFUSED = "refused", "不予批准"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    first_approver = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    first_approved_on = models.DateField(null=True, blank=True)
    second_approver = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    amount_fen = models.BigIntegerField("月保障金额（分）", default=0)
    household_size = models.PositiveSmallIntegerField("保障人数", default=0)
    payment_start = models.DateField("起始发放月份", null=True, blank=True)

    class Meta:
        verbose_name = "审批决定"


class SpotCheckTally(SpotCheckTallyRecord):
    """The running count of cases arrived at and drawn by a county in a year (PR-3 quota, locked per county)."""

    class Meta:
        verbose_name = "抽查计数"
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="cases_spot_tally_once")]


class HelpRecord(InRegion, models.Model):
    """协助记录: what a village assistant (or the window) did to help an applicant prepare (PR-2)."""

    request = models.ForeignKey(WindowRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="help")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="help")
    region = models.CharField(max_length=12, db_index=True)
    note = models.TextField("协助内容")
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "协助记录"
        ordering = ["at", "id"]
