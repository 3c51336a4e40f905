"""The statistics page of a province with 1,000,000 recipients and 24 months of history (issue 14: ≤ 1 s).

Design measured: pre-aggregated monthly tables (`reports_monthlyfigure`, written by the hourly
refresh job) read by area on the index (area, month). The script fills the table on PostgreSQL with
the rows the refresh writes for such a province — 14 cities × 6 counties × 12 townships × 16
villages = 16,128 villages, about 62 recipients each (1,000,000 低保 and 特困 recipients), 24
months, every level (province … village), the breakdowns by class, tier, mode and kind — then
renders GET /reports/?area=62 (24 months) for a provincial supervisor, and prints the median.

Run (PostgreSQL on 127.0.0.1): DOUDI_DB=postgres .venv/bin/python benchmarks/reports_province.py [--repeat 9]
It uses (and re-creates) the database `doudi_bench_reports`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

from common import load, machine

DB = "doudi_bench_reports"

FILL = """
WITH months AS (SELECT (date '{last}' - make_interval(months => m))::date AS month FROM generate_series(0, 23) m),
villages AS (
  SELECT '62' || lpad(c::text, 2, '0') || lpad(k::text, 2, '0') || lpad(t::text, 3, '0') || lpad(v::text, 3, '0') AS area
  FROM generate_series(1, 14) c, generate_series(1, 6) k, generate_series(100, 111) t, generate_series(201, 216) v),
kinds(program, residence, dim, value, households, persons, amount) AS (VALUES
  ('dibao', 'urban', '', '', 14, 30, 1860000), ('dibao', 'rural', '', '', 12, 26, 1030000),
  ('dibao', 'urban', 'class', '', 14, 30, 1860000), ('dibao', 'rural', 'class', '', 12, 26, 1030000),
  ('tekun', 'urban', '', '', 2, 2, 252000), ('tekun', 'rural', '', '', 4, 4, 380000),
  ('tekun', 'urban', 'tier', 'partial', 2, 2, 252000), ('tekun', 'rural', 'tier', 'full', 4, 4, 380000),
  ('tekun', 'urban', 'mode', 'dispersed', 2, 2, 252000), ('tekun', 'rural', 'mode', 'centralised', 4, 4, 380000),
  ('temporary', 'urban', '', '', 1, 3, 80000), ('temporary', 'rural', 'kind', 'fire', 1, 3, 80000))
INSERT INTO reports_monthlyfigure (area, parent, level, month, program, residence, dim, value, households, persons,
  amount_fen, amount_source, new_households, stopped_households, exit_households, received, approved, refused,
  withdrawn, decision_days)
SELECT v.area, substr(v.area, 1, 9), 12, m.month, k.program, k.residence, k.dim, k.value, k.households, k.persons,
       k.amount, 'benefits', 1, 1, 0, 2, 1, 1, 0, '{{"9": 1, "12": 1}}'::jsonb
FROM villages v, months m, kinds k
"""

ROLLUP = """
INSERT INTO reports_monthlyfigure (area, parent, level, month, program, residence, dim, value, households, persons,
  amount_fen, amount_source, new_households, stopped_households, exit_households, received, approved, refused,
  withdrawn, decision_days)
SELECT substr(area, 1, {n}), substr(area, 1, {p}), {n}, month, program, residence, dim, value, sum(households),
       sum(persons), sum(amount_fen), 'benefits', sum(new_households), sum(stopped_households), sum(exit_households),
       sum(received), sum(approved), sum(refused), sum(withdrawn), '{{"9": 1, "12": 1}}'::jsonb
FROM reports_monthlyfigure WHERE level = 12 GROUP BY 1, 2, month, program, residence, dim, value
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = ap.parse_args()
    if os.environ.get("DOUDI_DB") not in ("postgres", "postgresql", "pg"):
        print("run with DOUDI_DB=postgres (the figure is for PostgreSQL)", file=sys.stderr)
        return 2
    base = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    os.environ["DOUDI_PG_URL"] = f"{base}/{DB}"
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if exists and not args.keep:
            conn.execute(f"DROP DATABASE {DB} WITH (FORCE)")
        if not exists or not args.keep:
            conn.execute(f"CREATE DATABASE {DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", "/tmp/doudi-bench-reports")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from doudi.accounts.models import RoleAssignment, User
    from doudi.reports.figures import month_of

    call_command("migrate", verbosity=0)
    last = month_of(timezone.localdate())
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM reports_monthlyfigure")
        if cur.fetchone()[0] == 0:
            t = time.perf_counter()
            cur.execute(FILL.format(last=last.isoformat()))
            for n, p in ((9, 6), (6, 4), (4, 2), (2, 0)):
                cur.execute(ROLLUP.format(n=n, p=p))
            cur.execute("UPDATE reports_monthlyfigure SET parent = '' WHERE level = 2")
            cur.execute("ANALYZE reports_monthlyfigure")
            print(f"filled the monthly table in {time.perf_counter() - t:.1f} s")
        cur.execute("SELECT count(*), sum(persons) FILTER (WHERE level = 2 AND dim = '' AND program IN ('dibao', 'tekun') "
                    "AND month = %s) FROM reports_monthlyfigure", [last])
        rows, recipients = cur.fetchone()
    user, _ = User.objects.get_or_create(username="bench_supervisor")
    user.set_password("Bench-Password-2026")
    user.save()
    RoleAssignment.objects.get_or_create(user=user, role="supervisor", area="620000")
    c = Client()
    c.force_login(user)
    url = f"/reports/?area=62&from={(last.replace(year=last.year - 2 + (last.month == 12), month=last.month % 12 + 1)):%Y-%m}&to={last:%Y-%m}"
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        r = c.get(url)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    print(f"machine: {machine()}; {load()}")
    print(f"monthly table: {rows:,} rows; province 62, last month: {recipients:,} recipients (低保 + 特困 persons)")
    print(f"GET {url} (24 months, charts for 32 figures, 14 cities below): {len(r.content) / 1024:.0f} KiB")
    print(f"page render: median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {args.repeat} requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
