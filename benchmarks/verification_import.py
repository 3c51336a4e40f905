"""Importing a 100,000-row department file (doudi.verification.datasets.import_snapshot).

Target (issue 12): at most 10 s on the 2-core machine. The whole import is timed: reading the CSV
(UTF-8 and GBK) or Excel file, checking every cell, writing the Parquet snapshot and its row
(a throw-away SQLite database under benchmarks/out/verify-import/).
Run: .venv/bin/python benchmarks/verification_import.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import os
import shutil
import time

import numpy as np
from common import OUT, load, machine


def _file(rows: int, encoding: str) -> bytes:
    from verification_data import names, person

    i = np.arange(rows) + 5_000_000
    _county, _births, ids = person(i)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["身份证号", "姓名", "缴费月份", "缴费基数", "缴费单位"])
    for number, name, base in zip(ids.tolist(), names(i).tolist(), (i % 50 * 100 + 2000).tolist(), strict=True):
        w.writerow([number, name, "2026-10", str(base), "会宁县某某有限公司"])
    return buf.getvalue().encode(encoding)


def _xlsx(data: bytes) -> bytes:
    import xlsxwriter

    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write_string(r, c, v)
    wb.close()
    return out.getvalue()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    home = OUT / "verify-import"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    os.environ["DOUDI_HOME"] = str(home)
    os.environ.pop("DOUDI_DB", None)
    from doudi.web.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from doudi.accounts.models import RoleAssignment, User
    from doudi.verification.datasets import import_snapshot

    user = User.objects.create_user(username="bench", password="Bench-Password-2026")
    RoleAssignment.objects.create(user=user, role="verification_officer", area="620422")
    utf8 = _file(args.rows, "utf-8")
    files = [("CSV UTF-8", utf8, "si.csv"), ("CSV GBK", _file(args.rows, "gbk"), "si.csv"),
             ("Excel .xlsx", _xlsx(utf8), "si.xlsx")]
    print(f"machine: {machine()}; {load()}")
    for k, (what, data, name) in enumerate(files):
        started, cpu = time.perf_counter(), time.process_time()
        r = import_snapshot(user, kind="social_insurance", area="620422", extracted_on=dt.date(2026, 11, 1 + k),
                            data=data, name=name)
        took, cpu = time.perf_counter() - started, time.process_time() - cpu
        assert r.ok, r.problems[:3]
        print(f"{what}: {r.snapshot.rows:,} rows ({len(data) / 2**20:.1f} MiB) imported in {took:.2f} s "
              f"(CPU {cpu:.2f} s) "
              f"[{r.described}]; {load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
