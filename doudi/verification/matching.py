"""Who a department record is about: exact on the normalised ID number, or a scored "possible" match.

Exact: both ID numbers normalised (doudi.policy.identity.normalise_id_number: upper-case X, 15
digits → 18) and equal. Possible (PR-6, a record without a valid ID number): the same birth
date, a region in the same county, and a name similarity scored with rapidfuzz. The score is

    0.8 × name similarity (rapidfuzz fuzz.ratio / 100, Indel distance) + 0.2 × region closeness
    (same village 1.0, same township 0.9, same county 0.8)

and a pair at or above the threshold (parameter `possible_match_threshold`, data/verification.yaml)
is shown as "possible" for a person to confirm — never acted on alone.

Why rapidfuzz and not splink: the pairs to score are few (blocked on birth date and county), the
score must be explained to the caseworker in one sentence, and nothing is trained; splink's
Fellegi–Sunter model needs parameters estimated from the data (EM), a SQL backend of its own and
many more dependencies, for a decision a person takes anyway. rapidfuzz is one small C++
extension with vectorised scoring (`process.cpdist`) for the monthly batch.

Plain Python (no Django).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
from rapidfuzz import fuzz, process

NAME_WEIGHT, REGION_WEIGHT = 0.8, 0.2


def region_closeness(a: str | None, b: str | None) -> float:
    """1.0 same village (12 digits), 0.9 same township (9), 0.8 same county (6), 0 otherwise."""
    a, b = str(a or ""), str(b or "")
    if len(a) >= 12 and a[:12] == b[:12]:
        return 1.0
    if len(a) >= 9 and len(b) >= 9 and a[:9] == b[:9]:
        return 0.9
    if a[:6] and a[:6] == b[:6]:
        return 0.8
    return 0.0


def score(name_a: str, name_b: str, region_a: str | None, region_b: str | None) -> float:
    """The possible-match score of two persons born on the same day (0–1)."""
    return NAME_WEIGHT * fuzz.ratio(name_a or "", name_b or "") / 100 + REGION_WEIGHT * region_closeness(
        region_a, region_b)


def scores(names_a: Sequence[str], names_b: Sequence[str], regions_a: Sequence[str],
           regions_b: Sequence[str]) -> np.ndarray:
    """`score` of many pairs at once (element-wise; rapidfuzz's vectorised cpdist for the names)."""
    if not len(names_a):
        return np.zeros(0)
    names = process.cpdist(list(names_a), list(names_b), scorer=fuzz.ratio, workers=1) / 100
    closeness = np.fromiter((region_closeness(a, b) for a, b in zip(regions_a, regions_b, strict=True)),
                            dtype=float, count=len(regions_a))
    return NAME_WEIGHT * names + REGION_WEIGHT * closeness


def explain(name_a: str, name_b: str, region_a: str | None, region_b: str | None, threshold: Decimal) -> str:
    """The score in one Chinese sentence (why a pair is shown as possible)."""
    s = score(name_a, name_b, region_a, region_b)
    return (f"无有效身份证号：姓名「{name_b}」与「{name_a}」相似度 {fuzz.ratio(name_a, name_b):.0f}%，出生日期相同，"
            f"地区相近度 {region_closeness(region_a, region_b):.1f}；综合 {s:.3f}，"
            f"{'达到' if s >= float(threshold) else '未达到'}疑似匹配阈值 {threshold}（须人工确认）")
