"""家庭经济状况: the policy core's household and member fields a caseworker records in the registry.

``FactSpec`` lists each field with its Chinese label; ``build_form`` makes one Django form for a
household and its current members; ``update_facts`` validates the result with the policy core
(so the registry never holds a document ``doudi assess`` would refuse) and stores it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from doudi.accounts import access
from doudi.accounts.roles import Action
from doudi.policy.errors import InputError
from doudi.registry.models import Household, Person


@dataclass(frozen=True)
class FactSpec:
    path: str          # dotted path in the household document
    label: str         # Chinese label
    kind: str          # money | count | flag | choice
    choices: tuple[tuple[str, str], ...] = ()


YUAN = "（元）"
HOUSEHOLD_FACTS: tuple[FactSpec, ...] = (
    FactSpec("assets.financial", "金融资产" + YUAN, "money"),
    FactSpec("assets.homes", "住房套数", "count"),
    FactSpec("assets.vehicles", "机动车辆数", "count"),
    FactSpec("assets.business", "开办经营性企业", "flag"),
    FactSpec("legal_supporters", "不共同生活的法定赡养抚养扶养义务人", "choice",
             (("none", "无"), ("unable", "有，但无赡养抚养扶养能力"), ("able", "有，且有能力"))),
    FactSpec("spending_12m.medical", "近12个月医疗刚性支出" + YUAN, "money"),
    FactSpec("spending_12m.education", "近12个月教育刚性支出" + YUAN, "money"),
    FactSpec("spending_12m.disability", "近12个月残疾康复支出" + YUAN, "money"),
    FactSpec("spending_12m.care", "近12个月照护支出" + YUAN, "money"),
)
MEMBER_FACTS: tuple[FactSpec, ...] = (
    FactSpec("monthly_income.wages", "月工资性收入" + YUAN, "money"),
    FactSpec("monthly_income.business", "月经营净收入" + YUAN, "money"),
    FactSpec("monthly_income.property", "月财产净收入" + YUAN, "money"),
    FactSpec("monthly_income.transfer", "月转移净收入" + YUAN, "money"),
    FactSpec("monthly_income.other", "月其他收入" + YUAN, "money"),
    FactSpec("monthly_income.pension_basic", "月基础养老金（不计入收入）" + YUAN, "money"),
    FactSpec("disability.kind", "残疾类别", "choice",
             (("", "无"), ("physical", "肢体"), ("visual", "视力"), ("hearing", "听力"), ("speech", "言语"),
              ("intellectual", "智力"), ("mental", "精神"), ("multiple", "多重"))),
    FactSpec("disability.grade", "残疾等级（1–4级）", "count"),
    FactSpec("work_ability", "劳动能力", "choice", (("", "未评估"), ("full", "有"), ("partial", "部分"), ("none", "无"))),
    FactSpec("self_care", "生活自理能力", "choice",
             (("", "未评估"), ("full", "完全自理"), ("partial", "部分自理"), ("none", "完全不能自理"))),
    FactSpec("serious_illness", "患重特大疾病", "flag"),
    FactSpec("school.stage", "在读学段", "choice",
             (("", "不在读"), ("preschool", "学前"), ("primary", "小学"), ("junior", "初中"), ("senior", "高中"),
              ("vocational", "中职"), ("junior_college", "大专"), ("bachelor", "本科"), ("postgraduate", "研究生"))),
)
LABELS = {s.path: s.label for s in HOUSEHOLD_FACTS + MEMBER_FACTS}


def _check_amounts(facts: Any, specs: tuple[FactSpec, ...]) -> None:
    """Every money fact through the one money parser (no 1e5, no full-width digits): ValidationError
    naming the field."""
    from doudi.web.money import amount_or_error

    for spec in specs:
        value = _get(facts, spec.path) if spec.kind == "money" and isinstance(facts, dict) else None
        if value is not None:
            try:
                amount_or_error(value, spec.label)
            except ValueError as exc:
                raise ValidationError({"facts": str(exc)}) from None


def _get(d: dict, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(d, dict) or part not in d:
            return None
        d = d[part]
    return d


def _set(d: dict, path: str, value: Any) -> None:
    parts = path.split(".")
    for part in parts[:-1]:
        d = d.setdefault(part, {})
    if value is None:
        d.pop(parts[-1], None)
    else:
        d[parts[-1]] = value


def _prune(d: dict) -> dict:
    for k in list(d):
        if isinstance(d[k], dict):
            _prune(d[k])
            if not d[k]:
                del d[k]
    return d


def _field(spec: FactSpec) -> forms.Field:
    if spec.kind == "money":
        from doudi.web.money import MoneyField

        return MoneyField(label=spec.label, required=False)
    if spec.kind == "count":
        return forms.IntegerField(label=spec.label, required=False, min_value=0, max_value=99)
    if spec.kind == "flag":
        return forms.BooleanField(label=spec.label, required=False)
    return forms.ChoiceField(label=spec.label, required=False, choices=spec.choices)


def field_name(spec: FactSpec, person: Person | None = None) -> str:
    base = spec.path.replace(".", "__")
    return f"m{person.pk}__{base}" if person is not None else f"h__{base}"


def build_form(household: Household, data: Any = None) -> forms.Form:
    """One form: the household's facts, then each current member's (fields ``m<pk>__…``)."""
    members = [m.person for m in household.memberships_on()]
    fields: dict[str, forms.Field] = {"version": forms.IntegerField(widget=forms.HiddenInput)}
    initial: dict[str, Any] = {"version": household.version}
    for spec in HOUSEHOLD_FACTS:
        name = field_name(spec)
        fields[name] = _field(spec)
        initial[name] = _get(household.facts or {}, spec.path)
    for p in members:
        for spec in MEMBER_FACTS:
            name = field_name(spec, p)
            fields[name] = _field(spec)
            fields[name].label = f"{p.name}：{spec.label}"
            initial[name] = _get(p.facts or {}, spec.path)
    form_class = type("FactsForm", (FactsFormBase,), fields)
    form = form_class(data=data, initial=initial)
    form.members, form.household = members, household
    return form


class FactsFormBase(forms.Form):
    members: list[Person]

    def member_fields(self, person: Person) -> list:
        return [self[field_name(s, person)] for s in MEMBER_FACTS]

    def household_fields(self) -> list:
        return [self[field_name(s)] for s in HOUSEHOLD_FACTS]

    def error_summary(self) -> list[str]:
        return [f"{self.fields[n].label if n in self.fields else ''}：{e}".lstrip("：")
                for n, errs in self.errors.items() for e in errs if n != "version"] + (
            [str(e) for e in self.errors.get("version", [])])


def _value(spec: FactSpec, raw: Any) -> Any:
    if raw in (None, ""):
        return None
    if spec.kind == "money":
        return f"{Decimal(raw):.2f}"
    if spec.kind == "flag":
        return True if raw else None
    return raw


def facts_from_form(form: FactsFormBase) -> tuple[dict, dict[int, dict]]:
    """(household facts, {person pk: facts}) from a valid form, merged over what is stored."""
    import copy

    d = form.cleaned_data
    hh_facts = copy.deepcopy(form.household.facts or {}) if hasattr(form, "household") else {}
    for spec in HOUSEHOLD_FACTS:
        _set(hh_facts, spec.path, _value(spec, d.get(field_name(spec))))
    members: dict[int, dict] = {}
    for p in form.members:
        facts = copy.deepcopy(p.facts or {})
        for spec in MEMBER_FACTS:
            _set(facts, spec.path, _value(spec, d.get(field_name(spec, p))))
        members[p.pk] = _prune(facts)
    return _prune(hh_facts), members


@transaction.atomic
def update_facts(user: Any, household: Household, version: int, household_facts: dict,
                 member_facts: dict[int, dict], on: Any = None) -> Household:
    """记录家庭经济状况: store the facts if the policy core accepts the resulting document.

    Optimistic locking on the household version (Conflict when someone changed it meanwhile).
    Raises ValidationError naming the field in Chinese. A member whose income, work, illness or
    disability changed is reported to each live benefit of the household (``on``: the day, default
    today), in this transaction.
    """
    from doudi.policy.household import from_documents
    from doudi.registry.documents import household_document
    from doudi.registry.services import Conflict

    access.require(user, Action.HOUSEHOLD_EDIT, household)
    _check_amounts(household_facts, HOUSEHOLD_FACTS)
    for facts in member_facts.values():
        _check_amounts(facts, MEMBER_FACTS)
    fresh = Household.objects.select_for_update().get(pk=household.pk)
    if fresh.version != version:
        raise Conflict({"version": "该家庭信息已被他人修改，请刷新后重新填写"})
    members = {m.person.pk: m.person for m in fresh.memberships_on()}
    unknown = set(member_facts) - set(members)
    if unknown:
        raise ValidationError({"members": "只能记录本户现有成员的情况"})
    household_before = copy.deepcopy(fresh.facts or {})
    fresh.facts = household_facts
    before = {pk: copy.deepcopy(p.facts or {}) for pk, p in members.items()}
    for pk, facts in member_facts.items():
        members[pk].facts = facts
    import datetime as dt

    doc = household_document(fresh, dt.date.today())
    by_id = {p.id_number: p for p in members.values()}
    for m in doc["members"]:
        m.update(by_id[m["id_number"]].facts)
    try:
        from_documents([doc])
    except InputError as exc:
        raise ValidationError({"facts": _explain(exc, doc)}) from None
    fresh.version = version + 1
    fresh.save(update_fields=["facts", "version", "updated_at"])
    for p in members.values():
        p.save(update_fields=["facts", "updated_at"])
    from django.utils import timezone

    from doudi.registry import changes

    day = on or timezone.localdate()
    _record(user, fresh, household_before, before, members, day)
    changes.facts_changed(user, fresh, before, {pk: members[pk] for pk in member_facts}, day)
    return fresh


def _record(user: Any, household: Household, household_before: dict, members_before: dict[int, dict],
            members: dict[int, Person], on: Any) -> None:
    """The history row of this recording: the facts as now stored and what changed, in words."""
    from doudi.registry.models import FactsRecord

    changed = fact_changes(None, household_before, household.facts or {}, HOUSEHOLD_FACTS)
    for pk, p in members.items():
        changed += fact_changes(p.name, members_before.get(pk, {}), p.facts or {}, MEMBER_FACTS)
    FactsRecord.objects.create(household=household, recorded_by=user if getattr(user, "pk", None) else None,
                               on_date=on, household_facts=household.facts or {},
                               member_facts={str(pk): p.facts or {} for pk, p in members.items()}, changes=changed)


def fact_text(spec: FactSpec, value: Any) -> str:
    """A recorded value in words: 600.00 元, 是, 肢体, 2, or — when not recorded."""
    if value in (None, "", {}):
        return "—"
    if spec.kind == "money":
        return f"{Decimal(str(value)):.2f} 元"
    if spec.kind == "flag":
        return "是" if value else "否"
    if spec.kind == "choice":
        return dict(spec.choices).get(value, str(value))
    return str(value)


def fact_lines(facts: dict, specs: tuple[FactSpec, ...]) -> list[tuple[str, str]]:
    """(label, value in words) of each recorded fact, in the order of the form."""
    return [(s.label.removesuffix(YUAN), fact_text(s, _get(facts or {}, s.path)))
            for s in specs if _get(facts or {}, s.path) not in (None, "")]


def fact_changes(who: str | None, before: dict, after: dict, specs: tuple[FactSpec, ...]) -> list[dict]:
    """What differs between two recordings, field by field, in words ({who, field, before, after})."""
    out = []
    for s in specs:
        a, b = _get(before or {}, s.path), _get(after or {}, s.path)
        if a != b:
            out.append({"who": who or "家庭", "field": s.label.removesuffix(YUAN), "before": fact_text(s, a), "after": fact_text(s, b)})
    return out


def _explain(exc: InputError, doc: dict) -> str:
    """The policy core's complaint with the field named in Chinese."""
    where = exc.where
    who = ""
    if where.startswith("members["):
        i = int(where[8:where.index("]")])
        who = doc["members"][i].get("name", "") + "："
        where = where[where.index("]") + 2:]
    expected = exc.expected
    if "both disability.kind and disability.grade" in expected:
        expected = "残疾类别和残疾等级同时填写"
    return f"{who}{LABELS.get(where, where)}：应为 {expected}"
