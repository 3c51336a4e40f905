"""doudi side of the head-to-head: the real policy core's 低保 rule (doudi.policy.rules.dibao)
over the same population, read from Parquet, through the batch engine's own path
(doudi.batch.engine.decide_chunks with programs=["dibao"], as `doudi batch assess --program dibao`
runs it). Prints timings as JSON; writes the amounts (fen).

Usage: python doudi_side.py IN.parquet OUT.npz THREADS|split NAME=VALUE...

With a number of threads, chunks of 100,000 households are built and decided on that many
threads, as `doudi batch assess --threads N` does (only the sum of building and computing is
known). With `split`, the population is one chunk on one thread and the time is split into
building the columns (grouping rows by household, reading each column into the household schema,
resolving the parameters) and computing.
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    src, dst, mode, *pairs = sys.argv[1:]
    threads = 1 if mode == "split" else int(mode)
    t0 = time.perf_counter()
    import numpy as np

    from doudi.batch import io
    from doudi.batch.engine import CHUNK_HOUSEHOLDS, decide_chunks, parse_sets
    from doudi.batch.memory import tune_allocator
    from doudi.policy.params import Params, default_policy
    from doudi.policy.rules import dibao
    from doudi.policy.trace import Trace

    tune_allocator()  # as `doudi batch` does
    policy = default_policy()
    overrides = parse_sets(policy, dict(p.split("=", 1) for p in pairs))
    t1 = time.perf_counter()
    table = io.read_table(src)  # as `doudi batch assess` reads it (text code and date columns dictionary-encoded)
    t2 = time.perf_counter()
    grouped = io.group(table, src)
    out = {"households": grouped.n, "threads": threads, "import_and_policy": t1 - t0, "read": t2 - t1}
    if mode == "split":  # one chunk: the same functions decide_chunks calls, timed one by one
        hh = grouped.households()
        p = Params(policy, hh, overrides)
        t4 = time.perf_counter()
        r = dibao.decide(hh, p, Trace((), lambda i: ()), {})
        t5 = time.perf_counter()
        amount, eligible = r.amount, r.eligible
        out.update(build=t4 - t2, compute=t5 - t4, persons=hh.n_persons)
    else:
        parts = decide_chunks(grouped, overrides, policy=policy, threads=threads, chunk=CHUNK_HOUSEHOLDS,
                              programs=["dibao"])
        t5 = time.perf_counter()
        amount = np.concatenate([done["dibao"].amount for _, _, done in parts])
        eligible = np.concatenate([done["dibao"].eligible for _, _, done in parts])
        out.update(build_and_compute=t5 - t2, persons=len(grouped.rows))
    np.savez(dst, amount=amount, eligible=eligible)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
