"""Synthetic data for the verification benchmarks: recipients and department snapshots as Parquet.

`recipients(n)` writes benefits.parquet and members.parquet (n members in households of 1–4,
ten Gansu counties); `snapshots(n, records)` writes one Parquet file per department kind with
`records` rows in all (about 1 % of them about recipients, the rest about other residents,
1 % of the death/vehicle/real-estate records without an ID number). Written once under
benchmarks/out/verify/ and reused. Vectorised with numpy (valid GB 11643 ID numbers).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
OUT = HERE / "out" / "verify"
COUNTIES = ["620402", "620403", "620421", "620422", "620423", "620102", "620103", "620104", "620105", "620111"]
WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK = np.array(list("10X98765432"))
EPOCH = dt.date(1930, 1, 1)
DAYS = 30_000  # birth dates spread over 1930–2012
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂文华建国志红玉梅春花海燕德福生荣")

# kind -> share of the department records
SHARES = {"huji": 0.30, "social_insurance": 0.25, "income_tax": 0.10, "pension": 0.10, "real_estate": 0.10,
          "vehicle": 0.08, "business": 0.03, "death": 0.02, "unemployment": 0.01, "benefit_elsewhere": 0.01}


def person(i: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(county index, birth date, ID number) of person number i — unique for i < 15,000,000 (i mod 30,000 gives
    the county and birth date, i // 30,000 the sequence number)."""
    county = i % len(COUNTIES)
    day = (i * 7919) % DAYS
    seq = i // DAYS
    births = np.datetime64(EPOCH) + day.astype("timedelta64[D]")
    ymd = np.char.replace(np.datetime_as_string(births, unit="D").astype(str), "-", "")
    first17 = np.char.add(np.char.add(np.array(COUNTIES)[county], ymd), np.char.zfill((seq * 2 + 1).astype(str), 3))
    digits = np.frombuffer(np.char.encode(first17, "ascii").tobytes(), dtype=np.uint8).reshape(-1, 17) - 48
    checks = CHECK[(digits @ WEIGHTS) % 11]
    return county, births.astype("datetime64[D]"), np.char.add(first17, checks)


def names(i: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(7)
    given = np.array([a + b for a in GIVEN for b in GIVEN[:10]])
    pick_s = (i * 31) % len(SURNAMES)
    pick_g = rng.integers(0, len(given), len(i))
    return np.char.add(np.array(SURNAMES)[pick_s], given[pick_g])


def recipients(n: int) -> tuple[Path, Path]:
    """benefits.parquet, members.parquet of n members (written once)."""
    OUT.mkdir(parents=True, exist_ok=True)
    b_path, m_path = OUT / f"benefits_{n}.parquet", OUT / f"members_{n}.parquet"
    if b_path.exists() and m_path.exists():
        return b_path, m_path
    rng = np.random.default_rng(1)
    i = np.arange(n)
    sizes = rng.choice([1, 2, 3, 4], size=n // 2, p=[0.25, 0.3, 0.3, 0.15])
    ends = np.cumsum(sizes)
    sizes = sizes[ends <= n]
    benefit_of = np.repeat(np.arange(len(sizes)), sizes)
    i = i[: len(benefit_of)]
    county, births, ids = person(i)
    head = np.r_[0, np.cumsum(sizes)[:-1]]
    h_county = np.array(COUNTIES)[county[head]]
    benefits = pa.table({
        "benefit_id": pa.array(np.arange(len(sizes)), pa.int64()), "household_id": pa.array(np.arange(len(sizes))),
        "program": pa.array(np.where(rng.random(len(sizes)) < 0.9, "dibao", "tekun")),
        "county": pa.array(h_county), "residence": pa.array(np.where(rng.random(len(sizes)) < 0.4, "urban", "rural")),
        "start_month": pa.array(np.full(len(sizes), np.datetime64("2025-01-01")), pa.date32()),
        "size": pa.array(sizes.astype(np.int32)), "homes": pa.array(np.ones(len(sizes), np.int64)),
        "vehicles": pa.array(np.zeros(len(sizes), np.int64)), "business": pa.array(np.zeros(len(sizes), bool)),
        "kin_registered": pa.array(np.zeros(len(sizes), bool))})
    wages = np.where(rng.random(len(i)) < 0.3, rng.integers(0, 1500, len(i)) * 100, 0)
    region = np.char.add(np.array(COUNTIES)[county], "100201")
    members = pa.table({
        "benefit_id": pa.array(benefit_of, pa.int64()), "person_id": pa.array(i, pa.int64()), "id_number": pa.array(ids),
        "name": pa.array(names(i)), "birth_date": pa.array(births, pa.date32()), "region": pa.array(region),
        "wages_fen": pa.array(wages, pa.int64()), "transfer_fen": pa.array(np.zeros(len(i), np.int64)),
        "other_fen": pa.array(np.zeros(len(i), np.int64)), "pension_basic_fen": pa.array(np.zeros(len(i), np.int64))})
    pq.write_table(benefits, b_path)
    pq.write_table(members, m_path)
    return b_path, m_path


def _kind_columns(kind: str, k: int, rng: np.random.Generator) -> dict:
    months = np.array(["2026-09-01", "2026-10-01"], dtype="datetime64[D]")
    if kind == "huji":
        return {"household_number": pa.array(np.char.add("H", np.arange(k).astype(str))),
                "status": pa.array(np.where(rng.random(k) < 0.995, "normal", "moved")),
                "changed_on": pa.nulls(k, pa.date32())}
    if kind == "social_insurance":
        return {"month": pa.array(months[rng.integers(0, 2, k)], pa.date32()),
                "base": pa.array(rng.integers(2000, 8000, k) * 100, pa.int64()), "employer": pa.array(["某单位"] * k)}
    if kind == "income_tax":
        return {"month": pa.array(months[rng.integers(0, 2, k)], pa.date32()),
                "income": pa.array(rng.integers(3000, 20000, k) * 100, pa.int64()), "tax": pa.nulls(k, pa.int64())}
    if kind == "pension":
        return {"pension_kind": pa.array(np.where(rng.random(k) < 0.5, "employee", "resident")),
                "start_month": pa.array(np.array(["2015-01-01", "2026-09-01"], dtype="datetime64[D]")[
                    rng.integers(0, 2, k)], pa.date32()),
                "monthly_amount": pa.array(rng.integers(150, 4000, k) * 100, pa.int64())}
    if kind == "real_estate":
        return {"certificate": pa.array(np.char.add("不动产权第", np.arange(k).astype(str))),
                "use": pa.array(np.where(rng.random(k) < 0.8, "home", "commercial")), "address": pa.nulls(k, pa.string()),
                "area_m2": pa.nulls(k, pa.decimal128(14, 2))}
    if kind == "vehicle":
        return {"plate": pa.array(np.char.add("甘D", np.arange(k).astype(str))), "vehicle_type": pa.nulls(k, pa.string()),
                "registered_on": pa.nulls(k, pa.date32())}
    if kind == "business":
        return {"credit_code": pa.array(np.char.add("9262", np.arange(k).astype(str))),
                "business_name": pa.array(np.char.add("商户", np.arange(k).astype(str))),
                "status": pa.array(np.where(rng.random(k) < 0.7, "active", "cancelled")),
                "registered_on": pa.nulls(k, pa.date32())}
    if kind == "death":
        return {"death_date": pa.array(np.full(k, np.datetime64("2026-08-15")), pa.date32())}
    if kind == "unemployment":
        return {"start_month": pa.array(np.full(k, np.datetime64("2026-06-01")), pa.date32()),
                "end_month": pa.nulls(k, pa.date32()), "monthly_amount": pa.array(rng.integers(1000, 2000, k) * 100,
                                                                                   pa.int64())}
    if kind == "benefit_elsewhere":
        return {"program": pa.array(["dibao"] * k), "county": pa.array(["620502"] * k),
                "monthly_amount": pa.array(np.full(k, 60000), pa.int64()), "since": pa.nulls(k, pa.date32())}
    raise KeyError(kind)


def snapshots(n: int, records: int) -> dict[str, list[str]]:
    """One Parquet file per kind, `records` rows in all; about 1 % of each kind's rows are recipients'."""
    OUT.mkdir(parents=True, exist_ok=True)
    out = {}
    rng = np.random.default_rng(3)
    for kind, share in SHARES.items():
        path = OUT / f"{kind}_{n}_{records}.parquet"
        out[kind] = [str(path)]
        if path.exists():
            continue
        k = int(records * share)
        if kind == "huji":  # the whole register: every recipient and other residents
            who = np.r_[np.arange(n), n + rng.integers(0, 13 * n, k - n)] if k > n else np.arange(k)
        else:
            ours = rng.random(k) < 0.01
            who = np.where(ours, rng.integers(0, n, k), n + rng.integers(0, 13 * n, k))
        county, births, ids = person(who)
        ids = ids.astype(object)
        if kind in ("death", "vehicle", "real_estate"):
            ids[rng.random(k) < 0.01] = None
        table = pa.table({"row": pa.array(np.arange(2, k + 2, dtype=np.int32)), "id_number": pa.array(ids, pa.string()),
                          "name": pa.array(names(who)), "birth_date": pa.array(births, pa.date32()),
                          "region": pa.array(np.char.add(np.array(COUNTIES)[county], "100201")),
                          **_kind_columns(kind, k, rng)})
        pq.write_table(table, path, compression="zstd")
    return out
