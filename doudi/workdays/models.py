"""The calendar table: per year whether its schedule is entered, and the days that break the weekend rule."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class CalendarYear(models.Model):
    """日历年度: the State Council's holiday schedule of this year has been entered."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("来源", max_length=200, help_text="如：国务院办公厅关于2027年部分节假日安排的通知")
    entered_at = models.DateTimeField("录入时间", default=timezone.now)
    entered_by = models.CharField("录入人", max_length=150, blank=True)

    class Meta:
        verbose_name = "日历年度"
        verbose_name_plural = "日历年度"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class SpecialDay(models.Model):
    """特殊日期: a weekday that is a public holiday (is_workday False), or a weekend day
    that is a working day in lieu (调休上班, is_workday True). All other days follow the weekend rule."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否上班")
    name = models.CharField("名称", max_length=50, blank=True, help_text="如：春节、国庆节、春节调休上班")
    year = models.ForeignKey(CalendarYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度")

    class Meta:
        verbose_name = "特殊日期"
        verbose_name_plural = "特殊日期"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'} {self.name}"
