"""The Dask engine gives exactly the local engine's results (a LocalCluster of 2 processes)."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from doudi.batch import dask_engine, io
from doudi.batch.engine import assess_table
from doudi.policy.errors import InputError

sys.path.insert(0, str(Path(__file__).parent))
from test_agreement import valid_population  # noqa: E402  (random household documents)

TODAY = dt.date(2023, 6, 1)


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
    c = Client(cluster)
    yield c
    c.close()
    cluster.close()


def shuffled_population(seed: int, n: int) -> pa.Table:
    """Random households of every seed county, rows shuffled in blocks so households and
    counties interleave (some households' rows are not contiguous)."""
    t = io.table_from_documents(valid_population(seed, n))
    order = list(range(t.num_rows))
    r = random.Random(seed)
    blocks = [order[i:i + 7] for i in range(0, len(order), 7)]
    r.shuffle(blocks)
    return t.take(pa.array([i for b in blocks for i in b]))


def run_dask(client, infile: Path, outfile: Path, sets=None) -> pa.Table:
    """dask_engine.assess_file with the test's cluster (as --scheduler does with an address)."""
    address = client.scheduler.address
    n = dask_engine.assess_file(str(infile), str(outfile), sets, scheduler=address, today=TODAY)
    out = pq.read_table(outfile)
    assert out.num_rows == n
    return out


def test_a_dask_cluster_of_two_processes_gives_the_local_engines_results_exactly(client, tmp_path, monkeypatch):
    monkeypatch.setattr(dask_engine, "PART_ROWS", 300)  # counties split into buckets of households
    t = shuffled_population(11, 600)
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=250)  # several row groups: streaming
    local = assess_table(t, today=TODAY)
    got = run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert got.equals(local)  # same households, same order, same columns, same amounts to the fen


def test_dask_and_local_agree_under_parameter_overrides_and_from_csv(client, tmp_path):
    t = shuffled_population(12, 200)
    sets = {"dibao.standard.urban": "800.00", "dibao.standard.rural": "450.00"}
    local = assess_table(t, sets, today=TODAY)
    io.write_table(t, tmp_path / "pop.csv")
    got = run_dask(client, tmp_path / "pop.csv", tmp_path / "out.parquet", sets)
    local_from_csv = assess_table(io.read_table(tmp_path / "pop.csv"), sets, today=TODAY)
    assert got.equals(local_from_csv)
    assert got.drop_columns(["household_id"]).equals(local.drop_columns(["household_id"]))
    dask_engine.assess_file(str(tmp_path / "pop.csv"), str(tmp_path / "out.csv"), sets,
                            scheduler=client.scheduler.address, today=TODAY)
    io.write_table(local_from_csv, tmp_path / "local.csv")
    assert (tmp_path / "out.csv").read_text() == (tmp_path / "local.csv").read_text()


def test_a_bad_row_on_the_cluster_is_reported_by_its_row_in_the_file_and_nothing_is_written(client, tmp_path):
    t = shuffled_population(13, 100)
    wages = t.column("monthly_income.wages").to_pylist()
    wages[150] = "-3"
    t = t.set_column(t.column_names.index("monthly_income.wages"), "monthly_income.wages", pa.array(wages))
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=64)
    with pytest.raises(InputError, match="row 151, column monthly_income.wages: expected an amount that is not negative"):
        run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop.parquet"]


def test_a_household_spread_over_two_counties_is_refused(client, tmp_path):
    t = pa.table({"household_id": [1, 2, 1], "household.region": ["620422", "150202", "150202"],
                  "household.residence": ["urban"] * 3})
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=1)
    with pytest.raises(InputError, match="household.region: expected the same value on every row"):
        run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")


def test_household_buckets_are_the_same_in_every_process_and_spread_the_households():
    ids = pa.array(list(range(10_000)))
    b = dask_engine.bucket_of(ids, 7)
    assert list(b[:5]) == list(dask_engine.bucket_of(pa.array([0, 1, 2, 3, 4]), 7))
    assert min(np.bincount(b, minlength=7)) > 1_200  # about 10,000 / 7 = 1,429 each
    words = pa.array([f"户{i:06d}" for i in range(10_000)])
    w = dask_engine.bucket_of(words, 7)
    assert list(w[:3]) == list(dask_engine.bucket_of(pa.array(["户000000", "户000001", "户000002"]), 7))
    assert min(np.bincount(w, minlength=7)) > 1_200
    assert list(dask_engine.bucket_of(words.dictionary_encode(), 7)) == list(w)


def test_the_command_line_starts_a_local_cluster_when_no_scheduler_is_given(tmp_path):
    t = shuffled_population(14, 60)
    pq.write_table(t, tmp_path / "pop.parquet")
    doudi = str(Path(sys.executable).with_name("doudi"))
    r = subprocess.run([doudi, "batch", "assess", "pop.parquet", "out.parquet", "--engine", "dask", "--date",
                        "2023-06-01"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    local = assess_table(t, date="2023-06-01")
    assert pq.read_table(tmp_path / "out.parquet").equals(local)


def test_dask_with_named_programs_gives_the_local_engines_columns(client, tmp_path):
    t = shuffled_population(13, 200)
    pq.write_table(t, tmp_path / "pop.parquet")
    local = assess_table(t, today=TODAY, programs=["tekun"])
    assert [c.split(".")[0] for c in local.column_names] == ["household_id"] + ["tekun"] * (local.num_columns - 1)
    dask_engine.assess_file(str(tmp_path / "pop.parquet"), str(tmp_path / "out.parquet"),
                            scheduler=client.scheduler.address, today=TODAY, programs=["tekun"])
    assert pq.read_table(tmp_path / "out.parquet").equals(local)
