"""The Dask engine's assembly: result parts cut by ranges of IN rows, ranges sorted on the
workers, OUT written range after range in the local engine's order."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from doudi.batch import dask_engine
from doudi.batch.engine import assess_table

sys.path.insert(0, str(Path(__file__).parent))
from test_dask import TODAY, client, run_dask, shuffled_population  # noqa: E402, F401  (client: the cluster fixture)


def read_batches(path: Path) -> list[pa.RecordBatch]:
    with pa.memory_map(str(path), "r") as source:
        reader = pa.ipc.open_file(source)
        return [reader.get_batch(i) for i in range(reader.num_record_batches)]


def test_a_result_part_is_cut_into_one_record_batch_per_range_of_first_rows(tmp_path):
    first = np.array([3, 5, 120, 250, 260], np.int64)
    result = pa.table({"household_id": ["a", "b", "c", "d", "e"], dask_engine.FIRST: first})
    ranges = dask_engine._write_ranges(result, first, tmp_path / "part.arrow", 100)
    # (first - 1) // 100: 2 // 100 = 0, 4 // 100 = 0, 119 // 100 = 1, 249 // 100 = 2, 259 // 100 = 2
    assert ranges == {0: 0, 1: 1, 2: 2}
    batches = read_batches(tmp_path / "part.arrow")
    assert [b.column(0).to_pylist() for b in batches] == [["a", "b"], ["c"], ["d", "e"]]


def test_a_range_takes_its_batch_of_every_part_and_sorts_the_households_by_first_row(tmp_path):
    one = pa.table({"household_id": ["a", "c", "x"], dask_engine.FIRST: np.array([1, 7, 150], np.int64)})
    two = pa.table({"household_id": ["b", "d"], dask_engine.FIRST: np.array([4, 9], np.int64)})
    r1 = dask_engine._write_ranges(one, one.column(dask_engine.FIRST).to_numpy(), tmp_path / "one.arrow", 100)
    r2 = dask_engine._write_ranges(two, two.column(dask_engine.FIRST).to_numpy(), tmp_path / "two.arrow", 100)
    assert r1 == {0: 0, 1: 1} and r2 == {0: 0}
    done = dask_engine.assemble_range(str(tmp_path), 0, [(str(tmp_path / "one.arrow"), 0),
                                                         (str(tmp_path / "two.arrow"), 0)])
    assert done["households"] == 4  # a, c from one; b, d from two; x (row 150) is in range 1
    table = pa.Table.from_batches(read_batches(Path(done["path"])))
    assert table.column("household_id").to_pylist() == ["a", "b", "c", "d"]  # rows 1, 4, 7, 9


def test_a_household_id_in_two_parts_is_found_in_its_id_bucket(tmp_path):
    # Each part writes its ids split by bucket_of(id, 4): id 5 of both parts lands in one bucket.
    one = dask_engine._write_ids(pa.table({"household_id": [5, 6, 8, 9]}), tmp_path / "ids", "p000000", 4)
    two = dask_engine._write_ids(pa.table({"household_id": [7, 5, 10]}), tmp_path / "ids", "p000001", 4)
    bucket = f"g{dask_engine.bucket_of(pa.array([5]), 4)[0]}"
    assert bucket in one and bucket in two
    found = {b: dask_engine.duplicate_id(str(tmp_path), b)["duplicate"] for b in sorted(set(one) | set(two))}
    assert found == {b: (5 if b == bucket else None) for b in found}
    (tmp_path / "ids" / bucket / "p000001.arrow").unlink()
    assert dask_engine.duplicate_id(str(tmp_path), bucket) == {"duplicate": None}


def test_a_bucket_count_per_row_gives_each_row_its_own_counts_bucket():
    ids = pa.array(list(range(1_000)))
    counts = np.where(np.arange(1_000) % 2 == 0, 3, 5)
    got = dask_engine.bucket_of(ids, counts)
    assert np.array_equal(got[::2], dask_engine.bucket_of(ids, 3)[::2])
    assert np.array_equal(got[1::2], dask_engine.bucket_of(ids, 5)[1::2])
    assert not dask_engine.bucket_of(ids, np.ones(1_000, np.int64)).any()


def test_many_small_ranges_over_many_parts_give_the_local_engines_results_and_leave_no_work_files(
        client, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(dask_engine, "PART_ROWS", 300)  # counties packed into parts of 300 rows at most
    monkeypatch.setattr(dask_engine, "RANGE_ROWS", 97)  # OUT assembled from ranges of 97 IN rows
    t = shuffled_population(14, 600)
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=250)
    local = assess_table(t, today=TODAY)
    got = run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert got.equals(local)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.parquet", "pop.parquet"]
