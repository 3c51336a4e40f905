"""资金发放 (PR-8, NAT-DB-PAY): payee accounts, the monthly roll (发放花名册), bank files, results.

- ``Account``: a payee's bank account (the 低保 household's, or a 特困 person's — his own, a
  guardian's, or the institution's in centralised support). Rows are never edited: a change is a
  new row entered by one user and confirmed by another (four eyes); the confirmed row replaces the
  old one and is used by every roll built afterwards.
- ``Roll``: one county's roll for one month; built (draft), reviewed, released by two different
  finance users; once released it is locked and a later change becomes a line of a later roll.
- ``Payment``: one bank record of a roll — the sum paid to one account; ``Line``: what it is made of
  (a benefit's month, arrears, a re-issue, a correction, a price-subsidy month, an offset recovery).
- ``Debt``: money to be recovered (an overpaid month, a fraud recovery), offset against later payments.
- ``BankExport`` / ``ResultImport``: the files exchanged with the bank (SHA-256 recorded).
- ``Budget``: a county's yearly budget of a program by fund source (资金).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class HolderKind(models.TextChoices):
    SELF = "self", "本人（本户成员）"
    GUARDIAN = "guardian", "监护人或亲属"
    INSTITUTION = "institution", "供养服务机构（集中供养）"


class AccountState(models.TextChoices):
    PENDING = "pending", "待复核"
    ACTIVE = "active", "在用"
    REPLACED = "replaced", "已更换"
    REJECTED = "rejected", "未通过复核"


class Account(models.Model):
    """收款账户: of a household (低保, ``person`` empty) or of one 特困 person (``person``)."""

    household = models.ForeignKey("registry.Household", verbose_name="家庭", on_delete=models.PROTECT,
                                  related_name="payee_accounts")
    person = models.ForeignKey("registry.Person", verbose_name="供养对象", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="payee_accounts")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    holder_kind = models.CharField("账户类型", max_length=20, choices=HolderKind.choices, default=HolderKind.SELF)
    holder_name = models.CharField("户名", max_length=100)
    bank = models.CharField("开户银行", max_length=20)
    branch = models.CharField("开户网点", max_length=100, blank=True)
    number = models.CharField("账号", max_length=32)
    yikatong = models.BooleanField("惠民惠农财政补贴资金“一卡通”", default=False)
    state = models.CharField("状态", max_length=10, choices=AccountState.choices, default=AccountState.PENDING)
    reason = models.CharField("变更原因", max_length=200, blank=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    confirmed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "收款账户"
        ordering = ["region", "id"]
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=models.Q(state="active", person__isnull=True),
                                    name="payments_one_active_household_account"),
            models.UniqueConstraint(fields=["person"], condition=models.Q(state="active", person__isnull=False),
                                    name="payments_one_active_person_account"),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} {self.bank_name} {self.masked}"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def masked(self) -> str:
        return mask_account(self.number)

    @property
    def bank_name(self) -> str:
        from doudi.payments.banks import bank_name

        return bank_name(self.bank)


def mask_account(number: str) -> str:
    """Account numbers are personal data: the first 4 and the last 4 digits, the rest as *."""
    s = str(number or "")
    return s[:4] + "*" * (len(s) - 8) + s[-4:] if len(s) > 8 else "*" * len(s)


class RollState(models.TextChoices):
    DRAFT = "draft", "已生成，待审核"
    REVIEWED = "reviewed", "已审核，待发放"
    RELEASED = "released", "已发放（锁定）"


class Roll(models.Model):
    """发放花名册: one county, one month."""

    region = models.CharField("县（区）", max_length=12, db_index=True)
    month = models.DateField("发放月份")
    state = models.CharField("状态", max_length=10, choices=RollState.choices, default=RollState.DRAFT)
    built_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    built_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    released_at = models.DateTimeField(null=True, blank=True)
    payments_count = models.PositiveIntegerField("笔数", default=0)
    total_fen = models.BigIntegerField("发放总额（分）", default=0)
    totals = models.JSONField("合计（按项目、乡镇、资金来源）", default=dict)
    warnings = models.JSONField("提示", default=list)
    seconds = models.FloatField("生成用时（秒）", default=0)
    version = models.PositiveIntegerField(default=0)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "发放花名册"
        ordering = ["-month", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="payments_one_roll_per_county_month")]

    def __str__(self) -> str:
        from doudi.accounts.areas import region_name

        return f"{region_name(self.region)} {self.month.year}年{self.month.month}月发放花名册"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def locked(self) -> bool:
        return self.state == RollState.RELEASED


class PaymentState(models.TextChoices):
    DUE = "due", "待银行回盘"
    PAID = "paid", "已入账"
    FAILED = "failed", "退票（失败）"
    NONE = "none", "不发放（抵扣后为零）"


class Payment(models.Model):
    """One bank record of a roll: the amount paid into one account (the sum of its lines)."""

    # no database constraints on the references and only the indexes that are read (see Line): a roll
    # of a million records; the roll's are the unique (roll, seq) and (roll, account)
    roll = models.ForeignKey(Roll, on_delete=models.CASCADE, related_name="payments", db_constraint=False,
                             db_index=False)
    seq = models.PositiveIntegerField("序号")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments", db_constraint=False,
                                db_index=False)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  db_constraint=False)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)
    region = models.CharField("村（社区）", max_length=12)  # read with the roll or the household (indexed there)
    payee = models.CharField("领款人", max_length=100)
    id_masked = models.CharField("身份证号（隐去）", max_length=20, blank=True)
    amount_fen = models.BigIntegerField("金额（分）")
    state = models.CharField("状态", max_length=10, choices=PaymentState.choices, default=PaymentState.DUE)
    bank_reason = models.CharField("银行回盘说明", max_length=200, blank=True)
    result_on = models.DateField("回盘日期", null=True, blank=True)
    task_due_on = models.DateField("更正账户期限", null=True, blank=True)
    task_done_at = models.DateTimeField("已更正账户", null=True, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "发放记录"
        ordering = ["roll", "seq"]
        constraints = [models.UniqueConstraint(fields=["roll", "seq"], name="payments_seq_per_roll"),
                       models.UniqueConstraint(fields=["roll", "account"], name="payments_one_record_per_account")]
        # the worklist's returned records whose account is not corrected yet: a few rows of millions
        indexes = [models.Index(fields=["region"], condition=models.Q(state="failed", task_done_at__isnull=True),
                                name="payments_payment_open_task")]

    def __str__(self) -> str:
        return f"{self.payee} {self.account.masked}"

    @property
    def area_code(self) -> str:
        return self.region


class LineKind(models.TextChoices):
    MONTHLY = "monthly", "当月"
    ARREARS = "arrears", "补发"
    REISSUE = "reissue", "退票重发"
    CORRECTION = "correction", "更正（补差）"
    OVERPAID = "overpaid", "多发扣回"
    OFFSET = "offset", "追回款抵扣"
    PRICE = "price", "价格临时补贴"
    STAGE = "stage", "临时救助分次发放"


class Line(models.Model):
    """What a payment is made of: one benefit's month (or an offset). One line per benefit, month,
    program and roll; the roll's lines for a benefit-month are what is owed minus what earlier rolls
    paid (failed records not counted), so building again gives the same lines and nothing twice.

    A stage of a temporary grant paid in stages (NAT-TA-FIRST) is a line of kind ``stage`` with its
    ``stage`` number: one such line per benefit and stage across all rolls (a returned one is
    re-issued as ``reissue``). A price-subsidy month (NAT-PL, PL-1) is the line of one computed
    ``programs.PriceSubsidyLine`` (``price_line``): paid once across all rolls, likewise."""

    # a roll's lines are read through the unique (roll, benefit, month, program, stage) index
    roll = models.ForeignKey(Roll, on_delete=models.CASCADE, related_name="lines", db_constraint=False,
                             db_index=False)
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.CASCADE, related_name="lines",
                                db_constraint=False)
    # The references carry no database constraint (db_constraint=False; Django's CASCADE / PROTECT
    # still apply, benefits, accounts, households and persons are never deleted, and a draft roll's
    # lines and records are deleted together by build_roll): PostgreSQL checks a deferred foreign key
    # at COMMIT by locking the row referred to (FOR KEY SHARE), which for a roll of a million lines
    # rewrote a million rows of each table referred to and took minutes. The build takes every
    # reference from those rows in the same statement (roll.py), so there is nothing to check. Only
    # the indexes that are read are kept (a million lines maintain each): the roll's, the record's,
    # and partial ones on the few lines with a debt, a price line or a stage.
    benefit = models.ForeignKey("benefits.Benefit", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="payment_lines", db_constraint=False, db_index=False)
    debt = models.ForeignKey("Debt", null=True, blank=True, on_delete=models.PROTECT, related_name="offsets",
                             db_index=False)
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_constraint=False,
                                db_index=False)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+",
                                  db_constraint=False, db_index=False)
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               db_constraint=False, db_index=False)
    id_masked = models.CharField("身份证号（隐去）", max_length=20, blank=True)
    region = models.CharField("村（社区）", max_length=12)
    program = models.CharField("项目", max_length=20)
    kind = models.CharField("类别", max_length=12, choices=LineKind.choices)
    for_month = models.DateField("所属月份")
    amount_fen = models.BigIntegerField("金额（分）")
    fund = models.CharField("资金来源", max_length=40, blank=True)
    rule = models.CharField("依据", max_length=80, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    stage = models.PositiveSmallIntegerField("分次发放次序", default=0)  # 0: not a stage of a temporary grant
    price_line = models.ForeignKey("programs.PriceSubsidyLine", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="payment_lines", db_index=False)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "花名册明细"
        ordering = ["roll", "payment", "for_month", "id"]
        # not partial: lines without a benefit (price months, offsets) have a NULL benefit, which a unique
        # index never counts as equal, and the index also serves every read of a roll's lines by roll
        constraints = [models.UniqueConstraint(fields=["roll", "benefit", "for_month", "program", "stage"],
                                               name="payments_one_line_per_benefit_month_stage"),
                       models.UniqueConstraint(fields=["benefit", "stage"], condition=models.Q(kind="stage"),
                                               name="payments_one_line_per_stage"),
                       models.UniqueConstraint(fields=["roll", "price_line"],
                                               condition=models.Q(price_line__isnull=False),
                                               name="payments_one_price_line_per_roll"),
                       models.UniqueConstraint(fields=["price_line"],
                                               condition=models.Q(price_line__isnull=False) & ~models.Q(kind="reissue"),
                                               name="payments_one_price_month")]
        indexes = [models.Index(fields=["benefit", "stage"], condition=models.Q(stage__gt=0),
                                name="payments_line_stage"),
                   models.Index(fields=["price_line"], condition=models.Q(price_line__isnull=False),
                                name="payments_line_price_line"),
                   models.Index(fields=["debt"], condition=models.Q(debt__isnull=False), name="payments_line_debt")]

    @property
    def area_code(self) -> str:
        return self.region


class Debt(models.Model):
    """应追回款: an overpaid month (a benefit stopped after its roll was released) or a fraud
    recovery (NAT-DB-FRAUD), offset against the same payee's later payments until repaid."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    region = models.CharField("所属区域", max_length=12, db_index=True)
    benefit = models.ForeignKey("benefits.Benefit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    source = models.CharField("来源", max_length=60, unique=True)
    amount_fen = models.BigIntegerField("应追回（分）")
    reason = models.CharField("理由", max_length=300)
    created_at = models.DateTimeField()

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "应追回款"
        ordering = ["created_at", "id"]

    @property
    def area_code(self) -> str:
        return self.region


class BankExport(models.Model):
    """A bank file written from a released roll (the file's SHA-256; the export is audited)."""

    roll = models.ForeignKey(Roll, on_delete=models.PROTECT, related_name="exports")
    template = models.CharField("银行文件模板", max_length=40)
    filename = models.CharField("文件名", max_length=120)
    sha256 = models.CharField(max_length=64)
    records = models.PositiveIntegerField("笔数")
    total_fen = models.BigIntegerField("总额（分）")
    exported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField()

    AREA_FIELD = "roll__region"

    class Meta:
        verbose_name = "银行文件"
        ordering = ["-exported_at", "-id"]


class ResultImport(models.Model):
    """A bank's result file (回盘) applied to a roll: whole file or nothing."""

    roll = models.ForeignKey(Roll, on_delete=models.PROTECT, related_name="results")
    filename = models.CharField("文件名", max_length=200)
    sha256 = models.CharField(max_length=64)
    paid = models.PositiveIntegerField("成功笔数")
    paid_fen = models.BigIntegerField("成功金额（分）")
    failed = models.PositiveIntegerField("失败笔数")
    failed_fen = models.BigIntegerField("失败金额（分）")
    imported_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()

    AREA_FIELD = "roll__region"

    class Meta:
        verbose_name = "银行回盘"
        ordering = ["-imported_at", "-id"]


class FundLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class Budget(models.Model):
    """资金预算: a county's yearly funds of one program from one level."""

    region = models.CharField("县（区）", max_length=12, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    program = models.CharField("项目", max_length=20)
    level = models.CharField("资金来源", max_length=12, choices=FundLevel.choices)
    amount_fen = models.BigIntegerField("预算（分）")
    residents = models.PositiveIntegerField("常住人口（人，用于 MA-6 核对）", null=True, blank=True)
    source = models.CharField("文件依据", max_length=200, blank=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "资金预算"
        ordering = ["-year", "region", "program", "level"]
        constraints = [models.UniqueConstraint(fields=["region", "year", "program", "level"],
                                               name="payments_one_budget_per_level")]

    @property
    def area_code(self) -> str:
        return self.region
