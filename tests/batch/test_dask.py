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
    monkeypatch.setattr(dask_engine, "PART_ROWS", 300)  # large counties split into buckets of households
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
    # Both small counties are packed into one part: its grouping refuses the household by row,
    # exactly as the local engine does.
    with pytest.raises(InputError) as local:
        assess_table(t, today=TODAY)
    with pytest.raises(InputError, match="household.region: expected the same value on every row") as got:
        run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert str(got.value).replace(str(tmp_path / "pop.parquet"), "<table>") == str(local.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop.parquet"]


def test_an_empty_population_gives_the_local_engines_empty_out(client, tmp_path):
    t = pa.table({"household_id": pa.array([], pa.int64()), "household.region": pa.array([], pa.string()),
                  "household.residence": pa.array([], pa.string())})
    pq.write_table(t, tmp_path / "pop.parquet")  # one row group of no rows
    assert run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet").equals(assess_table(t, today=TODAY))


def record_parts(monkeypatch) -> list[list[str]]:
    """The part names each run's split step returns."""
    seen: list[list[str]] = []
    split = dask_engine._split

    def recording(*args, **kwargs):
        names, id_buckets = split(*args, **kwargs)
        seen.append(names)
        return names, id_buckets

    monkeypatch.setattr(dask_engine, "_split", recording)
    return seen


def test_a_household_in_two_counties_of_two_parts_with_different_bucket_counts_is_refused(
        client, tmp_path, monkeypatch):
    # County 620422 has 10 rows and 150202 has 6: with parts of 2 rows they get 5 and 3 buckets
    # of households, so household 7 is in bucket (hash mod 5) of one and (hash mod 3) of the
    # other; the duplicate check (by a bucket of the id shared by every part) still finds it.
    monkeypatch.setattr(dask_engine, "PART_ROWS", 2)
    seen = record_parts(monkeypatch)
    ids = [*range(100, 109), 7, *range(200, 205), 7]
    regions = ["620422"] * 10 + ["150202"] * 6
    t = pa.table({"household_id": ids, "household.region": regions, "household.residence": ["urban"] * 16})
    assert dask_engine.bucket_of(pa.array([7]), 5)[0] != dask_engine.bucket_of(pa.array([7]), 3)[0]
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=5)
    with pytest.raises(InputError, match=r"household_id 7, column household.region: expected the same value "
                                         r"on every row of a household, got 'rows in more than one county'"):
        run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert len(seen[0]) == 8  # 5 + 3 parts: the two counties are never in one part
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pop.parquet"]


def test_parts_pack_small_counties_whole_and_split_only_a_county_larger_than_a_part():
    counts = {620102: 40, 620103: 50, 620104: 30, 620105: 250, 620106: 10, 620107: 90, 620108: 100}
    counties, firsts, buckets = dask_engine.plan_parts(counts, 100)
    assert counties == sorted(counts)
    # 40 + 50 fit in part 0 (30 more would make 120); 30 starts part 1; 250 > 100 rows: parts
    # 2, 3, 4 of its own (ceil(250 / 100) buckets); 10 + 90 make part 5; 100 is part 6.
    assert firsts == [0, 0, 1, 2, 5, 5, 6]
    assert buckets == [1, 1, 1, 3, 1, 1, 1]
    parts = {}
    for c, f, k in zip(counties, firsts, buckets, strict=True):
        for b in range(k):
            parts.setdefault(f + b, []).append(c)
    assert sorted(parts) == list(range(7))  # parts numbered without gaps
    assert all(sum(counts[c] for c in cs) <= 100 for cs in parts.values() if len(cs) > 1)
    assert dask_engine.plan_parts({}, 100) == ([], [], [])


def test_many_small_counties_give_few_parts_and_the_local_engines_results(client, tmp_path, monkeypatch):
    from doudi.batch.synth import synthesize_chunks

    # 1,500 households over the 196 counties of two provinces: about 20 rows a county.
    t = pa.concat_tables(synthesize_chunks(1_500, ["620000", "150000"], seed=5, date="2024-06-01"))
    counties = len(set(r[:6] for r in t.column("household.region").to_pylist()))
    assert counties > 150
    monkeypatch.setattr(dask_engine, "PART_ROWS", 1_000)
    seen = record_parts(monkeypatch)
    pq.write_table(t, tmp_path / "pop.parquet", row_group_size=700)
    local = assess_table(t, today=TODAY)
    got = run_dask(client, tmp_path / "pop.parquet", tmp_path / "out.parquet")
    assert got.equals(local)
    # Whole counties packed into parts of at most 1,000 rows: about rows / 1,000 parts, not one
    # (or, as before, several) per county.
    assert len(seen[0]) <= -(-t.num_rows // 1_000) + 1 < counties


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
