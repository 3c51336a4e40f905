"""低保 (Dibao): minimum living guarantee — DB-1 to DB-8, DB-10, DB-12, DB-15, NAT-DB-*.

The household's counted income (DB-3 / NAT-DB-INCOME, less DB-4 deductions) is compared with
the local standard × members (DB-1); the benefit is the gap (DB-2), plus the DB-6 uplift and
DB-7 supplements for the members they name, less DB-10 / NAT-DB-WORK reductions. An edge
family (DB-8 / NAT-DB-EDGE) may have its severely disabled or seriously ill members covered
alone (单人户).

Which level's rule governs a household is read from the parameter data, never from an `if`
on a region: a rule id of a seed document (DB-8, DB-10, DB-3) is cited where that document's
entry is in force for the household, the national rule id (NAT-DB-EDGE, NAT-DB-WORK,
NAT-DB-INCOME) where only the national entry is.

All amounts are int64 fen per household; the 低保 amount is summed in micro-fen and rounded
half-up once at the end. The DB-4 monthly deduction is an amount of its own (printed in the
trace and in the counted income), rounded half-up once at its end.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from doudi.policy.household import Households, all_of, constant, is_constant, is_zero
from doudi.policy.money import MICRO, micro_to_fen, round_half_up_div
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import (
    is_disabled,
    label,
    names,
    pct,
    severely_disabled,
    standard_by_residence,
    unset_remark,
    y,
)
from doudi.policy.schema import COUNTED_INCOME, NOT_COUNTED_INCOME, SPENDING
from doudi.policy.trace import Trace
from doudi.policy.wording import PLACEHOLDER_NOTE

PROGRAM = "dibao"
PERIOD = "month"
P = PROGRAM

INCOME_NAMES = {
    "wages": "工资", "business": "经营", "property": "财产", "transfer": "转移", "other": "其他",
    "pension_basic": "城乡居民基本养老保险基础养老金", "special_care": "优待抚恤金",
    "family_planning": "计划生育奖励与扶助金", "scholarship": "奖学金",
    "heroism_award": "见义勇为等奖励性补助", "assistance": "政府发放的社会救助款物",
}


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    member = members(hh, why)
    n = hh.count_members(member)
    own_income = counted_income_by_person(hh, p)
    counted = counted_income(hh, p, why, member, own_income)
    income = np.maximum(counted - rigid_spending_deduction(hh, p, why), 0)
    standard, has_standard = dibao_standard(hh, p, why)
    property_ok = property_test(hh, p, why, n, standard)
    eligible = has_standard & property_ok & (n > 0) & (income < standard * n)
    note_income_test(why, eligible, income, standard, n, property_ok, has_standard)
    public_emergency(hh, p, why, eligible)

    edge = edge_family(hh, p, why, eligible, has_standard, property_ok, n, income, standard)
    single = single_person_cover(hh, p, why, edge, member, standard, own_income)
    base = np.where(eligible, standard * n - income, 0)
    if is_constant(single) and not single[0]:  # nobody covered alone: the covered are the eligible households' members
        covered = all_of(hh.per_person(eligible), member)
        single_amounts = constant(hh.n_persons, 0)
    else:
        covered = np.where(hh.per_person(eligible), member, single)
        single_amounts = np.where(single, np.maximum(hh.per_person(standard) - own_income, 0), 0)
        base = base + hh.sum_members(single_amounts)
    note_benefit(hh, why, eligible, base, standard, n, income, single, single_amounts, own_income)

    uplift = disability_uplift(hh, p, why, covered, standard)
    supplement = group_supplements(hh, p, why, covered, standard)
    extras = uplift if is_zero(supplement) else uplift + supplement
    micro = base * MICRO + hh.sum_members(extras)
    micro = micro - work_refusal_reduction(hh, p, why, eligible, covered, base, n, single_amounts, extras)
    amount = np.maximum(micro_to_fen(micro), 0)
    granted = eligible | hh.any_member(single)
    note_total(why, granted, amount, base)

    klass = dibao_class(hh, p, why, granted)
    return ProgramResult(
        P, PERIOD, applies=np.ones(hh.n, bool), eligible=granted, amount=np.where(granted, amount, 0),
        persons={"covered": covered, "own_income": own_income},  # the covered are in granted households
        extra={"members": n, "counted_income": income, "standard": standard, "edge_family": edge,
               "single_person": hh.count_members(single), "class": klass},
        money=("standard",),
    )


def level_rule(p: Params, name: str, local_rule: str, national_rule: str) -> Callable[[int], str]:
    """The rule id for household i: `local_rule` where a seed document's entry of `name` is in
    force, `national_rule` where the national entry (or none) is. The policy data decides which
    document governs; an override changes only the value. Resolved only for traced households."""
    def rule_of(i: int) -> str:
        c, d, r = p.keys[int(p.group[i])]
        return national_rule if p.policy.resolve(name, c, d, r).level == "national" else local_rule
    return rule_of


def note_by_rule(why: Trace, rule_of: Callable[[int], str], mask: np.ndarray, detail: Callable[[int], str],
                 source: Callable[[int], str]) -> None:
    """why.note for each distinct rule id of the traced households (`rule_of` from level_rule)."""
    if not why.enabled:
        return
    by_rule: dict[str, list[int]] = {}
    for i in why.traced:
        by_rule.setdefault(rule_of(i), []).append(i)
    for rid in sorted(by_rule):
        sel = np.zeros(len(mask), bool)
        sel[by_rule[rid]] = True
        why.note(P, rid, mask & sel, detail, source=source)


# --- members and income ------------------------------------------------------------------------

def members(hh: Households, why: Trace) -> np.ndarray:
    """NAT-DB-MEMBERS: the members who live together (共同生活的家庭成员); the excluded are named."""
    member = hh.is_member

    def detail(i: int) -> str:
        text = f"共同生活的家庭成员计 {sum(bool(member[k]) for k in hh.members_of(i))} 人"
        excluded = [k for k in hh.members_of(i) if not member[k]]
        if excluded:
            text += "；不计入：" + names(hh, excluded)
        return text

    why.note(P, "NAT-DB-MEMBERS", True, detail)
    return member


def not_counted_kinds(p: Params) -> list[tuple[str, np.ndarray]]:
    """Per income kind of NOT_COUNTED_INCOME: mask of households where it is not counted
    (parameter dibao.income.not_counted, DB-3 / NAT-DB-INCOME)."""
    lists = p.group_values("dibao.income.not_counted")
    out = []
    for kind in NOT_COUNTED_INCOME:
        per_group = np.array([kind in (v or ()) for v in lists], dtype=bool)
        out.append((kind, p.per_household(per_group, bool)))
    return out


def counted_income_by_person(hh: Households, p: Params) -> np.ndarray:
    """DB-3, NAT-DB-INCOME: each person's counted monthly income (fen): wages, business,
    property, transfer, other, and any kind the region does not exempt."""
    total = wages_less_work_cost(hh, p)
    for k in COUNTED_INCOME:
        if k != "wages" and not hh.is_zero(f"monthly_income.{k}"):
            total = total + hh.p(f"monthly_income.{k}")
    for kind, exempt in not_counted_kinds(p):
        if not hh.is_zero(f"monthly_income.{kind}"):
            total = total + np.where(hh.per_person(exempt), 0, hh.p(f"monthly_income.{kind}"))
    return total


def wages_less_work_cost(hh: Households, p: Params) -> np.ndarray:
    """NAT-DB-INCOME: wages less the necessary cost of going to work (per earner, a local
    parameter whose default is none: no deduction)."""
    wages = hh.p("monthly_income.wages")
    cost = p.money("dibao.income.work_cost")
    if is_zero(cost):
        return wages  # no deduction anywhere in the batch (wages are never negative)
    return np.maximum(wages - hh.per_person(cost), 0)


def counted_income(hh: Households, p: Params, why: Trace, member: np.ndarray, own: np.ndarray) -> np.ndarray:
    """DB-3 (huining-2022, urban), NAT-DB-INCOME elsewhere: the members' counted income; the
    kinds the parameter names are left out and shown in the trace."""
    counted = hh.sum_members(own, member)
    exempt_kinds = not_counted_kinds(p)

    def left_out(kind: str, i: int) -> int:
        column = hh.p(f"monthly_income.{kind}")
        return sum(int(column[k]) for k in hh.members_of(i) if member[k])

    def detail(i: int) -> str:
        text = f"计入收入（工资、经营、财产、转移、其他）{y(counted[i])} 元/月"
        parts = [f"{INCOME_NAMES[k]} {y(left_out(k, i))}" for k, ex in exempt_kinds if ex[i] and left_out(k, i)]
        if parts:
            text += "；不计入收入：" + "、".join(parts) + " 元/月"
        return text

    rules = level_rule(p, "dibao.income.not_counted", "DB-3", "NAT-DB-INCOME")
    note_by_rule(why, rules, np.ones(hh.n, bool) if why.enabled else None, detail,
                 source=lambda i: p.entry("dibao.income.not_counted", i).source)
    note_work_cost(hh, p, why, member)
    return counted


def note_work_cost(hh: Households, p: Params, why: Trace, member: np.ndarray) -> None:
    """NAT-DB-INCOME: say what was deducted from wages for the cost of going to work, or that
    the default (none) was used."""
    earners = member & (hh.p("monthly_income.wages") > 0)
    k = hh.count_members(earners)
    cost = p.money("dibao.income.work_cost")
    is_set = p.isset("dibao.income.work_cost")
    src = lambda i: p.entry("dibao.income.work_cost", i).source  # noqa: E731
    why.note(P, "NAT-DB-INCOME", (k > 0) & is_set, lambda i: (
        f"工资收入扣除必要就业成本 {y(cost[i])} 元/人·月（不超过本人工资），有工资收入 {k[i]} 人"), source=src)
    why.note(P, "NAT-DB-INCOME", (k > 0) & ~is_set, lambda i: (
        f"必要就业成本扣除未设定{unset_remark(p, 'dibao.income.work_cost')}，工资收入全额计入"), source=src)


def rigid_spending_deduction(hh: Households, p: Params, why: Trace) -> np.ndarray:
    """DB-4: past-12-month rigid spending deducted from monthly income, in tiers (分梯度、按比例).

    Tiers are a parameter ([{above, ratio}]); with none set, nothing is deducted and the trace
    says the default was used. The monthly deduction is the tiered yearly sum ÷ 12, an amount of
    its own, rounded half-up once to the fen.
    """
    tiers_by_group = p.group_values("dibao.rigid_deduction.tiers")
    if not why.enabled and not any(tiers_by_group):
        return constant(hh.n, 0)  # no tiers anywhere in the batch: nothing deducted, no trace to write
    spending = sum(hh.h(f"spending_12m.{k}") for k in SPENDING)
    yearly_micro = np.zeros(hh.n, np.int64)
    for g, tiers in enumerate(tiers_by_group):
        if tiers:
            sel = p.group == g
            yearly_micro[sel] = tiered_micro(spending[sel], tiers)
    monthly = round_half_up_div(yearly_micro, 12 * MICRO)
    has = spending > 0
    is_set = p.per_household([bool(t) for t in tiers_by_group], bool)
    src = lambda i: p.entry("dibao.rigid_deduction.tiers", i).source  # noqa: E731
    why.note(P, "DB-4", has & is_set, lambda i: (
        f"近12个月刚性支出 {y(spending[i])} 元，按梯度比例可扣减 {y(round_half_up_div(yearly_micro[i], MICRO))} 元/年，"
        f"每月扣减 {y(round_half_up_div(yearly_micro[i], MICRO))} ÷ 12 = {y(monthly[i])} 元"), source=src)
    why.note(P, "DB-4", has & ~is_set, lambda i: (
        f"近12个月刚性支出 {y(spending[i])} 元；扣减梯度和比例未设定"
        f"{unset_remark(p, 'dibao.rigid_deduction.tiers')}，不予扣减"), source=src)
    return np.where(is_set, monthly, 0)


def tiered_micro(spending: np.ndarray, tiers) -> np.ndarray:
    """Σ over tiers of (the part of spending between this tier's threshold and the next) × ratio,
    in micro-fen (exact)."""
    acc = np.zeros(len(spending), np.int64)
    lows = [int(above * 100) for above, _ in tiers]
    for k, (_, ratio) in enumerate(tiers):
        upper = lows[k + 1] if k + 1 < len(lows) else None
        part = np.clip(spending - lows[k], 0, None if upper is None else upper - lows[k])
        acc += part * int(ratio * MICRO)
    return acc


def dibao_standard(hh: Households, p: Params, why: Trace) -> tuple[np.ndarray, np.ndarray]:
    """DB-1: the urban or rural standard by the household's registration/residence (DB-14 sets it).
    Returns (standard in fen, mask: the standard is set)."""
    standard = standard_by_residence(hh, p, "dibao.standard.urban", "dibao.standard.rural")
    urban = hh.enum_is("household.residence", "urban")
    has = np.where(urban, p.isset("dibao.standard.urban"), p.isset("dibao.standard.rural"))

    def name(i: int) -> str:
        return "dibao.standard.urban" if urban[i] else "dibao.standard.rural"

    def detail(i: int) -> str:
        e = p.entry(name(i), i)
        kind = "城市" if urban[i] else "农村"
        if e.value is None:
            return f"本地{kind}低保标准未设定"
        mark = PLACEHOLDER_NOTE if e.placeholder else ""
        since = f"，{e.start} 起执行" if e.start else ""
        return f"{kind}低保标准 {y(standard[i])} 元/人·月{since}{mark}"

    why.note(P, "DB-14", True, detail, source=lambda i: p.entry(name(i), i).source)
    return standard, has


# --- DB-1 property, DB-5, NAT-DB-PROPERTY --------------------------------------------------------

def property_test(hh: Households, p: Params, why: Trace, n: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-1 (property), DB-5, NAT-DB-PROPERTY: local limits; exempt property left out.

    Limits are local parameters whose default is none (no limit). DB-5 exempts the homes a
    household needs to live in (`dibao.property.exempt_homes`); vehicles exempt as means of
    production or for a disabled member are not declared (schema)."""
    fin = hh.h("assets.financial")
    lim = p.money("dibao.property.financial_max_per_capita")
    months = p.count("dibao.property.financial_months_of_standard")
    homes = hh.h("assets.homes")
    exempt = p.count("dibao.property.exempt_homes")
    counted_homes = np.maximum(homes - exempt, 0)
    max_homes = p.count("dibao.property.max_homes")
    veh = hh.h("assets.vehicles")
    max_veh = p.count("dibao.property.max_vehicles")
    tests = (
        ("dibao.property.financial_max_per_capita", p.isset("dibao.property.financial_max_per_capita"),
         lambda: fin > lim * n,
         lambda i: f"人均金融资产 {y(per_capita(fin[i], n[i]))} 元超过限额 {y(lim[i])} 元"),
        ("dibao.property.financial_months_of_standard", p.isset("dibao.property.financial_months_of_standard"),
         lambda: fin > standard * months * n,
         lambda i: f"人均金融资产 {y(per_capita(fin[i], n[i]))} 元超过 {months[i]} 个月低保标准 "
                   f"{y(standard[i] * months[i])} 元"),
        ("dibao.property.max_homes", p.isset("dibao.property.max_homes"),
         lambda: (homes >= 0) & (counted_homes > max_homes),
         lambda i: f"住房 {homes[i]} 套，扣除生活必需住房后 {counted_homes[i]} 套超过限额 {max_homes[i]} 套"),
        ("dibao.property.max_vehicles", p.isset("dibao.property.max_vehicles"), lambda: veh > max_veh,
         lambda i: f"机动车 {veh[i]} 辆超过限额 {max_veh[i]} 辆"),
        ("dibao.property.business_excludes", p.flag("dibao.property.business_excludes"),
         lambda: hh.h("assets.business"),
         lambda i: "家庭经营登记注册的企业，不符合本地财产规定"),
    )
    ok = np.ones(hh.n, bool)
    for name, limit_set, exceeds, text in tests:
        bad = limit_set & exceeds() if limit_set.any() else limit_set  # no limit set: none fails
        ok &= ~bad
        why.note(P, "DB-1", bad, text, source=lambda i, name=name: p.entry(name, i).source)
    why.note(P, "DB-5", (homes > 0) & (exempt > 0),
             lambda i: f"生活必需住房 {min(int(homes[i]), int(exempt[i]))} 套予以豁免，不计入财产",
             source=lambda i: p.entry("dibao.property.exempt_homes", i).source)
    limits = [name for name, _, _, _ in tests[:4]]

    def fine(i: int) -> str:
        missing = [nm for nm in limits if not p.isset(nm)[i]]
        text = "家庭财产状况符合本地规定"
        if missing:
            text += "；未设定的限额按默认无限额处理（参数" + "、".join(f"「{label(p, nm)}」" for nm in missing) + "默认无）"
        return text

    why.note(P, "NAT-DB-PROPERTY", ok, fine)
    return ok


def note_income_test(why: Trace, eligible, income, standard, n, property_ok, has_standard) -> None:
    """DB-1: per-capita income below the standard (income < standard × members, exact)."""
    if not why.enabled:
        return
    tested = has_standard & property_ok & (n > 0)
    why.note(P, "DB-1", eligible, lambda i: (
        f"人均收入 {y(per_capita(income[i], n[i]))} < 低保标准 {y(standard[i])}（计入收入 {y(income[i])} 元 ÷ {n[i]} 人），"
        "财产符合规定，符合低保条件"))
    why.note(P, "DB-1", tested & ~eligible, lambda i: (
        f"人均收入 {y(per_capita(income[i], n[i]))}（计入收入 {y(income[i])} 元 ÷ {n[i]} 人）不低于低保标准 {y(standard[i])}，"
        "不符合低保条件"))
    why.note(P, "DB-1", has_standard & ~property_ok, lambda i: "家庭财产状况不符合本地规定，不符合低保条件")
    why.note(P, "DB-1", has_standard & property_ok & (n == 0), lambda i: "无共同生活的家庭成员，不符合低保条件")
    why.note(P, "DB-1", ~has_standard, lambda i: "本地低保标准未设定，无法认定")


def public_emergency(hh: Households, p: Params, why: Trace, eligible: np.ndarray) -> None:
    """DB-12 (huining-2022, urban): people kept from work by a major epidemic or other public
    emergency, whose income fell, are assessed on their present income and all covered when
    they meet the conditions."""
    hit = hh.h("public_emergency_affected") & p.flag("dibao.public_emergency_cover")
    src = lambda i: p.entry("dibao.public_emergency_cover", i).source  # noqa: E731
    why.note(P, "DB-12", hit & eligible,
             lambda i: "受重大疫情等突发公共事件影响收入下降，按现有收入认定，符合条件，纳入低保", source=src)
    why.note(P, "DB-12", hit & ~eligible,
             lambda i: "受重大疫情等突发公共事件影响收入下降，按现有收入认定，仍不符合低保条件", source=src)


# --- DB-8, NAT-DB-EDGE: edge families and single-person coverage ---------------------------

def edge_family(hh: Households, p: Params, why: Trace, eligible, has_standard, property_ok, n, income,
                standard) -> np.ndarray:
    """NAT-DB-EDGE, DB-8: 低保边缘家庭 — not eligible, property within the rule, per-capita
    income at least the standard and below edge.ratio × the standard (exact)."""
    ratio = p.ratio("dibao.edge.ratio")
    edge = (~eligible & has_standard & property_ok & (n > 0) & (ratio > 0)
            & (income >= standard * n) & (income * MICRO < standard * n * ratio))
    rules = level_rule(p, "dibao.edge.ratio", "DB-8", "NAT-DB-EDGE")
    note_by_rule(why, rules, edge, lambda i: (
        f"人均收入 {y(per_capita(income[i], n[i]))} 在低保标准 {y(standard[i])} 的 1 至 {ratio[i] / MICRO:g} 倍之间，属低保边缘家庭"),
        source=lambda i: p.entry("dibao.edge.ratio", i).source)
    return edge


def seriously_ill(hh: Households, p: Params) -> np.ndarray:
    """重病患者: a listed major disease; where the region says so (huining-2022), also this
    year's out-of-pocket medical cost above last year's total household income. The member's
    own figure is used; without one, the household's figure is taken as the applicant's."""
    listed = hh.p("serious_illness")
    own = hh.p("medical_out_of_pocket_this_year")
    hh_cost = hh.per_person(hh.h("medical_out_of_pocket_this_year"))
    is_self = hh.enum_is("relation", "self")
    cost = np.where(own >= 0, own, np.where(is_self, hh_cost, -1))
    last_year = hh.per_person(hh.h("household_income_last_year"))
    by_cost = (hh.per_person(p.flag("dibao.edge.illness_by_cost")) & (cost >= 0) & (last_year >= 0)
               & (cost > last_year))
    return listed | by_cost


def single_person_cover(hh: Households, p: Params, why: Trace, edge, member, standard, own_income) -> np.ndarray:
    """DB-8, NAT-DB-EDGE: in an edge family, severely disabled (grade 1–2, grade 3 intellectual
    or mental) or seriously ill members who apply are covered alone (参照单人户) when their own
    counted income is below the standard."""
    if not (edge & p.flag("dibao.edge.single_person")).any():
        return constant(hh.n_persons, False)  # no edge family with single-person cover: no trace
    allowed = hh.per_person(edge & p.flag("dibao.edge.single_person"))
    qualifies = member & (severely_disabled(hh) | seriously_ill(hh, p)) & hh.p("single_person_application")
    single = allowed & qualifies & (own_income < hh.per_person(standard))
    any_single = hh.any_member(single)
    rules = level_rule(p, "dibao.edge.single_person", "DB-8", "NAT-DB-EDGE")
    src = lambda i: p.entry("dibao.edge.single_person", i).source  # noqa: E731
    note_by_rule(why, rules, any_single, lambda i: (
        "重残、重病成员经本人申请，参照单人户纳入低保："
        + names(hh, [k for k in hh.members_of(i) if single[k]])), source=src)
    note_by_rule(why, rules, edge & p.flag("dibao.edge.single_person") & ~any_single,
                 lambda i: "无符合单人户条件（重残、重病、本人申请、本人收入低于标准）的成员", source=src)
    return single


def note_benefit(hh, why, eligible, base, standard, n, income, single, single_amounts, own_income) -> None:
    """DB-2: (standard − per-capita income) × members = standard × members − income (补差, 按户施保)."""
    why.note(P, "DB-2", eligible, lambda i: (
        f"{y(standard[i])} × {n[i]} − {y(income[i])} = {y(standard[i] * n[i] - income[i])}，"
        "即（标准 − 人均收入）× 人数，按户施保"))
    why.note(P, "DB-2", hh.any_member(single), lambda i: "单人户补差：" + "；".join(
        f"{hh.label(k)} {y(standard[i])} − 本人收入 {y(own_income[k])} = {y(single_amounts[k])}"
        for k in hh.members_of(i) if single[k]))


# --- DB-6, DB-7: uplifts and supplements -----------------------------------------------------

def disability_uplift(hh: Households, p: Params, why: Trace, covered: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-6: a disabled member's own share is computed on the standard raised by the uplift
    (huining-2022: 20%, urban households): standard × rate on top of his share.
    Returns micro-fen per person."""
    rate = p.ratio("dibao.disability_uplift")
    if is_zero(rate):
        return constant(hh.n_persons, 0)  # no uplift anywhere in the batch: nothing, no trace
    who = all_of(covered, is_disabled(hh), hh.per_person(rate > 0))
    micro = who * (hh.per_person(standard * rate))

    def detail(i: int) -> str:
        lifted = [m for m in hh.members_of(i) if who[m]]
        total = sum(int(micro[m]) for m in lifted)
        return (f"残疾成员 {len(lifted)} 人（{names(hh, lifted)}）本人低保金按标准上浮 {pct(rate[i])} 计算："
                f"{y(standard[i])} × {pct(rate[i])} × {len(lifted)} = {micro_yuan(total)}")

    why.note(P, "DB-6", hh.any_member(who) if why.enabled else False, detail,
             source=lambda i: p.entry("dibao.disability_uplift", i).source)
    return micro


SUPPLEMENT_GROUPS = (("disabled", "残疾人员"), ("elderly", "老年人"), ("ethnic_minority", "少数民族"))


def group_supplements(hh: Households, p: Params, why: Trace, covered: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-7 (Wuhai): disabled, elderly and ethnic-minority members of a 低保 household get a
    supplement of a share of the standard each (按不低于低保标准5%至10%的比例增发补助金). A
    member in several groups gets the highest share (`dibao.supplement.combine` = max) or their
    sum (= sum). Returns micro-fen per person."""
    ratios = {g: p.ratio(f"dibao.supplement.{g}") for g, _ in SUPPLEMENT_GROUPS}
    if not any(r.any() for r in ratios.values()):
        return constant(hh.n_persons, 0)  # every ratio 0 in the batch: no supplement, no trace
    age = hh.age
    elderly = (age >= 0) & (age >= hh.per_person(p.count("dibao.supplement.elderly_age")))
    masks = {"disabled": is_disabled(hh), "elderly": elderly, "ethnic_minority": hh.p("ethnic_minority")}
    rates = {g: hh.per_person(r) for g, r in ratios.items()}
    combine_sum = hh.per_person(p.text("dibao.supplement.combine") == "sum")
    best = np.zeros(hh.n_persons, np.int64)
    total = np.zeros(hh.n_persons, np.int64)
    for g, _ in SUPPLEMENT_GROUPS:
        r = np.where(masks[g], rates[g], 0)
        best = np.maximum(best, r)
        total = total + r
    person_rate = np.where(covered, np.where(combine_sum, total, best), 0)
    micro = person_rate * hh.per_person(standard)
    hh_micro = hh.sum_members(micro)

    def detail(i: int) -> str:
        parts = []
        for m in hh.members_of(i):
            if person_rate[m]:
                groups = "、".join(label for g, label in SUPPLEMENT_GROUPS if masks[g][m] and rates[g][m])
                parts.append(f"{hh.label(m)}({groups}) {y(standard[i])} × {pct(person_rate[m])}")
        how = "各项相加" if combine_sum[hh.offsets[i]] else "兼有多项的取最高比例"
        return f"增发补助金（{how}）：{'；'.join(parts)}；合计 {micro_yuan(hh_micro[i])}"

    def source(i: int) -> str:
        first = next((g for g, _ in SUPPLEMENT_GROUPS
                      if any(masks[g][m] and person_rate[m] for m in hh.members_of(i))), "disabled")
        return p.entry(f"dibao.supplement.{first}", i).source

    why.note(P, "DB-7", hh_micro > 0, detail, source=source)
    return micro


def per_capita(income: int | np.integer, n: int | np.integer) -> int:
    """Per-capita income in fen for a trace sentence (half-up; the test itself compares
    income < standard × members exactly)."""
    return int(round_half_up_div(np.int64(income), max(int(n), 1)))


def micro_yuan(micro: int | np.integer) -> str:
    """Micro-fen for a trace: yuan to the fen when exact, else with the fraction shown."""
    m = int(micro)
    if m % MICRO == 0:
        return y(m // MICRO)
    return f"{m / MICRO / 100:.6f}".rstrip("0")


# --- DB-10, NAT-DB-WORK: refused work -----------------------------------------------------------

def work_refusal_reduction(hh, p, why, eligible, covered, base, n, single_amounts, extras) -> np.ndarray:
    """DB-10 (Wuhai: any refusal), NAT-DB-WORK (3 in a row): a member able to work but not
    employed who refused offered work without good reason the threshold number of times has his
    own 低保金 reduced by the reduction ratio (1 = stopped). His own 低保金 is his share of the
    household's gap (base ÷ members) — or his single-person amount — plus his own DB-6/DB-7 lift.

    Returns the reduction in micro-fen, rounded up to the micro-fen: the amount's rounding
    boundaries are whole micro-fen, so total − ceil(reduction) rounds exactly as the exact total.
    """
    if hh.is_zero("refused_work_offers"):
        return np.zeros(hh.n, np.int64)  # nobody refused an offer (the threshold is at least 1)
    threshold = hh.per_person(p.count("dibao.work_refusal.threshold"))
    able = ~hh.enum_is("work_ability", "none") & (hh.p("employed") != 1)
    refuser = covered & able & (threshold > 0) & (hh.p("refused_work_offers") >= threshold)
    red = p.ratio("dibao.work_refusal.reduction")
    if not (refuser.any() and red.any()):
        return np.zeros(hh.n, np.int64)  # nobody to reduce, or no reduction: 0, no trace
    in_gap = refuser & hh.per_person(eligible)
    k = hh.count_members(in_gap)
    # share of the gap: red × base × k / n (micro-fen, denominator n)
    num1 = red * base * k
    den1 = np.maximum(n, 1)
    # single-person amounts and lifts: red × (single × MICRO + lift) / MICRO (denominator MICRO)
    own = np.where(refuser, single_amounts * MICRO + extras, 0)
    num2 = red * hh.sum_members(own)
    micro = ceil_sum(num1, den1, num2, MICRO)
    rules = level_rule(p, "dibao.work_refusal.threshold", "DB-10", "NAT-DB-WORK")

    def detail(i: int) -> str:
        e = p.entry("dibao.work_refusal.reduction", i)
        mark = "（减发比例为占位值）" if e.placeholder else ""
        return (f"有劳动能力未就业成员无正当理由拒绝介绍的工作 ≥ {p.value('dibao.work_refusal.threshold', i)} 次："
                f"{names(hh, [m for m in hh.members_of(i) if refuser[m]])}，本人低保金减发 {pct(red[i])}{mark}，"
                f"减 {micro_yuan(micro[i])}")

    note_by_rule(why, rules, hh.any_member(refuser) & (red > 0), detail,
                 source=lambda i: p.entry("dibao.work_refusal.threshold", i).source)
    return micro


def ceil_sum(num1: np.ndarray, den1: np.ndarray, num2: np.ndarray, den2: int) -> np.ndarray:
    """ceil(num1/den1 + num2/den2) exactly, for non-negative integers (no product of the two
    denominators with the numerators, so no overflow)."""
    q1, r1 = np.divmod(num1, den1)
    q2, r2 = np.divmod(num2, den2)
    # fractional parts f1 = r1/den1, f2 = r2/den2 in [0, 1): ceil(f1 + f2) is 0, 1 or 2
    both = r1 * den2 + r2 * den1
    extra = np.where(both == 0, 0, np.where(both <= den1 * den2, 1, 2))
    return q1 + q2 + extra


def note_total(why: Trace, granted, amount, base) -> None:
    why.note(P, "DB-2", granted & (amount != base),
             lambda i: f"月低保金合计 {y(amount[i])} 元（补差 {y(base[i])} 元，含上浮、增发、减发，四舍五入到分）")


# --- DB-15: Wuhai classes ------------------------------------------------------------------

CLASSES = np.array(["A", "B", "C"], dtype=object)


def dibao_class(hh: Households, p: Params, why: Trace, granted: np.ndarray) -> np.ndarray:
    """DB-15: where the region classes recipients (Wuhai), the class declared; else, where the
    region's criteria are set (`dibao.classes.derive`, a placeholder: wuhai-2014 names the
    classes but not their criteria), derived: A — no member able to work (aged 60+, under 16,
    severely disabled or work_ability none); B — some member unable to work, or seriously ill;
    C — the rest."""
    classed = p.flag("dibao.classes") & granted
    if not classed.any():
        return constant(hh.n, "", object)  # no classes in the batch: no trace
    given = hh.h("dibao_class")
    derive = p.flag("dibao.classes.derive")
    member = hh.is_member
    age = hh.age
    unable = member & ((age >= 60) | ((age >= 0) & (age < 16)) | severely_disabled(hh)
                       | hh.enum_is("work_ability", "none"))
    ill = member & hh.p("serious_illness")
    n = hh.count_members(member)
    k_unable = hh.count_members(unable)
    derived = np.where(k_unable == n, 0, np.where((k_unable > 0) | hh.any_member(ill), 1, 2))
    code = np.where(given >= 0, given, derived)
    has = classed & ((given >= 0) | derive)
    out = np.where(has, CLASSES[code], "")

    def detail(i: int) -> str:
        if given[i] >= 0:
            return f"低保分类：{out[i]} 类（申报）"
        e = p.entry("dibao.classes.derive", i)
        mark = "（分类标准为占位值）" if e.placeholder else ""
        return (f"低保分类：{out[i]} 类，按分类标准推定{mark}：A 类家庭成员均无劳动能力，"
                "B 类部分成员无劳动能力或患重病，C 类其他")

    why.note(P, "DB-15", has, detail, source=lambda i: p.entry("dibao.classes", i).source)
    why.note(P, "DB-15", classed & ~has, lambda i: "低保分类未申报，分类标准未设定，不予推定",
             source=lambda i: p.entry("dibao.classes", i).source)
    return out
