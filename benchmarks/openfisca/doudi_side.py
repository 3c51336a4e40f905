"""doudi side of the head-to-head: the real policy core's 低保 rule (doudi.policy.rules.dibao)
over the same population, read from Parquet. Prints timings as JSON; writes the amounts (fen).
Usage: python doudi_side.py IN.parquet OUT.npz NAME=VALUE...
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    src, dst, *pairs = sys.argv[1:]
    t0 = time.perf_counter()
    import numpy as np
    import pyarrow.parquet as pq

    from doudi.batch import io
    from doudi.policy.engine import merge_overrides
    from doudi.policy.params import Params, default_policy
    from doudi.policy.rules import dibao
    from doudi.policy.trace import Trace

    policy = default_policy()
    overrides = merge_overrides(policy, None, dict(p.split("=", 1) for p in pairs))
    t1 = time.perf_counter()
    table = pq.read_table(src)
    t2 = time.perf_counter()
    hh = io.group(table, src).households()
    p = Params(policy, hh, overrides)
    t3 = time.perf_counter()
    r = dibao.decide(hh, p, Trace((), lambda i: ()), {})
    t4 = time.perf_counter()
    np.savez(dst, amount=r.amount, eligible=r.eligible)
    print(json.dumps({"import_and_policy": t1 - t0, "read": t2 - t1, "build": t3 - t2, "compute": t4 - t3,
                      "households": hh.n, "persons": hh.n_persons}))


if __name__ == "__main__":
    main()
