"""The upload form (pages and API validate the same fields)."""

from __future__ import annotations

from django import forms

from doudi.attachments.models import Kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="材料类别", choices=[("", "请选择")] + list(Kind.choices))
    file = forms.FileField(label="文件（PDF、JPEG 或 PNG）", widget=forms.ClearableFileInput(
        attrs={"accept": "application/pdf,image/jpeg,image/png"}))
    note = forms.CharField(label="说明", max_length=200, required=False)
