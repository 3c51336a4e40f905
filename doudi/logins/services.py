"""Creating and revoking API tokens, and the audit of lockouts and tokens (issue 16, item 4)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from doudi.accounts import audit
from doudi.accounts.models import AuditKind, User
from doudi.logins.models import ApiToken

PREFIX = "doudi_"


class TokenError(ValueError):
    pass


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def user_area(user) -> str:
    """The area where the audit of a user's login or token lands: its first active role's."""
    ra = user.role_assignments.filter(active=True).order_by("id").first() if user is not None else None
    return ra.area if ra else ""


def max_days() -> int:
    return int(getattr(settings, "DOUDI_TOKEN_MAX_DAYS", 365))


def create(user: User, name: str, days: int = 90, *, by: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``: (the row, the token — shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise TokenError("--name：请写明令牌的用途（例如 对接财政系统）")
    if not 1 <= days <= max_days():
        raise TokenError(f"--days {days}：有效期应在 1 至 {max_days()} 天之间")
    if not user.is_active:
        raise TokenError(f"用户 {user.username} 已停用，不能创建令牌")
    key = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:100], prefix=key[:12], digest=digest(key),
                                        created_by=by[:150], expires_at=timezone.now() + dt.timedelta(days=days))
        audit.record(None, AuditKind.USER_CHANGE, token, action="token_create", area=user_area(user),
                     detail={"user": user.username, "name": token.name, "expires_at": token.expires_at.isoformat(),
                             "by": by})
    return token, key


def revoke(token: ApiToken, *, by: str = "") -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.revoked_by = by[:150]
            token.save(update_fields=["revoked_at", "revoked_by"])
            audit.record(None, AuditKind.USER_CHANGE, token, action="token_revoke", area=user_area(token.user),
                         detail={"user": token.user.username, "name": token.name, "by": by})
    return token


def find(ref: str) -> ApiToken:
    """A token by its number or its prefix (as `doudi token list` shows them)."""
    ref = (ref or "").strip()
    qs = ApiToken.objects.filter(pk=int(ref)) if ref.isdigit() else ApiToken.objects.filter(prefix=ref[:12])
    found = list(qs[:2])
    if len(found) != 1:
        raise TokenError(f"{ref!r}：没有这个令牌（请用 doudi token list 所示的编号或前缀）")
    return found[0]


def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    """django-axes locked an account or an address out: an audit entry in the account's area."""
    user = User.objects.filter(username=username).first() if username else None
    audit.record(None, AuditKind.USER_CHANGE, user, action="login_locked", area=user_area(user),
                 detail={"username": (username or "")[:150], "ip_address": ip_address or ""})
