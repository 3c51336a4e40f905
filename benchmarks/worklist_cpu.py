"""The worklist page's (工作台, /cases/worklist/) CPU per request, and each worklist source's (issue 16).

Fills the PostgreSQL database of DOUDI_PG_URL (re-created unless --keep): the households and 低保 cases
of benchmarks/pages_load.py's seed (--persons, 4 counties), then `doudi demo`'s data (doudi.web.demo:
its users, and open work in every app for Huining's caseworker 王经办 and county approver 刘审批),
the demo first (it works on the households of its own villages).
Then, in this process, through Django's test client (no web server), for each user:

- the page's queries (CaptureQueriesContext, one request);
- the CPU time of this process per request (time.process_time: the view, the ORM, the template and the
  database driver's client side; not PostgreSQL's own), the median of --repeat requests after 2 to warm up;
- the same for each source of the worklist called alone (`items(user, today)`), and the 低保 cases' part.

Users: jingban (township caseworker of 620422100, the demo's work in every app), shenpi (county approver of
620422), and pages_load's load_caseworker_0 (jingban's township), load_approver_1 (jingban's county) and
load_caseworker_1 (township 620422101: the demo's monitoring scan raised most of its warnings there).

Run: DOUDI_DB=postgres DOUDI_PG_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python
     benchmarks/worklist_cpu.py [--persons 200000] [--keep] [--repeat 20]
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import time

from common import load, machine

USERS = [("jingban", None, None), ("shenpi", None, None),
         ("load_caseworker_0", "township_caseworker", "620422100"), ("load_approver_1", "county_approver", "620422"),
         ("load_caseworker_1", "township_caseworker", "620422101")]


def _cpu(fn, repeat: int) -> float:
    """The median CPU seconds of this process of one call of fn, after two calls to warm up."""
    for _ in range(2):
        fn()
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append(time.process_time() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    if os.environ.get("DOUDI_DB") not in ("postgres", "postgresql", "pg"):
        print("run with DOUDI_DB=postgres (the figures are for PostgreSQL)", file=sys.stderr)
        return 2
    url = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/doudi_bench_worklist")
    base, db = url.rsplit("/", 1)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    home = os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", f"/tmp/doudi-bench-worklist-{db}")
    if not args.keep and home.startswith("/tmp/doudi-bench-worklist-"):
        shutil.rmtree(home, ignore_errors=True)  # the demo's department files of an earlier filling
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone()
        if exists and not args.keep:
            conn.execute(f"DROP DATABASE {db} WITH (FORCE)")
        if not exists or not args.keep:
            conn.execute(f"CREATE DATABASE {db}")
        conn.execute(f"ALTER DATABASE {db} SET random_page_cost = 1.1")
    import django

    django.setup()
    from django.core.management import call_command

    from doudi.registry.models import Person

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if not Person.objects.exists():
        import pages_load
        from django.db.models import Max

        from doudi.registry.models import Household
        from doudi.web import demo

        t = time.perf_counter()
        demo.populate()  # first: it reads the households of its own villages
        print(f"demo data in {time.perf_counter() - t:.1f} s", flush=True)
        offset = max(Household.objects.aggregate(m=Max("pk"))["m"] or 0, Person.objects.aggregate(m=Max("pk"))["m"] or 0)
        with psycopg.connect(url, autocommit=True) as conn:
            pages_load.seed(conn, args.persons, offset=offset + 1000)
    print(f"persons in the database: {Person.objects.count():,}")

    from importlib import import_module

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from doudi.accounts import access
    from doudi.accounts.models import RoleAssignment, User
    from doudi.cases import views

    today = timezone.localdate()
    print(f"machine: {machine()}; before: {load()}")
    print(f"{'user':<18} {'queries':>7} {'items':>5} {'page CPU ms':>11}   sources' CPU ms (queries)")
    for username, role, area in USERS:
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        if role:
            RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
        c = Client()
        c.force_login(user)
        c.get("/cases/worklist/")  # the first page after the login writes the session's expiry
        with CaptureQueriesContext(connection) as q:
            r = c.get("/cases/worklist/")
        assert r.status_code == 200, r.status_code
        n_items = r.content.decode().count("<tr") - 1
        page = _cpu(lambda c=c: c.get("/cases/worklist/"), args.repeat)
        parts = []
        for module in views.WORKLIST_SOURCES:
            items = import_module(module).items

            def one(items=items, user=user):
                access.forget(user)  # as in a request: the roles are read once per request
                return items(user, today)

            with CaptureQueriesContext(connection) as sq:
                one()
            parts.append(f"{module.split('.')[1]} {_cpu(one, args.repeat) * 1000:.1f} ({len(sq.captured_queries) - 1})")
        print(f"{username:<18} {len(q.captured_queries):>7} {n_items:>5} {page * 1000:>11.1f}   {', '.join(parts)}",
              flush=True)
    print(f"after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
