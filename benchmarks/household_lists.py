"""The shared lists and the household file on a county of 20,000 households (issue 9).

Fills PostgreSQL (database `doudi_bench_lists`, re-created) with one county's households — 20,000
households in 200 villages of 10 townships, 2–4 members each, a 低保 case for every fourth — then
times, for the county approver (the widest area that uses these pages):

- GET /registry/households/             (first page of 50 of all households)
- GET /registry/households/?q=<initials> (search by pinyin initials over every member)
- GET /cases/?village=<code>&state=…    (filters)
- GET /registry/households/?format=xlsx (the Excel export of all 20,000 rows, audited)
- GET /registry/households/<pk>/        (the household file: every app's sections)

and prints the median of --repeat requests each (the export: of 3).

Run (PostgreSQL on 127.0.0.1): DOUDI_DB=postgres .venv/bin/python benchmarks/household_lists.py [--households 20000]
[--keep: reuse the filled database]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time

from common import load, machine

DB = "doudi_bench_lists"
COUNTY = "620422"


def fill(n: int) -> None:
    from pypinyin import Style, lazy_pinyin

    from doudi.cases.models import Case
    from doudi.registry.models import Household, Membership, Person
    from doudi.web.demo import GIVEN, SURNAMES, make_id_number

    rng = random.Random(9)
    today = dt.date.today()
    villages = [f"{COUNTY}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(20)]
    households = Household.objects.bulk_create(
        [Household(region_code=rng.choice(villages), county=COUNTY, residence=rng.choice(["urban", "rural"]),
                   address=f"{rng.randint(1, 30)}组{rng.randint(1, 99)}号") for _ in range(n)], batch_size=2000)
    persons, links, seq, taken = [], [], 0, set()
    for hh in households:
        surname = rng.choice(SURNAMES)
        for k in range(rng.choice([2, 3, 3, 4])):
            number = ""
            while not number or number in taken:  # a valid synthetic ID number not given yet
                seq += 1
                sex = rng.choice("MF")
                birth = dt.date(rng.randint(1940, 2015), rng.randint(1, 12), rng.randint(1, 28))
                number = make_id_number(COUNTY, birth, sex, seq)
            taken.add(number)
            name = surname + "".join(rng.choice(GIVEN) for _ in range(2))
            persons.append(Person(id_number=number, name=name, sex=sex,
                                  birth_date=birth, name_initials="".join(
                                      s[:1] for s in lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()))
            links.append((hh, "self" if k == 0 else rng.choice(["spouse", "child", "parent"])))
    persons = Person.objects.bulk_create(persons, batch_size=5000, ignore_conflicts=False)
    Membership.objects.bulk_create([Membership(household=hh, person=p, relation=rel, start=dt.date(2015, 1, 1))
                                    for p, (hh, rel) in zip(persons, links, strict=True)], batch_size=5000)
    heads = {m.household_id: m.person.name for m in Membership.objects.filter(relation="self").select_related("person")}
    Case.objects.bulk_create([Case(number=f"DB{COUNTY}{today.year}{i:06d}", household=hh, region=hh.region_code,
                                   applicant_name=heads[hh.pk], state=rng.choice(["submitted", "accepted", "approved"]),
                                   submitted_on=today - dt.timedelta(days=rng.randint(0, 300)))
                              for i, hh in enumerate(households[::4], start=1)], batch_size=2000)


def timed(c, url: str, repeat: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        r = c.get(url)
        size = len(r.content)
        times.append(time.perf_counter() - t)
        assert r.status_code == 200, (url, r.status_code)
    return statistics.median(times), size


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=9)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database")
    args = ap.parse_args()
    if os.environ.get("DOUDI_DB") not in ("postgres", "postgresql", "pg"):
        print("run with DOUDI_DB=postgres (the figures are for PostgreSQL)", file=sys.stderr)
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
    os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", "/tmp/doudi-bench-lists")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from doudi.accounts.models import RoleAssignment, User
    from doudi.registry.models import Household

    call_command("migrate", verbosity=0)
    if not Household.objects.exists():
        t = time.perf_counter()
        fill(args.households)
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
        print(f"filled {args.households:,} households in {time.perf_counter() - t:.1f} s")
    args.households = Household.objects.count()
    user, _ = User.objects.get_or_create(username="bench_approver")
    RoleAssignment.objects.get_or_create(user=user, role="county_approver", area=COUNTY)
    c = Client()
    c.force_login(user)
    hh = Household.objects.order_by("pk")[args.households // 2]
    initials = hh.memberships.first().person.name_initials
    print(f"machine: {machine()}; {load()}")
    for label, url, n in (
            ("household list, first page", "/registry/households/", args.repeat),
            (f"household search q={initials}", f"/registry/households/?q={initials}", args.repeat),
            ("低保 cases, village + state", f"/cases/?village={hh.region_code}&state=approved", args.repeat),
            ("household file", f"/registry/households/{hh.pk}/", args.repeat),
            (f"Excel export of all {args.households:,} households", "/registry/households/?format=xlsx", 3)):
        median, size = timed(c, url, n)
        print(f"{label:<44} median {median * 1000:7.0f} ms over {n}  ({size / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
