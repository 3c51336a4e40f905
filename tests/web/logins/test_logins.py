"""Logins that resist guessing (issue 16, item 4): throttling per account and per address,
no HTTP Basic on the API, tokens with expiry and revocation for machine clients."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from doudi.accounts.models import AuditEntry
from doudi.logins import services
from doudi.logins.models import ApiToken

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(username, password, addr="127.0.0.11", path="/login/"):
    c = Client(REMOTE_ADDR=addr)
    r = c.post(path, {"username": username, "password": password})
    return c, r


def _logged_in(c) -> bool:
    return "_auth_user_id" in c.session


def test_the_right_password_logs_in(huining_caseworker):
    c, r = _login("huining_caseworker", PASSWORD)
    assert r.status_code == 302 and _logged_in(c)


def test_a_few_typos_do_not_lock(huining_caseworker):
    for _ in range(3):
        c, r = _login("huining_caseworker", "wrong-password")
        assert r.status_code == 200 and not _logged_in(c)
    c, r = _login("huining_caseworker", PASSWORD)
    assert _logged_in(c)


def test_thirty_wrong_passwords_then_the_right_one_fail(huining_caseworker):
    for _ in range(30):
        _login("huining_caseworker", "guess-123456")
    c, r = _login("huining_caseworker", PASSWORD)
    assert r.status_code == 429 and not _logged_in(c)
    assert "登录失败次数过多" in r.content.decode()
    # the lock is in the audit log, in the account's area
    e = AuditEntry.objects.filter(action="login_locked").first()
    assert e is not None and e.area == "620422100" and e.detail["username"] == "huining_caseworker"


def test_an_account_is_locked_whatever_the_address(huining_caseworker, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login("huining_caseworker", "guess", addr=f"127.0.1.{i + 1}")
    c, r = _login("huining_caseworker", PASSWORD, addr="127.0.2.1")
    assert r.status_code == 429 and not _logged_in(c)


def test_an_address_is_locked_whatever_the_account(huining_caseworker, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        _login(f"nobody{i}", "guess", addr="127.0.3.1")
    c, r = _login("huining_caseworker", PASSWORD, addr="127.0.3.1")
    assert r.status_code == 429 and not _logged_in(c)
    c, r = _login("huining_caseworker", PASSWORD, addr="127.0.3.2")
    assert _logged_in(c)


def test_the_admin_login_is_throttled_too(administrator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("administrator", "guess", path="/admin/login/")
    c, r = _login("administrator", PASSWORD, path="/admin/login/")
    assert r.status_code == 429 and not _logged_in(c)


def test_doudi_unlock_lifts_the_lock(huining_caseworker, settings, monkeypatch, tmp_path, capsys):
    from doudi.cli import main

    monkeypatch.setenv("DOUDI_HOME", str(tmp_path))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("huining_caseworker", "guess", addr="127.0.4.1")
    assert _login("huining_caseworker", PASSWORD, addr="127.0.4.2")[1].status_code == 429
    assert main(["unlock", "huining_caseworker"]) == 0
    assert "已解锁" in capsys.readouterr().out
    c, r = _login("huining_caseworker", PASSWORD, addr="127.0.4.2")
    assert _logged_in(c)
    assert AuditEntry.objects.filter(action="login_unlock", area="620422100").exists()


def test_the_lock_ends_after_the_cool_off(huining_caseworker, settings):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login("huining_caseworker", "guess")
    assert _login("huining_caseworker", PASSWORD)[1].status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1))
    c, r = _login("huining_caseworker", PASSWORD)
    assert _logged_in(c)


def _basic(username, password):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_http_basic_is_refused_on_the_api(huining_caseworker, huining_household):
    r = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=_basic("huining_caseworker", PASSWORD))
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Token")
    assert "Basic" not in r.headers["WWW-Authenticate"]


def test_a_token_works_as_its_user(huining_caseworker, huining_household, baotou_household):
    token, key = services.create(huining_caseworker, "财政系统对接", 30)
    assert key.startswith("doudi_") and ApiToken.objects.get().digest != key  # only the digest is kept
    r = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 200
    ids = [h["id"] for h in r.json()["results"]]
    assert huining_household.pk in ids and baotou_household.pk not in ids  # the user's areas only
    assert Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None
    assert AuditEntry.objects.filter(action="token_create", area="620422100").exists()


def test_a_token_loads_its_row_and_its_user_as_the_orm_does(huining_caseworker, baotou_caseworker):
    """The token and its user are read by written-out SQL (doudi.logins.authentication): every field of both
    comes back as the ORM gives it (datetimes aware, not text, on SQLite too), in one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory

    from doudi.accounts.models import User
    from doudi.logins.authentication import TokenAuthentication

    services.create(baotou_caseworker, "另一个", 30)
    token, key = services.create(huining_caseworker, "对接", 30)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())  # no touch: only the reads
    request = APIRequestFactory().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as q:
        user, got = TokenAuthentication().authenticate(request)
    assert len(q.captured_queries) == 1
    want = ApiToken.objects.select_related("user").get(pk=token.pk)
    for f in ApiToken._meta.concrete_fields:
        assert getattr(got, f.attname) == getattr(want, f.attname), f.name
    assert isinstance(got.expires_at, dt.datetime) and got.expires_at.tzinfo is not None
    for f in User._meta.concrete_fields:
        assert getattr(user, f.attname) == getattr(want.user, f.attname), f.name
    assert user == huining_caseworker and got.user is user and user.is_authenticated


def test_the_token_statement_also_reads_the_roles_and_the_parameters_version(huining_caseworker):
    """The roles (only the active ones) and the approved parameters' version come with the token: no
    further query for them, and the same values as access and the parameter store read themselves."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory

    from doudi.accounts import access
    from doudi.accounts.models import RoleAssignment
    from doudi.logins.authentication import TokenAuthentication
    from doudi.params import store

    RoleAssignment.objects.create(user=huining_caseworker, role="township_reviewer", area="620422100")
    RoleAssignment.objects.create(user=huining_caseworker, role="county_approver", area="620422", active=False)
    want = sorted(huining_caseworker.role_assignments.filter(active=True).values_list("role", "area"))
    _token, key = services.create(huining_caseworker, "对接", 30)
    request = APIRequestFactory().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    with CaptureQueriesContext(connection) as q:
        user, token = TokenAuthentication().authenticate(request)
        roles = sorted(access.roles_of(user))
    assert roles == want and ("county_approver", "620422") not in roles
    assert token.params_version == store.version()
    reads = [x for x in q.captured_queries if not x["sql"].lstrip().upper().startswith("UPDATE")]
    assert len(reads) == 1, [x["sql"] for x in q.captured_queries]


@pytest.mark.django_db(transaction=True)  # a kept connection outside a transaction, as a server's
def test_the_token_statement_is_the_health_check_of_a_kept_connection(huining_caseworker):
    """With CONN_HEALTH_CHECKS (a kept PostgreSQL connection) the token statement, the request's first, is the
    connection's health check: no `SELECT 1` round trip of its own before it."""
    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIRequestFactory

    from doudi.logins.authentication import TokenAuthentication

    connection = connections["default"]  # the wrapper itself: its attributes are set and restored here
    _token, key = services.create(huining_caseworker, "对接", 30)
    ApiToken.objects.update(last_used_at=timezone.now())  # no touch: only the read
    connection.ensure_connection()
    checks = []
    request = APIRequestFactory().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    with _health_checked(connection), CaptureQueriesContext(connection) as q:
        connection.is_usable = lambda: checks.append(1) or True
        try:
            user, _ = TokenAuthentication().authenticate(request)
            done = connection.health_check_done
        finally:
            del connection.is_usable
    assert user == huining_caseworker
    assert checks == [] and done and len(q.captured_queries) == 1


@contextlib.contextmanager
def _health_checked(connection):
    """The connection as a server keeps it (CONN_HEALTH_CHECKS), at the start of a request: its check is due."""
    was = connection.health_check_enabled
    connection.health_check_enabled, connection.health_check_done = True, False
    try:
        yield
    finally:
        connection.health_check_enabled, connection.health_check_done = was, True


@pytest.mark.django_db(transaction=True)
def test_a_kept_connection_the_database_dropped_is_replaced_by_the_token_statement(huining_caseworker):
    """The database ends a kept connection (a restart, an idle timeout): the next request's token statement fails
    on it, the connection is closed and the statement runs on a new one, as a failed health check would have it."""
    from django.db import connections
    from rest_framework.test import APIRequestFactory

    from doudi.logins.authentication import TokenAuthentication

    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("kept connections are health-checked on PostgreSQL only")
    import psycopg

    _token, key = services.create(huining_caseworker, "对接", 30)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        pid = cur.fetchone()[0]
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s)", (pid,))
    request = APIRequestFactory().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    with _health_checked(connection):
        user, _ = TokenAuthentication().authenticate(request)
    assert user == huining_caseworker
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        assert cur.fetchone()[0] != pid  # a new connection


def test_an_expired_token_is_refused(huining_caseworker):
    token, key = services.create(huining_caseworker, "对接", 1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 401 and "令牌已过期" in r.content.decode()


def test_a_revoked_token_is_refused(huining_caseworker):
    token, key = services.create(huining_caseworker, "对接", 30)
    services.revoke(token, by="administrator")
    r = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 401 and "令牌已撤销" in r.content.decode()
    assert AuditEntry.objects.filter(action="token_revoke").exists()


def test_a_wrong_token_and_a_deactivated_users_token_are_refused(huining_caseworker):
    token, key = services.create(huining_caseworker, "对接", 30)
    assert Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}x").status_code == 401
    assert Client().get("/api/v1/households/", HTTP_AUTHORIZATION="Token").status_code == 401
    huining_caseworker.is_active = False
    huining_caseworker.save()
    r = Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}")
    assert r.status_code == 401 and "用户已停用" in r.content.decode()


def test_token_lifetimes_are_bounded(huining_caseworker):
    for days in (0, -1, 366):
        with pytest.raises(services.TokenError, match="--days"):
            services.create(huining_caseworker, "对接", days)
    with pytest.raises(services.TokenError, match="--name"):
        services.create(huining_caseworker, " ", 30)


def test_doudi_token_create_list_revoke(huining_caseworker, monkeypatch, tmp_path, capsys):
    from doudi.cli import main

    monkeypatch.setenv("DOUDI_HOME", str(tmp_path))
    assert main(["token", "create", "--user", "huining_caseworker", "--name", "统计对接", "--days", "7"]) == 0
    out = capsys.readouterr()
    key = out.out.strip()
    assert key.startswith("doudi_") and "只显示这一次" in out.err
    assert Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    assert main(["token", "list"]) == 0
    listed = capsys.readouterr().out
    assert key[:12] in listed and key not in listed and "有效" in listed
    assert main(["token", "revoke", key[:12]]) == 0
    assert Client().get("/api/v1/households/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert main(["token", "create", "--user", "nobody", "--name", "x"]) == 2
    assert main(["token", "revoke", "doudi_nothere"]) == 2


def test_the_client_address_behind_a_trusted_proxy(settings, rf):
    from doudi.logins.views import client_ip

    req = rf.get("/", REMOTE_ADDR="127.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.9, 127.0.0.7")
    assert client_ip(req) == "127.0.0.5"  # no trusted proxy: the header is ignored (it can be forged)
    settings.DOUDI_TRUSTED_PROXIES = ["127.0.0.5", "127.0.0.7"]
    assert client_ip(req) == "203.0.113.9"
