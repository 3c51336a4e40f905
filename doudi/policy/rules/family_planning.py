"""计划生育扶助 (family-planning support): FP-1 (wuhai-2014 三.4), as two programs.

- `family_planning_special` (特别扶助金, monthly): each parent of a disabled only child gets
  1200 yuan, each parent of a deceased only child 1500 yuan a month.
- `family_planning_reward` (扶助金, yearly): in a rural household, each parent of a family with
  one child (a disabled only child is one child), two girls, or two girls both deceased gets
  2000 yuan a year; in an urban household with one child, each parent aged 49 or over who is
  without work (无业, which the text defines as not in the basic pension pooling:
  `pension_insured` false, and not `employed`) gets 2000 yuan a year.
The parents are the members whose relation is `self` or `spouse`; the household's situation is
`family_planning`. The figures are Wuhai's; elsewhere they are none and nothing is paid.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import names, y
from doudi.policy.rules.groups import source
from doudi.policy.schema import FAMILY_PLANNING
from doudi.policy.trace import Trace

PROGRAM = "family_planning"
SPECIAL, REWARD = "family_planning_special", "family_planning_reward"
PROGRAMS = (SPECIAL, REWARD)  # the two programs this module decides
PERIOD = "month"  # of the special support; the reward is yearly (PERIODS)
PERIODS = {SPECIAL: "month", REWARD: "year"}
SPECIAL_KINDS = {"only_child_disabled": ("family_planning.special.disabled_only_child", "独生子女伤残家庭"),
                 "only_child_deceased": ("family_planning.special.deceased_only_child", "独生子女死亡家庭")}
RURAL_KINDS = ("one_child", "two_girls", "no_child_after_two_girls", "only_child_disabled")
URBAN_KINDS = ("one_child", "only_child_disabled")
KIND_NAMES = {"one_child": "现有一个子女", "two_girls": "两个女孩", "no_child_after_two_girls": "两个女孩相继死亡现无子女",
              "only_child_disabled": "独生子女伤残", "only_child_deceased": "独生子女死亡"}


def decide(hh: Households, p: Params, why: Trace, done: dict) -> list[ProgramResult]:
    applies = hh.h("family_planning") >= 0
    parent = hh.enum_is("relation", "self", "spouse") & hh.per_person(applies)
    return [special(hh, p, why, applies, parent), reward(hh, p, why, applies, parent)]


def _kind(hh: Households, i: int) -> str:
    return FAMILY_PLANNING[int(hh.h("family_planning")[i])]


def special(hh: Households, p: Params, why: Trace, applies: np.ndarray, parent: np.ndarray) -> ProgramResult:
    """FP-1 特别扶助金: per parent per month."""
    rate = np.zeros(hh.n, np.int64)
    isset = np.zeros(hh.n, bool)
    kind = np.zeros(hh.n, bool)
    for word, (name, _) in SPECIAL_KINDS.items():
        m = hh.enum_is("household.family_planning", word)
        rate = np.where(m, p.money(name), rate)
        isset |= m & p.isset(name)
        kind |= m
    k = hh.count_members(parent)
    eligible = kind & isset & (k > 0)
    amount = np.where(eligible, rate * k, 0)

    def label(i: int) -> str:
        return SPECIAL_KINDS[_kind(hh, i)][1]

    def src(i: int) -> str | None:
        return p.entry(SPECIAL_KINDS[_kind(hh, i)][0], i).source or None

    why.note(SPECIAL, "FP-1", eligible, lambda i: (
        f"{label(i)}父母 {names(hh, [m for m in hh.members_of(i) if parent[m]])} 每人每月 {y(rate[i])} 元："
        f"{y(rate[i])} × {k[i]} = {y(amount[i])} 元/月"), source=src)
    why.note(SPECIAL, "FP-1", kind & ~isset, lambda i: (
        f"{label(i)}：本地区未规定计划生育特别扶助金标准（wuhai-2014 三.4 为乌海市标准）"))
    why.note(SPECIAL, "FP-1", kind & isset & (k == 0), lambda i: "家庭成员中无父母（申请人本人或配偶），无人可领")
    why.note(SPECIAL, "FP-1", applies & ~kind, lambda i: f"计划生育情况为「{KIND_NAMES[_kind(hh, i)]}」，不属独生子女伤残或死亡家庭")
    return ProgramResult(SPECIAL, "month", applies=applies, eligible=eligible, amount=amount,
                         persons={"covered": parent & hh.per_person(eligible)})


def reward(hh: Households, p: Params, why: Trace, applies: np.ndarray, parent: np.ndarray) -> ProgramResult:
    """FP-1 扶助金: per parent per year, rural or urban."""
    urban = hh.enum_is("household.residence", "urban")
    rural_kind = ~urban & hh.enum_is("household.family_planning", *RURAL_KINDS)
    urban_kind = urban & hh.enum_is("household.family_planning", *URBAN_KINDS)
    rural_on = rural_kind & p.isset("family_planning.reward.rural")
    urban_on = urban_kind & p.isset("family_planning.reward.urban")
    rural_parent = parent & hh.per_person(rural_on)
    min_age = hh.per_person(p.count("family_planning.reward.urban_min_age"))
    insured = (hh.p("pension_insured") == 1) | (hh.p("pension_scheme") >= 0)
    not_insured = (hh.p("pension_insured") == 0) & (hh.p("pension_scheme") < 0)
    no_work = not_insured & (hh.p("employed") != 1)
    old_enough = (hh.age >= 0) & (hh.age >= min_age)
    urban_candidate = parent & hh.per_person(urban_on)
    urban_parent = urban_candidate & no_work & old_enough
    who = rural_parent | urban_parent
    rate = np.where(urban, p.money("family_planning.reward.urban"), p.money("family_planning.reward.rural"))
    k = hh.count_members(who)
    amount = rate * k
    eligible = k > 0
    name_of = lambda i: "family_planning.reward.urban" if urban[i] else "family_planning.reward.rural"  # noqa: E731

    why.note(REWARD, "FP-1", eligible, lambda i: (
        f"{'城区' if urban[i] else '农区'}计划生育家庭（{KIND_NAMES[_kind(hh, i)]}），"
        f"{names(hh, [m for m in hh.members_of(i) if who[m]])} 每人每年 {y(rate[i])} 元：{y(rate[i])} × {k[i]} = {y(amount[i])} 元/年"),
        source=lambda i: p.entry(name_of(i), i).source or None)
    out = urban_candidate & ~urban_parent

    def why_not(m: int) -> str:
        if insured[m] or hh.p("employed")[m] == 1:
            return "有业或参加社会基本养老保险"
        if not no_work[m]:
            return "未说明是否参加社会基本养老保险"
        return f"未满 {int(min_age[m])} 周岁" if hh.age[m] >= 0 else "出生日期未知"

    why.note(REWARD, "FP-1", hh.any_member(out), lambda i: "城区独生子女家庭：" + "；".join(
        f"{hh.label(m)} {why_not(m)}，不予扶助" for m in hh.members_of(i) if out[m]),
        source=source(p, "family_planning.reward.urban"))
    off = (rural_kind & ~rural_on) | (urban_kind & ~urban_on)
    why.note(REWARD, "FP-1", off, lambda i: "本地区未规定计划生育扶助金标准（wuhai-2014 三.4 为乌海市标准）")
    why.note(REWARD, "FP-1", applies & ~rural_kind & ~urban_kind, lambda i: (
        f"{'城区' if urban[i] else '农区'}计划生育情况为「{KIND_NAMES[_kind(hh, i)]}」，不属扶助金对象"))
    return ProgramResult(REWARD, "year", applies=applies, eligible=eligible, amount=np.where(eligible, amount, 0),
                         persons={"covered": who})
