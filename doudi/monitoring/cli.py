"""`doudi monitor scan [--county CODE] [--date D]` (docs/monitoring.md): the warnings raised by rule.

Without --county every county with a household in the register or a 低保 / 特困 benefit is scanned.
Bad input exits 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt

from doudi.cli import UsageError


def cmd_scan(args: argparse.Namespace) -> int:
    from doudi.verification.cli import _django

    if args.county is not None and (len(args.county) != 6 or not args.county.isdigit()):
        raise UsageError(f"--county {args.county}: expected a 6-digit county code")
    on = None
    if args.date is not None:
        try:
            on = dt.date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(f"--date {args.date}: expected a date YYYY-MM-DD") from None
    _django()
    from doudi.monitoring import jobs, services
    from doudi.policy.monitoring import warning_rules

    counties = [args.county] if args.county else jobs.counties()
    names = {k: r.name for k, r in warning_rules().items()}
    for county in counties:
        try:
            run = services.scan(None, county, on=on)
        except services.MonitoringError as exc:
            raise UsageError(f"--county {county}: {exc.message}") from None
        print(f"{county} {run.on_date:%Y-%m-%d}: {run.households} households, "
              f"{sum(run.raised.values())} warnings raised in {run.seconds:.2f} s")
        for rule, n in run.raised.items():
            print(f"  {rule} {names.get(rule, rule)}: {n}")
        for label, counts in (("entered", run.entered), ("left", run.left)):
            if counts:
                print(f"  register {label}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    m = subparsers.add_parser("monitor", help="monitoring of the low-income population (监测预警, PR-7)")
    msub = m.add_subparsers(dest="monitor_command", required=True)
    s = msub.add_parser("scan", help="run every warning rule and the 应保尽保 check; prints warnings raised by rule")
    s.add_argument("--county", help="6-digit county code (default: every county with households to watch)")
    s.add_argument("--date", help="scan as of YYYY-MM-DD (default today)")
    s.set_defaults(func=cmd_scan)
