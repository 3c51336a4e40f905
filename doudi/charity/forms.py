"""Forms of the needs board and social help (Chinese labels)."""

from __future__ import annotations

from django import forms

from doudi.charity import rules
from doudi.procedure.forms import DATE, TEXT


def _money(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=0, required=False)


class NeedForm(forms.Form):
    household_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    category = forms.ChoiceField(label="需求类别", choices=list(rules.NEED_CATEGORIES.items()))
    text = forms.CharField(label="需求内容（只写需求，不写姓名、身份证号、住址）", widget=TEXT)
    source = forms.ChoiceField(label="来源", choices=list(rules.SOURCES.items()))
    source_ref = forms.CharField(label="来源编号（案件或预警编号，内部可见）", max_length=50, required=False)
    consent = forms.BooleanField(label="本人（家庭）已同意公开需求", required=False)
    consent_on = forms.DateField(label="同意日期", widget=DATE, required=False)


class OfferForm(forms.Form):
    content = forms.CharField(label="帮扶内容", widget=TEXT)
    amount = _money("金额（元，可不填）")


class CharityHelpForm(forms.Form):
    kind = forms.ChoiceField(label="形式", choices=list(rules.HELP_KINDS.items()))
    content = forms.CharField(label="帮扶内容", widget=TEXT)
    amount = _money("金额（元，可不填）")
    given_on = forms.DateField(label="帮扶日期", widget=DATE, required=False)


class HelpForm(CharityHelpForm):
    """The township records union (WK-1) or charity help on the household file."""

    field_order = ["household_id", "giver", "organisation", "union_tier", "union_items"]
    household_id = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    giver = forms.ChoiceField(label="帮扶方", choices=list(rules.GIVERS.items()))
    organisation = forms.CharField(label="帮扶组织名称（如县总工会、县慈善总会）", max_length=100)
    union_tier = forms.ChoiceField(label="困难职工档次（工会帮扶，WK-1）", required=False,
                                   choices=[("", "—"), *rules.UNION_TIERS.items()])
    union_items = forms.MultipleChoiceField(label="帮扶项目（工会帮扶）", required=False, choices=list(rules.UNION_ITEMS.items()),
                                            widget=forms.CheckboxSelectMultiple)


class BudgetForm(forms.Form):
    region = forms.CharField(label="县（区）6位区划代码", max_length=6)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    assistance_funds = forms.DecimalField(label="困难群众救助补助资金（元）", max_digits=16, decimal_places=2, min_value=0)


class ServiceForm(forms.Form):
    provider = forms.CharField(label="服务机构", max_length=100)
    content = forms.CharField(label="服务内容", widget=TEXT)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2, min_value=0)
