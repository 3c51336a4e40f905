"""`doudi verify import|check` and `doudi import households|benefits|template` (docs/verification.md).

Bad input exits 2 with one line on stderr naming the file, the row and column, and what was expected.
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


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value}: expected a date YYYY-MM-DD") from None


def _user(name: str | None):
    from doudi.accounts.models import User

    name = name or os.environ.get("DOUDI_USER")
    if not name:
        raise UsageError("--as: expected the user name of the person doing this (or set DOUDI_USER); "
                         "the act is recorded in the audit log under that name")
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise UsageError(f"--as {name}: no active user of that name")
    return user


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the file ({exc.strerror or exc})") from None


def _area(user, given: str | None, action: str) -> str:
    from doudi.accounts import access

    if given:
        return given
    areas = sorted(access.areas_of(user, action))
    if len(areas) != 1:
        raise UsageError(f"--area: expected the area of the data (the user has {len(areas)} areas for this)")
    return areas[0]


def cmd_verify_import(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import PermissionDenied

    from doudi.accounts.roles import Action
    from doudi.verification.datasets import VerificationError, import_snapshot, upload_departments
    from doudi.verification.kinds import kinds

    if args.kind not in kinds():
        raise UsageError(f"KIND {args.kind}: expected one of {', '.join(kinds())}")
    extracted = _date(args.extracted, "--extracted")
    user = _user(args.user)
    action = Action.VERIFICATION_RUN if upload_departments(user) is None else Action.DATA_UPLOAD
    area = _area(user, args.area, action)
    data = _read(args.file)
    try:
        result = import_snapshot(user, kind=args.kind, area=area, extracted_on=extracted, data=data,
                                 name=Path(args.file).name)
    except VerificationError as exc:
        raise UsageError(f"{args.file}: {exc.field}: {exc.message}") from None
    except PermissionDenied as exc:
        raise UsageError(f"--as {user.username}: {exc}") from None
    if not result.ok:
        for p in result.problems:
            print(str(p))
        first = result.problems[0]
        where = f"row {first.row}, column {first.column}" if first.row else (first.column or "file")
        raise UsageError(f"{args.file}: {where}: {first.message} ({result.problem_count} problems in all, "
                         "nothing imported)")
    s = result.snapshot
    print(f"imported {s.rows} records of {args.kind} for {area}, extracted {s.extracted_on} "
          f"({s.file_format}{', ' + s.encoding if s.encoding else ''}); snapshot {s.pk}")
    return 0


def cmd_verify_check(args: argparse.Namespace) -> int:
    _django()
    from django.core.exceptions import PermissionDenied

    from doudi.cli import _parse_sets
    from doudi.verification.datasets import VerificationError
    from doudi.verification.models import FindingKind
    from doudi.verification.monthly import run_check

    on = _date(args.date, "--date")
    user = _user(args.user) if (args.user or os.environ.get("DOUDI_USER")) else None
    timings: dict[str, float] = {}
    try:
        run = run_check(user, args.county, on=on, sets=_parse_sets(args.set), engine_name=args.engine,
                        scheduler=args.scheduler, timings=timings)
    except VerificationError as exc:
        raise UsageError(f"--county {args.county}: {exc.message}") from None
    except PermissionDenied as exc:
        raise UsageError(f"--as: {exc}") from None
    except ValueError as exc:
        raise UsageError(f"--set: {exc}") from None
    print(f"county {run.county} on {run.run_on} ({run.engine}): {run.recipients} recipients checked, "
          f"{sum(run.counts.values())} findings ({run.new_findings} new)")
    for kind in FindingKind:
        print(f"  {kind.value:<13} {run.counts.get(kind.value, 0):>6}  {kind.label}")
    if args.timings:
        print("phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    _django()
    if args.what == "template":
        from doudi.verification.caseload import write_template

        write_template(args.file)
        print(f"wrote the 花名册 template to {args.file}")
        return 0
    from doudi.verification import caseload

    user = _user(args.user)
    data = _read(args.file)
    fn = caseload.import_households if args.what == "households" else caseload.import_benefits
    try:
        out = fn(user, data, Path(args.file).name, dry_run=args.dry_run)
    except caseload.CaseloadError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    print(out.report())
    if out.errors:
        first = sorted(out.errors, key=lambda p: p.row)[0]
        where = f"row {first.row}, column {first.column}" if first.column else f"row {first.row}"
        raise UsageError(f"{args.file}: {where}: {first.message} ({len(out.errors)} errors in all, nothing imported)")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    v = subparsers.add_parser("verify", help="department data and the monthly check (核对)")
    vsub = v.add_subparsers(dest="verify_command", required=True)
    i = vsub.add_parser("import", help="import a department file (CSV or Excel) as a new snapshot")
    i.add_argument("kind", help="kind of data set (see docs/verification.md), e.g. death, pension, vehicle")
    i.add_argument("file")
    i.add_argument("--extracted", required=True, help="date the department extracted the data, YYYY-MM-DD")
    i.add_argument("--area", help="region code the data covers (default: the user's area)")
    i.add_argument("--as", dest="user", help="user name of the liaison or verification officer (or DOUDI_USER)")
    i.set_defaults(func=cmd_verify_import)
    c = vsub.add_parser("check", help="the monthly check of every recipient of a county; counts of findings by kind")
    c.add_argument("--county", required=True, help="6-digit county code")
    c.add_argument("--date", help="check as of YYYY-MM-DD (default today)")
    c.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a policy parameter for this run")
    c.add_argument("--engine", choices=("duckdb", "dask"), default="duckdb",
                   help="duckdb (default) or dask: the same check as a task on a Dask cluster")
    c.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster for the run)")
    c.add_argument("--as", dest="user", help="user name of the verification officer (default: the system)")
    c.add_argument("--timings", action="store_true", help="also print the seconds of each phase (export, engine, "
                   "findings)")
    c.set_defaults(func=cmd_verify_check)

    m = subparsers.add_parser("import", help="import a county's existing caseload (花名册)")
    m.add_argument("what", choices=("households", "benefits", "template"))
    m.add_argument("file", help="the 花名册 (.xlsx or CSV); for template: where to write it")
    m.add_argument("--dry-run", action="store_true", help="check and report every problem; import nothing")
    m.add_argument("--as", dest="user", help="user name of the person importing (or DOUDI_USER)")
    m.set_defaults(func=cmd_import)
