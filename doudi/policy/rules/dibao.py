"""低保 (Dibao): minimum living guarantee — DB-1 to DB-8, DB-10, DB-12, DB-15, NAT-DB-*.

The household's counted income (DB-3, less DB-4 deductions) is compared with the local
standard × members (DB-1); the benefit is the gap (DB-2), plus the DB-6 uplift and DB-7
supplements for the members they name, less DB-10 reductions. An edge family (DB-8) may
have its severely disabled or seriously ill members covered alone (单人户).
All amounts are int64 fen per household; micro-fen inside, rounded half-up once at the end.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.money import MICRO, micro_to_fen, round_half_up_div
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import is_disabled, names, pct, severely_disabled, standard_by_residence, y
from doudi.policy.schema import COUNTED_INCOME, NOT_COUNTED_INCOME
from doudi.policy.trace import Trace

PROGRAM = "dibao"
PERIOD = "month"
P = PROGRAM


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    member = members(hh, why)
    n = hh.count_members(member)
    own_income = counted_income_by_person(hh)
    counted = counted_income(hh, p, why, member, own_income)
    income = np.maximum(counted - rigid_spending_deduction(hh, p, why), 0)
    standard = dibao_standard(hh, p, why)
    has_standard = p.isset("dibao.standard.urban") & p.isset("dibao.standard.rural")
    property_ok = property_test(hh, p, why, n, standard)
    eligible = has_standard & property_ok & (n > 0) & (income < standard * n)
    note_income_test(hh, why, eligible, income, standard, n, property_ok, has_standard)
    public_emergency(hh, p, why)

    edge = (~eligible & has_standard & property_ok & (n > 0) & (income >= standard * n)
            & (income * MICRO < standard * n * p.ratio("dibao.edge.ratio")))
    single = single_person_cover(hh, p, why, edge, member, standard, own_income)
    covered = np.where(hh.per_person(eligible), member, single)

    base = np.where(eligible, standard * n - income, 0)
    single_amounts = np.where(single, np.maximum(hh.per_person(standard) - own_income, 0), 0)
    base = base + hh.sum_members(single_amounts)
    note_benefit(hh, why, eligible, base, standard, n, income, single, single_amounts)

    micro = base * MICRO
    micro = micro + disability_uplift(hh, p, why, covered, standard)
    micro = micro + group_supplements(hh, p, why, covered, standard)
    micro = micro - work_refusal_reduction(hh, p, why, eligible, covered, base, n, single_amounts)
    amount = np.maximum(micro_to_fen(micro), 0)
    granted = eligible | hh.any_member(single)
    note_total(hh, why, granted, amount, base)

    klass = dibao_class(hh, p, why, granted)
    return ProgramResult(
        P, PERIOD, applies=np.ones(hh.n, bool), eligible=granted, amount=np.where(granted, amount, 0),
        persons={"covered": covered & hh.per_person(granted), "own_income": own_income},
        extra={"members": n, "counted_income": income, "standard": standard, "edge_family": edge,
               "single_person": hh.count_members(single), "class": klass},
        money=("standard",),
    )


# --- members and income ------------------------------------------------------------------------

def members(hh: Households, why: Trace) -> np.ndarray:
    """NAT-DB-MEMBERS: the members who live together; the excluded are named in the trace."""
    member = hh.is_member
    excluded = hh.any_member(~member)
    why.note(P, "NAT-DB-MEMBERS", excluded, lambda i: (
        "不计入共同生活家庭成员: " + names(hh, [k for k in hh.members_of(i) if not member[k]])
        + f";计入 {int(hh.count_members(member)[i])} 人"))
    return member


def counted_income_by_person(hh: Households) -> np.ndarray:
    """DB-3: each person's counted monthly income (fen): wages, business, property, transfer, other."""
    total = np.zeros(hh.n_persons, np.int64)
    for k in COUNTED_INCOME:
        total = total + hh.p(f"monthly_income.{k}")
    return total


def counted_income(hh: Households, p: Params, why: Trace, member: np.ndarray, own: np.ndarray) -> np.ndarray:
    """DB-3, NAT-DB-INCOME: household counted income; the not-counted kinds are left out."""
    counted = hh.sum_members(own, member)
    not_counted = np.zeros(hh.n_persons, np.int64)
    for k in NOT_COUNTED_INCOME:
        not_counted = not_counted + hh.p(f"monthly_income.{k}")
    excluded = hh.sum_members(not_counted, member)
    why.note(P, "DB-3", True, lambda i: (
        f"计入收入(工资、经营、财产、转移、其他) {y(counted[i])} 元/月"
        + (f";不计入收入(基础养老金、优待抚恤金、计生奖励扶助金、奖学金、见义勇为奖励、社会救助款物) {y(excluded[i])} 元/月"
           if excluded[i] else "")))
    return counted


def rigid_spending_deduction(hh: Households, p: Params, why: Trace) -> np.ndarray:
    """DB-4: past-12-month rigid spending deducted from monthly income, in tiers (分梯度、按比例).

    Tiers are a parameter ([{above, ratio}]); with none set, nothing is deducted and the trace
    says so. The deduction per month is the tiered yearly sum ÷ 12, rounded half-up to the fen.
    """
    spending = sum(hh.h(f"spending_12m.{k}") for k in ("medical", "disability", "education", "care", "nutrition"))
    tiers_by_group = p.group_values("dibao.rigid_deduction.tiers")
    yearly_micro = np.zeros(hh.n, np.int64)
    for g, tiers in enumerate(tiers_by_group):
        if not tiers:
            continue
        sel = p.group == g
        s = spending[sel]
        acc = np.zeros(len(s), np.int64)
        bounds = [int(a * 100) for a, _ in tiers] + [None]
        for (above, r), upper in zip(tiers, bounds[1:]):
            lo = int(above * 100)
            part = np.clip(s - lo, 0, None if upper is None else upper - lo)
            acc += part * int(r * MICRO)
        yearly_micro[sel] = acc
    monthly = round_half_up_div(yearly_micro, 12 * MICRO)
    has = spending > 0
    set_ = np.array([bool(t) for t in tiers_by_group])[p.group] if len(tiers_by_group) else np.zeros(hh.n, bool)
    why.note(P, "DB-4", has & set_, lambda i: f"近12个月刚性支出 {y(spending[i])} 元,按梯度比例扣减后每月扣减 {y(monthly[i])} 元",
             source=lambda i: p.entry("dibao.rigid_deduction.tiers", i).source)
    why.note(P, "DB-4", has & ~set_, lambda i: f"近12个月刚性支出 {y(spending[i])} 元;扣减梯度和比例未设定(参数 dibao.rigid_deduction.tiers 默认无),不扣减")
    return np.where(set_, monthly, 0)


def dibao_standard(hh: Households, p: Params, why: Trace) -> np.ndarray:
    """DB-1: the urban or rural standard by the household's registration/residence (DB-14 sets it)."""
    standard = standard_by_residence(hh, p, "dibao.standard.urban", "dibao.standard.rural")
    urban = hh.enum_is("household.residence", "urban")

    def detail(i: int) -> str:
        name = "dibao.standard.urban" if urban[i] else "dibao.standard.rural"
        e = p.entry(name, i)
        if e.value is None:
            return f"本地{'城市' if urban[i] else '农村'}低保标准未设定"
        mark = "(占位值,待本地公布标准替换)" if e.placeholder else ""
        return f"{'城市' if urban[i] else '农村'}低保标准 {y(standard[i])} 元/人·月,{e.start} 起执行{mark}"

    why.note(P, "DB-14", True, detail, source=lambda i: p.entry(
        "dibao.standard.urban" if urban[i] else "dibao.standard.rural", i).source)
    return standard


def property_test(hh: Households, p: Params, why: Trace, n: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-1 (property), DB-5, NAT-DB-PROPERTY: local limits; exempt property left out.

    Limits are local parameters whose default is none (no limit). DB-5 exempts the homes a
    household needs to live in (`dibao.property.exempt_homes`) and the vehicles not declared.
    """
    ok = np.ones(hh.n, bool)
    reasons: list[tuple[np.ndarray, callable]] = []
    fin = hh.h("assets.financial")
    per_capita_fin = round_half_up_div(fin, np.maximum(n, 1))
    lim = p.money("dibao.property.financial_max_per_capita")
    bad = p.isset("dibao.property.financial_max_per_capita") & (fin > lim * n)
    reasons.append((bad, lambda i: f"人均金融资产 {y(per_capita_fin[i])} 元超过限额 {y(lim[i])} 元"))
    months = p.count("dibao.property.financial_months_of_standard")
    bad2 = p.isset("dibao.property.financial_months_of_standard") & (fin > standard * months * n)
    reasons.append((bad2, lambda i: f"人均金融资产 {y(per_capita_fin[i])} 元超过 {months[i]} 个月低保标准 {y(standard[i] * months[i])} 元"))
    homes = hh.h("assets.homes")
    counted_homes = np.maximum(homes - p.count("dibao.property.exempt_homes"), 0)
    bad3 = p.isset("dibao.property.max_homes") & (homes >= 0) & (counted_homes > p.count("dibao.property.max_homes"))
    reasons.append((bad3, lambda i: f"住房 {homes[i]} 套,扣除生活必需住房后 {counted_homes[i]} 套超过限额 {p.value('dibao.property.max_homes', i)} 套"))
    veh = hh.h("assets.vehicles")
    bad4 = p.isset("dibao.property.max_vehicles") & (veh > p.count("dibao.property.max_vehicles"))
    reasons.append((bad4, lambda i: f"机动车 {veh[i]} 辆超过限额 {p.value('dibao.property.max_vehicles', i)} 辆"))
    bad5 = p.flag("dibao.property.business_excludes") & hh.h("assets.business")
    reasons.append((bad5, lambda i: "家庭经营登记注册的企业,不符合财产规定"))
    for bad_mask, text in reasons:
        ok &= ~bad_mask
        why.note(P, "DB-1", bad_mask, text, source=lambda i: p.entry("dibao.property.financial_max_per_capita", i).source or None)
    exempt = p.count("dibao.property.exempt_homes")
    why.note(P, "DB-5", (homes > 0) & (exempt > 0), lambda i: f"生活必需住房 {min(int(homes[i]), int(exempt[i]))} 套予以豁免,不计入财产",
             source=lambda i: p.entry("dibao.property.exempt_homes", i).source or None)
    unset = ~(p.isset("dibao.property.financial_max_per_capita") | p.isset("dibao.property.financial_months_of_standard"))
    why.note(P, "NAT-DB-PROPERTY", ok & unset, lambda i: "本地金融资产限额未设定(参数默认无限额),财产状况符合规定")
    why.note(P, "NAT-DB-PROPERTY", ok & ~unset, lambda i: "家庭财产状况符合本地规定")
    return ok


def note_income_test(hh, why, eligible, income, standard, n, property_ok, has_standard) -> None:
    pci = round_half_up_div(income, np.maximum(n, 1))
    why.note(P, "DB-1", eligible, lambda i: f"人均收入 {y(pci[i])} < 低保标准 {y(standard[i])}(计入收入 {y(income[i])} 元 ÷ {n[i]} 人),财产符合规定,符合低保条件")
    why.note(P, "DB-1", ~eligible & has_standard & property_ok & (n > 0), lambda i: f"人均收入 {y(pci[i])} 不低于低保标准 {y(standard[i])},不符合低保条件")
    why.note(P, "DB-1", ~eligible & ~property_ok, lambda i: "家庭财产状况不符合本地规定,不符合低保条件")
    why.note(P, "DB-1", ~has_standard, lambda i: "本地低保标准未设定,无法认定")


def public_emergency(hh: Households, p: Params, why: Trace) -> None:
    """DB-12: people kept from work by a public emergency are covered on their present income."""
    hit = hh.h("public_emergency_affected")
    why.note(P, "DB-12", hit & p.flag("dibao.public_emergency_cover"),
             lambda i: "受重大疫情等突发公共事件影响收入下降,按现有收入认定,符合条件的全部纳入低保",
             source=lambda i: p.entry("dibao.public_emergency_cover", i).source or None)


# --- DB-8: edge families and single-person coverage ------------------------------------------

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
    by_cost = hh.per_person(p.flag("dibao.edge.illness_by_cost")) & (cost >= 0) & (last_year >= 0) & (cost > last_year)
    return listed | by_cost


def single_person_cover(hh, p, why, edge, member, standard, own_income) -> np.ndarray:
    """DB-8, NAT-DB-EDGE: in an edge family, severely disabled or seriously ill members who
    apply are covered alone when their own counted income is below the standard."""
    allowed = hh.per_person(edge & p.flag("dibao.edge.single_person"))
    qualifies = member & (severely_disabled(hh) | seriously_ill(hh, p)) & hh.p("single_person_application")
    single = allowed & qualifies & (own_income < hh.per_person(standard))
    n = hh.count_members(member)
    ratio = p.ratio("dibao.edge.ratio")
    why.note(P, "DB-8", edge, lambda i: (
        f"人均收入在低保标准 1 至 {ratio[i] / MICRO:g} 倍之间,属低保边缘家庭;"
        + ("重残、重病成员单独申请,参照单人户纳入低保: " + names(hh, [k for k in hh.members_of(i) if single[k]])
           if single[hh.members_of(i)].any() else "无符合单人户条件的重残、重病成员")),
        source=lambda i: p.entry("dibao.edge.illness_by_cost", i).source if p.value("dibao.edge.illness_by_cost", i) else None)
    del n
    return single


def note_benefit(hh, why, eligible, base, standard, n, income, single, single_amounts) -> None:
    why.note(P, "DB-2", eligible, lambda i: f"({y(standard[i])} × {n[i]} − {y(income[i])}) = {y(standard[i] * n[i] - income[i])},即(标准 − 人均收入)× 人数,按户施保")
    why.note(P, "DB-2", hh.any_member(single), lambda i: "单人户: " + ";".join(
        f"{hh.label(k)} {y(standard[i])} − 本人收入 {y(standard[i] - single_amounts[k])} = {y(single_amounts[k])}"
        for k in hh.members_of(i) if single[k]))


# --- DB-6, DB-7: uplifts and supplements -----------------------------------------------------

def disability_uplift(hh: Households, p: Params, why: Trace, covered: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-6: a disabled member's own share is computed on the standard raised by the uplift
    (huining-2022: 20%, urban households). Returns micro-fen per household."""
    rate = p.ratio("dibao.disability_uplift")
    who = covered & is_disabled(hh)
    k = hh.count_members(who)
    micro = standard * rate * k
    why.note(P, "DB-6", (k > 0) & (rate > 0), lambda i: (
        f"残疾成员 {k[i]} 人({names(hh, [m for m in hh.members_of(i) if who[m]])})本人低保金按标准上浮 {pct(rate[i])}: "
        f"{y(standard[i])} × {pct(rate[i])} × {k[i]} = {y(micro_to_fen(micro[i]))}"),
        source=lambda i: p.entry("dibao.disability_uplift", i).source)
    return micro


SUPPLEMENT_GROUPS = (("disabled", "残疾人员"), ("elderly", "老年人"), ("ethnic_minority", "少数民族"))


def group_supplements(hh: Households, p: Params, why: Trace, covered: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """DB-7 (Wuhai): disabled, elderly and ethnic-minority members of a 低保 household get a
    supplement of a share of the standard each. A member in several groups gets the highest
    share (`dibao.supplement.combine` = max) or their sum (= sum)."""
    elderly = hh.age >= hh.per_person(p.count("dibao.supplement.elderly_age"))
    masks = {"disabled": is_disabled(hh), "elderly": elderly, "ethnic_minority": hh.p("ethnic_minority")}
    rates = {g: hh.per_person(p.ratio(f"dibao.supplement.{g}")) for g, _ in SUPPLEMENT_GROUPS}
    combine_sum = hh.per_person(p.text("dibao.supplement.combine") == "sum")
    best = np.zeros(hh.n_persons, np.int64)
    total = np.zeros(hh.n_persons, np.int64)
    for g, _ in SUPPLEMENT_GROUPS:
        r = np.where(masks[g], rates[g], 0)
        best = np.maximum(best, r)
        total = total + r
    person_rate = np.where(covered, np.where(combine_sum, total, best), 0)
    micro = hh.sum_members(person_rate) * standard

    def detail(i: int) -> str:
        parts = []
        for m in hh.members_of(i):
            if person_rate[m]:
                groups = "、".join(label for g, label in SUPPLEMENT_GROUPS if masks[g][m] and rates[g][m])
                parts.append(f"{hh.label(m)}({groups}) {pct(person_rate[m])}")
        return (f"增发补助金: {';'.join(parts)};合计 {y(standard[i])} × {pct(hh.sum_members(person_rate)[i])} = "
                f"{y(micro_to_fen(micro[i]))}")

    why.note(P, "DB-7", micro > 0, detail, source=lambda i: p.entry("dibao.supplement.disabled", i).source)
    return micro


# --- DB-10: refused work ----------------------------------------------------------------------

def work_refusal_reduction(hh, p, why, eligible, covered, base, n, single_amounts) -> np.ndarray:
    """DB-10, NAT-DB-WORK: a member able to work who refused offered work (the threshold number
    of times in a row, 3 nationally) has his own share reduced by the reduction ratio (1 = stopped).
    His own share is the household's benefit ÷ members, or his single-person amount."""
    threshold = hh.per_person(p.count("dibao.work_refusal.threshold"))
    able = ~hh.enum_is("work_ability", "none")
    refuser = covered & able & (threshold > 0) & (hh.p("refused_work_offers") >= threshold)
    red = p.ratio("dibao.work_refusal.reduction")
    k = hh.count_members(refuser & ~(single_amounts > 0))
    normal = np.where(eligible, (base * red * k) // np.maximum(n, 1), 0)
    single_part = hh.sum_members(np.where(refuser & (single_amounts > 0), single_amounts, 0)) * red
    micro = normal + single_part
    why.note(P, "DB-10", micro > 0, lambda i: (
        f"有劳动能力成员无正当理由拒绝介绍工作 ≥ {p.value('dibao.work_refusal.threshold', i)} 次: "
        f"{names(hh, [m for m in hh.members_of(i) if refuser[m]])},本人低保金减发 {pct(red[i])},减 {y(micro_to_fen(micro[i]))}"),
        source=lambda i: p.entry("dibao.work_refusal.threshold", i).source)
    return micro


def note_total(hh, why, granted, amount, base) -> None:
    why.note(P, "DB-2", granted & (amount != base), lambda i: f"月低保金合计 {y(amount[i])} 元(含上浮、增发、减发,四舍五入到分)")


# --- DB-15: Wuhai classes ------------------------------------------------------------------

CLASSES = ("A", "B", "C")


def dibao_class(hh: Households, p: Params, why: Trace, granted: np.ndarray) -> np.ndarray:
    """DB-15: where the region classes recipients (Wuhai), the class given, or by the criteria:
    A — no member able to work (aged 60+, under 16, severely disabled or work_ability none);
    B — some member unable to work, or seriously ill; C — the rest."""
    classed = p.flag("dibao.classes") & granted
    given = hh.h("dibao_class")
    member = hh.is_member
    unable = member & ((hh.age >= 60) | ((hh.age >= 0) & (hh.age < 16)) | severely_disabled(hh)
                       | hh.enum_is("work_ability", "none"))
    ill = member & hh.p("serious_illness")
    n = hh.count_members(member)
    k_unable = hh.count_members(unable)
    derived = np.where(k_unable == n, 0, np.where((k_unable > 0) | hh.any_member(ill), 1, 2))
    code = np.where(given >= 0, given, derived)
    out = np.where(classed, np.array(CLASSES)[code], "")
    why.note(P, "DB-15", classed, lambda i: (
        f"低保分类: {out[i]} 类" + ("(申报)" if given[i] >= 0 else "(按分类标准: A 类无劳动能力家庭,B 类部分成员无劳动能力或重病,C 类其他)")),
        source=lambda i: p.entry("dibao.classes", i).source)
    return out
