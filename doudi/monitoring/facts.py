"""What a scan knows of each household: the registry document, the department records (the
verification app's latest snapshots, read once per kind for the whole scan), the benefits, the
disasters of its village — turned into one row of ``doudi.policy.monitoring.Facts`` plus the
policy core's decision on the department document (for 应保尽保)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from doudi.monitoring.departments import KINDS as DEPARTMENT_KINDS
from doudi.monitoring.departments import household_row as department_row
from doudi.monitoring.departments import rural_status
from doudi.policy import regions
from doudi.policy.monitoring import months_between
from doudi.policy.schema import COUNTED_INCOME, SPENDING

# the department data kinds a scan reads (doudi/verification/data/kinds.yaml)
KINDS = ("death", "disability", "unemployment", "student", "medical_cost", "social_insurance", "income_tax",
         "pension", "real_estate", "vehicle", "business", "bank_deposit", "insurance", "securities") + DEPARTMENT_KINDS
HIGHER = ("junior_college", "bachelor", "postgraduate")


def fen(value: Any) -> int:
    from doudi.verification.figures import fen_of

    return fen_of(value) if value not in (None, "") else 0


def counted_income(members: list[dict]) -> int:
    """Counted monthly income of a document's members (DB-3), fen."""
    return sum(fen((m.get("monthly_income") or {}).get(k)) for m in members for k in COUNTED_INCOME)


def own_income(member: dict) -> int:
    return sum(fen((member.get("monthly_income") or {}).get(k)) for k in COUNTED_INCOME)


def department_records(ids: list[str], county: str, on: dt.date) -> tuple[dict, dict]:
    """ID number → kind → records in the latest snapshots covering the county (one query per kind
    for the whole scan), and kind → snapshot refs."""
    records: dict[str, dict[str, list[dict]]] = {i: {} for i in ids}
    sources: dict[str, list[dict]] = {}
    if not ids:
        return records, sources
    try:
        from doudi.verification.datasets import latest_snapshots, snapshot_path, snapshot_ref
        from doudi.verification.engine import query
    except ImportError:  # the verification app is not installed: no department data
        return records, sources
    import duckdb

    con = duckdb.connect()
    try:
        for code in KINDS:
            snaps = latest_snapshots(code, county, on)
            if not snaps:
                continue
            sources[code] = [snapshot_ref(s) for s in snaps]
            paths = [str(snapshot_path(s)) for s in snaps]
            rows = query(con, "SELECT * FROM read_parquet(?, union_by_name=true) WHERE list_contains(?, id_number)"
                         " ORDER BY row", [paths, ids]).to_pylist()
            for r in rows:
                records[r["id_number"]].setdefault(code, []).append(r)
    finally:
        con.close()
    return records, sources


def department_document(doc: dict, records: dict, sources: dict, on: dt.date) -> dict:
    """The document with incomes and property raised to the department's figures: the verification
    report's own derivation (doudi.verification.report, its member and household items), without
    its two decisions — the scan decides every household in one batch (``decide_all``)."""
    if not any(records.get(m.get("id_number")) for m in doc["members"]):
        return doc  # no department record of any member: the declared document
    import copy

    from doudi.verification import report
    from doudi.verification.figures import person_figures

    dept = copy.deepcopy(doc)
    figs = []
    for member, dmember in zip(doc["members"], dept["members"], strict=True):
        f = person_figures(records.get(member.get("id_number", ""), {}), on)
        figs.append(f)
        report.member_items(member, dmember, f, sources, on)
    report.household_items(doc, dept, figs, sources)
    return dept


def decide_all(docs: list[dict]) -> list[dict]:
    """The policy core over every document at once (one vectorised batch, no trace): per household
    {program: {eligible, amount, edge_family, standard}} for the programs that apply. A document the
    core refuses is decided alone, and reported as not decided (empty) when it still fails."""
    from doudi.policy.engine import decide
    from doudi.policy.errors import InputError
    from doudi.policy.household import from_documents
    from doudi.policy.money import format_yuan

    if not docs:
        return []
    try:
        hh = from_documents(docs)
    except InputError:
        if len(docs) == 1:
            return [{"programs": {}}]
        return [d for doc in docs for d in decide_all([doc])]
    from doudi.params.store import current_policy

    done, _, _ = decide(hh, current_policy(), traced=(), programs=["dibao", "tekun", "temporary"])
    out = []
    for i in range(len(docs)):
        programs = {}
        for name in ("dibao", "tekun", "temporary"):
            r = done.get(name)
            if r is None or not bool(r.applies[i]):
                continue
            entry = {"eligible": bool(r.eligible[i]), "amount": format_yuan(int(r.amount[i]))}
            if name == "dibao":
                entry["edge_family"] = bool(r.extra["edge_family"][i])
                entry["standard"] = format_yuan(int(r.extra["standard"][i]))
            programs[name] = entry
        out.append({"programs": programs})
    return out


def explained(doc: dict, on: dt.date) -> dict:
    """The full decision (with its trace) of one household: for the warnings that cite it."""
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess

    return assess(doc, date=on.isoformat(), policy=current_policy()).as_json()


@dataclass
class HouseholdFacts:
    household: Any
    row: dict
    doc: dict
    decision: dict
    keys: dict = field(default_factory=dict)      # rule → de-duplication key (the evidence)
    persons: dict = field(default_factory=dict)   # rule → the person concerned
    live: dict = field(default_factory=dict)      # program → live benefit
    digest: str = ""
    rural: tuple = ("absent", "", None)           # departments.rural_status: the 乡村振兴 snapshot's word


def documents(households: list[Any], on: dt.date, records: dict, sources: dict) -> tuple[list[dict], list[dict]]:
    """The registry's document of each household on the day, and its department document."""
    from doudi.registry.documents import household_document

    docs = [household_document(h, on) for h in households]
    return docs, [department_document(d, records, sources, on) for d in docs]


def household_facts(household: Any, on: dt.date, doc: dict, dept: dict, decision: dict, records: dict,
                    benefits: list[Any], disasters: list[Any], entries: set[str]) -> HouseholdFacts:
    members = [m for m in dept["members"] if m.get("lives_together", True)]
    income = counted_income(members)
    keys: dict[str, str] = {}
    persons: dict[str, str] = {}
    row: dict[str, Any] = {"county": household.county, "residence": household.residence, "members": len(members),
                           "income": income}
    # MW-INCOME: the previous facts record against the latest
    recs = list(household.facts_records.order_by("-on_date", "-id")[:2])
    if len(recs) == 2:
        before = sum(own_income(f) for f in recs[1].member_facts.values())
        now = sum(own_income(f) for f in recs[0].member_facts.values())
        row["income_before"], row["income"] = before, now
        keys["MW-INCOME"] = f"facts{recs[0].pk}"
    last_year = fen(dept.get("household_income_last_year"))
    row["yearly_income"] = last_year if dept.get("household_income_last_year") not in (None, "") else income * 12
    # medical: the department's in-policy out-of-pocket of this year, or the declared, the higher
    dept_medical = sum(int(r["out_of_pocket"] or 0) for m in members for r in records.get(m.get("id_number"), {}).get("medical_cost", [])
                       if int(r.get("year") or 0) == on.year)
    declared_medical = max(fen(dept.get("medical_out_of_pocket_this_year")),
                           sum(fen(m.get("medical_out_of_pocket_this_year")) for m in members),
                           fen((dept.get("spending_12m") or {}).get("medical")))
    row["medical"] = max(dept_medical, declared_medical)
    keys["MW-MEDICAL"] = f"{on.year}"
    spending = {k: fen((dept.get("spending_12m") or {}).get(k)) for k in SPENDING}
    spending["medical"] = max(spending["medical"], row["medical"])
    row["spending_12m"] = sum(spending.values())
    # deaths, disability, unemployment, school from the department records of earning members
    worst, died, unemployed, entrant = 0, None, None, None
    for m in doc["members"]:
        number = m.get("id_number")
        recs_of = records.get(number, {})
        earning = own_income(m) > 0
        if earning:
            for r in recs_of.get("death", []):
                if r.get("death_date") and r["death_date"] <= on:
                    died = number
            for r in recs_of.get("disability", []):
                g = int(r.get("grade") or 0)
                if g and (worst == 0 or g < worst):
                    worst, persons["MW-DISABILITY"] = g, number
        for r in recs_of.get("unemployment", []):
            start = r.get("start_month")
            end = r.get("end_month")
            if start and start <= on and (not end or end >= on.replace(day=1)):
                months = months_between(start, on)
                if unemployed is None or months < unemployed[0]:
                    unemployed = (months, number, start)
        stage_now = (m.get("school") or {}).get("stage")
        for r in recs_of.get("student", []):
            if r.get("stage") in HIGHER and stage_now not in HIGHER:
                entrant = (number, r.get("stage"))
    if died:
        row["earner_died"], keys["MW-DEATH"], persons["MW-DEATH"] = True, died, died
    if worst:
        row["earner_disability"] = worst
        keys["MW-DISABILITY"] = f"{persons['MW-DISABILITY']}-{worst}"
    if unemployed:
        row["unemployment_months"] = unemployed[0]
        keys["MW-UNEMPLOYMENT"] = f"{unemployed[1]}-{unemployed[2]:%Y%m}"
        persons["MW-UNEMPLOYMENT"] = unemployed[1]
    if entrant:
        row["university_entrant"] = True
        keys["MW-UNIVERSITY"], persons["MW-UNIVERSITY"] = f"{entrant[0]}-{entrant[1]}", entrant[0]
    # disasters of the village
    near = [d for d in disasters if regions.contains(d.region, household.region_code) and d.occurred_on <= on]
    if near:
        latest = max(near, key=lambda d: d.occurred_on)
        row["disaster_days"] = (on - latest.occurred_on).days
        keys["MW-DISASTER"] = f"d{latest.pk}"
    # benefits
    live = {b.program: b for b in benefits if b.status in ("active", "gradual_exit")}
    row["dibao"], row["tekun"] = "dibao" in live, "tekun" in live
    stops = [b for b in benefits if b.program in ("dibao", "tekun") and b.status in ("stopped", "ended") and b.end_month]
    if stops:
        last = max(stops, key=lambda b: b.end_month)
        row["stopped_months"] = months_between(last.end_month, on)
        keys["MW-STOPPED"] = f"b{last.pk}-{last.end_month:%Y%m}"
    row["edge"] = bool(decision["programs"].get("dibao", {}).get("edge_family"))
    row["other"], row["anti_poverty"] = "other" in entries, "anti_poverty" in entries
    more, more_keys, more_persons = department_row(doc["members"], records, on)  # 乡村振兴, 工会, 司法, 应急, 住建, 卫健
    row.update(more)
    keys.update(more_keys)
    persons.update(more_persons)
    digest = hashlib.sha256(json.dumps({k: v for k, v in dept.items() if k != "date"}, sort_keys=True,
                                       default=str).encode()).hexdigest()[:16]
    return HouseholdFacts(household, row, dept, decision, keys, persons, live, digest,
                          rural_status(doc["members"], records, on))
