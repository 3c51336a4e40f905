"""The API's authentication for machine clients: ``Authorization: Token <token>`` (or ``Bearer``).

HTTP Basic is off (issue 16): a password never travels with each request and cannot be guessed
through the API past the login throttle. Pages use the session; machine clients use tokens.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import authentication, exceptions

from doudi.logins.models import ApiToken
from doudi.logins.services import digest

# last_used_at is written at most once a minute per token (not on every request)
TOUCH_EVERY = dt.timedelta(minutes=1)


def _token_with_user(key_digest: str) -> ApiToken | None:
    """The token of this digest with its user loaded, or None.

    Two statements written out on a unique and a primary key (RawQuerySet: the rows become model
    instances with the backend's conversions), not the ORM's join compiled on every request: 0.78 ->
    0.31 ms of a single assessment's 5 ms on PostgreSQL (benchmarks/api_assess.py --http).
    """
    from django.contrib.auth import get_user_model
    from django.db import connection

    qn = connection.ops.quote_name
    t = ApiToken._meta
    token = next(iter(ApiToken.objects.raw(
        f"SELECT * FROM {qn(t.db_table)} WHERE {qn(t.get_field('digest').column)} = %s", [key_digest])), None)
    if token is None:
        return None
    u = get_user_model()._meta
    user = next(iter(get_user_model().objects.raw(
        f"SELECT * FROM {qn(u.db_table)} WHERE {qn(u.pk.column)} = %s", [token.user_id])), None)
    if user is None:  # deleted since (its tokens go with it)
        return None
    token.user = user
    return token


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
