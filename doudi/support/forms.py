"""Forms of each 特困 step (Chinese labels); the pages and the API validate with the same forms.

`STEP_FORMS[action]` gives the form class; `run_step(user, case, action, form)` calls the service
of the same name; a ProcedureError goes back on the form under the field it names.
"""

from __future__ import annotations

from typing import Any

from django import forms

from doudi.accounts.models import User
from doudi.procedure.forms import DATE, TEXT, EmptyForm, InvestigationStepForm, StepForm, bool_choice, run_service
from doudi.support import services
from doudi.support.procedure import MODES, PROPOSABLE_GROUNDS, TASKS, Action, ProcedureError
from doudi.web.money import MoneyField


def _tasks(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=TASKS, required=False, widget=forms.CheckboxSelectMultiple)


class InvestigateForm(InvestigationStepForm):
    investigators = forms.ModelMultipleChoiceField(label="共同入户的调查人员（连同本人至少2人）", queryset=User.objects.none(),
                                                   widget=forms.CheckboxSelectMultiple)
    visited_on = forms.DateField(label="入户日期", widget=DATE)
    findings = forms.CharField(label="调查情况（劳动能力、生活来源、法定义务人）", widget=TEXT)
    unable = _tasks("生活自理能力评估：不能独立完成的日常活动（吃饭、穿衣、上下床、如厕、室内行走、洗澡）")
    mode = forms.ChoiceField(label="本人选择的供养方式", choices=MODES, widget=forms.RadioSelect)


class ProposeForm(StepForm):
    recommend = bool_choice("建议认定为特困人员")
    opinion = forms.CharField(label="初审意见", widget=TEXT)


class ObjectionForm(StepForm):
    content = forms.CharField(label="异议内容", widget=TEXT)
    received_on = forms.DateField(label="收到日期", widget=DATE, required=False)


class ReasonForm(StepForm):
    reason = forms.CharField(label="原因", widget=TEXT)


class SpotCheckForm(StepForm):
    visited_on = forms.DateField(label="抽查入户日期", widget=DATE)
    findings = forms.CharField(label="抽查情况", widget=TEXT)
    consistent = bool_choice("与初审意见一致")


class ApproveForm(StepForm):
    """批准认定; an amount resting on a placeholder parameter needs the approver's tick (services.approve)."""

    opinion = forms.CharField(label="审批意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        self.placeholders = services.current_figures(case)["placeholders"] if case is not None else []
        if self.placeholders:
            from doudi.procedure.figures import confirm_field

            self.fields["confirm_placeholder"] = confirm_field(self.placeholders)


class RefuseForm(StepForm):
    reasons = forms.CharField(label="不予认定的理由（将书面告知申请人）", widget=TEXT)


class NotifyForm(StepForm):
    notified_on = forms.DateField(label="书面告知日期", widget=DATE)


class ReportChangeForm(StepForm):
    note = forms.CharField(label="生活自理能力的变化情况", widget=TEXT)
    reported_on = forms.DateField(label="报告日期", widget=DATE, required=False)


class ReassessForm(StepForm):
    unable = _tasks("重新评估：不能独立完成的日常活动")
    assessors = forms.CharField(label="评估人员", max_length=200, required=False)
    assessed_on = forms.DateField(label="评估日期", widget=DATE, required=False)


class AgreementForm(StepForm):
    guardian_name = forms.CharField(label="照料人姓名", max_length=50)
    guardian_phone = forms.CharField(label="照料人电话", max_length=20, required=False)
    relation = forms.CharField(label="与供养对象关系", max_length=30, required=False)
    duties = forms.CharField(label="照料职责（每行一项）", widget=TEXT)
    signed_on = forms.DateField(label="签订日期", widget=DATE, required=False)

    def clean_duties(self) -> list[str]:
        items = [x.strip() for x in self.cleaned_data["duties"].splitlines() if x.strip()]
        if not items:
            raise forms.ValidationError("请至少写明一项照料职责")
        return items


class ReplaceGuardianForm(AgreementForm):
    reason = forms.CharField(label="更换原因（原照料人未履行的职责）", widget=TEXT)

    field_order = ["reason", "guardian_name", "guardian_phone", "relation", "duties", "signed_on"]


class VisitForm(StepForm):
    visited_on = forms.DateField(label="探访日期", widget=DATE)
    findings = forms.CharField(label="探访情况", widget=TEXT)
    duties_met = bool_choice("照料人履行了协议职责")


class NecessitiesForm(StepForm):
    items = forms.CharField(label="发放的生活必需品（缺什么补什么）", widget=TEXT)
    amount = MoneyField(label="金额（元）", max_digits=10, required=False)
    given_on = forms.DateField(label="发放日期", widget=DATE, required=False)


class TerminationForm(StepForm):
    ground = forms.ChoiceField(label="终止事由", choices=PROPOSABLE_GROUNDS)
    facts = forms.CharField(label="事实与理由", widget=TEXT)


class TerminateForm(StepForm):
    opinion = forms.CharField(label="终止决定意见", widget=TEXT, required=False)


STEP_FORMS: dict[Action, type[StepForm]] = {
    Action.ACCEPT: EmptyForm,
    Action.INVESTIGATE: InvestigateForm,
    Action.PROPOSE: ProposeForm,
    Action.RECORD_OBJECTION: ObjectionForm,
    Action.CLOSE_NOTICE: EmptyForm,
    Action.REINVESTIGATE: ReasonForm,
    Action.RECORD_SPOT_CHECK: SpotCheckForm,
    Action.APPROVE: ApproveForm,
    Action.REFUSE: RefuseForm,
    Action.NOTIFY_REFUSAL: NotifyForm,
    Action.WITHDRAW: ReasonForm,
    Action.REPORT_CHANGE: ReportChangeForm,
    Action.REASSESS: ReassessForm,
    Action.SIGN_AGREEMENT: AgreementForm,
    Action.RECORD_VISIT: VisitForm,
    Action.REPLACE_GUARDIAN: ReplaceGuardianForm,
    Action.RECORD_NECESSITIES: NecessitiesForm,
    Action.PROPOSE_TERMINATION: TerminationForm,
    Action.TERMINATE: TerminateForm,
}


def run_step(user: Any, case: Any, action: Action, form: StepForm) -> Any:
    """Validate the form and call the service; the service's result, or None with errors on the form."""
    return run_service(getattr(services, action.value), user, case, form, ProcedureError,
                       ("received_on", "reported_on", "assessed_on", "signed_on", "given_on"))


class SubmitForm(forms.Form):
    """登记特困人员认定申请: a registered household and the member who applies."""

    household_id = forms.IntegerField(label="家庭（数据库编号）", min_value=1, widget=forms.HiddenInput)
    person_id = forms.TypedChoiceField(label="申请人", coerce=int, choices=[], widget=forms.RadioSelect)

    def __init__(self, *args: Any, household: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.initial.setdefault("household_id", household.pk)
            self.fields["person_id"].choices = [
                (m.person.pk, f"{m.person.name}({m.get_relation_display()},{m.person.masked_id})")
                for m in household.memberships.filter(end__isnull=True).select_related("person")]
