"""`doudi batch assess --engine dask`: the same decisions on a Dask distributed cluster.

Streaming in steps, so no process ever holds the whole population:

0. count — one task per row group of IN reads only household.region and counts the rows of
   each county; the client plans parts of at most PART_ROWS rows (plan_parts): small counties
   are packed whole into a part, a county larger than that is split into buckets of its
   households (a hash of household_id), so a county is only ever split when it must be;
1. split — one task per row group of IN: read it, check household_id and household.region,
   and write its rows into the planned parts, with `__row`, the row number in IN (a
   household's rows meet in one part whatever row group they are in);
2. decide — one task per part: read the part's pieces, group households, decide them with
   doudi.batch.engine (the very same rule functions), write one result part (with `__first`,
   the row where each household first appears), sorted by `__first` and cut into one record
   batch per range of RANGE_ROWS rows of IN; and the part's household ids, split by a hash of
   the id into buckets that are the same for every part, for the duplicate check;
3. assemble — one task per range of IN rows takes that range's batch from every part, sorts
   it by `__first` and writes it (the households whose first row is in the range, in the local
   engine's order); one task per id bucket checks that no household is in two parts (rows in
   two counties: in one part the grouping refuses it, by row, as the local engine does);
   the client copies the ranges, in order and batch by batch, into OUT. Nobody holds more than
   a range or a part, and the client never opens more than one file at a time.

IN (a CSV is first streamed into a Parquet copy), OUT's directory and the work folder beside
OUT must be visible to every worker (one machine, or a shared file system). Without
--scheduler a LocalCluster of `workers` processes is started for the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from doudi.batch import io
from doudi.batch.engine import assess_grouped, empty_results, parse_sets
from doudi.batch.memory import tune_allocator
from doudi.policy.engine import modules_for
from doudi.policy.errors import InputError
from doudi.policy.params import default_policy

ROW = "__row"
REGION = "household.region"
FIRST = "__first"
RANGE_ROWS = 1_000_000  # IN rows per assembly range (its households are sorted in one task)
OUT_BATCH = 64_000  # rows per record batch of an assembled range
PART_ROWS = 500_000  # IN rows per part at most (a larger county is split into buckets of households)
MIN_PART_ROWS = 100_000  # parts are made smaller, down to this, to give every worker PARTS_PER_WORKER parts
PARTS_PER_WORKER = 4


# --- tasks (run on workers; they return plain data, errors as tuples) ---------------------------

def _error(exc: InputError) -> dict[str, Any]:
    return {"error": (exc.where, exc.expected, exc.got)}


def count_counties(infile: str, index: int, first_row: int) -> dict[str, Any]:
    """Step 0: the rows of each county in one row group of IN (only household.region is read).
    Returns {"counties": [...], "rows": [...]} or an error (the split reports it, by row)."""
    table = pq.ParquetFile(infile).read_row_group(index, columns=[REGION])
    rows = np.arange(first_row, first_row + table.num_rows, dtype=np.int64)
    try:
        county = io.counties(table, rows, infile)
    except InputError as exc:
        return _error(exc)
    counties, counts = np.unique(county, return_counts=True)
    return {"counties": counties.tolist(), "rows": counts.tolist()}


def plan_parts(counts: Mapping[int, int], part_rows: int) -> tuple[list[int], list[int], list[int]]:
    """Parts of about `part_rows` rows from the rows per county: a county larger than
    `part_rows` gets ceil(rows / part_rows) parts of its own (buckets of its households); the
    others are packed whole, in code order, into parts of at most `part_rows` rows. Returns
    (counties, first part, buckets), each sorted by county: a row of county c with household
    bucket b (0..buckets-1) goes to part first + b."""
    plan: list[tuple[int, int, int]] = []
    part, filled = 0, 0  # the next free part, and the rows packed into it so far
    for county in sorted(counts):
        n = counts[county]
        if filled and filled + n > part_rows:
            part, filled = part + 1, 0  # the part being packed is full
        if n > part_rows:
            k = -(-n // part_rows)
            plan.append((county, part, k))
            part += k
        else:
            plan.append((county, part, 1))
            filled += n
    return [c for c, _, _ in plan], [f for _, f, _ in plan], [k for _, _, k in plan]


def split_row_group(infile: str, index: int, first_row: int, workdir: str,
                    plan: tuple[Sequence[int], Sequence[int], Sequence[int]]) -> dict[str, Any]:
    """Step 1: one row group of IN into parts, as plan_parts planned them (a county's
    household bucket is a hash of household_id, so a household's rows meet in one part
    whatever row group they are in). Returns {"parts": {name: rows}} or an error."""
    table = pq.ParquetFile(infile).read_row_group(index)
    if table.num_rows == 0:
        return {"parts": {}}
    rows = np.arange(first_row, first_row + table.num_rows, dtype=np.int64)
    try:
        io.check_ids(table, rows, infile)
        county = io.counties(table, rows, infile)
    except InputError as exc:
        return _error(exc)
    known = np.asarray(plan[0], np.int64)
    at = np.searchsorted(known, county)
    seen = at < len(known)
    seen[seen] = known[at[seen]] == county[seen]
    if not seen.all():  # only if IN changed since count_counties read it
        i = int(np.flatnonzero(~seen)[0])
        return _error(InputError(f"row {rows[i]}, column {REGION}", "IN unchanged while it is being decided",
                                 "a county the first pass did not see", source=infile))
    key = np.asarray(plan[1], np.int64)[at] + bucket_of(table.column(io.ID_COLUMN), np.asarray(plan[2], np.int64)[at])
    table = table.append_column(ROW, pa.array(rows))
    out: dict[str, int] = {}
    order = np.argsort(key, kind="stable")
    keys, starts = np.unique(key[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    for k, a, b in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
        name = f"p{k:06d}"
        folder = Path(workdir) / "split" / name
        folder.mkdir(parents=True, exist_ok=True)
        _write_ipc(table.take(pa.array(order[a:b])), folder / f"rg{index:06d}.arrow")
        out[name] = b - a
    return {"parts": out}


def _write_ipc(table: pa.Table, path: Path, batch_rows: int | None = None) -> None:
    """Work files are Arrow IPC, LZ4-compressed: written and read far faster than Parquet."""
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table, max_chunksize=batch_rows)


def _read_ipc(path: Path) -> pa.Table:
    with pa.OSFile(str(path), "rb") as source:
        return pa.ipc.open_file(source).read_all()


def bucket_of(ids: pa.ChunkedArray | pa.Array, buckets: int | np.ndarray) -> np.ndarray:
    """A bucket 0..buckets-1 per row from household_id: the same in every process (no salt).
    `buckets` is one count for every row, or a count per row."""
    if np.all(np.asarray(buckets) == 1):
        return np.zeros(len(ids), np.int64)
    arr = io._combined(ids)
    if pa.types.is_dictionary(arr.type):
        arr = arr.cast(arr.type.value_type)
    if pa.types.is_integer(arr.type):
        h = arr.cast(pa.int64()).fill_null(0).to_numpy().view(np.uint64)
    else:
        h = _bytes_hash(arr.cast(pa.large_binary()))
    h = _mix(h)
    return (h % np.asarray(buckets).astype(np.uint64)).astype(np.int64)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads consecutive ids over the buckets."""
    with np.errstate(over="ignore"):
        h = h.astype(np.uint64) + np.uint64(0x9E3779B97F4A7C15)
        h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


def _bytes_hash(arr: pa.Array) -> np.ndarray:
    """A position-weighted sum of each value's bytes (vectorised over the data buffer)."""
    arr = arr.fill_null(b"")
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64, count=arr.offset + len(arr) + 1)[arr.offset:]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    data = data[offsets[0]:offsets[-1]].astype(np.uint64)
    lengths = np.diff(offsets)
    starts = offsets[:-1] - offsets[0]
    pos = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        weighted = data * _mix(pos.astype(np.uint64))
        h = np.zeros(len(arr), np.uint64)
        nonempty = lengths > 0
        if nonempty.any():
            h[nonempty] = np.add.reduceat(weighted, starts[nonempty])
    return h + lengths.astype(np.uint64)


def decide_part(workdir: str, name: str, source: str, overrides: Mapping[str, Any],
                date: str | None, today: dt.date, range_rows: int = RANGE_ROWS,
                programs: Sequence[str] | None = None, id_buckets: int = 1,
                policy_path: str | None = None) -> dict[str, Any]:
    """Step 2: decide every household of one part (whole counties, or a bucket of households
    of one); writes a result part sorted by __first, and the part's household ids split by
    their bucket among `id_buckets` (the same for every part: the duplicate check's key)."""
    tune_allocator()
    folder = Path(workdir) / "split" / name
    table = pa.concat_tables([_read_ipc(p) for p in sorted(folder.glob("*.arrow"))],
                             promote_options="permissive")
    rows = table.column(ROW).to_numpy()
    table = table.drop_columns([ROW])
    try:
        grouped = io.group(table, source)
        grouped.rows = rows[grouped.rows - 1]
        result = assess_grouped(grouped, overrides, policy=_policy_of(policy_path), date=date, today=today,
                                programs=programs)
    except InputError as exc:
        return _error(exc)
    first = grouped.rows[grouped.starts[:-1]]
    result = result.append_column(FIRST, pa.array(first))
    path = Path(workdir) / "out" / f"{name}.arrow"
    path.parent.mkdir(parents=True, exist_ok=True)
    ranges = _write_ranges(result, first, path, range_rows)
    written = _write_ids(result.select([io.ID_COLUMN]), Path(workdir) / "ids", name, id_buckets)
    shutil.rmtree(folder, ignore_errors=True)
    return {"path": str(path), "households": result.num_rows, "ranges": ranges, "id_buckets": written}


def _write_ids(ids: pa.Table, folder: Path, name: str, id_buckets: int) -> list[str]:
    """A part's household ids into folder/g{bucket}/{name}.arrow, one file per bucket of the
    id it has: a household in two parts has its id in the same bucket of both."""
    bucket = bucket_of(ids.column(0), id_buckets)
    order = np.argsort(bucket, kind="stable")
    keys, starts = np.unique(bucket[order], return_index=True)
    ends = np.append(starts[1:], len(order))
    written = []
    for k, a, b in zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True):
        path = folder / f"g{k}" / f"{name}.arrow"
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_ipc(ids.take(pa.array(order[a:b])), path)
        written.append(f"g{k}")
    return written


def _write_ranges(result: pa.Table, first: np.ndarray, path: Path, range_rows: int) -> dict[int, int]:
    """The result part, sorted by __first, as one record batch per range of IN rows it has
    households in; returns {range: batch index}."""
    order = np.argsort(first, kind="stable")
    if np.any(order != np.arange(len(order))):
        result, first = result.take(pa.array(order)), first[order]
    key = (first - 1) // range_rows
    keys, starts = np.unique(key, return_index=True)
    ends = np.append(starts[1:], len(key))
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    ranges: dict[int, int] = {}
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, result.schema, options=options) as writer:
        for i, (k, a, b) in enumerate(zip(keys.tolist(), starts.tolist(), ends.tolist(), strict=True)):
            batches = result.slice(a, b - a).combine_chunks().to_batches()
            writer.write_batch(batches[0] if len(batches) == 1 else pa.concat_batches(batches))
            ranges[k] = i
    return ranges


def assemble_range(workdir: str, index: int, pieces: list[tuple[str, int]]) -> dict[str, Any]:
    """Step 3: the households whose first row is in range `index`: its batch of every result
    part that has one, sorted by __first, written to one file."""
    batches = []
    for path, batch in pieces:
        with pa.memory_map(path, "r") as source:
            batches.append(pa.Table.from_batches([pa.ipc.open_file(source).get_batch(batch)]))
    table = pa.concat_tables(batches, promote_options="permissive")
    table = table.take(pc.sort_indices(table, [(FIRST, "ascending")]))
    path = Path(workdir) / "ranges" / f"r{index:06d}.arrow"
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_ipc(table, path, batch_rows=OUT_BATCH)
    return {"path": str(path), "households": table.num_rows}


def duplicate_id(workdir: str, bucket: str) -> dict[str, Any]:
    """Step 3: a household id twice among the ids of one bucket, from every part (a household
    whose rows are in two counties of two parts: the bucket is a hash of the id, so both parts
    wrote it into the same bucket). Returns {"duplicate": id or None}."""
    files = sorted((Path(workdir) / "ids" / bucket).glob("*.arrow"))
    ids = pa.concat_tables([_read_ipc(p) for p in files], promote_options="permissive").column(0)
    if pc.count_distinct(ids).as_py() == len(ids):
        return {"duplicate": None}
    counts = pc.value_counts(ids)
    dup = counts.field("values")[int(np.argmax(counts.field("counts").to_numpy()))]
    return {"duplicate": dup.as_py()}


_FILE_POLICIES: dict[str, Any] = {}


def _policy_of(path: str | None):
    """The shipped policy, or a parameter file's (read once per worker process)."""
    if not path:
        return default_policy()
    if path not in _FILE_POLICIES:
        from doudi.batch.cli import policy_file

        _FILE_POLICIES[path] = policy_file(path)
    return _FILE_POLICIES[path]


# --- the client --------------------------------------------------------------------------------

def assess_file(infile: str, outfile: str, sets: Mapping[str, Any] | None = None, *,
                scheduler: str | None = None, workers: int = 2, date: str | None = None,
                today: dt.date | None = None, programs: Sequence[str] | None = None,
                policy_path: str | None = None) -> int:
    """Decide IN into OUT on a Dask cluster; returns the number of households. With
    `policy_path`, every worker decides on that parameter file (`doudi policy export`)."""
    policy = _policy_of(policy_path)
    overrides = parse_sets(policy, sets)
    modules_for(programs)  # an unknown program is reported before the cluster starts
    today = today or dt.date.today()
    out_dir = Path(outfile).resolve().parent
    workdir = tempfile.mkdtemp(prefix=f".{Path(outfile).name}.parts-", dir=out_dir)
    try:
        with _client(scheduler, workers) as client:
            source = infile
            parquet = _as_parquet(infile, workdir)
            names, id_buckets = _split(client, parquet, workdir, source)
            parts = _decide(client, workdir, names, id_buckets, source, overrides, date, today, programs,
                            policy_path)
            return _assemble(client, workdir, parts, outfile, source, policy, overrides, programs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class _client:
    """A distributed Client on ADDR, or on a LocalCluster started (and stopped) here."""

    def __init__(self, scheduler: str | None, workers: int):
        self.scheduler, self.workers = scheduler, workers
        self.cluster = None
        self.client = None

    def __enter__(self):
        import dask
        from distributed import Client, LocalCluster

        logging.getLogger("distributed").setLevel(logging.ERROR)
        warnings.filterwarnings("ignore", module="distributed")
        # The workers' statistical profiler samples every 10 ms: a cost, and nobody reads it.
        # Dask's MALLOC_TRIM_THRESHOLD_ of 64 KiB turns off glibc's adaptive mmap threshold, so
        # every column of a chunk is a fresh mmap and page faults double the CPU time: let glibc
        # keep up to 32 MiB blocks on the heap and trim above 64 MiB.
        environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
        environ.update(MALLOC_TRIM_THRESHOLD_=64 << 20, MALLOC_MMAP_THRESHOLD_=32 << 20)
        dask.config.set({"distributed.worker.profile.enabled": False,
                         "distributed.nanny.pre-spawn-environ": environ})

        try:
            if self.scheduler:
                self.client = Client(self.scheduler, timeout="20s")
            else:
                self.cluster = LocalCluster(n_workers=max(1, self.workers), threads_per_worker=1,
                                            processes=True, dashboard_address=":0", silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None, None, None)
            raise InputError("--scheduler", "the address of a running Dask scheduler (tcp://HOST:PORT)",
                             f"{self.scheduler} ({io._first_line(exc)})") from None
        return self.client

    def __exit__(self, *exc) -> None:
        if self.client is not None:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _as_parquet(infile: str, workdir: str) -> str:
    """IN as Parquet: a CSV is streamed, block by block, into a Parquet copy (every column text)."""
    if not Path(infile).is_file():
        raise InputError("$", "an existing population file (Parquet, or CSV by extension)", source=infile)
    if not io.is_csv(infile):
        try:
            schema = pq.read_schema(infile)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError("$", "a readable Parquet file", io._first_line(exc), source=infile) from None
        io.check_columns(schema.empty_table(), infile)
        return str(Path(infile).resolve())
    target = str(Path(workdir) / "in.parquet")
    try:
        header = io._read_csv_header(infile)
        reader = pacsv.open_csv(infile, read_options=pacsv.ReadOptions(block_size=16 << 20),
                                convert_options=io.csv_convert_options(header))
        io.check_columns(reader.schema.empty_table(), infile)
        with pq.ParquetWriter(target, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
    except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as exc:
        raise InputError("$", "a readable CSV file (UTF-8, a header row)", io._first_line(exc), source=infile) from None
    return target


def _raise(result: dict[str, Any], source: str) -> None:
    if "error" in result:
        where, expected, got = result["error"]
        raise InputError(where, expected, got, source=source)


def _split(client, parquet: str, workdir: str, source: str) -> tuple[list[str], int]:
    """Steps 0 and 1: rows per county, the parts planned, IN split into them. Returns the part
    names and the number of buckets of household ids for the duplicate check."""
    meta = pq.ParquetFile(parquet).metadata
    sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    firsts = np.concatenate([[1], 1 + np.cumsum(sizes)[:-1]]).astype(int).tolist() if sizes else []
    counts: dict[int, int] = {}
    futures = [client.submit(count_counties, parquet, i, firsts[i], pure=False) for i in range(len(sizes))]
    for r in client.gather(futures):  # an error here is the split's to report, by row
        for county, n in zip(r.get("counties", ()), r.get("rows", ()), strict=True):
            counts[county] = counts.get(county, 0) + n
    plan = plan_parts(counts, _part_rows(client, meta.num_rows))
    futures = [client.submit(split_row_group, parquet, i, firsts[i], workdir, plan, pure=False)
               for i in range(len(sizes))]
    results = client.gather(futures)
    errors = [r for r in results if "error" in r]
    if errors:
        _raise(min(errors, key=lambda r: io._row_of(InputError(*r["error"]))), source)
    return sorted({name for r in results for name in r["parts"]}), max(1, -(-meta.num_rows // PART_ROWS))


def _part_rows(client, rows: int) -> int:
    """PART_ROWS, or fewer (not below MIN_PART_ROWS) so each worker has PARTS_PER_WORKER parts."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    return min(PART_ROWS, max(MIN_PART_ROWS, -(-rows // (PARTS_PER_WORKER * workers))))


def _decide(client, workdir: str, names: list[str], id_buckets: int, source: str, overrides: Mapping[str, Any],
            date: str | None, today: dt.date, programs: Sequence[str] | None,
            policy_path: str | None = None) -> list[dict[str, Any]]:
    if policy_path:
        policy_path = str(Path(policy_path).resolve())
    futures = [client.submit(decide_part, workdir, name, source, overrides, date, today, RANGE_ROWS, programs,
                             id_buckets, policy_path, pure=False)
               for name in names]
    results = client.gather(futures)
    errors = [r for r in results if "error" in r]
    if errors:
        _raise(min(errors, key=lambda r: io._row_of(InputError(*r["error"]))), source)
    return [r for r in results if r["households"]]


def _assemble(client, workdir: str, parts: list[dict[str, Any]], outfile: str, source: str,
              policy, overrides, programs: Sequence[str] | None = None) -> int:
    """Assemble OUT: ranges sorted on the workers, copied in order by the client (streaming)."""
    if not parts:
        io.write_table(empty_results(pa.int64(), policy, overrides, programs), outfile)
        return 0
    pieces: dict[int, list[tuple[str, int]]] = {}
    for p in parts:
        for r, batch in p["ranges"].items():
            pieces.setdefault(int(r), []).append((p["path"], batch))
    buckets = sorted({b for p in parts for b in p["id_buckets"]})
    checks = [client.submit(duplicate_id, workdir, b, pure=False) for b in buckets]
    ranges = [client.submit(assemble_range, workdir, r, pieces[r], pure=False) for r in sorted(pieces)]
    for check in client.gather(checks):
        if check["duplicate"] is not None:
            client.cancel(ranges)
            raise InputError(f"household_id {check['duplicate']!r}, column household.region",
                             "the same value on every row of a household", "rows in more than one county",
                             source=source)
    schemas = [pa.ipc.open_file(p["path"]).schema for p in parts]
    schema = pa.unify_schemas(schemas, promote_options="permissive")
    schema = schema.remove(schema.get_field_index(FIRST))
    writer = io.AtomicParquetWriter(outfile, schema)
    try:
        total = 0
        for future in ranges:
            done = future.result()
            total += _copy_range(done["path"], writer, schema)
            future.release()
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return total


def _copy_range(path: str, writer: io.AtomicParquetWriter, schema: pa.Schema) -> int:
    """One assembled range into OUT, batch by batch; the range file is then deleted."""
    rows = 0
    with pa.memory_map(path, "r") as source:
        reader = pa.ipc.open_file(source)
        for i in range(reader.num_record_batches):
            block = pa.Table.from_batches([reader.get_batch(i)]).drop_columns([FIRST])
            writer.write(block.cast(schema))
            rows += block.num_rows
    Path(path).unlink(missing_ok=True)
    return rows
