"""Forms of temporary assistance (Chinese labels); the pages and the API validate with the same forms."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from doudi.accounts.models import User
from doudi.procedure.forms import DATE, TEXT, EmptyForm, InvestigationStepForm, StepForm, run_service
from doudi.relief import services
from doudi.relief.procedure import KIND_NAMES, MAJOR_KINDS, REFERRALS, Action, ProcedureError

MAJOR_CHOICES = [(k, KIND_NAMES[k]) for k in MAJOR_KINDS]


def _money(label: str, required: bool = False) -> forms.DecimalField:
    from doudi.web.money import MoneyField

    return MoneyField(label=label, required=required)


class StagesField(forms.CharField):
    """分次发放金额: amounts in yuan, one a line (or separated by commas); empty = one payment."""

    def __init__(self, **kwargs: Any):
        super().__init__(label="分次发放金额（元，每行一次；不填则一次发放）", required=False, widget=TEXT, **kwargs)

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value) or ""
        parts = [p for p in re.split(r"[\s,，、;；]+", text) if p]
        for p in parts:
            if not re.fullmatch(r"\d+(\.\d{1,2})?", p):
                raise forms.ValidationError(f"分次发放金额应为最多两位小数的金额（元），收到「{p}」")
        return parts


class _InvestigationFields(InvestigationStepForm):
    investigators = forms.ModelMultipleChoiceField(label="共同调查的工作人员（连同本人至少2人）", queryset=User.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    visited_on = forms.DateField(label="调查日期", widget=DATE)
    findings = forms.CharField(label="调查情况", widget=TEXT)
    signed_by_family = forms.BooleanField(label="调查表已由申请人签字", required=False)
    authorisation = forms.BooleanField(label="已签署家庭经济状况核对授权书", required=False)


class InvestigateForm(_InvestigationFields):
    people = forms.IntegerField(label="救助人数（TA-1；不填为全部家庭成员）", min_value=1, required=False)
    months = forms.IntegerField(label="困难持续月数（TA-1）", min_value=1, required=False)
    amount = _money("一事一议核定金额（元；按公式计算时不填）")
    reasoning = forms.CharField(label="核定理由", widget=TEXT, required=False)
    stages = StagesField()


class PaperworkForm(_InvestigationFields):
    pass


class ApproveForm(StepForm):
    """批准; a grant resting on a placeholder parameter needs the approver's tick (services.approve)."""

    opinion = forms.CharField(label="审批意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        self.placeholders = services.current_figures(case)["placeholders"] if case is not None else []
        if self.placeholders:
            from doudi.procedure.figures import confirm_field

            self.fields["confirm_placeholder"] = confirm_field(self.placeholders)


class RefuseForm(StepForm):
    reasons = forms.CharField(label="不予救助的理由（将书面告知申请人）", widget=TEXT)


class NotifyForm(StepForm):
    notified_on = forms.DateField(label="书面告知日期", widget=DATE)


class PayForm(StepForm):
    paid_on = forms.DateField(label="发放日期", widget=DATE, required=False)


class ReferForm(StepForm):
    to = forms.ChoiceField(label="转介至（TA-4）", choices=REFERRALS)
    note = forms.CharField(label="转介说明", widget=TEXT, required=False)


class ReasonForm(StepForm):
    reason = forms.CharField(label="原因", widget=TEXT)


STEP_FORMS: dict[Action, type[StepForm]] = {
    Action.ACCEPT: EmptyForm,
    Action.INVESTIGATE: InvestigateForm,
    Action.APPROVE: ApproveForm,
    Action.REFUSE: RefuseForm,
    Action.NOTIFY_REFUSAL: NotifyForm,
    Action.PAY_STAGE: PayForm,
    Action.COMPLETE_PAPERWORK: PaperworkForm,
    Action.REFER: ReferForm,
    Action.WITHDRAW: ReasonForm,
}


def run_step(user: Any, case: Any, action: Action, form: StepForm) -> Any:
    """Validate the form and call the service; its result, or None with the errors on the form."""
    return run_service(getattr(services, action.value), user, case, form, ProcedureError, ("paid_on",))


class _UrgentForm(forms.Form):
    """What every 先行救助登记 asks (NAT-TA-FIRST): the emergency, simplified checks, the amount
    decided case by case with its reasoning (TA-2)."""

    region = forms.CharField(label="救助地区划代码", max_length=12, required=False)
    kind = forms.ChoiceField(label="急难情形", choices=MAJOR_CHOICES)
    description = forms.CharField(label="困难情形", widget=TEXT)
    simplified_check = forms.CharField(label="简化核查情况", widget=TEXT)
    people = forms.IntegerField(label="救助人数", min_value=1, required=False)
    amount = _money("一事一议核定救助金额（元）", required=True)
    reasoning = forms.CharField(label="一事一议的理由（TA-2）", widget=TEXT)
    stages = StagesField()


class HelpFirstForm(_UrgentForm):
    """先行救助登记 (NAT-TA-FIRST) of a household in the registry."""

    field_order = ["household_id"]

    household_id = forms.IntegerField(label="家庭（数据库编号）", min_value=1, widget=forms.HiddenInput)
    region = forms.CharField(label="救助地区划代码（急难发生地；不填为户籍所在地）", max_length=12, required=False)
    simplified_check = forms.CharField(label="简化核查情况（如村委会证明、现场查看）", widget=TEXT)


class HelpFirstPersonForm(_UrgentForm):
    """先行救助登记 by ID number (NAT-TA-FIRST: where the emergency happens, regardless of household
    registration): a person registered in another area, or not registered at all."""

    field_order = ["id_number", "name", "home_region", "residence"]

    id_number = forms.CharField(label="救助对象身份证号", max_length=30)
    name = forms.CharField(label="救助对象姓名", max_length=50)
    home_region = forms.CharField(label="户籍地区划代码（以户口簿为准；已在系统登记家庭的可不填）", max_length=12, required=False)
    residence = forms.ChoiceField(label="城乡类别（已在系统登记家庭的可不选）", required=False,
                                  choices=[("", "—"), ("urban", "城镇"), ("rural", "农村")])
    region = forms.CharField(label="急难发生地区划代码（不填为本人所在乡镇）", max_length=12, required=False)
    simplified_check = forms.CharField(label="简化核查情况（如现场查看、公安或医院证明）", widget=TEXT)


class NoticeForm(forms.Form):
    """户籍地知悉: what the home township will do."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reply = forms.CharField(label="户籍地处理情况（如已联系家属、纳入低保排查）", widget=TEXT)


class SubmitForm(forms.Form):
    """临时救助申请 (支出型, the normal path)."""

    household_id = forms.IntegerField(label="家庭（数据库编号）", min_value=1, widget=forms.HiddenInput)
    region = forms.CharField(label="救助地区划代码（不填为户籍所在地）", max_length=12, required=False)
    kind = forms.ChoiceField(label="困难类型", choices=list(KIND_NAMES.items()), initial="general")
    description = forms.CharField(label="困难情形（医疗、教育等刚性支出）", widget=TEXT)


class FollowUpForm(forms.Form):
    """跟踪回访 (TA-6)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    situation = forms.CharField(label="当前状况", widget=TEXT)
    action_taken = forms.CharField(label="采取措施", widget=TEXT, required=False)
    on_date = forms.DateField(label="回访日期", widget=DATE, required=False)
    close = forms.BooleanField(label="困难已解除，销号", required=False)
    closing_note = forms.CharField(label="销号说明", widget=TEXT, required=False)
