"""Monitoring of the low-income population (PR-7, NAT-RIGID, DB-8): the register's categories and
the warning rules, on plain data (no Django).

A scan hands the rules one row per household (``Facts``: numpy columns, money in fen) as the
registry, the department data and the benefits describe it on a day; ``evaluate`` returns the
warnings raised (``Hit``), each with its rule id, level, the Chinese sentence with the figures
and the parameters' sources. The rules are data (``data/warning_rules.yaml``): what each watches,
its level, the categories it applies to and the parameters holding its thresholds
(``data/national/monitoring.yaml``, restated per region like every parameter).

Two rules are not computed here: MW-LOUBAO / MW-CUOBAO come from the policy core's own decision
(``doudi.policy.engine``) on the household's document, and MW-VILLAGE from a village report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from doudi.policy.money import MICRO, format_yuan
from doudi.policy.params import Policy, Resolved, default_policy
from doudi.policy.wording import zh_punct
from doudi.policy.yamlfile import load_yaml

RULES_FILE = Path(__file__).parent / "data" / "warning_rules.yaml"

CATEGORIES: dict[str, str] = {
    "dibao": "低保", "tekun": "特困", "edge": "低保边缘", "rigid": "刚性支出困难", "other": "其他低收入",
    "anti_poverty": "防返贫监测对象",
}
LEVELS: dict[str, str] = {"red": "红色", "orange": "橙色", "yellow": "黄色"}
LEVEL_ORDER = ("red", "orange", "yellow")
# rules raised outside evaluate(): by the policy core's decision, or by a person
APP_RULES = ("MW-LOUBAO", "MW-CUOBAO", "MW-VILLAGE")


@dataclass(frozen=True)
class WarningRule:
    id: str
    name: str
    watches: str
    level: str
    applies_to: tuple[str, ...]  # categories, or ("all",)
    params: tuple[str, ...]
    rules: tuple[str, ...]

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


@lru_cache(maxsize=1)
def warning_rules() -> dict[str, WarningRule]:
    raw = load_yaml(RULES_FILE)
    out = {}
    for rid, spec in raw.items():
        applies = spec.get("applies_to", "all")
        applies = ("all",) if applies == "all" else tuple(applies)
        if spec["level"] not in LEVELS:
            raise ValueError(f"{RULES_FILE}: {rid} has level {spec['level']!r}")
        out[rid] = WarningRule(rid, spec["name"], spec["watches"], spec["level"], applies,
                               tuple(spec.get("params") or ()), tuple(spec.get("rules") or ()))
    return out


def rule(rule_id: str) -> WarningRule:
    return warning_rules()[rule_id]


# --- the facts of a scan ----------------------------------------------------------------------------

@dataclass
class Facts:
    """One row per household: what the registry, the department data and the benefits say on the
    scan's day. Money in fen; a count of -1 means "no such event"."""

    county: np.ndarray                   # 6-digit county code (str)
    residence: np.ndarray                # "urban" | "rural"
    members: np.ndarray                  # persons living together (NAT-DB-MEMBERS)
    income: np.ndarray                   # counted monthly household income now (DB-3), fen
    income_before: np.ndarray            # the same at the household's previous facts record, -1 none
    yearly_income: np.ndarray            # the household's yearly income, fen (last year's total, else 12 × income)
    medical: np.ndarray                  # this year's in-policy out-of-pocket medical cost (after insurance), fen
    spending_12m: np.ndarray             # past 12 months' rigid spending: medical, schooling, disability, care, fen
    earner_died: np.ndarray              # a member with counted income of his own has a death record
    earner_disability: np.ndarray        # most severe disability grade among earning members, 0 none
    unemployment_months: np.ndarray      # whole months since a member's unemployment benefit started, -1 none
    university_entrant: np.ndarray       # a member newly entered 大专 / 本科 / 研究生
    disaster_days: np.ndarray            # days since the latest disaster recorded in the village, -1 none
    stopped_months: np.ndarray           # whole months since a 低保 / 特困 benefit stopped, -1 none
    dibao: np.ndarray                    # live 低保 benefit
    tekun: np.ndarray                    # live 特困 benefit (a member)
    edge: np.ndarray                     # the policy core's DB-8 / NAT-DB-EDGE edge family
    other: np.ndarray = field(default=None)         # entered as 其他低收入 (a report, a warning)
    anti_poverty: np.ndarray = field(default=None)  # 防返贫监测对象 (imported)
    # the departments' own data sets (doudi/monitoring/departments.py)
    rural_monitored: np.ndarray = field(default=None)   # a member is a 乡村振兴 防返贫监测对象, risk not eliminated
    hardship_worker: np.ndarray = field(default=None)   # a member is in the 工会's file of 困难职工
    earner_custody: np.ndarray = field(default=None)    # a member with income of his own is in custody (司法)
    victim_days: np.ndarray = field(default=None)       # days since a member was named a disaster victim (应急), -1 none
    dangerous_house: np.ndarray = field(default=None)   # worst unrenovated 危房 grade (住建): 3 = C, 4 = D, 0 none
    illness_months: np.ndarray = field(default=None)    # whole months since a member's serious diagnosis (卫健), -1 none

    def __post_init__(self) -> None:
        n = len(self.county)
        for f in fields(self):
            if getattr(self, f.name) is None:
                none = _DEFAULTS.get(f.name, False)
                setattr(self, f.name, np.zeros(n, dtype=bool) if isinstance(none, bool)
                        else np.full(n, none, dtype=np.int64))
            if len(getattr(self, f.name)) != n:
                raise ValueError(f"Facts.{f.name}: {len(getattr(self, f.name))} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.county)

    @classmethod
    def from_rows(cls, rows: Sequence[Mapping[str, Any]]) -> Facts:
        """From one dict per household (the web scan, tests); missing keys take the "none" value."""
        cols: dict[str, np.ndarray] = {}
        for f in fields(cls):
            default = _DEFAULTS[f.name]
            values = [r.get(f.name, default) for r in rows]
            if f.name in ("county", "residence"):
                cols[f.name] = np.array([str(v) for v in values], dtype=object)
            elif isinstance(default, bool):
                cols[f.name] = np.array([bool(v) for v in values], dtype=bool)
            else:
                cols[f.name] = np.array([int(v) for v in values], dtype=np.int64)
        return cls(**cols)


_DEFAULTS: dict[str, Any] = {
    "county": "", "residence": "urban", "members": 1, "income": 0, "income_before": -1, "yearly_income": 0,
    "medical": 0, "spending_12m": 0, "earner_died": False, "earner_disability": 0, "unemployment_months": -1,
    "university_entrant": False, "disaster_days": -1, "stopped_months": -1, "dibao": False, "tekun": False,
    "edge": False, "other": False, "anti_poverty": False,
    "rural_monitored": False, "hardship_worker": False, "earner_custody": False, "victim_days": -1,
    "dangerous_house": 0, "illness_months": -1,
}


# --- thresholds per region ----------------------------------------------------------------------------

class Thresholds:
    """The monitoring parameters as columns over the households: resolved once per (county,
    residence) on the scan's day, through the policy core's level chain (a region's own figure
    first, else the levels above)."""

    def __init__(self, facts: Facts, on: dt.date, policy: Policy | None = None,
                 overrides: Mapping[str, Any] | None = None):
        self.policy = policy or default_policy()
        self.on = on
        self.overrides = dict(overrides or {})
        self.groups, self.index = _groups(facts.county, facts.residence)
        self._cache: dict[str, tuple[list[Resolved], np.ndarray]] = {}

    def resolved(self, name: str) -> list[Resolved]:
        return self._column(name)[0]

    def entry(self, name: str, i: int) -> Resolved:
        return self.resolved(name)[int(self.index[i])]

    def _column(self, name: str) -> tuple[list[Resolved], np.ndarray]:
        if name not in self._cache:
            d = self.policy.defs[name]
            found = []
            for g in self.groups:
                county, residence = str(g).split("|")
                if name in self.overrides:
                    found.append(Resolved(name, self.overrides[name], "override", "override", "override", False, None))
                else:
                    found.append(self.policy.resolve(name, county, self.on, residence))
            if d.type == "ratio":
                per_group = [-1 if r.value is None else int(r.value * MICRO) for r in found]
            elif d.type == "money":
                per_group = [-1 if r.value is None else int(r.value * 100) for r in found]
            else:
                per_group = [-1 if r.value is None else int(r.value) for r in found]
            col = np.array(per_group, dtype=np.int64)[self.index] if len(self.index) else np.zeros(0, np.int64)
            self._cache[name] = (found, col)
        return self._cache[name]

    def __getitem__(self, name: str) -> np.ndarray:
        """The parameter per household: ratio in millionths, money in fen, counts as is; -1 = none."""
        return self._column(name)[1]


def _groups(county: np.ndarray, residence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct "county|residence" keys, sorted, and each household's index into them — what
    np.unique(keys, return_inverse=True) gives, without building and sorting a string per household
    (the scan of a province has millions): each column is dictionary-encoded, the pair of codes
    numbered, and only the few distinct keys are sorted."""
    if not len(county):
        return np.array([], dtype=object), np.zeros(0, dtype=np.int64)
    import pyarrow as pa
    import pyarrow.compute as pc

    def codes(values: np.ndarray) -> pa.DictionaryArray:
        try:
            arr = pa.array(values, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arr = pa.array([str(x) for x in values], pa.string())
        return pc.dictionary_encode(arr)

    c, r = codes(county), codes(residence)
    nr = len(r.dictionary)
    pair = c.indices.to_numpy().astype(np.int64) * nr + r.indices.to_numpy().astype(np.int64)
    seen = np.flatnonzero(np.bincount(pair, minlength=len(c.dictionary) * nr))
    cd, rd = c.dictionary.to_pylist(), r.dictionary.to_pylist()
    keys = np.array([f"{cd[k // nr]}|{rd[k % nr]}" for k in seen.tolist()], dtype=object)
    order = np.argsort(keys, kind="stable")
    position = np.empty(len(c.dictionary) * nr, dtype=np.int64)
    position[seen[order]] = np.arange(len(seen))
    return keys[order], position[pair]


# --- the rules --------------------------------------------------------------------------------------------

def _y(fen: Any) -> str:
    return format_yuan(int(fen))


def _pct(micro: Any) -> str:
    from doudi.policy.rules.common import pct

    return pct(int(micro))


def _months(n: Any) -> str:
    return f"{int(n)}个月"


Detail = Callable[[int], str]
RuleFn = Callable[[Facts, Thresholds], tuple[np.ndarray, Detail]]


def rigid_family(f: Facts, t: Thresholds) -> np.ndarray:
    """NAT-RIGID 刚性支出困难家庭: not 低保, 特困 or edge; per-capita yearly income below last year's
    local per-capita disposable income; past 12 months' rigid spending above the local share of
    the household's yearly income (a household with no income and such spending qualifies)."""
    limit = t["monitoring.rigid.income_limit"]      # fen per person per year
    share = t["monitoring.rigid.spending_share"]    # millionths
    members = np.maximum(f.members, 1)
    income_ok = (limit >= 0) & (f.yearly_income < limit * members)
    spending_ok = (share >= 0) & (f.spending_12m > 0) & (f.spending_12m * MICRO > share * f.yearly_income)
    return ~f.dibao & ~f.tekun & ~f.edge & (f.members > 0) & income_ok & spending_ok


def rigid_detail(f: Facts, t: Thresholds, i: int) -> str:
    limit, share = t["monitoring.rigid.income_limit"][i], t["monitoring.rigid.spending_share"][i]
    return zh_punct(f"家庭年收入 {_y(f.yearly_income[i])} 元（人均 {_y(f.yearly_income[i] // max(f.members[i], 1))} 元），"
            f"低于上年度当地居民人均可支配收入 {_y(limit)} 元；近12个月刚性支出 {_y(f.spending_12m[i])} 元，"
            f"超过家庭年收入的 {_pct(share)}（NAT-RIGID）")


def categories(f: Facts, t: Thresholds) -> dict[str, np.ndarray]:
    """The register's categories of each household (a household may be in none or several)."""
    return {"dibao": f.dibao, "tekun": f.tekun, "edge": f.edge & ~f.dibao & ~f.tekun,
            "rigid": rigid_family(f, t), "other": f.other, "anti_poverty": f.anti_poverty}


def medical(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-MEDICAL: the year's in-policy out-of-pocket medical cost above a share of the yearly income."""
    share = t["monitoring.medical.income_share"]
    mask = (share >= 0) & (f.medical > 0) & (f.medical * MICRO > share * f.yearly_income)
    return mask, lambda i: (f"本年度政策范围内个人自付医疗费用 {_y(f.medical[i])} 元，超过家庭年收入 "
                            f"{_y(f.yearly_income[i])} 元的 {_pct(share[i])}")


def income_drop(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-INCOME: counted monthly income fallen by more than a share since the previous record."""
    share = t["monitoring.income_drop.share"]
    fall = f.income_before - f.income
    mask = (share >= 0) & (f.income_before > 0) & (fall > 0) & (fall * MICRO > share * f.income_before)
    return mask, lambda i: (f"家庭月计入收入由 {_y(f.income_before[i])} 元降至 {_y(f.income[i])} 元，"
                            f"减少 {_y(fall[i])} 元，超过原收入的 {_pct(share[i])}")


def earner_death(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-DEATH: a member with income of his own has a death record."""
    return f.earner_died.copy(), lambda i: "有收入的家庭成员已有死亡登记，家庭收入来源可能中断"


def earner_disability(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-DISABILITY: an earning member holds a certificate of the threshold grade or more severe."""
    worst = t["monitoring.disability.max_grade"]
    mask = (f.earner_disability > 0) & (worst > 0) & (f.earner_disability <= worst)
    return mask, lambda i: (f"有收入的家庭成员持{int(f.earner_disability[i])}级残疾人证"
                            f"（{int(worst[i])}级及以上为重度）")


def disaster(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-DISASTER: a disaster recorded in the household's village within the period."""
    days = t["monitoring.disaster.days"]
    mask = (f.disaster_days >= 0) & (days >= 0) & (f.disaster_days <= days)
    return mask, lambda i: f"所在村（社区）{int(f.disaster_days[i])}天前登记了灾害（预警期 {int(days[i])} 天）"


def unemployment(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-UNEMPLOYMENT: a member's unemployment benefit started within the period."""
    months = t["monitoring.unemployment.months"]
    mask = (f.unemployment_months >= 0) & (months >= 0) & (f.unemployment_months <= months)
    return mask, lambda i: (f"家庭成员{_months(f.unemployment_months[i])}前开始领取失业保险金"
                            f"（预警期 {_months(months[i])}）")


def university(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-UNIVERSITY: a member newly entered higher education (a spending shock, NAT-TA-KINDS)."""
    return f.university_entrant.copy(), lambda i: "家庭成员新进入大专、本科或研究生阶段学习，教育支出增加"


def stopped(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-STOPPED: a 低保 / 特困 benefit stopped within the period and none live now."""
    months = t["monitoring.stopped.months"]
    mask = (f.stopped_months >= 0) & (months >= 0) & (f.stopped_months <= months) & ~f.dibao & ~f.tekun
    return mask, lambda i: (f"低保或特困待遇于{_months(f.stopped_months[i])}前停止"
                            f"（停保后跟踪 {_months(months[i])}）")


RULE_FUNCS: dict[str, RuleFn] = {
    "MW-MEDICAL": medical, "MW-INCOME": income_drop, "MW-DEATH": earner_death, "MW-DISABILITY": earner_disability,
    "MW-DISASTER": disaster, "MW-UNEMPLOYMENT": unemployment, "MW-UNIVERSITY": university, "MW-STOPPED": stopped,
}


# --- the rules on the departments' own data sets (乡村振兴, 工会, 司法, 应急, 住建, 卫健) ---------------------

def rural_monitored(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-RURAL: a member is a 防返贫监测对象 of 乡村振兴 whose risk is not eliminated, no 低保 / 特困 live."""
    mask = f.rural_monitored & ~f.dibao & ~f.tekun
    return mask, lambda i: "家庭成员为乡村振兴部门防返贫监测对象，风险尚未消除，家庭未享受低保或特困"


def hardship_worker(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-WORKER: a member is in the trade union's file of 困难职工."""
    return f.hardship_worker.copy(), lambda i: "家庭成员已列入工会困难职工档案"


def earner_custody(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-CUSTODY: a member with income of his own is serving a sentence or in compulsory rehabilitation."""
    return f.earner_custody.copy(), lambda i: "有收入的家庭成员正在服刑或强制隔离戒毒，家庭收入来源中断"


def disaster_victim(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-VICTIM: a member named by 应急 as a disaster victim within the disaster period."""
    days = t["monitoring.disaster.days"]
    mask = (f.victim_days >= 0) & (days >= 0) & (f.victim_days <= days)
    return mask, lambda i: (f"家庭成员{int(f.victim_days[i])}天前被应急管理部门登记为受灾人员"
                            f"（预警期 {int(days[i])} 天）")


def dangerous_house(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-HOUSING: the household's house is assessed dangerous (C or D grade) and not yet renovated."""
    mask = f.dangerous_house >= 3
    return mask, lambda i: f"住房经住建部门鉴定为{'CD'[int(f.dangerous_house[i]) - 3]}级危房，尚未改造"


def serious_illness(f: Facts, t: Thresholds) -> tuple[np.ndarray, Detail]:
    """MW-ILLNESS: a member diagnosed with a serious illness or severe mental disorder within the period."""
    months = t["monitoring.illness.months"]
    mask = (f.illness_months >= 0) & (months >= 0) & (f.illness_months <= months)
    return mask, lambda i: (f"家庭成员{_months(f.illness_months[i])}前经卫健部门登记确诊大病或严重精神障碍"
                            f"（预警期 {_months(months[i])}）")


RULE_FUNCS.update({
    "MW-RURAL": rural_monitored, "MW-WORKER": hardship_worker, "MW-CUSTODY": earner_custody,
    "MW-VICTIM": disaster_victim, "MW-HOUSING": dangerous_house, "MW-ILLNESS": serious_illness,
})


@dataclass(frozen=True)
class Hit:
    """One warning raised: the household's row, the rule and its level, why (Chinese, with the
    figures), and the sources of the thresholds used."""

    index: int
    rule: str
    level: str
    detail: str
    sources: tuple[str, ...]


def applies(r: WarningRule, cats: Mapping[str, np.ndarray], n: int) -> np.ndarray:
    if "all" in r.applies_to:
        return np.ones(n, dtype=bool)
    out = np.zeros(n, dtype=bool)
    for c in r.applies_to:
        out |= cats[c]
    return out


def masks(f: Facts, t: Thresholds, rules: Sequence[str] | None = None) -> dict[str, tuple[np.ndarray, Detail]]:
    """Each data rule's mask (and detail function) over the households; no text is built."""
    cats = categories(f, t)
    out = {}
    for rid in rules or RULE_FUNCS:
        mask, detail = RULE_FUNCS[rid](f, t)
        out[rid] = (mask & applies(rule(rid), cats, len(f)), detail)
    return out


def evaluate(f: Facts, on: dt.date, policy: Policy | None = None, *, overrides: Mapping[str, Any] | None = None,
             rules: Sequence[str] | None = None) -> list[Hit]:
    """Every data rule over the households (PR-7): the warnings raised, by household row then rule."""
    t = Thresholds(f, on, policy, overrides)
    hits = []
    for rid, (mask, detail) in masks(f, t, rules).items():
        r = rule(rid)
        for i in np.flatnonzero(mask):
            sources = tuple(t.entry(p, int(i)).source for p in r.params)
            hits.append(Hit(int(i), rid, r.level, zh_punct(f"{detail(int(i))}（{'、'.join(r.rules)}）"), sources))
    hits.sort(key=lambda h: (h.index, h.rule))
    return hits


def deadline_days(level: str, county: str, on: dt.date, residence: str = "urban",
                  policy: Policy | None = None) -> int:
    """Days a warning's task has, by its level (monitoring.deadline.<level>)."""
    r = (policy or default_policy()).resolve(f"monitoring.deadline.{level}", county, on, residence)
    return int(r.value)


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (same month: 0)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month
