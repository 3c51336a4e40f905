"""Forms of the benefits pages (Chinese labels); services check everything again."""

from __future__ import annotations

from django import forms

from doudi.benefits.models import ChangeReportKind, TekunEndGround
from doudi.web.money import MoneyField

DATE = forms.DateInput(attrs={"type": "date"})
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (or a full date); its first day."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]
    widget = MONTH


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="变化类型", choices=ChangeReportKind.choices)
    person = forms.ChoiceField(label="涉及成员", required=False)
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 3}))
    wages = MoneyField(label="变化后本人月工资（元）", required=False)
    business = MoneyField(label="变化后本人月经营收入（元）", required=False)
    refused_work_offers = forms.IntegerField(label="连续无正当理由拒绝介绍工作次数", required=False, min_value=0)

    def __init__(self, *args, members=(), **kwargs):  # noqa: ANN001, ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "（不涉及具体成员）")] + [(str(p.pk), p.name) for p in members]

    def member_facts(self) -> dict:
        d = self.cleaned_data
        facts: dict = {}
        income = {k: str(d[k]) for k in ("wages", "business") if d.get(k) is not None}
        if income:
            facts["monthly_income"] = income
            facts["employed"] = d.get("wages") is not None and d["wages"] > 0
        if d.get("refused_work_offers") is not None:
            facts["refused_work_offers"] = d["refused_work_offers"]
        return facts


class ReviewDecisionForm(forms.Form):
    reasons = forms.CharField(label="书面理由", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    through_work = forms.BooleanField(label="收入增加是因为家庭成员就业或创业（渐退）", required=False)
    stop = forms.BooleanField(label="停发（如迁出本地、自愿退出）", required=False)
    ground = forms.ChoiceField(label="特困供养终止事由（仅特困）", required=False,
                               choices=[("", "—")] + TekunEndGround.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RecoveryForm(forms.Form):
    first_month = MonthField(label="骗取起始月份")
    last_month = MonthField(label="骗取截止月份")
    fine_multiple = forms.CharField(label="罚款倍数（1–3 倍）", max_length=10)
    reasons = forms.CharField(label="事实和依据", widget=forms.Textarea(attrs={"rows": 3}))


class StandardForm(forms.Form):
    region = forms.CharField(label="适用区域（省、市或县 6 位代码）", max_length=6, min_length=6)
    residence = forms.ChoiceField(label="城乡", choices=[("urban", "城市"), ("rural", "农村")])
    new_standard = forms.CharField(label="新标准（元/人·月）", max_length=12)
    effective_from = forms.DateField(label="执行日期", widget=DATE)
    consumption_growth = forms.CharField(label="上年城镇居民人均消费支出增长率（%）", required=False, max_length=12)
    source = forms.CharField(label="文件依据", max_length=200)
    consumption_spending = forms.CharField(label="上年人均消费支出（元/年，NAT-DB-STANDARD，选填）", required=False,
                                           max_length=14)
    standard_ratio = forms.CharField(label="标准占消费支出的比例（如 0.35，选填）", required=False, max_length=10)
