"""Documents of temporary assistance: the decision (amount in 大写, stages) and the refusal notice."""

from __future__ import annotations

from typing import Any

from doudi.cases.documents import REVIEW_RIGHTS, parameter_lines, render_pdf, trace_sentences, yuan
from doudi.cases.numerals import capital_yuan
from doudi.relief import procedure as proc

PROGRAM = "temporary"
DOCUMENTS = {"decision": "临时救助审批决定书", "refusal": "临时救助不予救助告知书"}

__all__ = ["decision_notice", "refusal_notice", "render_pdf", "DOCUMENTS"]


def _base(case: Any) -> dict[str, Any]:
    d = case.decision
    return {"case": case, "number": case.number, "applicant": case.applicant_name, "decided_on": d.decided_on,
            "kind": proc.KIND_NAMES[case.kind], "path": proc.PATH_NAMES[case.path],
            "trace": trace_sentences(d.assessment, PROGRAM), "parameters": parameter_lines(d.parameters),
            "decided_by": d.decided_by.display_name, "level": d.get_level_display(), "rights": REVIEW_RIGHTS}


def decision_notice(case: Any) -> dict[str, Any]:
    d = case.decision
    stages = [{"seq": s.seq, "amount": yuan(s.amount_fen), "capital": capital_yuan(s.amount_fen, fen=True),
               "paid_on": s.paid_on} for s in case.stages.all()]
    return {**_base(case), "title": DOCUMENTS["decision"], "amount": yuan(d.amount_fen),
            "amount_capital": capital_yuan(d.amount_fen, fen=True), "stages": stages,
            "ceiling": yuan(d.ceiling_fen) if d.ceiling_fen is not None else None, "reasoning": case.reasoning}


def refusal_notice(case: Any) -> dict[str, Any]:
    d = case.decision
    return {**_base(case), "title": DOCUMENTS["refusal"], "reasons": d.reasons, "notice_due_on": d.notice_due_on}
