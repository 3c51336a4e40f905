"""Helpers shared by the benchmark scripts: population files, timed subprocesses, memory.

Benchmarks print figures; they are not tests. Population files go to benchmarks/out/
(git-ignored) and are reused when present with the same size and seed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
DOUDI = ROOT / ".venv" / "bin" / "doudi"
DATE = "2024-06-01"
REGIONS = ["620000", "150000"]  # 甘肃省 and 内蒙古自治区: every county of both provinces


def population(households: int, seed: int = 1, regions: list[str] | None = None, name: str | None = None) -> Path:
    """A synthetic population file (Parquet), written once by `doudi.batch.synth.write`."""
    OUT.mkdir(exist_ok=True)
    path = OUT / (name or f"pop_{households}_{seed}.parquet")
    if not path.exists():
        from doudi.batch.synth import write

        started = time.perf_counter()
        tmp = path.with_suffix(".tmp.parquet")
        persons = write(str(tmp), households, regions or REGIONS, seed=seed, date=DATE)
        tmp.rename(path)
        print(f"wrote {households:,} households ({persons:,} persons) to {path.name} in "
              f"{time.perf_counter() - started:.1f} s", flush=True)
    return path


@dataclass
class Run:
    wall: float  # seconds
    peak_rss_mb: float  # largest single process (GNU time) or the whole tree (sampled)
    tree_peak_mb: float  # sum over the process tree, sampled every 0.1 s
    cpu: float  # user + system seconds of the process and its waited-for children (GNU time)
    stdout: str
    stderr: str
    returncode: int


def timed(cmd: list[str], env: dict[str, str] | None = None, progress: float = 0) -> Run:
    """Run a command under /usr/bin/time -v; also sample the RSS of its whole process tree
    (and print it every `progress` seconds when given)."""
    import psutil

    full = ["/usr/bin/time", "-v", *map(str, cmd)]
    started = time.perf_counter()
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})})
    peak = [0.0]
    next_report = [progress]
    stop = threading.Event()

    def sample() -> None:
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        while not stop.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
            except psutil.Error:
                break
            peak[0] = max(peak[0], total / 2**20)
            now = time.perf_counter() - started
            if progress and now >= next_report[0]:
                next_report[0] += progress
                print(f"  … {now:6.0f} s: process tree {total / 2**20:,.0f} MiB (peak so far {peak[0]:,.0f} MiB), "
                      f"{load()}", flush=True)
            stop.wait(0.1)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - started
    stop.set()
    t.join()
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    rss = int(m.group(1)) / 1024 if m else float("nan")
    e = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", err)
    if e:
        parts = [float(x) for x in e.group(1).split(":")]
        wall = sum(v * 60 ** k for k, v in enumerate(reversed(parts)))
    cpu = sum(float(x) for x in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", err))
    body = err.split("\tCommand being timed")[0]
    return Run(wall, rss, peak[0], cpu, out, body, proc.returncode)


def load() -> str:
    return "load average " + ", ".join(f"{x:.1f}" for x in os.getloadavg())


def machine() -> str:
    import platform

    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.1f} GiB RAM"
    except ImportError:
        mem = ""
    return f"{platform.machine()}, {os.cpu_count()} CPUs, {mem}, Python {sys.version.split()[0]}"
