"""The synthetic population (doudi synth): calibration, determinism, valid identities."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from doudi.batch.calibration import achieved, calibration_report, within
from doudi.batch.synth import TARGETS, synthesize, write
from doudi.policy import identity

REGIONS = ["620422", "150202", "110101"]


@pytest.fixture(scope="module")
def population():
    return synthesize(20_000, REGIONS, seed=7, date="2024-06-01")


@pytest.fixture(scope="module")
def figures(population):
    return achieved(population)


# Tolerances (doudi.batch.synth.TOLERANCE): shares of households within 15 % of the target
# (or 3 binomial standard errors at this sample size, whichever is wider); persons per 低保
# household and the average benefit as a share of the standard within 10 %.
@pytest.mark.parametrize("key", sorted(TARGETS))
def test_synthetic_population_lands_near_the_national_figure(figures, key):
    assert within(key, TARGETS[key], figures[key], figures), (key, TARGETS[key], figures[key])


def test_population_has_about_two_and_a_half_persons_per_household(figures):
    assert 2.4 <= figures["persons_per_household"] <= 2.8


def test_population_age_and_urban_structure_is_near_the_census(figures):
    assert 0.16 <= figures["age_60_plus"] <= 0.22  # 2020 census: 18.7 %
    assert 0.12 <= figures["age_0_14"] <= 0.20  # 2020 census: 17.95 %
    assert 0.60 <= figures["urban_persons"] <= 0.69  # 2021: 64.7 %
    assert 0.02 <= figures["disabled_persons"] <= 0.035  # ~2.7 % hold a certificate


def test_calibration_report_prints_targets_beside_achieved(population):
    text = calibration_report(population)
    assert "低保 households, urban" in text and "target" in text and "achieved" in text


def test_same_seed_gives_the_same_population():
    a = synthesize(3_000, REGIONS, seed=11, date="2024-06-01")
    b = synthesize(3_000, REGIONS, seed=11, date="2024-06-01")
    assert a.equals(b)


def test_another_seed_gives_another_population():
    a = synthesize(3_000, REGIONS, seed=11, date="2024-06-01")
    b = synthesize(3_000, REGIONS, seed=12, date="2024-06-01")
    assert not a.equals(b)


def test_file_written_in_chunks_equals_the_table_in_memory(tmp_path, monkeypatch):
    import doudi.batch.synth as synth

    monkeypatch.setattr(synth, "CHUNK", 700)
    path = tmp_path / "pop.parquet"
    write(str(path), 2_000, REGIONS, seed=3, date="2024-06-01")
    whole = synthesize(2_000, REGIONS, seed=3, date="2024-06-01")
    back = pq.read_table(path)
    assert back.num_rows == whole.num_rows
    assert back.column("household_id").to_pylist() == whole.column("household_id").to_pylist()
    assert back.column("id_number").to_pylist() == whole.column("id_number").to_pylist()
    assert back.column("monthly_income.wages").to_pylist() == whole.column("monthly_income.wages").to_pylist()


def test_every_id_number_is_valid_and_agrees_with_birth_date_sex_and_county(population):
    ids = population.column("id_number").to_pylist()
    births = population.column("birth_date").to_pylist()
    sexes = population.column("sex").cast("string").to_pylist()
    county = population.column("household.region").cast("string").to_pylist()
    for k in range(0, len(ids), 7):  # every 7th person: ~7,400 numbers through the real parser
        info = identity.parse_id_number(ids[k])
        assert info.birth_date == births[k]
        assert info.sex == sexes[k]
        assert info.address_code == county[k]


def test_city_code_spreads_households_over_its_counties():
    t = synthesize(600, ["150300"], seed=1, date="2024-06-01")
    counties = set(t.column("household.region").cast("string").to_pylist())
    assert counties == {"150302", "150303", "150304"}  # 乌海市: 海勃湾区, 海南区, 乌达区


def test_unknown_region_is_refused_with_its_code():
    with pytest.raises(ValueError, match="999999"):
        synthesize(10, ["999999"], seed=1)


def test_households_are_contiguous_and_numbered_from_zero(population):
    ids = population.column("household_id").to_numpy()
    assert ids[0] == 0 and ids[-1] == 19_999
    assert np.all(np.diff(ids) >= 0)


def test_zero_households_give_the_columns_and_no_rows():
    t = synthesize(0, REGIONS, seed=1, date="2024-06-01")
    assert t.num_rows == 0 and "household_id" in t.column_names
    assert "no households" in calibration_report(t)
