"""Household documents for policy tests (interfaces.md shape), built by hand in a line.

    doc = household("620422", [person(wages=900), person("spouse", wages=300),
                               person("child", born="2010-01-01", grade=2)])
    entry = dibao(doc, **{"dibao.standard.urban": "700.00"})
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from doudi.policy.engine import assess

DATE = "2023-06-01"


def person(relation: str = "self", born: str = "1980-01-01", *, grade: int | None = None,
           kind: str = "physical", **fields: Any) -> dict[str, Any]:
    """A member. Income kinds (wages=900, pension_basic=110, …) go to monthly_income; other
    keyword arguments are member fields as the document spells them."""
    from doudi.policy.schema import COUNTED_INCOME, NOT_COUNTED_INCOME

    income = {k: fields.pop(k) for k in list(fields) if k in COUNTED_INCOME + NOT_COUNTED_INCOME}
    m: dict[str, Any] = {"relation": relation, "birth_date": born}
    if income:
        m["monthly_income"] = {k: str(v) for k, v in income.items()}
    if grade is not None:
        m["disability"] = {"kind": kind, "grade": grade}
    m.update(fields)
    return m


def household(region: str, members: list[dict[str, Any]], residence: str = "urban", date: str = DATE,
              **fields: Any) -> dict[str, Any]:
    """A household document; keyword arguments are household fields (assets={...}, …)."""
    doc: dict[str, Any] = {"region": region, "residence": residence, "date": date, "members": members}
    doc.update(fields)
    return doc


def decision(doc: dict[str, Any], **sets: Any) -> dict[str, Any]:
    """The decision JSON of `doudi assess` for the document, with --set NAME=VALUE overrides."""
    return assess(doc, sets={k: str(v) for k, v in sets.items()}).as_json()


def dibao(doc: dict[str, Any], **sets: Any) -> dict[str, Any]:
    """The 低保 entry of the decision JSON."""
    return decision(doc, **sets)["programs"]["dibao"]


def amount(entry: dict[str, Any]) -> Decimal:
    return Decimal(entry["amount"])


def rules(entry: dict[str, Any]) -> list[str]:
    """Rule ids of the entry's trace, in order."""
    return [s["rule"] for s in entry["trace"]]


def step(entry: dict[str, Any], rule: str) -> dict[str, str]:
    """The first trace step of `rule` (fails the test when absent)."""
    found = [s for s in entry["trace"] if s["rule"] == rule]
    assert found, f"{rule} not in trace {rules(entry)}"
    return found[0]


def std(urban: str | None = None, rural: str | None = None) -> dict[str, str]:
    """--set overrides for the 低保 standards, so expected figures do not hang on placeholders."""
    out = {}
    if urban is not None:
        out["dibao.standard.urban"] = urban
    if rural is not None:
        out["dibao.standard.rural"] = rural
    return out
