"""1,000,000 households, every program, Parquet in to Parquet out through `doudi batch assess`.

Target (issue 3): at most 10 s wall and 4 GB peak memory on the 2-core machine.
Run: .venv/bin/python benchmarks/batch_1m.py [--households N] [--threads K]
"""

from __future__ import annotations

import argparse
import sys

import pyarrow.parquet as pq
from common import DOUDI, OUT, load, machine, population, timed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--policy", metavar="PARAMS.yaml",
                    help="decide on a parameter file of `doudi policy export` (issue 10: no slower than the YAML)")
    args = ap.parse_args()
    src = population(args.households)
    meta = pq.ParquetFile(src).metadata
    out = OUT / f"out_{args.households}.parquet"
    print(f"machine: {machine()}; {load()}")
    print(f"IN {src.name}: {meta.num_rows:,} persons, {meta.num_columns} columns, "
          f"{src.stat().st_size / 2**20:.0f} MiB")
    cmd = [DOUDI, "batch", "assess", src, out, "--threads", str(args.threads)]
    if args.policy:
        cmd += ["--policy", args.policy]
    print("command: /usr/bin/time -v " + " ".join(str(c) for c in cmd))
    for k in range(args.repeat):
        r = timed(cmd)
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return r.returncode
        res = pq.ParquetFile(out).metadata
        print(f"run {k + 1}: wall {r.wall:.2f} s (CPU {r.cpu:.2f} s), peak RSS {r.peak_rss_mb:,.0f} MiB "
              f"(process tree {r.tree_peak_mb:,.0f} MiB); OUT {res.num_rows:,} households × {res.num_columns} columns")
        print("  " + r.stderr.strip().replace("\n", "\n  "))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
