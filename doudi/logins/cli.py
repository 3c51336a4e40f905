"""`doudi token create|revoke|list` (API tokens for machine clients) and `doudi unlock` (a
locked-out login). Bad input exits 2 with one line on stderr, as every doudi command."""

from __future__ import annotations

import argparse
import sys


def _setup():
    from doudi.web.cli import _ensure_home, setup_django

    _ensure_home()
    setup_django()


def cmd_token_create(args: argparse.Namespace) -> int:
    _setup()
    from doudi.accounts.models import User
    from doudi.cli import UsageError
    from doudi.logins import services

    user = User.objects.filter(username=args.user).first()
    if user is None:
        raise UsageError(f"--user {args.user}: no such user")
    try:
        token, key = services.create(user, args.name, args.days, by=args.by or "(command line)")
    except services.TokenError as exc:
        raise UsageError(str(exc)) from None
    print(f"令牌 {token.pk}（{token.prefix}…）已创建，用户 {user.username}，用途 {token.name}，"
          f"到期 {token.expires_at:%Y-%m-%d %H:%M}。令牌只显示这一次，请妥善保存：", file=sys.stderr)
    print(key)
    return 0


def cmd_token_revoke(args: argparse.Namespace) -> int:
    _setup()
    from doudi.cli import UsageError
    from doudi.logins import services

    try:
        token = services.revoke(services.find(args.token), by=args.by or "(command line)")
    except services.TokenError as exc:
        raise UsageError(str(exc)) from None
    print(f"令牌 {token.pk}（{token.prefix}…）已撤销。")
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    _setup()
    from doudi.logins.models import ApiToken

    qs = ApiToken.objects.select_related("user")
    if args.user:
        qs = qs.filter(user__username=args.user)
    for t in qs:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "未使用"
        print(f"{t.pk}\t{t.prefix}…\t{t.user.username}\t{t.name}\t到期 {t.expires_at:%Y-%m-%d}\t{t.state}\t{used}")
    return 0


def cmd_unlock(args: argparse.Namespace) -> int:
    _setup()
    from axes.utils import reset

    from doudi.accounts import audit
    from doudi.accounts.models import AuditKind, User
    from doudi.cli import UsageError
    from doudi.logins.services import user_area

    if not args.username and not args.ip:
        raise UsageError("doudi unlock: give a USERNAME or --ip ADDRESS")
    count = 0
    if args.username:
        count += reset(username=args.username)
    if args.ip:
        count += reset(ip=args.ip)
    user = User.objects.filter(username=args.username).first() if args.username else None
    audit.record(None, AuditKind.USER_CHANGE, user, action="login_unlock", area=user_area(user),
                 detail={"username": args.username or "", "ip_address": args.ip or "", "attempts": count})
    print(f"已解锁（清除失败登录记录 {count} 条）。")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    t = subparsers.add_parser("token", help="API tokens for machine clients (create, revoke, list)")
    tsub = t.add_subparsers(dest="token_command", required=True)
    c = tsub.add_parser("create", help="create a token for a user; prints it once on standard output")
    c.add_argument("--user", required=True, help="the user the token acts as (its roles and areas)")
    c.add_argument("--name", required=True, help="what the token is for, e.g. 财政系统对接")
    c.add_argument("--days", type=int, default=90, help="days until it expires (default 90, at most 365)")
    c.add_argument("--by", help="who creates it (recorded in the audit log)")
    c.set_defaults(func=cmd_token_create)
    r = tsub.add_parser("revoke", help="revoke a token by its number or prefix")
    r.add_argument("token")
    r.add_argument("--by", help="who revokes it (recorded in the audit log)")
    r.set_defaults(func=cmd_token_revoke)
    ls = tsub.add_parser("list", help="list tokens (never the tokens themselves)")
    ls.add_argument("--user")
    ls.set_defaults(func=cmd_token_list)

    u = subparsers.add_parser("unlock", help="unlock a login locked out after too many failed passwords")
    u.add_argument("username", nargs="?", help="the account to unlock")
    u.add_argument("--ip", help="the address to unlock")
    u.set_defaults(func=cmd_unlock)
