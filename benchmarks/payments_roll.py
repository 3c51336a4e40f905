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

DB = os.environ.get("DOUDI_BENCH_DB", "payments_bench")
COUNTY = "620422"


def _card(n: int) -> str:
    """A 19-digit card number with its Luhn check digit computed."""
    body = f"622848{n:012d}"
    total = 0
    for i, ch in enumerate(reversed(body)):  # the check digit will be at position 0 from the right
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def fill(n: int) -> None:
    """N one-person households with a person, a membership, a live 低保 benefit (its start row) and a
    confirmed account each, written as plain rows with explicit ids: COPY on PostgreSQL, executemany
    on SQLite (Django objects would take minutes for a million)."""
    from django.db import connection
    from django.utils import timezone

    from doudi.accounts.models import User
    from doudi.web.demo import GIVEN, SURNAMES, make_id_number

    rng = random.Random(11)
    clerk, _ = User.objects.get_or_create(username="bench_clerk")
    villages = [f"{COUNTY}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(20)]
    now, start = timezone.now(), dt.date(2026, 6, 1)
    pg = connection.vendor == "postgresql"
    tables = {
        "registry_household": ("id", "region_code", "county", "residence", "address", "phone", "facts", "created_at",
                               "updated_at", "version"),
        "registry_person": ("id", "id_number", "name", "name_initials", "sex", "birth_date", "ethnic_minority", "phone",
                            "facts", "created_at", "updated_at"),
        "registry_membership": ("id", "household_id", "person_id", "relation", "start", "end", "end_reason", "note"),
        "benefits_benefit": ("id", "household_id", "person_id", "region", "program", "amount_fen", "start_month",
                             "status", "cycle", "income_unstable", "next_review_on", "decision_app", "decision_model",
                             "decision_pk", "assessment", "parameters", "household_document", "exit_first_month",
                             "exit_months", "end_month", "last_month", "version", "created_at"),
        "benefits_benefitchange": ("id", "benefit_id", "kind", "effective_month", "amount_before_fen",
                                   "amount_after_fen", "status_before", "status_after", "reasons", "figures", "source",
                                   "actor_id", "at", "on_date"),
        "payments_account": ("id", "household_id", "person_id", "region", "holder_kind", "holder_name", "bank",
                             "branch", "number", "yikatong", "state", "reason", "entered_by_id", "entered_at",
                             "confirmed_by_id", "confirmed_at"),
    }
    with connection.cursor() as c:
        base = {}
        for t in tables:
            c.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}")
            base[t] = int(c.fetchone()[0])
    step = 50_000
    for lo in range(0, n, step):
        rows: dict[str, list[tuple]] = {t: [] for t in tables}
        for seq in range(lo, min(n, lo + step)):
            hh, pid = base["registry_household"] + seq + 1, base["registry_person"] + seq + 1
            bid = base["benefits_benefit"] + seq + 1
            village = rng.choice(villages)
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=seq // 400)
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            amount = rng.choice([30000, 45000, 60000, 72000])
            rows["registry_household"].append((hh, village, COUNTY, rng.choice(["urban", "rural"]), "1组1号", "", "{}",
                                               now, now, 1))
            rows["registry_person"].append((pid, make_id_number(COUNTY, birth, "M", seq % 400), name, "x", "M", birth,
                                            False, "", "{}", now, now))
            rows["registry_membership"].append((base["registry_membership"] + seq + 1, hh, pid, "self", start, None,
                                                "", ""))
            rows["benefits_benefit"].append((bid, hh, None, village, "dibao", amount, start, "active", "yearly", False,
                                             None, "", "", "", "{}", "[]", "{}", None, None, None, None, 0, now))
            rows["benefits_benefitchange"].append((base["benefits_benefitchange"] + seq + 1, bid, "start", start, 0,
                                                   amount, "", "active", "基准测试", "{}", "", None, now, start))
            rows["payments_account"].append((base["payments_account"] + seq + 1, hh, None, village, "self", name, "ABC",
                                             "", _card(seq), False, "active", "", clerk.pk, now, clerk.pk, now))
        with connection.cursor() as c:
            for t, cols in tables.items():
                names = ", ".join(f'"{x}"' for x in cols)
                if pg:
                    with c.cursor.copy(f"COPY {t} ({names}) FROM STDIN") as copy:
                        for r in rows[t]:
                            copy.write_row(r)
                else:
                    c.executemany(f"INSERT INTO {t} ({names}) VALUES ({', '.join(['%s'] * len(cols))})", rows[t])
    if pg:
        with connection.cursor() as c:
            for t in tables:
                c.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")


class DbCpu:
    """The CPU time of this database's server processes (PostgreSQL backends, found by the database name in
    their process title), sampled every 0.2 s while a command runs: the build's work is done there, not in
    the client, so the client's CPU says little. The last ≤ 0.2 s of a backend that exits may be missed."""

    def __init__(self) -> None:
        import threading

        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    title = f.read().decode(errors="replace")
                if f" {DB} " not in title:
                    continue
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[int(pid)] = (int(fields[11]) + int(fields[12])) / tick

    def _run(self) -> None:
        while not self.stop.is_set():
            self._sample()
            self.stop.wait(0.2)

    def __enter__(self) -> DbCpu:
        self._sample()
        self.before = dict(self.seen)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()
        self.cpu = sum(v - self.before.get(pid, 0.0) for pid, v in self.seen.items())


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--households", type=int, default=100_000)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database")
    ap.add_argument("--fill-only", action="store_true", help="fill the database and stop (time it later with --keep)")
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
    from doudi.payments.models import BankExport, Roll
    from doudi.registry.models import Household

    call_command("migrate", verbosity=0)
    if args.keep:  # a kept database: the earlier run's roll and its bank files go
        BankExport.objects.all().delete()
        Roll.objects.all().delete()
    if not Household.objects.exists():
        t = time.perf_counter()
        fill(args.households)
        if pg:
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
        print(f"filled {args.households:,} recipients in {time.perf_counter() - t:.1f} s", flush=True)
    if args.fill_only:
        return 0
    print(f"machine: {machine()}; database: {connection.vendor}; {load()}")
    env = dict(os.environ)
    with DbCpu() as rdb:
        r = timed([DOUDI, "payments", "roll", "--county", COUNTY, "--month", "2027-01"], env=env)
    if r.returncode:
        print(r.stderr, file=sys.stderr)
        return r.returncode
    db_cpu = f", database CPU {rdb.cpu:.1f} s" if pg else ""
    print(f"build + totals: wall {r.wall:.1f} s (CPU {r.cpu:.1f} s{db_cpu}), peak RSS {r.peak_rss_mb:,.0f} MiB; {load()}")
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
    with DbCpu() as edb:
        e = timed([DOUDI, "payments", "export", str(roll.pk), "--bank", "csv", "--out", str(out), "--as",
                   "bench_f1"], env=env)
    if e.returncode:
        print(e.stderr, file=sys.stderr)
        return e.returncode
    db_cpu = f", database CPU {edb.cpu:.1f} s" if pg else ""
    print(f"export: wall {e.wall:.1f} s (CPU {e.cpu:.1f} s{db_cpu}), peak RSS {e.peak_rss_mb:,.0f} MiB, "
          f"{out.stat().st_size / 2**20:.0f} MiB; {load()}")
    print(f"total build + totals + export: {r.wall + e.wall:.1f} s wall for {roll.payments_count:,} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
