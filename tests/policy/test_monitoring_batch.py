"""The monitoring scan's fast paths give what the slow ones give (issue 13's speed work):

- the thresholds' grouping of households by county and residence (dictionary codes) equals the
  grouping by one "county|residence" string per household (np.unique);
- the rules over a whole batch of households of several counties equal the rules run on each
  household alone (the per-household path), warning for warning, with the same sentences and
  sources — also where one county has a figure of its own;
- a population file read in ranges of whole households (doudi.batch.ranges) gives every row once,
  and the policy core deciding range by range gives what it gives for the whole file.

Hand-worked figures (national parameters, doudi/policy/data/national/monitoring.yaml): the
medical share is 0.5 of the yearly income; Huining (620422) is given 0.4 by a layer here. A
household with 20,000.00 yuan a year and 9,000.00 of medical cost (45 %) is above 0.4 × 20,000.00
= 8,000.00 and not above 0.5 × 20,000.00 = 10,000.00: a warning in Huining only.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from doudi.policy import monitoring as m
from doudi.policy.errors import InputError
from doudi.policy.params import default_policy

ON = dt.date(2026, 11, 2)
HUINING, JINGYUAN, HUIMIN = "620422", "620421", "150102"


def _policy():
    return default_policy().with_layers({HUINING: {"monitoring.medical.income_share": [
        {"from": "2020-01-01", "value": 0.4, "source": "测试:会宁县监测参数"}]}})


ROWS = [
    # (county, residence, facts) — each household worked to hit or miss a rule
    (HUINING, "rural", {"yearly_income": 2_000_000, "medical": 900_000}),           # MW-MEDICAL (0.4 here)
    (JINGYUAN, "rural", {"yearly_income": 2_000_000, "medical": 900_000}),          # none: 45 % ≤ 50 %
    (JINGYUAN, "urban", {"yearly_income": 2_000_000, "medical": 1_000_001}),        # MW-MEDICAL
    (HUIMIN, "urban", {"income_before": 100_000, "income": 69_999}),                # MW-INCOME
    (HUINING, "urban", {"income_before": 100_000, "income": 70_000}),               # none: exactly 30 %
    (HUIMIN, "rural", {"earner_died": True, "earner_disability": 2}),               # MW-DEATH, MW-DISABILITY
    (HUINING, "rural", {"disaster_days": 90, "unemployment_months": 3}),            # MW-DISASTER, MW-UNEMPLOYMENT
    (JINGYUAN, "rural", {"disaster_days": 91, "unemployment_months": 4}),           # none
    (HUINING, "rural", {"stopped_months": 6}),                                      # MW-STOPPED
    (HUIMIN, "urban", {"stopped_months": 2, "dibao": True}),                        # none: a benefit is live
    (JINGYUAN, "urban", {"university_entrant": True, "dibao": True}),               # MW-UNIVERSITY
    (HUINING, "urban", {"members": 2, "yearly_income": 3_000_000, "spending_12m": 1_500_001}),  # rigid
]


def _facts(rows):
    return m.Facts.from_rows([{"county": c, "residence": r, **f} for c, r, f in rows])


def test_thresholds_grouping_equals_one_string_per_household():
    rng = np.random.default_rng(5)
    county = np.array([HUINING, JINGYUAN, HUIMIN, "620102"], dtype=object)[rng.integers(0, 4, 5000)]
    residence = np.array(["urban", "rural"], dtype=object)[rng.integers(0, 2, 5000)]
    groups, index = m._groups(county, residence)
    keys = np.array([f"{c}|{r}" for c, r in zip(county, residence, strict=True)], dtype=object)
    want_groups, want_index = np.unique(keys, return_inverse=True)
    assert list(groups) == list(want_groups)
    assert np.array_equal(index, want_index)
    g, i = m._groups(np.array([], dtype=object), np.array([], dtype=object))
    assert len(g) == 0 and len(i) == 0


def test_batch_of_households_equals_each_household_alone():
    policy = _policy()
    batch = [(h.index, h.rule, h.level, h.detail, h.sources) for h in m.evaluate(_facts(ROWS), ON, policy)]
    alone = []
    for i, row in enumerate(ROWS):
        alone += [(i, h.rule, h.level, h.detail, h.sources) for h in m.evaluate(_facts([row]), ON, policy)]
    assert batch == alone
    # the hand-worked outcome (module docstring and the comments of ROWS)
    assert [(i, rule) for i, rule, *_ in batch] == [
        (0, "MW-MEDICAL"), (2, "MW-MEDICAL"), (3, "MW-INCOME"), (5, "MW-DEATH"), (5, "MW-DISABILITY"),
        (6, "MW-DISASTER"), (6, "MW-UNEMPLOYMENT"), (8, "MW-STOPPED"), (10, "MW-UNIVERSITY")]
    assert "测试:会宁县监测参数" in batch[0][4]
    assert "测试:会宁县监测参数" not in batch[1][4]


def test_register_categories_of_a_batch_equal_each_household_alone():
    policy = _policy()
    facts = _facts(ROWS)
    cats = m.categories(facts, m.Thresholds(facts, ON, policy))
    for i, row in enumerate(ROWS):
        one = _facts([row])
        alone = m.categories(one, m.Thresholds(one, ON, policy))
        assert {c: bool(v[i]) for c, v in cats.items()} == {c: bool(v[0]) for c, v in alone.items()}, i
    assert list(np.flatnonzero(cats["rigid"])) == [11]


# --- a population file in ranges of whole households -------------------------------------------------

@pytest.fixture(scope="module")
def population(tmp_path_factory):
    from doudi.batch.synth import synthesize

    table = synthesize(300, [HUINING, JINGYUAN], seed=4, date="2024-06-01")
    path = tmp_path_factory.mktemp("ranges") / "pop.parquet"
    pq.write_table(table, path, row_group_size=97)  # row groups that cut households
    return path, table


def test_ranges_begin_at_households_and_cover_every_row_once(population):
    from doudi.batch.ranges import household_ranges, household_starts, read_range

    path, table = population
    starts = household_starts(path)
    ranges = household_ranges(path, rows=120)
    assert ranges[0].lo == 0 and ranges[-1].hi == table.num_rows
    assert all(a.hi == b.lo for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(r.lo in set(starts.tolist()) for r in ranges)
    assert sum(r.households for r in ranges) == len(starts) - 1 == 300
    for r in ranges:
        got = read_range(path, r)
        assert got.equals(table.slice(r.lo, r.hi - r.lo))
        ids = got.column("household_id").to_numpy()
        assert len(np.unique(ids)) == r.households
        assert int(np.searchsorted(starts, r.lo)) == r.household


def test_policy_core_by_ranges_equals_the_whole_file(population):
    from doudi.batch.engine import assess_table
    from doudi.batch.ranges import household_ranges, read_range

    path, table = population
    whole = assess_table(table, date="2024-06-01", programs=["dibao", "tekun", "temporary"])
    parts = [assess_table(read_range(path, r), date="2024-06-01", programs=["dibao", "tekun", "temporary"])
             for r in household_ranges(path, rows=150)]
    assert pa.concat_tables(parts).equals(whole)


def test_a_household_split_over_the_file_is_refused(tmp_path):
    from doudi.batch.ranges import household_starts

    path = tmp_path / "split.parquet"
    pq.write_table(pa.table({"household_id": [1, 1, 2, 1]}), path)
    with pytest.raises(InputError) as exc:
        household_starts(path)
    assert "household_id" in str(exc.value)
