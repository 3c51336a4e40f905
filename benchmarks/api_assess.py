"""Deciding households over HTTP (issue 16): `POST /api/v1/assess/` p50 ≤ 5 ms, and the batch form
≥ 20,000 households/s on 10,000 households.

    DOUDI_HOME=/tmp/bench-assess .venv/bin/python benchmarks/api_assess.py [--single 300] [--batch 10000]
    DOUDI_HOME=/tmp/bench-assess .venv/bin/python benchmarks/api_assess.py --http [--seconds 30]
        [--server gunicorn|waitress] [--workers 2] [--threads 8]
    DOUDI_DB=postgres DOUDI_PG_URL=postgres://postgres@127.0.0.1:5432/NAME ... (an existing database, migrated here)

Default (in process): through Django's test client in this process (the whole Django stack:
middleware, session authentication, DRF parsing, the area check, the policy core, the masking JSON
renderer; no socket and no HTTP server). CPU: process time of the request (this process does all
the server's work).

--http: over a socket, as a machine client calls it. The production server is started as
docs/deployment.md runs it (benchmarks/pages_load.py's server_command: gunicorn -w 2 --threads 8
--keep-alive 75 --timeout 120, DOUDI_PG_CONN_MAX_AGE=60 on PostgreSQL) on 127.0.0.1 on a free port;
an API token is issued to the user (doudi.logins.services.create, as `doudi token create` does)
and every request carries `Authorization: Token …` on one keep-alive connection (http.client);
a request without it is checked to be refused first. Each single series stops after --single
requests or --seconds, whichever comes first; the server's CPU (gunicorn's processes, not the
database's) is given per request. The audit rows the server wrote are counted from here.

Both: on the database of the settings (SQLite in DOUDI_HOME, default a temporary folder; or
PostgreSQL), as a county approver of Huining (620422). Single: the interfaces.md-like 3-person
urban household, once anonymous and once naming a person (an audit row written per request);
median and p95 of N requests after 20 warm-up requests. Batch: 10,000 synthetic Huining households
(1–5 members, random wages, urban and rural, no names), `trace: false`, best of 3; in process, the
policy core's share (assess_many alone) is printed beside it. The command and the load average
(`uptime`'s) are printed with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DOUDI_HOME", tempfile.mkdtemp(prefix="bench-assess-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

HOUSEHOLD = {"region": "620422", "residence": "urban", "date": "2023-06-01",
             "members": [{"relation": "self", "birth_date": "1980-01-01", "monthly_income": {"wages": 600}},
                         {"relation": "spouse", "birth_date": "1982-01-01"},
                         {"relation": "child", "birth_date": "2012-01-01"}]}
RELATIONS = ["spouse", "child", "child", "parent"]


def synthetic(n: int, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        size = rnd.randint(1, 5)
        members = [{"relation": "self", "birth_date": f"{rnd.randint(1945, 1995)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}",
                    "monthly_income": {"wages": rnd.choice([0, 0, 300, 600, 900, 1500, 3000])}}]
        for k in range(size - 1):
            members.append({"relation": RELATIONS[k], "birth_date": f"{rnd.randint(1950, 2020)}-0{rnd.randint(1, 9)}-15"})
        out.append({"region": "620422", "residence": rnd.choice(["urban", "rural"]), "date": "2024-06-01",
                    "members": members})
    return out


def named_household() -> dict:
    named = json.loads(json.dumps(HOUSEHOLD))
    named["members"][0]["name"] = "张某"
    return named


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def over_http(args, user) -> None:  # noqa: ANN001
    """--http: the production server (gunicorn as docs/deployment.md runs it) on 127.0.0.1, with an API token."""
    import http.client

    from common import load, machine
    from django.db import connections
    from pages_load import server_command, start_server, tree_cpu

    from doudi.accounts.models import AuditEntry
    from doudi.logins.services import create as create_token

    _token, key = create_token(user, "benchmarks/api_assess.py --http", days=1, by="benchmarks")
    headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
    audited_before = AuditEntry.objects.filter(action="assess").count()
    connections.close_all()  # the server's processes open their own
    port = free_port()
    env = dict(os.environ)
    env.setdefault("DOUDI_PG_CONN_MAX_AGE", "60")  # as docs/deployment.md's app.env
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(Path(__file__).resolve().parents[1]),
                                                      env.get("PYTHONPATH")]))
    kept = (f"DOUDI_PG_CONN_MAX_AGE={env['DOUDI_PG_CONN_MAX_AGE']}" if connections["default"].vendor == "postgresql"
            else f"DOUDI_SQLITE_CONN_MAX_AGE={env.get('DOUDI_SQLITE_CONN_MAX_AGE', '60 (the default)')}")
    print(f"server: {' '.join(server_command(args, port))} ({connections['default'].vendor}, {kept})")
    print(f"machine: {machine()}; before: {load()}", flush=True)
    server = start_server(args, env, port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def post(path: str, body: bytes) -> tuple[int, bytes]:
            conn.request("POST", path, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read()

        status, _ = post("/api/v1/assess/", json.dumps(HOUSEHOLD).encode())
        assert status == 200, status
        conn.request("POST", "/api/v1/assess/", body=json.dumps(HOUSEHOLD).encode(),
                     headers={"Content-Type": "application/json"})  # no token: refused
        r = conn.getresponse()
        r.read()
        assert r.status in (401, 403), r.status
        for label, doc in (("anonymous document", HOUSEHOLD), ("naming a person (audited)", named_household())):
            body = json.dumps(doc).encode()
            for _ in range(20):
                assert post("/api/v1/assess/", body)[0] == 200
            times = []
            deadline = time.perf_counter() + args.seconds
            cpu0 = tree_cpu(server)
            while len(times) < args.single and time.perf_counter() < deadline:
                t = time.perf_counter()
                status, content = post("/api/v1/assess/", body)
                times.append(time.perf_counter() - t)
                assert status == 200, content[:300]
            cpu = (tree_cpu(server) - cpu0) / len(times)
            decision = json.loads(content)
            assert decision["region"] == "620422" and "dibao" in decision["programs"], decision
            times.sort()
            print(f"single over HTTP, {label}: p50 {statistics.median(times) * 1000:.2f} ms, "
                  f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms, server CPU {cpu * 1000:.2f} ms a request "
                  f"({len(times)} requests on one keep-alive connection; {load()})", flush=True)
        audited = AuditEntry.objects.filter(action="assess").count() - audited_before
        assert audited == 20 + len(times), audited  # one per request naming a person, none for the others
        print(f"  audit rows written by the server: {audited} (one per request naming a person)")
        docs = synthetic(args.batch)
        body = json.dumps({"households": docs, "trace": False}).encode()
        print(f"batch body: {len(body) / 1e6:.2f} MB, {sum(len(d['members']) for d in docs):,} persons")
        best = best_cpu = float("inf")
        for _ in range(3):
            t, cpu0 = time.perf_counter(), tree_cpu(server)
            status, content = post("/api/v1/assess/batch/", body)
            best = min(best, time.perf_counter() - t)
            best_cpu = min(best_cpu, tree_cpu(server) - cpu0)
            assert status == 200, content[:300]
        assert json.loads(content)["count"] == args.batch
        print(f"batch of {args.batch:,} over HTTP, trace false: {best:.3f} s = {args.batch / best:,.0f} households/s "
              f"(response {len(content) / 1e6:.2f} MB; server CPU {best_cpu:.3f} s; best of 3; {load()})")
        conn.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--single", type=int, default=300)
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--http", action="store_true",
                    help="over a socket to the production server (gunicorn) with an API token")
    ap.add_argument("--seconds", type=float, default=30, help="--http: at most this long for each single series")
    ap.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    ap.add_argument("--workers", type=int, default=2, help="--http: gunicorn's worker processes")
    ap.add_argument("--threads", type=int, default=8, help="--http: threads per worker")
    args = ap.parse_args()
    db = [f"DOUDI_DB={os.environ['DOUDI_DB']}"] if os.environ.get("DOUDI_DB") else []
    print("command:", " ".join([*db, Path(sys.executable).name, *sys.argv]))
    call_command("migrate", verbosity=0)
    from django.test import Client

    from doudi.accounts.models import AuditEntry, RoleAssignment, User
    from doudi.params.store import current_policy
    from doudi.policy.engine import assess_many

    user, _ = User.objects.get_or_create(username="bench-assess", defaults={"full_name": "bench"})
    RoleAssignment.objects.get_or_create(user=user, role="county_approver", area="620422")
    if args.http:
        over_http(args, user)
        return
    c = Client()
    c.force_login(user)

    for label, doc in (("anonymous document", HOUSEHOLD), ("naming a person (audited)", named_household())):
        body = json.dumps(doc)
        for _ in range(20):
            assert c.post("/api/v1/assess/", body, content_type="application/json").status_code == 200
        times, cpus = [], []
        for _ in range(args.single):
            t, u = time.perf_counter(), time.process_time()
            r = c.post("/api/v1/assess/", body, content_type="application/json")
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - u)
            assert r.status_code == 200
        times.sort()
        print(f"single, {label}: p50 {statistics.median(times) * 1000:.2f} ms, "
              f"p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms, CPU p50 {statistics.median(cpus) * 1000:.2f} ms "
              f"({args.single} requests; load {os.getloadavg()[0]:.2f})", flush=True)
    print(f"  audit rows written: {AuditEntry.objects.filter(action='assess').count()}")
    from doudi.policy.engine import assess

    policy = current_policy()
    core_times = []
    for _ in range(args.single):
        t = time.perf_counter()
        assess(HOUSEHOLD, policy=policy)
        core_times.append(time.perf_counter() - t)
    print(f"  policy core alone (doudi.policy.engine.assess, traced): p50 {statistics.median(core_times) * 1000:.2f} ms")

    docs = synthetic(args.batch)
    body = json.dumps({"households": docs, "trace": False})
    print(f"batch body: {len(body) / 1e6:.2f} MB, {sum(len(d['members']) for d in docs):,} persons")
    best = core = best_cpu = float("inf")
    for _ in range(3):
        t, u = time.perf_counter(), time.process_time()
        r = c.post("/api/v1/assess/batch/", body, content_type="application/json")
        best = min(best, time.perf_counter() - t)
        best_cpu = min(best_cpu, time.process_time() - u)
        assert r.status_code == 200, r.content[:300]
        t = time.perf_counter()
        assess_many(docs, policy=current_policy())
        core = min(core, time.perf_counter() - t)
    assert r.json()["count"] == args.batch
    print(f"batch of {args.batch:,}, trace false: {best:.3f} s = {args.batch / best:,.0f} households/s, "
          f"CPU {best_cpu:.3f} s = {args.batch / best_cpu:,.0f} households/s of CPU "
          f"(policy core alone {core:.3f} s = {args.batch / core:,.0f}/s; best of 3; load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
