"""The monthly check's export of a county's recipients from the registry, set-based (issue 12).

Two queries read every live 低保 / 特困 benefit of the county and every member of their households
on the day (for a 特困 benefit of one person, that person only), in column form: on PostgreSQL as
`COPY (…) TO STDOUT (FORMAT csv)` parsed by pyarrow's CSV reader, elsewhere (SQLite) from the
cursor's rows. The JSON facts the engine needs (the household's `assets`, each member's
`monthly_income`) are selected as JSON text and decoded once per distinct value, then mapped back
to their rows (pyarrow dictionary encoding): no Python object per household or member.

The result is what the per-household export built from `household_document` gave (the same
tables, rows in the same order): `benefits` and `members` as engine.py describes them, and
`regions` (benefit_id → the household's region code, for writing findings).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection, transaction

from doudi.verification.figures import fen_of

PROGRAMS = ("dibao", "tekun")

BENEFIT_COLUMNS = [("benefit_id", pa.int64()), ("household_id", pa.int64()), ("program", pa.string()),
                   ("county", pa.string()), ("residence", pa.string()), ("start_month", pa.date32()),
                   ("person_id", pa.int64()), ("decision_app", pa.string()), ("decision_pk", pa.string()),
                   ("region", pa.string()), ("assets", pa.string())]
MEMBER_COLUMNS = [("benefit_id", pa.int64()), ("person_id", pa.int64()), ("id_number", pa.string()),
                  ("name", pa.string()), ("birth_date", pa.date32()), ("region", pa.string()),
                  ("income", pa.string())]


def _json(column: str, key: str) -> str:
    """The JSON text of `column`'s top-level `key` (NULL when absent)."""
    if connection.vendor == "postgresql":
        return f"({column} -> '{key}')"
    return f"json_extract({column}, '$.\"{key}\"')"


def _benefit_filter(county: str) -> tuple[str, list]:
    from doudi.benefits.models import LIVE_VALUES
    from doudi.policy import regions

    marks = ", ".join(["%s"] * len(LIVE_VALUES))
    return (f"b.status IN ({marks}) AND b.program IN (%s, %s) AND b.household_id IS NOT NULL AND b.region LIKE %s",
            [*LIVE_VALUES, *PROGRAMS, regions.prefix(county) + "%"])


def _tables() -> dict[str, str]:
    from doudi.benefits.models import Benefit
    from doudi.registry.models import Household, Membership, Person

    return {"benefit": Benefit._meta.db_table, "household": Household._meta.db_table,
            "membership": Membership._meta.db_table, "person": Person._meta.db_table}


def _read(sql: str, params: list, columns: list[tuple[str, pa.DataType]]) -> pa.Table:
    """The rows of `sql` as an Arrow table of `columns` (names and types, in the select's order)."""
    schema = pa.schema(columns)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            import pyarrow.csv as pcsv

            buf = io.BytesIO()
            with cur.cursor.copy(f"COPY ({connection.ops.compose_sql(sql, params)}) TO STDOUT (FORMAT csv)") as cp:
                for block in cp:
                    buf.write(block)
            if not buf.tell():
                return schema.empty_table()
            buf.seek(0)
            return pcsv.read_csv(
                buf, read_options=pcsv.ReadOptions(column_names=[n for n, _ in columns], block_size=1 << 24),
                convert_options=pcsv.ConvertOptions(column_types=dict(columns), strings_can_be_null=True,
                                                    quoted_strings_can_be_null=False))
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return schema.empty_table()
    cols = list(zip(*rows, strict=True))
    arrays = []
    for (_name, type_), values in zip(columns, cols, strict=True):
        if type_ == pa.date32():
            values = [v if v is None or isinstance(v, dt.date) else dt.date.fromisoformat(str(v)[:10])
                      for v in values]
        elif type_ == pa.string():
            values = [None if v is None else (v if isinstance(v, str) else json.dumps(v)) for v in values]
        arrays.append(pa.array(values, type_))
    return pa.Table.from_arrays(arrays, schema=schema)


def _decode(column: pa.ChunkedArray, fn: Callable[[Any], tuple], types: list[pa.DataType]) -> list[pa.Array]:
    """fn(decoded JSON or None) for every row of a JSON-text column, computed once per distinct value."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    distinct = encoded.dictionary.to_pylist()
    null = fn(None)
    values = [fn(None if text is None else json.loads(text)) for text in distinct]
    indices = encoded.indices
    out = []
    for k, type_ in enumerate(types):
        lookup = pa.array([v[k] for v in values] + [null[k]], type_)
        out.append(lookup.take(pc.fill_null(indices, len(values))))
    return out


def _assets(assets: Any) -> tuple[int, int, bool]:
    a = assets if isinstance(assets, dict) else {}
    return int(a.get("homes") or 0), int(a.get("vehicles") or 0), bool(a.get("business"))


def _income(income: Any) -> tuple[int, int, int, int]:
    inc = {k: fen_of((income or {}).get(k)) for k in ("wages", "transfer", "business", "property", "other",
                                                       "pension_basic")}
    return inc["wages"], inc["transfer"], inc["business"] + inc["property"] + inc["other"], inc["pension_basic"]


def _kin_decisions() -> pa.Array:
    """The primary keys (text) of the 低保 decisions whose case was registered as kin of staff (备案)."""
    from doudi.cases.models import Decision

    return pa.array([str(pk) for pk in Decision.objects.filter(case__kin=True).values_list("pk", flat=True)],
                    pa.string())


def recipients(county: str, on: dt.date) -> dict[str, pa.Table]:
    """`benefits`, `members` (the engine's input) and `regions` of the county's live benefits on `on`."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # the members' query joins and sorts a county's million rows: with the default 4 MB its hashes
            # and its sort spill to disk (hundreds of MB of temporary files); SET LOCAL ends with the block
            with connection.cursor() as cur:
                cur.execute("SET LOCAL work_mem = '128MB'")
        b, m = _query(county, on)
    return _assemble(b, m)


def _query(county: str, on: dt.date) -> tuple[pa.Table, pa.Table]:
    t = _tables()
    where, params = _benefit_filter(county)
    b = _read(f"""
        SELECT b.id, b.household_id, b.program, h.county, h.residence, b.start_month, b.person_id,
               b.decision_app, b.decision_pk, h.region_code, {_json('h.facts', 'assets')}
        FROM {t['benefit']} b JOIN {t['household']} h ON h.id = b.household_id
        WHERE {where} ORDER BY b.id""", params, BENEFIT_COLUMNS)
    m = _read(f"""
        SELECT b.id, m.person_id, p.id_number, p.name, p.birth_date, h.region_code,
               {_json('p.facts', 'monthly_income')}
        FROM {t['benefit']} b JOIN {t['household']} h ON h.id = b.household_id
        JOIN {t['membership']} m ON m.household_id = b.household_id
        JOIN {t['person']} p ON p.id = m.person_id
        WHERE {where} AND m.start <= %s AND (m."end" IS NULL OR m."end" > %s)
          AND (b.person_id IS NULL OR b.person_id = m.person_id)
        ORDER BY b.id, CASE m.relation WHEN 'self' THEN 0 WHEN 'spouse' THEN 1 WHEN 'parent' THEN 2
                 WHEN 'child' THEN 3 ELSE 9 END, p.birth_date, m.start, m.id""", [*params, on, on], MEMBER_COLUMNS)
    return b, m


def _assemble(b: pa.Table, m: pa.Table) -> dict[str, pa.Table]:
    # members per benefit (a 特困 benefit of a person no longer in the household: 0)
    counts = pc.value_counts(m["benefit_id"]) if m.num_rows else None
    size = pa.array([0] * b.num_rows, pa.int32()) if counts is None else pc.fill_null(
        counts.field("counts").cast(pa.int32()).take(pc.index_in(b["benefit_id"], value_set=counts.field("values"))),
        0)
    homes, vehicles, business = _decode(b["assets"], _assets, [pa.int64(), pa.int64(), pa.bool_()])
    kin = pc.and_(pc.equal(b["decision_app"], "cases"), pc.is_in(b["decision_pk"], value_set=_kin_decisions()))
    benefits = pa.table({
        "benefit_id": b["benefit_id"], "household_id": b["household_id"], "program": b["program"],
        "county": b["county"], "residence": b["residence"], "start_month": b["start_month"], "size": size,
        "homes": homes, "vehicles": vehicles, "business": business,
        "kin_registered": pc.fill_null(kin, False)})
    wages, transfer, other, basic = _decode(m["income"], _income, [pa.int64()] * 4)
    members = pa.table({
        "benefit_id": m["benefit_id"], "person_id": m["person_id"], "id_number": m["id_number"], "name": m["name"],
        "birth_date": m["birth_date"], "region": m["region"], "wages_fen": wages, "transfer_fen": transfer,
        "other_fen": other, "pension_basic_fen": basic})
    regions = pa.table({"benefit_id": b["benefit_id"], "household_id": b["household_id"], "region": b["region"]})
    return {"benefits": benefits, "members": members, "regions": regions}


def staff() -> pa.Table:
    """NAT-DB-KIN: the ID numbers of users with an active role (caseworkers, village cadres, …)."""
    from doudi.accounts.models import User

    ids = sorted(set(User.objects.filter(is_active=True, role_assignments__active=True).exclude(id_number="")
                     .values_list("id_number", flat=True)))
    return pa.table({"id_number": pa.array(ids, pa.string())})


def kin(members: pa.Table, staff_ids: pa.Table) -> pa.Table:
    """Kinship pairs (id_number, relative_id_number), both directions, of a recipient and a member of
    staff: the only pairs the check reads (NAT-DB-KIN), found from the staff's side (a few thousand
    ID numbers) rather than from a million recipients'."""
    from django.db.models import Q

    from doudi.registry.models import Kinship

    ids = staff_ids["id_number"].to_pylist()
    pairs: set[tuple[str, str]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for a, b in Kinship.objects.filter(Q(person__id_number__in=chunk) | Q(relative__id_number__in=chunk)) \
                .values_list("person__id_number", "relative__id_number"):
            pairs.update(((a, b), (b, a)))
    ordered = sorted(pairs)
    table = pa.table({"id_number": pa.array([a for a, _ in ordered], pa.string()),
                      "relative_id_number": pa.array([b for _, b in ordered], pa.string())})
    return table.filter(pc.is_in(table["id_number"], value_set=members["id_number"]))
