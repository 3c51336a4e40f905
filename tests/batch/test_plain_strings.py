"""Plain-string population files (issue 16): every column text, as an export from another system
gives them — dates as YYYY-MM-DD, codes and amounts as text, household ids as numbers in text —
in Parquet (no dictionary encoding) and CSV. doudi reads the columns of codes, dates, counts and
regions dictionary-encoded and parses dates with Arrow's cast kernel; the decisions must be the
same as from the typed Parquet file of the same households."""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from doudi.batch import io

DOUDI = str(Path(sys.executable).with_name("doudi"))

# 会宁县 (620422), urban, 2023-06-01: urban 低保 standard 700.00 yuan (data/620422/dibao.yaml).
# Household ids 9, 10, 11, 12: in order as numbers, not as text ("10" < "9").
PERSONS = [
    # 9: one adult earning 300.00. DB-1: 300 < 700; DB-2: 700 × 1 − 300 = 400.00
    (9, "self", "1983-04-05", "300.00", None, None),
    # 10: adult earning 1200.00 and a child with a grade-2 physical disability.
    # DB-1: 1200 / 2 = 600 < 700; DB-2: 700 × 2 − 1200 = 200.00;
    # DB-6 (huining-2022): severely disabled member (grade 1–2) + 20 % × 700 = 140.00 → 340.00
    (10, "self", "1980-01-01", "1200.00", None, None),
    (10, "child", "2012-05-05", "0.00", "physical", 2),
    # 11: one adult earning 900.00 > 700: not eligible, 0.00
    (11, "self", "1983-04-05", "900.00", None, None),
    # 12: a couple earning 500.00 and 300.55: 800.55 / 2 = 400.275 < 700; 1400 − 800.55 = 599.45
    (12, "self", "1970-02-28", "500.00", None, None),
    (12, "spouse", "1972-02-29", "300.55", None, None),
]
EXPECTED = {9: Decimal("400.00"), 10: Decimal("340.00"), 11: Decimal("0.00"), 12: Decimal("599.45")}
COLUMNS = ["household_id", "household.region", "household.residence", "household.date", "relation", "birth_date",
           "monthly_income.wages", "disability.kind", "disability.grade"]


def typed_table() -> pa.Table:
    ids, rel, birth, wages, kind, grade = zip(*PERSONS, strict=True)
    n = len(PERSONS)
    return pa.table({
        "household_id": pa.array(ids, pa.int64()),
        "household.region": pa.array(["620422"] * n).dictionary_encode(),
        "household.residence": pa.array(["urban"] * n).dictionary_encode(),
        "household.date": pa.array([dt.date(2023, 6, 1)] * n, pa.date32()),
        "relation": pa.array(rel).dictionary_encode(),
        "birth_date": pa.array([dt.date.fromisoformat(b) for b in birth], pa.date32()),
        "monthly_income.wages": pa.array([Decimal(w) for w in wages], pa.decimal128(12, 2)),
        "disability.kind": pa.array(kind, pa.string()).dictionary_encode(),
        "disability.grade": pa.array(grade, pa.int64()),
    })


def plain_table() -> pa.Table:
    ids, rel, birth, wages, kind, grade = zip(*PERSONS, strict=True)
    n = len(PERSONS)
    text = [[str(i) for i in ids], ["620422"] * n, ["urban"] * n, ["2023-06-01"] * n, list(rel), list(birth),
            list(wages), list(kind), [None if g is None else str(g) for g in grade]]
    return pa.table({c: pa.array(v, pa.string()) for c, v in zip(COLUMNS, text, strict=True)})


def assess(path: Path, tmp_path: Path) -> dict:
    out = tmp_path / f"out_{path.stem}_{path.suffix[1:]}.parquet"
    r = subprocess.run([DOUDI, "batch", "assess", str(path), str(out), "--program", "dibao"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    t = pq.read_table(out)
    return {int(i): (e, a) for i, e, a in zip(t.column("household_id").to_pylist(),
                                              t.column("dibao.eligible").to_pylist(),
                                              t.column("dibao.amount").to_pylist(), strict=True)}


def test_plain_string_parquet_and_csv_decide_as_the_typed_file_with_the_hand_checked_amounts(tmp_path):
    typed, plain, csv = tmp_path / "typed.parquet", tmp_path / "plain.parquet", tmp_path / "plain.csv"
    pq.write_table(typed_table(), typed)
    pq.write_table(plain_table(), plain, use_dictionary=False)
    pacsv.write_csv(plain_table(), csv)
    assert all(pa.types.is_string(f.type) for f in pq.read_schema(plain))
    got = {p.name: assess(p, tmp_path) for p in (typed, plain, csv)}
    assert {i: a for i, (_e, a) in got["typed.parquet"].items()} == EXPECTED
    assert got["plain.parquet"] == got["typed.parquet"] == got["plain.csv"]
    assert [e for e, _a in got["typed.parquet"].values()] == [True, True, False, True]


def test_the_code_and_date_columns_of_a_plain_file_are_read_dictionary_encoded(tmp_path):
    plain, csv = tmp_path / "plain.parquet", tmp_path / "plain.csv"
    pq.write_table(plain_table(), plain, use_dictionary=False)
    pacsv.write_csv(plain_table(), csv)
    for path in (plain, csv):
        t = io.read_table(path)
        coded = {c for c in t.column_names if pa.types.is_dictionary(t.schema.field(c).type)}
        assert coded == {"household.region", "household.residence", "household.date", "relation", "birth_date",
                         "disability.kind", "disability.grade"}, path


@pytest.mark.parametrize("bad, where", [("2023-02-29", "row 3, column birth_date"),
                                        ("2023-6-01", "row 3, column birth_date"),
                                        ("20230601", "row 3, column birth_date")])
def test_a_bad_date_in_a_plain_file_is_one_line_naming_its_row(tmp_path, bad, where):
    t = plain_table()
    birth = t.column("birth_date").to_pylist()
    birth[2] = bad
    t = t.set_column(t.column_names.index("birth_date"), "birth_date", pa.array(birth, pa.string()))
    path = tmp_path / "plain.parquet"
    pq.write_table(t, path, use_dictionary=False)
    r = subprocess.run([DOUDI, "batch", "assess", str(path), str(tmp_path / "o.parquet")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 2 and where in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_arrows_date_cast_accepts_exactly_what_the_vectorised_parse_accepts():
    """Word by word (a whole column falls back to the vectorised parse when any word is bad), within
    the dates the reader accepts (1880-01-01 … 2199-12-31)."""
    words = ["2024-06-01", "2024-02-29", "2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-6-01",
             "2024-06-1", "20240601", "2024-06-01T00", "+2024-06-01", "0000-01-01", "1880-01-01", "2199-12-31",
             "1879-12-31", "2200-01-01", "abcd-ef-gh", "２０２４-06-01", "2024/06/01", "9999-12-31", "-2024-06-01"]
    for w in words:
        arr = pa.array([w])
        got = []
        for parse in (io._parse_dates, io._parse_dates_each):
            days, ok = parse(arr)
            ok &= (days >= io.DATE_MIN) & (days <= io.DATE_MAX)
            got.append((bool(ok[0]), days[0] if ok[0] else None))
        assert got[0] == got[1], w
    days, ok = io._parse_dates(pa.array(["2024-06-01", None, "1999-12-31"]))  # nulls are not dates
    assert list(ok) == [True, False, True] and str(days[2]) == "1999-12-31"


def test_text_ids_group_by_text_even_when_they_are_equal_numbers():
    """"7" and "007" are two households; "10" after "9" is in order (as numbers)."""
    t = plain_table().slice(0, 3)
    for ids, households in ((["7", "007", "7"], 2), (["9", "10", "10"], 2), (["b", "a", "b"], 2)):
        g = io.group(t.set_column(0, "household_id", pa.array(ids)))
        assert g.n == households, ids
        assert sorted(g.ids.to_pylist()) == sorted(set(ids))


def test_columns_of_one_value_are_not_decoded_and_decide_the_same(tmp_path):
    """A county's export repeats its region, residence and date on every row. Where the file's own
    statistics say a text column holds one value in every row group (min = max, no null), the
    column is built as a one-word dictionary instead of being decoded; the decisions are the
    hand-checked ones above either way."""
    path = tmp_path / "plain.parquet"
    pq.write_table(plain_table(), path, use_dictionary=False, row_group_size=2)  # 3 row groups
    meta = pq.read_metadata(path)
    assert meta.num_row_groups == 3
    coded = io._dictionary_columns([(f.name, f.type) for f in meta.schema.to_arrow_schema()])
    # relation, birth_date and disability.* vary (or are null on some rows); the three household fields do not
    assert sorted(io._constant_columns(meta, coded)) == ["household.date", "household.region", "household.residence"]
    t = io.read_table(path)
    region = t.column("household.region").combine_chunks()
    assert region.dictionary.to_pylist() == ["620422"] and set(region.indices.to_pylist()) == {0}
    assert t.column_names == COLUMNS
    assert t.to_pylist() == pq.read_table(path).to_pylist()  # the same values as decoding them
    got = assess(path, tmp_path)
    assert {i: a for i, (_, a) in got.items()} == EXPECTED


def test_a_column_is_read_when_one_row_group_holds_another_value_or_a_null(tmp_path):
    """Household 12 in 兰州 (620102) in the last row group only: region is then read row by row;
    a null residence on one row is read (and refused, it is required) likewise."""
    t = plain_table()
    region = ["620422"] * 4 + ["620102"] * 2
    path = tmp_path / "two.parquet"
    pq.write_table(t.set_column(1, "household.region", pa.array(region)), path, use_dictionary=False,
                   row_group_size=2)
    meta = pq.read_metadata(path)
    assert "household.region" not in io._constant_columns(meta, ["household.region"])
    assert io.read_table(path).column("household.region").to_pylist() == region
    residence = ["urban"] * 5 + [None]
    null_path = tmp_path / "null.parquet"
    pq.write_table(t.set_column(2, "household.residence", pa.array(residence, pa.string())), null_path,
                   use_dictionary=False, row_group_size=2)
    assert io._constant_columns(pq.read_metadata(null_path), ["household.residence"]) == {}
    assert io.read_table(null_path).column("household.residence").to_pylist() == residence


def test_a_bad_value_on_every_row_is_still_named_at_its_first_row(tmp_path):
    """A region code that does not exist, repeated on every row (so never decoded): row 1."""
    path = tmp_path / "bad.parquet"
    pq.write_table(plain_table().set_column(1, "household.region", pa.array(["629999"] * len(PERSONS))), path,
                   use_dictionary=False, row_group_size=2)
    r = subprocess.run([DOUDI, "batch", "assess", str(path), str(tmp_path / "o.parquet"), "--program", "dibao"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode != 0
    assert "row 1, column household.region" in r.stderr and "629999" in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("ids, households", [
    (["1", "2", "2", "10", "11"], 4),  # numbers in order as numbers, compared as integers
    (["16", "0x10"], 2),  # Arrow's integer cast reads "0x10" as 16: not the way a number is written
    (["0", "-0", "0"], 2),  # "-0" and "0" are two ids; the rows of "0" are gathered into one household
    (["9", "09", "9"], 2),  # a leading zero: a text of its own
    (["-5", "-5", "3"], 2),  # a sign: compared as text
    (["9223372036854775808", "9223372036854775808"], 1),  # beyond int64: compared as text
])
def test_ids_written_as_numbers_group_as_their_texts(ids, households):
    t = plain_table().slice(0, len(ids)).set_column(0, "household_id", pa.array(ids))
    g = io.group(t)
    assert g.n == households, ids
    assert sorted(set(g.ids.to_pylist())) == sorted(set(ids))
    # every household's rows carry that household's id, in file order within it
    order = [ids[r - 1] for r in g.rows]
    assert [order[g.starts[k]] for k in range(g.n)] == g.ids.to_pylist()


# --- texts that need no trimming are not copied (io._nothing_to_trim) ---------------------------

TRIM_CASES = [
    ["300.00", "1200.00", "0.00"],  # nothing to trim: taken as they are
    ["300.00", " 1200.00", "0.00"],  # a leading space
    ["300.00", "1200.00\t", "0.00"],  # a trailing tab
    ["300.00", "1200.00\u3000"],  # a trailing ideographic space (E3 80 80)
    ["\u00a0300.00", "1200.00"],  # a leading no-break space (C2 A0)
    ["300.00", "", "0.00"],  # an empty text is an absent value
    ["300.00", None, "0.00"],  # a null
    [None, None],
    ["张三", "李四"],  # not ASCII at either end: trimmed as before (nothing to take off)
]


@pytest.mark.parametrize("values", TRIM_CASES)
def test_blank_is_absent_equals_trimming_every_text(values):
    # The expected column is the definition itself: every text trimmed of Unicode whitespace, and
    # an empty one absent.
    arr = pa.array(values, pa.string())
    expected = [None if v is None or not v.strip() else v.strip() for v in values]
    assert io._blank_is_absent(arr).to_pylist() == expected
    assert io._blank_is_absent(arr.cast(pa.large_string())).to_pylist() == expected


def test_nothing_to_trim_reads_only_the_texts_of_the_slice_and_skips_nulls():
    arr = pa.array([" 1.00", "2.00", "3.00", None, "4.00 "], pa.string())
    assert io._nothing_to_trim(arr.slice(1, 3))  # "2.00", "3.00", null
    assert not io._nothing_to_trim(arr.slice(0, 2))
    assert not io._nothing_to_trim(arr.slice(3, 2))
    # a null slot whose bytes are a space (Arrow lets a null cover any bytes): not looked at
    masked = pa.Array.from_buffers(pa.string(), 2, [pa.array([True, False]).buffers()[1],
                                                    pa.array(["5.00", " "]).buffers()[1],
                                                    pa.array(["5.00", " "]).buffers()[2]], null_count=1)
    assert masked.to_pylist() == ["5.00", None]
    assert io._nothing_to_trim(masked)
    assert io._blank_is_absent(masked).to_pylist() == ["5.00", None]


# --- the console script ends a finished batch run without Python's teardown (doudi.cli.run) -----

def test_the_console_script_ends_a_finished_run_at_once_with_its_output_whole(tmp_path):
    # `python -m doudi.cli` runs `run`, as the installed `doudi` script does: the summary line
    # still reaches stderr, the status is 0 and OUT holds the hand-checked amounts above.
    plain, out = tmp_path / "plain.parquet", tmp_path / "out.parquet"
    pq.write_table(plain_table(), plain, use_dictionary=False)
    r = subprocess.run([sys.executable, "-m", "doudi.cli", "batch", "assess", str(plain), str(out),
                        "--program", "dibao"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stderr.startswith("doudi: 4 households decided in ") and r.stderr.endswith(f" → {out}\n")
    t = pq.read_table(out)
    assert dict(zip(t.column("household_id").to_pylist(), t.column("dibao.amount").to_pylist(),
                    strict=True)) == {str(k): v for k, v in EXPECTED.items()}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_the_console_script_still_reports_a_bad_run_with_status_2(tmp_path):
    r = subprocess.run([sys.executable, "-m", "doudi.cli", "batch", "assess", str(tmp_path / "absent.parquet"),
                        str(tmp_path / "out.parquet")], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "LANG": "C"})
    assert r.returncode == 2
    assert r.stderr.startswith("doudi: ") and "an existing population file" in r.stderr
    assert r.stderr.count("\n") == 1


def test_main_called_in_a_process_that_goes_on_returns(tmp_path):
    from doudi.cli import main

    plain, out = tmp_path / "plain.parquet", tmp_path / "out.parquet"
    pq.write_table(plain_table(), plain, use_dictionary=False)
    assert main(["batch", "assess", str(plain), str(out), "--program", "dibao", "--quiet"]) == 0
    assert pq.read_table(out).num_rows == 4  # and this process is still here to check it
    # the collector, off while the command started and frozen after, is as it was
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        assert main(["batch", "assess", str(plain), str(out), "--program", "dibao", "--quiet"]) == 0
        assert not gc.isenabled() and gc.get_freeze_count() == 0
        assert main(["batch", "assess", str(tmp_path / "absent.parquet"), str(out)]) == 2  # refused
        assert not gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


# --- row groups read as chunks, ids as numbers chunk by chunk (reading._read_parquet, io.group) ----

def test_a_household_split_between_row_groups_is_one_household(tmp_path):
    # Row groups of 2 rows: [9, 10] [10, 11] [12, 12]: household 10 has a row in each of the first two.
    plain = tmp_path / "groups.parquet"
    pq.write_table(plain_table(), plain, use_dictionary=False, row_group_size=2)
    assert pq.ParquetFile(plain).num_row_groups == 3
    t = io.read_table(plain)
    assert t.column("household_id").num_chunks == 3  # as read, not copied into one array
    g = io.group(t, str(plain))
    assert g.ids.to_pylist() == ["9", "10", "11", "12"]
    assert g.starts.tolist() == [0, 1, 3, 4, 6]
    assert {int(k): v[1] for k, v in assess(plain, tmp_path).items()} == EXPECTED


def test_ids_out_of_order_across_row_groups_are_still_grouped(tmp_path):
    # The same persons with household 10's second row moved to the end: the rows of 10 are not
    # contiguous, so the ids are grouped by value (first appearance order) and the amounts hold.
    t = plain_table()
    order = [0, 1, 3, 4, 5, 2]
    t = t.take(pa.array(order))
    path = tmp_path / "shuffled.parquet"
    pq.write_table(t, path, use_dictionary=False, row_group_size=2)
    g = io.group(io.read_table(path), str(path))
    assert g.ids.to_pylist() == ["9", "10", "11", "12"]
    assert g.rows.tolist() == [1, 2, 6, 3, 4, 5]  # file rows of each household, in file order
    assert {int(k): v[1] for k, v in assess(path, tmp_path).items()} == EXPECTED


def test_take_by_chunks_equals_take_on_the_whole_column():
    col = pa.chunked_array([["a", "b"], [], ["c", "d", "e"], ["f"]])
    rows = np.array([0, 2, 3, 5])
    assert io._take(col, rows).to_pylist() == col.combine_chunks().take(pa.array(rows)).to_pylist() == ["a", "c", "d", "f"]
    assert io._take(col, np.array([], np.int64)).to_pylist() == []


def test_ids_in_order_chunk_by_chunk_look_across_the_chunks_boundaries():
    # A household may begin in one row group and go on in the next (2 | 2); a smaller id at the
    # start of a row group (2 | 1) means the rows are not in households.
    assert io._changes_in_order([np.array([1, 2]), np.array([2, 3])]).tolist() == [True, False, True]
    assert io._changes_in_order([np.array([1, 2]), np.array([], np.int64), np.array([3])]).tolist() == [True, True]
    assert io._changes_in_order([np.array([1, 2]), np.array([1, 3])]) is None
    assert io._changes_in_order([np.array([2, 1])]) is None
    col = pa.chunked_array([["9", "10"], ["10", "11"]])
    assert io._firsts_if_sorted(None, io._id_numbers(col)).tolist() == [0, 1, 3]
    assert io._id_numbers(pa.chunked_array([["9", "10"], ["010"]])) is None  # "010" is not written as a number is


def test_a_batch_of_one_county_date_and_residence_resolves_its_parameters_as_one_group(tmp_path):
    # The plain file repeats 620422 / urban / 2023-06-01 on every row: read as one-word columns,
    # the households' region, date and residence are broadcasts, and Params takes them as one
    # group without sorting. The same households with those columns as ordinary arrays (a copy)
    # must give the same group, key and parameter values.
    from doudi.policy.household import Households, is_constant
    from doudi.policy.params import Params, default_policy

    plain = tmp_path / "plain.parquet"
    pq.write_table(plain_table(), plain, use_dictionary=False)
    hh = io.group(io.read_table(plain), str(plain)).households()
    assert all(is_constant(hh.h(name)) for name in ("region", "date", "residence"))
    copied = Households({k: np.array(v) for k, v in hh.cols.items()}, hh.person_hh)
    assert not is_constant(copied.h("region"))
    one, many = Params(default_policy(), hh), Params(default_policy(), copied)
    assert one.keys == many.keys == [("620422", dt.date(2023, 6, 1), "urban")]
    assert one.group.tolist() == many.group.tolist() == [0, 0, 0, 0]
    # 会宁县 urban 低保 standard 700.00 yuan from 2022-01-01 (data/620422/dibao.yaml): 70000 fen
    assert one.money("dibao.standard.urban").tolist() == many.money("dibao.standard.urban").tolist() == [70000] * 4


def test_a_csv_household_code_column_of_one_text_is_one_word_else_a_dictionary():
    from doudi.batch import reading

    one = reading._words(pa.chunked_array([["620422", "620422"], [], ["620422"]]))
    assert one.num_chunks == 1 and one.chunk(0).dictionary.to_pylist() == ["620422"]
    assert one.to_pylist() == ["620422"] * 3
    for values in ([["620422", "620422"], ["620421"]], [["620422", None]], [[" 620422", "620422"]]):
        words = reading._words(pa.chunked_array(values, pa.string()))
        assert pa.types.is_dictionary(words.type)
        assert words.to_pylist() == [v for chunk in values for v in chunk]  # as read, every cell kept
        assert words.num_chunks == len(values)  # each chunk encoded, not one word for the column
    assert reading._household_codes(["household_id", "household.region", "household.date", "relation",
                                      "birth_date", "monthly_income.wages"]) == ["household.region", "household.date"]


def test_a_csv_whose_household_region_changes_in_a_later_block_still_names_each_households_region(tmp_path):
    # 620422 on every row but the last household's (620421, 靖远县): a county file with a stray row.
    t = plain_table()
    region = t.column("household.region").to_pylist()
    region[-2:] = ["620421", "620421"]
    t = t.set_column(t.column_names.index("household.region"), "household.region", pa.array(region, pa.string()))
    path = tmp_path / "two.csv"
    pacsv.write_csv(t, path)
    g = io.group(io.read_table(path), str(path))
    assert g.households().h("region").tolist() == [620422, 620422, 620422, 620421]
