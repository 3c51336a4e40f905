"""孤儿、事实无人抚养儿童基本生活保障: CH-1 with NAT-CH-ORPHAN and NAT-CH-DEFACTO.

- An orphan (`orphan`: both parents dead or not to be found) under 18 gets the orphan allowance:
  the institutional standard when living in an institution (`institutional`), else the dispersed
  standard (NAT-CH-ORPHAN), unless he chose 特困 support instead (NAT-TK-MINOR: he is then covered
  by 特困, decided before this program).
- A de-facto-unsupported child (事实无人抚养儿童, NAT-CH-DEFACTO) and, where the region says so
  (baotou-2017: `children.hiv_covered`), an HIV-infected child get the same standard; where the
  child already receives 低保 (his share of the household's amount), 特困 support or disability
  subsidies, the allowance tops those up to the orphan standard (补差): standard − those, not below 0.
- The allowance is not counted as 低保 income (the 低保 test reads declared income only).
Amounts are fen per child per month; the household amount is their sum.
"""

from __future__ import annotations

import numpy as np

from doudi.policy.household import Households
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules import disability
from doudi.policy.rules.common import names, unset_remark, y
from doudi.policy.rules.groups import covered, person_share, placeholder_mark, source
from doudi.policy.trace import Trace

PROGRAM = "children"
PERIOD = "month"
P = PROGRAM
DISPERSED = "children.orphan_standard.dispersed"
INSTITUTIONAL = "children.orphan_standard.institutional"


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    minor = (hh.age >= 0) & (hh.age < hh.per_person(p.count("children.max_age")))
    tekun = covered(done, "tekun", hh)
    orphan = hh.p("orphan") & minor
    orphan_allowance = orphan & ~tekun
    defacto = hh.p("de_facto_unsupported") & minor & ~orphan & hh.per_person(p.flag("children.defacto_covered"))
    hiv = (hh.p("hiv_affected") & minor & ~orphan & ~defacto & hh.per_person(p.flag("children.hiv_covered")))
    standard = child_standard(hh, p)
    topped = defacto | hiv
    other = other_support(hh, p, done, topped)
    allowance = np.where(orphan_allowance, standard, np.where(topped, np.maximum(standard - other, 0), 0))

    note_orphans(hh, p, why, orphan, orphan_allowance, tekun, standard)
    note_topped(hh, p, why, defacto, hiv, standard, other, allowance)
    note_not_qualified(hh, p, why, minor)

    child = orphan_allowance | topped
    amount = hh.sum_members(allowance)
    eligible = hh.any_member(child)
    why.note(P, "CH-1", eligible, lambda i: f"基本生活费合计 {y(amount[i])} 元/月，不计入低保家庭收入")
    flagged = hh.p("orphan") | hh.p("de_facto_unsupported") | hh.p("hiv_affected")
    return ProgramResult(
        P, PERIOD, applies=hh.any_member(flagged), eligible=eligible, amount=amount,
        persons={"covered": child, "orphan": orphan, "orphan_allowance": orphan_allowance, "allowance": allowance},
    )


def child_standard(hh: Households, p: Params) -> np.ndarray:
    """Per person: the institutional or dispersed orphan standard (fen per month)."""
    inst = hh.p("institutional")
    return np.where(inst, hh.per_person(p.money(INSTITUTIONAL)), hh.per_person(p.money(DISPERSED))).astype(np.int64)


def other_support(hh: Households, p: Params, done: dict, who: np.ndarray) -> np.ndarray:
    """Per person: 低保 share + 特困 share + disability subsidies the child already receives (fen)."""
    living, care = disability.subsidies(hh, p, done, np.zeros(hh.n_persons, bool))
    total = person_share(done, "dibao", hh) + person_share(done, "tekun", hh) + living + care
    return np.where(who, total, 0)


def _std_name(hh: Households, k: int) -> str:
    return INSTITUTIONAL if hh.p("institutional")[k] else DISPERSED


def _std_text(hh: Households, p: Params, i: int, k: int, standard: np.ndarray) -> str:
    name = _std_name(hh, k)
    kind = "机构养育" if hh.p("institutional")[k] else "社会散居"
    if not p.isset(name)[i]:
        return f"{kind}孤儿基本生活保障标准未设定{unset_remark(p, name)}，按 0 计"
    return f"{kind}孤儿基本生活保障标准 {y(standard[k])} 元/月{placeholder_mark(p, name, i)}"


def note_orphans(hh, p, why, orphan, orphan_allowance, tekun, standard) -> None:
    why.note(P, "NAT-CH-ORPHAN", hh.any_member(orphan_allowance), lambda i: "孤儿（未满18周岁，父母双亡或查找不到）：" + "；".join(
        f"{hh.label(k)} 按{_std_text(hh, p, i, k, standard)}" for k in hh.members_of(i) if orphan_allowance[k]),
        source=lambda i: p.entry(DISPERSED, i).source or None)
    chose = orphan & tekun
    why.note(P, "NAT-TK-MINOR", hh.any_member(chose), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if chose[k]])} 已选择特困人员救助供养，不再领取孤儿基本生活费"))
    why.note(P, "CH-1", hh.any_member(orphan_allowance), lambda i: (
        "孤儿基本生活保障；未纳入孤儿基本生活保障的孤儿应纳入低保或临时救助"))


def note_topped(hh, p, why, defacto, hiv, standard, other, allowance) -> None:
    def detail(mask, what):
        def text(i: int) -> str:
            parts = []
            for k in hh.members_of(i):
                if not mask[k]:
                    continue
                if other[k]:
                    parts.append(f"{hh.label(k)} {_std_text(hh, p, i, k, standard)}，已领低保、特困、残疾人补贴 {y(other[k])} 元，"
                                 f"补差 {y(standard[k])} − {y(other[k])} = {y(allowance[k])} 元")
                else:
                    parts.append(f"{hh.label(k)} {_std_text(hh, p, i, k, standard)}，发放 {y(allowance[k])} 元")
            return f"{what}参照孤儿基本生活保障标准：" + "；".join(parts)
        return text

    why.note(P, "NAT-CH-DEFACTO", hh.any_member(defacto), detail(defacto, "事实无人抚养儿童"),
             source=source(p, "children.defacto_covered"))
    why.note(P, "CH-1", hh.any_member(hiv), detail(hiv, "艾滋病病毒感染儿童"), source=source(p, "children.hiv_covered"))


def note_not_qualified(hh, p, why, minor) -> None:
    flagged = hh.p("orphan") | hh.p("de_facto_unsupported") | hh.p("hiv_affected")
    unknown = flagged & (hh.age < 0)
    adult = flagged & (hh.age >= 0) & ~minor
    why.note(P, "NAT-CH-ORPHAN", hh.any_member(unknown), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if unknown[k]])} 出生日期未知，无法确认未满 {p.value('children.max_age', i)} 周岁"))
    why.note(P, "NAT-CH-ORPHAN", hh.any_member(adult), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if adult[k]])} 已满 {p.value('children.max_age', i)} 周岁，不属于孤儿或事实无人抚养儿童"))
    defacto_off = hh.p("de_facto_unsupported") & minor & ~hh.p("orphan") & ~hh.per_person(p.flag("children.defacto_covered"))
    why.note(P, "NAT-CH-DEFACTO", hh.any_member(defacto_off), lambda i: "事实无人抚养儿童保障在评估日期尚未实行")
    hiv_off = (hh.p("hiv_affected") & minor & ~hh.p("orphan") & ~hh.p("de_facto_unsupported")
               & ~hh.per_person(p.flag("children.hiv_covered")))
    why.note(P, "CH-1", hh.any_member(hiv_off), lambda i: (
        f"{names(hh, [k for k in hh.members_of(i) if hiv_off[k]])} 为艾滋病病毒感染儿童；本地区未规定参照孤儿标准发放基本生活费"
        "（包头市 baotou-2017 三（三）1 有此规定）"))
