"""Forms of the payments pages (labels in Chinese; the services check and name the field)."""

from __future__ import annotations

import datetime as dt

from django import forms

from doudi.payments.banks import bank_choices, templates
from doudi.payments.models import FundLevel, HolderKind


class MonthField(forms.CharField):
    """A month written YYYY-MM (the first day of it)."""

    def clean(self, value):  # noqa: ANN001, ANN201
        text = super().clean(value)
        try:
            return dt.date.fromisoformat(f"{text.strip()[:7]}-01")
        except ValueError:
            raise forms.ValidationError(f"发放月份应写作 年-月，如 2027-01，收到「{text}」") from None


class BuildForm(forms.Form):
    county = forms.ChoiceField(label="县（区）")
    month = MonthField(label="发放月份（年-月）", max_length=7, widget=forms.TextInput(attrs={"placeholder": "2027-01"}))

    def __init__(self, counties: list[tuple[str, str]], *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = counties


class AccountForm(forms.Form):
    person = forms.ChoiceField(label="领款对象", required=False)
    holder_kind = forms.ChoiceField(label="账户类型", choices=HolderKind.choices, initial=HolderKind.SELF)
    holder_name = forms.CharField(label="户名", max_length=100)
    bank = forms.ChoiceField(label="开户银行", choices=[])
    branch = forms.CharField(label="开户网点", max_length=100, required=False)
    number = forms.CharField(label="账号", max_length=40)
    yikatong = forms.BooleanField(label="惠民惠农财政补贴资金“一卡通”", required=False)
    reason = forms.CharField(label="登记或变更原因", max_length=200, required=False)

    def __init__(self, people: list[tuple[str, str]], *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["bank"].choices = bank_choices()
        self.fields["person"].choices = [("", "本户（低保按户发放）")] + people


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200)


class ExportForm(forms.Form):
    template = forms.ChoiceField(label="银行文件模板")

    def __init__(self, *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(k, v["label"]) for k, v in templates().items()]


class ResultsForm(forms.Form):
    file = forms.FileField(label="银行回盘文件（CSV 或 Excel；GB18030 或 UTF-8）")


class BudgetForm(forms.Form):
    county = forms.ChoiceField(label="县（区）")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    program = forms.ChoiceField(label="项目", choices=[("dibao", "低保"), ("tekun", "特困"), ("price_subsidy", "价格临时补贴"),
                                                       ("temporary", "临时救助"), ("medical", "医疗救助"),
                                                       ("disaster", "自然灾害生活救助")])
    level = forms.ChoiceField(label="资金来源", choices=FundLevel.choices)
    amount = forms.DecimalField(label="预算金额（元）", min_value=0, decimal_places=2, max_digits=14)
    residents = forms.IntegerField(label="常住人口（人，MA-6 核对用）", required=False, min_value=0)
    source = forms.CharField(label="文件依据", max_length=200, required=False)

    def __init__(self, counties: list[tuple[str, str]], *args, **kwargs):  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = counties
