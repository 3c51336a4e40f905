"""Forms of disaster relief (Chinese labels); the pages validate with them, the services check again."""

from __future__ import annotations

from typing import Any

from django import forms

from doudi.disaster import services
from doudi.disaster.models import StockItem
from doudi.disaster.procedure import KIND_NAMES, STAGE_NAMES, Action, ProcedureError
from doudi.procedure.forms import DATE, TEXT, StepForm, run_service

STAGES = list(STAGE_NAMES.items())
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.Form):
    """报灾 (DR-2)."""

    region = forms.CharField(label="受灾区域（乡镇9位或村12位区划代码）", max_length=12)
    kind = forms.ChoiceField(label="灾害种类", choices=list(KIND_NAMES.items()))
    stage = forms.ChoiceField(label="救助阶段（DR-5）", choices=STAGES)
    occurred_at = forms.DateTimeField(label="发生时间", widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    description = forms.CharField(label="灾情概况", widget=TEXT)
    affected_households = forms.IntegerField(label="受灾户数", min_value=0, required=False)
    affected_people = forms.IntegerField(label="受灾人数", min_value=0, required=False)
    collapsed_houses = forms.IntegerField(label="倒塌房屋（间）", min_value=0, required=False)


class ZeroReportForm(forms.Form):
    """零报告 (DR-2)."""

    township = forms.CharField(label="乡镇（街道）区划代码", max_length=9)
    day = forms.DateField(label="报告日", widget=DATE)


class StageForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    stage = forms.ChoiceField(label="救助阶段（DR-5）", choices=STAGES)


class FundingForm(forms.Form):
    """DR-3 救灾资金分担."""

    total = forms.DecimalField(label="救灾资金总额（元）", max_digits=14, decimal_places=2, min_value=0)
    note = forms.CharField(label="说明（文号等）", max_length=200, required=False)


class StockForm(forms.Form):
    """物资入库."""

    region = forms.CharField(label="储备单位（县6位区划代码）", max_length=6)
    name = forms.CharField(label="物资名称", max_length=50)
    unit = forms.CharField(label="计量单位", max_length=10)
    quantity = forms.IntegerField(label="入库数量", min_value=1)
    note = forms.CharField(label="说明", max_length=200, required=False)


class _ApplyFields(forms.Form):
    stage = forms.ChoiceField(label="救助阶段（DR-5；不选为灾情当前阶段）", choices=[("", "—"), *STAGES], required=False)
    losses = forms.CharField(label="受灾情况（房屋、财产、人员）", widget=TEXT)
    house_collapsed = forms.BooleanField(label="房屋倒塌须重建（DR-4 优先）", required=False)
    requested = forms.CharField(label="申请救助内容", widget=TEXT, required=False)


class ApplyForm(_ApplyFields):
    """户申 of a household in the registry."""

    field_order = ["household_id"]
    household_id = forms.IntegerField(label="家庭（数据库编号）", min_value=1, widget=forms.HiddenInput)


class ApplyNewForm(_ApplyFields):
    """户申 of a household not in the registry: it is registered with its head."""

    field_order = ["head_name", "id_number", "region", "residence", "address"]
    head_name = forms.CharField(label="户主姓名", max_length=50)
    id_number = forms.CharField(label="户主身份证号", max_length=30)
    region = forms.CharField(label="所在村（社区）12位区划代码", max_length=12)
    residence = forms.ChoiceField(label="城乡类别", choices=[("rural", "农村"), ("urban", "城镇")])
    address = forms.CharField(label="住址", max_length=200, required=False)


class AppraiseForm(StepForm):
    appraisal = forms.CharField(label="村民主评议意见（评议时间、参加人数、结果）", widget=TEXT)


class ReviewForm(StepForm):
    opinion = forms.CharField(label="乡镇审核意见（拟救助内容）", widget=TEXT)


class ApproveForm(StepForm):
    amount = forms.DecimalField(label="救助金额（元；只发物资的不填）", max_digits=12, decimal_places=2, min_value=0,
                                required=False)
    goods_item = forms.ModelChoiceField(label="救灾物资（从本县储备发放）", queryset=StockItem.objects.none(),
                                        required=False)
    goods_quantity = forms.IntegerField(label="物资数量", min_value=1, required=False)
    reasons = forms.CharField(label="县定意见", widget=TEXT, required=False)

    def __init__(self, *args: Any, case: Any = None, **kwargs: Any):
        super().__init__(*args, case=case, **kwargs)
        if case is not None:
            self.fields["goods_item"].queryset = StockItem.objects.filter(region=case.region[:6], quantity__gt=0)


class RefuseForm(StepForm):
    reasons = forms.CharField(label="不予救助的理由", widget=TEXT)


class IssueForm(StepForm):
    issued_on = forms.DateField(label="发放日期（不填为今天）", widget=DATE, required=False)


class ReasonForm(StepForm):
    reason = forms.CharField(label="原因", widget=TEXT)


STEP_FORMS: dict[Action, type[StepForm]] = {
    Action.APPRAISE: AppraiseForm, Action.REVIEW: ReviewForm, Action.APPROVE: ApproveForm,
    Action.REFUSE: RefuseForm, Action.ISSUE: IssueForm, Action.WITHDRAW: ReasonForm,
}


def run_step(user: Any, case: Any, action: Action, form: StepForm) -> Any:
    """Validate the form and call the service; its result, or None with the errors on the form."""
    return run_service(getattr(services, action.value), user, case, form, ProcedureError, ("issued_on",))
