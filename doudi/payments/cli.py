"""`doudi payments roll|export|results` — the scheduled run of payments (docs/payments.md).

The configured database (SQLite by default). Each command exits 2 with one line on bad input.
``--as USER`` (or DOUDI_USER) names the finance user acting; without it the act is the system's
(recorded as "(system)" in the audit log).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

from doudi.cli import UsageError


def _django() -> None:
    from doudi.web.cli import _ensure_home, setup_django

    _ensure_home()
    setup_django()


def _user(name: str | None):
    from doudi.accounts.models import User

    name = name or os.environ.get("DOUDI_USER")
    if not name:
        return None
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise UsageError(f"--as {name}: no active user of that name")
    return user


def _month(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(f"{text.strip()[:7]}-01") if len(text.strip()) == 7 else _bad(text)
    except ValueError:
        return _bad(text)


def _bad(text: str) -> dt.date:
    raise UsageError(f"--month {text}: expected a month YYYY-MM")


def _run(fn):  # noqa: ANN001, ANN202
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from doudi.payments.banks import PaymentError

    try:
        return fn()
    except PaymentError as exc:
        raise UsageError(exc.message) from None
    except PermissionDenied as exc:
        raise UsageError(str(exc)) from None
    except Http404 as exc:
        raise UsageError(str(exc)) from None


def _yuan(fen: int) -> str:
    from doudi.benefits.reckon import yuan

    return yuan(fen)


def cmd_roll(args: argparse.Namespace) -> int:
    _django()
    from doudi.payments import services

    month = _month(args.month)
    user = _user(args.user)
    roll = _run(lambda: services.build_roll(user, args.county, month))
    print(f"roll {roll.pk}: {roll.region} {roll.month:%Y-%m} {roll.get_state_display()} "
          f"records {roll.payments_count} total {_yuan(roll.total_fen)} ({roll.seconds:.1f} s)")
    for key, label in (("program", "program"), ("township", "township"), ("fund", "fund")):
        for k, v in sorted(roll.totals.get(key, {}).items()):
            print(f"  {label} {k}: {v['lines']} lines {_yuan(v['fen'])}")
    for w in roll.warnings:
        print(f"  warning: {w}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    _django()
    from doudi.payments import services

    user = _user(args.user)
    data, exp = _run(lambda: services.export_bank_file(user, args.roll, args.bank))
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise UsageError(f"--out {args.out}: cannot write the file ({exc.strerror or exc})") from None
    print(f"{args.out}: {exp.records} records total {_yuan(exp.total_fen)} sha256 {exp.sha256}")
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    _django()
    from doudi.payments import services

    user = _user(args.user)
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise UsageError(f"{args.file}: cannot read the file ({exc.strerror or exc})") from None
    imp = _run(lambda: services.import_results(user, args.roll, data, Path(args.file).name))
    print(f"roll {args.roll}: paid {imp.paid} ({_yuan(imp.paid_fen)}), failed {imp.failed} ({_yuan(imp.failed_fen)})")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("payments", help="monthly payment rolls, bank files and bank results")
    ps = p.add_subparsers(dest="payments_command", required=True)
    r = ps.add_parser("roll", help="build a county's roll for a month (prints the totals)")
    r.add_argument("--county", required=True, help="6-digit county code, e.g. 620422")
    r.add_argument("--month", required=True, help="YYYY-MM")
    r.add_argument("--as", dest="user", help="user name of the finance officer (default: the system)")
    r.set_defaults(func=cmd_roll)
    e = ps.add_parser("export", help="write a released roll's bank file")
    e.add_argument("roll", type=int)
    e.add_argument("--bank", required=True, help="bank-file template (data/banks.yaml): csv, fixed")
    e.add_argument("--out", required=True)
    e.add_argument("--as", dest="user")
    e.set_defaults(func=cmd_export)
    s = ps.add_parser("results", help="import the bank's result file of a released roll")
    s.add_argument("roll", type=int)
    s.add_argument("file")
    s.add_argument("--as", dest="user")
    s.set_defaults(func=cmd_results)
