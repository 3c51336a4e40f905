"""The database side of the append-only audit log (审计日志只能追加): triggers and how they are lifted.

Migration 0002 refuses UPDATE (both databases) and DELETE (PostgreSQL) with row triggers;
migration 0003 (``install``) adds a TRUNCATE trigger on PostgreSQL, makes the triggers fire
ALWAYS (also under ``session_replication_role = replica``), and a DELETE trigger on SQLite.

``lifted`` switches the triggers off for one transaction. It needs the table's owner on
PostgreSQL (``ALTER TABLE``), so the application's role (doudi/accounts/dbrole.py) cannot use
it; it exists for the test suite's flush (``DOUDI_AUDIT_ALLOW_FLUSH``) and for ``doudi restore``
into a database that is being replaced as a whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction

TABLE = "accounts_auditentry"
PG_ROW_TRIGGER = "accounts_auditentry_append_only"  # migration 0002: BEFORE UPDATE OR DELETE
PG_TRUNCATE_TRIGGER = "accounts_auditentry_no_truncate"
SQLITE_UPDATE_TRIGGER = "accounts_auditentry_no_update"  # migration 0002
SQLITE_DELETE_TRIGGER = "accounts_auditentry_no_delete"

PG_INSTALL = [
    f"CREATE TRIGGER {PG_TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION doudi_audit_append_only()",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {PG_ROW_TRIGGER}",
    f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {PG_TRUNCATE_TRIGGER}",
]
PG_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {PG_TRUNCATE_TRIGGER} ON {TABLE}",
    f"ALTER TABLE {TABLE} ENABLE TRIGGER {PG_ROW_TRIGGER}",
]
SQLITE_UPDATE = (f"CREATE TRIGGER {SQLITE_UPDATE_TRIGGER} BEFORE UPDATE ON {TABLE} "
                 "BEGIN SELECT RAISE(ABORT, 'audit log is append-only: UPDATE refused'); END")
SQLITE_DELETE = (f"CREATE TRIGGER {SQLITE_DELETE_TRIGGER} BEFORE DELETE ON {TABLE} "
                 "BEGIN SELECT RAISE(ABORT, 'audit log is append-only: DELETE refused'); END")


def install(connection, execute: Callable[[str], object]) -> None:
    if connection.vendor == "postgresql":
        for sql in PG_INSTALL:
            execute(sql)
    elif connection.vendor == "sqlite":
        execute(SQLITE_DELETE)


def uninstall(connection, execute: Callable[[str], object]) -> None:
    if connection.vendor == "postgresql":
        for sql in PG_UNINSTALL:
            execute(sql)
    elif connection.vendor == "sqlite":
        execute(f"DROP TRIGGER IF EXISTS {SQLITE_DELETE_TRIGGER}")


def _installed(cursor, connection) -> bool:
    if connection.vendor == "postgresql":
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = %s", [PG_TRUNCATE_TRIGGER])
    else:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [SQLITE_DELETE_TRIGGER])
    return cursor.fetchone() is not None


@contextmanager
def lifted(connection) -> Iterator[None]:
    """Inside one transaction: the audit triggers off, the body, the triggers on again.

    On PostgreSQL this needs the owner of the audit table (the application's role is refused)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cur:
        if not _installed(cur, connection):  # before migration 0003 (or a table not migrated yet)
            yield
            return
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key checks: run them now (Django's are deferred)
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_ROW_TRIGGER}")
            cur.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {PG_TRUNCATE_TRIGGER}")
            yield
            cur.execute(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {PG_ROW_TRIGGER}")
            cur.execute(f"ALTER TABLE {TABLE} ENABLE ALWAYS TRIGGER {PG_TRUNCATE_TRIGGER}")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cur.execute(f"DROP TRIGGER {SQLITE_UPDATE_TRIGGER}")
            cur.execute(f"DROP TRIGGER {SQLITE_DELETE_TRIGGER}")
            yield
            cur.execute(SQLITE_UPDATE)
            cur.execute(SQLITE_DELETE)
