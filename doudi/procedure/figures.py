"""The figures before the decision (issue 9), shared by the 特困 and temporary-assistance pages.

The reviewer and the approver see, before they act, the policy core's decision on the case as it
stands now, the difference from the amount proposed, and the placeholder parameters the amount
rests on (staff only; the template is procedure/_figures.html). Plain helpers, no models.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from doudi.cases.documents import yuan


def placeholder_labels(params: Iterable[dict], names: Iterable[str]) -> list[str]:
    """The Chinese labels of the parameters among `names` that are placeholders (with a value) in
    `params` (a case's parameter rows, as assess_case returns them), in the order of `names`."""
    from doudi.policy.params import default_policy

    defs = default_policy().defs
    marked = {p["name"] for p in params if p.get("placeholder") and p.get("value") is not None}
    return [defs[n].label_or_name if n in defs else n for n in names if n in marked]


def block(*, outcome: str, amount_fen: int, eligible: bool, summary: str, trace: list, on: dt.date,
          placeholders: list[str], proposed_fen: int | None, proposed_label: str) -> dict:
    """The context of procedure/_figures.html: `difference` is signed yuan ('' when equal or nothing proposed)."""
    diff = ""
    if proposed_fen is not None and amount_fen != proposed_fen:
        diff = ("+" if amount_fen > proposed_fen else "") + yuan(amount_fen - proposed_fen)
    return {"outcome": outcome, "eligible": eligible, "amount": yuan(amount_fen), "amount_fen": amount_fen,
            "summary": summary, "trace": trace, "on": on, "placeholders": placeholders,
            "proposed": yuan(proposed_fen) if proposed_fen is not None else "", "proposed_label": proposed_label,
            "difference": diff, "problem": ""}


def problem(exc: Exception) -> dict:
    """A case the policy core cannot read: said on the page instead of a traceback."""
    return {"problem": f"无法按当前情况核算：{exc}", "placeholders": []}


def confirm_field(placeholders: list[str]) -> Any:
    """The approver's checkbox for an amount resting on placeholder parameters."""
    from django import forms

    names = "、".join(f"「{x}」" for x in placeholders)
    return forms.BooleanField(
        label=f"我已知悉：本决定的金额依据占位参数{names}（地方标准尚未录入），确认按此批准", required=False)


def refusal(placeholders: list[str]) -> str:
    names = "、".join(f"「{x}」" for x in placeholders)
    return f"本决定的金额依据占位参数{names}，须勾选确认后才能批准"
