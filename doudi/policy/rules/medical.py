"""医疗救助 (medical assistance): MA-1, MA-2, MA-4, NAT-MA. Period: year.

What the decision reports (all fen, each rounded half-up once):
- `premium_subsidy` (MA-1, yearly): the subsidy of the personal contribution to the residents'
  basic medical insurance, summed over the members it is due to;
- `reimbursement` (MA-2, for the bill in `medical_bill`): the share of the in-policy
  out-of-pocket cost reimbursed, within what is left of the yearly cap;
- `daily_allowance_monthly` (MA-4, Wuhai): the daily medical allowance per month, summed over
  the 低保 recipients it is due to — reported beside the amount, not in it.
`amount` = premium_subsidy + reimbursement (the year's assistance for this household and bill).

Which groups get what is data, per region: `medical.premium.<group>.ratio|fixed` (a person
gets the best of his groups, at most the premium), `medical.reimburse.<group>` and the illness
shares, `medical.daily_allowance.<group>`. A value set by a seed level is cited as MA-1/MA-2/MA-4
with its clause; a national value as NAT-MA.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from doudi.policy.errors import InputError
from doudi.policy.household import Households
from doudi.policy.money import MICRO, micro_to_fen
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import pct, severely_disabled, unset_remark, y
from doudi.policy.schema import ILLNESSES
from doudi.policy.trace import Trace

PROGRAM = "medical"
PERIOD = "year"
P = PROGRAM

# (group, label), most specific first: on a tie the first group is cited.
PREMIUM_GROUPS = (
    ("tekun_child", "特困儿童"), ("tekun_rural", "农区五保对象"), ("tekun", "特困人员"),
    ("dibao_class_a", "A类低保对象"), ("dibao_disabled", "低保残疾人"), ("dibao_student", "低保学生"),
    ("orphan", "孤儿"), ("de_facto_unsupported", "事实无人抚养儿童"), ("dibao_child", "低保家庭儿童"),
    ("severely_disabled_child", "重度残疾儿童"), ("dibao", "低保对象"),
)
REIMBURSE_GROUPS = (("tekun", "特困人员"), ("orphan", "孤儿"), ("de_facto_unsupported", "事实无人抚养儿童"),
                    ("dibao", "低保对象"))
ILLNESS_NAMES = {"mental": "精神病", "infectious": "传染病"}
ALLOWANCE_GROUPS = (("class_a", "A类低保人员"), ("elderly", "低保老年人"), ("disabled", "一至三级低保残疾人"))


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    groups = person_groups(hh, done)
    premium_micro = premium_subsidy(hh, p, why, groups)
    premium = micro_to_fen(hh.sum_members(premium_micro))
    bill = hh.h("medical_bill.in_policy_out_of_pocket") >= 0
    reimbursement = reimburse(hh, p, why, groups, bill)
    allowance = daily_allowance(hh, p, why, done, groups)
    amount = premium + reimbursement
    assisted = groups["dibao"] | groups["tekun"] | groups["orphan"] | groups["de_facto_unsupported"]
    applies = bill | hh.any_member(assisted) | (premium > 0)
    eligible = applies & ((amount > 0) | (allowance > 0))
    # a refusal without a bill ends with MA-1 (with a bill MA-2 has already said why)
    why.note(P, "MA-1", applies & ~eligible & ~bill, lambda i: (
        "救助对象参加城乡居民基本医疗保险个人缴费资助为 0.00 元（本地资助标准未设定或成员不属资助对象），无医疗救助"))
    return ProgramResult(
        P, PERIOD, applies=applies, eligible=eligible, amount=np.where(eligible, amount, 0),
        persons={"covered": premium_micro > 0, "premium_subsidy_micro": premium_micro},
        extra={"premium_subsidy": premium, "reimbursement": reimbursement, "daily_allowance_monthly": allowance},
        money=("premium_subsidy", "reimbursement", "daily_allowance_monthly"),
    )


def _covered(done: dict, program: str, hh: Households) -> np.ndarray:
    r = done.get(program)
    col = None if r is None else r.persons.get("covered")
    return np.zeros(hh.n_persons, bool) if col is None else np.asarray(col, bool)


def person_groups(hh: Households, done: dict) -> dict[str, np.ndarray]:
    """Person masks of the groups the medical rules name (from 低保, 特困 and the member's data)."""
    dibao = _covered(done, "dibao", hh)
    tekun = _covered(done, "tekun", hh)
    r = done.get("dibao")
    klass = r.extra.get("class") if r is not None else None
    class_a = hh.per_person(np.asarray(klass) == "A") if klass is not None else np.zeros(hh.n_persons, bool)
    child = (hh.age >= 0) & (hh.age < 18)
    rural = hh.per_person(hh.enum_is("household.residence", "rural"))
    member = hh.is_member
    return {
        "tekun": tekun, "tekun_child": tekun & child, "tekun_rural": tekun & rural,
        "dibao": dibao, "dibao_class_a": dibao & class_a, "dibao_disabled": dibao & (hh.p("disability.grade") >= 1),
        "dibao_student": dibao & (hh.p("school.stage") >= 0), "dibao_child": dibao & child,
        "severely_disabled_child": member & child & severely_disabled(hh),
        "orphan": member & hh.p("orphan"), "de_facto_unsupported": member & hh.p("de_facto_unsupported"),
    }


def _rule(p: Params, name: str, i: int, local: str) -> str:
    """A seed level's value is its rule id (MA-x); a national value is NAT-MA. An overridden
    value keeps the rule of the value it replaces."""
    e = p.entry(name, i)
    if e.level == "override":
        e = p.policy.resolve(name, *p.keys[int(p.group[i])])
    return "NAT-MA" if e.level == "national" else local


# --- MA-1: premium subsidy ---------------------------------------------------------------------

def premium_subsidy(hh: Households, p: Params, why: Trace, groups: dict[str, np.ndarray]) -> np.ndarray:
    """MA-1, NAT-MA: each person gets the best of his groups' subsidies, at most the premium.
    Returns micro-fen per person."""
    premium = hh.per_person(p.money("medical.premium.personal")) * MICRO
    best = np.zeros(hh.n_persons, np.int64)
    best_name = np.full(hh.n_persons, "", dtype=object)
    for g, _ in PREMIUM_GROUPS:
        for kind in ("ratio", "fixed"):
            name = f"medical.premium.{g}.{kind}"
            isset = p.isset(name)
            if not isset.any():
                continue  # unset for the whole batch: nobody gets it (the loop below would add 0)
            if kind == "ratio":
                value = hh.per_person(p.ratio(name)) * (premium // MICRO)
            else:
                value = hh.per_person(p.money(name)) * MICRO
            value = np.where(groups[g] & hh.per_person(isset), np.minimum(value, premium), 0)
            better = value > best
            best_name = np.where(better, name, best_name)
            best = np.where(better, value, best)
    labels = dict(PREMIUM_GROUPS)

    def person_text(k: int) -> str:
        name = best_name[k]
        g, kind = name.split(".")[2], name.split(".")[3]
        i = int(hh.person_hh[k])
        how = (f"个人缴费 {y(premium[k] // MICRO)} × {pct(p.ratio(name)[i])}" if kind == "ratio"
               else f"定额 {y(p.money(name)[i])}")
        return f"{hh.label(k)}（{labels[g]}）{how} = {y(micro_to_fen(best[k]))} 元"

    for rule in ("MA-1", "NAT-MA"):
        def mask_for(rule_: str = rule) -> np.ndarray:
            m = np.zeros(hh.n, bool)
            for i in why.traced:
                m[i] = any(best[k] > 0 and _rule(p, best_name[k], i, "MA-1") == rule_ for k in hh.members_of(i))
            return m

        def detail(i: int, rule_: str = rule) -> str:
            return "参加城乡居民基本医疗保险个人缴费资助：" + "；".join(
                person_text(k) for k in hh.members_of(i) if best[k] > 0 and _rule(p, best_name[k], i, "MA-1") == rule_)

        def src(i: int, rule_: str = rule) -> str:
            ks = [k for k in hh.members_of(i) if best[k] > 0 and _rule(p, best_name[k], i, "MA-1") == rule_]
            return "; ".join(dict.fromkeys(p.entry(best_name[k], i).source for k in ks))

        why.note(P, rule, mask_for() if why.enabled else False, detail, source=src)
    local = np.zeros(hh.n, bool)
    for i in why.traced:
        local[i] = any(best[k] > 0 and _rule(p, best_name[k], i, "MA-1") == "MA-1" for k in hh.members_of(i))
    has = hh.any_member(best > 0)
    for rule, mask in (("MA-1", has & local), ("NAT-MA", has & ~local)):
        why.note(P, rule, mask, lambda i: (
            f"个人缴费标准 {y(p.money('medical.premium.personal')[i])} 元/人·年"
            + ("（占位值，待本地公布标准替换）" if p.entry("medical.premium.personal", i).placeholder else "")),
            source=lambda i: p.entry("medical.premium.personal", i).source)
    return best


# --- MA-2: reimbursement of a bill -------------------------------------------------------------

def patient_index(hh: Households) -> np.ndarray:
    """The person index of each household's patient; a bad index is refused (medical_bill.patient)."""
    rel = hh.h("medical_bill.patient")
    bill = hh.h("medical_bill.in_policy_out_of_pocket") >= 0
    bad = bill & (rel >= hh.size)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        where = "medical_bill.patient" if hh.n == 1 else f"household {hh.ids[i]} medical_bill.patient"
        raise InputError(where, f"the index of a member, 0 to {int(hh.size[i]) - 1}", int(rel[i]))
    return hh.offsets + np.where(bill, rel, 0)


def reimburse(hh: Households, p: Params, why: Trace, groups: dict[str, np.ndarray], bill: np.ndarray) -> np.ndarray:
    """MA-2, NAT-MA: the patient's best group share (the illness share where higher), of the
    in-policy out-of-pocket cost, within the yearly cap less what was paid this year."""
    k = patient_index(hh) if hh.n else np.zeros(0, np.int64)
    cost = hh.h("medical_bill.in_policy_out_of_pocket")
    share = np.zeros(hh.n, np.int64)
    share_name = np.full(hh.n, "", dtype=object)
    in_group = np.zeros(hh.n, bool)
    for g, _ in REIMBURSE_GROUPS:
        name = f"medical.reimburse.{g}"
        member_of = bill & groups[g][k] & p.isset(name) if hh.n else np.zeros(0, bool)
        in_group |= member_of
        better = member_of & (p.ratio(name) > share)
        share_name = np.where(better, name, share_name)
        share = np.where(better, p.ratio(name), share)
    illness = hh.h("medical_bill.illness")
    for word in ILLNESS_NAMES:
        name = f"medical.reimburse.illness.{word}"
        hit = in_group & (illness == ILLNESSES.index(word)) & p.isset(name) & (p.ratio(name) > share)
        share_name = np.where(hit, name, share_name)
        share = np.where(hit, p.ratio(name), share)
    cap_set = p.isset("medical.reimburse.yearly_cap")
    paid = hh.h("medical_bill.paid_this_year")
    room = np.maximum(p.money("medical.reimburse.yearly_cap") - paid, 0)
    raw = np.where(bill, np.maximum(cost, 0) * share, 0)
    capped = cap_set & (raw > room * MICRO)
    fen = micro_to_fen(np.where(capped, room * MICRO, raw))
    note_reimbursement(hh, p, why, bill, in_group, k, cost, share, share_name, raw, capped, room, paid, fen)
    return np.where(in_group, fen, 0)


def note_reimbursement(hh, p, why, bill, in_group, k, cost, share, share_name, raw, capped, room, paid, fen) -> None:
    labels = dict(REIMBURSE_GROUPS)

    def who(i: int) -> str:
        name = share_name[i]
        if ".illness." in name:
            return f"{ILLNESS_NAMES[name.rsplit('.', 1)[1]]}患者"
        return labels[name.rsplit(".", 1)[1]]

    def detail(i: int) -> str:
        text = (f"患者 {hh.label(int(k[i]))}（{who(i)}）政策范围内个人自付 {y(cost[i])} 元 × {pct(share[i])} = "
                f"{y(micro_to_fen(raw[i]))} 元")
        if capped[i]:
            text += (f"；年度救助限额 {y(p.money('medical.reimburse.yearly_cap')[i])} 元，本年已救助 {y(paid[i])} 元，"
                     f"剩余 {y(room[i])} 元，按限额救助 {y(fen[i])} 元")
        return text

    rule_of: Callable[[int], str] = lambda i: _rule(p, share_name[i], i, "MA-2")  # noqa: E731
    for rule in ("MA-2", "NAT-MA"):
        mask = np.zeros(hh.n, bool)
        for i in why.traced:
            mask[i] = bool(in_group[i]) and rule_of(i) == rule
        why.note(P, rule, mask, detail, source=lambda i: p.entry(share_name[i], i).source)
    no_cap = in_group & ~p.isset("medical.reimburse.yearly_cap")
    why.note(P, "MA-2", no_cap, lambda i: f"年度救助限额未设定{unset_remark(p, 'medical.reimburse.yearly_cap')}，不设封顶",
             source=lambda i: p.entry("medical.reimburse.yearly_cap", i).source)
    outside = np.zeros(hh.n, bool)
    for i in why.traced:
        outside[i] = bool(bill[i] and not in_group[i]) and _rule(p, "medical.reimburse.dibao", i, "MA-2") == "MA-2"
    for rule, mask in (("MA-2", outside), ("NAT-MA", bill & ~in_group & ~outside)):
        why.note(P, rule, mask, lambda i: (
            f"患者 {hh.label(int(k[i]))} 不属于本地医疗救助对象（低保、特困人员等），医疗费用不予救助"),
            source=lambda i: p.entry("medical.reimburse.dibao", i).source)


# --- MA-4: daily medical allowance (Wuhai) -----------------------------------------------------

def daily_allowance(hh: Households, p: Params, why: Trace, done: dict, groups: dict[str, np.ndarray]) -> np.ndarray:
    """MA-4: class A, elderly and grade 1–3 disabled 低保 recipients get the allowance of their
    best group, per month; none where the region sets no amount."""
    dibao = groups["dibao"]
    elderly = dibao & (hh.age >= hh.per_person(p.count("medical.daily_allowance.elderly_age")))
    grade = hh.p("disability.grade")
    masks = {"class_a": groups["dibao_class_a"], "elderly": elderly, "disabled": dibao & (grade >= 1) & (grade <= 3)}
    best = np.zeros(hh.n_persons, np.int64)
    best_group = np.full(hh.n_persons, "", dtype=object)
    for g, _ in ALLOWANCE_GROUPS:
        name = f"medical.daily_allowance.{g}"
        value = np.where(masks[g] & hh.per_person(p.isset(name)), hh.per_person(p.money(name)), 0)
        better = value > best
        best_group = np.where(better, g, best_group)
        best = np.where(better, value, best)
    total = hh.sum_members(best)
    labels = dict(ALLOWANCE_GROUPS)

    def detail(i: int) -> str:
        parts = []
        for m in hh.members_of(i):
            if best[m]:
                e = p.entry(f"medical.daily_allowance.{best_group[m]}", i)
                parts.append(f"{hh.label(m)}（{labels[best_group[m]]}）{y(best[m])} 元/月{'（占位值）' if e.placeholder else ''}")
        return "日常医疗补贴：" + "；".join(parts) + f"；合计 {y(total[i])} 元/月（另行按月发放，不计入年度金额）"

    why.note(P, "MA-4", total > 0, detail, source=lambda i: p.entry(
        f"medical.daily_allowance.{next(best_group[m] for m in hh.members_of(i) if best[m])}", i).source)
    return total
