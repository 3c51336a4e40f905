"""Documents of the 特困 procedure: decision and refusal notices, termination notice.

Built from stored rows only (a decision shows the figures it stored on its day); the trace as
sentences and the amount also in capital numerals (大写), with the 低保 helpers of doudi.cases.
"""

from __future__ import annotations

from typing import Any

from doudi.cases.documents import record, render_pdf, yuan
from doudi.cases.numerals import capital_yuan
from doudi.support import procedure as proc
from doudi.web import notices

PROGRAM = "tekun"

__all__ = ["decision_notice", "refusal_notice", "termination_notice", "record_of", "render_pdf", "DOCUMENTS"]

DOCUMENTS = {"decision": "特困人员认定决定书", "refusal": "特困人员不予认定告知书",
             "termination": "终止特困人员救助供养告知书", "record": "核算记录（内部）"}


def _base(case: Any, d: Any) -> dict[str, Any]:
    """What every 特困 notice to the person says: the bureau that decided, the figures in words,
    the right to review and litigation, the office, seal area and date (doudi/web/notices.py)."""
    return {**notices.citizen_notice(case.region, d.decided_on, d.assessment, PROGRAM),
            "case": case, "number": case.number, "applicant": case.person.name, "decided_on": d.decided_on}


def record_of(case: Any) -> dict[str, Any]:
    """核算记录 (internal print) of the case's latest decision."""
    d = case.decisions.latest("id")
    return {**record(case, d, PROGRAM), "title": DOCUMENTS["record"]}


def decision_notice(case: Any) -> dict[str, Any]:
    """认定决定书: the monthly amount (also in 大写), care tier, mode, support from the next month;
    the person's own line (TK-1 + TK-2) where the household has its per-person lines."""
    from doudi.support.services import person_line_sentence

    d = case.decisions.filter(kind="approved").latest("id")
    words = lambda text: notices.reasons_in_words(text, case.region)  # noqa: E731 - rule ids as clauses
    a = case.assessments.filter(reason="initial").order_by("-id").first()
    return {**_base(case, d), "title": DOCUMENTS["decision"], "amount": yuan(d.amount_fen),
            "amount_capital": capital_yuan(d.amount_fen, fen=True), "tier": proc.TIER_NAMES.get(d.care_tier, ""),
            "self_care": words(proc.self_care(a.unable).sentence() if a else ""), "mode": proc.MODE_NAMES.get(d.mode, ""),
            "support_from": d.effective_from, "person_line": words(person_line_sentence(d))}


def refusal_notice(case: Any) -> dict[str, Any]:
    d = case.decisions.filter(kind="refused").latest("id")
    return {**_base(case, d), "title": DOCUMENTS["refusal"], "reasons": d.reasons}


def termination_notice(case: Any) -> dict[str, Any]:
    t = case.termination
    d = case.decisions.filter(kind="terminated").latest("id")
    return {**_base(case, d), "title": DOCUMENTS["termination"],
            "ground": notices.reasons_in_words(proc.GROUND_NAMES[t.ground], case.region),
            "facts": t.facts, "notice": f"{t.proposed_on} 至 {t.notice_ends_on}", "ends_from": t.ends_from,
            "follow_up": notices.reasons_in_words(t.follow_up.get("sentence", ""), case.region)}
