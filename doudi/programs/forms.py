"""Forms of the programs' pages (Chinese labels); every write goes through the services."""

from __future__ import annotations

from typing import Any

from django import forms

from doudi.procedure.forms import DATE, TEXT, StepForm, bool_choice, run_service
from doudi.programs import children
from doudi.programs import procedure as proc
from doudi.programs.models import CareNeed, HouseRenovation, ReturnNotice
from doudi.programs.procedure import Action, ProcedureError

PROTECTED_CHOICES = [(k, n) for k, n in proc.CATEGORIES if k in proc.PROTECTED]


def _yes_no(label: str) -> forms.TypedChoiceField:
    """A question of the left-behind child's file: yes, no or not answered (None; only left-behind children answer)."""
    return forms.TypedChoiceField(label=f"{label}（留守儿童填写）", required=False, empty_value=None,
                                  choices=[("", "—"), ("True", "是"), ("False", "否")],
                                  coerce=lambda v: v in ("True", True))


class _FileFields(forms.Form):
    category = forms.ChoiceField(label="儿童类别", choices=list(proc.CATEGORIES))
    guardian_name = forms.CharField(label="监护人", max_length=50, required=False)
    guardian_relation = forms.CharField(label="与儿童关系", max_length=20, required=False)
    guardian_phone = forms.CharField(label="监护人电话", max_length=20, required=False)
    situation = forms.CharField(label="儿童情况", widget=TEXT, required=False)
    father_status = forms.ChoiceField(label="父亲情况", choices=list(proc.PARENT_STATUSES))
    father_months = forms.IntegerField(label="父亲该情形持续月数（服刑、失联）", min_value=0, initial=0, required=False)
    mother_status = forms.ChoiceField(label="母亲情况", choices=list(proc.PARENT_STATUSES))
    mother_months = forms.IntegerField(label="母亲该情形持续月数（服刑、失联）", min_value=0, initial=0, required=False)
    institutional = forms.BooleanField(label="机构集中养育", required=False)
    # CH-3: the questions that class a left-behind child (the class is derived, not chosen)
    lb_has_carer = _yes_no(proc.LEFT_BEHIND_LABELS["lb_has_carer"])
    lb_carer_able = _yes_no(proc.LEFT_BEHIND_LABELS["lb_carer_able"])
    lb_other_guardian = _yes_no(proc.LEFT_BEHIND_LABELS["lb_other_guardian"])
    lb_in_school = _yes_no(proc.LEFT_BEHIND_LABELS["lb_in_school"])
    lb_registered = _yes_no(proc.LEFT_BEHIND_LABELS["lb_registered"])
    lb_infringed = _yes_no(proc.LEFT_BEHIND_LABELS["lb_infringed"])
    lb_hardship = _yes_no(proc.LEFT_BEHIND_LABELS["lb_hardship"])
    help_planned = forms.CharField(label="其他帮扶措施（留守儿童按分类自动列出）", widget=TEXT, required=False)
    temporary_care_on = forms.DateField(label="民政部门临时照料起始日期（无人监护且无其他监护人时）", widget=DATE,
                                        required=False)
    temporary_care_by = forms.CharField(label="临时照料机构", max_length=100, required=False)

    def clean(self) -> dict:
        data = super().clean()
        for k in ("father_months", "mother_months"):
            if data.get(k) is None:
                data[k] = 0
        return data


class ChildFileForm(_FileFields):
    person_id = forms.IntegerField(widget=forms.HiddenInput)


class ChildFileUpdateForm(_FileFields):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label="更新说明", max_length=200, required=False)


class ChildSubmitForm(forms.Form):
    kind = forms.ChoiceField(label="申请类别", choices=PROTECTED_CHOICES)
    applicant_name = forms.CharField(label="申请人（不填为监护人）", max_length=50, required=False)


class TownshipCheckForm(StepForm):
    findings = forms.CharField(label="查验情况（父母情况、监护情况）", widget=TEXT)


class ApproveForm(StepForm):
    opinion = forms.CharField(label="确认意见", widget=TEXT, required=False)


class RefuseForm(StepForm):
    reasons = forms.CharField(label="不予认定的理由", widget=TEXT)


class WithdrawForm(StepForm):
    reason = forms.CharField(label="撤回理由", widget=TEXT)


STEP_FORMS = {Action.TOWNSHIP_CHECK: TownshipCheckForm, Action.APPROVE: ApproveForm, Action.REFUSE: RefuseForm,
              Action.WITHDRAW: WithdrawForm}


def run_step(user: Any, case: Any, action: Action, form: StepForm) -> Any:
    return run_service(children.SERVICES[action], user, case, form, ProcedureError)


class DisabilityForm(forms.Form):
    person_id = forms.TypedChoiceField(label="残疾人", coerce=int, choices=[])
    subsidy = forms.ChoiceField(label="申请补贴", choices=list(proc.SUBSIDIES))

    def __init__(self, *args: Any, household: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person_id"].choices = [(m.person_id, m.person.name)
                                                for m in household.memberships_on().select_related("person")]


class CareNeedForm(forms.Form):
    household_id = forms.IntegerField(widget=forms.HiddenInput)
    person_id = forms.IntegerField(widget=forms.HiddenInput)
    needs = forms.CharField(label="照护需求", widget=TEXT)
    service = forms.ChoiceField(label="提供服务", choices=list(CareNeed.SERVICES))


class RefuseReasonsForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reasons = forms.CharField(label="不予批准的理由", widget=TEXT)


class SettlementForm(forms.Form):
    hospital = forms.CharField(label="定点医院", max_length=100)
    region = forms.CharField(label="县（区）区划代码", max_length=6, min_length=6)
    file = forms.FileField(label="结算文件（CSV 或 Excel；列：结算单号、身份证号、姓名、出院日期、政策范围内个人自付、病种）")


class EmergencyForm(forms.Form):
    region = forms.CharField(label="所在地区划代码", max_length=12)
    hospital = forms.CharField(label="医院", max_length=100)
    patient = forms.CharField(label="患者（身份不明时写体貌特征）", max_length=100)
    identified = forms.BooleanField(label="身份已明", required=False)
    admitted_on = forms.DateField(label="入院日期", widget=DATE)
    cost = forms.DecimalField(label="急救费用（元）", max_digits=12, decimal_places=2, min_value=0)
    ground = forms.ChoiceField(label="救助情形", choices=[("unidentified", "身份不明"), ("unable", "无力支付")])
    note = forms.CharField(label="说明", widget=TEXT, required=False)


class PriceIndexForm(forms.Form):
    province = forms.CharField(label="省份代码（2位）", max_length=2, min_length=2)
    month = forms.DateField(label="月份（该月任一日）", widget=DATE)
    cpi_yoy = forms.DecimalField(label="CPI同比涨幅（%）", max_digits=5, decimal_places=2)
    food_cpi_yoy = forms.DecimalField(label="食品CPI同比涨幅（%）", max_digits=5, decimal_places=2, required=False)
    published_on = forms.DateField(label="发布日期", widget=DATE)


class IntakeForm(forms.Form):
    region = forms.CharField(label="救助站所在地区划代码", max_length=12)
    name = forms.CharField(label="姓名（自述）或体貌特征", max_length=100)
    estimated_age = forms.IntegerField(label="年龄（估计）", min_value=0, max_value=120)
    sex = forms.ChoiceField(label="性别", choices=[("M", "男"), ("F", "女")])
    found_how = forms.ChoiceField(label="来源", choices=[("patrol", "街面巡查发现"), ("walk_in", "主动求助进站")])
    found_on = forms.DateField(label="进站日期", widget=DATE)
    found_at = forms.CharField(label="发现地点", max_length=200, required=False)


class SearchForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label="方式", choices=list(proc.SEARCH_KINDS))
    result = forms.CharField(label="结果（外部比对结果）", widget=TEXT)
    matched = forms.BooleanField(label="比对成功、找到亲属", required=False)
    home_region = forms.CharField(label="户籍地区划代码（比对成功时）", max_length=12, required=False)


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    returned_on = forms.DateField(label="返乡日期", widget=DATE)
    receiving_region = forms.CharField(label="接收地区划代码（不填为查明的户籍地）", max_length=12, required=False)
    receiving_office = forms.CharField(label="接收单位（户籍地救助管理站或民政部门）", max_length=100)
    receiving_contact = forms.CharField(label="接收单位联系人及电话", max_length=100, required=False)
    escort = forms.ChoiceField(label="返乡方式", choices=list(ReturnNotice.ESCORTS))
    note = forms.CharField(label="说明", widget=TEXT, required=False)


class ReturnAckForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    reply = forms.CharField(label="接收地落实情况（已接收，家庭情况，是否需纳入低保、特困）", widget=TEXT)


class PlaceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    id_number = forms.CharField(label="公安机关登记的身份证号", max_length=18)
    birth_name = forms.CharField(label="登记姓名", max_length=50, required=False)
    able_to_work = bool_choice("有劳动能力")
    has_income = bool_choice("有生活来源")
    has_supporter = bool_choice("有法定赡养、抚养、扶养义务人")
    disabled = bool_choice("残疾人")


class ReferralForm(forms.Form):
    person_id = forms.TypedChoiceField(label="对象", coerce=int, choices=[])
    kind = forms.ChoiceField(label="转介事项", choices=[(k, f"{n}（{d}，{r}）") for k, n, d, r in proc.REFERRAL_KINDS])
    note = forms.CharField(label="转介说明", widget=TEXT)

    def __init__(self, *args: Any, household: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person_id"].choices = [(m.person_id, m.person.name)
                                                for m in household.memberships_on().select_related("person")]


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    accepted = bool_choice("已落实")
    answer = forms.CharField(label="答复", widget=TEXT)


class HouseForm(forms.Form):
    group = forms.ChoiceField(label="对象类别", choices=list(HouseRenovation.GROUPS))
    grade = forms.ChoiceField(label="危房等级", choices=[("C", "C级"), ("D", "D级")])
    note = forms.CharField(label="说明", widget=TEXT, required=False)


class EducationForm(forms.Form):
    person_id = forms.TypedChoiceField(label="学生", coerce=int, choices=[])

    def __init__(self, *args: Any, household: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["person_id"].choices = [(m.person_id, m.person.name)
                                                for m in household.memberships_on().select_related("person")]


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="已核对本户低保对象的分类、年龄和残疾等级")
