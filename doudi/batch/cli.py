"""`doudi batch assess`, `doudi batch compare` and `doudi synth` (docs/batch.md).

doudi/cli.py calls `register(subparsers)`. Bad input raises InputError, which the main
command prints as one line on stderr with exit status 2; OUT is never left half written.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import importlib
import os
import sys
import threading
import time
from pathlib import Path
from types import ModuleType

from doudi.policy.errors import InputError


class MissingPart(Exception):
    """A module of doudi.batch that is not installed yet."""


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser("batch", help="decide or compare whole populations (Parquet or CSV)")
    bsub = b.add_subparsers(dest="batch_command", required=True)

    a = bsub.add_parser("assess", help="every program for every household of a population file")
    a.add_argument("infile", metavar="IN", help="population file: Parquet, or CSV by extension (one row per person)")
    a.add_argument("outfile", metavar="OUT", help="results: Parquet, or CSV by extension (one row per household)")
    a.add_argument("--engine", choices=("local", "dask"), default="local")
    a.add_argument("--scheduler", metavar="ADDR", help="Dask scheduler address (default: start a local cluster)")
    a.add_argument("--workers", type=int, default=2, help="worker processes of a local Dask cluster (default 2)")
    a.add_argument("--set", action="append", metavar="NAME=VALUE", help="override a policy parameter for this run")
    a.add_argument("--program", action="extend", nargs="+", metavar="NAME",
                   help="decide only these programs (and those they read); OUT has their columns only")
    a.add_argument("--date", help="assess every household on this date YYYY-MM-DD (default: its own, else today)")
    a.add_argument("--threads", type=int, default=min(4, os.cpu_count() or 1),
                   help="local engine: chunks of 100,000 households decided in parallel (default: cores, at most 4)")
    a.add_argument("--quiet", action="store_true", help="no summary line on stderr")
    a.add_argument("--policy", metavar="PARAMS.yaml",
                   help="decide on a parameter file of `doudi policy export` (its regions only)")
    a.set_defaults(func=cmd_batch_assess)

    c = bsub.add_parser("compare", help="what if: the population under changed parameters")
    c.add_argument("infile", metavar="IN", help="population file: Parquet, or CSV by extension")
    c.add_argument("--set", action="append", metavar="NAME=VALUE", required=True,
                   help="the changed parameter (repeatable)")
    c.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the comparison as a workbook")
    c.set_defaults(func=cmd_batch_compare)

    s = sub.add_parser("synth", help="a synthetic population, calibrated to published figures")
    s.add_argument("outfile", metavar="OUT", nargs="?", help="population file to write (Parquet, or CSV by extension)")
    s.add_argument("--households", type=int, required=True, help="number of households")
    s.add_argument("--region", action="extend", nargs="+", required=True, metavar="CODE",
                   help="region code(s): --region 620422 150202, or --region repeated")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--date", help="assessment date written on every household (YYYY-MM-DD)")
    s.set_defaults(func=cmd_synth)


def _sets(values: list[str] | None) -> dict[str, str]:
    from doudi.cli import _parse_sets

    return _parse_sets(values)


def _date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise InputError("--date", "a date as YYYY-MM-DD", value) from None
    return value


def _part(name: str) -> ModuleType:
    """Import doudi.batch.<name> lazily; a clear message when it is not there."""
    try:
        return importlib.import_module(f"doudi.batch.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"doudi.batch.{name}":
            raise MissingPart(f"doudi.batch.{name} is not installed yet") from None
        raise


def _with_source(exc: InputError, source: str) -> InputError:
    return exc.with_source(exc.source or source)


def cmd_batch_assess(args: argparse.Namespace) -> int:
    # No rule multiplies matrices, so numpy's OpenBLAS needs no threads of its own: started at
    # numpy's import, they spin on the cores the read and the deciding threads need (a tenth of a
    # million-household run's CPU, measured). Read when numpy is first imported, i.e. just below;
    # a value set in the environment is kept.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from doudi.batch.memory import tune_allocator

    with _collector_after_start_up():
        tune_allocator()  # before Arrow allocates anything
        started = time.perf_counter()
        reading = _Reading(args.infile) if args.engine == "local" else None
        try:
            from doudi.batch.engine import parse_sets
            from doudi.policy.engine import modules_for
            from doudi.policy.params import default_policy

            sets = _sets(args.set)
            policy = policy_file(args.policy) if args.policy else default_policy()
            parse_sets(policy, sets)  # a bad --set is reported whatever the file holds
            modules_for(args.program)  # so is an unknown --program
            date = _date(args.date)
        except BaseException:
            if reading is not None:
                reading.join()  # the process does not end while Arrow is still reading
            raise
        grouped = reading.grouped if reading is not None else None
        gc.freeze()  # what start-up made lives to the end: no collection need look at it again
        gc.enable()
        if args.engine == "dask":
            from doudi.batch import dask_engine

            n = dask_engine.assess_file(args.infile, args.outfile, sets, scheduler=args.scheduler,
                                        workers=args.workers, date=date, programs=args.program,
                                        policy_path=args.policy)
        else:
            n = assess_file(args.infile, args.outfile, sets, date=date, threads=args.threads,
                            programs=args.program, policy=policy, grouped=grouped)
    if not args.quiet:
        print(f"doudi: {n} households decided in {time.perf_counter() - started:.1f} s → {args.outfile}",
              file=sys.stderr)
    if args.engine == "local":  # OUT is closed and in place; nothing is left but the arrays to free
        from doudi.cli import end_at_once

        end_at_once()
    return 0


@contextlib.contextmanager
def _collector_after_start_up():
    """Python's cyclic garbage collector off while the command starts (the imports, the
    parameters and the read make some 10^5 objects that all live to the end, and collecting
    among them took 35-55 ms of a million-household run, holding the GIL), frozen out of every
    later collection once started (the command calls gc.freeze and gc.enable when it is), and
    as it was when the command ends (a caller in the same process, a test, keeps its collector)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


class _Reading(threading.Thread):
    """IN read, and its rows grouped into households, on a thread of its own while the policy
    core is imported and the parameters are checked: Arrow reads without the GIL, the imports
    hold it, so the two share the cores instead of taking turns (benchmarks/RESULTS.md). Only
    doudi.batch.reading (pyarrow and the field list) is imported before the read starts; the
    grouping's module (doudi.batch.io) is imported by then by the main thread."""

    def __init__(self, path: str):
        from doudi.batch import reading  # imported here, so that the thread starts reading at once

        super().__init__(name="doudi-read", daemon=True)
        self.path = path
        self._read = reading.read_table
        self._grouped = None
        self._error: BaseException | None = None
        self.start()

    def run(self) -> None:
        try:
            table = self._read(self.path)
            from doudi.batch import io

            self._grouped = io.group(table, self.path)
        except BaseException as exc:  # handed to the main thread, which reports it
            self._error = exc

    def grouped(self):
        """IN grouped (io.Grouped), or the read's or the grouping's own error raised here."""
        self.join()
        if self._error is not None:
            raise self._error
        return self._grouped


def policy_file(path: str):
    """The policy of a parameter file (`doudi policy export`); InputError naming --policy."""
    from doudi.policy.errors import PolicyDataError
    from doudi.policy.provider import FileProvider

    try:
        return FileProvider(path).policy()
    except PolicyDataError as exc:
        raise InputError("--policy", "a parameter file written by `doudi policy export`", str(exc)) from None


def assess_file(infile: str, outfile: str, sets: dict[str, str] | None = None, *, date: str | None = None,
                threads: int = 1, programs: list[str] | None = None, policy=None, grouped=None) -> int:
    """The local engine from file to file; returns the number of households. Each chunk's rows
    of OUT are written while the threads decide the next; OUT appears only when all are.
    `grouped`: a callable giving IN already read and grouped (`_Reading.grouped`), else it is
    read and grouped here."""
    from doudi.batch import io
    from doudi.batch.engine import empty_results, iter_chunks, parse_sets
    from doudi.policy.params import default_policy

    policy = policy or default_policy()
    overrides = parse_sets(policy, sets)
    table = io.read_table(infile) if grouped is None else None
    try:
        grouped = io.group(table, infile) if grouped is None else grouped()
        if grouped.n == 0:
            _write(empty_results(grouped.ids.type, policy, overrides, programs), outfile)
            return 0
        writer = None
        try:
            for lo, hi, done in iter_chunks(grouped, overrides, policy=policy, date=date, threads=threads,
                                            programs=programs):
                part = io.results_table(grouped.ids.slice(lo, hi - lo), done)
                if writer is None:
                    writer = _writer(outfile, part.schema)
                writer.write(part)
            writer.close()
        except BaseException as exc:
            if writer is not None:
                writer.abort()
            if isinstance(exc, OSError):
                raise _unwritable(exc, outfile) from None
            raise
    except InputError as exc:
        raise _with_source(exc, infile) from None
    return grouped.n


def _writer(outfile: str, schema):
    from doudi.batch import io

    try:
        return io.AtomicParquetWriter(outfile, schema)
    except OSError as exc:
        raise _unwritable(exc, outfile) from None


def _write(table, outfile: str) -> None:
    from doudi.batch import io

    try:
        io.write_table(table, outfile)
    except OSError as exc:
        raise _unwritable(exc, outfile) from None


def _unwritable(exc: OSError, outfile: str) -> InputError:
    return InputError("$", "a writable output path", str(exc), source=outfile)


def cmd_batch_compare(args: argparse.Namespace) -> int:
    from doudi.batch import io

    sets = _sets(args.set)
    compare = _part("compare")
    table = io.read_table(args.infile)
    try:
        text = compare.compare(table, sets, args.xlsx)
    except InputError as exc:
        raise _with_source(exc, args.infile) from None
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_synth(args: argparse.Namespace) -> int:
    if args.households < 0:
        raise InputError("--households", "a whole number, not negative", args.households)
    regions, outfile = list(args.region), args.outfile
    if outfile is None and regions and not regions[-1].isdigit():  # `--region A B OUT`: OUT was taken in
        outfile = regions.pop()
    if outfile is None:
        raise InputError("OUT", "the population file to write (Parquet, or CSV by extension)")
    synth = _part("synth")
    from doudi.batch.calibration import SAMPLE_HOUSEHOLDS, calibration_report

    sample: list = []  # the first chunks, up to the households the calibration report reads

    def keep(chunk) -> None:
        if len(sample) * synth.CHUNK < SAMPLE_HOUSEHOLDS:  # every chunk but the last holds CHUNK households
            sample.append(chunk)

    target = Path(outfile)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp{target.suffix}")
    try:
        synth.write(str(tmp), args.households, regions, seed=args.seed, date=_date(args.date), on_chunk=keep)
        os.replace(tmp, target)  # OUT appears whole or not at all
    except OSError as exc:
        raise InputError("OUT", "a writable output path", str(exc), source=outfile) from None
    finally:
        tmp.unlink(missing_ok=True)
    if sample:
        import pyarrow as pa

        sys.stdout.write(calibration_report(pa.concat_tables(sample)).rstrip("\n") + "\n")
    return 0


def main_guard(func):
    """Turn MissingPart into the one-line error of the doudi command."""
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return func(args)
        except MissingPart as exc:
            from doudi.cli import UsageError

            raise UsageError(str(exc)) from None
    return wrapped


cmd_batch_compare = main_guard(cmd_batch_compare)
cmd_synth = main_guard(cmd_synth)
