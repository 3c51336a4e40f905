"""临时救助 (temporary assistance): TA-1 to TA-3, NAT-TA-KINDS, NAT-TA-AMOUNT. Period: once.

Applies only when the household document has `hardship`. The kind of hardship decides the
type (NAT-TA-KINDS): fire, traffic accident, sudden serious illness, disaster and other major
hardship are urgent (急难型); general hardship is spending-driven / general (支出型).

- General hardship (TA-1): where the formula is in force (huining-2022, urban households) the
  amount is the local urban 低保 standard × people helped × months, months capped (6). Elsewhere
  the amount is the case's decided amount, else the local amount `temporary.general.amount`
  (default none: nothing is granted and the trace says so).
- Major hardship (TA-2; NAT-TA-AMOUNT outside its scope): the amount decided case by case
  (一事一议, `hardship.decided_amount`, with `hardship.reasoning` recorded), else the tier
  amount of its category (`temporary.major.<kind>`, default none).
- NAT-TA-KINDS: spending-driven (支出型) help is for households whose per-capita disposable
  income is below last year's local average (`temporary.spending.income_limit`, yuan per person
  per month; default none: the check is skipped and the trace says so). The per-capita income is
  the 低保 counted monthly income divided by the members.
- TA-3 (Wuhai): a grant must lie within [temporary.grant.min, temporary.grant.max] per household;
  an amount outside is refused, the bounds shown.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from doudi.policy.household import Households, is_constant
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import unset_remark, y
from doudi.policy.schema import HARDSHIP_KINDS
from doudi.policy.trace import Trace

PROGRAM = "temporary"
PERIOD = "once"
P = PROGRAM

MAJOR = ("fire", "traffic_accident", "serious_illness", "disaster", "other_major")
KIND_NAMES = {"general": "一般性基本生活困难", "fire": "火灾", "traffic_accident": "交通事故",
              "serious_illness": "突患重大疾病", "disaster": "灾害", "other_major": "其他重大生活困难"}


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    present = hardship_present(hh)
    kind = np.where(hh.h("hardship.kind") >= 0, hh.h("hardship.kind"), HARDSHIP_KINDS.index("general"))
    major = present & np.isin(kind, [HARDSHIP_KINDS.index(k) for k in MAJOR])
    general = present & ~major
    note_kind(hh, why, present, kind, major)
    over_income, refuse_income = spending_income_check(hh, p, why, general, done)
    amount = np.where(general, general_amount(hh, p, why, general), 0)
    amount = np.where(major, major_amount(hh, p, why, major, kind), amount)
    refused = grant_bounds(hh, p, why, present, amount)
    eligible = present & (amount > 0) & ~refused & ~over_income
    # a refusal ends with the rule that fixed the amount: TA-1 (formula), TA-2 (case by case), else NAT
    nothing = present & (amount == 0)
    by_formula = general & p.flag("temporary.general.formula")
    by_case = major & p.flag("temporary.major.tiered_by_category")
    why.note(P, "TA-1", nothing & by_formula, lambda i: "按公式计算的临时救助金为 0.00 元，本次不予临时救助",
             source=lambda i: p.entry("temporary.general.formula", i).source)
    why.note(P, "TA-2", nothing & by_case, lambda i: "未确定救助金额，本次不予临时救助",
             source=lambda i: p.entry("temporary.major.tiered_by_category", i).source)
    why.note(P, "NAT-TA-AMOUNT", nothing & ~by_formula & ~by_case, lambda i: "未确定救助金额，本次不予临时救助")
    refuse_income()
    words = np.array(HARDSHIP_KINDS, dtype=object)[kind]
    return ProgramResult(
        P, PERIOD, applies=present, eligible=eligible, amount=np.where(eligible, amount, 0),
        persons={"covered": hh.per_person(eligible) & hh.is_member},
        extra={"kind": np.where(present, words, ""),
               "type": np.where(present, np.where(major, "urgent", "spending"), ""),
               "proposed_amount": np.where(present & (amount > 0), amount, 0)},
        money=("proposed_amount",),
    )


def hardship_present(hh: Households) -> np.ndarray:
    """The document has a `hardship` section (any of its fields)."""
    has = ((hh.h("hardship.kind") >= 0) | (hh.h("hardship.people") >= 0) | (hh.h("hardship.months") >= 0)
           | (hh.h("hardship.decided_amount") >= 0))
    reasons = hh.texts.get("household.hardship.reasoning")
    if reasons is not None and not (is_constant(reasons) and reasons[0] is None):
        has = has | np.array([r is not None for r in reasons], bool)
    return has


def _reasoning(hh: Households, i: int) -> str | None:
    reasons = hh.texts.get("household.hardship.reasoning")
    return None if reasons is None else reasons[i]


def note_kind(hh: Households, why: Trace, present: np.ndarray, kind: np.ndarray, major: np.ndarray) -> None:
    """NAT-TA-KINDS: urgent (急难型) or spending-driven / general (支出型)."""
    given = hh.h("hardship.kind") >= 0

    def detail(i: int) -> str:
        name = KIND_NAMES[HARDSHIP_KINDS[int(kind[i])]] + ("" if given[i] else "（未填写困难类型，按一般性困难）")
        if major[i]:
            return f"{name}：急难型临时救助（意外事件、突发重大疾病等），对家庭或个人"
        return f"{name}：支出型/一般性临时救助，以家庭为单位"

    why.note(P, "NAT-TA-KINDS", present, detail)


def general_amount(hh: Households, p: Params, why: Trace, general: np.ndarray) -> np.ndarray:
    """TA-1 where the formula is in force; else the decided or the local amount (NAT-TA-AMOUNT)."""
    formula = general & p.flag("temporary.general.formula")
    standard = p.money("dibao.standard.urban")
    people = np.where(hh.h("hardship.people") >= 0, hh.h("hardship.people"), hh.count_members(hh.is_member))
    months = hh.h("hardship.months")
    cap = p.count("temporary.max_months")
    capped = p.isset("temporary.max_months") & (months > cap)
    counted = np.where(capped, cap, months)
    by_formula = np.where(formula & (months >= 0), standard * people * np.maximum(counted, 0), 0)
    src = lambda i: p.entry("temporary.general.formula", i).source  # noqa: E731
    why.note(P, "TA-1", formula & (months >= 0), lambda i: (
        f"城市低保标准 {y(standard[i])} 元/人·月 × 救助人数 {people[i]} 人 × 困难持续时间 {counted[i]} 个月"
        + (f"（申报 {months[i]} 个月，最长按 {cap[i]} 个月计）" if capped[i] else "")
        + f" = {y(by_formula[i])} 元"), source=src)
    why.note(P, "TA-1", formula & (months < 0), lambda i: "未填写困难持续时间，无法按公式确定临时救助金额",
             source=src)

    other = general & ~formula
    decided = hh.h("hardship.decided_amount")
    local = p.money("temporary.general.amount")
    local_set = p.isset("temporary.general.amount")
    by_decision = np.where(decided >= 0, decided, np.where(local_set, local, 0))
    gsrc = lambda i: p.entry("temporary.general.amount", i).source  # noqa: E731
    why.note(P, "NAT-TA-AMOUNT", other & (decided >= 0), lambda i: (
        f"本地未实行按低保标准计算的公式，按核定金额 {y(decided[i])} 元" + _reason_text(hh, i)), source=gsrc)
    why.note(P, "NAT-TA-AMOUNT", other & (decided < 0) & local_set, lambda i: (
        f"本地一般性困难临时救助标准 {y(local[i])} 元/户"), source=gsrc)
    why.note(P, "NAT-TA-AMOUNT", other & (decided < 0) & ~local_set, lambda i: (
        f"本地未实行按低保标准计算的公式，一般性困难临时救助标准未设定{unset_remark(p, 'temporary.general.amount')}，"
        "金额待一事一议核定"), source=gsrc)
    return np.where(formula, by_formula, np.where(other, by_decision, 0))


def _reason_text(hh: Households, i: int) -> str:
    r = _reasoning(hh, i)
    return f"；理由：{r}" if r else ""


def major_amount(hh: Households, p: Params, why: Trace, major: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """TA-2 (NAT-TA-AMOUNT where huining-2022 does not govern): case by case, else the category tier."""
    decided = hh.h("hardship.decided_amount")
    tiers = np.stack([p.money(f"temporary.major.{k}") for k in MAJOR])
    tiers_set = np.stack([p.isset(f"temporary.major.{k}") for k in MAJOR])
    idx = np.clip(kind - HARDSHIP_KINDS.index(MAJOR[0]), 0, len(MAJOR) - 1)
    cols = np.arange(hh.n)
    tier = tiers[idx, cols] if hh.n else np.zeros(0, np.int64)
    tier_set = tiers_set[idx, cols] if hh.n else np.zeros(0, bool)
    amount = np.where(decided >= 0, decided, np.where(tier_set, tier, 0))
    by_category = p.flag("temporary.major.tiered_by_category")

    def param(i: int) -> str:
        return f"temporary.major.{MAJOR[int(idx[i])]}"

    def detail(i: int) -> str:
        name = KIND_NAMES[MAJOR[int(idx[i])]]
        if decided[i] >= 0:
            r = _reasoning(hh, i)
            return (f"{name}造成重大生活困难，一事一议核定临时救助金 {y(decided[i])} 元；"
                    + (f"理由：{r}" if r else "未记录一事一议理由"))
        if tier_set[i]:
            return f"{name}造成重大生活困难，按类别档次 {y(tier[i])} 元"
        return f"{name}造成重大生活困难，类别档次金额未设定{unset_remark(p, param(i))}，须一事一议核定金额"

    src_tier = lambda i: p.entry("temporary.major.tiered_by_category", i).source  # noqa: E731
    why.note(P, "TA-2", major & by_category, detail, source=src_tier)
    why.note(P, "NAT-TA-AMOUNT", major & ~by_category, detail, source=lambda i: p.entry(param(i), i).source)
    return amount


def _per_capita_income(hh: Households, done: dict) -> np.ndarray:
    """Per-capita counted monthly income in fen (低保 counted income / members), rounded half-up."""
    r = done.get("dibao")
    if r is None:
        return np.full(hh.n, -1, np.int64)
    income = np.asarray(r.extra["counted_income"], np.int64)
    members = np.maximum(np.asarray(r.extra["members"], np.int64), 1)
    return (2 * income + members) // (2 * members)


def spending_income_check(hh: Households, p: Params, why: Trace, general: np.ndarray,
                          done: dict) -> tuple[np.ndarray, Callable[[], None]]:
    """NAT-TA-KINDS: spending-driven help only below last year's local per-capita disposable income.

    Returns the households refused for income at or above the limit and a function that traces
    their refusal (called last, so the trace ends on it). With no limit set the check is skipped
    and the trace says the default was used.
    """
    limit = p.money("temporary.spending.income_limit")
    limit_set = p.isset("temporary.spending.income_limit")
    per_capita = _per_capita_income(hh, done)
    checked = general & limit_set & (per_capita >= 0)
    over = checked & (per_capita >= limit)
    src = lambda i: p.entry("temporary.spending.income_limit", i).source  # noqa: E731
    why.note(P, "NAT-TA-KINDS", general & ~limit_set, lambda i: (
        "支出型临时救助的收入条件（家庭人均可支配收入低于上年度当地平均水平）未设定"
        f"{unset_remark(p, 'temporary.spending.income_limit')}，不作收入核查"), source=src)
    why.note(P, "NAT-TA-KINDS", checked & ~over, lambda i: (
        f"家庭人均月收入 {y(per_capita[i])} 元低于上年度当地人均可支配收入 {y(limit[i])} 元/人·月，"
        "符合支出型临时救助的收入条件"), source=src)

    def refuse() -> None:
        why.note(P, "NAT-TA-KINDS", over, lambda i: (
            f"家庭人均月收入 {y(per_capita[i])} 元不低于上年度当地人均可支配收入 {y(limit[i])} 元/人·月，"
            "不符合支出型临时救助条件，本次不予临时救助"), source=src)

    return over, refuse


def grant_bounds(hh: Households, p: Params, why: Trace, present: np.ndarray, amount: np.ndarray) -> np.ndarray:
    """TA-3: an amount outside [min, max] per household per grant is refused, the bounds shown."""
    lo, hi = p.money("temporary.grant.min"), p.money("temporary.grant.max")
    lo_set, hi_set = p.isset("temporary.grant.min"), p.isset("temporary.grant.max")
    bounded = present & (lo_set | hi_set) & (amount > 0)
    out = bounded & ((lo_set & (amount < lo)) | (hi_set & (amount > hi)))

    def bounds(i: int) -> str:
        return f"{y(lo[i]) if lo_set[i] else '—'}–{y(hi[i]) if hi_set[i] else '—'} 元"

    src = lambda i: p.entry("temporary.grant.min" if lo_set[i] else "temporary.grant.max", i).source  # noqa: E731
    why.note(P, "TA-3", bounded & ~out, lambda i: f"临时救助金 {y(amount[i])} 元在每户每次 {bounds(i)} 范围内", source=src)
    why.note(P, "TA-3", out, lambda i: f"临时救助金 {y(amount[i])} 元不在每户每次 {bounds(i)} 的范围内，不予批准", source=src)
    return out
