"""Resolving every parameter of a county on a date from both layers (issue 10): ≤ 2 ms warm.

    DOUDI_HOME=/tmp/bench-params .venv/bin/python benchmarks/params_resolve.py

Migrates a fresh SQLite database in DOUDI_HOME (default: a temporary folder), enters and approves
a few values at county, city and province level, then times `current_policy()` (the version
query included) plus resolving all parameters of Huining (620422) for urban households on a date:
cold (the layered policy built) and warm (median of 200 rounds).
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DOUDI_HOME", tempfile.mkdtemp(prefix="bench-params-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    from doudi.accounts.models import User
    from doudi.params import store
    from doudi.params.models import ParameterValue

    user, _ = User.objects.get_or_create(username="bench", defaults={"full_name": "bench"})
    ParameterValue.objects.all().delete()
    now = timezone.now()
    for region, name, value in [("620422", "dibao.standard.urban", "750.00"), ("620400", "dibao.standard.rural", "560.00"),
                                ("620000", "tekun.basic_ratio", "1.3"), ("620422", "dibao.gradual_exit.months", 6)]:
        for year in range(2023, 2028):
            ParameterValue.objects.create(parameter=name, region=region, effective_from=dt.date(year, 7, 1), value=value,
                                          document="bench", entered_by=user, entered_at=now, approved_by=user,
                                          approved_at=now, state="approved")
    store.invalidate()
    on = dt.date(2026, 8, 1)

    def once() -> float:
        t = time.perf_counter()
        policy = store.current_policy()
        for name in policy.defs:
            policy.resolve(name, "620422", on, "urban")
        return time.perf_counter() - t

    cold = once()
    warm = statistics.median(once() for _ in range(200))
    n = len(store.current_policy().defs)
    print(f"params_resolve: {n} parameters of 620422 on {on}: cold {cold * 1000:.2f} ms, warm {warm * 1000:.3f} ms "
          f"(median of 200; {ParameterValue.objects.count()} database values; load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
