"""The arithmetic of benefits after approval, without the database: review cycles (DB-11,
NAT-DB-REVIEW), the months of 渐退 (DB-9, NAT-DB-EXIT), fraud recovery (NAT-DB-FRAUD) and the
DB-13 check of a new urban standard. Money is integer fen; ratios are Decimal.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from doudi.benefits.months import add_months, month_label, month_of

DATA = Path(__file__).resolve().parent / "data" / "procedure.yaml"


class BenefitError(ValueError):
    """Bad input or a step not allowed now; names the field (for forms and the API)."""

    def __init__(self, message: str, field: str = "__all__") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@cache
def _settings() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


def setting(name: str) -> Any:
    """A time limit or bound of data/procedure.yaml (value)."""
    return _settings()[name]["value"]


def setting_source(name: str) -> str:
    return _settings()[name]["source"]


def yuan(fen: int | None) -> str:
    """Fen as a yuan string with two decimals (no float)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    q, r = divmod(abs(int(fen)), 100)
    return f"{sign}{q}.{r:02d}"


def parse_yuan(raw: Any, field: str, label: str) -> int:
    """A yuan amount ("750", "750.5", "750.50") as integer fen; BenefitError naming the field."""
    from doudi.policy.money import parse_amount

    try:
        value = parse_amount(raw)  # the one money parser: no 1e5, no full-width digits
    except ValueError:
        raise BenefitError(f"{label}应为金额（元，阿拉伯数字，最多两位小数），收到「{raw}」", field) from None
    return int(value * 100)


def yuan_to_fen(text: str | int | None) -> int:
    """The policy core's amount ("800.00") as fen."""
    if text in (None, ""):
        return 0
    return int((Decimal(str(text)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- DB-11, NAT-DB-REVIEW: review cycle ------------------------------------------------------

SEVERE_KINDS = ("intellectual", "mental")


def _age(birth: str | None, on: dt.date) -> int | None:
    if not birth:
        return None
    b = dt.date.fromisoformat(str(birth))
    return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


def able_to_work(member: dict, on: dt.date) -> bool:
    """A member counts as able to work: the assessed work_ability (full / partial) when recorded;
    otherwise aged 16–59 and not severely disabled (grade 1–2, or grade 3 intellectual/mental)."""
    if member.get("lives_together") is False:
        return False
    ability = member.get("work_ability")
    if ability:
        return ability in ("full", "partial")
    age = _age(member.get("birth_date"), on)
    if age is None or not 16 <= age < 60:
        return False
    dis = member.get("disability") or {}
    grade = dis.get("grade")
    severe = grade is not None and (int(grade) <= 2 or (int(grade) == 3 and dis.get("kind") in SEVERE_KINDS))
    return not severe


@dataclass(frozen=True)
class Cycle:
    kind: str  # ReviewCycle value
    months: int | None
    reason: str


def review_cycle(program: str, doc: dict, on: dt.date, income_unstable: bool) -> Cycle:
    """DB-11 / NAT-DB-REVIEW: 特困 yearly; 低保 half-yearly where income is unstable or a member
    can work, else yearly; other programs (one-off) have no review cycle."""
    if program == "tekun":
        n = setting("review_months_tekun")
        return Cycle("yearly", n, f"特困人员每年复核一次（NAT-DB-REVIEW），{n} 个月")
    if program != "dibao":
        if program != "temporary":  # doudi.programs: a monthly benefit ended by its own checks (CH-2 …)
            return Cycle("none", None, "按本项目的规定核查，不定期复核")
        return Cycle("none", None, "一次性救助，不定期复核")
    able = [m.get("name") or "成员" for m in doc.get("members", []) if able_to_work(m, on)]
    if able or income_unstable:
        n = setting("review_months_unstable")
        why = []
        if income_unstable:
            why.append("收入来源不固定")
        if able:
            why.append("有劳动能力的成员：" + "、".join(able))
        return Cycle("half_yearly", n, f"{'；'.join(why)}，每半年复核一次（DB-11、NAT-DB-REVIEW），{n} 个月")
    n = setting("review_months_stable")
    return Cycle("yearly", n, f"家庭成员均无劳动能力、收入稳定，每年复核一次（DB-11、NAT-DB-REVIEW），{n} 个月")


def next_review(start: dt.date, cycle: Cycle) -> dt.date | None:
    return add_months(start, cycle.months) if cycle.months else None


# --- DB-9, NAT-DB-EXIT: 渐退 ----------------------------------------------------------------------

def exit_month_number(first: dt.date, months: int, on: dt.date) -> int:
    """Which month of the 渐退期 ``on`` falls in: 1 for the first month … ``months`` for the last;
    0 before it starts, months + 1 once it is over."""
    m = month_of(on)
    k = (m.year - first.year) * 12 + (m.month - first.month) + 1
    return max(0, min(k, months + 1))


def exit_text(first: dt.date, months: int, on: dt.date) -> str:
    last = add_months(first, months - 1)
    k = exit_month_number(first, months, on)
    span = f"渐退期 {month_label(first)}至{month_label(last)}，共 {months} 个月"
    if k == 0:
        return f"{span}，尚未开始"
    if k > months:
        return f"{span}，已期满，{month_label(add_months(first, months))}起停发"
    return f"{span}，现为第 {k} 个月（剩余 {months - k} 个月）"


# --- NAT-DB-FRAUD: recovery ------------------------------------------------------------------

def fine_multiple(raw: Any) -> Decimal:
    """The fine as a multiple of the amount recovered: 1 to 3 (NAT-DB-FRAUD), at most 2 decimals."""
    lo, hi = Decimal(setting("fraud_fine_min")), Decimal(setting("fraud_fine_max"))
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise BenefitError(f"罚款倍数应为 {lo} 至 {hi} 之间的数，收到「{raw}」", "fine_multiple") from None
    if not value.is_finite() or not lo <= value <= hi or value != value.quantize(Decimal("0.01")):
        raise BenefitError(f"罚款倍数应为 {lo} 至 {hi} 倍（NAT-DB-FRAUD），最多两位小数，收到「{raw}」",
                           "fine_multiple")
    return value


def fine_fen(amount_fen: int, multiple: Decimal) -> int:
    """amount × multiple, rounded half-up once to the fen."""
    return int((Decimal(amount_fen) * multiple).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- DB-13: the growth floor of a new urban standard ---------------------------------------------

def growth(old_fen: int, new_fen: int) -> Decimal:
    """(new − old) ÷ old as an exact Decimal ratio."""
    if old_fen <= 0:
        raise BenefitError("现行标准未设定，无法计算增长率", "new_standard")
    return (Decimal(new_fen) - Decimal(old_fen)) / Decimal(old_fen)


def percent(r: Decimal) -> str:
    return f"{(r * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def check_growth_floor(old_fen: int, new_fen: int, consumption_growth: Decimal, source: str) -> str:
    """DB-13: refuse a new urban standard whose growth is below last year's growth of urban
    per-capita consumption spending; returns the sentence with the figures when it passes."""
    g = growth(old_fen, new_fen)
    text = (f"新标准 {yuan(new_fen)} 元较现行标准 {yuan(old_fen)} 元增长 {percent(g)}，"
            f"上年城镇居民人均消费支出增长 {percent(consumption_growth)}")
    if g < consumption_growth:
        raise BenefitError(f"{text}；城市低保标准增幅不得低于上年城镇居民人均消费支出增幅，不予设定"
                           f"（DB-13，{source}）", "new_standard")
    return f"{text}，不低于消费支出增幅（DB-13，{source}）"
