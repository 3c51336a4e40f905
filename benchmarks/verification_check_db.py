"""The whole `doudi verify check` (issue 12): 1,000,000 recipients in PostgreSQL against 10,000,000 department records.

Target (issue 12): the monthly check of 1,000,000 recipients against 10,000,000 records in ≤ 30 s, memory ≤ 2 GB.
benchmarks/verification_check.py measures the engine alone on Parquet; this script measures the command the
scheduled batch runs for a county: the export from the registry, the engine, and writing the findings as
worklist tasks (one transaction), in a child process under /usr/bin/time -v.

1. Fills PostgreSQL (database `verify_bench`, re-created unless --keep) by COPY from Arrow tables: the
   recipients of benchmarks/verification_data.py (households of 1–4, 90 % 低保 of the household, 10 % 特困
   benefits of each member), all in one county (620422, 200 villages): households, persons (declared wages
   in `facts`), memberships, benefits.
2. Writes the department snapshots as the import writes them (store.write_snapshot: one Parquet file per
   data set and extraction date, with its DataSet and Snapshot rows): the 10 kinds of verification_data.py,
   `--records` rows in all, about 1 % of each kind about recipients; the records' region codes are
   villages of the county (so the records without an ID number are blocked on the county).
3. Runs `doudi verify check --county 620422 --date 2026-11-02 --timings` twice: the first run writes every
   finding; the second finds the same and writes none (idempotent). Prints wall, CPU, peak RSS, the load
   average and each phase (export, engine, findings).

Run (PostgreSQL on 127.0.0.1, user postgres, trust):
  DOUDI_DB=postgres .venv/bin/python benchmarks/verification_check_db.py [--members 1000000] [--records 10000000]
      [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
from common import DOUDI, OUT, load, machine, timed

DB = os.environ.get("DOUDI_BENCH_DB", "verify_bench")
COUNTY = "620422"
VILLAGES = np.array([f"{COUNTY}{100 + t:03d}{201 + v:03d}" for t in range(10) for v in range(20)])
ON = dt.date(2026, 11, 2)
EXTRACTED = dt.date(2026, 10, 31)


def _copy(cur, table: str, data: pa.Table) -> None:
    """COPY an Arrow table into `table` (its column names), through CSV (every non-null value quoted:
    an empty string stays empty, a null is NULL)."""
    buf = io.BytesIO()
    pcsv.write_csv(data, buf, pcsv.WriteOptions(include_header=False, quoting_style="all_valid"))
    cols = ", ".join(f'"{c}"' for c in data.column_names)
    with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as cp:
        cp.write(buf.getvalue())


def _const(value, n: int, type_: pa.DataType | None = None) -> pa.Array:
    return pa.array([value], type_ or pa.string()).take(pa.array(np.zeros(n, np.int64)))


def fill(conn, members: int) -> tuple[int, int, int]:
    """Households, persons, memberships and benefits by COPY; (households, persons, benefits)."""
    from verification_data import recipients

    b_path, m_path = recipients(members)
    b, m = pq.read_table(b_path), pq.read_table(m_path)
    h = b.num_rows
    hid = pc.add(b["benefit_id"], 1)
    now = "2026-10-01 00:00:00+00"
    residence = b["residence"]
    assets = _const('{"assets": {"homes": 1, "vehicles": 0}}', h)
    village = pa.array(VILLAGES[np.arange(h) % len(VILLAGES)])
    households = pa.table({"id": hid, "region_code": village, "county": _const(COUNTY, h), "residence": residence,
                           "address": _const("1组1号", h), "phone": _const("", h), "facts": assets,
                           "created_at": _const(now, h), "updated_at": _const(now, h),
                           "version": pa.array(np.ones(h, np.int64))})
    n = m.num_rows
    pid = pc.add(m["person_id"], 1)
    ids = m["id_number"]
    sex = np.where(pc.cast(pc.utf8_slice_codeunits(ids, 16, 17), pa.int8()).to_numpy() % 2 == 1, "M", "F")
    wages = m["wages_fen"].to_numpy()
    facts = np.where(wages > 0, np.char.add(np.char.add('{"monthly_income": {"wages": ',
                                                        (wages // 100).astype(str)), "}}"), "{}")
    persons = pa.table({"id": pid, "id_number": ids, "name": m["name"], "name_initials": _const("x", n),
                        "sex": pa.array(sex), "birth_date": m["birth_date"], "ethnic_minority": pa.array(np.zeros(n, bool)),
                        "phone": _const("", n), "facts": pa.array(facts), "created_at": _const(now, n),
                        "updated_at": _const(now, n)})
    member_hid = pc.add(m["benefit_id"], 1)
    bid = m["benefit_id"].to_numpy()
    first = np.r_[True, bid[1:] != bid[:-1]]
    relation = np.where(first, "self", np.where(np.r_[False, first[:-1]], "spouse", "child"))
    memberships = pa.table({"id": pid, "household_id": member_hid, "person_id": pid, "relation": pa.array(relation),
                            "start": _const(dt.date(2020, 1, 1), n, pa.date32()), "end": pa.nulls(n, pa.date32()),
                            "end_reason": _const("", n), "note": _const("", n)})
    # 低保 of the household, or 特困 of each member of a 特困 household
    program = b["program"].to_numpy(zero_copy_only=False)
    dibao = np.flatnonzero(program == "dibao")
    tekun_members = np.flatnonzero(program[bid] == "tekun")
    k = len(dibao) + len(tekun_members)
    b_hid = np.r_[dibao + 1, bid[tekun_members] + 1]
    b_person = pa.array(np.r_[np.zeros(len(dibao), np.int64), tekun_members + 1], pa.int64(),
                        mask=np.r_[np.ones(len(dibao), bool), np.zeros(len(tekun_members), bool)])
    benefits = pa.table({
        "id": pa.array(np.arange(1, k + 1)), "household_id": pa.array(b_hid), "person_id": b_person,
        "region": village.take(pa.array(b_hid - 1)), "program": pa.array(np.r_[np.full(len(dibao), "dibao"),
                                                                               np.full(len(tekun_members), "tekun")]),
        "amount_fen": pa.array(np.full(k, 45000)), "start_month": _const(dt.date(2025, 1, 1), k, pa.date32()),
        "status": _const("active", k), "cycle": _const("yearly", k), "income_unstable": pa.array(np.zeros(k, bool)),
        "next_review_on": pa.nulls(k, pa.date32()), "decision_app": _const("", k), "decision_model": _const("", k),
        "decision_pk": _const("", k), "assessment": _const("{}", k), "parameters": _const("[]", k),
        "household_document": _const("{}", k), "exit_first_month": pa.nulls(k, pa.date32()),
        "exit_months": pa.nulls(k, pa.int32()), "end_month": pa.nulls(k, pa.date32()),
        "last_month": pa.nulls(k, pa.date32()), "version": pa.array(np.zeros(k, np.int64)),
        "created_at": _const(now, k)})
    with conn.cursor() as cur:
        for table, data in (("registry_household", households), ("registry_person", persons),
                            ("registry_membership", memberships), ("benefits_benefit", benefits)):
            _copy(cur, table, data)
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    return h, n, k


def _records(kind: str, members: int, k: int, rng: np.random.Generator, home: np.ndarray) -> pa.Table:
    """`k` records of `kind` as the import writes them (verification_data.py), in the county's villages
    (a recipient's records in the village of the household, `home`)."""
    from verification_data import _kind_columns, names, person

    if kind == "huji":  # the whole register: every recipient and other residents
        who = np.r_[np.arange(members), members + rng.integers(0, 13 * members, k - members)] if k > members \
            else np.arange(k)
    else:
        ours = rng.random(k) < 0.01
        who = np.where(ours, rng.integers(0, members, k), members + rng.integers(0, 13 * members, k))
    _county, births, ids = person(who)
    ids = ids.astype(object)
    if kind in ("death", "vehicle", "real_estate"):
        ids[rng.random(k) < 0.01] = None
    return pa.table({"row": pa.array(np.arange(2, k + 2, dtype=np.int32)), "id_number": pa.array(ids, pa.string()),
                     "name": pa.array(names(who)), "birth_date": pa.array(births, pa.date32()),
                     "region": pa.array(np.where(who < len(home), home[np.minimum(who, len(home) - 1)],
                                                 VILLAGES[who % len(VILLAGES)])), **_kind_columns(kind, k, rng)})


def snapshots(members: int, records: int) -> int:
    """The department snapshots under the data root with their DataSet and Snapshot rows; the records written."""
    from django.utils import timezone
    from verification_data import SHARES, recipients

    from doudi.accounts.models import User
    from doudi.verification import store
    from doudi.verification.datasets import data_root
    from doudi.verification.kinds import kind as kind_of
    from doudi.verification.models import DataSet, Snapshot

    cache = OUT / "verify_db"
    cache.mkdir(parents=True, exist_ok=True)
    clerk, _ = User.objects.get_or_create(username="bench_verifier")
    rng = np.random.default_rng(3)
    total = 0
    home = None
    for kind, share in SHARES.items():
        path = cache / f"{kind}_{members}_{records}.parquet"
        k = int(records * share)
        if path.exists():
            table = pq.read_table(path)
        else:
            if home is None:  # the village of each recipient's household (fill: household i in village i mod 200)
                home = VILLAGES[pq.read_table(recipients(members)[1], columns=["benefit_id"])["benefit_id"]
                                .to_numpy() % len(VILLAGES)]
            table = _records(kind, members, k, rng, home)
            pq.write_table(table, path, compression="zstd")
        written = store.write_snapshot(data_root(), kind, COUNTY, EXTRACTED, table)
        dataset, _ = DataSet.objects.get_or_create(kind=kind, area=COUNTY,
                                                   defaults={"department": kind_of(kind).department})
        Snapshot.objects.create(dataset=dataset, extracted_on=EXTRACTED, uploaded_by=clerk, uploaded_at=timezone.now(),
                                source_name=f"{kind}.csv", file_format="csv", encoding="utf-8", rows=table.num_rows,
                                sha256="0" * 64, path=str(written.relative_to(data_root())))
        total += table.num_rows
    return total


class ServerCPU:
    """CPU seconds of the PostgreSQL processes on this machine while a command runs, sampled every 0.2 s
    (a backend that exits — the command's own — counts up to its last sample). Read only; every backend
    is counted, so other users of the server are included."""

    def __init__(self) -> None:
        import threading

        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.running = False
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        for p in psutil.process_iter(["name"]):
            if (p.info["name"] or "").startswith("postgres"):
                try:
                    t = p.cpu_times()
                except psutil.Error:
                    continue
                # a process there at the start counts from then; one that starts later, all of its CPU
                self.first.setdefault(p.pid, 0.0 if self.running else t.user + t.system)
                self.last[p.pid] = t.user + t.system

    def _run(self) -> None:
        while not self.stop.wait(0.2):
            self._sample()

    def __enter__(self) -> ServerCPU:
        self._sample()
        self.running = True
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self._sample()

    @property
    def seconds(self) -> float:
        return sum(self.last[p] - self.first.get(p, 0.0) for p in self.last)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", type=int, default=1_000_000)
    ap.add_argument("--records", type=int, default=10_000_000)
    ap.add_argument("--keep", action="store_true", help="reuse the filled database (and its findings)")
    args = ap.parse_args()
    if os.environ.get("DOUDI_DB") not in ("postgres", "postgresql", "pg"):
        print("run with DOUDI_DB=postgres (the figures are for PostgreSQL)", file=sys.stderr)
        return 2
    base = os.environ.get("DOUDI_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    os.environ["DOUDI_PG_URL"] = f"{base}/{DB}"
    os.environ["DOUDI_HOME"] = os.environ.get("DOUDI_HOME", f"/tmp/doudi-bench-{DB}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doudi.web.settings")
    import shutil

    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if exists and not args.keep:
            conn.execute(f"DROP DATABASE {DB} WITH (FORCE)")
        if not exists or not args.keep:
            conn.execute(f"CREATE DATABASE {DB}")
            shutil.rmtree(os.path.join(os.environ["DOUDI_HOME"], "verification"), ignore_errors=True)
    import django

    django.setup()
    from django.core.management import call_command

    from doudi.registry.models import Household
    from doudi.verification.models import Finding

    call_command("migrate", verbosity=0, stdout=io.StringIO())
    if not Household.objects.exists():
        t = time.perf_counter()
        with psycopg.connect(os.environ["DOUDI_PG_URL"], autocommit=True) as conn:
            h, n, k = fill(conn, args.members)
            conn.execute("VACUUM ANALYZE")
        print(f"filled {h:,} households, {n:,} persons, {k:,} benefits by COPY in {time.perf_counter() - t:.1f} s",
              flush=True)
        t = time.perf_counter()
        total = snapshots(args.members, args.records)
        print(f"wrote {total:,} department records (10 snapshots) in {time.perf_counter() - t:.1f} s", flush=True)
    from django.db import connections

    from doudi.verification.models import CheckRun

    Finding.objects.all().delete()  # (--keep: the first run writes every finding again)
    CheckRun.objects.all().delete()
    connections.close_all()
    print(f"machine: {machine()}; database: PostgreSQL {DB}")
    cmd = [DOUDI, "verify", "check", "--county", COUNTY, "--date", ON.isoformat(), "--timings"]
    for label in ("first run", "second run"):
        before = load()
        with ServerCPU() as pg:
            r = timed(cmd, env=dict(os.environ))
        if r.returncode:
            print(r.stderr, file=sys.stderr)
            return r.returncode
        out = r.stdout.strip().splitlines()
        print(f"{label}: {' '.join(map(str, cmd[1:]))}")
        print("  " + out[0])
        print("  " + out[-1])
        print(f"  wall {r.wall:.1f} s (CPU {r.cpu:.1f} s), peak RSS {r.peak_rss_mb:,.0f} MiB (process tree "
              f"{r.tree_peak_mb:,.0f} MiB); before: {before}; after: {load()}")
        print(f"  PostgreSQL server CPU meanwhile {pg.seconds:.1f} s (every backend: includes other users of the server)")
    print(f"findings (worklist tasks) in the database: {Finding.objects.count():,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
