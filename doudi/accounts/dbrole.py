"""The PostgreSQL role the application connects as (issue 16, item 5; docs/deployment.md).

Migrations run as the database's owner. The application connects as another role that owns
nothing and has, on every table of the schema, SELECT, INSERT, UPDATE and DELETE, but on the
audit log only SELECT and INSERT; no TRUNCATE anywhere. Not owning the audit table, it cannot
``ALTER TABLE … DISABLE TRIGGER``; not being a superuser, it cannot set
``session_replication_role``. So the application cannot empty or rewrite the audit log, whatever
SQL it is made to run.

``grant_app_role`` (re)applies the privileges; it runs after every ``migrate`` when the setting
``DOUDI_PG_APP_ROLE`` names the role (so a table a new migration adds is granted at once), and
from ``doudi manage doudi_app_role ROLE``.
"""

from __future__ import annotations

import re

from django.db import connections, transaction

from doudi.accounts.auditguard import TABLE as AUDIT_TABLE

# Tables the application reads but never writes.
READ_ONLY_TABLES = ("django_migrations",)
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(ValueError):
    pass


def check_role_name(role: str) -> str:
    if not _ROLE.match(role or ""):
        raise RoleError(f"role name {role!r}: expected lower-case letters, digits and _ (e.g. doudi_app)")
    return role


def statements(role: str, schema: str = "public") -> list[str]:
    """The SQL that gives ``role`` exactly the application's privileges (run as the owner)."""
    r = check_role_name(role)
    s = f'"{schema}"'
    out = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {r}",
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        # the audit log: read and append only
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {r}",
    ]
    out += [f"REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {t} FROM {r}" for t in READ_ONLY_TABLES]
    return out


def role_exists(connection, role: str) -> bool:
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cur.fetchone() is not None


def grant_app_role(role: str, using: str = "default", *, create: bool = False, password: str | None = None) -> list[str]:
    """Apply the application role's privileges in the database ``using`` (as its owner).

    With ``create`` the role is created (LOGIN, no superuser, no CREATEDB/CREATEROLE) when missing.
    Returns the statements run. Refuses a role that is a superuser or owns tables here."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        raise RoleError("an application role exists only on PostgreSQL")
    check_role_name(role)
    done: list[str] = []
    with transaction.atomic(using=using), connection.cursor() as cur:
        if not role_exists(connection, role):
            if not create:
                raise RoleError(f"role {role} does not exist (create it, or pass --create)")
            sql = f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"
            cur.execute(sql + (" PASSWORD %s" if password else ""), [password] if password else None)
            done.append(sql + (" PASSWORD '…'" if password else ""))
        cur.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = %s", [role])
        if cur.fetchone()[0]:
            raise RoleError(f"role {role} is a superuser (or bypasses row security): the application must not be")
        cur.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s AND schemaname = 'public'", [role])
        if cur.fetchone()[0]:
            raise RoleError(f"role {role} owns tables here: migrations must run as another role (the owner)")
        for sql in statements(role):
            cur.execute(sql)
            done.append(sql)
    return done


def after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate: re-grant the application role named by DOUDI_PG_APP_ROLE, if any."""
    from django.conf import settings

    role = getattr(settings, "DOUDI_PG_APP_ROLE", "")
    if not role or connections[using].vendor != "postgresql" or sender.label != "accounts":
        return
    grant_app_role(role, using)
