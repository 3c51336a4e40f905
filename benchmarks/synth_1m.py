"""How fast `doudi.batch.synth` draws a population: 1,000,000 households in memory, and
written to Parquet chunk by chunk (the way 10 M are written).
Run: .venv/bin/python benchmarks/synth_1m.py [--households N]
"""

from __future__ import annotations

import argparse
import resource
import time

from common import DATE, OUT, REGIONS, machine


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=1_000_000)
    args = ap.parse_args()
    from doudi.batch.synth import synthesize, write

    print(f"machine: {machine()}")
    t = time.perf_counter()
    table = synthesize(args.households, REGIONS, seed=2, date=DATE)
    mem = time.perf_counter() - t
    print(f"synthesize({args.households:,}) in memory: {mem:.2f} s, {table.num_rows:,} persons, "
          f"{table.nbytes / 2**20:,.0f} MiB of Arrow columns")
    del table
    OUT.mkdir(exist_ok=True)
    path = OUT / "synth_bench.parquet"
    t = time.perf_counter()
    persons = write(str(path), args.households, REGIONS, seed=2, date=DATE)
    print(f"write({args.households:,}) to Parquet: {time.perf_counter() - t:.2f} s, {persons:,} persons, "
          f"{path.stat().st_size / 2**20:,.0f} MiB; peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
    path.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
