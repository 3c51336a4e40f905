"""Statements written out by hand where the ORM's compiling of a query costs more than the query
(a few lookups made on every request: the API token, the user's roles, the parameters' version)."""

from __future__ import annotations

from typing import Any


def quoted(model: Any) -> tuple[str, dict[str, str]]:
    """The model's table and its concrete fields' columns (by field name), quoted for the database."""
    from django.db import connection

    qn, opts = connection.ops.quote_name, model._meta
    return qn(opts.db_table), {f.name: qn(f.column) for f in opts.concrete_fields}
