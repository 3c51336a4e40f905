"""The monitoring scan (issue 13, PR-7) at scale: every warning rule of doudi.policy.monitoring and
the 应保尽保 run of the policy core over a synthetic register, local and on a Dask LocalCluster.

Target (issue 13): 10,000,000 persons in ≤ 60 s, the Dask run giving identical warnings.

Run: .venv/bin/python benchmarks/monitoring_scan.py [--persons N] [--rows R] [--threads T] [--no-dask]
Each engine runs in a child process under /usr/bin/time -v (wall, CPU of the process and its
waited-for children, peak RSS; the process tree's RSS sampled), after a warm-up inside the child
(imports, the policy data) that its own "scan" figure leaves out; the children write every rule's
household list to .npz and the parent compares them (identical or exit 1).

Data: the population of doudi.batch.synth (benchmarks/common.py:population, Parquet, written once)
is the register's registry facts; the department signals (deaths of earners, disability
certificates, unemployment starts, disasters in the village, stopped benefits, new university
students; 乡村振兴's 防返贫监测对象, 工会's 困难职工, earners in custody, 应急's disaster victims, 住建's
C / D 危房, 卫健's serious diagnoses) and who is covered (低保 / 特困 / 临时救助) are drawn from a hash of the household's
position in the file, so that every rule fires on some households and a range decided alone draws
what the whole file draws. The file is streamed in ranges of whole households
(doudi.batch.ranges: about R rows, cut at the row groups), so memory holds a few ranges, not the
population. One range = read its row groups → the household facts (counted income, yearly income,
medical cost, rigid spending, members) → the policy core on every household for 低保, 特困 and
临时救助 (the programs the web scan decides, doudi.monitoring.facts.decide_all), with DB-8's edge
family → MW-LOUBAO (eligible, not covered), MW-CUOBAO (covered, not eligible) → every data rule's
mask and the register's categories. The local engine decides T ranges at a time on threads (numpy
and Arrow release the GIL); the Dask run sends one task per range to a LocalCluster of 2 worker
processes.
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
    u = np.stack([uniform(index, k) for k in range(15)])
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
        dibao=np.zeros(n, bool), tekun=np.zeros(n, bool), edge=np.zeros(n, bool),
        # the other departments' data sets (doudi/monitoring/departments.py): 乡村振兴, 工会, 司法, 应急, 住建, 卫健
        rural_monitored=u[9] < 0.01, hardship_worker=u[10] < 0.005, earner_custody=earner & (u[11] < 0.002),
        victim_days=np.where(u[12] < 0.01, (u[12] * 18000).astype(np.int64), -1),      # 0–179 days ago
        dangerous_house=np.where(u[13] < 0.005, 3 + (u[13] * 400).astype(np.int64), 0),  # C or D
        illness_months=np.where(u[14] < 0.01, (u[14] * 2400).astype(np.int64), -1))     # 0–23 months ago
    # the register's 防返贫监测对象 follow the 乡村振兴 file (doudi.monitoring.services._sync_rural)
    facts.anti_poverty = facts.rural_monitored.copy()
    return facts, u[8]


PROGRAMS = ("dibao", "tekun", "temporary")


def scan_range(path: str, r) -> dict:
    """One range's scan: every rule's hits and the register's categories (household indexes in the file)."""
    from doudi.batch import io
    from doudi.batch.engine import decide_chunks
    from doudi.batch.ranges import read_range
    from doudi.policy import monitoring as m
    from doudi.policy.params import default_policy

    table = read_range(path, r)
    facts, draw = facts_of(table, offset=r.household)
    done = {}
    for _lo, _hi, part in decide_chunks(io.group(table, path), {}, policy=default_policy(), date=ON.isoformat(),
                                        programs=list(PROGRAMS)):
        for name, res in part.items():
            done.setdefault(name, []).append(res)

    def col(name, what):
        return np.concatenate([getattr(x, what) if what in ("applies", "eligible") else x.extra[what]
                               for x in done[name]]).astype(bool)

    eligible = {p: col(p, "applies") & col(p, "eligible") for p in PROGRAMS}
    # who is covered: most eligible households (the rest are 漏保), and a few ineligible ones (错保)
    facts.dibao = (eligible["dibao"] & (draw < 0.85)) | (~eligible["dibao"] & (draw > 0.998))
    facts.tekun = eligible["tekun"] & (draw < 0.9)
    temporary = eligible["temporary"] & (draw < 0.5)  # a relief case open or help given
    facts.edge = col("dibao", "applies") & col("dibao", "edge_family")
    t = m.Thresholds(facts, ON)
    at = r.household
    out = {rid: np.flatnonzero(mask) + at for rid, (mask, _) in m.masks(facts, t).items()}
    loubao = ((eligible["dibao"] & ~facts.dibao) | (eligible["tekun"] & ~facts.tekun)
              | (eligible["temporary"] & ~temporary))
    out["MW-LOUBAO"] = np.flatnonzero(loubao) + at
    out["MW-CUOBAO"] = np.flatnonzero((facts.dibao & ~eligible["dibao"]) | (facts.tekun & ~eligible["tekun"])) + at
    for c, mask in m.categories(facts, t).items():
        out[f"category:{c}"] = np.flatnonzero(mask) + at
    out["_households"] = np.array([len(facts)])
    out["_persons"] = np.array([table.num_rows])
    return out


def merge(parts: list[dict]) -> dict:
    keys = sorted({k for p in parts for k in p if not k.startswith("_")})
    out = {k: np.sort(np.concatenate([p.get(k, np.array([], np.int64)) for p in parts])) for k in keys}
    out["_households"] = np.array([sum(int(p["_households"][0]) for p in parts)])
    out["_persons"] = np.array([sum(int(p["_persons"][0]) for p in parts)])
    return out


def run(engine: str, path: str, rows: int, threads: int, result: str) -> int:
    """(in the child) the warm-up, then one timed scan; the hits written to `result` (.npz)."""
    from doudi.batch.ranges import household_ranges

    print(f"load before: {load()}", flush=True)
    if engine == "local":
        scan_range(path, _head(path))  # warm-up: imports, the policy data loaded once (not timed)
        started, c0 = time.perf_counter(), time.process_time()
        ranges = household_ranges(path, rows)
        if threads > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(threads) as pool:
                found = merge(list(pool.map(lambda r: scan_range(path, r), ranges)))
        else:
            found = merge([scan_range(path, r) for r in ranges])
        took = time.perf_counter() - started
        how = f"local, {len(ranges)} ranges on {threads} threads"
    else:
        from dask.distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="4GB",
                          dashboard_address=None) as cluster, Client(cluster) as client:
            client.run(scan_range, path, _head(path))  # the same warm-up in each worker (not timed)
            started, c0 = time.perf_counter(), time.process_time()
            ranges = household_ranges(path, rows)
            futures = [client.submit(scan_range, path, r, pure=False) for r in ranges]
            found = merge(client.gather(futures))
            took = time.perf_counter() - started
            worker_cpu = sum(client.run(time.process_time).values())
        how = f"Dask LocalCluster, 2 worker processes, {len(ranges)} tasks"
    cpu = time.process_time() - c0
    np.savez(result, **found)
    counts = {k: len(v) for k, v in found.items() if not k.startswith("_")}
    print(f"{engine}: {int(found['_households'][0]):,} households ({int(found['_persons'][0]):,} persons) scanned in "
          f"{took:.1f} s ({how}; CPU of this process in the scan {cpu:.1f} s"
          + (f", workers' CPU since start {worker_cpu:.1f} s" if engine != "local" else "") + f"); {load()}")
    print("  warnings by rule: " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if k.startswith("MW-")))
    print("  register: " + ", ".join(f"{k[9:]} {v:,}" for k, v in counts.items() if k.startswith("category:")))
    return 0


def _head(path: str):
    from doudi.batch.ranges import Range, household_starts

    starts = household_starts(path)
    k = min(100, len(starts) - 1)
    return Range(0, int(starts[k]), 0, k)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--rows", type=int, default=700_000, help="rows per range (about)")
    ap.add_argument("--threads", type=int, default=2, help="ranges decided at once by the local engine")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--no-local", action="store_true")
    ap.add_argument("--run", choices=("local", "dask"), help="(internal) run one engine in this process")
    ap.add_argument("--path")
    ap.add_argument("--result")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if args.run:
        return run(args.run, args.path, args.rows, args.threads, args.result)
    from common import OUT, PYTHON, timed

    households = int(args.persons / PERSONS_PER_HOUSEHOLD)
    path = str(population(households))
    print(machine())
    results = {}
    for engine in [e for e, skip in (("local", args.no_local), ("dask", args.no_dask)) if not skip]:
        result = str(OUT / f"monitoring_scan_{engine}_{households}.npz")
        r = timed([PYTHON, __file__, "--run", engine, "--path", path, "--rows", str(args.rows), "--threads",
                   str(args.threads), "--result", result])
        print(r.stdout.strip())
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return r.returncode
        print(f"  whole process (start-up, warm-up, scan): wall {r.wall:.1f} s, CPU {r.cpu:.1f} s, peak RSS "
              f"{r.peak_rss_mb:,.0f} MiB (process tree {r.tree_peak_mb:,.0f} MiB); {load()}")
        results[engine] = np.load(result)
    if len(results) == 2:
        a, b = results["local"], results["dask"]
        same = set(a.files) == set(b.files) and all(np.array_equal(a[k], b[k]) for k in a.files)
        print(f"local and Dask: identical warnings and register (every rule's household list): {same}")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
