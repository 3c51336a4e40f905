"""Notices of disaster relief to the household: the county's decision (money in 大写, goods) and the refusal."""

from __future__ import annotations

from typing import Any

from doudi.cases.numerals import capital_yuan
from doudi.disaster import procedure as proc
from doudi.policy.money import format_yuan
from doudi.web import notices

DOCUMENTS = {"decision": "受灾人员救助决定书", "refusal": "受灾人员救助不予救助告知书"}


def notice(case: Any, kind: str) -> dict[str, Any]:
    """What the notice says: who decided (the county's civil-affairs bureau, DR-1 县定; the township
    when it refused at its review), the event and stage, the relief or the reasons, rights, seal."""
    level = "township" if kind == "refusal" and not case.events.filter(action="review").exists() else "county"
    base = notices.citizen_notice(case.region, case.decided_on, None, "", level=level)
    goods = (f"{case.goods_item.name} {case.goods_quantity}{case.goods_item.unit}" if case.goods_item_id else "")
    return {**base, "title": DOCUMENTS[kind], "case": case, "number": case.number, "applicant": case.applicant_name,
            "event": case.event, "stage": proc.STAGE_NAMES[case.stage],
            "amount": format_yuan(case.amount_fen) if case.amount_fen else "",
            "amount_capital": capital_yuan(case.amount_fen, fen=True) if case.amount_fen else "", "goods": goods,
            "reasons": notices.reasons_in_words(case.reasons, case.region)}
