"""Trigram (pg_trgm) indexes for the warning list's name search — PostgreSQL only.

The search (doudi/monitoring/lists.py, ``search``) looks for a word inside names: the members of the
household (registry_person.name), the subject of a village report (subject_name) and the warning's
text (detail), each as ``col::text LIKE '%word%'`` — Django's ``__contains``. A B-tree cannot serve
a LIKE with a leading wildcard; a GIN index with ``gin_trgm_ops`` on the column itself can (the
``::text`` of a varchar column is a relabelling the planner sees through). A word of three or more
characters has a trigram to look up; for one of one or two the planner keeps a sequential scan.

The person-name index lives on the registry's table but is made here because the warning list's
search is what needs it; it is named monitoring_… so that a registry migration of its own cannot
collide with it.

pg_trgm is a trusted extension (PostgreSQL 13+): the database owner that runs the migrations
(docs/deployment.md, doudi_owner) may create it without being a superuser; the application role
needs nothing more (the extension's functions and operator classes are usable by PUBLIC).
SQLite gets nothing: its LIKE has no such index, and its list stays within the target without one.
"""

from django.db import migrations

INDEXES = [
    ("monitoring_alert_subject_trgm", "monitoring_alert", "subject_name"),
    ("monitoring_alert_detail_trgm", "monitoring_alert", "detail"),
    ("monitoring_person_name_trgm", "registry_person", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{column}" gin_trgm_ops)')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
    # the extension stays: another index may use it, and dropping it needs its owner


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0004_list_cover_index"),
        ("registry", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
