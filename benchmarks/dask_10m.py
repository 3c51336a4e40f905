"""10,000,000 households through the Dask engine on one machine: completes, memory flat.

Runs `doudi batch assess IN OUT --engine dask --workers 2` (a LocalCluster of 2 worker
processes started for the run) on 1 M, 3 M and 10 M households and prints, for each, the
wall time, the peak memory of the whole process tree (client + scheduler + workers, sampled
every 0.1 s) and of its largest single process (GNU time). Memory is flat when the peak does
not grow with N.
Run: .venv/bin/python benchmarks/dask_10m.py [--sizes 1000000 3000000 10000000]
"""

from __future__ import annotations

import argparse
import sys

import pyarrow.parquet as pq
from common import DOUDI, OUT, load, machine, population, timed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 3_000_000, 10_000_000])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--progress", type=float, default=60, help="print the memory every so many seconds")
    args = ap.parse_args()
    print(f"machine: {machine()}; {load()}")
    rows = []
    for n in args.sizes:
        src = population(n)
        meta = pq.ParquetFile(src).metadata
        out = OUT / f"dask_out_{n}.parquet"
        cmd = [DOUDI, "batch", "assess", src, out, "--engine", "dask", "--workers", str(args.workers)]
        print("command: /usr/bin/time -v " + " ".join(str(c) for c in cmd), flush=True)
        r = timed(cmd, progress=args.progress)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return r.returncode
        res = pq.ParquetFile(out).metadata.num_rows
        rows.append((n, meta.num_rows, r.wall, r.tree_peak_mb, r.peak_rss_mb, res))
        print(f"{n:>12,} households {meta.num_rows:>12,} persons: wall {r.wall:7.1f} s ({load()}), "
              f"peak of the process tree {r.tree_peak_mb:7,.0f} MiB, largest process {r.peak_rss_mb:6,.0f} MiB, "
              f"OUT {res:,} rows", flush=True)
        out.unlink()
    print("\nhouseholds      persons     wall s   tree peak MiB   largest process MiB")
    for n, p, w, t, s, _ in rows:
        print(f"{n:>10,} {p:>12,} {w:>9.1f} {t:>14,.0f} {s:>20,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
