"""Forms of the monitoring pages (Chinese labels and errors; dates as YYYY-MM-DD)."""

from __future__ import annotations

import datetime as dt

from django import forms

from doudi.monitoring.models import Outcome

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
CAMERA = forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class VisitForm(VersionForm):
    visited_on = forms.DateField(label="走访日期", widget=DATE, error_messages={"required": "请填写走访日期",
                                                                          "invalid": "走访日期应为 年-月-日"})
    visitors = forms.CharField(label="走访人员", max_length=100, error_messages={"required": "请填写走访人员"})
    found = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": "请填写走访情况"})
    photo = forms.FileField(label="照片", required=False, widget=CAMERA)


class ApplicationForm(VersionForm):
    program = forms.ChoiceField(label="救助项目", choices=[("dibao", "低保"), ("tekun", "特困人员救助供养"),
                                                        ("temporary", "临时救助")])


class CloseForm(VersionForm):
    outcome = forms.ChoiceField(label="处置结果", choices=[("", "请选择")] + [
        (o.value, o.label) for o in (Outcome.REFERRAL, Outcome.NO_NEED, Outcome.UNREACHABLE)],
        error_messages={"required": "请选择处置结果"})
    note = forms.CharField(label="处置说明（理由）", widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写处置说明（理由）"})


class LinkForm(VersionForm):
    household_id = forms.IntegerField(label="家庭编号（数字）", min_value=1,
                                      error_messages={"required": "请填写家庭编号", "invalid": "家庭编号应为数字"})


class ReportForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名"})
    id_number = forms.CharField(label="身份证号（知道时填写）", max_length=18, required=False)
    village = forms.ChoiceField(label="村（社区）")
    what = forms.CharField(label="遇到的困难", widget=forms.Textarea(attrs={"rows": 4}),
                           error_messages={"required": "请填写遇到的困难"})
    photo = forms.FileField(label="照片", required=False, widget=CAMERA)

    def __init__(self, villages, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = villages


class ScanForm(forms.Form):
    county = forms.CharField(label="县（区）代码", max_length=6, error_messages={"required": "请填写县（区）代码"})
    on = forms.DateField(label="扫描日期", required=False, widget=DATE, error_messages={"invalid": "日期应为 年-月-日"})


class MonthForm(forms.Form):
    """The figures page's month (GET): YYYY-MM, as the browser's month input sends it."""

    month = forms.RegexField(label="月份", regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                             widget=forms.TextInput(attrs={"type": "month"}),
                             error_messages={"invalid": "月份应为 年-月，如 2026-11，收到「%(value)s」"})

    def first_day(self, today: dt.date) -> dt.date:
        """The first day of the month asked for (this month when none); call after is_valid()."""
        month = self.cleaned_data.get("month")
        return dt.date.fromisoformat(month + "-01") if month else today.replace(day=1)


class DisasterForm(forms.Form):
    region = forms.CharField(label="受灾乡镇或村（社区）区划代码", max_length=12)
    kind = forms.CharField(label="灾害类型", max_length=40)
    occurred_on = forms.DateField(label="发生日期", widget=DATE, error_messages={"invalid": "日期应为 年-月-日"})
    note = forms.CharField(label="说明", max_length=200, required=False)


class EnterForm(VersionForm):
    category = forms.ChoiceField(label="类别", choices=[("other", "其他低收入"), ("anti_poverty", "防返贫监测对象")])
    evidence = forms.CharField(label="纳入依据", widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": "请填写纳入依据"})
