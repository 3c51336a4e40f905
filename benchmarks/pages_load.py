"""Every list and worklist page under load (issue 16): 50 concurrent users against the production
server on PostgreSQL holding 1,000,000 persons.

1. Seeds PostgreSQL (database `doudi_bench_load_hardening`, re-created unless --keep) with COPY:
   4 counties of 甘肃省, 100,000 households each in 200 villages of 10 townships (2–3 members,
   1,000,000 persons in all, each with a valid synthetic ID number and pinyin initials), one 低保
   case for every fourth household in one of the procedure's states.
2. Counts the SQL queries of each page for each user (Django's CaptureQueriesContext, in this
   process) — a page whose query count grows with its rows would show here.
3. Starts the production server as docs/deployment.md runs it (gunicorn -w 2 --threads 8, persistent
   database connections; or --server waitress --threads 16) on 127.0.0.1, and drives it for --seconds with
   --users concurrent users (threads of this process, each logged in as one of the staff below, in
   a loop: a page, then a think time of --think seconds on average), then stops it.
4. Prints, per page, its queries, its time alone (one request at a time, before the load), then
   under load the number of requests, p50, p95 and the largest; the server's CPU time and the load
   average before and after.

Users: county approvers of two counties (each sees 100,000 households), township caseworkers and
reviewers (each sees one township: 10,000 households), a village assistant, an auditor.

Run (PostgreSQL on 127.0.0.1, user postgres, trust):
  DOUDI_DB=postgres .venv/bin/python benchmarks/pages_load.py [--persons 1000000] [--keep] [--users 50]
      [--seconds 60] [--think 1.0] [--server gunicorn|waitress] [--workers 2] [--threads 8] [--db NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import io
import os
import random
import statistics
import subprocess
import sys
import threading
import time

from common import ROOT, load, machine

DB = "doudi_bench_load_hardening"
COUNTIES = ["620422", "620423", "620421", "620402"]
PORT = 8765
PAGES = [  # (label, path): every list and worklist page of the apps
    ("工作台 worklist", "/cases/worklist/"),
    ("家庭列表 households", "/registry/households/"),
    ("家庭查找 households ?q=", "/registry/households/?q={initials}"),
    ("低保案件 cases", "/cases/"),
    ("低保案件 filtered", "/cases/?state=submitted&village={village}"),
    ("待遇 benefits list", "/benefits/list/"),
    ("待遇 worklist", "/benefits/worklist/"),
    ("特困 support cases", "/support/cases/"),
    ("临时救助 relief cases", "/relief/cases/"),
    ("监测预警 warnings", "/monitoring/warnings/"),
    ("低收入人口 register", "/monitoring/register/"),
    ("支付 worklist", "/payments/worklist/"),
    ("账户 accounts", "/payments/accounts/"),
    ("亲属关联请求 kin requests", "/registry/kin-requests/"),
]
STAFF = [  # username, role, area
    ("load_approver_1", "county_approver", "620422"),
    ("load_approver_2", "county_approver", "620423"),
    *[(f"load_caseworker_{t}", "township_caseworker", f"620422{100 + t:03d}") for t in range(5)],
    *[(f"load_reviewer_{t}", "township_reviewer", f"620423{100 + t:03d}") for t in range(3)],
    ("load_assistant", "village_assistant", "620422100201"),
    ("load_auditor", "auditor", "620422"),
    ("load_finance", "finance_officer", "620422"),  # the only role with the 支付 worklist
]


def _defaults(cur, table: str, given: list[str]) -> tuple[list[str], list]:
    """The NOT NULL columns of ``table`` that have no database default and are not given, with a
    value of their type (Django's defaults live in Python, so COPY must give them)."""
    cur.execute("""SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s
                   AND is_nullable = 'NO' AND column_default IS NULL AND is_identity = 'NO'""", (table,))
    now = dt.datetime.now(dt.UTC)
    by_type = {"character varying": "", "text": "", "integer": 0, "bigint": 0, "smallint": 0, "boolean": False,
               "date": dt.date(2024, 1, 1), "timestamp with time zone": now, "jsonb": "{}", "numeric": 0}
    cols, values = [], []
    for name, type_ in cur.fetchall():
        if name in given or name == "id":
            continue
        cols.append(name)
        values.append("[]" if name in ("missing_materials",) else by_type.get(type_, ""))
    return cols, values


def _copy(cur, table: str, cols: list[str], rows) -> int:
    extra, fill = _defaults(cur, table, cols)
    n = 0
    with cur.copy(f"COPY {table} ({', '.join(cols + extra)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row((*row, *fill))
            n += 1
    return n


def seed(conn, persons: int, offset: int = 0) -> None:
    """``offset``: the keys of the households and persons start after it (rows already in the database)."""
    from pypinyin import Style, lazy_pinyin

    from doudi.policy.identity import check_character
    from doudi.web.demo import GIVEN, SURNAMES

    rng = random.Random(16)
    letters = {ch: (lazy_pinyin(ch, style=Style.FIRST_LETTER) or [""])[0][:1].lower()
               for ch in set("".join(SURNAMES) + "".join(GIVEN))}
    per_county = persons // len(COUNTIES)
    households: list[tuple[int, str, str]] = []  # (id, region, residence)
    members: list[tuple[int, int, str]] = []  # (person id, household id, relation)
    people = []
    pid, hid = offset, offset
    now = dt.datetime.now(dt.UTC)
    for county in COUNTIES:
        villages = [f"{county}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(20)]
        k = 0
        while k < per_county:
            hid += 1
            households.append((hid, villages[hid % len(villages)], "urban" if hid % 3 else "rural"))
            surname = SURNAMES[hid % len(SURNAMES)]
            size = min(2 + (hid % 2), per_county - k)
            for j in range(size):
                pid += 1
                birth = dt.date(1940, 1, 1) + dt.timedelta(days=k // 1000)
                order = k % 1000
                first17 = f"{county}{birth:%Y%m%d}{order:03d}"
                name = surname + "".join(rng.choice(GIVEN) for _ in range(2))
                people.append((pid, first17 + check_character(first17), name,
                               "".join(letters.get(c, "") for c in name), "M" if order % 2 else "F", birth,
                               False, "", "{}", now, now))
                members.append((pid, hid, "self" if j == 0 else ("spouse" if j == 1 else "child")))
                k += 1
    with conn.cursor() as cur:
        t = time.perf_counter()
        _copy(cur, "registry_household", ["id", "region_code", "county", "residence", "address", "phone", "facts",
                                          "created_at", "updated_at", "version"],
              ((h, r, r[:6], res, f"{h % 30 + 1}组{h % 99 + 1}号", "", "{}", now, now, 1)
               for h, r, res in households))
        _copy(cur, "registry_person", ["id", "id_number", "name", "name_initials", "sex", "birth_date",
                                       "ethnic_minority", "phone", "facts", "created_at", "updated_at"], people)
        _copy(cur, "registry_membership", ["person_id", "household_id", "relation", "start", "end_reason", "note"],
              ((p, h, rel, dt.date(2015, 1, 1), "", "") for p, h, rel in members))
        head = {h: people[p - 1 - offset][2] for p, h, rel in members if rel == "self"}
        states = ["submitted", "accepted", "investigated", "verified", "at_county", "approved", "approved", "approved"]
        today = dt.date.today()
        _copy(cur, "cases_case", ["number", "household_id", "region", "applicant_name", "state", "submitted_on"],
              ((f"DB{r[:6]}{today.year}{h:07d}", h, r, head[h], states[(h // 4) % len(states)],
                today - dt.timedelta(days=h % 300)) for h, r, _res in households[::4]))
        for table in ("registry_household", "registry_person", "registry_membership", "cases_case"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        cur.execute("VACUUM ANALYZE")  # what autovacuum does soon after: visibility map, statistics
        print(f"seeded {len(households):,} households, {len(people):,} persons, {len(households[::4]):,} cases "
              f"by COPY in {time.perf_counter() - t:.1f} s", flush=True)


def sessions() -> dict[str, str]:
    """Each staff member's session cookie (a real login session in the database)."""
    from django.test import Client

    from doudi.accounts.models import RoleAssignment, User

    out = {}
    for username, role, area in STAFF:
        user, _ = User.objects.get_or_create(username=username, defaults={"full_name": username})
        RoleAssignment.objects.get_or_create(user=user, role=role, area=area)
        c = Client()
        c.force_login(user)
        out[username] = c.cookies["sessionid"].value
    return out


def fill_path(path: str, username: str) -> str:
    from doudi.registry.models import Person

    area = dict((u, a) for u, _r, a in STAFF)[username]
    village = area if len(area) == 12 else f"{area[:6]}{area[6:9] or '100'}201"
    person = Person.objects.filter(memberships__household__region_code=village).only("name_initials").first()
    return path.format(initials=person.name_initials if person else "zs", village=village)


def count_queries(paths: dict[str, dict[str, str]]) -> dict[str, list[int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from doudi.accounts.models import User

    out: dict[str, list[int]] = {}
    for username, _role, _area in STAFF:
        c = Client()
        c.force_login(User.objects.get(username=username))
        for label, _p in PAGES:
            with CaptureQueriesContext(connection) as q:
                r = c.get(paths[username][label])
            if r.status_code == 200:
                out.setdefault(label, []).append(len(q.captured_queries))
    return out


def server_command(args, port: int = PORT) -> list[str]:
    """The production server's command line as docs/deployment.md runs it (args: server, workers, threads)."""
    venv = ROOT / ".venv" / "bin"
    if args.server == "gunicorn":
        # as docs/deployment.md runs it; keep-alive beyond the think time (gunicorn's default of 2 s closes a
        # user's connection between two pages, as nginx's upstream keepalive would not)
        cmd = [venv / "gunicorn", "-w", str(args.workers), "--threads", str(args.threads), "-b", f"127.0.0.1:{port}",
               "--keep-alive", "75", "--timeout", "120", "--access-logfile", "/dev/null",
               "doudi.web.wsgi:application"]
    else:
        cmd = [venv / "waitress-serve", f"--listen=127.0.0.1:{port}", f"--threads={args.threads}",
               "--connection-limit=200", "doudi.web.wsgi:application"]
    return [str(x) for x in cmd]


def start_server(args, env: dict, port: int = PORT) -> subprocess.Popen:
    """The production server (server_command) on 127.0.0.1:port, once it answers /login/."""
    proc = subprocess.Popen(server_command(args, port), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/login/")
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start: " + proc.stderr.read().decode()[-2000:])


def tree_cpu(proc: subprocess.Popen) -> float:
    import psutil

    p = psutil.Process(proc.pid)
    total = 0.0
    for q in [p, *p.children(recursive=True)]:
        try:
            t = q.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def db_cpu() -> float:
    """CPU seconds of the PostgreSQL backends connected to the benchmark's database (the server's threads keep
    theirs, DOUDI_PG_CONN_MAX_AGE; a backend that ended is no longer counted, so this is a lower bound)."""
    import psutil

    total = 0.0
    for q in psutil.process_iter(["cmdline"]):
        try:
            cmd = " ".join(q.info["cmdline"] or [])
            if cmd.startswith("postgres:") and f" {DB} " in cmd:
                t = q.cpu_times()
                total += t.user + t.system
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


def drive(args, cookies: dict[str, str], paths: dict[str, dict[str, str]]) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {label: [] for label, _p in PAGES}
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + args.seconds
    names = [u for u, _r, _a in STAFF]

    def user(k: int) -> None:
        rng = random.Random(k)
        username = names[k % len(names)]
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        time.sleep(rng.uniform(0, args.think))  # users arrive spread over the first think time
        while time.perf_counter() < deadline:
            label, _p = PAGES[rng.randrange(len(PAGES))]
            t = time.perf_counter()
            try:
                conn.request("GET", paths[username][label], headers={"Cookie": f"sessionid={cookies[username]}"})
                r = conn.getresponse()
                r.read()
                status = r.status
            except (OSError, http.client.HTTPException) as exc:
                status = repr(exc)
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            took = time.perf_counter() - t
            with lock:
                if status == 200:
                    results[label].append(took)
                elif status != 403:  # a page of an app the user's role does not use
                    errors.append(f"{label} {username}: {status}")
            time.sleep(rng.expovariate(1 / args.think) if args.think else 0)
        conn.close()

    threads = [threading.Thread(target=user, args=(k,)) for k in range(args.users)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return results


def one_at_a_time(cookies: dict[str, str], paths: dict[str, dict[str, str]], server: subprocess.Popen,
                  repeat: int = 5) -> tuple[dict[str, float], dict[str, float]]:
    """Each page alone (one request at a time), as a county approver and a township caseworker: the
    median over both of `repeat` requests each, after one to warm up; and the server's CPU time per
    request of those (the web server's processes only, not PostgreSQL's) — both fair on a loaded machine."""
    out: dict[str, float] = {}
    cpu_of: dict[str, float] = {}
    db_of: dict[str, float] = {}
    for label, _p in PAGES:
        times = []
        cpu = db = 0.0
        for username in ("load_approver_1", "load_caseworker_0"):
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
            for k in range(repeat + 1):
                t, c0, d0 = time.perf_counter(), tree_cpu(server), db_cpu()
                conn.request("GET", paths[username][label], headers={"Cookie": f"sessionid={cookies[username]}"})
                r = conn.getresponse()
                r.read()
                took = time.perf_counter() - t
                if k and r.status == 200:
                    times.append(took)
                    cpu += tree_cpu(server) - c0
                    db += db_cpu() - d0
            conn.close()
        if times:
            out[label] = statistics.median(times)
            cpu_of[label] = cpu / len(times)
            db_of[label] = db / len(times)
    return out, cpu_of, db_of


def main() -> int:
    global DB
    ap = argparse.ArgumentParser()
    ap.add_argument("--persons", type=int, default=1_000_000)
    ap.add_argument("--keep", action="store_true", help="reuse the seeded database")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--think", type=float, default=1.0, help="mean think time between a user's pages, seconds")
    ap.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker (waitress: in all)")
    ap.add_argument("--server", choices=["waitress", "gunicorn"], default="gunicorn")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes")
    ap.add_argument("--db", default=DB, help=f"the PostgreSQL database (default {DB}; with --keep, one already "
                                               "filled, e.g. by benchmarks/worklist_cpu.py)")
    args = ap.parse_args()
    DB = args.db
    if os.environ.get("DOUDI_DB") not in ("postgres", "postgresql", "pg"):
        print("run with DOUDI_DB=postgres (the figures are for PostgreSQL)", file=sys.stderr)
        return 2
    base = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    os.environ["DOUDI_PG_URL"] = f"{base}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", "/tmp/doudi-bench-load-hardening")
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if exists and not args.keep:
            conn.execute(f"DROP DATABASE {DB} WITH (FORCE)")
        if not exists or not args.keep:
            conn.execute(f"CREATE DATABASE {DB}")
        conn.execute(f"ALTER DATABASE {DB} SET random_page_cost = 1.1")  # SSD, as docs/deployment.md says
    import django

    django.setup()
    from django.core.management import call_command

    from doudi.registry.models import Person

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if not Person.objects.exists():
        with psycopg.connect(f"{base}/{DB}", autocommit=True) as conn:
            seed(conn, args.persons)
    print(f"persons in the database: {Person.objects.count():,}")
    cookies = sessions()
    paths = {u: {label: fill_path(p, u) for label, p in PAGES} for u, _r, _a in STAFF}
    queries = count_queries(paths)
    from django.db import connections

    connections.close_all()
    env = dict(os.environ)
    env.setdefault("DOUDI_PG_CONN_MAX_AGE", "60")  # as docs/deployment.md's app.env: one connection per server thread
    print(f"machine: {machine()}; before: {load()}")
    server = start_server(args, env)
    try:
        alone, alone_cpu, alone_db = one_at_a_time(cookies, paths, server)
        cpu0, db0, t0 = tree_cpu(server), db_cpu(), time.perf_counter()
        results = drive(args, cookies, paths)
        wall, cpu, dbc = time.perf_counter() - t0, tree_cpu(server) - cpu0, db_cpu() - db0
    finally:
        server.terminate()
        server.wait(timeout=30)
    total = sum(len(v) for v in results.values())
    print(f"after: {load()}")
    print(f"{args.users} users, think time {args.think} s on average, {wall:.0f} s, {args.server} "
          f"({'workers ' + str(args.workers) + ', ' if args.server == 'gunicorn' else ''}threads {args.threads}, "
          f"DOUDI_PG_CONN_MAX_AGE={env['DOUDI_PG_CONN_MAX_AGE']}): "
          f"{total:,} pages answered ({total / wall:.1f}/s); server CPU {cpu:.1f} s ({cpu / wall * 100:.0f} % of one core, "
          f"{cpu / max(total, 1) * 1000:.1f} ms a page); PostgreSQL CPU ≥ {dbc:.1f} s ({dbc / max(total, 1) * 1000:.1f} ms a page)")
    print(f"{'page':<28} {'queries':>9} {'alone ms':>9} {'CPU ms':>7} {'PG ms':>6} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    worst = 0.0
    for label, _p in PAGES:
        v = sorted(results[label])
        q = queries.get(label, [])
        qs = f"{min(q)}–{max(q)}" if q else "—"
        one = f"{alone[label] * 1000:.0f}" if label in alone else "—"
        one_cpu = f"{alone_cpu[label] * 1000:.0f}" if label in alone_cpu else "—"
        one_db = f"{alone_db[label] * 1000:.0f}" if label in alone_db else "—"
        if not v:
            print(f"{label:<28} {qs:>9} {one:>9} {one_cpu:>7} {one_db:>6} {0:>6}")
            continue
        p95 = v[min(len(v) - 1, int(0.95 * len(v)))]
        worst = max(worst, p95)
        print(f"{label:<28} {qs:>9} {one:>9} {one_cpu:>7} {one_db:>6} {len(v):>6} {statistics.median(v) * 1000:8.0f} {p95 * 1000:8.0f} "
              f"{v[-1] * 1000:8.0f}")
    print(f"largest p95: {worst * 1000:.0f} ms (goal ≤ 150 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
