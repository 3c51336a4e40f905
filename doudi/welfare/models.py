"""丧葬费减免证明 (TA-5) and 困难老年人补贴 (EL-1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.procedure.models import InRegion

USER = settings.AUTH_USER_MODEL


class FuneralCertificate(InRegion, models.Model):
    """TA-5: the certificate for the funeral home that the deceased was a 低保 recipient."""

    number = models.CharField("证明编号", max_length=30, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="funeral_certificates")
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="funeral_certificates")
    region = models.CharField(max_length=12, db_index=True)
    benefit_id_ref = models.BigIntegerField("低保待遇编号")
    deceased_on = models.DateField("死亡日期")
    funeral_home = models.CharField("殡仪服务机构", max_length=100)
    issued_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField("开具日期")

    class Meta:
        verbose_name = "基本丧葬服务费用减免证明"
        ordering = ["-issued_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person"], name="welfare_one_funeral_certificate")]


class ElderlyCase(InRegion, models.Model):
    """EL-1: a household's application for the elderly allowance and its decision."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", "已受理待审批"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "不予批准"

    number = models.CharField("编号", max_length=30, unique=True)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="elderly_cases")
    region = models.CharField(max_length=12, db_index=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_on = models.DateField("受理日期")
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField("审批期限", null=True, blank=True)
    due_warning = models.CharField(max_length=200, blank=True)
    amount_fen = models.BigIntegerField("月补贴金额（分）", default=0)
    assessment = models.JSONField("核算（决定时）", default=dict)
    parameters = models.JSONField("参数（决定时）", default=list)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    reasons = models.TextField("理由", blank=True)
    benefit_ref = models.BigIntegerField("待遇编号", null=True, blank=True)

    class Meta:
        verbose_name = "困难老年人补贴"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=models.Q(state="submitted"),
                                               name="welfare_one_open_elderly_case")]
