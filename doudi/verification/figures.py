"""What the department records say about one person: the figures a report compares (PR-6).

Plain Python over the records of one person (dicts, as read from the snapshots). The monthly
check's SQL (engine.py) derives the same figures the same way; the rules are:

- wages (工资性收入, NAT-DB-INCOME): the higher of the social-insurance contribution base and the
  taxed income of the latest month on record;
- pensions: 职工基本养老金 and 机关事业单位养老金 are transfer income (NAT-DB-INCOME); the residents'
  basic pension (城乡居民基础养老金) is not counted (DB-3) — both only once started;
- unemployment benefit (失业保险金) in its months is transfer income;
- real estate for living (用途 住宅) and vehicles are counted per certificate and plate; a
  business counts while 存续; financial assets are bank deposits + cash values + securities;
- death (公安 死亡, or 户籍 状态 死亡) ends the person's membership (NAT-DB-MEMBERS).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

COUNTED_PENSIONS = ("employee", "public")


@dataclass
class PersonFigures:
    """Department figures of one person (fen where money; None = no record of that kind)."""

    wages: int | None = None
    wages_month: dt.date | None = None
    pension_counted: int = 0
    pension_basic: int = 0
    pension_start: dt.date | None = None
    pension_kinds: list[str] = field(default_factory=list)
    unemployment: int = 0
    death_date: dt.date | None = None
    huji_status: str | None = None
    homes: set[str] = field(default_factory=set)
    vehicles: set[str] = field(default_factory=set)
    businesses: list[str] = field(default_factory=list)
    financial: int | None = None
    housing_fund_deposit: int | None = None
    medical: int | None = None
    disability: dict | None = None
    school: dict | None = None
    elsewhere: list[dict] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)  # the kinds with a record of the person

    @property
    def transfer(self) -> int:
        return self.pension_counted + self.unemployment


def _latest(rows: list[dict], column: str) -> list[dict]:
    if not rows:
        return []
    last = max(r[column] for r in rows)
    return [r for r in rows if r[column] == last]


def month_of(on: dt.date) -> dt.date:
    return dt.date(on.year, on.month, 1)


def person_figures(records: dict[str, list[dict]], on: dt.date) -> PersonFigures:
    """The figures of one person from his records by kind, as of `on`."""
    f = PersonFigures(kinds={k for k, v in records.items() if v})
    month = month_of(on)
    wage_evidence = []
    si = _latest(records.get("social_insurance", []), "month")
    if si:
        wage_evidence.append((max(r["base"] for r in si), si[0]["month"]))
    tax = _latest(records.get("income_tax", []), "month")
    if tax:
        wage_evidence.append((sum(r["income"] for r in tax), tax[0]["month"]))
    if wage_evidence:
        f.wages, f.wages_month = max(wage_evidence)
    for r in records.get("pension", []):
        if r["start_month"] > month:
            continue
        f.pension_kinds.append(r["pension_kind"])
        f.pension_start = min(f.pension_start or r["start_month"], r["start_month"])
        if r["pension_kind"] in COUNTED_PENSIONS:
            f.pension_counted += r["monthly_amount"]
        else:
            f.pension_basic += r["monthly_amount"]
    for r in records.get("unemployment", []):
        if r["start_month"] <= month and (r.get("end_month") is None or r["end_month"] >= month):
            f.unemployment += r["monthly_amount"]
    deaths = [r["death_date"] for r in records.get("death", []) if r["death_date"] <= on]
    huji = records.get("huji", [])
    if huji:
        f.huji_status = huji[-1].get("status") or "normal"
        if f.huji_status == "dead" and not deaths:
            deaths.append(huji[-1].get("changed_on") or on)
    f.death_date = min(deaths) if deaths else None
    f.homes = {r["certificate"] for r in records.get("real_estate", []) if r["use"] == "home"}
    f.vehicles = {r["plate"] for r in records.get("vehicle", [])}
    f.businesses = [r["business_name"] for r in records.get("business", []) if r["status"] == "active"]
    money = [r["balance"] for r in records.get("bank_deposit", [])] + [
        r["cash_value"] for r in records.get("insurance", [])] + [r["market_value"] for r in records.get("securities", [])]
    f.financial = sum(money) if money else None
    fund = _latest(records.get("housing_fund", []), "month")
    f.housing_fund_deposit = sum(r["deposit"] for r in fund) if fund else None
    med = [r for r in records.get("medical_cost", []) if r["year"] == on.year]
    f.medical = sum(r["out_of_pocket"] for r in med) if med else None
    dis = records.get("disability", [])
    if dis:
        best = min(dis, key=lambda r: r["grade"])
        f.disability = {"kind": best["disability_kind"], "grade": int(best["grade"])}
    st = records.get("student", [])
    if st:
        f.school = {"stage": st[-1]["stage"], "boarding": bool(st[-1].get("boarding"))}
    f.elsewhere = [{"program": r["program"], "county": r["county"], "monthly_amount": r.get("monthly_amount")}
                   for r in records.get("benefit_elsewhere", [])]
    return f


def yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def fen_of(value: Any) -> int:
    """Yuan as a JSON number or text (the household document) → fen."""
    from decimal import Decimal

    if value in (None, ""):
        return 0
    return int((Decimal(str(value)) * 100).to_integral_value())
