"""Documents of the 低保 procedure: what each printed page says, and its PDF (WeasyPrint).

- 申请表 (application form), 入户调查表 (home-investigation form),
- 审批决定书 / 不予批准告知书 (decision and refusal notices) with the policy core's trace as
  plain Chinese sentences and the amount also in capital numerals (大写),
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

PROGRAM = "dibao"

REVIEW_RIGHTS = ("申请人如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，"
                 "或者在六个月内依法向人民法院提起行政诉讼。")


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals: 104000 → 1040.00."""
    sign = "-" if fen < 0 else ""
    fen = abs(int(fen))
    return f"{sign}{fen // 100}.{fen % 100:02d}"


def trace_sentences(assessment: dict, program: str = PROGRAM) -> list[dict[str, str]]:
    """The policy core's trace for one program as sentences: {rule, source, text}."""
    entry = (assessment or {}).get("programs", {}).get(program) or {}
    out = []
    for step in entry.get("trace", []):
        detail = str(step.get("detail", "")).strip()
        if detail and detail[-1] not in "。；;.!！":
            detail += "。"
        out.append({"rule": step.get("rule", ""), "source": step.get("source", ""), "text": detail})
    return out


def summary_sentence(assessment: dict, program: str = PROGRAM) -> str:
    """One sentence: members, counted income, per-capita income (the figures the decision rests on)."""
    h = (assessment or {}).get("household") or {}
    if not h:
        return ""
    return (f"经核算，共同生活家庭成员 {h.get('members')} 人，计入家庭月收入 {h.get('counted_monthly_income')} 元，"
            f"月人均收入 {h.get('per_capita_income')} 元。")


def parameter_lines(parameters: Iterable[dict]) -> list[str]:
    """The parameters in force on the day, each with its level, version (from) and source."""
    lines = []
    for p in parameters or []:
        if p.get("value") in (None, "", "none"):
            continue
        mark = "(地方待定占位值)" if p.get("placeholder") else ""
        lines.append(f"{p['name']} = {p['value']}{p.get('unit') and ' ' + p['unit'] or ''}"
                     f"({p.get('level')}，自 {p.get('from') or '-'} 起，{p.get('source')}){mark}")
    return lines


def decision_notice(case: Any) -> dict[str, Any]:
    """审批决定书 of an approved case."""
    d = case.decision
    return {
        "title": "最低生活保障审批决定书",
        "case": case,
        "number": case.number,
        "applicant": case.applicant_name,
        "decided_on": d.decided_on,
        "household_size": d.household_size,
        "amount": yuan(d.amount_fen),
        "amount_capital": capital_yuan(d.amount_fen, fen=True),
        "payment_start": d.payment_start,
        "summary": summary_sentence(d.assessment),
        "trace": trace_sentences(d.assessment),
        "parameters": parameter_lines(d.parameters),
        "approvers": [u.display_name for u in (d.first_approver, d.second_approver or d.decided_by) if u],
        "rights": REVIEW_RIGHTS,
    }


def refusal_notice(case: Any) -> dict[str, Any]:
    """不予批准告知书: the reasons in writing, with the figures the decision rests on."""
    d = case.decision
    return {
        "title": "最低生活保障不予批准告知书",
        "case": case,
        "number": case.number,
        "applicant": case.applicant_name,
        "decided_on": d.decided_on,
        "reasons": d.reasons,
        "summary": summary_sentence(d.assessment),
        "trace": trace_sentences(d.assessment),
        "parameters": parameter_lines(d.parameters),
        "notice_due_on": d.notice_due_on,
        "rights": REVIEW_RIGHTS,
    }


def notice_rows(items: Iterable[tuple[str, int, int]], mask_given_name: bool | None = None) -> list[dict[str, str]]:
    """公示名单 rows from (name, household size, monthly amount in fen): nothing else is shown."""
    return [{"name": mask_name(name, mask_given_name), "household_size": str(size), "amount": yuan(fen)}
            for name, size, fen in items]


def amount_in_words(amount: Decimal | str) -> str:
    return capital_yuan(Decimal(str(amount)))


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """A printed page as PDF (WeasyPrint; Chinese text needs a CJK font such as fonts-wqy-microhei)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()
