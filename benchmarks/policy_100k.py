"""100,000 households through the rule code of the policy core (issue 2), in one process.

The same functions `doudi assess` runs for one household: doudi.policy.engine.decide over a
batch. Prints the time to read the columns (the batch reader) and to decide every program,
and the time per program.
Run: .venv/bin/python benchmarks/policy_100k.py [--households N]
"""

from __future__ import annotations

import argparse
import time

import pyarrow.parquet as pq
from common import load, machine, population


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from doudi.batch import io
    from doudi.policy.engine import decide
    from doudi.policy.params import Params, default_policy
    from doudi.policy.rules import PROGRAMS
    from doudi.policy.trace import Trace

    src = population(args.households)
    policy = default_policy()
    table = pq.read_table(src)
    print(f"machine: {machine()}; {load()}")
    print(f"{args.households:,} households, {table.num_rows:,} persons ({src.name})")
    for k in range(args.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        hh = io.group(table, src.name).households()
        t1, c1 = time.perf_counter(), time.process_time()
        done, _, _ = decide(hh, policy, {})
        t2, c2 = time.perf_counter(), time.process_time()
        eligible = {p: int(r.eligible.sum()) for p, r in done.items()}
        print(f"run {k + 1}: read columns {t1 - t0:.2f} s (CPU {c1 - c0:.2f} s), decide every program "
              f"{t2 - t1:.2f} s (CPU {c2 - c1:.2f} s; {(t2 - t1) / args.households * 1e6:.1f} µs per household)")
    print("eligible households: " + ", ".join(f"{p} {n:,}" for p, n in eligible.items()))
    # per program, in order (later programs read earlier results)
    p = Params(policy, hh, {})
    why = Trace((), lambda i: ())
    done = {}
    parts = []
    for module in PROGRAMS:
        t = time.perf_counter()
        result = module.decide(hh, p, why, done)
        for r in result if isinstance(result, (list, tuple)) else (result,):
            done[r.program] = r
        parts.append(f"{module.PROGRAM} {time.perf_counter() - t:.3f}")
    print("per program (s): " + ", ".join(parts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
