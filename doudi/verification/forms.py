"""Forms of the verification pages (Chinese labels); the API validates with the same forms."""

from __future__ import annotations

from typing import Any

from django import forms

from doudi.verification.kinds import kinds

DATE = forms.DateInput(attrs={"type": "date"})


class UploadForm(forms.Form):
    """上传部门数据: one file of one kind for one area, with its extraction date."""

    kind = forms.ChoiceField(label="数据类别")
    area = forms.CharField(label="数据范围（区划代码，如县 620422）", max_length=12)
    extracted_on = forms.DateField(label="数据提取日期", widget=DATE)
    file = forms.FileField(label="数据文件（CSV：UTF-8 或 GBK 编码；或 Excel .xlsx/.xls）")

    def __init__(self, *args: Any, departments: list[str] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        allowed = [k for k in kinds().values() if departments is None or k.department in departments]
        self.fields["kind"].choices = [(k.code, k.label) for k in allowed]


class ObjectionForm(forms.Form):
    objection = forms.CharField(label="申请人的异议及所附证明材料", widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="核实情况和理由", widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CheckForm(forms.Form):
    county = forms.CharField(label="县（区）代码", max_length=6)


class AskForm(forms.Form):
    """发起部门协查: the kinds of data asked of their departments for the request's members."""

    kinds = forms.MultipleChoiceField(label="协查数据类别（按部门分别发出）", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from doudi.verification.queries import askable_kinds

        self.fields["kinds"].choices = [(k.code, k.label) for k in askable_kinds()]


class AnswerForm(forms.Form):
    """答复协查: the department's file of the kind's columns, with its extraction date."""

    extracted_on = forms.DateField(label="数据提取日期", widget=DATE)
    file = forms.FileField(label="答复文件（CSV：UTF-8 或 GBK 编码；或 Excel .xlsx/.xls；无记录的上传只有表头的文件）")
    note = forms.CharField(label="说明", max_length=200, required=False)
