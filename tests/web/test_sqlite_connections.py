"""On SQLite each server thread keeps its database connection from one request to the next
(CONN_MAX_AGE, DOUDI_SQLITE_CONN_MAX_AGE; opening one with its PRAGMAs cost 1 ms of a single API
assessment): a server process, not the test client (which never closes connections), run in a
subprocess on a SQLite file."""

import os
import subprocess
import sys

import pytest

SCRIPT = r"""
import io, sys
import django
django.setup()
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

app = WSGIHandler()
def get():
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": "/login/", "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
           "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1", "wsgi.input": io.BytesIO(), "wsgi.url_scheme": "http",
           "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.errors": sys.stderr}
    status = []
    body = app(env, lambda s, h, e=None: status.append(s))
    b"".join(body)
    body.close()  # request_finished: Django closes the connections that are too old
    return status[0]

connection.ensure_connection()
first = connection.connection
print("STATUS", get())
print("KEPT" if connection.connection is first else "CLOSED")
"""


@pytest.mark.parametrize(("max_age", "expect"), [(None, "KEPT"), ("0", "CLOSED")])
def test_a_sqlite_server_thread_keeps_its_connection_between_requests(tmp_path, max_age, expect):
    env = {k: v for k, v in os.environ.items() if k not in ("DOUDI_DB", "DOUDI_SQLITE_CONN_MAX_AGE")}
    env.update({"DJANGO_SETTINGS_MODULE": "doudi.web.settings", "DOUDI_HOME": str(tmp_path),
                "DOUDI_SECRET_KEY": "test-only-key"})
    if max_age is not None:
        env["DOUDI_SQLITE_CONN_MAX_AGE"] = max_age
    p = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert "STATUS 200 OK" in p.stdout and expect in p.stdout.split(), p.stdout
