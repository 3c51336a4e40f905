"""The monthly check of a province on a Dask cluster: one task per county, the same engine.check.

The recipients' export is written as Parquet partitioned by county (one file of benefits and one
of members per county, `write_partitions`); each task reads its county's two files and the
snapshot paths of its county (a worker needs the same files: one machine, or a shared file
system), runs engine.check in a DuckDB of its own, and returns its findings (small); the client
concatenates them. Without a scheduler address a LocalCluster of `workers` processes is started
for the run, as doudi/batch/dask_engine.py does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from doudi.verification import engine


def write_partitions(benefits: pa.Table, members: pa.Table, folder: Path) -> list[str]:
    """benefits/members split by county into <folder>/<county>/{benefits,members}.parquet; the counties."""
    folder = Path(folder)
    counties = sorted(set(benefits["county"].to_pylist()))
    county_of = dict(zip(benefits["benefit_id"].to_pylist(), benefits["county"].to_pylist(), strict=True))
    member_county = pa.array([county_of[b] for b in members["benefit_id"].to_pylist()], pa.string())
    for county in counties:
        d = folder / county
        d.mkdir(parents=True, exist_ok=True)
        pq.write_table(benefits.filter(pc.equal(benefits["county"], county)), d / "benefits.parquet")
        pq.write_table(members.filter(pc.equal(member_county, county)), d / "members.parquet")
    return counties


def check_county(folder: str, county: str, limits: pa.Table, snapshots: Mapping[str, Sequence[str]], on: dt.date,
                 threshold: float, memory_limit: str, staff: Any = None, kin: Any = None,
                 rolls: Any = None) -> pa.Table:
    """One county's findings (runs on a worker)."""
    d = Path(folder) / county
    con = engine.connect(memory_limit=memory_limit, threads=1)
    try:
        return engine.check(pq.read_table(d / "benefits.parquet"), pq.read_table(d / "members.parquet"), limits,
                            snapshots, on, staff=staff, kin=kin, rolls=rolls, threshold=threshold, con=con)
    finally:
        con.close()


def check_counties(folder: Path, counties: Sequence[str], limits: pa.Table,
                   snapshots: Mapping[str, Mapping[str, Sequence[str]]], on: dt.date, *, threshold: float = 0.85,
                   scheduler: str | None = None, workers: int = 2, memory_limit: str = "700MB", staff: Any = None,
                   kin: Any = None, rolls: Any = None) -> pa.Table:
    """Every county's findings through a Dask cluster; `snapshots[county][kind]` are that county's paths."""
    from dask.distributed import Client, LocalCluster

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = [client.submit(check_county, str(folder), c, limits, snapshots[c], on, threshold, memory_limit,
                                 staff, kin, rolls, key=f"verification-check-{c}", pure=False) for c in counties]
        parts = client.gather(futures)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return pa.concat_tables(parts) if parts else engine.FINDING_SCHEMA.empty_table()
