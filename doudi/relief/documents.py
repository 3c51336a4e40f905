"""Documents of temporary assistance: the decision (amount in 大写, stages) and the refusal notice."""

from __future__ import annotations

from typing import Any

from doudi.cases.documents import record, render_pdf, yuan
from doudi.cases.numerals import capital_yuan
from doudi.relief import procedure as proc
from doudi.web import notices

PROGRAM = "temporary"
DOCUMENTS = {"decision": "临时救助审批决定书", "refusal": "临时救助不予救助告知书", "record": "核算记录（内部）"}

__all__ = ["decision_notice", "refusal_notice", "record_of", "render_pdf", "DOCUMENTS"]


def _base(case: Any) -> dict[str, Any]:
    """What every notice of temporary assistance says: who decided — the township government for a
    grant within its ceiling (NAT-TA-FIRST), else the county's civil-affairs bureau — the figures in
    words, the right to review and litigation, the office, seal area and date (doudi/web/notices.py)."""
    d = case.decision
    level = "township" if d.level == d.Level.TOWNSHIP else "county"
    return {**notices.citizen_notice(case.region, d.decided_on, d.assessment, PROGRAM, level=level),
            "case": case, "number": case.number, "applicant": case.applicant_name, "decided_on": d.decided_on,
            "kind": proc.KIND_NAMES[case.kind], "path": proc.PATH_NAMES[case.path]}


def record_of(case: Any) -> dict[str, Any]:
    """核算记录 (internal print) of the case's decision."""
    return {**record(case, case.decision, PROGRAM), "title": DOCUMENTS["record"]}


def decision_notice(case: Any) -> dict[str, Any]:
    d = case.decision
    stages = [{"seq": s.seq, "amount": yuan(s.amount_fen), "capital": capital_yuan(s.amount_fen, fen=True),
               "paid_on": s.paid_on} for s in case.stages.all()]
    return {**_base(case), "title": DOCUMENTS["decision"], "amount": yuan(d.amount_fen),
            "amount_capital": capital_yuan(d.amount_fen, fen=True), "stages": stages,
            "ceiling": yuan(d.ceiling_fen) if d.ceiling_fen is not None else None, "reasoning": case.reasoning}


def refusal_notice(case: Any) -> dict[str, Any]:
    d = case.decision
    return {**_base(case), "title": DOCUMENTS["refusal"], "reasons": notices.reasons_in_words(d.reasons, case.region)}
