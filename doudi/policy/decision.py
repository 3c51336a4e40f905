"""The decision of one household: JSON (interfaces.md) and a readable Chinese explanation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from doudi.policy.money import format_yuan, round_half_up_div
from doudi.policy.params import Level, Params
from doudi.policy.result import ProgramResult
from doudi.policy.trace import Trace
from doudi.policy.wording import cite, document_number, zh_text

PROGRAM_NAMES = {
    "dibao": "最低生活保障（低保）",
    "tekun": "特困人员救助供养",
    "temporary": "临时救助",
    "medical": "医疗救助",
    "education": "教育救助",
    "housing": "住房救助",
    "employment": "就业救助（代缴养老保险费）",
    "disability": "残疾人两项补贴",
    "children": "孤儿、事实无人抚养儿童基本生活保障",
    "family_planning_special": "计划生育特别扶助",
    "family_planning_reward": "计划生育奖励扶助",
    "price_subsidy": "价格临时补贴",
}
PERIOD_NAMES = {"month": "每月", "year": "每年", "once": "一次性"}
LEVEL_NAMES = {"national": "国家", "province": "省级", "city": "市级", "county": "县级", "override": "本次指定"}


@dataclass
class Decision:
    data: dict[str, Any]

    @classmethod
    def build(cls, hh, done: dict[str, ProgramResult], p: Params, why: Trace,
              chain: list[Level], region_name: str | None, i: int = 0, traced: bool = True) -> Decision:
        """The decision of household `i` of the batch (the first by default); without `traced`,
        the programs carry no `trace` (a batch decided without traces)."""
        dibao = done["dibao"]
        members = int(dibao.extra["members"][i])
        counted = int(dibao.extra["counted_income"][i])
        per_capita = int(round_half_up_div(counted, max(members, 1)))
        programs: dict[str, Any] = {}
        for pid, r in done.items():
            if not bool(r.applies[i]):
                continue
            entry: dict[str, Any] = {
                "eligible": bool(r.eligible[i]),
                "amount": format_yuan(int(r.amount[i])),
                "period": r.period,
            }
            for k, col in r.extra.items():
                if k in ("members", "counted_income"):
                    continue
                v = _plain(col[i])
                if v == "" or v is None:
                    continue
                entry[k] = format_yuan(v) if k in r.money else v
            if traced:
                entry["trace"] = [s.as_dict() for s in why.of(i, pid)]
            programs[pid] = entry
        data = {
            "region": hh.region_code(i),
            "region_name": region_name,
            "date": str(hh.h("date")[i]),
            "policy": [{"level": lv.level, "region": lv.code, "name": lv.name,
                        "source": "; ".join(lv.documents)} for lv in reversed(chain)],
            "household": {
                "members": members,
                "counted_monthly_income": format_yuan(counted),
                "per_capita_income": format_yuan(per_capita),
            },
            "programs": programs,
        }
        return cls(data)

    @classmethod
    def build_many(cls, hh, done: dict[str, ProgramResult], why: Trace,
                   chain_of: Any, traced: bool = False) -> list[Decision]:
        """The decisions of every household of the batch, the same as `build(..., i=i)` for each,
        with the columns formatted at once (a batch of 10,000 over the API). `chain_of(county)`
        gives (chain, region name) of a county."""
        n = hh.n
        dibao = done["dibao"]
        members = np.asarray(dibao.extra["members"], dtype=np.int64)
        counted = np.asarray(dibao.extra["counted_income"], dtype=np.int64)
        per_capita = round_half_up_div(counted, np.maximum(members, 1))
        columns = []
        for pid, r in done.items():
            applies = np.broadcast_to(np.asarray(r.applies, dtype=bool), (n,)).tolist()
            extras = []
            for k, col in r.extra.items():
                if k in ("members", "counted_income"):
                    continue
                values = np.broadcast_to(np.asarray(col), (n,)).tolist()
                extras.append((k, _yuan_column(values) if k in r.money else values, k in r.money))
            columns.append((pid, r.period, applies, np.broadcast_to(np.asarray(r.eligible, dtype=bool), (n,)).tolist(),
                            _yuan_column(np.broadcast_to(np.asarray(r.amount), (n,)).tolist()), extras))
        counties = hh.h("region").tolist()
        dates = hh.h("date").astype(str).tolist()
        members_l, counted_s, per_capita_s = members.tolist(), _yuan_column(counted.tolist()), _yuan_column(per_capita.tolist())
        policies: dict[int, tuple[list, str | None]] = {}
        out = []
        for i in range(n):
            county = counties[i]
            if county not in policies:
                chain, name = chain_of(str(int(county)))
                policies[county] = ([{"level": lv.level, "region": lv.code, "name": lv.name,
                                      "source": "; ".join(lv.documents)} for lv in reversed(chain)], name)
            policy, name = policies[county]
            programs: dict[str, Any] = {}
            for pid, period, applies, eligible, amount, extras in columns:
                if not applies[i]:
                    continue
                entry: dict[str, Any] = {"eligible": eligible[i], "amount": amount[i], "period": period}
                for k, values, _money in extras:
                    v = values[i]
                    if v == "" or v is None:
                        continue
                    entry[k] = v
                if traced:
                    entry["trace"] = [s.as_dict() for s in why.of(i, pid)]
                programs[pid] = entry
            out.append(cls({
                "region": hh.region_code(i), "region_name": name, "date": dates[i],
                "policy": [dict(x) for x in policy],
                "household": {"members": members_l[i], "counted_monthly_income": counted_s[i],
                              "per_capita_income": per_capita_s[i]},
                "programs": programs,
            }))
        return out

    def as_json(self) -> dict[str, Any]:
        return self.data

    def as_text(self) -> str:
        d = self.data
        lines = [f"地区 {d['region']} {d.get('region_name') or ''}  评估日期 {d['date']}"]
        lines.append("适用政策：" + " → ".join(_level_words(x) for x in d["policy"]))
        h = d["household"]
        lines.append(f"共同生活家庭成员 {h['members']} 人，计入收入 {h['counted_monthly_income']} 元/月，"
                     f"人均 {h['per_capita_income']} 元/月")
        for pid, r in d["programs"].items():
            verdict = "符合" if r["eligible"] else "不符合"
            amount = f"，{_headline(r)}" if r["eligible"] else ""
            lines.append("")
            lines.append(f"【{PROGRAM_NAMES.get(pid, pid)}】{verdict}{amount}")
            for s in r["trace"]:
                where = cite(s["source"])
                lines.append(f"  · {s['rule']}{'（' + where + '）' if where else ''}：{zh_text(s['detail'])}")
        return "\n".join(lines) + "\n"


# extra money fields that are parts of a program's help paid on another period than its own
PART_PERIODS = {"once": "once"}


def _headline(r: dict[str, Any]) -> str:
    """A program's amounts as its headline names them: each part that is not zero (yearly, monthly,
    one-off), e.g. 「一次性 40000.00 元」 for a one-off grant alone, not 「每年 0.00 元」; the program's own
    amount when every part is zero."""
    parts = [(r["period"], r["amount"])] + [(period, r[k]) for k, period in PART_PERIODS.items() if k in r]
    shown = [(period, amount) for period, amount in parts if str(amount) not in ("0.00", "0", "")]
    return "，".join(f"{PERIOD_NAMES.get(p, p)} {a} 元" for p, a in shown or parts[:1])


def _level_words(level: dict[str, Any]) -> str:
    """国家, 省级（甘政办发〔2017〕28号）…: a level of the decision's policy, its documents by number."""
    name = LEVEL_NAMES.get(level["level"], level["level"])
    docs = "、".join(document_number(s.strip()) for s in (level.get("source") or "").split(";")
                     if s.strip() and s.strip() != "NAT")
    where = "，".join(w for w in (level["name"] if level["name"] != name else "", docs) if w)
    return f"{name}（{where}）" if where else name


def _yuan_column(fen: list) -> list:
    """format_yuan of each value of a column of integer fen (None left as None), each distinct
    value formatted once (most of a column is a few amounts: 0.00 above all)."""
    seen: dict[Any, str | None] = {None: None}
    out = []
    for v in fen:
        s = seen.get(v, _UNSEEN)
        if s is _UNSEEN:
            s = seen[v] = f"{'-' if v < 0 else ''}{abs(int(v)) // 100}.{abs(int(v)) % 100:02d}"
        out.append(s)
    return out


_UNSEEN = object()


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        v = v.item()
    return v
