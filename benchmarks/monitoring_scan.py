"""The monitoring scan (issue 13, PR-7) at scale: every warning rule of doudi.policy.monitoring and
the 应保尽保 run of the policy core over a synthetic register, local and on a Dask LocalCluster.

Target (issue 13): 10,000,000 persons in ≤ 60 s, the Dask run giving identical warnings. This
script is bounded (default 1,000,000 persons; the machine is shared): it prints the figures at
the size asked for, with the load average; the 10 M figure is not claimed from it.

Run: .venv/bin/python benchmarks/monitoring_scan.py [--persons N] [--parts K] [--no-dask]

Data: the population of doudi.batch.synth (benchmarks/common.py:population, Parquet, written once)
is the register's registry facts; the department signals (deaths of earners, disability
certificates, unemployment starts, disasters in the village, stopped benefits, new university
students) and who is covered (低保 / 特困 benefits) are drawn from a hash of the household's position in the file, so
that every rule fires on some households. One scan = read the Parquet file → the household facts
(counted income, yearly income, medical cost, rigid spending, members) → the policy core on every
household for 低保 and 特困 (doudi.batch.engine.assess_table) → MW-LOUBAO (eligible, not covered),
MW-CUOBAO (covered, not eligible) → every data rule's mask and the register's categories.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time

import numpy as np
from common import load, machine, population

ON = dt.date(2024, 6, 1)
PERSONS_PER_HOUSEHOLD = 2.59


def uniform(index: np.ndarray, k: int) -> np.ndarray:
    """A draw in [0, 1) that depends on the household's position in the file only (not on the
    partition that reads it): a splitmix64 hash of (index, k)."""
    x = (index.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64((k * 0x632BE59BD9B4E019) & 0xFFFFFFFFFFFFFFFF)) \
        & np.uint64(0xFFFFFFFFFFFFFFFF)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return (x >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def facts_of(table, offset: int = 0):
    """The household facts of a population table (one row per household, in order of first
    appearance), and the department signals drawn for them."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from doudi.policy import monitoring as m

    hid = table.column("household_id").to_numpy()
    starts = np.flatnonzero(np.r_[True, hid[1:] != hid[:-1]])
    n = len(starts)
    members = np.diff(np.r_[starts, len(hid)])

    def money(col):  # yuan (float or decimal) → fen
        a = table.column(col)
        return np.round(pc.fill_null(pc.cast(a, "float64"), 0).to_numpy() * 100).astype(np.int64)

    wages = sum(money(c) for c in ("monthly_income.wages", "monthly_income.business", "monthly_income.property",
                                   "monthly_income.transfer"))
    income = np.add.reduceat(wages, starts)
    last_year = money("household.household_income_last_year")[starts]
    medical = np.maximum(money("household.spending_12m.medical")[starts],
                         np.add.reduceat(money("medical_out_of_pocket_this_year"), starts))
    index = np.arange(offset, offset + n)
    u = np.stack([uniform(index, k) for k in range(9)])
    earner = np.maximum.reduceat(wages > 0, starts)
    take = pa.array(starts)
    region = pc.cast(table.column("household.region").take(take), pa.string())
    county = np.asarray(pc.utf8_slice_codeunits(region, 0, 6).to_numpy(zero_copy_only=False), dtype=object)
    residence = np.asarray(pc.cast(table.column("household.residence").take(take), pa.string())
                           .to_numpy(zero_copy_only=False), dtype=object)
    facts = m.Facts(
        county=county, residence=residence, members=members.astype(np.int64), income=income,
        income_before=np.where(u[0] < 0.05, income + (income * u[1]).astype(np.int64), -1),
        yearly_income=np.where(last_year > 0, last_year, income * 12), medical=medical,
        spending_12m=medical, earner_died=earner & (u[2] < 0.002),
        earner_disability=np.where(earner & (u[3] < 0.01), 1 + (u[3] * 400).astype(np.int64) % 4, 0),
        unemployment_months=np.where(u[4] < 0.01, (u[4] * 1000).astype(np.int64) % 8, -1),
        university_entrant=u[5] < 0.005, disaster_days=np.where(u[6] < 0.01, (u[6] * 20000).astype(np.int64), -1),
        stopped_months=np.where(u[7] < 0.01, (u[7] * 1200).astype(np.int64), -1),
        dibao=np.zeros(n, bool), tekun=np.zeros(n, bool), edge=np.zeros(n, bool))
    return facts, u[8]


def scan_part(path: str, lo_household: int, hi_household: int) -> dict:
    """One scan of the households lo..hi of the file: every rule's hits (household indexes)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from doudi.batch.engine import assess_table
    from doudi.policy import monitoring as m

    table = pq.read_table(path)
    hid = table.column("household_id")
    ids = pc.unique(hid)
    keep = ids.slice(lo_household, hi_household - lo_household)
    table = table.filter(pc.is_in(hid, value_set=keep))
    facts, draw = facts_of(table, offset=lo_household)
    decided = assess_table(table, date=ON.isoformat(), programs=["dibao", "tekun"])
    dibao = np.asarray(decided.column("dibao.eligible").fill_null(False).to_numpy(zero_copy_only=False), bool)
    tekun = np.asarray(decided.column("tekun.eligible").fill_null(False).to_numpy(zero_copy_only=False), bool)
    # who is covered: most eligible households (the rest are 漏保), and a few ineligible ones (错保)
    facts.dibao = (dibao & (draw < 0.85)) | (~dibao & (draw > 0.998))
    facts.tekun = tekun & (draw < 0.9)
    t = m.Thresholds(facts, ON)
    out = {rid: np.flatnonzero(mask) + lo_household for rid, (mask, _) in m.masks(facts, t).items()}
    out["MW-LOUBAO"] = np.flatnonzero((dibao & ~facts.dibao) | (tekun & ~facts.tekun)) + lo_household
    out["MW-CUOBAO"] = np.flatnonzero(facts.dibao & ~dibao) + lo_household
    for c, mask in m.categories(facts, t).items():
        out[f"category:{c}"] = np.flatnonzero(mask) + lo_household
    out["_households"] = np.array([len(facts)])
    return out


def merge(parts: list[dict]) -> dict:
    keys = sorted({k for p in parts for k in p if k != "_households"})
    return {k: np.sort(np.concatenate([p.get(k, np.array([], np.int64)) for p in parts])) for k in keys}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--parts", type=int, default=4, help="partitions of the Dask run")
    ap.add_argument("--no-dask", action="store_true")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    households = int(args.persons / PERSONS_PER_HOUSEHOLD)
    path = str(population(households))
    print(machine())
    scan_part(path, 0, 100)  # warm-up: imports and the policy data loaded once (not timed)
    print(f"load before: {load()}")
    started = time.perf_counter()
    local = merge([scan_part(path, 0, households)])
    took = time.perf_counter() - started
    counts = {k: len(v) for k, v in local.items()}
    print(f"local: {households:,} households (~{args.persons:,} persons) scanned in {took:.1f} s; load {load()}")
    print("  warnings by rule: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if k.startswith("MW-")))
    print("  register: " + ", ".join(f"{k[9:]} {v:,}" for k, v in counts.items() if k.startswith("category:")))
    if args.no_dask:
        return 0
    from dask.distributed import Client, LocalCluster

    bounds = np.linspace(0, households, args.parts + 1).astype(int)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="3GB",
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(scan_part, path, 0, 100)  # the same warm-up in each worker (not timed)
        started = time.perf_counter()
        futures = [client.submit(scan_part, path, int(lo), int(hi), pure=False)
                   for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
        dask = merge(client.gather(futures))
        took = time.perf_counter() - started
    same = local.keys() == dask.keys() and all(np.array_equal(local[k], dask[k]) for k in local)
    print(f"dask LocalCluster (2 workers, {args.parts} parts): {took:.1f} s; load {load()}; "
          f"identical warnings and register: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
