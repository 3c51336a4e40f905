"""The `doudi` command (interfaces.md). Bad input exits 2 with one line on stderr."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence

from doudi.policy.errors import InputError


class UsageError(Exception):
    """A bad command-line argument, reported as one line with exit status 2."""


def _parse_sets(values: Sequence[str] | None) -> dict[str, str]:
    sets: dict[str, str] = {}
    for item in values or ():
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise InputError(f"--set {item}", "NAME=VALUE, for example dibao.standard.urban=700.00")
        sets[name.strip()] = value.strip()
    return sets


def _check_date(value: str | None, flag: str) -> str | None:
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(flag, "a date as YYYY-MM-DD", value) from None
    return value


def cmd_assess(args: argparse.Namespace) -> int:
    from doudi.policy.engine import assess
    from doudi.policy.household import load_document

    source = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            text = sys.stdin.read()
        else:
            with open(args.file, encoding="utf-8") as fh:
                text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("$", "a readable UTF-8 JSON file", str(exc), source=source) from None
    try:
        doc = load_document(text, source)
        decision = assess(doc, date=_check_date(args.date, "--date"), region=args.region,
                          sets=_parse_sets(args.set))
    except InputError as exc:
        raise exc.with_source(exc.source or source) from None
    fmt = args.format or ("text" if sys.stdout.isatty() else "json")
    if fmt == "text":
        sys.stdout.write(decision.as_text())
    else:
        json.dump(decision.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0


def cmd_policy_show(args: argparse.Namespace) -> int:
    from doudi.policy import show

    on = dt.date.fromisoformat(_check_date(args.date, "--date") or dt.date.today().isoformat())
    sys.stdout.write(show.render(args.region, on, args.residence, _parse_sets(args.set), args.format))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="doudi", description="doudi (兜底): social assistance rules and casework")
    sub = ap.add_subparsers(dest="command", required=True)

    a = sub.add_parser("assess", help="decide one household (JSON) for every program")
    a.add_argument("file", help="household JSON file, or - for standard input")
    a.add_argument("--date", help="assessment date YYYY-MM-DD (overrides the file's)")
    a.add_argument("--region", help="region code (overrides the file's)")
    a.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a policy parameter for this run")
    a.add_argument("--format", choices=("json", "text"))
    a.set_defaults(func=cmd_assess)

    pol = sub.add_parser("policy", help="policy parameters")
    psub = pol.add_subparsers(dest="policy_command", required=True)
    ps = psub.add_parser("show", help="parameters in force for a region on a date")
    ps.add_argument("region")
    ps.add_argument("--date", help="YYYY-MM-DD (default today)")
    ps.add_argument("--residence", choices=("urban", "rural"), default="urban",
                    help="whose values to show where a document governs only urban or rural households")
    ps.add_argument("--set", action="append", metavar="NAME=VALUE")
    ps.add_argument("--format", choices=("text", "json"), default="text")
    ps.set_defaults(func=cmd_policy_show)

    for register in _extensions():
        register(sub)
    return ap


def _extensions():
    """Subcommands defined beside their capability (batch, synth, demo), if installed."""
    out = []
    for mod in ("doudi.batch.cli", "doudi.web.cli"):
        try:
            module = __import__(mod, fromlist=["register"])
        except ImportError:
            continue
        out.append(module.register)
    return out


class _Parser(argparse.ArgumentParser):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except InputError as exc:
        print(f"doudi: {exc.message()}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"doudi: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
