"""The monthly check (doudi.verification.engine): 1,000,000 recipients against 10,000,000 department records.

Target (issue 12): at most 30 s and 2 GB on the 2-core machine.
Run: .venv/bin/python benchmarks/verification_check.py [--members N] [--records M] [--engine local|dask]
The data (benchmarks/verification_data.py) is written once and reused; the check runs in a child
process measured with /usr/bin/time -v (wall, peak RSS of the process tree).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time

from common import PYTHON, load, machine, timed

ON = dt.date(2026, 11, 2)


def run(members: int, records: int, engine_name: str, threads: int) -> int:
    import pyarrow.parquet as pq
    from verification_data import COUNTIES, recipients, snapshots

    from doudi.verification import engine

    b_path, m_path = recipients(members)
    snaps = snapshots(members, records)
    started = time.perf_counter()
    benefits, mem = pq.read_table(b_path), pq.read_table(m_path)
    from doudi.policy.params import default_policy

    limits = engine.limits({(c, r) for c in COUNTIES for r in ("urban", "rural")}, ON, policy=default_policy())
    if engine_name == "local":
        con = engine.connect(memory_limit="1200MB", threads=threads)
        found = engine.check(benefits, mem, limits, snaps, ON, con=con)
    else:
        import tempfile
        from pathlib import Path

        from doudi.verification import dask_engine

        with tempfile.TemporaryDirectory(dir=str(Path(b_path).parent)) as tmp:
            counties = dask_engine.write_partitions(benefits, mem, Path(tmp))
            found = dask_engine.check_counties(Path(tmp), counties, limits, {c: snaps for c in counties}, ON,
                                               workers=threads, memory_limit="450MB")
    took = time.perf_counter() - started
    counts = {}
    for k in found["kind"].to_pylist():
        counts[k] = counts.get(k, 0) + 1
    total = sum(pq.ParquetFile(p[0]).metadata.num_rows for p in snaps.values())
    print(f"{mem.num_rows:,} recipients ({benefits.num_rows:,} benefits) against {total:,} department records: "
          f"{found.num_rows:,} findings in {took:.1f} s ({engine_name}); by kind {counts}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--engine", choices=("local", "dask"), default="local")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--run", action="store_true", help="(internal) do the check in this process")
    args = ap.parse_args()
    if args.run:
        return run(args.members, args.records, args.engine, args.threads)
    from verification_data import recipients, snapshots

    started = time.perf_counter()
    recipients(args.members)
    snapshots(args.members, args.records)
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    print(f"machine: {machine()}; {load()}")
    cmd = [PYTHON, __file__, "--run", "--members", str(args.members), "--records", str(args.records),
           "--engine", args.engine, "--threads", str(args.threads)]
    r = timed(cmd)
    if r.returncode:
        print(r.stderr, file=sys.stderr)
        return r.returncode
    print(r.stdout.strip())
    print(f"wall {r.wall:.1f} s (CPU {r.cpu:.1f} s), peak RSS {r.peak_rss_mb:,.0f} MiB (process tree "
          f"{r.tree_peak_mb:,.0f} MiB); {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
