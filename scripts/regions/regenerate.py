#!/usr/bin/env python3
"""Rebuild doudi/policy/data/regions/ from python-stdnum (PyPI) and china-division (npm).

    python scripts/regions/regenerate.py                     # download both into a temp dir
    python scripts/regions/regenerate.py --stdnum-wheel W.whl --china-division DIR

Sources (see doudi/policy/data/regions/README.md for versions and licences):
- python-stdnum's stdnum/cn/loc.dat: every GB/T 2260 county-level code since about 1980 with
  its names and the years each name was in force ("[1985-2003]秦城区,[2004-]秦州区").
- china-division's dist/*.csv: the statistical division codes (统计用区划代码) of the national
  statistics bureau, province to village (12 digits), including statistical-only county-level
  codes (development zones, 71–79).

Outputs (gzip'd UTF-8 CSV, header first):
- codes.csv.gz: code,name,current,kind,history — every 6-digit code that has ever existed.
  kind: gb (GB/T 2260, in stdnum) or stat (statistical code only). current: 1 if in force now
  (open-ended in stdnum, or a statistical-only code of china-division). history: stdnum's names
  with their years, `;`-separated, as `start-end:name` (empty start/end = open).
- townships.csv.gz: code,name — 9-digit township (乡镇、街道) codes.
- villages/NN.csv.gz: code,name — 12-digit village (村、居委会) codes of province NN.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "doudi" / "policy" / "data" / "regions"
STDNUM = "python-stdnum==2.2"
CHINA_DIVISION = "china-division@2.7.0"
NAME_RE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


def fetch(tmp: Path) -> tuple[Path, Path]:
    """Download the stdnum wheel with pip and the china-division tarball with npm into tmp."""
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                    STDNUM, "-d", str(tmp)], check=True)
    wheel = next(tmp.glob("python_stdnum-*.whl"))
    subprocess.run(["npm", "pack", "-q", CHINA_DIVISION], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    tgz = next(tmp.glob("china-division-*.tgz"))
    subprocess.run(["tar", "xzf", tgz.name], cwd=tmp, check=True)
    return wheel, tmp / "package"


def read_stdnum(wheel: Path) -> dict[str, list[tuple[str, str, str]]]:
    """code -> [(start, end, name), …] from stdnum/cn/loc.dat."""
    with zipfile.ZipFile(wheel) as z:
        text = z.read("stdnum/cn/loc.dat").decode("utf-8")
    out: dict[str, list[tuple[str, str, str]]] = {}
    prov = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line.startswith(" "):
            prov = line[:2]
            continue
        m = re.match(r"\s+(\d{4}) county=\"(.*)\"$", line)
        if not m:
            raise SystemExit(f"unexpected line in loc.dat: {line!r}")
        periods = []
        for part in m.group(2).split(","):
            pm = NAME_RE.match(part)
            periods.append((pm.group(1), pm.group(2), pm.group(3)) if pm else ("", "", part))
        out[prov + m.group(1)] = periods
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_division(pkg: Path) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    dist = pkg / "dist"
    six: dict[str, str] = {}
    for r in read_csv(dist / "provinces.csv"):
        six[r["code"] + "0000"] = r["name"]
    for r in read_csv(dist / "cities.csv"):
        six[r["code"] + "00"] = r["name"]
    for r in read_csv(dist / "areas.csv"):
        six[r["code"]] = r["name"]
    towns = sorted((r["code"], r["name"]) for r in read_csv(dist / "streets.csv"))
    villages = sorted((r["code"], r["name"]) for r in read_csv(dist / "villages.csv"))
    return six, towns, villages


def merge(stdnum: dict[str, list[tuple[str, str, str]]], division: dict[str, str]) -> list[list[str]]:
    rows = []
    for code in sorted(set(stdnum) | set(division)):
        periods = stdnum.get(code)
        if periods:
            latest = periods[-1]
            current = latest[1] == ""
            name = latest[2] if current else division.get(code, latest[2])
            kind = "gb"
            history = ";".join(f"{s}-{e}:{n}" for s, e, n in periods)
        else:
            name, current, kind, history = division[code], True, "stat", ""
        rows.append([code, name, "1" if current else "0", kind, history])
    return rows


def write_gz(path: Path, header: list[str], rows: list) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same inputs give byte-identical files
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(buf.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stdnum-wheel", type=Path, help="a python-stdnum wheel (default: pip download)")
    ap.add_argument("--china-division", type=Path, help="an unpacked china-division package dir (default: npm pack)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel, pkg = args.stdnum_wheel, args.china_division
        if wheel is None or pkg is None:
            w, p = fetch(Path(tmp))
            wheel, pkg = wheel or w, pkg or p
        stdnum = read_stdnum(wheel)
        six, towns, villages = read_division(pkg)
    rows = merge(stdnum, six)
    write_gz(args.out / "codes.csv.gz", ["code", "name", "current", "kind", "history"], rows)
    write_gz(args.out / "townships.csv.gz", ["code", "name"], towns)
    by_prov: dict[str, list[tuple[str, str]]] = {}
    for code, nm in villages:
        by_prov.setdefault(code[:2], []).append((code, nm))
    for old in (args.out / "villages").glob("*.csv.gz"):
        old.unlink()
    for prov, vs in by_prov.items():
        write_gz(args.out / "villages" / f"{prov}.csv.gz", ["code", "name"], vs)
    print(f"{len(rows)} county-level codes ({sum(r[2] == '1' for r in rows)} current), "
          f"{len(towns)} townships, {len(villages)} villages in {len(by_prov)} provinces -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
