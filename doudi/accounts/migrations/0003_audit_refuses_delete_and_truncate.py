"""The audit log cannot be emptied (issue 16, item 5).

PostgreSQL: a statement trigger refuses TRUNCATE, and both audit triggers fire ALWAYS, so that
``SET session_replication_role = replica`` does not switch them off. (The application connects as
a role that has only INSERT and SELECT on this table and owns nothing: see doudi/accounts/dbrole.py;
such a role can neither TRUNCATE, nor DISABLE TRIGGER, nor set session_replication_role.)

SQLite: a trigger refuses DELETE, beside migration 0002's UPDATE trigger.

The test suite's flush (TransactionTestCase) lifts the guard for its own run only, through
the ``flush`` command of this app and the setting ``DOUDI_AUDIT_ALLOW_FLUSH``.
"""

from django.db import migrations

from doudi.accounts import auditguard


def create(apps, schema_editor):
    auditguard.install(schema_editor.connection, schema_editor.execute)


def drop(apps, schema_editor):
    auditguard.uninstall(schema_editor.connection, schema_editor.execute)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_audit_append_only")]
    operations = [migrations.RunPython(create, drop)]
