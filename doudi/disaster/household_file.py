"""受灾人员救助 in the household file: the household's grants (DR-1 ledger lines)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from doudi.registry.household_file import Section, case_rows


def household_sections(user: Any, household: Any) -> list[Section]:
    from doudi.disaster.services import visible_grants, yuan

    cases = list(visible_grants(user).filter(household=household).order_by("-submitted_on", "-id"))
    if not cases:
        return []

    def amount(g: Any) -> str:
        parts = [f"{yuan(g.amount_fen)} 元"] if g.amount_fen else []
        if g.goods_item_id:
            parts.append(f"{g.goods_item.name}{g.goods_quantity}{g.goods_item.unit}")
        return "、".join(parts)

    def docs(g: Any) -> list[tuple[str, str]]:
        from django.urls import reverse

        kind = "decision" if g.state in ("approved", "issued") else "refusal" if g.state == "refused" else ""
        return [("决定书" if kind == "decision" else "告知书", reverse("disaster:document", args=[g.pk, kind]))] if kind else []

    rows = case_rows(cases, "disaster:case_detail", lambda g: f"{g.applicant_name}（{g.event.get_kind_display()}）",
                     amount, timezone.localdate(), docs)
    return [Section("disaster-grants", "受灾人员救助", "registry/file/_cases.html",
                    {"rows": rows, "program": "受灾人员救助", "amount_label": "救助款物"}, order=45, count=len(rows))]
