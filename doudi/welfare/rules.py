"""TA-5 and EL-1 as plain Python (no database).

TA-5 (wuhai-2014 九.13 落实低保对象基本丧葬服务费用减免政策): the funeral basic-service fees of a
低保 recipient are waived — a person who, on the day of death, lived in a household whose 低保
benefit was being paid.

EL-1 (gansu-2017 二(二)): an allowance for elderly people in difficulty, amount by parameter —
here each member of a 低保 or 特困 household aged `elderly_min_age` or more gets `elderly_monthly`
a month, the household's benefit being their sum.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure.flow import Param, load_params
from doudi.procedure.flow import ProcedureError as _Base

DATA = Path(__file__).parent / "data" / "params.yaml"


class WelfareError(_Base):
    """A certificate or allowance the rules refuse (field named, message in Chinese)."""


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def funeral_waiver(dibao_paid_on_death: bool) -> bool:
    """TA-5: waived when the deceased was a 低保 recipient on the day of death."""
    return bool(dibao_paid_on_death)


def elderly_allowance(births: list[dt.date], on: dt.date, in_difficulty: bool) -> tuple[int, list[int], str]:
    """EL-1: (monthly amount in fen, the ages counted, the reasoning) for a household's members.

    Each member aged `elderly_min_age` or more counts when the household is in difficulty (低保 or
    特困); the amount is `elderly_monthly` for each."""
    min_age, monthly = int(param("elderly_min_age")), Decimal(str(param("elderly_monthly")))
    if not in_difficulty:
        return 0, [], "家庭不是低保或特困家庭，不属于困难老年人（EL-1）"
    ages = sorted((age_on(b, on) for b in births if age_on(b, on) >= min_age), reverse=True)
    fen = int(monthly * 100) * len(ages)
    if not ages:
        return 0, [], f"家庭中没有年满 {min_age} 周岁的成员（EL-1）"
    return fen, ages, (f"{len(ages)} 名成员年满 {min_age} 周岁（年龄 {'、'.join(map(str, ages))}），"
                       f"每人每月 {monthly:.2f} 元，合计 {Decimal(fen) / 100:.2f} 元（EL-1）")


def parameters() -> list[dict]:
    """The parameters as stored with a decision (name, value, source, placeholder)."""
    return [{"name": p.name, "value": str(p.value), "source": p.source, "from": p.start.isoformat()
             if hasattr(p.start, "isoformat") else str(p.start), "placeholder": p.placeholder}
            for p in params().values()]
