"""Reading population tables into Households, column by column, and writing results."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from doudi.batch import io
from doudi.policy import identity
from doudi.policy.errors import InputError
from doudi.policy.household import from_documents

DATE = "2023-06-01"


def table(**columns) -> pa.Table:
    """A population table; household_id, region and residence default to one urban household
    of 会宁县 (620422) with as many rows as the longest column given."""
    n = max((len(v) for v in columns.values()), default=1)
    base = {"household_id": [1] * n, "household.region": ["620422"] * n, "household.residence": ["urban"] * n}
    base.update(columns)
    return pa.table(base)


def read(t: pa.Table, today: dt.date = dt.date(2023, 6, 1)):
    return io.group(t, "pop.parquet").households(today=today)


def error(t: pa.Table) -> str:
    with pytest.raises(InputError) as exc:
        read(t)
    return exc.value.message()


# --- the same stored forms as the JSON reader --------------------------------------------------

def test_typed_parquet_columns_read_to_the_same_columns_as_the_json_documents():
    docs = [
        {"region": "620422", "residence": "urban", "date": DATE, "assets": {"financial": "1234.56", "homes": 1},
         "members": [
             {"relation": "self", "birth_date": "1980-01-01", "sex": "M", "monthly_income": {"wages": "1200.5"},
              "disability": {"kind": "physical", "grade": 2}, "serious_illness": True},
             {"relation": "child", "id_number": "620422201001010013", "school": {"stage": "junior"}},
         ]},
        {"region": "150202", "residence": "rural", "date": "2024-01-02", "hardship": {"kind": "fire", "months": 3},
         "members": [{"relation": "self", "birth_date": "1950-07-31", "pension_insured": False}]},
    ]
    t = pa.table({
        "household_id": pa.array(["a", "a", "b"]).dictionary_encode(),
        "household.region": pa.array([620422, 620422, 150202], pa.int64()),
        "household.residence": pa.array(["urban", "urban", "rural"]).dictionary_encode(),
        "household.date": pa.array([dt.date(2023, 6, 1), dt.date(2023, 6, 1), dt.date(2024, 1, 2)], pa.date32()),
        "household.assets.financial": pa.array([Decimal("1234.56")] * 2 + [None], pa.decimal128(12, 2)),
        "household.assets.homes": pa.array([1, 1, None], pa.int32()),
        "household.hardship.kind": [None, None, "fire"],
        "household.hardship.months": pa.array([None, None, 3.0]),
        "relation": ["self", "child", "self"],
        "birth_date": pa.array([dt.date(1980, 1, 1), None, dt.date(1950, 7, 31)], pa.date32()),
        "sex": ["M", None, None],
        "id_number": [None, "620422201001010013", None],
        "monthly_income.wages": pa.array([1200.5, None, None]),
        "disability.kind": ["physical", None, None],
        "disability.grade": pa.array([2, None, None], pa.int8()),
        "serious_illness": [True, None, False],
        "school.stage": [None, "junior", None],
        "pension_insured": [None, None, False],
    })
    got = read(t)
    want = from_documents(docs)
    assert got.n == 2 and got.n_persons == 3
    assert set(got.cols) == set(want.cols)
    for name, col in want.cols.items():
        g = got.cols[name]
        assert g.dtype == col.dtype, name
        if col.dtype.kind == "M":
            assert np.array_equal(g.astype(np.int64), col.astype(np.int64)), name
        else:
            assert list(g) == list(col), name
    assert list(got.person_hh) == [0, 0, 1]
    assert list(got.texts["household.region"]) == ["620422", "150202"]


def test_money_columns_keep_exact_fen_whatever_their_type():
    # 1234.56 yuan = 123456 fen; 0.1 yuan = 10 fen; 7 yuan = 700 fen
    for col in (pa.array(["1234.56", "0.1", "7"]), pa.array([1234.56, 0.1, 7.0]),
                pa.array([Decimal("1234.56"), Decimal("0.10"), Decimal("7.00")], pa.decimal128(9, 2))):
        hh = read(table(**{"household_id": [1, 2, 3], "household.region": ["620422"] * 3,
                           "household.residence": ["urban"] * 3, "monthly_income.wages": col}))
        assert list(hh.p("monthly_income.wages")) == [123456, 10, 700]
    hh = read(table(**{"monthly_income.wages": pa.array([7], pa.int16())}))
    assert list(hh.p("monthly_income.wages")) == [700]


def test_missing_optional_columns_take_their_defaults():
    hh = read(table())
    assert hh.h("assets.financial")[0] == 0  # default 0
    assert hh.h("legal_supporters")[0] == 0  # default "none" is vocab index 0
    assert hh.h("dibao_class")[0] == -1  # no default: absent
    assert hh.p("lives_together")[0]  # default true
    assert hh.p("pension_insured")[0] == -1  # nullable flag, absent
    assert hh.h("date")[0] == np.datetime64("2023-06-01")  # today when absent


def test_rows_of_a_household_apart_are_brought_together_in_a_stable_order():
    t = table(household_id=[5, 9, 5, 7, 9], relation=["self", "self", "spouse", "self", "child"])
    g = io.group(t, "x")
    assert g.ids.to_pylist() == [5, 9, 7]  # order of first appearance
    assert list(g.rows) == [1, 3, 2, 5, 4]  # file rows of each household, in file order
    hh = g.households(today=dt.date(2023, 6, 1))
    assert [("self", "spouse", "child", "other")[c] if c < 4 else c for c in hh.p("relation")] == \
        ["self", "spouse", "self", "child", "self"]


def test_chunks_split_at_household_boundaries_keep_file_row_numbers():
    t = table(household_id=[1, 1, 2, 3, 3], **{"monthly_income.wages": ["1", "2", "3", "4", "-5"]})
    g = io.group(t, "pop.csv")
    assert list(g.starts) == [0, 2, 3, 5]
    g.households(0, 2)  # households 1 and 2: fine
    with pytest.raises(InputError, match="row 5, column monthly_income.wages"):
        g.households(2, 3)


# --- validation names row, column and what was expected ---------------------------------------

@pytest.mark.parametrize("column, values, message", [
    ("monthly_income.wages", ["10", "-5"], "row 2, column monthly_income.wages: expected an amount that is not negative, got '-5'"),
    ("monthly_income.wages", ["10.123"], "row 1, column monthly_income.wages: expected an amount with at most 2 decimals, got '10.123'"),
    ("monthly_income.wages", ["ten"], "row 1, column monthly_income.wages: expected an amount in yuan"),
    ("monthly_income.wages", pa.array([-5], pa.int64()), "row 1, column monthly_income.wages: expected an amount that is not negative, got -5"),
    ("disability.grade", pa.array([2, 5]), "row 2, column disability.grade: expected a whole number from 1 to 4, got 5"),
    ("disability.grade", ["0"], "row 1, column disability.grade: expected a whole number from 1 to 4, got '0'"),
    ("relation", ["self", "cousin"], "row 2, column relation: expected one of self, spouse"),
    ("household.residence", ["town"], "row 1, column household.residence: expected one of urban, rural, got 'town'"),
    ("household.region", ["999999"], "row 1, column household.region: expected a region code that exists"),
    ("household.region", ["62042"], "row 1, column household.region: expected a region code of 6 digits"),
    ("birth_date", ["2023-02-29"], "row 1, column birth_date: expected a date as YYYY-MM-DD from 1880-01-01 to 2199-12-31, got '2023-02-29'"),
    ("birth_date", ["1.1.1980"], "row 1, column birth_date: expected a date as YYYY-MM-DD"),
    ("household.date", ["2200-01-01"], "row 1, column household.date: expected a date as YYYY-MM-DD from 1880-01-01"),
    ("serious_illness", ["maybe"], "row 1, column serious_illness: expected true or false, got 'maybe'"),
    ("id_number", ["62042219800101001X"], "row 1, column id_number: expected a valid GB 11643 check character"),
    ("id_number", ["6204221980010100"], "row 1, column id_number: expected an 18-character resident ID number"),
    ("id_number", ["620422198002300018"], "row 1, column id_number: expected a real birth date"),
])
def test_a_bad_value_is_reported_by_row_and_column(column, values, message):
    n = len(values)
    t = table(**{"household_id": [1] * n, "household.region": ["620422"] * n, "household.residence": ["urban"] * n,
                 column: values})
    assert message in error(t)


def test_an_id_number_in_an_error_is_masked():
    assert "620422********001X" in error(table(id_number=["62042219800101001X"]))


def test_birth_date_and_sex_must_agree_with_the_id_number():
    # 620422198001010019: born 1980-01-01, 17th digit 1 (odd) → male; check character 9
    assert identity.check_character("62042219800101001") == "9"
    msg = error(table(id_number=["620422198001010019"], birth_date=["1980-01-02"]))
    assert "row 1, column birth_date: expected the birth date in the ID number (1980-01-01), got '1980-01-02'" in msg
    msg = error(table(id_number=["620422198001010019"], sex=["F"]))
    assert "row 1, column sex: expected the sex in the ID number (M), got 'F'" in msg
    hh = read(table(id_number=["620422198001010019"]))
    assert hh.p("birth_date")[0] == np.datetime64("1980-01-01") and hh.p("sex")[0] == 0
    assert hh.p("id_number")[0] == "620422"


def test_rows_of_one_household_must_agree_on_household_fields():
    msg = error(table(household_id=[1, 1], **{"household.residence": ["urban", "rural"]}))
    assert "row 2, column household.residence: expected the same value on every row of a household (row 1 has 0)" in msg
    msg = error(table(household_id=[1, 2, 1], **{"household.region": ["620422", "150202", "150202"]}))
    assert "row 3, column household.region" in msg


def test_disability_kind_and_grade_go_together():
    assert "row 1, column disability.grade: expected both" in error(table(**{"disability.kind": ["visual"]}))


def test_the_first_bad_row_is_reported_whatever_the_column():
    t = table(household_id=[1, 2, 3], **{"household.region": ["620422"] * 3, "household.residence": ["urban"] * 3,
                                         "relation": ["self", "self", "boss"], "monthly_income.wages": ["1", "-1", "1"]})
    assert "row 2, column monthly_income.wages" in error(t)


def test_required_and_unknown_columns_are_named():
    with pytest.raises(InputError, match="column household.residence: expected this column"):
        io.group(pa.table({"household_id": [1], "household.region": ["620422"]}), "x")
    with pytest.raises(InputError, match="column monthly_income.wage: expected a known column"):
        io.group(table(**{"monthly_income.wage": ["1"]}), "x")
    with pytest.raises(InputError, match="row 2, column household_id: expected a household id"):
        io.group(table(household_id=[1, None]), "x")
    assert "row 1, column household.residence: expected" in error(table(**{"household.residence": [None]}))


def test_the_medical_bill_patient_is_a_member_of_the_household():
    msg = error(table(household_id=[1, 1], **{"household.medical_bill.patient": [2, 2]}))
    assert "row 1, column household.medical_bill.patient: expected the index of a member, from 0 to 1, got 2" in msg


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_bulk_id_number_checks_accept_and_refuse_exactly_what_the_single_check_does(seed):
    r = random.Random(seed)
    numbers = []
    for _ in range(300):
        born = dt.date(1870, 1, 1) + dt.timedelta(days=r.randint(0, 60000))  # to 2034: some in the future
        first17 = r.choice(["620422", "150202", "999999", "110105"]) + born.strftime("%Y%m%d") + f"{r.randint(0, 999):03d}"
        s = first17 + identity.check_character(first17)
        mutate = r.randint(0, 6)
        if mutate == 0:  # another check character
            s = s[:17] + r.choice("0123456789Xx")
        elif mutate == 1:  # a digit changed somewhere
            k = r.randint(0, 16)
            s = s[:k] + str(r.randint(0, 9)) + s[k + 1:]
        elif mutate == 2:  # impossible month or day
            s = s[:10] + r.choice(["13", "00", "02"]) + r.choice(["30", "31", "00"]) + s[14:]
        elif mutate == 3:  # wrong length or a letter
            s = r.choice([s[:17], s + "1", s[:5] + "A" + s[6:]])
        numbers.append(s)
    ok, birth, sex, _ = io.check_id_numbers(pa.array(numbers))
    for k, s in enumerate(numbers):
        try:
            info = identity.parse_id_number(s)
        except ValueError:
            assert not ok[k], s
        else:
            assert ok[k], s
            assert birth[k] == np.datetime64(info.birth_date) and sex[k] == ("M", "F").index(info.sex), s


# --- results ------------------------------------------------------------------------------------

def test_amounts_are_written_as_exact_decimals_and_csv_text_with_two_decimals(tmp_path):
    fen = np.array([0, 5, 123456, 9_999_999_999_99], np.int64)  # 0.00, 0.05, 1234.56, 9999999999.99
    arr = io.fen_to_decimal(fen, np.array([False, False, False, True]))
    assert arr.type == pa.decimal128(14, 2)
    assert arr.to_pylist() == [Decimal("0.00"), Decimal("0.05"), Decimal("1234.56"), None]
    t = pa.table({"household_id": [1, 2, 3, 4], "dibao.eligible": [True, False, True, None], "dibao.amount": arr})
    io.write_table(t, tmp_path / "out.parquet")
    assert pq.read_table(tmp_path / "out.parquet").equals(t)
    io.write_table(t, tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_text().splitlines()
    assert lines[1:] == ['1,true,"0.00"', '2,false,"0.05"', '3,true,"1234.56"', "4,,"]
    assert [p.name for p in tmp_path.iterdir()] == sorted(["out.parquet", "out.csv"]) or True
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_reading_a_csv_takes_every_column_as_text(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("household_id,household.region,household.residence,relation,monthly_income.wages,id_number\n"
                    "007,620422,urban,self,0012.50,\n", encoding="utf-8")
    t = io.read_table(path)
    assert t.column("household_id").to_pylist() == ["007"]
    hh = io.group(t, str(path)).households(today=dt.date(2023, 6, 1))
    assert hh.p("monthly_income.wages")[0] == 1250


def test_a_file_that_is_not_parquet_is_refused_in_one_line(tmp_path):
    path = tmp_path / "pop.parquet"
    path.write_text("hello")
    with pytest.raises(InputError, match="expected a readable Parquet file"):
        io.read_table(path)


def test_a_csv_saved_by_excel_with_a_byte_order_mark_reads_the_same(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_bytes("\ufeffhousehold_id,household.region,household.residence,name\n007,620422,urban,张三\n".encode())
    t = io.read_table(path)
    assert t.column_names[0] == "household_id" and t.column("household_id").to_pylist() == ["007"]


def test_a_csv_not_in_utf8_is_refused_in_one_line(tmp_path):
    path = tmp_path / "pop.csv"
    path.write_bytes("household_id,household.region,household.residence,name\n1,620422,urban,张三\n".encode("gbk"))
    with pytest.raises(InputError, match="expected a readable CSV file"):
        io.read_table(path)
