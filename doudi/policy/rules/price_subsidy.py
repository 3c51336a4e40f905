"""价格临时补贴 (temporary price subsidy): PL-1 with NAT-PL.

In a month whose CPI rises year on year by at least `price_subsidy.trigger.cpi` (3.5%; 3.0%
from 2022-09 to 2023-03) or whose food CPI rises by at least `price_subsidy.trigger.food_cpi`
(6%), each person of the target groups gets, for that month, the monthly 低保 standard (urban
or rural by the household's residence) × the rise; when both trigger, the higher rise.
The month's figures are parameters per province (`price_subsidy.cpi_yoy`, `.food_cpi_yoy`):
an entry counts only for the month of its `from` date (or for any month when set by --set);
with no figure for the month there is no subsidy and the trace says so.

Target groups (each person counted once): special-care recipients on regular pensions (优抚对象),
低保 recipients, 特困 people, people drawing unemployment insurance, orphans (dispersed and in
institutions) and university students from families in difficulty. The subsidy is paid to
each person, so each person's amount is rounded half-up once; the household amount is their sum.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.money import micro_to_fen
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import pct, standard_by_residence, unset_remark, y
from doudi.policy.rules.groups import covered, source
from doudi.policy.trace import Trace
from doudi.policy.wording import cite

PROGRAM = "price_subsidy"
PERIOD = "month"
P = PROGRAM
CPI, FOOD = "price_subsidy.cpi_yoy", "price_subsidy.food_cpi_yoy"
TRIGGER = {CPI: "price_subsidy.trigger.cpi", FOOD: "price_subsidy.trigger.food_cpi"}
LABEL = {CPI: "居民消费价格指数", FOOD: "食品类居民消费价格指数"}
GROUPS = (
    ("special_care", "优抚对象"), ("dibao", "低保对象"), ("tekun", "特困人员"),
    ("unemployment", "领取失业保险金人员"), ("orphan", "孤儿"), ("student", "高校家庭经济困难学生"),
)


def target_groups(hh: Households, done: dict) -> dict[str, np.ndarray]:
    """Person masks of the PL-1 target groups."""
    return {
        "special_care": hh.p("special_care_recipient"),
        "dibao": covered(done, "dibao", hh),
        "tekun": covered(done, "tekun", hh),
        "unemployment": hh.p("unemployment_insurance"),
        "orphan": covered(done, "children", hh, "orphan"),
        "student": hh.p("needy_student"),
    }


def figure_of_month(p: Params, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(has a figure for the household's month, the figure in millionths) per household."""
    has = []
    for r, (_, day, _) in zip(p.resolved(name), p.keys, strict=True):
        dated = r.start is None or (r.start.year, r.start.month) == (day.year, day.month)
        has.append(r.value is not None and dated)
    mask = np.array(has, bool)[p.group] if has else np.zeros(0, bool)
    return mask, np.where(mask, p.ratio(name), 0)


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    groups = target_groups(hh, done)
    target = np.zeros(hh.n_persons, bool)
    for g, _ in GROUPS:
        target |= groups[g]
    n = hh.count_members(target)
    applies = n > 0
    rise, triggered = month_rise(hh, p, why, applies)
    standard = standard_by_residence(hh, p, "dibao.standard.urban", "dibao.standard.rural")
    has_standard = p.isset("dibao.standard.urban") & p.isset("dibao.standard.rural")
    each = micro_to_fen(standard * rise)
    eligible = applies & triggered & has_standard
    amount = np.where(eligible, each * n, 0)
    urban = hh.enum_is("household.residence", "urban")
    note_targets(hh, why, applies, groups)
    why.note(P, "NAT-PL", eligible, lambda i: (
        f"每人补贴 = {'城市' if urban[i] else '农村'}低保标准 {y(standard[i])} × {pct(rise[i])} = {y(each[i])} 元；"
        f"{n[i]} 人 × {y(each[i])} = {y(amount[i])} 元（当月发放）"))
    why.note(P, "NAT-PL", applies & triggered & ~has_standard, lambda i: "本地低保标准未设定，无法计算价格临时补贴")
    return ProgramResult(
        P, PERIOD, applies=applies, eligible=eligible, amount=amount,
        persons={"covered": target & hh.per_person(eligible)},
        extra={"people": np.where(applies, n, 0), "per_person": np.where(eligible, each, 0)}, money=("per_person",),
    )


def month_rise(hh: Households, p: Params, why: Trace, applies: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NAT-PL: the rise that pays (micro), and whether any index triggered, per household."""
    rise = np.zeros(hh.n, np.int64)
    triggered = np.zeros(hh.n, bool)
    for name in (CPI, FOOD):
        has, value = figure_of_month(p, name)
        limit = p.ratio(TRIGGER[name])
        hit = has & (value >= limit)
        rise = np.where(hit, np.maximum(rise, value), rise)
        triggered |= hit
        why.note(P, "NAT-PL", applies & hit, _text(p, name, value, limit, "达到"), source=source(p, TRIGGER[name]))
        why.note(P, "NAT-PL", applies & has & ~hit, _text(p, name, value, limit, "未达到"), source=source(p, TRIGGER[name]))
        why.note(P, "NAT-PL", applies & ~has, lambda i, name=name: (
            f"评估月份 {str(hh.h('date')[i])[:7]} 的{LABEL[name]}同比涨幅未设定{unset_remark(p, name)}，按未启动计"))
    why.note(P, "PL-1", applies & ~triggered, lambda i: "本月价格涨幅未达到启动条件，不发放价格临时补贴")
    return rise, triggered


def _text(p, name, value, limit, verb):
    return lambda i: (f"{LABEL[name]}同比上涨 {pct(value[i])}，{verb}启动条件 {pct(limit[i])}"
                      f"（{cite(p.entry(name, i).source) or '参数'}）")


def note_targets(hh: Households, why: Trace, applies: np.ndarray, groups: dict[str, np.ndarray]) -> None:
    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            labels = [label for g, label in GROUPS if groups[g][k]]
            if labels:
                parts.append(f"{hh.label(k)}（{'、'.join(labels)}）")
        return "保障对象（每人只计一次）：" + "；".join(parts)

    why.note(P, "PL-1", applies, detail)
