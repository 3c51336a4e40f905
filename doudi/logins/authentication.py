"""The API's authentication for machine clients: ``Authorization: Token <token>`` (or ``Bearer``).

HTTP Basic is off (issue 16): a password never travels with each request and cannot be guessed
through the API past the login throttle. Pages use the session; machine clients use tokens.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework import authentication, exceptions

from doudi.logins.models import ApiToken
from doudi.logins.services import digest

# last_used_at is written at most once a minute per token (not on every request)
TOUCH_EVERY = dt.timedelta(minutes=1)


def _token_with_user(key_digest: str) -> ApiToken | None:
    """The token of this digest with its user loaded, or None (no such token, or its user deleted).

    One statement written out on the digest's unique key joined to the user's primary key, the
    row's values passed through the same database converters the ORM applies (datetimes aware on
    SQLite too), instead of the ORM's join compiled on every request: 0.78 -> 0.2 ms of a single
    assessment over HTTP on PostgreSQL (benchmarks/api_assess.py --http).
    """
    from django.db import connection

    sql, token_fields, user_fields = _token_user_statement(connection.vendor)
    with connection.cursor() as cur:
        cur.execute(sql, [key_digest])
        row = cur.fetchone()
    if row is None:
        return None
    n = len(token_fields)
    token = _from_row(ApiToken, token_fields, row[:n], connection)
    token.user = _from_row(get_user_model(), user_fields, row[n:], connection)
    return token


@functools.cache
def _token_user_statement(vendor: str) -> tuple[str, list, list]:
    from django.db import connection

    qn = connection.ops.quote_name
    t, u = ApiToken._meta, get_user_model()._meta
    columns = [f"t.{qn(f.column)}" for f in t.concrete_fields] + [f"u.{qn(f.column)}" for f in u.concrete_fields]
    sql = (f"SELECT {', '.join(columns)} FROM {qn(t.db_table)} t JOIN {qn(u.db_table)} u "
           f"ON u.{qn(u.pk.column)} = t.{qn(t.get_field('user').column)} "
           f"WHERE t.{qn(t.get_field('digest').column)} = %s")
    return sql, list(t.concrete_fields), list(u.concrete_fields)


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
