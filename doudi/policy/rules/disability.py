"""残疾人两项补贴 (the two disability subsidies): DS-1 with NAT-DS-TWO.

- 困难残疾人生活补贴 (living subsidy): disabled people (certificate grade 1–4) covered by 低保.
- 重度残疾人护理补贴 (care subsidy): grade 1–2 disabled people needing long-term care (6 months
  or more; `needs_long_term_care`, default yes for grade 1–2).
Both may be received together. The amounts are set by the province (`disability.living_subsidy`,
`disability.care_subsidy.grade1`, `.grade2`, yuan per person per month; none nationally). A
child who receives the orphan allowance (CH-1, decided before) gets the care subsidy but not the
living subsidy. Neither subsidy is counted as 低保 income (the 低保 test reads declared income only).
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import names, unset_remark, y
from doudi.policy.rules.groups import covered, placeholder_mark, source
from doudi.policy.trace import Trace

PROGRAM = "disability"
PERIOD = "month"
P = PROGRAM
LIVING = "disability.living_subsidy"
CARE = {1: "disability.care_subsidy.grade1", 2: "disability.care_subsidy.grade2"}


def living_eligible(hh: Households, done: dict, orphan_allowance: np.ndarray) -> np.ndarray:
    """NAT-DS-TWO: disabled members of a 低保 household, except orphan-allowance children."""
    return (hh.p("disability.grade") >= 1) & covered(done, "dibao", hh) & ~orphan_allowance


def care_eligible(hh: Households) -> np.ndarray:
    """NAT-DS-TWO: grade 1–2 needing long-term care (unknown counts as yes for grade 1–2)."""
    g = hh.p("disability.grade")
    return (g >= 1) & (g <= 2) & (hh.p("needs_long_term_care") != 0)


def subsidies(hh: Households, p: Params, done: dict, orphan_allowance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person: (living subsidy, care subsidy) in fen per month. Amounts not set count 0."""
    living_ok = living_eligible(hh, done, orphan_allowance) & hh.per_person(p.isset(LIVING))
    living = np.where(living_ok, hh.per_person(p.money(LIVING)), 0)
    g = hh.p("disability.grade")
    care_rate = np.where(g == 1, hh.per_person(p.money(CARE[1])), hh.per_person(p.money(CARE[2])))
    care_set = np.where(g == 1, hh.per_person(p.isset(CARE[1])), hh.per_person(p.isset(CARE[2])))
    care = np.where(care_eligible(hh) & care_set, care_rate, 0)
    return living.astype(np.int64), care.astype(np.int64)


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    disabled = hh.p("disability.grade") >= 1
    orphan_allowance = covered(done, "children", hh, "orphan_allowance")
    living, care = subsidies(hh, p, done, orphan_allowance)
    note_living(hh, p, why, done, orphan_allowance, living)
    note_care(hh, p, why, care)
    living_h, care_h = hh.sum_members(living), hh.sum_members(care)
    amount = living_h + care_h
    eligible = hh.any_member(living_eligible(hh, done, orphan_allowance) | care_eligible(hh))
    why.note(P, "DS-1", eligible, lambda i: (
        f"两项补贴可同时享受，合计 {y(living_h[i])} + {y(care_h[i])} = {y(amount[i])} 元/月；不计入低保家庭收入"))
    return ProgramResult(
        P, PERIOD, applies=hh.any_member(disabled), eligible=eligible, amount=amount,
        persons={"covered": (living > 0) | (care > 0), "living": living, "care": care},
        extra={"living_subsidy": living_h, "care_subsidy": care_h}, money=("living_subsidy", "care_subsidy"),
    )


def note_living(hh, p, why, done, orphan_allowance, living) -> None:
    disabled = hh.p("disability.grade") >= 1
    dibao = covered(done, "dibao", hh)
    ok = disabled & dibao & ~orphan_allowance
    unset = ~p.isset(LIVING)
    who = lambda mask: lambda i: names(hh, [k for k in hh.members_of(i) if mask[k]])  # noqa: E731
    why.note(P, "NAT-DS-TWO", hh.any_member(ok) & ~unset, lambda i: (
        f"困难残疾人生活补贴：低保家庭中的残疾人 {who(ok)(i)}，每人 {y(p.money(LIVING)[i])} 元/月"
        f"{placeholder_mark(p, LIVING, i)}，合计 {y(hh.sum_members(living)[i])} 元"), source=source(p, LIVING))
    why.note(P, "NAT-DS-TWO", hh.any_member(ok) & unset, lambda i: (
        f"困难残疾人生活补贴：{who(ok)(i)} 符合条件，但本省补贴标准未设定{unset_remark(p, LIVING)}，按 0 计"))
    why.note(P, "NAT-DS-TWO", hh.any_member(disabled & dibao & orphan_allowance), lambda i: (
        f"{who(disabled & dibao & orphan_allowance)(i)} 领取孤儿基本生活费，不享受困难残疾人生活补贴（可享受护理补贴）"))
    why.note(P, "NAT-DS-TWO", hh.any_member(disabled & ~dibao), lambda i: (
        f"{who(disabled & ~dibao)(i)} 不在低保家庭，不享受困难残疾人生活补贴"))


def note_care(hh, p, why, care) -> None:
    g = hh.p("disability.grade")
    ok = care_eligible(hh)
    no_need = (g >= 1) & (g <= 2) & (hh.p("needs_long_term_care") == 0)

    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            if not ok[k]:
                continue
            name = CARE[int(g[k])]
            if p.isset(name)[i]:
                parts.append(f"{hh.label(k)}（{g[k]} 级）{y(care[k])} 元/月{placeholder_mark(p, name, i)}")
            else:
                parts.append(f"{hh.label(k)}（{g[k]} 级）本省补贴标准未设定{unset_remark(p, name)}，按 0 计")
        return "重度残疾人护理补贴（一、二级，需长期照护 6 个月以上）：" + "；".join(parts)

    why.note(P, "NAT-DS-TWO", hh.any_member(ok), detail, source=source(p, CARE[1]))
    why.note(P, "NAT-DS-TWO", hh.any_member(no_need), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if no_need[k]])} 不需长期照护，不享受护理补贴"))
    why.note(P, "DS-1", hh.any_member((g >= 3) & ~ok), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if g[k] >= 3])} 残疾等级三、四级，不享受重度残疾人护理补贴"))
