"""The warning list of a county with 100,000 open warnings (issue 13: a page on the server in ≤ 300 ms).

Run: .venv/bin/python benchmarks/monitoring_pages.py [--warnings N] [--postgres]
A fresh database (SQLite in a temporary DOUDI_HOME, or with --postgres a database
`bench_monitoring` on 127.0.0.1, or --db NAME, dropped and created) gets 2,000 households over 20 villages of
Huining and N open warnings spread over them and over the rules; the county approver's list pages
(first page, a far page, by level, by rule, by village, a search) are requested through Django's
test client, each 5 times, after the statistics are gathered (VACUUM ANALYZE / ANALYZE, as
autovacuum keeps them in use); the median and the worst are printed with the load average, and
the median CPU time of this process (the Django side; SQLite's work too, PostgreSQL's backend not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time

from common import load, machine


def setup(postgres: bool, db: str = "bench_monitoring") -> None:
    if postgres:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{db}"')
            con.execute(f'CREATE DATABASE "{db}"')
        os.environ["DOUDI_DB"] = "postgres"
        os.environ["DOUDI_PG_URL"] = f"postgres://postgres@127.0.0.1:5432/{db}"
    os.environ["DOUDI_HOME"] = tempfile.mkdtemp(prefix="bench-monitoring-")
    from doudi.web.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n: int) -> object:
    from django.db import transaction

    from doudi.accounts.models import RoleAssignment, User
    from doudi.monitoring.models import Alert
    from doudi.policy.identity import check_character
    from doudi.policy.monitoring import warning_rules
    from doudi.registry.models import Household, Membership, Person

    user = User.objects.create_user(username="county", password="x-Bench-2026", full_name="县级")
    RoleAssignment.objects.create(user=user, role="county_approver", area="620422")
    villages = [f"620422{100 + t:03d}{201 + v:03d}" for t in range(4) for v in range(5)]
    rules = list(warning_rules().values())
    today = dt.date.today()
    with transaction.atomic():
        households = Household.objects.bulk_create(
            [Household(region_code=villages[i % 20], county="620422", residence="rural") for i in range(2000)])
        people = []
        for i in range(len(households)):
            first17 = f"620422{dt.date(1960, 1, 1) + dt.timedelta(days=i):%Y%m%d}{(i % 500) * 2 + 1:03d}"
            people.append(Person(id_number=first17 + check_character(first17), name=f"户主{i}", sex="M",
                                 birth_date=dt.date(1960, 1, 1) + dt.timedelta(days=i)))
        Person.objects.bulk_create(people)
        Membership.objects.bulk_create([Membership(household=h, person=p, relation="self", start=dt.date(2020, 1, 1))
                                        for h, p in zip(households, people, strict=True)])
        batch = []
        for i in range(n):
            r, hh = rules[i % len(rules)], households[i % len(households)]
            raised = today - dt.timedelta(days=i % 60)
            batch.append(Alert(rule=r.id, level=r.level, household=hh, region=hh.region_code, key=f"k{i}",
                               raised_on=raised, due_on=raised + dt.timedelta(days=7), detail=f"{r.name}:测试预警 {i}"))
            if len(batch) == 10_000:
                Alert.objects.bulk_create(batch)
                batch = []
        Alert.objects.bulk_create(batch)
    # the planner's statistics as the database keeps them in use (autovacuum), not those of an empty table
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return user


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--warnings", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--db", default="bench_monitoring", help="PostgreSQL database name (dropped and created)")
    args = ap.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    setup(args.postgres, args.db)
    started = time.perf_counter()
    user = populate(args.warnings)
    print(machine())
    print(f"{'PostgreSQL' if args.postgres else 'SQLite'}: {args.warnings:,} open warnings written in "
          f"{time.perf_counter() - started:.1f} s")
    from django.test import Client

    c = Client()
    c.force_login(user)
    pages = {"first page": "", "page 1000": "?page=1000", "red only": "?level=red", "one rule": "?rule=MW-MEDICAL",
             "one village": "?village=620422100201", "search a name": "?q=户主17",
             "search 1 name": "?q=户主1234", "search a rule": "?q=mw-illness"}
    print(load())
    for label, query in pages.items():
        times, cpus = [], []
        for _ in range(5):
            t, cpu = time.perf_counter(), time.process_time()
            r = c.get("/monitoring/warnings/" + query)
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
            assert r.status_code == 200, (label, r.status_code)
        print(f"  {label:<14} median {statistics.median(times):6.0f} ms, worst {max(times):6.0f} ms "
              f"(CPU of this process, median {statistics.median(cpus):5.0f} ms)")
    print(load())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
