"""One household over HTTP, two code trees side by side (a speed change measured on a shared machine).

    DOUDI_DB=postgres DOUDI_PG_URL=postgres://postgres@127.0.0.1:5432/NAME \
        .venv/bin/python benchmarks/api_pair.py ROOT_A ROOT_B [N]

Two production servers (gunicorn 2 x 8 with DOUDI_PG_CONN_MAX_AGE=60, as docs/deployment.md and
api_assess.py --http run it), one on each tree (each with its own .venv link), on the same database and
user (a county approver of Huining with an API token); requests alternate A B, B A, ... on one keep-alive
connection each, so that both see the same load however it varies. For api_assess.py's anonymous and
audited documents: both answers are checked to be the same bytes, 30 warm-up requests each, then N
(default 1000) each; p50 and p95 of each tree.
"""

import http.client
import json
import os
import statistics
import subprocess
import sys
import time

A, B = sys.argv[1], sys.argv[2]
N = int(sys.argv[3]) if len(sys.argv) > 3 else 1000
sys.path.insert(0, B)
sys.path.insert(0, B + "/benchmarks")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
import django  # noqa: E402

django.setup()
from django.core.management import call_command  # noqa: E402

call_command("migrate", verbosity=0)
import api_assess  # noqa: E402
from django.db import connections  # noqa: E402

from doudi.accounts.models import AuditEntry, RoleAssignment, User  # noqa: E402
from doudi.logins.services import create as create_token  # noqa: E402

user, _ = User.objects.get_or_create(username="bench-assess", defaults={"full_name": "bench"})
RoleAssignment.objects.get_or_create(user=user, role="county_approver", area="620422")
_t, key = create_token(user, "benchmarks/api_pair.py", days=1, by="benchmarks")
before = AuditEntry.objects.filter(action="assess").count()
connections.close_all()
servers, conns = {}, {}
for tag, root, port in (("A", A, api_assess.free_port()), ("B", B, None)):
    port = port or api_assess.free_port()
    env = dict(os.environ, DOUDI_PG_CONN_MAX_AGE="60", PYTHONPATH=root)
    cmd = [f"{root}/.venv/bin/gunicorn", "-w", "2", "--threads", "8", "-b", f"127.0.0.1:{port}", "--keep-alive", "75",
           "--timeout", "120", "--access-logfile", "/dev/null", "doudi.web.wsgi:application"]
    servers[tag] = subprocess.Popen(cmd, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/login/")
            c.getresponse().read()
            break
        except OSError:
            time.sleep(0.1)
    conns[tag] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
headers = {"Authorization": f"Token {key}", "Content-Type": "application/json"}
def post(tag, body):
    c = conns[tag]
    c.request("POST", "/api/v1/assess/", body=body, headers=headers)
    r = c.getresponse()
    data = r.read()
    assert r.status == 200, data[:300]
    return data
try:
    print(f"A={A} B={B}; load {os.getloadavg()[0]:.2f}", flush=True)
    for label, doc in (("anonymous", api_assess.HOUSEHOLD), ("audited", api_assess.named_household())):
        body = json.dumps(doc).encode()
        outs = {t: post(t, body) for t in "AB"}
        assert outs["A"] == outs["B"], "the two servers answer differently"
        for _ in range(30):
            for t in "AB":
                post(t, body)
        times = {"A": [], "B": []}
        for k in range(N):
            order = "AB" if k % 2 == 0 else "BA"
            for t in order:
                s = time.perf_counter()
                post(t, body)
                times[t].append(time.perf_counter() - s)
        for t in "AB":
            x = sorted(times[t])
            print(f"{label:9s} {t}: p50 {statistics.median(x) * 1000:.2f} ms, p95 {x[int(len(x) * 0.95)] * 1000:.2f} ms "
                  f"({len(x)} requests)", flush=True)
    print(f"load {os.getloadavg()[0]:.2f}; audit rows {AuditEntry.objects.filter(action='assess').count() - before}")
finally:
    for p in servers.values():
        p.terminate()
        p.wait(timeout=30)
