from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"})
DATE_ERRORS = {"invalid": "执行日期应为 年-月-日，如 2026-07-01", "required": "请填写执行日期"}


class ShowForm(forms.Form):
    region = forms.CharField(label="区域代码", max_length=6, required=False)
    on = forms.DateField(label="日期", required=False, widget=DATE,
                         error_messages={"invalid": "日期应为 年-月-日，如 2026-07-01"})
    residence = forms.ChoiceField(label="城乡", choices=[("urban", "城市"), ("rural", "农村")], required=False)


class ValueForm(forms.Form):
    """A new dated value; services.enter checks the value against the parameter's unit and bounds."""

    parameter = forms.CharField(label="参数", max_length=100, error_messages={"required": "请选择参数"})
    region = forms.CharField(label="适用区域（省、市或县 6 位代码）", max_length=6,
                             error_messages={"required": "请填写适用区域代码"})
    effective_from = forms.DateField(label="执行日期", widget=DATE, error_messages=DATE_ERRORS)
    value = forms.CharField(label="新取值", max_length=2000, required=False)
    document = forms.CharField(label="文件文号", max_length=200, error_messages={"required": "请填写文件文号"})
    clause = forms.CharField(label="条款", max_length=100, required=False)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500, error_messages={"required": "请填写退回理由"})
