"""The 核对报告 of one household (PR-6): each member's and the household's items, declared against
the department's figures, and the policy core's decision on both.

Plain Python (no Django): the household document (interfaces.md) is what was declared; the
department document is the same document with the department's figures put in where they are
higher (incomes, property: what the records show beyond the declaration) or where the record is
the department's own (a death, a disability certificate, a school, medical costs). Both go
through `doudi.policy.engine.assess`; the report says whether the decision changes.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from doudi.policy.identity import mask_id_number
from doudi.verification.figures import PersonFigures, fen_of, person_figures, yuan

HOUSEHOLD = "家庭"


@dataclass
class Built:
    items: list[dict]
    department_document: dict
    declared_decision: dict
    department_decision: dict
    changes_decision: bool
    consistent: bool
    summary: str
    possible: list[dict] = field(default_factory=list)


def _item(member: str, masked: str, item: str, label: str, declared: str, department: str, *, differs: bool,
          difference: str = "", sources: list[dict] | None = None, rule: str = "PR-6", note: str = "") -> dict:
    return {"member": member, "masked_id": masked, "item": item, "label": label, "declared": declared,
            "department": department, "difference": difference, "differs": differs, "sources": sources or [],
            "rule": rule, "note": note}


def _money_item(member: str, masked: str, item: str, label: str, declared_fen: int, dept_fen: int,
                sources: list[dict], rule: str, note: str = "") -> dict:
    diff = dept_fen - declared_fen
    return _item(member, masked, item, label, yuan(declared_fen), yuan(dept_fen), differs=diff != 0,
                 difference=("+" if diff > 0 else "") + yuan(diff), sources=sources, rule=rule, note=note)


def _count_item(item: str, label: str, unit: str, declared: int, dept: int, sources: list[dict],
                rule: str = "DB-1") -> dict:
    diff = dept - declared
    return _item(HOUSEHOLD, "", item, label, f"{declared} {unit}", f"{dept} {unit}", differs=diff != 0,
                 difference=f"{'+' if diff > 0 else ''}{diff} {unit}", sources=sources, rule=rule)


def build(doc: dict, records: dict[str, dict[str, list[dict]]], sources: dict[str, list[dict]], on: dt.date,
          possible: list[dict] | None = None) -> Built:
    """The report's content. `records`: ID number → kind → records; `sources`: kind → snapshot refs used
    (a kind with no snapshot for the county is absent: its items are not checked)."""
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess

    policy = current_policy()
    dept = copy.deepcopy(doc)
    items: list[dict] = []
    household_figs: list[PersonFigures] = []
    for member, dmember in zip(doc["members"], dept["members"], strict=True):
        number = member.get("id_number", "")
        figs = person_figures(records.get(number, {}), on)
        household_figs.append(figs)
        items.extend(member_items(member, dmember, figs, sources, on))
    items.extend(household_items(doc, dept, household_figs, sources))
    declared = assess(doc, date=on.isoformat(), policy=policy).as_json()
    department = assess(dept, date=on.isoformat(), policy=policy).as_json()
    changes = _changed(declared, department)
    consistent = not any(i["differs"] for i in items)
    return Built(items, dept, declared, department, bool(changes), consistent,
                 summary(items, declared, department, changes, sources), possible or [])


def member_items(member: dict, dmember: dict, f: PersonFigures, sources: dict[str, list[dict]],
                 on: dt.date) -> list[dict]:
    """One member's items, declared against `f`; raises `dmember` (the department document's copy) to
    the department's figures. Public: monitoring's scan derives the department document with it."""
    name, masked = member.get("name", ""), mask_id_number(member.get("id_number", ""))
    out = []
    income = member.get("monthly_income") or {}
    dincome = dmember.setdefault("monthly_income", {})
    if "huji" in sources:
        status = f.huji_status
        labels = {"normal": "在户", "moved": "已迁出", "cancelled": "已注销", "dead": "已死亡", None: "未在户籍登记中"}
        out.append(_item(name, masked, "huji", "户籍登记", "在户", labels.get(status, status),
                         differs=status != "normal", sources=sources["huji"], rule="NAT-DB-MEMBERS"))
    if f.death_date is not None:
        dmember["lives_together"] = False
        out.append(_item(name, masked, "death", "死亡登记", "在世、共同生活", f"{f.death_date} 死亡", differs=True,
                         sources=sources.get("death", []) or sources.get("huji", []), rule="NAT-DB-MEMBERS",
                         note="已死亡的成员不计入共同生活的家庭成员"))
    if f.wages is not None:
        declared = fen_of(income.get("wages"))
        if f.wages > declared:
            dincome["wages"] = yuan(f.wages)
        out.append(_money_item(name, masked, "wages", "工资性收入（月）", declared, f.wages,
                               sources.get("social_insurance", []) + sources.get("income_tax", []), "NAT-DB-INCOME",
                               note=f"{f.wages_month:%Y-%m} 社保缴费基数或个税收入额"))
    if f.pension_counted or f.unemployment:
        declared = fen_of(income.get("transfer"))
        if f.transfer > declared:
            dincome["transfer"] = yuan(f.transfer)
        parts = ([f"养老金 {yuan(f.pension_counted)}"] if f.pension_counted else []) + (
            [f"失业保险金 {yuan(f.unemployment)}"] if f.unemployment else [])
        out.append(_money_item(name, masked, "transfer", "转移性收入（月）", declared, f.transfer,
                               sources.get("pension", []) + sources.get("unemployment", []), "NAT-DB-INCOME",
                               note="、".join(parts)))
    if f.pension_basic:
        declared = fen_of(income.get("pension_basic"))
        dincome["pension_basic"] = yuan(max(declared, f.pension_basic))
        out.append(_money_item(name, masked, "pension_basic", "城乡居民基础养老金（月，不计入收入）", declared,
                               f.pension_basic, sources.get("pension", []), "DB-3"))
    if f.disability is not None:
        had = member.get("disability") or {}
        dmember["disability"] = f.disability
        out.append(_item(name, masked, "disability", "残疾人证",
                         f"{had.get('kind', '无')} {had.get('grade', '')}".strip(),
                         f"{f.disability['kind']} {f.disability['grade']} 级",
                         differs=(had.get("kind"), had.get("grade")) != (f.disability["kind"], f.disability["grade"]),
                         sources=sources.get("disability", []), rule="DB-6"))
    if f.school is not None:
        had = member.get("school") or {}
        dmember["school"] = {**had, **f.school}
        out.append(_item(name, masked, "school", "在校就读", had.get("stage", "未申报"), f.school["stage"],
                         differs=had.get("stage") != f.school["stage"], sources=sources.get("student", []),
                         rule="ED-1"))
    if f.housing_fund_deposit is not None:
        out.append(_item(name, masked, "housing_fund", "住房公积金月缴存额", "—", yuan(f.housing_fund_deposit),
                         differs=False, sources=sources.get("housing_fund", []), rule="PR-6",
                         note="有缴存说明有工作单位，请结合工资性收入核实"))
    for e in f.elsewhere:
        out.append(_item(name, masked, "elsewhere", "外县（区）救助", "无", f"{e['county']} {e['program']}",
                         differs=True, sources=sources.get("benefit_elsewhere", []), rule="PR-6"))
    if not dincome:
        dmember.pop("monthly_income", None)
    return out


def household_items(doc: dict, dept: dict, figs: list[PersonFigures], sources: dict[str, list[dict]]) -> list[dict]:
    """The household's items (property, vehicles, ...) over all members' figures; raises `dept` likewise."""
    out = []
    assets = doc.get("assets") or {}
    dassets = dept.setdefault("assets", {})
    if "real_estate" in sources:
        declared, found = int(assets.get("homes") or 0), len(set().union(*(f.homes for f in figs)))
        dassets["homes"] = max(declared, found)
        out.append(_count_item("homes", "住房（套）", "套", declared, found, sources["real_estate"]))
    if "vehicle" in sources:
        declared, found = int(assets.get("vehicles") or 0), len(set().union(*(f.vehicles for f in figs)))
        dassets["vehicles"] = max(declared, found)
        out.append(_count_item("vehicles", "机动车（辆）", "辆", declared, found, sources["vehicle"]))
    if "business" in sources:
        names = [b for f in figs for b in f.businesses]
        declared = bool(assets.get("business"))
        dassets["business"] = declared or bool(names)
        out.append(_item(HOUSEHOLD, "", "business", "市场主体登记", "有" if declared else "无",
                         "、".join(names) if names else "无", differs=bool(names) != declared,
                         sources=sources["business"], rule="DB-1"))
    fin_sources = sources.get("bank_deposit", []) + sources.get("insurance", []) + sources.get("securities", [])
    if fin_sources:
        declared = fen_of(assets.get("financial"))
        found = sum(f.financial or 0 for f in figs)
        dassets["financial"] = yuan(max(declared, found))
        out.append(_money_item(HOUSEHOLD, "", "financial", "金融资产（存款、保险现金价值、证券）", declared, found,
                               fin_sources, "NAT-DB-PROPERTY"))
    meds = [f.medical for f in figs if f.medical is not None]
    if meds:
        declared = fen_of(doc.get("medical_out_of_pocket_this_year"))
        dept["medical_out_of_pocket_this_year"] = yuan(sum(meds))
        out.append(_money_item(HOUSEHOLD, "", "medical", "本年政策范围内医疗自付", declared, sum(meds),
                               sources.get("medical_cost", []), "DB-8"))
    if not dassets:
        dept.pop("assets", None)
    return out


PROGRAMS = ("dibao", "tekun")


def _changed(declared: dict, department: dict) -> list[str]:
    """The programs whose eligibility or amount differs between the two decisions."""
    out = []
    for p in PROGRAMS:
        a, b = declared["programs"].get(p), department["programs"].get(p)
        if a is None and b is None:
            continue
        if (a or {}).get("eligible") != (b or {}).get("eligible") or (a or {}).get("amount") != (b or {}).get("amount"):
            out.append(p)
    return out


NAMES = {"dibao": "低保", "tekun": "特困供养"}


def outcome_text(decision: dict, program: str = "dibao") -> str:
    p = decision["programs"].get(program)
    if p is None:
        return "不适用"
    if not p["eligible"]:
        trace = p.get("trace") or []
        last = next((t for t in trace if t.get("rule") == "DB-1"), trace[-1] if trace else {})
        why = f"({last.get('rule')}:{last.get('detail')})" if last else ""
        return f"不符合{NAMES[program]}条件{why}"
    return f"符合{NAMES[program]}条件，月保障金 {p['amount']} 元"


def summary(items: list[dict], declared: dict, department: dict, changes: list[str],
            sources: dict[str, list[dict]]) -> str:
    """The report's conclusion in Chinese sentences."""
    differs = [i for i in items if i["differs"]]
    checked = "、".join(sorted({s["label"] for refs in sources.values() for s in refs})) or "无"
    head = f"核对数据：{checked}。"
    if not differs:
        head += "部门数据与申报一致。"
    else:
        head += "与申报不一致的项目：" + "；".join(
            f"{i['member']}{i['label']} 申报 {i['declared']}、部门 {i['department']}" for i in differs) + "。"
    if changes:
        head += ("按部门数据重新核算，结果改变：" + "；".join(
            f"按申报{outcome_text(declared, p)}，按部门数据{outcome_text(department, p)}" for p in changes) + "。")
    else:
        head += f"按部门数据重新核算，结果不变：{outcome_text(department)}。"
    return head


def masked(value: Any) -> str:
    return mask_id_number(str(value or ""))
