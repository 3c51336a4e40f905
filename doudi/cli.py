"""The `doudi` command (interfaces.md). Bad input exits 2 with one line on stderr."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from doudi.policy.errors import InputError

# Imports are made where they are used: `doudi batch assess` on a million households should not
# pay for the policy-show, Django or phrase-table modules it never calls (python -X importtime).


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
    from doudi.policy.household import parse_date

    try:
        parse_date(value)
    except ValueError as exc:
        raise InputError(flag, str(exc), value) from None
    return value


def _policy(args: argparse.Namespace):
    """The parameters a command decides on: the shipped data, or with `--database` (or
    DOUDI_PARAMS_STORE=database in the environment) the deployment's store (doudi.params)."""
    from doudi.policy.params import default_policy

    if getattr(args, "database", False) or os.environ.get("DOUDI_PARAMS_STORE") == "database":
        from doudi.web.cli import setup_django

        setup_django()
        from django.db import DatabaseError

        from doudi.params.store import current_policy

        try:
            return current_policy()
        except DatabaseError as exc:
            raise UsageError(f"--database: cannot read the parameter store ({one_line(str(exc))[:200]}); "
                             "is the database migrated (doudi migrate)?") from None
    return default_policy()


def _check_overrides(doc: dict, region: str | None, sets: dict[str, str], policy=None) -> None:
    """The document's `overrides` and `--set`, each name and value checked, with the bounds of the
    household's levels when its region is known (an unknown region is reported by the reader)."""
    from doudi.policy import regions, show
    from doudi.policy.params import default_policy

    policy = policy or default_policy()
    code = region if region is not None else doc.get("region")
    code = str(code).strip() if isinstance(code, (str, int)) and not isinstance(code, bool) else ""
    counties = (regions.county_of(code),) if regions.is_known(code) else ()
    given = doc.get("overrides")
    if isinstance(given, dict):
        show.check_overrides(policy, given, "overrides", counties)
    show.check_overrides(policy, sets, "--set", counties)


def cmd_assess(args: argparse.Namespace) -> int:
    from doudi.policy import show
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
        date = _check_date(args.date, "--date")
        region = None if args.region is None else show.check_region(args.region, "--region")
        sets = _parse_sets(args.set)
        policy = _policy(args)
        _check_overrides(doc, region, sets, policy)
        decision = assess(doc, date=date, region=region, sets=sets, policy=policy)
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
    sys.stdout.write(show.render(args.region, on, args.residence, _parse_sets(args.set), args.format,
                                 policy=_policy(args)))
    return 0


def cmd_policy_export(args: argparse.Namespace) -> int:
    """The resolved layers of the regions' levels on a date, as a parameter file for
    `doudi batch assess --policy` (and Dask runs)."""
    import yaml

    from doudi.policy import regions, show

    on = dt.date.fromisoformat(_check_date(args.date, "--date") or dt.date.today().isoformat())
    codes = [show.check_region(r, "REGION") for r in args.region]  # an unknown region: exit 2, one line
    policy = _policy(args)
    counties = [regions.county_of(c) for c in codes]
    data = policy.export(counties, on)
    sys.stdout.write("# doudi policy export " + " ".join(codes) + f" --date {on.isoformat()}\n")
    sys.stdout.write(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120))
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="doudi", description="doudi (兜底): social assistance rules and casework")
    sub = ap.add_subparsers(dest="command", required=True)

    a = sub.add_parser("assess", help="decide one household (JSON) for every program")
    a.add_argument("file", help="household JSON file, or - for standard input")
    a.add_argument("--date", help="assessment date YYYY-MM-DD (overrides the file's)")
    a.add_argument("--region", help="region code (overrides the file's)")
    a.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a policy parameter for this run")
    a.add_argument("--format", choices=("json", "text"))
    a.add_argument("--database", action="store_true",
                   help="decide on the deployment's parameter store (doudi.params) as well as the shipped data")
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
    ps.add_argument("--database", action="store_true", help="with the deployment's parameter store (doudi.params)")
    ps.set_defaults(func=cmd_policy_show)
    pe = psub.add_parser("export", help="the resolved parameter layers of regions on a date (YAML on stdout)")
    pe.add_argument("region", nargs="+", metavar="REGION")
    pe.add_argument("--date", help="YYYY-MM-DD (default today): entries in force then and every later one")
    pe.add_argument("--database", action="store_true", help="with the deployment's parameter store (doudi.params)")
    pe.set_defaults(func=cmd_policy_export)

    for register in _extensions():
        register(sub)
    return ap


def _extensions():
    """Subcommands defined beside their capability (batch, synth, demo), if installed."""
    out = []
    for mod in ("doudi.batch.cli", "doudi.web.cli", "doudi.verification.cli", "doudi.payments.cli",
                "doudi.logins.cli", "doudi.backup.cli", "doudi.monitoring.cli"):
        try:
            module = __import__(mod, fromlist=["register"])
        except Exception:  # not installed, or broken: the policy commands still work
            if os.environ.get("DOUDI_DEBUG"):
                raise
            continue
        out.append(module.register)
    return out


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit status 2), as all bad input; in Chinese
    under a Chinese locale (`chinese_locale`)."""

    def error(self, message: str) -> NoReturn:
        if chinese_locale():
            self.exit(2, f"{self.prog}：参数错误：{in_chinese(message)}（见 {self.prog} --help）\n")
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def chinese_locale() -> bool:
    """Whether the messages follow a Chinese locale: LC_ALL, else LC_MESSAGES, else LANG (POSIX order),
    e.g. LANG=zh_CN.UTF-8."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value.lower().startswith("zh")
    return False


# The command's error messages in both languages: one table (doudi/cli_phrases.py), imported
# only when a message is printed; `doudi.cli.ZH_PHRASES` and `in_chinese` still resolve.
def in_chinese(message: str) -> str:
    from doudi.cli_phrases import in_chinese as translate

    return translate(message)


def __getattr__(name: str):
    if name == "ZH_PHRASES":  # the table, by its former name
        from doudi.cli_phrases import TABLE

        return TABLE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _say(text: str) -> None:
    """One line on stderr: `doudi: …`, in Chinese under a Chinese locale."""
    line = one_line(text)
    print(f"doudi：{in_chinese(line)}" if chinese_locale() else f"doudi: {line}", file=sys.stderr)


def one_line(text: str) -> str:
    """The message with every unprintable character (newlines, controls) escaped: one line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except InputError as exc:
        _say(exc.message())
        return 2
    except UsageError as exc:
        _say(str(exc))
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug, never bad input: still one line, no traceback
        if os.environ.get("DOUDI_DEBUG"):
            raise
        detail = one_line(str(exc))[:300]
        if chinese_locale():
            print(f"doudi：内部错误：{type(exc).__name__}：{detail}（设置 DOUDI_DEBUG=1 可查看调用栈）", file=sys.stderr)
        else:
            print(f"doudi: internal error: {type(exc).__name__}: {detail} "
                  "(set DOUDI_DEBUG=1 to see the traceback)", file=sys.stderr)
        return 1


# Set by a command whose work is done and whose files are closed, when what is left in the process
# is only a large working set for Python to take apart (`end_at_once`).
_end_at_once = False


def end_at_once() -> None:
    """Ask the console script to end the process as soon as the command returns, without Python's
    teardown: after `doudi batch assess` on a million households that teardown frees some 400 MB of
    arrays object by object and stops Arrow's thread pools, 0.04-0.08 s of a run of well under a
    second (benchmarks/RESULTS.md). Only `run` acts on it; `main` called in a process that goes on
    (a test, a notebook) returns as always."""
    global _end_at_once
    _end_at_once = True


def run() -> NoReturn:
    """The `doudi` console script: `main` with the command line, then the exit status."""
    code = main()
    if _end_at_once:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (BrokenPipeError, ValueError):  # a reader that went away, a stream already closed
            pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
