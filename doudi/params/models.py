"""A dated parameter value of a region: the database layer of the policy parameters."""

from __future__ import annotations

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class ParameterValue(models.Model):
    """One dated value of one parameter for one region (province, city or county), with the
    document that fixes it; in force from `effective_from` once approved by a second user."""

    class State(models.TextChoices):
        PENDING = "pending", "待审批"
        APPROVED = "approved", "已批准"
        REJECTED = "rejected", "已退回"

    parameter = models.CharField("参数", max_length=100, db_index=True)
    region = models.CharField("适用区域", max_length=6, db_index=True)
    effective_from = models.DateField("执行日期")
    value = models.JSONField("取值")  # plain data as the YAML holds it: "750.00", true, [..], null
    unit = models.CharField("单位", max_length=100, blank=True)
    document = models.CharField("文件文号", max_length=200)
    clause = models.CharField("条款", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    figures = models.JSONField("测算方法与数据", default=dict, blank=True)  # e.g. NAT-DB-STANDARD, DB-13
    origin = models.CharField("来源", max_length=100, blank=True)  # "benefits.standard#12": entered there
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    entered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField()
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    rejected_reason = models.CharField("退回理由", max_length=500, blank=True)

    AREA_FIELD = "region"

    class Meta:
        verbose_name = "政策参数取值"
        ordering = ["parameter", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["parameter", "region", "effective_from"],
                                    condition=models.Q(state="pending"), name="params_one_pending_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.parameter} {self.effective_from}"

    @property
    def area_code(self) -> str:
        return self.region

    @property
    def source(self) -> str:
        """The source a resolved value cites: 文号 and clause."""
        return f"{self.document} {self.clause}".strip()
