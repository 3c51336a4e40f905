"""The monthly check of every recipient against the latest department snapshots (DuckDB).

Plain Python (no Django): the Django side (monthly.py) exports the live benefits and their
members as Arrow tables, resolves the region's parameters through the policy core (the
`limits` table) and hands over the Parquet paths of the latest snapshots per kind; the same
function runs on a Dask worker for one county's partition (dask_engine.py).

Inputs (Arrow tables or anything DuckDB scans):

- `benefits`: benefit_id, household_id, program, county, residence, start_month (date), size,
  homes, vehicles, business (declared), kin_registered (the case was registered as kin, 备案);
- `members`: benefit_id, person_id, id_number (normalised), name, birth_date, region,
  wages_fen, transfer_fen, other_fen (declared counted monthly income), pension_basic_fen;
- `limits`: county, residence, standard_fen (低保 standard), max_vehicles, max_homes,
  exempt_homes (null = no limit), business_excludes — the policy core's parameters;
- `staff` (id_number) and `kin` (id_number, relative_id_number, both directions): NAT-DB-KIN;
- `rolls`: id_number, county of every live 低保 recipient known to doudi (two counties);
- `snapshots`: kind → list of Parquet paths (a kind without a snapshot is not checked).

Output: one row per finding — kind, match (exact | possible), score, benefit_id, person_id,
key (what identifies the record, for not raising it twice), figures (JSON text), source_file,
source_row. The figures are derived as in figures.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

# The kinds whose records may lack an ID number (kinds.yaml identify: either) and lead to findings.
LOOSE_KINDS = ("death", "vehicle", "real_estate")

FINDING_SCHEMA = pa.schema([("kind", pa.string()), ("match", pa.string()), ("score", pa.float64()),
                            ("benefit_id", pa.int64()), ("person_id", pa.int64()), ("key", pa.string()),
                            ("figures", pa.string()), ("source_file", pa.string()), ("source_row", pa.int64())])

_COLS = "kind, match, score, benefit_id, person_id, key, figures, source_file, source_row"


def limits(counties_residences: set[tuple[str, str]], on: dt.date, sets: dict[str, str] | None = None,
           policy: Any = None) -> pa.Table:
    """The policy core's parameters per county and residence: the 低保 standard and the property limits
    (`policy`: the deployment's current policy when not given; a plain policy needs no Django)."""
    if policy is None:
        from doudi.params.store import current_policy

        policy = current_policy()
    overrides = policy.parse_overrides(sets or {})
    cols: dict[str, list] = {k: [] for k in ("county", "residence", "standard_fen", "max_vehicles", "max_homes",
                                             "exempt_homes", "business_excludes")}

    def value(name: str, county: str, residence: str) -> Any:
        if name in overrides:
            return overrides[name]
        return policy.resolve(name, county, on, residence).value

    for county, residence in sorted(counties_residences):
        standard = value(f"dibao.standard.{residence}", county, residence)
        cols["county"].append(county)
        cols["residence"].append(residence)
        cols["standard_fen"].append(None if standard is None else int(Decimal(standard) * 100))
        for name, col in (("dibao.property.max_vehicles", "max_vehicles"), ("dibao.property.max_homes", "max_homes"),
                          ("dibao.property.exempt_homes", "exempt_homes")):
            v = value(name, county, residence)
            cols[col].append(None if v is None else int(v))
        cols["business_excludes"].append(bool(value("dibao.property.business_excludes", county, residence)))
    return pa.table({**cols, "standard_fen": pa.array(cols["standard_fen"], pa.int64()),
                     "max_vehicles": pa.array(cols["max_vehicles"], pa.int64()),
                     "max_homes": pa.array(cols["max_homes"], pa.int64()),
                     "exempt_homes": pa.array(cols["exempt_homes"], pa.int64())})


def query(con: Any, sql: str, params: list | None = None) -> pa.Table:
    """The result of a query as an Arrow table (a relation: no extra copy; DuckDB 2 names the method
    to_arrow_table, DuckDB 1 arrow)."""
    rel = con.sql(sql, params=params) if params else con.sql(sql)
    fetch = getattr(rel, "to_arrow_table", None) or rel.arrow
    return fetch()


def connect(memory_limit: str = "1500MB", threads: int | None = None) -> Any:
    import duckdb

    con = duckdb.connect()
    con.execute(f"SET memory_limit='{memory_limit}'")
    con.execute("SET preserve_insertion_order=false")
    if threads:
        con.execute(f"SET threads={int(threads)}")
    return con


def _view(con: Any, name: str, paths: Sequence[str]) -> bool:
    if not paths:
        return False
    files = ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM read_parquet([{files}], filename=true, "
                "union_by_name=true)")
    return True


def check(benefits: Any, members: Any, limits: Any, snapshots: Mapping[str, Sequence[str]], on: dt.date, *,
          staff: Any = None, kin: Any = None, rolls: Any = None, threshold: float = 0.85, con: Any = None,
          notes: list[str] | None = None) -> pa.Table:
    """Every finding of the recipients in `members` (see the module's docstring)."""
    own = con is None
    con = con or connect()
    notes = notes if notes is not None else []
    try:
        con.register("benefits", benefits)
        con.register("members", members)
        con.register("limits", limits)
        con.register("staff", staff if staff is not None else pa.table({"id_number": pa.array([], pa.string())}))
        con.register("kin", kin if kin is not None else pa.table(
            {"id_number": pa.array([], pa.string()), "relative_id_number": pa.array([], pa.string())}))
        con.register("rolls", rolls if rolls is not None else pa.table(
            {"id_number": pa.array([], pa.string()), "county": pa.array([], pa.string())}))
        have = {k: _view(con, f"d_{k}", list(paths)) for k, paths in snapshots.items()}
        month = dt.date(on.year, on.month, 1)
        parts = [sql for _kind, sql in _queries(have, on, month)]
        for kind in ("huji", "death", "vehicle", "real_estate", "business", "pension", "social_insurance",
                     "income_tax", "benefit_elsewhere"):
            if not have.get(kind):
                notes.append(f"no snapshot of {kind}")
        exact = query(con, " UNION ALL ".join(parts) if parts else f"SELECT {_empty()}")
        exact = exact.cast(FINDING_SCHEMA) if exact.num_rows else FINDING_SCHEMA.empty_table()
        loose = _possible(con, have, threshold)
        return pa.concat_tables([exact, loose])
    finally:
        if own:
            con.close()


def _empty() -> str:
    return ("NULL::VARCHAR kind, NULL::VARCHAR match, NULL::DOUBLE score, NULL::BIGINT benefit_id, NULL::BIGINT "
            "person_id, NULL::VARCHAR key, NULL::VARCHAR figures, NULL::VARCHAR source_file, NULL::BIGINT source_row "
            "WHERE false")


def _queries(have: Mapping[str, bool], on: dt.date, month: dt.date) -> list[tuple[str, str]]:
    d, m = f"DATE '{on.isoformat()}'", f"DATE '{month.isoformat()}'"
    out = []
    member = "m.benefit_id, m.person_id"
    if have.get("death"):
        out.append(("death", f"""
            SELECT 'death' kind, 'exact' match, NULL::DOUBLE score, {member}, 'death:' || m.id_number key,
                   json_object('death_date', min(x.death_date))::VARCHAR figures,
                   min(x.filename) source_file, min(x."row") source_row
            FROM members m JOIN d_death x ON x.id_number = m.id_number
            WHERE x.death_date <= {d} GROUP BY ALL"""))
    if have.get("huji"):
        out.append(("not_in_huji", f"""
            SELECT 'not_in_huji' kind, 'exact' match, NULL::DOUBLE score, {member}, 'huji:' || m.id_number key,
                   json_object('status', coalesce(h.status, 'absent'), 'changed_on', h.changed_on)::VARCHAR figures,
                   h.filename source_file, h."row" source_row
            FROM members m LEFT JOIN (
                SELECT id_number, arg_max(status, status = 'normal') status, max(changed_on) changed_on,
                       min(filename) filename, min("row") "row"
                FROM d_huji WHERE id_number IS NOT NULL GROUP BY id_number) h ON h.id_number = m.id_number
            WHERE h.id_number IS NULL OR h.status <> 'normal'"""))
    if have.get("vehicle"):
        out.append(("vehicle", """
            SELECT 'vehicle' kind, 'exact' match, NULL::DOUBLE score, v.benefit_id, NULL::BIGINT person_id,
                   'vehicle:' || v.plates key,
                   json_object('count', v.n, 'plates', v.plates, 'declared', b.vehicles,
                               'limit', l.max_vehicles)::VARCHAR figures, v.source_file, v.source_row
            FROM (SELECT m.benefit_id, count(DISTINCT x.plate) n, string_agg(DISTINCT x.plate, '、' ORDER BY x.plate) plates,
                         min(x.filename) source_file, min(x."row") source_row
                  FROM members m JOIN d_vehicle x ON x.id_number = m.id_number GROUP BY m.benefit_id) v
            JOIN benefits b ON b.benefit_id = v.benefit_id
            JOIN limits l ON l.county = b.county AND l.residence = b.residence
            WHERE v.n > coalesce(b.vehicles, 0) OR (l.max_vehicles IS NOT NULL AND v.n > l.max_vehicles)"""))
    if have.get("real_estate"):
        out.append(("real_estate", """
            SELECT 'real_estate' kind, 'exact' match, NULL::DOUBLE score, v.benefit_id, NULL::BIGINT person_id,
                   'real_estate:' || v.certs key,
                   json_object('count', v.n, 'certificates', v.certs, 'declared', b.homes, 'limit', l.max_homes,
                               'exempt', l.exempt_homes)::VARCHAR figures, v.source_file, v.source_row
            FROM (SELECT m.benefit_id, count(DISTINCT x.certificate) n,
                         string_agg(DISTINCT x.certificate, '、' ORDER BY x.certificate) certs,
                         min(x.filename) source_file, min(x."row") source_row
                  FROM members m JOIN d_real_estate x ON x.id_number = m.id_number
                  WHERE x.use = 'home' GROUP BY m.benefit_id) v
            JOIN benefits b ON b.benefit_id = v.benefit_id
            JOIN limits l ON l.county = b.county AND l.residence = b.residence
            WHERE v.n > coalesce(b.homes, 0)
               OR (l.max_homes IS NOT NULL AND v.n - coalesce(l.exempt_homes, 0) > l.max_homes)"""))
    if have.get("business"):
        out.append(("business", f"""
            SELECT 'business' kind, 'exact' match, NULL::DOUBLE score, {member},
                   'business:' || x.credit_code key,
                   json_object('business_name', x.business_name, 'credit_code', x.credit_code,
                               'declared', b.business, 'excludes', l.business_excludes)::VARCHAR figures,
                   x.filename source_file, x."row" source_row
            FROM members m JOIN d_business x ON x.id_number = m.id_number
            JOIN benefits b ON b.benefit_id = m.benefit_id
            JOIN limits l ON l.county = b.county AND l.residence = b.residence
            WHERE x.status = 'active' AND (NOT coalesce(b.business, false) OR l.business_excludes)"""))
    if have.get("pension"):
        out.append(("pension", f"""
            SELECT 'pension' kind, 'exact' match, NULL::DOUBLE score, {member},
                   'pension:' || m.id_number || ':' || x.start_month key,
                   json_object('pension_kind', x.pension_kind, 'start_month', x.start_month,
                               'monthly_fen', x.monthly_amount)::VARCHAR figures, x.filename source_file,
                   x."row" source_row
            FROM members m JOIN d_pension x ON x.id_number = m.id_number
            JOIN benefits b ON b.benefit_id = m.benefit_id
            WHERE x.start_month <= {m} AND x.start_month >= b.start_month
              AND m.transfer_fen = 0 AND m.pension_basic_fen = 0"""))
    income = _income_sql(have, m)
    if income:
        out.append(("income", income))
    elsewhere = []
    if have.get("benefit_elsewhere"):
        elsewhere.append("SELECT id_number, county, filename, \"row\" FROM d_benefit_elsewhere WHERE program = 'dibao'")
    elsewhere.append("SELECT id_number, county, NULL::VARCHAR filename, NULL::BIGINT \"row\" FROM rolls")
    out.append(("two_counties", f"""
        SELECT 'two_counties' kind, 'exact' match, NULL::DOUBLE score, {member},
               'two_counties:' || left(x.county, 6) key,
               json_object('county', left(x.county, 6))::VARCHAR figures, min(x.filename) source_file,
               min(x."row") source_row
        FROM members m JOIN benefits b ON b.benefit_id = m.benefit_id AND b.program = 'dibao'
        JOIN ({' UNION ALL '.join(elsewhere)}) x ON x.id_number = m.id_number AND left(x.county, 6) <> b.county
        GROUP BY ALL"""))
    out.append(("kin", f"""
        SELECT 'kin' kind, 'exact' match, NULL::DOUBLE score, {member}, 'kin:' || m.id_number key,
               json_object('self', bool_or(s.id_number IS NOT NULL))::VARCHAR figures,
               NULL::VARCHAR source_file, NULL::BIGINT source_row
        FROM members m JOIN benefits b ON b.benefit_id = m.benefit_id AND NOT coalesce(b.kin_registered, false)
        LEFT JOIN staff s ON s.id_number = m.id_number
        LEFT JOIN (SELECT k.id_number FROM kin k JOIN staff t ON t.id_number = k.relative_id_number) r
               ON r.id_number = m.id_number
        WHERE s.id_number IS NOT NULL OR r.id_number IS NOT NULL
        GROUP BY ALL"""))
    return out


def _income_sql(have: Mapping[str, bool], m: str) -> str | None:
    """Counted income above the standard (DB-1): each member's declared figure raised to the department's."""
    sources = []
    if have.get("social_insurance"):
        sources.append(f"""SELECT id_number, max(base) wages, 0::BIGINT transfer FROM d_social_insurance
                           WHERE month <= {m} GROUP BY id_number, month
                           QUALIFY month = max(month) OVER (PARTITION BY id_number)""")
    if have.get("income_tax"):
        sources.append(f"""SELECT id_number, sum(income) wages, 0::BIGINT transfer FROM d_income_tax
                           WHERE month <= {m} GROUP BY id_number, month
                           QUALIFY month = max(month) OVER (PARTITION BY id_number)""")
    if have.get("pension"):
        sources.append(f"""SELECT id_number, NULL::BIGINT wages, sum(monthly_amount) transfer FROM d_pension
                           WHERE start_month <= {m} AND pension_kind IN ('employee', 'public') GROUP BY id_number""")
    if have.get("unemployment"):
        sources.append(f"""SELECT id_number, NULL::BIGINT wages, sum(monthly_amount) transfer FROM d_unemployment
                           WHERE start_month <= {m} AND (end_month IS NULL OR end_month >= {m}) GROUP BY id_number""")
    if not sources:
        return None
    return f"""
        SELECT 'income' kind, 'exact' match, NULL::DOUBLE score, i.benefit_id, NULL::BIGINT person_id,
               'income:' || i.dept_total key,
               json_object('declared_total', i.declared_total, 'dept_total', i.dept_total, 'size', b.size,
                           'standard_fen', l.standard_fen)::VARCHAR figures,
               NULL::VARCHAR source_file, NULL::BIGINT source_row
        FROM (SELECT m.benefit_id,
                     sum(greatest(m.wages_fen, coalesce(di.wages, 0)) + greatest(m.transfer_fen, coalesce(di.transfer, 0))
                         + m.other_fen) dept_total,
                     sum(m.wages_fen + m.transfer_fen + m.other_fen) declared_total
              FROM members m JOIN (SELECT id_number, max(wages) wages, sum(transfer) transfer
                                   FROM ({' UNION ALL '.join(sources)}) GROUP BY id_number) di
                ON di.id_number = m.id_number
              GROUP BY m.benefit_id) i
        JOIN benefits b ON b.benefit_id = i.benefit_id AND b.program = 'dibao'
        JOIN limits l ON l.county = b.county AND l.residence = b.residence
        WHERE i.dept_total > i.declared_total AND l.standard_fen IS NOT NULL
          AND i.dept_total >= l.standard_fen * b.size"""


def _possible(con: Any, have: Mapping[str, bool], threshold: float) -> pa.Table:
    """Records without an ID number, blocked on birth date and county, scored by name and region
    (matching.scores); those at or above the threshold are "possible" findings of their kind."""
    from doudi.verification.matching import scores

    out = []
    for kind in LOOSE_KINDS:
        if not have.get(kind):
            continue
        pairs = query(con, f"""
            SELECT m.benefit_id, m.person_id, m.name m_name, m.region m_region, x.name x_name, x.region x_region,
                   x.filename source_file, x."row" source_row
            FROM d_{kind} x JOIN members m ON m.birth_date = x.birth_date AND left(m.region, 6) = left(x.region, 6)
            WHERE x.id_number IS NULL""")
        if not pairs.num_rows:
            continue
        s = scores(pairs["m_name"].to_pylist(), pairs["x_name"].to_pylist(), pairs["m_region"].to_pylist(),
                   pairs["x_region"].to_pylist())
        keep = s >= threshold
        if not keep.any():
            continue
        kept = pairs.filter(pa.array(keep))
        figures = [json.dumps({"record_name": n, "record_region": r}, ensure_ascii=False)
                   for n, r in zip(kept["x_name"].to_pylist(), kept["x_region"].to_pylist(), strict=True)]
        keys = [f"possible:{kind}:{f.rsplit('/', 3)[-3] if f else ''}:{f.rsplit('/', 2)[-2] if f else ''}:{row}"
                for f, row in zip(kept["source_file"].to_pylist(), kept["source_row"].to_pylist(), strict=True)]
        out.append(pa.table({
            "kind": pa.array([kind] * kept.num_rows, pa.string()),
            "match": pa.array(["possible"] * kept.num_rows, pa.string()),
            "score": pa.array(s[keep], pa.float64()), "benefit_id": kept["benefit_id"].cast(pa.int64()),
            "person_id": kept["person_id"].cast(pa.int64()), "key": pa.array(keys, pa.string()),
            "figures": pa.array(figures, pa.string()), "source_file": kept["source_file"],
            "source_row": kept["source_row"].cast(pa.int64())}, schema=FINDING_SCHEMA))
    return pa.concat_tables(out) if out else FINDING_SCHEMA.empty_table()
