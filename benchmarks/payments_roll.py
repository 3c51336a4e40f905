"""A county's monthly roll of N recipients built, totalled and exported (issue 11, payments).

Target (issue 11): 1,000,000 recipients in PostgreSQL built, totalled and exported in ≤ 60 s, memory
≤ 1 GB; the SQLite figure for 100,000. This script is bounded: --households (default 100,000).

Fills a fresh database (PostgreSQL `doudi_bench_payments`, or SQLite under /tmp) with N one-person
households in 200 villages of one county, a live 低保 benefit each (its start row) and a confirmed
account each, then times two processes under /usr/bin/time -v:

    doudi payments roll --county 620422 --month 2027-01        (build + totals, one transaction)
    doudi payments export ROLL --bank csv --out …               (the GB18030 bank file, SHA-256)

(the roll is reviewed and released in between by two users, not timed) and prints wall, CPU and peak RSS.

Run: DOUDI_DB=postgres .venv/bin/python benchmarks/payments_roll.py [--households 100000]
     .venv/bin/python benchmarks/payments_roll.py --households 20000            (SQLite)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time

from common import DOUDI, OUT, load, machine, timed

DB = "doudi_bench_payments"
COUNTY = "620422"


def _card(n: int) -> str:
    from doudi.payments.banks import luhn_ok

    body = f"622848{n:012d}"
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def fill(n: int) -> None:
    from django.utils import timezone

    from doudi.accounts.models import User
    from doudi.benefits.models import Benefit, BenefitChange
    from doudi.payments.models import Account
    from doudi.registry.models import Household, Membership, Person
    from doudi.web.demo import GIVEN, SURNAMES, make_id_number

    rng = random.Random(11)
    clerk, _ = User.objects.get_or_create(username="bench_clerk")
    villages = [f"{COUNTY}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(20)]
    now, start = timezone.now(), dt.date(2026, 6, 1)
    step = 20_000
    for lo in range(0, n, step):
        k = min(step, n - lo)
        hhs = Household.objects.bulk_create(
            [Household(region_code=rng.choice(villages), county=COUNTY, residence=rng.choice(["urban", "rural"]),
                       address="1组1号") for _ in range(k)], batch_size=5000)
        people = []
        for i in range(k):
            seq = lo + i
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=seq // 400)
            people.append(Person(id_number=make_id_number(COUNTY, birth, "M", seq % 400),
                                 name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                                 name_initials="x", birth_date=birth, sex="M"))
        people = Person.objects.bulk_create(people, batch_size=5000)
        Membership.objects.bulk_create([Membership(household=h, person=p, relation="self", start=start)
                                        for h, p in zip(hhs, people, strict=True)], batch_size=5000)
        amounts = [rng.choice([30000, 45000, 60000, 72000]) for _ in range(k)]
        bens = Benefit.objects.bulk_create(
            [Benefit(household=h, region=h.region_code, program="dibao", amount_fen=a, start_month=start)
             for h, a in zip(hhs, amounts, strict=True)], batch_size=5000)
        BenefitChange.objects.bulk_create(
            [BenefitChange(benefit=b, kind="start", effective_month=start, amount_after_fen=a, status_after="active",
                           reasons="基准测试", at=now, on_date=start) for b, a in zip(bens, amounts, strict=True)],
            batch_size=5000)
        Account.objects.bulk_create(
            [Account(household=h, region=h.region_code, holder_name=p.name, bank="ABC", number=_card(lo + i),
                     state="active", entered_by=clerk, entered_at=now, confirmed_by=clerk, confirmed_at=now)
             for i, (h, p) in enumerate(zip(hhs, people, strict=True))], batch_size=5000)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = ap.parse_args()
    pg = os.environ.get("DOUDI_DB") in ("postgres", "postgresql", "pg")
    if pg:
        base = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
        os.environ["DOUDI_PG_URL"] = f"{base}/{DB}"
        import psycopg

        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
            if exists and not args.keep:
                conn.execute(f"DROP DATABASE {DB} WITH (FORCE)")
            if not exists or not args.keep:
                conn.execute(f"CREATE DATABASE {DB}")
        os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", "/tmp/doudi-bench-payments")
    else:
        os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME") or tempfile.mkdtemp(prefix="doudi-bench-payments-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from doudi.accounts.models import RoleAssignment, User
    from doudi.payments import services as s
    from doudi.payments.models import Roll
    from doudi.registry.models import Household

    call_command("migrate", verbosity=0)
    Roll.objects.all().delete() if args.keep else None
    if not Household.objects.exists():
        t = time.perf_counter()
        fill(args.households)
        if pg:
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"filled {args.households:,} recipients in {time.perf_counter() - t:.1f} s")
    print(f"machine: {machine()}; database: {connection.vendor}; {load()}")
    env = dict(os.environ)
    r = timed([DOUDI, "payments", "roll", "--county", COUNTY, "--month", "2027-01"], env=env)
    if r.returncode:
        print(r.stderr, file=sys.stderr)
        return r.returncode
    print(f"build + totals: wall {r.wall:.1f} s (CPU {r.cpu:.1f} s), peak RSS {r.peak_rss_mb:,.0f} MiB; {load()}")
    print("  " + r.stdout.strip().splitlines()[0])
    roll = Roll.objects.get(region=COUNTY, month=dt.date(2027, 1, 1))
    users = []
    for name in ("bench_f1", "bench_f2"):
        u, _ = User.objects.get_or_create(username=name)
        RoleAssignment.objects.get_or_create(user=u, role="finance_officer", area=COUNTY)
        users.append(u)
    s.review_roll(users[0], roll.pk)
    s.release_roll(users[1], roll.pk)
    OUT.mkdir(exist_ok=True)
    out = OUT / f"bank_{args.households}.csv"
    e = timed([DOUDI, "payments", "export", str(roll.pk), "--bank", "csv", "--out", str(out), "--as", "bench_f1"],
              env=env)
    if e.returncode:
        print(e.stderr, file=sys.stderr)
        return e.returncode
    print(f"export: wall {e.wall:.1f} s (CPU {e.cpu:.1f} s), peak RSS {e.peak_rss_mb:,.0f} MiB, "
          f"{out.stat().st_size / 2**20:.0f} MiB; {load()}")
    print(f"total build + totals + export: {r.wall + e.wall:.1f} s wall for {roll.payments_count:,} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
