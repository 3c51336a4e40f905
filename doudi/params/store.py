"""The deployment's parameters: the shipped YAML with the approved database values on top.

`current_policy()` is the one function every decision of the web apps calls (cases, support,
relief, benefits reviews and the DB-14 recomputation, verification, reports). It hands the
policy core plain data (doudi.policy.provider.LayeredProvider); the core stays free of Django.
The layered policy is rebuilt only when the approved values change: an approval in this
process invalidates it at once, and one cheap query (count, last id, last approval) notices
approvals by other processes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from doudi.policy.params import Policy
from doudi.policy.provider import LayeredProvider


def entry_of(v: Any) -> dict[str, Any]:
    """A ParameterValue as the plain data of a layer entry."""
    return {"from": v.effective_from.isoformat(), "value": v.value, "source": v.source}


def layers_of(values: Iterable[Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for v in values:
        out.setdefault(v.region, {}).setdefault(v.parameter, []).append(entry_of(v))
    return out


def _approved():
    from doudi.params.models import ParameterValue

    return ParameterValue.objects.filter(state=ParameterValue.State.APPROVED)


def approved_layers() -> dict[str, dict[str, list[dict[str, Any]]]]:
    return layers_of(_approved().order_by("effective_from", "approved_at", "id"))


def version() -> tuple:
    """(count, last id, last approval) of the approved values: changes whenever the layers do.

    Asked on every decision (each `POST /api/v1/assess/`), so the statement is written out once
    instead of compiled by the ORM each time (0.46 -> 0.08 ms on PostgreSQL; benchmarks/api_assess.py
    --http). The values are the aggregate's, as the database returns them; they are only compared.
    """
    from django.db import connection

    sql, params = version_sql(connection.vendor)
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return tuple(cur.fetchone())


@functools.cache
def version_sql(vendor: str) -> tuple[str, tuple[Any, ...]]:
    """The statement of `version()` (three columns) and its parameters; also read by a caller within
    a statement of its own (the API's token lookup: one round trip fewer a request)."""
    from doudi.params.models import ParameterValue
    from doudi.web.sql import quoted

    table, col = quoted(ParameterValue)
    return (f"SELECT COUNT({col['id']}) AS n, MAX({col['id']}) AS last_id, MAX({col['approved_at']}) AS last_at "
            f"FROM {table} WHERE {col['state']} = %s", (ParameterValue.State.APPROVED.value,))


_provider = LayeredProvider(approved_layers, version)


def current_policy(extra: Mapping[str, Any] | None = None, *, version: tuple | None = None) -> Policy:
    """The policy decisions read now: YAML + approved values (+ `extra` layers, e.g. a pending
    change being previewed). `version`: the approved values' version (`version()`) when the caller
    has just read it in its own statement."""
    p = _provider.policy(version)
    return p.with_layers(extra) if extra else p


def invalidate() -> None:
    """Forget the layered policy (after an approval)."""
    _provider.invalidate()
