"""The monthly check's columnar engine (doudi.verification.engine, DuckDB over Parquet) gives for a
whole population exactly the findings it gives each household checked alone (the per-household
path), on a small hand-made population of three counties against snapshots of every kind.

Hand-worked expectations (national 低保 parameters of the policy core, Gansu 2024: the standards are
far above the 0 fen the households declare): household 1's member 11 died (death record), so it has
a death finding; household 2 holds two vehicles and declared none (vehicle finding, both plates);
household 3's member 31 is missing from 户籍 (not_in_huji) and has an active business (business);
household 4's member 41 draws an employee pension started after the benefit (pension) that counts as
income of 3,000.00 yuan a month for one person — above any county's 低保 standard (income); household 5
is paid 低保 in another county too (two_counties); household 6 has nothing. A death record without an
ID number with member 61's birth date, county and name is a possible match.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pyarrow.parquet as pq

from doudi.policy.identity import check_character
from doudi.policy.params import default_policy
from doudi.verification import engine

ON = dt.date(2026, 11, 2)


def _id(county: str, born: dt.date, seq: int) -> str:
    first17 = f"{county}{born:%Y%m%d}{seq:03d}"
    return first17 + check_character(first17)


BORN = dt.date(1970, 5, 1)
# benefit_id, county, residence, person ids
HOUSEHOLDS = [(1, "620422", "rural", [11, 12]), (2, "620422", "urban", [21]), (3, "620421", "rural", [31, 32]),
              (4, "620421", "urban", [41]), (5, "620102", "urban", [51]), (6, "620102", "rural", [61, 62])]
NAMES = {11: "王建国", 12: "李秀英", 21: "张伟", 31: "刘芳", 32: "陈强", 41: "杨磊", 51: "赵军", 61: "吴桂兰", 62: "周涛"}


def _people() -> dict[int, str]:
    return {p: _id(c, BORN, p * 2 + 1) for _b, c, _r, ps in HOUSEHOLDS for p in ps}


def _tables() -> tuple[pa.Table, pa.Table]:
    ids = _people()
    b = {"benefit_id": [], "household_id": [], "program": [], "county": [], "residence": [], "start_month": [],
         "size": [], "homes": [], "vehicles": [], "business": [], "kin_registered": []}
    m = {k: [] for k in ("benefit_id", "person_id", "id_number", "name", "birth_date", "region", "wages_fen",
                         "transfer_fen", "other_fen", "pension_basic_fen")}
    for bid, county, residence, persons in HOUSEHOLDS:
        for k, v in (("benefit_id", bid), ("household_id", bid), ("program", "dibao"), ("county", county),
                     ("residence", residence), ("start_month", dt.date(2025, 1, 1)), ("size", len(persons)),
                     ("homes", 1), ("vehicles", 0), ("business", False), ("kin_registered", False)):
            b[k].append(v)
        for p in persons:
            for k, v in (("benefit_id", bid), ("person_id", p), ("id_number", ids[p]), ("name", NAMES[p]),
                         ("birth_date", BORN), ("region", county + "100201"), ("wages_fen", 0), ("transfer_fen", 0),
                         ("other_fen", 0), ("pension_basic_fen", 0)):
                m[k].append(v)
    benefits = pa.table({**b, "start_month": pa.array(b["start_month"], pa.date32()),
                         "size": pa.array(b["size"], pa.int32())})
    members = pa.table({**m, "birth_date": pa.array(m["birth_date"], pa.date32())})
    return benefits, members


def _snapshots(folder) -> dict[str, list[str]]:
    ids = _people()
    everyone = [p for p in ids if p != 31]
    d = pa.date32()

    def base(persons, no_id=()):
        return {"row": pa.array(list(range(2, len(persons) + len(no_id) + 2)), pa.int32()),
                "id_number": pa.array([ids[p] for p in persons] + [None] * len(no_id), pa.string()),
                "name": [NAMES[p] for p in persons] + [n for n, _r in no_id],
                "birth_date": pa.array([BORN] * (len(persons) + len(no_id)), d),
                "region": [ids[p][:6] + "100201" for p in persons] + [r for _n, r in no_id]}

    data = {
        "huji": {**base(everyone), "household_number": [f"H{p}" for p in everyone],
                 "status": ["normal"] * len(everyone), "changed_on": pa.nulls(len(everyone), d)},
        "death": {**base([11], no_id=[("吴桂兰", "620102100201")]),
                  "death_date": pa.array([dt.date(2026, 8, 15)] * 2, d)},
        "vehicle": {**base([21, 21]), "plate": ["甘D12345", "甘D54321"], "vehicle_type": pa.nulls(2, pa.string()),
                    "registered_on": pa.nulls(2, d)},
        "business": {**base([31]), "credit_code": ["92620421MA0001"], "business_name": ["刘芳小卖部"],
                     "status": ["active"], "registered_on": pa.nulls(1, d)},
        "pension": {**base([41]), "pension_kind": ["employee"], "start_month": pa.array([dt.date(2026, 9, 1)], d),
                    "monthly_amount": pa.array([300_000], pa.int64())},
        "social_insurance": {**base([12]), "month": pa.array([dt.date(2026, 10, 1)], d),
                             "base": pa.array([10_000], pa.int64()), "employer": ["某单位"]},
        "income_tax": {**base([62]), "month": pa.array([dt.date(2026, 10, 1)], d),
                       "income": pa.array([5_000], pa.int64()), "tax": pa.nulls(1, pa.int64())},
        "benefit_elsewhere": {**base([51]), "program": ["dibao"], "county": ["620502"],
                              "monthly_amount": pa.array([60_000], pa.int64()), "since": pa.nulls(1, d)},
    }
    out = {}
    for kind, cols in data.items():
        path = folder / kind / "2026-10-31" / "data.parquet"
        path.parent.mkdir(parents=True)
        pq.write_table(pa.table(cols), path)
        out[kind] = [str(path)]
    return out


def _rows(table: pa.Table) -> list[tuple]:
    return sorted((r["kind"], r["match"], r["benefit_id"], r["person_id"], r["key"], json.loads(r["figures"]),
                   r["source_row"]) for r in table.to_pylist())


def _limits(benefits: pa.Table) -> pa.Table:
    pairs = set(zip(benefits["county"].to_pylist(), benefits["residence"].to_pylist(), strict=True))
    return engine.limits(pairs, ON, policy=default_policy())


def test_whole_population_equals_each_household_alone(tmp_path):
    benefits, members = _tables()
    snaps = _snapshots(tmp_path)
    limits = _limits(benefits)
    whole = _rows(engine.check(benefits, members, limits, snaps, ON, threshold=0.85))
    alone = []
    for bid, *_ in HOUSEHOLDS:
        b = benefits.filter(pa.compute.equal(benefits["benefit_id"], bid))
        m = members.filter(pa.compute.equal(members["benefit_id"], bid))
        alone += _rows(engine.check(b, m, limits, snaps, ON, threshold=0.85))
    assert whole == sorted(alone)
    found = {(k, match, b, p) for k, match, b, p, *_ in whole}
    assert found == {
        ("death", "exact", 1, 11), ("vehicle", "exact", 2, None), ("not_in_huji", "exact", 3, 31),
        ("business", "exact", 3, 31), ("pension", "exact", 4, 41), ("income", "exact", 4, None),
        ("two_counties", "exact", 5, 51), ("death", "possible", 6, 61)}
    vehicle = next(f for k, _m, _b, _p, _k, f, _r in whole if k == "vehicle")
    assert vehicle["count"] == 2 and vehicle["plates"] == "甘D12345、甘D54321"
    income = next(f for k, _m, _b, _p, _k, f, _r in whole if k == "income")
    assert income["dept_total"] == 300_000 and income["declared_total"] == 0
