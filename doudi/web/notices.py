"""What every notice to a citizen says besides its decision (决定书、告知书 of 低保, 特困, 临时救助 and
the benefit changes): who decided, the figures and clauses in words, the right to review and
litigation with its time limits, where to reach the office, a seal area and the date.

A citizen's notice never lists the parameter set, a placeholder remark or a parameter's dotted
name: those stay in the case record and its internal print (`parameter_rows`).

Review and litigation (current law):
- 《中华人民共和国行政复议法》(2023年9月1日修订, in force 2024-01-01) 第二十条: a review is applied for
  within 60 days of knowing of the act; 第二十四条: the county's people's government hears reviews
  of its departments' acts (the civil-affairs bureau) and of the township governments' acts.
- 《中华人民共和国行政诉讼法》(2017年修正) 第四十六条: a suit is brought within 6 months of knowing
  of the act (第四十五条: within 15 days of a review decision).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.policy.wording import LEVEL_WORDS, cite, cite_rules, cited_documents, for_citizen, value_words, zh_text
from doudi.web.offices import Office, office_of

LAW = "《中华人民共和国行政复议法》第二十条、第二十四条，《中华人民共和国行政诉讼法》第四十六条"
REPORT_CHANGES = ("享受救助期间，家庭人口、收入和财产状况发生变化的，应当及时告知乡镇人民政府（街道办事处）"
                  "（《社会救助暂行办法》第十三条）。")


def rights(office: Office) -> str:
    """The right to administrative review and litigation, with the body and the time limits."""
    return (f"如对本决定不服，可以自收到本决定书之日起六十日内向{office.government}申请行政复议，"
            f"也可以自收到本决定书之日起六个月内依法向人民法院提起行政诉讼（{LAW}）。")


def date_words(day: dt.date | None) -> str:
    """2026年11月14日 (the date under the seal)."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _steps(assessment: dict | None, program: str) -> list[dict]:
    return (((assessment or {}).get("programs") or {}).get(program) or {}).get("trace", []) or []


def basis(assessment: dict | None, program: str) -> list[dict[str, str]]:
    """The policy core's trace for a citizen: each rule's sentence in words, where it comes from
    (document number and clause), without internal remarks."""
    out = []
    for step in _steps(assessment, program):
        text = for_citizen(step.get("detail", ""))
        if text:
            out.append({"text": text, "where": cite(step.get("source", ""), notes=False)})
    return out


def summary(assessment: dict | None) -> str:
    """The figures the decision rests on: members, counted income, per-capita income."""
    h = (assessment or {}).get("household") or {}
    if not h:
        return ""
    return (f"经核算，共同生活家庭成员 {h.get('members')} 人，计入家庭月收入 {h.get('counted_monthly_income')} 元，"
            f"月人均收入 {h.get('per_capita_income')} 元。")


def citizen_notice(region: str, day: dt.date | None, assessment: dict | None = None, program: str = "",
                   level: str = "county") -> dict[str, Any]:
    """The parts every citizen's notice shares (see web/print/_notice_basis.html, _notice_foot.html)."""
    office = office_of(region, level)
    return {
        "office": office,
        "issuer": office.name,
        "rights": rights(office),
        "date_words": date_words(day),
        "summary": summary(assessment) if assessment else "",
        "basis": basis(assessment, program) if program else [],
        "documents": cited_documents([s.get("source", "") for s in _steps(assessment, program)]) if program else [],
        "report_changes": REPORT_CHANGES,
    }


def region_documents(region: str) -> tuple[str, ...]:
    """The short names of the documents in force for a region (its level chain), for citing rules."""
    from doudi.params.store import current_policy
    from doudi.policy import regions

    return tuple(d for lv in current_policy().chain(regions.county_of(str(region))) for d in lv.documents)


def reasons_in_words(text: str, region: str) -> str:
    """Written reasons for a citizen: each rule id replaced by the clause it cites in the region."""
    return cite_rules(text, region_documents(region))


def render_pdf(html: str, base_url: str | None = None) -> bytes:
    """A printed page as PDF (WeasyPrint; Chinese text needs a CJK font such as fonts-wqy-microhei)."""
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf()


def staff_trace(assessment: dict | None, program: str) -> list[dict[str, str]]:
    """The trace for a case page (staff): rule id, Chinese citation with the document's quotation,
    the sentence with its remarks (a placeholder figure says so here)."""
    return [{"rule": s.get("rule", ""), "source": cite(s.get("source", "")), "text": zh_text(s.get("detail", ""))}
            for s in _steps(assessment, program)]


def parameter_rows(parameters: list[dict] | None) -> list[dict[str, Any]]:
    """The parameters in force on the day (case record, internal print), each by its Chinese label:
    value with unit, level, version (from), source, and whether it is a placeholder."""
    from doudi.policy.params import default_policy

    defs = default_policy().defs
    rows = []
    for p in parameters or []:
        d = defs.get(p.get("name", ""))
        rows.append({
            "label": d.label_or_name if d else p.get("name", ""),
            "value": value_words(p.get("name", ""), p.get("value")),
            "level": LEVEL_WORDS.get(p.get("level") or "", p.get("level") or ""),
            "from": p.get("from") or "",
            "source": cite(p.get("source") or "", notes=False),
            "placeholder": bool(p.get("placeholder")),
        })
    return rows


def parameter_lines(parameters: list[dict] | None) -> list[str]:
    """The same rows as one Chinese line each (case page): 城市低保标准：700.00 元/人·月（县级，自 … 起，…）."""
    lines = []
    for r in parameter_rows(parameters):
        if r["value"] == "无":
            continue
        since = f"，自 {r['from']} 起" if r["from"] else ""
        where = f"，{r['source']}" if r["source"] else ""
        mark = "（占位值，待本地公布标准替换）" if r["placeholder"] else ""
        lines.append(f"{r['label']}：{r['value']}（{r['level']}{since}{where}）{mark}")
    return lines
