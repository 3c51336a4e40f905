"""Small helpers shared by the rule modules: formatting figures for traces, common masks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from doudi.policy.household import Households
from doudi.policy.money import MICRO, format_yuan, micro_to_ratio
from doudi.policy.wording import unset_note


def y(fen: int | np.integer) -> str:
    """Fen as yuan with 2 decimals, for trace sentences."""
    return format_yuan(int(fen))


def pct(micro: int | np.integer) -> str:
    """A micro-ratio as a percentage: 200000 → '20%'."""
    return f"{(Decimal(int(micro)) * 100 / MICRO).normalize():f}%"


def ratio(micro: int | np.integer) -> str:
    return f"{micro_to_ratio(int(micro)):f}"


def standard_by_residence(hh: Households, p, urban: str, rural: str) -> np.ndarray:
    """Pick the urban or rural parameter column by the household's residence."""
    return np.where(hh.enum_is("household.residence", "urban"), p.money(urban), p.money(rural))


def severely_disabled(hh: Households) -> np.ndarray:
    """重残: grade 1–2, or grade 3 intellectual or mental (DB-8, NAT-DB-EDGE)."""
    g = hh.p("disability.grade")
    im = hh.enum_is("disability.kind", "intellectual", "mental")
    return ((g >= 1) & (g <= 2)) | ((g == 3) & im)


def is_disabled(hh: Households) -> np.ndarray:
    return hh.p("disability.grade") >= 1


def unset_remark(p, name: str) -> str:
    """(参数「城市低保标准」默认无): the remark of a parameter left at its default none, by its Chinese label."""
    return unset_note(p.policy.defs[name].label_or_name)


def label(p, name: str) -> str:
    """A parameter's Chinese label (the dotted name where the data has none)."""
    return p.policy.defs[name].label_or_name


def names(hh: Households, persons) -> str:
    return "、".join(hh.label(k) for k in persons) or "无"
