"""Charity and union help: the needs board (PR-10), charities' offers, help given beside government
help (PR-10, WK-1), and the year's bought-services budget (PR-10, huining 2%)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from doudi.charity.rules import GIVERS, HELP_KINDS, NEED_CATEGORIES, SOURCES, UNION_TIERS
from doudi.procedure.models import InRegion

USER = settings.AUTH_USER_MODEL


class Need(InRegion, models.Model):
    """公开的救助需求: published with the household's consent, showing only the village and the need."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="published_needs")
    region = models.CharField("村（社区）", max_length=12, db_index=True)
    category = models.CharField("需求类别", max_length=20, choices=list(NEED_CATEGORIES.items()))
    text = models.TextField("需求内容")
    source = models.CharField("来源", max_length=10, choices=list(SOURCES.items()))
    source_ref = models.CharField("来源编号（内部）", max_length=50, blank=True)
    consent_on = models.DateField("本人同意公开日期")
    published_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    published_on = models.DateField("发布日期")
    closed_on = models.DateField("关闭日期", null=True, blank=True)

    class Meta:
        verbose_name = "公开的救助需求"
        ordering = ["closed_on", "-published_on", "-id"]


class Offer(InRegion, models.Model):
    """慈善组织认领: a charity's offer on a published need, answered by the township."""

    class Status(models.TextChoices):
        OFFERED = "offered", "待答复"
        ACCEPTED = "accepted", "已接受"
        DECLINED = "declined", "已谢绝"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="offers")
    region = models.CharField(max_length=12, db_index=True)
    organisation = models.CharField("组织名称", max_length=100)
    content = models.TextField("帮扶内容")
    amount_fen = models.BigIntegerField("金额（分）", default=0)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OFFERED)
    offered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    offered_on = models.DateField("认领日期")
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField("答复日期", null=True, blank=True)

    class Meta:
        verbose_name = "慈善认领"
        ordering = ["-offered_on", "-id"]


class Help(InRegion, models.Model):
    """社会帮扶记录: help given to a household by a charity (PR-10) or the union (WK-1), shown on the
    household file beside government help."""

    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="social_help")
    region = models.CharField(max_length=12, db_index=True)
    giver = models.CharField("帮扶方", max_length=10, choices=list(GIVERS.items()))
    organisation = models.CharField("组织名称", max_length=100)
    need = models.ForeignKey(Need, null=True, blank=True, on_delete=models.PROTECT, related_name="help")
    offer = models.ForeignKey(Offer, null=True, blank=True, on_delete=models.PROTECT, related_name="help")
    kind = models.CharField("形式", max_length=10, choices=list(HELP_KINDS.items()))
    content = models.TextField("帮扶内容")
    amount_fen = models.BigIntegerField("金额（分）", default=0)
    union_tier = models.CharField("困难职工档次（WK-1）", max_length=10, choices=list(UNION_TIERS.items()), blank=True)
    union_items = models.JSONField("帮扶项目（WK-1）", default=list, blank=True)
    given_on = models.DateField("帮扶日期")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "社会帮扶记录"
        ordering = ["-given_on", "-id"]


class ServiceBudget(InRegion, models.Model):
    """购买服务资金 (PR-10, huining): a county's year, its assistance funds and the 2 % budget."""

    region = models.CharField("县（区）", max_length=6, db_index=True)
    year = models.PositiveSmallIntegerField("年度")
    assistance_funds_fen = models.BigIntegerField("困难群众救助补助资金（分）")
    share = models.DecimalField("购买服务比例", max_digits=4, decimal_places=3)
    budget_fen = models.BigIntegerField("购买服务资金（分）")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_on = models.DateField("登记日期")

    class Meta:
        verbose_name = "购买服务资金"
        ordering = ["-year", "region"]
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="charity_budget_once_a_year")]


class BoughtService(InRegion, models.Model):
    """A service bought against the year's budget (照护、访视 …) from a social organisation."""

    budget = models.ForeignKey(ServiceBudget, on_delete=models.PROTECT, related_name="services")
    region = models.CharField(max_length=6, db_index=True)
    provider = models.CharField("服务机构", max_length=100)
    content = models.TextField("服务内容")
    amount_fen = models.BigIntegerField("金额（分）")
    on_date = models.DateField("签订日期")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "购买服务"
        ordering = ["on_date", "id"]
