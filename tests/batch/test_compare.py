"""`doudi batch compare`: what if a parameter changed — gains, losses, cost by county."""

from __future__ import annotations

import zipfile

import pyarrow as pa
import pytest

from doudi.batch.compare import change_rows, compare, county_rows, run, summary_rows
from doudi.policy.errors import InputError


def population() -> pa.Table:
    """Four urban households of 会宁县 (620422) on 2023-06-01: the urban 低保 standard in force
    is 700.00 yuan/person/month (data/620422/dibao.yaml, from 2022-01-01). Adults of 40, no
    disability, so no other rule touches 低保."""
    rows = [  # household_id, wages
        (1, "650.00"),  # one person, 650/month
        (2, "750.00"),  # one person, 750/month
        (3, "1500.00"), (3, "0.00"),  # two persons, 1500/month together
        (4, "900.00"),  # one person, 900/month
    ]
    n = len(rows)
    return pa.table({
        "household_id": [r[0] for r in rows],
        "household.region": ["620422"] * n,
        "household.residence": ["urban"] * n,
        "household.date": ["2023-06-01"] * n,
        "relation": ["self", "self", "self", "spouse", "self"],
        "birth_date": ["1983-01-01"] * n,
        "monthly_income.wages": [r[1] for r in rows],
    })


def by_program(rows, program):
    return next(r for r in rows if r["program"] == program)


def test_raising_the_standard_by_100_gains_two_households_and_adds_250_yuan():
    c = run(population(), {"dibao.standard.urban": "800.00"})
    s = by_program(summary_rows(c), "dibao")
    # before (standard 700): h1 (700 − 650) × 1 = 50.00; h2 750 ≥ 700 no; h3 1500/2 = 750 ≥ 700 no; h4 no
    # after (standard 800): h1 (800 − 650) = 150.00; h2 (800 − 750) = 50.00; h3 800 × 2 − 1500 = 100.00
    assert (s["eligible_before"], s["eligible_after"]) == (1, 3)
    assert (s["gain"], s["lose"]) == (2, 0)
    assert s["cost_before"] == 5000  # fen: 50.00
    assert s["cost_after"] == 15000 + 5000 + 10000  # 300.00
    assert s["cost_change"] == 25000  # 250.00


def test_change_per_household_is_100_50_and_100():
    c = run(population(), {"dibao.standard.urban": "800.00"})
    d = by_program(change_rows(c), "dibao")
    # changes: h1 +100.00, h2 +50.00, h3 +100.00
    assert d["households"] == 3 and d["up"] == 3 and d["down"] == 0
    assert (d["min"], d["max"]) == (5000, 10000)
    assert d["mean"] == 8333  # 250.00 / 3 = 83.333… → 83.33


def test_lowering_the_standard_to_600_loses_the_one_recipient():
    c = run(population(), {"dibao.standard.urban": "600.00"})
    s = by_program(summary_rows(c), "dibao")
    # after: h1 650 ≥ 600, no longer eligible; nobody else was
    assert (s["gain"], s["lose"]) == (0, 1)
    assert (s["cost_before"], s["cost_after"]) == (5000, 0)


def test_cost_by_county_names_huining():
    c = run(population(), {"dibao.standard.urban": "800.00"})
    row = next(r for r in county_rows(c) if r["program"] == "dibao")
    assert (row["county"], row["name"]) == ("620422", "会宁县")
    assert (row["cost_before"], row["cost_after"]) == (5000, 30000)


def test_compare_prints_a_table_and_writes_a_workbook_with_a_chart(tmp_path):
    path = tmp_path / "whatif.xlsx"
    text = compare(population(), {"dibao.standard.urban": "800.00"}, str(path))
    assert "dibao.standard.urban=800.00" in text
    assert "300.00" in text and "250.00" in text
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        workbook = z.read("xl/workbook.xml").decode()
    assert any(n.startswith("xl/charts/chart") for n in names)
    for sheet in ("summary", "change per household", "by county", "households"):
        assert f'name="{sheet}"' in workbook


def test_unknown_parameter_is_refused_by_name():
    with pytest.raises(InputError, match="dibao.no_such_thing"):
        compare(population(), {"dibao.no_such_thing": "1"}, None)
