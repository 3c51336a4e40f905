"""The API's authentication for machine clients: ``Authorization: Token <token>`` (or ``Bearer``).

HTTP Basic is off (issue 16): a password never travels with each request and cannot be guessed
through the API past the login throttle. Pages use the session; machine clients use tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import authentication, exceptions

from doudi.accounts import access
from doudi.logins.models import ApiToken
from doudi.logins.services import digest

# last_used_at is written at most once a minute per token (not on every request)
TOUCH_EVERY = dt.timedelta(minutes=1)


def _token_with_user(key_digest: str) -> ApiToken | None:
    """The token of this digest with its user loaded, or None (no such token, or its user deleted).

    Every API request needs the token, its user, the user's roles and the approved parameters'
    version (for a decision). They are read in one statement written out on the digest's unique key
    (0.78 ms and three round trips before, on PostgreSQL: benchmarks/api_assess.py --http); the
    token's and the user's values pass through the same database converters the ORM applies
    (datetimes aware on SQLite too); the roles are kept on the user as `access` reads them, and the
    version on the token as `params_version` (`current_policy(version=...)`).
    """
    from django.db import connection

    sql, params, token_fields, user_fields = _token_user_statement(connection.vendor)
    row = _first_statement(connection, sql, [*params, key_digest])
    if row is None:
        return None
    n, m = len(token_fields), len(token_fields) + len(user_fields)
    token = _from_row(ApiToken, token_fields, row[:n], connection)
    token.user = _from_row(get_user_model(), user_fields, row[n:m], connection)
    token.params_version = tuple(row[m:m + 3])
    roles = row[m + 3] if len(row) > m + 3 else None
    if roles is not None:
        access.remember(token.user, json.loads(roles) if isinstance(roles, str) else roles)
    return token


def _first_statement(connection: Any, sql: str, params: list) -> tuple | None:
    """The token statement's row. It is the request's first statement, so on a kept connection
    whose health check is due (CONN_HEALTH_CHECKS: a `SELECT 1` round trip of its own before it,
    about a tenth of a millisecond) it is the health check itself: a connection the database has
    dropped fails here, is closed, and the statement runs again on a new one — what the health
    check would have done, one round trip fewer on every request of a healthy connection. The
    statement only reads, so running it again is safe; inside a transaction nothing is retried."""
    from django.db import Error

    def run() -> tuple | None:
        with connection.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchone()

    if (connection.connection is None or not connection.health_check_enabled or connection.health_check_done
            or connection.in_atomic_block):
        return run()
    connection.health_check_done = True  # this statement is the check
    try:
        return run()
    except Error:
        connection.close()  # as a failed health check does; the next cursor connects anew
    return run()


# The user's active roles as one JSON array of [role, area] pairs, where the database has a JSON aggregate
# (elsewhere `access` reads them itself, a statement of its own).
ROLES_AS_JSON = {
    "postgresql": "SELECT COALESCE(json_agg(json_build_array({role}, {area})), '[]'::json) FROM {table} "
                  "WHERE {user} = u.{user_pk} AND {active}",
    "sqlite": "SELECT json_group_array(json_array({role}, {area})) FROM {table} WHERE {user} = u.{user_pk} AND {active}",
}


@functools.cache
def _token_user_statement(vendor: str) -> tuple[str, tuple, list, list]:
    from doudi.accounts.models import RoleAssignment
    from doudi.params import store
    from doudi.web.sql import quoted

    (t_table, t), (u_table, u), (r_table, r) = quoted(ApiToken), quoted(get_user_model()), quoted(RoleAssignment)
    columns = [f"t.{c}" for c in t.values()] + [f"u.{c}" for c in u.values()] + ["v.*"]
    version_sql, params = store.version_sql(vendor)
    user_pk = u[get_user_model()._meta.pk.name]
    if vendor in ROLES_AS_JSON:
        columns.append("(" + ROLES_AS_JSON[vendor].format(role=r["role"], area=r["area"], table=r_table, user=r["user"],
                                                          user_pk=user_pk, active=r["active"]) + ")")
    sql = (f"SELECT {', '.join(columns)} FROM {t_table} t JOIN {u_table} u ON u.{user_pk} = t.{t['user']} "
           f"CROSS JOIN ({version_sql}) v WHERE t.{t['digest']} = %s")
    return sql, params, list(ApiToken._meta.concrete_fields), list(get_user_model()._meta.concrete_fields)


def _from_row(model: type, fields: list, values: tuple, connection: Any) -> Any:
    """A model instance from its columns' raw values, converted as the ORM's compiler converts them."""
    converted = []
    for f, value in zip(fields, values, strict=True):
        col, converters = _converters(f, connection.vendor)
        for convert in converters:
            value = convert(value, col, connection)
        converted.append(value)
    return model.from_db(connection.alias, [f.attname for f in fields], converted)


@functools.cache
def _converters(field: Any, vendor: str) -> tuple[Any, list]:
    from django.db import connection

    col = field.get_col(field.model._meta.db_table)
    return col, connection.ops.get_db_converters(col) + field.get_db_converters(connection)


class TokenAuthentication(authentication.BaseAuthentication):
    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("令牌格式不正确：应为 Authorization: Token <令牌>")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("令牌无效") from None
        token = _token_with_user(digest(key))
        if token is None:
            raise exceptions.AuthenticationFailed("令牌无效")
        now = timezone.now()
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("令牌已撤销")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("令牌已过期")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("用户已停用")
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Token realm="api"'
