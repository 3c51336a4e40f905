"""Documents of the 低保 procedure: what each printed page says, and its PDF (WeasyPrint).

- 申请表 (application form), 入户调查表 (home-investigation form),
- 审批决定书 / 不予批准告知书 (decision and refusal notices) to the citizen: who decided (the county's
  civil-affairs bureau by name), the amount also in capital numerals (大写), the policy core's trace
  as plain Chinese sentences, the right to review and litigation, the office, a seal area and the date
  (doudi/web/notices.py) — never the parameter set,
- 核算记录 (internal print): the whole trace and every parameter with its Chinese label,
- 公示名单 (public-notice list, PR-4 and NAT-DB-PAY): name (masked as local rules say),
  household size, amount — nothing else.

The functions here build plain dicts from stored rows; the templates under
templates/cases/print/ lay them out. Nothing is recomputed: a decision shows the figures it
stored on the day it was made.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from doudi.cases.numerals import capital_yuan
from doudi.cases.procedure import mask_name
from doudi.web import notices

PROGRAM = "dibao"

def yuan(fen: int) -> str:
    """Fen as yuan with two decimals: 104000 → 1040.00."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def trace_sentences(assessment: dict, program: str = PROGRAM) -> list[dict[str, str]]:
    """The policy core's trace for one program on a case page (staff): {rule, source, text} in Chinese,
    sources by document number, remarks kept (a placeholder figure says so)."""
    return notices.staff_trace(assessment, program)


def summary_sentence(assessment: dict, program: str = PROGRAM) -> str:
    """One sentence: members, counted income, per-capita income (the figures the decision rests on)."""
    return notices.summary(assessment)


def parameter_lines(parameters: Iterable[dict]) -> list[str]:
    """The parameters in force on the day by Chinese label, each with its level, version and source."""
    return notices.parameter_lines(list(parameters or []))


RESIDENCE_WORDS = {"urban": "城市", "rural": "农村"}


def decision_notice(case: Any) -> dict[str, Any]:
    """审批决定书 of an approved case: to the applicant, in words, with no internal data."""
    d = case.decision
    return {
        **notices.citizen_notice(case.region, d.decided_on, d.assessment, PROGRAM),
        "title": "最低生活保障审批决定书",
        "case": case,
        "number": case.number,
        "applicant": case.applicant_name,
        "submitted_on": notices.date_words(case.submitted_on),
        "residence": RESIDENCE_WORDS.get(case.household.residence, ""),
        "household_size": d.household_size,
        "amount": yuan(d.amount_fen),
        "amount_capital": capital_yuan(d.amount_fen, fen=True),
        "payment_start": d.payment_start,
    }


def refusal_notice(case: Any) -> dict[str, Any]:
    """不予批准告知书: the reasons in writing, with the figures the decision rests on."""
    d = case.decision
    return {
        **notices.citizen_notice(case.region, d.decided_on, d.assessment, PROGRAM),
        "title": "最低生活保障不予批准告知书",
        "case": case,
        "number": case.number,
        "applicant": case.applicant_name,
        "submitted_on": notices.date_words(case.submitted_on),
        "reasons": notices.reasons_in_words(d.reasons, case.region),  # rule ids as the clauses they cite
    }


def record(case: Any, decision: Any, program: str = PROGRAM) -> dict[str, Any]:
    """核算记录 (internal print): the decision's figures, the whole trace with rule ids and remarks,
    and every parameter in force on the day with its Chinese label, level, version and source."""
    return {"case": case, "number": case.number, "decision": decision, "decided_on": decision.decided_on,
            "summary": notices.summary(decision.assessment), "trace": notices.staff_trace(decision.assessment, program),
            "rows": notices.parameter_rows(decision.parameters), "amount": yuan(decision.amount_fen)}


def notice_rows(items: Iterable[tuple[str, int, int]], mask_given_name: bool | None = None) -> list[dict[str, str]]:
    """公示名单 rows from (name, household size, monthly amount in fen): nothing else is shown."""
    return [{"name": mask_name(name, mask_given_name), "household_size": str(size), "amount": yuan(fen)}
            for name, size, fen in items]


def amount_in_words(amount: Decimal | str) -> str:
    return capital_yuan(Decimal(str(amount)))


render_pdf = notices.render_pdf  # the documents of every procedure print through one function
