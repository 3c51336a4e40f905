"""Registry forms: labels and messages in Chinese; a refused form keeps what the user typed."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError

from doudi.accounts.areas import validate_region_code
from doudi.registry.models import EndReason, KinKind, Relation, Residence, validate_id_number


class ChineseErrorsMixin:
    """Adds ``error_summary``: each error as “字段名：说明”."""

    def error_summary(self) -> list[str]:
        out = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            out.extend(f"{label}：{e}" if label else str(e) for e in errors)
        return out

    def add_service_errors(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class SearchForm(forms.Form):
    q = forms.CharField(label="姓名、拼音首字母或身份证号", required=False, max_length=40)


def validate_village_code(code: str) -> None:
    """A household lives in a village (社区): its code has 12 digits, and is a known one."""
    if not (len(code) == 12 and code.isdigit()):
        raise forms.ValidationError(f"所在地区划代码应为 12 位村（社区）代码，收到「{code}」（{len(code)} 位）")
    validate_region_code(code)


class HouseholdForm(ChineseErrorsMixin, forms.Form):
    region_code = forms.CharField(label="所在地区划代码", max_length=12, validators=[validate_village_code],
                                  help_text="12 位村（社区）代码")
    residence = forms.ChoiceField(label="城乡类别", choices=Residence.choices)
    address = forms.CharField(label="住址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    head_name = forms.CharField(label="户主姓名", max_length=50)
    head_id_number = forms.CharField(label="户主身份证号", max_length=18, validators=[validate_id_number])
    head_ethnic_minority = forms.BooleanField(label="户主为少数民族", required=False)
    start = forms.DateField(label="共同生活起始日期", initial=dt.date.today,
                            widget=forms.DateInput(attrs={"type": "date"}))


class MemberForm(ChineseErrorsMixin, forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18, validators=[validate_id_number])
    relation = forms.ChoiceField(label="与户主关系", choices=[c for c in Relation.choices if c[0] != "self"])
    ethnic_minority = forms.BooleanField(label="少数民族", required=False)
    start = forms.DateField(label="共同生活起始日期", initial=dt.date.today,
                            widget=forms.DateInput(attrs={"type": "date"}))


class EndMembershipForm(ChineseErrorsMixin, forms.Form):
    """成员迁出: the day and the reason (死亡 / 迁出 / 其他); a death or move starts a benefit review."""

    end = forms.DateField(label="终止日期（死亡或迁出之日）", initial=dt.date.today,
                          widget=forms.DateInput(attrs={"type": "date"}))
    end_reason = forms.ChoiceField(label="终止原因", choices=EndReason.choices)
    note = forms.CharField(label="说明", max_length=200, required=False)


class RevealForm(ChineseErrorsMixin, forms.Form):
    reason = forms.CharField(label="查看事由", max_length=200)


class HouseholdEditForm(ChineseErrorsMixin, forms.Form):
    residence = forms.ChoiceField(label="城乡类别", choices=Residence.choices)
    address = forms.CharField(label="住址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, label="版本")


class KinForm(ChineseErrorsMixin, forms.Form):
    """登记亲属关系: a current member and their relative (living elsewhere)."""

    person = forms.TypedChoiceField(label="本户成员", coerce=int)
    relative_name = forms.CharField(label="亲属姓名", max_length=50)
    relative_id_number = forms.CharField(label="亲属身份证号", max_length=18, validators=[validate_id_number])
    kind = forms.ChoiceField(label="亲属是该成员的", choices=KinKind.choices)

    def __init__(self, *args, members=(), **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.name) for p in members]


class KinDecisionForm(ChineseErrorsMixin, forms.Form):
    decision = forms.ChoiceField(label="处理", choices=[("consent", "同意"), ("refuse", "拒绝")])
    note = forms.CharField(label="处理意见", max_length=200, required=False)
