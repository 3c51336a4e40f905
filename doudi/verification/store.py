"""Where department snapshots live: one Parquet directory per data set and extraction date.

    <root>/datasets/<kind>-<area>/<YYYY-MM-DD>/records.parquet

A snapshot is written once, atomically (a temporary file renamed into place), and never
overwritten: a second snapshot of the same data set and date is refused. Plain Python; the
Django side (models.Snapshot) keeps the same path.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

FILE = "records.parquet"


class SnapshotExists(Exception):
    """A snapshot of this data set and date is already stored."""


def dataset_dir(root: Path, kind: str, area: str) -> Path:
    return Path(root) / "datasets" / f"{kind}-{area}"


def snapshot_dir(root: Path, kind: str, area: str, extracted: dt.date) -> Path:
    return dataset_dir(root, kind, area) / extracted.isoformat()


def write_snapshot(root: Path, kind: str, area: str, extracted: dt.date, table: pa.Table) -> Path:
    """Write the snapshot's Parquet file; SnapshotExists when the directory is already there."""
    target = snapshot_dir(root, kind, area, extracted)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        target.mkdir()
    except FileExistsError:
        raise SnapshotExists(str(target)) from None
    try:
        fd, tmp = tempfile.mkstemp(dir=target, prefix=".records-", suffix=".parquet")
        os.close(fd)
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target / FILE)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return target / FILE


def remove_snapshot(path: Path) -> None:
    """Undo a snapshot written in a transaction that then failed (never called on a committed one)."""
    shutil.rmtree(Path(path).parent, ignore_errors=True)


def open_dataset(paths: list[Path] | list[str]) -> ds.Dataset:
    """The snapshots as one Arrow dataset (for the monitoring app and the engine)."""
    return ds.dataset([str(p) for p in paths], format="parquet")
