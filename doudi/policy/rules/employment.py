"""就业救助 — 代缴养老保险费 (pension contributions paid by the government): EM-2.

huining-2022 二(三)五 (urban households): for 低保 recipients, 特困 people and severely disabled
people (重度残疾人: grade 1–2, or grade 3 intellectual or mental, as DB-8) who are in the
residents' old-age insurance (`pension_scheme` = residents) at a contributing age, the county
pays part or all of the lowest contribution tier. Per person: lowest tier × the share of his
group (the highest share when he is in several groups); the household's yearly amount is the
sum, rounded half-up once. The tier and shares are parameters (placeholders in Huining).
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.money import micro_to_fen
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import names, pct, severely_disabled, y
from doudi.policy.rules.groups import covered, placeholder_mark, source
from doudi.policy.trace import Trace

PROGRAM = "employment"
PERIOD = "year"
P = PROGRAM
TIER = "employment.pension.lowest_tier"
GROUPS = (("dibao", "低保对象"), ("tekun", "特困人员"), ("severely_disabled", "重度残疾人"))


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    scheme_given = hh.p("pension_scheme") >= 0
    applies = hh.any_member(scheme_given | (hh.p("pension_insured") >= 0))
    in_force = hh.per_person(p.flag("employment.pension_subsidy.in_force"))
    residents = hh.enum_is("pension_scheme", "residents")
    contributing = residents & contribution_age(hh, p)
    masks = {"dibao": covered(done, "dibao", hh), "tekun": covered(done, "tekun", hh),
             "severely_disabled": severely_disabled(hh)}
    share = np.zeros(hh.n_persons, np.int64)
    in_group = np.zeros(hh.n_persons, bool)
    for g, _ in GROUPS:
        share = np.maximum(share, np.where(masks[g], hh.per_person(p.ratio(f"employment.pension.share.{g}")), 0))
        in_group |= masks[g]
    who = in_force & contributing & in_group
    micro = np.where(who, hh.per_person(p.money(TIER)) * share, 0)
    amount = micro_to_fen(hh.sum_members(micro))
    eligible = hh.any_member(who)
    note(hh, p, why, applies, in_force, masks, who, share, in_group, amount)
    return ProgramResult(
        P, PERIOD, applies=applies, eligible=eligible, amount=np.where(eligible, amount, 0),
        persons={"covered": who},
    )


def contribution_age(hh: Households, p: Params) -> np.ndarray:
    lo = np.zeros(hh.n, np.int64)
    hi = np.full(hh.n, 200, np.int64)
    for g, ages in enumerate(p.group_values("employment.pension.contribution_ages")):
        if ages:
            sel = p.group == g
            lo[sel], hi[sel] = int(ages[0]), int(ages[1])
    age = hh.age
    student = hh.p("school.stage") >= 0
    return (age >= hh.per_person(lo)) & (age <= hh.per_person(hi)) & ~student


def note(hh, p, why, applies, in_force, masks, who, share, in_group, amount) -> None:
    on = applies & hh.any_member(in_force)
    src = source(p, "employment.pension_subsidy.in_force")
    why.note(P, "EM-2", applies & ~on, lambda i: (
        "本地区未实行代缴城乡居民养老保险费（EM-2 适用于会宁县城镇 huining-2022 二（三）五）"), source=src)

    def detail(i: int) -> str:
        tier = p.money(TIER)[i]
        parts = []
        for k in hh.members_of(i):
            if not who[k]:
                continue
            groups = "、".join(label for g, label in GROUPS if masks[g][k])
            parts.append(f"{hh.label(k)}({groups}) {y(tier)} × {pct(share[k])}")
        return (f"参加城乡居民基本养老保险的缴费困难人员，政府代缴最低缴费档次 {y(tier)} 元/年"
                f"{placeholder_mark(p, TIER, i)}：" + "；".join(parts) + f"；合计 {y(amount[i])} 元/年")

    why.note(P, "EM-2", on & hh.any_member(who), detail, source=src)
    other = in_group & in_force & ~who
    why.note(P, "EM-2", on & hh.any_member(other), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if other[k]])} 未参加城乡居民基本养老保险或不在缴费年龄，不代缴"), source=src)
    why.note(P, "EM-2", on & ~hh.any_member(in_group), lambda i: "家庭中无低保对象、特困人员或重度残疾人，不代缴", source=src)
