"""The one access layer: every queryset, view and API endpoint goes through these functions.

A user may take an action on an object when one of the user's active roles allows the action
(roles.ROLE_ACTIONS) and the role's area contains the object's region code.

Models that take part declare where their region code is:

- ``AREA_FIELD``: the lookup path of the region code for querysets (``"region_code"``,
  ``"household__region_code"``);
- ``area_code``: a property giving the region code of one object.

Objects outside the user's areas are reported as not found (404), so that their existence does
not leak; an object inside the area on which the role may not act gives 403.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, TypeVar

import rules
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from doudi.accounts.areas import area_prefix, contains, region_q
from doudi.accounts.roles import Action, action_label, actions_of

M = TypeVar("M", bound=models.Model)
_CACHE = "_doudi_role_areas"


def _role_areas(user: Any) -> list[tuple[str, str]]:
    """(role, area) of the user's active roles, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    cached = getattr(user, _CACHE, None)
    if cached is None:
        # = list(user.role_assignments.filter(active=True).values_list("role", "area")), written out: asked on
        # every page and API request (0.31 -> 0.06 ms on PostgreSQL; benchmarks/api_assess.py --http)
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(_roles_sql(connection.vendor), [user.pk, True])
            cached = [(role, area) for role, area in cur.fetchall()]
        setattr(user, _CACHE, cached)
    return cached


@functools.cache
def _roles_sql(vendor: str) -> str:
    from doudi.accounts.models import RoleAssignment
    from doudi.web.sql import quoted

    table, col = quoted(RoleAssignment)
    return f"SELECT {col['role']}, {col['area']} FROM {table} WHERE {col['user']} = %s AND {col['active']} = %s"


def remember(user: Any, roles: list[tuple[str, str]]) -> None:
    """The user's active (role, area) pairs, read by the caller in its own statement (the API's token
    lookup reads them with the token), kept as `_role_areas` would have read them."""
    setattr(user, _CACHE, [(str(role), str(area)) for role, area in roles])


def forget(user: Any) -> None:
    """Drop the cached roles (after a role was granted or withdrawn)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def roles_of(user: Any) -> list[tuple[str, str]]:
    """The user's active (role, area) pairs."""
    return list(_role_areas(user))


def has_role(user: Any, role: str) -> bool:
    return any(r == role for r, _ in _role_areas(user))


def areas_of(user: Any, action: str) -> frozenset[str]:
    """The area codes in which the user may take this action (empty: nowhere)."""
    return frozenset(area for role, area in _role_areas(user) if action in actions_of(role))


def _prefixes(areas: Iterable[str]) -> list[str]:
    """Area prefixes without those already covered by a shorter one."""
    out: list[str] = []
    for p in sorted({area_prefix(a) for a in areas}, key=len):
        if not any(contains(q, p) for q in out):
            out.append(p)
    return out


def in_area(areas: Iterable[str], region_code: str | None) -> bool:
    if not region_code:
        return False
    return any(contains(p, str(region_code)) for p in _prefixes(areas))


def area_q(user: Any, action: str, field: str) -> Q:
    """A Q object selecting rows whose region code (at lookup ``field``) lies in the user's areas."""
    q = Q(pk__in=[])
    for p in _prefixes(areas_of(user, action)):
        q |= region_q(field, p)
    return q


def _area_field(model: type[models.Model]) -> str:
    field = getattr(model, "AREA_FIELD", None)
    if not field:
        raise TypeError(f"{model.__name__} has no AREA_FIELD: it cannot be scoped by area")
    return field


def scope_queryset(user: Any, qs: QuerySet[M], action: str = Action.HOUSEHOLD_VIEW,
                   field: str | None = None) -> QuerySet[M]:
    """The rows of ``qs`` the user may take ``action`` on (by area); never more than ``qs``."""
    field = field or _area_field(qs.model)
    q = area_q(user, action, field)
    if "__" in field:  # across a relation: avoid duplicate rows
        return qs.filter(pk__in=qs.model._default_manager.filter(q).values("pk"))
    return qs.filter(q)


def area_of(obj: Any) -> str | None:
    code = getattr(obj, "area_code", None)
    return str(code) if code else None


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether the user may take ``action`` (on ``obj``, by its area); through the `rules` predicates."""
    return rules.has_perm(perm_name(action), user, obj)


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless the user may take the action."""
    if not can(user, action, obj):
        raise PermissionDenied(f"您无权{action_label(action)}" + ("（不在您的辖区内或您的角色不允许）" if obj is not None else ""))


def access_object(user: Any, model_or_qs: type[M] | QuerySet[M], pk: Any,
                  action: str = Action.HOUSEHOLD_VIEW, view_action: str | None = None) -> M:
    """Fetch one object the user may act on.

    Not found, or outside every area in which the user may see it (``view_action``, default
    the same action): Http404. Visible but the action not allowed: PermissionDenied.
    """
    qs = model_or_qs if isinstance(model_or_qs, QuerySet) else model_or_qs._default_manager.all()
    view_action = view_action or action
    try:
        obj = scope_queryset(user, qs, view_action).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到，或不在您的辖区内") from None
    if action != view_action:
        require(user, action, obj)
    return obj


def access_household(user: Any, pk: Any, action: str = Action.HOUSEHOLD_VIEW):
    """The household ``pk`` if the user may see it and take ``action`` on it (404 / 403 otherwise)."""
    from doudi.registry.models import Household

    return access_object(user, Household, pk, action, view_action=Action.HOUSEHOLD_VIEW)


def access_person(user: Any, pk: Any, action: str = Action.HOUSEHOLD_VIEW):
    """The person ``pk`` (seen through the households he or she belongs to)."""
    from doudi.registry.models import Person

    return access_object(user, Person, pk, action, view_action=Action.HOUSEHOLD_VIEW)


def perm_name(action: str) -> str:
    """The `rules` permission name of an action: ``doudi.<action>``."""
    return f"doudi.{action}"
