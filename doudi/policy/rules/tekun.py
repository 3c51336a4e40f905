"""特困人员救助供养 (Tekun): extreme-poverty support — TK-1 to TK-4, TK-7, NAT-TK-*.

特困 is decided per person (特困人员认定办法 Art.4, TK-4): a member is covered when he has no
ability to work (NAT-TK-ABILITY, TK-3), no source of living (NAT-TK-INCOME) and no one with a
legal duty of support able to support him (NAT-TK-SUPPORTER); a minor who takes the orphan or
de-facto-unsupported child allowance instead is not (NAT-TK-MINOR).

Each covered person gets the basic-living standard (TK-1: ratio × the 低保 standard; TK-7: in
Wuhai the rural standard is computed on the urban 低保 standard) plus the care standard of his
self-care tier (TK-2, NAT-TK-SELFCARE). The household amount is the sum over covered persons,
monthly, in fen, rounded half-up once at the end.

Supporters inside the household: every other listed person aged 18 or more (or of unknown age)
is taken to owe support; he counts as unable when Art.8 says so (he is 特困 himself, a 低保
recipient aged 60+, aged 70+ or severely disabled with a yearly income below last year's local
per-capita disposable income, missing, or in prison). Supporters living elsewhere are the
household's `legal_supporters` (none | unable | able).
"""

from __future__ import annotations

import numpy as np

from doudi.policy.errors import InputError
from doudi.policy.household import Households
from doudi.policy.money import micro_to_fen
from doudi.policy.params import Params
from doudi.policy.result import ProgramResult
from doudi.policy.rules.common import names, ratio, severely_disabled, unset_remark, y
from doudi.policy.trace import Trace

PROGRAM = "tekun"
PERIOD = "month"
P = PROGRAM

TIERS = ("full", "partial", "none")  # self_care vocabulary order (schema.ABILITY)
TIER_NAMES = ("生活能够自理", "部分丧失生活自理能力", "完全丧失生活自理能力")
SCHOOL_AFTER_18 = ("primary", "junior", "senior", "vocational")  # Art.10: 义务教育、普通高中、中等职业学校


def decide(hh: Households, p: Params, why: Trace, done: dict) -> ProgramResult:
    tier = self_care_tier(hh)  # validates the self-care fields first: bad input is refused
    member = hh.is_member
    unable, reasons = no_ability_to_work(hh, p, member)
    candidates = hh.any_member(unable)
    note_ability(hh, why, candidates, unable, reasons)
    disability_cover(hh, p, why, unable)
    own_income = _own_income(done, hh)
    standard = dibao_standard_per_person(hh, p)
    no_living = no_source_of_living(hh, p, why, unable, own_income, standard)
    base = unable & no_living
    has_supporter = supporter_able(hh, p, why, done, base, own_income)
    meets = base & ~has_supporter
    minor_choice = minor_takes_child_allowance(hh, p, why, meets)
    covered = meets & ~minor_choice
    note_conditions(hh, why, candidates, unable, no_living, has_supporter, minor_choice, covered)

    basic = basic_standard(hh, p, why, covered)
    care = care_standard(hh, p, why, covered, tier)
    # TK-1 sets a standard per person (元/人·月): each covered person's basic-living standard is
    # rounded half-up to the fen once, as the trace states it, and the household sums the persons.
    amount = hh.sum_members(np.where(covered, micro_to_fen(basic) + care, 0))
    eligible = hh.any_member(covered)
    k = hh.count_members(covered)
    why.note(P, "TK-1", eligible, lambda i: (
        f"特困供养金合计 {y(amount[i])} 元/月（{k[i]} 人基本生活标准（每人四舍五入到分）与照料护理标准之和）"))
    return ProgramResult(
        # Every household has 特困's inputs (its members' ages, disabilities, incomes, supporters):
        # the program is always in the decision, a refusal ending with the condition that failed.
        P, PERIOD, applies=np.ones(hh.n, bool), eligible=eligible, amount=np.where(eligible, amount, 0),
        persons={"covered": covered, "self_care_tier": tier, "basic_standard": micro_to_fen(basic),
                 "care_standard": care},
        extra={"covered_persons": k},
    )


def _own_income(done: dict, hh: Households) -> np.ndarray:
    r = done.get("dibao")
    col = None if r is None else r.persons.get("own_income")
    if col is None:
        from doudi.policy.rules.dibao import counted_income_by_person
        col = counted_income_by_person(hh)
    return np.asarray(col, np.int64)


# --- NAT-TK-SELFCARE ---------------------------------------------------------------------------

def self_care_tier(hh: Households) -> np.ndarray:
    """NAT-TK-SELFCARE: 0 full self-care, 1 partly lost, 2 wholly lost, per person.

    From `self_care` or from `self_care_tasks_unable` (of the six tasks: 0 → full, 1–3 →
    partly lost, 4–6 → wholly lost); both given must agree. Neither given: full self-care.
    """
    said = hh.p("self_care").astype(np.int64)
    tasks = hh.p("self_care_tasks_unable")
    from_tasks = np.where(tasks <= 0, 0, np.where(tasks <= 3, 1, 2))
    clash = (said >= 0) & (tasks >= 0) & (said != from_tasks)
    if clash.any():
        k = int(np.flatnonzero(clash)[0])
        i = int(hh.person_hh[k])
        j = k - int(hh.offsets[i])
        where = f"members[{j}].self_care" if hh.n == 1 else f"household {hh.ids[i]} members[{j}].self_care"
        raise InputError(where, f"{TIERS[int(from_tasks[k])]} to agree with self_care_tasks_unable = {int(tasks[k])} "
                         "(0 tasks unable = full, 1–3 = partial, 4–6 = none)", TIERS[int(said[k])])
    return np.where(said >= 0, said, np.where(tasks >= 0, from_tasks, 0)).astype(np.int64)


# --- TK-4 conditions: ability, living, supporters -----------------------------------------------

def tk3_disability(hh: Households) -> np.ndarray:
    """TK-3, NAT-TK-ABILITY: grade 1–3 intellectual or mental, grade 1–2 physical, grade 1 visual."""
    g = hh.p("disability.grade")
    im = hh.enum_is("disability.kind", "intellectual", "mental")
    phys = hh.enum_is("disability.kind", "physical")
    vis = hh.enum_is("disability.kind", "visual")
    return (g >= 1) & ((im & (g <= 3)) | (phys & (g <= 2)) | (vis & (g == 1)))


def no_ability_to_work(hh: Households, p: Params, member: np.ndarray) -> tuple[np.ndarray, list]:
    """NAT-TK-ABILITY: aged 60+; under 16 (covered until 18, beyond 18 while in school); TK-3 disability."""
    age = hh.age
    old = (age >= 0) & (age >= hh.per_person(p.count("tekun.old_age")))
    minor_age = hh.per_person(p.count("tekun.minor_age"))
    until = hh.per_person(p.count("tekun.minor_cover_until"))
    minor = (age >= 0) & (age < minor_age)
    minor_cont = (age >= minor_age) & (age < until)
    in_school = hh.enum_is("school.stage", *SCHOOL_AFTER_18)
    student = (age >= until) & in_school & (age < hh.per_person(p.count("tekun.old_age")))
    disabled = tk3_disability(hh) & hh.per_person(p.flag("tekun.disability_cover"))
    reasons = [(old, lambda k: f"{age[k]} 周岁，已满 {p.value('tekun.old_age', hh.person_hh[k])} 周岁"),
               (minor, lambda k: f"{age[k]} 周岁，未满 {minor_age[k]} 周岁"),
               (minor_cont, lambda k: f"{age[k]} 周岁，未成年人可继续享受救助供养至 {until[k]} 周岁"),
               (student, lambda k: f"{age[k]} 周岁，仍在校就读，可继续享受救助供养"),
               (disabled, lambda k: "残疾等级符合无劳动能力情形")]
    unable = member & (old | minor | minor_cont | student | disabled)
    return unable, reasons


def note_ability(hh: Households, why: Trace, candidates: np.ndarray, unable: np.ndarray, reasons: list) -> None:
    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            if unable[k]:
                why_k = "；".join(text(k) for mask, text in reasons if mask[k])
                parts.append(f"{hh.label(k)}（{why_k}）")
        return "无劳动能力：" + "；".join(parts)

    why.note(P, "NAT-TK-ABILITY", candidates, detail)
    why.note(P, "NAT-TK-ABILITY", ~candidates, lambda i: "无成员符合无劳动能力情形（60 周岁以上、未成年人或规定等级的残疾人），不属特困人员")


def disability_cover(hh: Households, p: Params, why: Trace, unable: np.ndarray) -> None:
    """TK-3: the listed disabilities are no ability to work. Cited as TK-3 with the clause of
    the seed level that says so (`tekun.disability_cover`, scoped like every parameter), else
    as the national NAT-TK-ABILITY."""
    dis = unable & tk3_disability(hh)
    has = hh.any_member(dis)
    local = np.array([r.level != "national" for r in p.resolved("tekun.disability_cover")], bool)
    local = local[p.group] if len(local) else np.zeros(hh.n, bool)

    def detail(i: int) -> str:
        return ("一、二、三级智力、精神残疾，一、二级肢体残疾和一级视力残疾人员中符合条件的全部纳入特困人员救助供养范围："
                + names(hh, [k for k in hh.members_of(i) if dis[k]]))

    src = lambda i: p.entry("tekun.disability_cover", i).source  # noqa: E731
    why.note(P, "TK-3", has & local, detail, source=src)
    why.note(P, "NAT-TK-ABILITY", has & ~local, detail, source=src)


def dibao_standard_per_person(hh: Households, p: Params) -> np.ndarray:
    urban = hh.enum_is("household.residence", "urban")
    return hh.per_person(np.where(urban, p.money("dibao.standard.urban"), p.money("dibao.standard.rural")))


def no_source_of_living(hh: Households, p: Params, why: Trace, unable: np.ndarray,
                        own_income: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """NAT-TK-INCOME: own counted income below the 低保 standard, property within the local rule.

    The basic pension, special-care pensions and the other not-counted kinds (DB-3) are left
    out; the property limit (financial assets per member) defaults to none.
    """
    n = np.maximum(hh.count_members(hh.is_member), 1)
    lim = p.money("tekun.property.financial_max_per_capita")
    limited = p.isset("tekun.property.financial_max_per_capita")
    property_ok = ~limited | (hh.h("assets.financial") <= lim * n)
    has_standard = hh.per_person(p.isset("dibao.standard.urban") & p.isset("dibao.standard.rural"))
    ok = has_standard & (own_income < standard) & hh.per_person(property_ok)
    cand = hh.any_member(unable)

    def detail(i: int) -> str:
        parts = [f"{hh.label(k)} 本人计入收入 {y(own_income[k])} 元/月{'<' if own_income[k] < standard[k] else '≥'}"
                 f" 低保标准 {y(standard[k])} 元" for k in hh.members_of(i) if unable[k]]
        prop = ("家庭金融资产 " + y(hh.h("assets.financial")[i]) + (" 元，符合" if property_ok[i] else " 元，超过")
                + f"特困人员财产规定（人均 {y(lim[i])} 元）") if limited[i] else f"本地特困人员财产限额未设定{unset_remark(p, 'tekun.property.financial_max_per_capita')}"
        return "；".join(parts) + f"（基础养老金、优待抚恤金等不计入）；{prop}"

    why.note(P, "NAT-TK-INCOME", cand, detail,
             source=lambda i: p.entry("tekun.property.financial_max_per_capita", i).source or None)
    return ok & unable


def supporter_able(hh: Households, p: Params, why: Trace, done: dict, base: np.ndarray,
                   own_income: np.ndarray) -> np.ndarray:
    """NAT-TK-SUPPORTER: per person, someone with a legal duty of support is able to support him."""
    age = hh.age
    limit = hh.per_person(p.money("tekun.supporter.income_limit"))
    limit_set = hh.per_person(p.isset("tekun.supporter.income_limit"))
    low_income = limit_set & (own_income * 12 < limit)
    dibao = _covered(done, "dibao", hh)
    reason = hh.p("not_member_reason")
    gone = hh.enum_is("not_member_reason", "missing", "prison")
    adult = (age < 0) | (age >= 18)
    unable_kinds = [
        (base, "本人符合特困条件"),
        (dibao & (age >= 60), "60 周岁以上低保对象"),
        ((age >= hh.per_person(p.count("tekun.supporter.old_age"))) & low_income, "70 周岁以上且收入低于上年度人均可支配收入"),
        (severely_disabled(hh) & low_income, "重度残疾且收入低于上年度人均可支配收入"),
        (gone, "宣告失踪或在押服刑"),
    ]
    unable = np.zeros(hh.n_persons, bool)
    for mask, _ in unable_kinds:
        unable |= mask
    able = adult & ~unable
    able_count = hh.count_members(able)
    inside = hh.per_person(able_count) - able.astype(np.int64) > 0
    elsewhere = hh.enum_is("household.legal_supporters", "able")
    has = hh.per_person(elsewhere) | inside
    del reason

    def detail(i: int) -> str:
        word = {0: "无法定赡养、抚养、扶养义务人（外居）", 1: "外居法定义务人无履行义务能力", 2: "外居法定义务人有履行义务能力"}
        parts = [word[int(hh.h("legal_supporters")[i])]]
        others = [k for k in hh.members_of(i) if adult[k]]
        for k in others:
            why_k = "、".join(text for mask, text in unable_kinds if mask[k])
            parts.append(f"{hh.label(k)}{'无履行义务能力（' + why_k + '）' if unable[k] else '有履行义务能力'}")
        return "；".join(parts)

    why.note(P, "NAT-TK-SUPPORTER", hh.any_member(base), detail,
             source=lambda i: p.entry("tekun.supporter.income_limit", i).source or None)
    why.note(P, "NAT-TK-SUPPORTER", hh.any_member(base) & ~p.isset("tekun.supporter.income_limit"),
             lambda i: f"上年度当地居民人均可支配收入未设定{unset_remark(p, 'tekun.supporter.income_limit')}，70 周岁以上或重度残疾的义务人不按收入认定为无履行能力")
    return has


def _covered(done: dict, program: str, hh: Households) -> np.ndarray:
    r = done.get(program)
    col = None if r is None else r.persons.get("covered")
    return np.zeros(hh.n_persons, bool) if col is None else np.asarray(col, bool)


def minor_takes_child_allowance(hh: Households, p: Params, why: Trace, meets: np.ndarray) -> np.ndarray:
    """NAT-TK-MINOR: a minor who is also an orphan or de-facto unsupported and takes the child
    allowance is not 特困."""
    minor = (hh.age >= 0) & (hh.age < 18)
    child = hh.p("orphan") | hh.p("de_facto_unsupported")
    out = meets & minor & child & hh.p("chooses_child_allowance")
    why.note(P, "NAT-TK-MINOR", hh.any_member(out), lambda i: (
        "同时符合特困人员和孤儿（事实无人抚养儿童）条件的未成年人选择申领孤儿基本生活费，不再认定为特困人员："
        + names(hh, [k for k in hh.members_of(i) if out[k]])))
    return out


def note_conditions(hh, why, candidates, unable, no_living, has_supporter, minor_choice, covered) -> None:
    """TK-4: who meets every national condition; for the others, the condition that failed."""
    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            if not unable[k]:
                continue
            if covered[k]:
                parts.append(f"{hh.label(k)}：无劳动能力、无生活来源、无履行义务能力的法定义务人，纳入特困人员救助供养")
            elif not no_living[k]:
                parts.append(f"{hh.label(k)}：不符合无生活来源条件，不属特困人员")
            elif has_supporter[k]:
                parts.append(f"{hh.label(k)}：有具备履行义务能力的法定义务人，不属特困人员")
            elif minor_choice[k]:
                parts.append(f"{hh.label(k)}：选择孤儿基本生活保障，不属特困人员")
        return "；".join(parts)

    why.note(P, "TK-4", candidates, detail)


# --- TK-1, TK-7, TK-2: the amounts -------------------------------------------------------------

def basic_standard(hh: Households, p: Params, why: Trace, covered: np.ndarray) -> np.ndarray:
    """TK-1: basic-living standard = ratio × the 低保 standard, micro-fen per person.
    TK-7: where urban and rural get one standard (Wuhai), rural people use the urban standard."""
    urban = hh.enum_is("household.residence", "urban")
    same = p.flag("tekun.urban_rural_same_standard")
    base = np.where(urban | same, p.money("dibao.standard.urban"), p.money("dibao.standard.rural"))
    r = p.ratio("tekun.basic_ratio")
    micro = hh.per_person(base * r)
    any_cov = hh.any_member(covered)
    k = hh.count_members(covered)
    why.note(P, "TK-7", any_cov & same, lambda i: (
        f"农区五保对象和城镇\"三无\"人员供养标准同城同待遇，{'农村' if not urban[i] else '城镇'}特困人员按城市低保标准 "
        f"{y(base[i])} 元计算"), source=lambda i: p.entry("tekun.urban_rural_same_standard", i).source)
    mark = lambda i: "（占位值）" if p.entry("tekun.basic_ratio", i).placeholder else ""  # noqa: E731
    why.note(P, "TK-1", any_cov, lambda i: (
        f"基本生活标准 = {'城市' if urban[i] or same[i] else '农村'}低保标准 {y(base[i])} × {ratio(r[i])}{mark(i)} = "
        f"{y(micro_to_fen(base[i] * r[i]))} 元/人·月；{k[i]} 人"),
        source=lambda i: p.entry("tekun.basic_ratio", i).source)
    return micro


def care_standard(hh: Households, p: Params, why: Trace, covered: np.ndarray, tier: np.ndarray) -> np.ndarray:
    """TK-2: care standard by self-care tier (NAT-TK-SELFCARE), fen per person per month."""
    names_ = [f"tekun.care.{t}" for t in TIERS]
    amounts = np.stack([hh.per_person(p.money(nm)) for nm in names_])
    isset = np.stack([hh.per_person(p.isset(nm)) for nm in names_])
    idx = np.arange(hh.n_persons)
    care = amounts[tier, idx] if hh.n_persons else np.zeros(0, np.int64)
    set_ = isset[tier, idx] if hh.n_persons else np.zeros(0, bool)
    said = (hh.p("self_care") >= 0) | (hh.p("self_care_tasks_unable") >= 0)
    tasks = hh.p("self_care_tasks_unable")

    def tier_text(k: int) -> str:
        how = f"六项日常活动中 {tasks[k]} 项不能完成" if tasks[k] >= 0 else ("按申报" if said[k] else "未评估，按生活能够自理")
        return f"{hh.label(k)} {TIER_NAMES[tier[k]]}（{how}）"

    any_cov = hh.any_member(covered)
    why.note(P, "NAT-TK-SELFCARE", any_cov, lambda i: "；".join(
        tier_text(k) for k in hh.members_of(i) if covered[k]))

    def detail(i: int) -> str:
        parts = []
        for k in hh.members_of(i):
            if covered[k]:
                nm = names_[tier[k]]
                mark = "（占位值）" if p.entry(nm, i).placeholder else ""
                parts.append(f"{hh.label(k)} {TIER_NAMES[tier[k]]} 照料护理标准 {y(care[k])} 元/月{mark}" if set_[k]
                             else f"{hh.label(k)} {TIER_NAMES[tier[k]]} 照料护理标准未设定{unset_remark(p, nm)}，按 0 元")
        return "；".join(parts)

    why.note(P, "TK-2", any_cov, detail,
             source=lambda i: p.entry(names_[int(tier[[k for k in hh.members_of(i) if covered[k]][0]])], i).source or None)
    return np.where(covered & set_, care, 0).astype(np.int64)
