"""Forms of each step (Chinese labels); the web pages and the API validate with the same forms.

`STEP_FORMS[action]` gives the form class; `run_step(user, case, action, form)` calls the
service of the same name with the cleaned data. A ProcedureError is put back on the form under
the field it names, so that the page shows it beside what the user typed.
"""

from __future__ import annotations

from typing import Any

from django import forms

from doudi.accounts.models import User
from doudi.cases import services
from doudi.cases.models import DEPARTMENT_CHOICES, PROGRAM_CHOICES
from doudi.cases.procedure import Action, ProcedureError
from doudi.procedure.forms import DATE, EmptyForm, InvestigationStepForm, StepForm, bool_choice, run_service


class AskForMaterialsForm(StepForm):
    materials = forms.CharField(label="需补齐的材料（一次性告知，每行一项）", widget=forms.Textarea(attrs={"rows": 4}))

    def clean_materials(self) -> list[str]:
        items = [x.strip() for x in self.cleaned_data["materials"].splitlines() if x.strip()]
        if not items:
            raise forms.ValidationError("请至少列出一项需补齐的材料")
        return items


class AcceptForm(StepForm):
    kin = forms.BooleanField(label="申请人是经办人员或村（居）委会成员的近亲属（备案）", required=False)
    kin_note = forms.CharField(label="近亲属关系说明", required=False, max_length=200)
    special = forms.BooleanField(label="特殊情况（办理时限45个工作日）", required=False)


class InvestigateForm(InvestigationStepForm):
    investigators = forms.ModelMultipleChoiceField(label="调查人员（至少2人）", queryset=User.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    visited_on = forms.DateField(label="入户日期", widget=DATE)
    findings = forms.CharField(label="调查情况", widget=forms.Textarea(attrs={"rows": 4}))
    signed_by_investigators = forms.BooleanField(label="调查表已由调查人员签字", required=False)
    signed_by_family = forms.BooleanField(label="调查表已由申请家庭签字", required=False)
    authorisation = forms.BooleanField(label="申请人已签署家庭经济状况核对授权书", required=False)


class RequestVerificationForm(StepForm):
    authorisation = forms.FileField(label="申请人签署的家庭经济状况核对授权书（扫描件：PDF 或 JPG、PNG）", required=False)


class RecordVerificationForm(StepForm):
    result = forms.CharField(label="核对结果", widget=forms.Textarea(attrs={"rows": 3}))
    consistent = bool_choice("核对结果与申报一致")


class ProposeForm(StepForm):
    recommend = bool_choice("审核意见：建议批准")
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}))


class RecordObjectionForm(StepForm):
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 3}))
    received_on = forms.DateField(label="收到日期", widget=DATE, required=False)


class ReinvestigateForm(StepForm):
    reason = forms.CharField(label="重新调查的原因", widget=forms.Textarea(attrs={"rows": 2}))


class HoldAppraisalForm(StepForm):
    held_on = forms.DateField(label="评议日期", widget=DATE)
    participants = forms.IntegerField(label="参加人数", min_value=1)
    result = forms.CharField(label="评议结果", widget=forms.Textarea(attrs={"rows": 3}))


class RecordSpotCheckForm(StepForm):
    visited_on = forms.DateField(label="抽查入户日期", widget=DATE)
    findings = forms.CharField(label="抽查情况", widget=forms.Textarea(attrs={"rows": 3}))
    consistent = bool_choice("与乡镇审核意见一致")


class ApproveForm(StepForm):
    """批准; when the amount rests on a placeholder parameter, the approver must tick that it was seen
    (services.approve refuses the approval without it, after its other checks)."""

    opinion = forms.CharField(label="审批意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        self.placeholders = services.current_figures(case)["placeholders"] if case is not None else []
        if self.placeholders:
            names = "、".join(f"「{x}」" for x in self.placeholders)
            self.fields["confirm_placeholder"] = forms.BooleanField(
                label=f"我已知悉：本决定的金额依据占位参数{names}（地方标准尚未录入），确认按此批准", required=False)


class RefuseForm(StepForm):
    reasons = forms.CharField(label="不予批准的理由（将书面告知申请人）", widget=forms.Textarea(attrs={"rows": 3}))


class NotifyRefusalForm(StepForm):
    notified_on = forms.DateField(label="书面告知送达日期", widget=DATE)


class WithdrawForm(StepForm):
    reason = forms.CharField(label="撤回原因", widget=forms.Textarea(attrs={"rows": 2}))


STEP_FORMS: dict[Action, type[StepForm]] = {
    Action.ASK_FOR_MATERIALS: AskForMaterialsForm,
    Action.RESUBMIT: EmptyForm,
    Action.ACCEPT: AcceptForm,
    Action.INVESTIGATE: InvestigateForm,
    Action.REQUEST_VERIFICATION: RequestVerificationForm,
    Action.RECORD_VERIFICATION: RecordVerificationForm,
    Action.PROPOSE: ProposeForm,
    Action.RECORD_OBJECTION: RecordObjectionForm,
    Action.CLOSE_NOTICE: EmptyForm,
    Action.REINVESTIGATE: ReinvestigateForm,
    Action.HOLD_APPRAISAL: HoldAppraisalForm,
    Action.RECORD_SPOT_CHECK: RecordSpotCheckForm,
    Action.APPROVE: ApproveForm,
    Action.REFUSE: RefuseForm,
    Action.NOTIFY_REFUSAL: NotifyRefusalForm,
    Action.WITHDRAW: WithdrawForm,
}


def run_step(user: Any, case: Any, action: Action, form: StepForm) -> Any:
    """Validate the form and call the service; returns the service's result or None (errors on the form).
    Investigators (only the investigation's form has them) go as their ids."""
    return run_service(getattr(services, action.value), user, case, form, ProcedureError)


class WindowRequestForm(forms.Form):
    """一门受理登记."""

    applicant_name = forms.CharField(label="申请人姓名", max_length=50)
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    region = forms.CharField(label="所属区域（村/社区区划代码）", max_length=12, required=False)
    household_id = forms.IntegerField(label="已登记的家庭（未登记的可不选）", required=False, min_value=1)
    program = forms.ChoiceField(label="求助事项", choices=PROGRAM_CHOICES)
    description = forms.CharField(label="诉求", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean_region(self) -> str:
        from doudi.accounts.areas import validate_region_code

        code = (self.cleaned_data.get("region") or "").strip()
        if code:
            validate_region_code(code)
        return code

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("region") and not data.get("household_id") and "region" not in self.errors:
            self.add_error("region", "请填写所属区域，或查找并选择已登记的家庭")
        return data


class RouteForm(forms.Form):
    kin = forms.BooleanField(label="申请人是经办人员或村（居）委会成员的近亲属（备案）", required=False)
    kin_note = forms.CharField(label="近亲属关系说明", required=False, max_length=200)
    special = forms.BooleanField(label="特殊情况（办理时限45个工作日）", required=False)


class TransferForm(forms.Form):
    department = forms.ChoiceField(label="转办部门", choices=DEPARTMENT_CHOICES)
    note = forms.CharField(label="转办说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(forms.Form):
    household_id = forms.IntegerField(label="申请家庭", min_value=1,
                                      error_messages={"required": "请查找并选择申请的家庭"})
    kin = forms.BooleanField(label="近亲属备案", required=False)
    kin_note = forms.CharField(label="近亲属关系说明", required=False, max_length=200)
    special = forms.BooleanField(label="特殊情况（办理时限45个工作日）", required=False)


class HelpForm(forms.Form):
    """协助记录 on a case page (a village assistant or the window): what help was given."""

    note = forms.CharField(label="协助内容", widget=forms.Textarea(attrs={"rows": 2}))
