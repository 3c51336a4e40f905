"""住房救助 (housing assistance): HO-1.

A 低保 household, or a household with a 特困 member, that owns no home (`assets.homes` = 0) or
whose living space per member (`assets.living_space_m2` ÷ the members who live together,
NAT-DB-MEMBERS) is below the region's threshold gets housing assistance: public rental housing
or a rent subsidy, the rent reduced.

Where HO-1 is in force and its threshold come from data: Wuhai (wuhai-2014 七.9) names 15 m²;
Huining (huining-2022 二(三)三, urban households) leaves the standard to the county, so HO-1's
15 m² stands there as a placeholder; elsewhere HO-1 is not in force (national default). The
rent subsidy (`housing.rent_subsidy`, yuan per household per month) defaults to none: the
household is eligible with amount 0 and the trace says so.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.money import round_half_up_div
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import unset_remark, y
from doudi.policy.rules.groups import covered, placeholder_mark, source
from doudi.policy.trace import Trace

PROGRAM = "housing"
PERIOD = "month"
P = PROGRAM
MAX = "housing.living_space_per_person_max"
RENT = "housing.rent_subsidy"


def m2(hundredths: int | np.integer) -> str:
    return y(hundredths)  # hundredths of m² print like fen: 2 decimals


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    homes = hh.h("assets.homes")
    space = hh.h("assets.living_space_m2")
    applies = (homes >= 0) | (space >= 0)
    in_force = p.flag("housing.in_force")
    dibao = done["dibao"].eligible if "dibao" in done else np.zeros(hh.n, bool)
    tekun = hh.any_member(covered(done, "tekun", hh))
    assisted = dibao | tekun
    n = hh.count_members(hh.is_member)
    limit = p.area(MAX)
    has_limit = p.isset(MAX)
    no_home = homes == 0
    small = has_limit & (space >= 0) & (n > 0) & (space < limit * n)
    need = no_home | small
    eligible = applies & in_force & assisted & need
    amount = np.where(eligible, p.money(RENT), 0)
    note(hh, p, why, applies, in_force, assisted, dibao, tekun, homes, space, n, limit, has_limit, need, eligible)
    return ProgramResult(
        P, PERIOD, applies=applies, eligible=eligible, amount=amount,
        persons={"covered": hh.per_person(eligible) & hh.is_member},
    )


def note(hh, p, why, applies, in_force, assisted, dibao, tekun, homes, space, n, limit, has_limit, need, eligible) -> None:
    src = source(p, "housing.in_force")
    why.note(P, "HO-1", applies & ~in_force, lambda i: (
        "本地区未实行 HO-1 住房救助认定标准（乌海市 wuhai-2014 七.9、会宁县城镇 huining-2022 二（三）三）"), source=src)
    on = applies & in_force
    why.note(P, "HO-1", on & ~assisted, lambda i: "非低保家庭、无特困人员，不属住房救助对象", source=src)
    who = lambda i: "低保家庭" if dibao[i] else "特困人员家庭"  # noqa: E731
    per = round_half_up_div(np.maximum(space, 0), np.maximum(n, 1))

    def housing_text(i: int) -> str:
        if homes[i] == 0:
            return "无自有住房"
        if space[i] < 0:
            return "未提供居住面积"
        if not has_limit[i]:
            return f"人均居住面积 {m2(per[i])} m²；本地人均面积标准未设定{unset_remark(p, MAX)}，仅无房家庭可认定"
        cmp = "<" if space[i] < limit[i] * n[i] else "≥"
        return (f"居住面积 {m2(space[i])} m² ÷ {n[i]} 人 = {m2(per[i])} m²/人 {cmp} {m2(limit[i])} m²/人"
                f"{placeholder_mark(p, MAX, i)}")

    why.note(P, "HO-1", on & assisted & need, lambda i: f"{who(i)}，{housing_text(i)}，属住房困难，给予住房救助（优先配租公共租赁住房或发放租赁补贴，租金减免）",
             source=source(p, MAX))
    why.note(P, "HO-1", on & assisted & ~need, lambda i: f"{who(i)}，{housing_text(i)}，不属住房困难", source=source(p, MAX))
    rent_set = p.isset(RENT)
    why.note(P, "HO-1", eligible & rent_set, lambda i: f"租赁补贴 {y(p.money(RENT)[i])} 元/户·月{placeholder_mark(p, RENT, i)}",
             source=source(p, RENT))
    why.note(P, "HO-1", eligible & ~rent_set, lambda i: f"租赁补贴标准未设定{unset_remark(p, RENT)}，金额按 0 计", source=src)
