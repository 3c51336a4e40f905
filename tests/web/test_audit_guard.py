"""The audit log cannot be emptied (issue 16, item 5).

On both databases the triggers refuse UPDATE, DELETE (and on PostgreSQL TRUNCATE, also under
session_replication_role = replica). On PostgreSQL the application's role (doudi/accounts/dbrole.py)
can only read and append: TRUNCATE, DISABLE TRIGGER, session_replication_role, DROP are refused.
These run in CI on the real PostgreSQL server (scripts/test's second pass).
"""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from doudi.accounts import audit, auditguard, dbrole
from doudi.accounts.models import AuditEntry, AuditKind

pytestmark = pytest.mark.django_db
on_pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's roles and TRUNCATE")


@pytest.fixture
def entry(huining_caseworker, huining_household):
    return audit.record(huining_caseworker, AuditKind.READ, huining_household, reason="入户调查")


def _refused(sql: str, params=None) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":  # the test's rows' deferred checks, which TRUNCATE would wait for
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cur.execute(sql, params)


def test_raw_sql_delete_and_update_are_refused_on_every_database(entry):
    _refused("DELETE FROM accounts_auditentry WHERE id = %s", [entry.pk])
    _refused("DELETE FROM accounts_auditentry")
    _refused("UPDATE accounts_auditentry SET reason = 'forged'")
    assert AuditEntry.objects.get(pk=entry.pk).reason == "入户调查"


def test_flush_is_refused_without_the_test_suites_setting(entry, settings):
    settings.DOUDI_AUDIT_ALLOW_FLUSH = False
    with pytest.raises(Exception, match="append-only|flushed"):
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_lifting_the_guard_restores_it_afterwards(entry):
    with auditguard.lifted(connection), connection.cursor() as cur:
        cur.execute("UPDATE accounts_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])
    _refused("DELETE FROM accounts_auditentry")


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_with_audit_entries_is_flushed_afterwards(huining_caseworker):
    # the flush between transactional tests lifts the guard (DOUDI_AUDIT_ALLOW_FLUSH, tests/conftest.py)
    audit.record(huining_caseworker, AuditKind.READ, None, reason="事务测试", area="620422")
    assert AuditEntry.objects.filter(reason="事务测试").exists()


@on_pg
def test_on_postgresql_truncate_is_refused_even_for_the_owner(entry):
    _refused("TRUNCATE accounts_auditentry")
    _refused("TRUNCATE accounts_auditentry, accounts_user CASCADE")


@on_pg
def test_on_postgresql_replica_mode_does_not_switch_the_triggers_off(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("DELETE FROM accounts_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_role_names_are_checked():
    for bad in ("", "Doudi", "app; DROP TABLE x", "1app"):
        with pytest.raises(dbrole.RoleError):
            dbrole.check_role_name(bad)
    assert any("SELECT, INSERT" in s or "REVOKE UPDATE, DELETE, TRUNCATE" in s for s in dbrole.statements("doudi_app"))


@pytest.fixture
def app_role_name():
    """A throw-away application role with its privileges on the test database, dropped afterwards.

    Created over a connection of its own (autocommit), so that a second connection logging in
    as the role sees it; the test's own transaction is untouched."""
    import psycopg

    s = connection.settings_dict
    role = f"doudi_app_t{os.getpid()}"
    owner = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"] or None,
                            dbname=s["NAME"], autocommit=True)
    owner.execute(f"DROP OWNED BY {role}") if owner.execute(
        "SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() else None
    owner.execute(f"DROP ROLE IF EXISTS {role}")
    owner.execute(f"CREATE ROLE {role} LOGIN NOSUPERUSER")
    for sql in dbrole.statements(role):
        owner.execute(sql)
    try:
        yield role
    finally:
        owner.execute(f"DROP OWNED BY {role}")
        owner.execute(f"DROP ROLE {role}")
        owner.close()


@pytest.fixture
def app_role(app_role_name):
    import psycopg

    s = connection.settings_dict
    app = psycopg.connect(host=s["HOST"], port=s["PORT"], user=app_role_name, dbname=s["NAME"])
    try:
        yield app
    finally:
        app.close()


@on_pg
def test_on_postgresql_the_application_role_can_only_read_and_append(app_role):
    import psycopg

    cur = app_role.cursor()
    # what the application does: read and append the audit log, write its other tables
    cur.execute("SELECT count(*) FROM accounts_auditentry")
    cur.execute("INSERT INTO accounts_auditentry (username, time, area, kind, action, object_type, object_id, "
                "object_repr, reason, detail) VALUES ('x', now(), '620422', 'read', '', '', '', '', '攻击前', '{}') "
                "RETURNING id")
    cur.execute("INSERT INTO django_session (session_key, session_data, expire_date) VALUES ('k', 'd', now())")
    cur.execute("DELETE FROM django_session WHERE session_key = 'k'")
    app_role.rollback()  # nothing stays behind in the test database
    attacks = [
        "TRUNCATE accounts_auditentry",
        "DELETE FROM accounts_auditentry",
        "UPDATE accounts_auditentry SET reason = 'forged'",
        "ALTER TABLE accounts_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE accounts_auditentry DISABLE TRIGGER accounts_auditentry_no_truncate",
        "SET session_replication_role = replica",
        "DROP TABLE accounts_auditentry",
        "DROP TRIGGER accounts_auditentry_append_only ON accounts_auditentry",
        "CREATE TABLE public.doudi_owned_by_app (x int)",
        "DELETE FROM django_migrations",
    ]
    for sql in attacks:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cur.execute(sql)
        app_role.rollback()


@on_pg
def test_on_postgresql_grant_app_role_refuses_a_superuser():
    with pytest.raises(dbrole.RoleError, match="superuser"):
        dbrole.grant_app_role(connection.settings_dict["USER"])


@on_pg
def test_on_postgresql_migrate_grants_the_role_named_by_the_setting(settings):
    # inside the test's transaction: the role and its grants are rolled back afterwards
    from django.apps import apps

    role = f"doudi_app_g{os.getpid()}"
    dbrole.grant_app_role(role, create=True)  # creates it
    settings.DOUDI_PG_APP_ROLE = role
    dbrole.after_migrate(apps.get_app_config("accounts"))  # what post_migrate does

    def may(table, privilege):
        with connection.cursor() as cur:
            cur.execute("SELECT has_table_privilege(%s, %s, %s)", [role, table, privilege])
            return cur.fetchone()[0]

    assert may("accounts_auditentry", "SELECT") and may("accounts_auditentry", "INSERT")
    for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER"):
        assert not may("accounts_auditentry", privilege), privilege
    assert may("registry_household", "UPDATE") and may("registry_household", "DELETE")
    assert not may("registry_household", "TRUNCATE")
    assert not may("django_migrations", "INSERT") and may("django_migrations", "SELECT")


APP_SCRIPT = """
import django
django.setup()
from django.db import DatabaseError, connection, transaction
from doudi.accounts import audit
from doudi.accounts.models import AuditEntry, AuditKind, RoleAssignment, User
u = User.objects.create_user(username="role_probe", password="x" * 12)
RoleAssignment.objects.create(user=u, role="auditor", area="620422")
u.full_name = "应用角色"
u.save()
audit.record(u, AuditKind.READ, None, area="620422", reason="以应用角色写入")
assert AuditEntry.objects.filter(reason="以应用角色写入").count() == 1
for sql in ("DELETE FROM accounts_auditentry", "TRUNCATE accounts_auditentry",
            "ALTER TABLE accounts_auditentry DISABLE TRIGGER ALL"):
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    except DatabaseError as exc:
        assert "permission denied" in str(exc) or "must be owner" in str(exc), exc
    else:
        raise SystemExit("not refused: " + sql)
print("APP-ROLE-OK")
"""


@on_pg
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_application_runs_as_its_role(app_role_name, tmp_path):
    # Django itself, connected as the application role: it writes its tables and appends to the
    # audit log, and cannot empty it (the test database is flushed afterwards by the owner).
    import subprocess
    import sys

    s = connection.settings_dict
    env = {**os.environ, "DOUDI_DB": "postgres", "DJANGO_SETTINGS_MODULE": "doudi.web.settings",
           "DOUDI_HOME": str(tmp_path), "DOUDI_SECRET_KEY": "test-only-key",
           "DOUDI_PG_URL": f"postgres://{app_role_name}@{s['HOST']}:{s['PORT']}/{s['NAME']}"}
    p = subprocess.run([sys.executable, "-c", APP_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and "APP-ROLE-OK" in p.stdout, p.stderr[-2000:]
    assert AuditEntry.objects.filter(reason="以应用角色写入", area="620422").exists()
