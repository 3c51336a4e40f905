"""The deployment's parameters: the shipped YAML with the approved database values on top.

`current_policy()` is the one function every decision of the web apps calls (cases, support,
relief, benefits reviews and the DB-14 recomputation, verification, reports). It hands the
policy core plain data (doudi.policy.provider.LayeredProvider); the core stays free of Django.
The layered policy is rebuilt only when the approved values change: an approval in this
process invalidates it at once, and one cheap query (count, last id, last approval) notices
approvals by other processes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Count, Max

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
    v = _approved().aggregate(n=Count("id"), last=Max("id"), at=Max("approved_at"))
    return (v["n"], v["last"], v["at"])


_provider = LayeredProvider(approved_layers, version)


def current_policy(extra: Mapping[str, Any] | None = None) -> Policy:
    """The policy decisions read now: YAML + approved values (+ `extra` layers, e.g. a pending
    change being previewed)."""
    p = _provider.policy()
    return p.with_layers(extra) if extra else p


def invalidate() -> None:
    """Forget the layered policy (after an approval)."""
    _provider.invalidate()
