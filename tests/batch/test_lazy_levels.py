"""Each level's parameters read only when a household under it is decided (issue 16, speed):
`default_policy()` is `Policy(lazy=True)`, which reads the national definitions and every level's
`_level.yaml` at once and a county's, city's and province's values the first time one of its
households is decided. A file of one county must be decided exactly as with every level loaded."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest

from doudi.batch.engine import assess_table
from doudi.policy.params import Policy

sys.path.insert(0, str(Path(__file__).parent))
from test_plain_strings import EXPECTED, plain_table, typed_table  # noqa: E402

HUINING_CHAIN = {"620422", "620400", "620000"}  # 会宁县, 白银市, 甘肃省
INNER_MONGOLIA = {"150000", "150200", "150300"}  # 内蒙古, 包头市, 乌海市


def _amounts(table) -> dict[int, tuple[bool, Decimal]]:
    return {int(i): (e, a) for i, e, a in zip(table.column("household_id").to_pylist(),
                                              table.column("dibao.eligible").to_pylist(),
                                              table.column("dibao.amount").to_pylist(), strict=True)}


@pytest.mark.parametrize("make", [typed_table, plain_table], ids=["typed", "plain strings"])
def test_a_file_of_one_county_decides_the_same_with_only_its_levels_loaded(make):
    """Huining households (the hand-checked amounts of test_plain_strings.py: 400.00, 340.00,
    0.00, 599.45 on the urban standard 700.00 of data/620422) on a lazy policy and on one with
    every level read: every program's columns equal, and the lazy one has read Huining's chain
    only, not Inner Mongolia's levels."""
    lazy, eager = Policy(lazy=True), Policy()
    assert set(lazy._pending) == set(eager.levels) - {"national"}  # nothing but national read yet
    got_lazy = assess_table(make(), policy=lazy)
    got_eager = assess_table(make(), policy=eager)
    assert got_lazy.equals(got_eager)  # every program, every column
    assert {i: a for i, (_e, a) in _amounts(got_lazy).items()} == EXPECTED
    assert not HUINING_CHAIN & set(lazy._pending)
    assert INNER_MONGOLIA <= set(lazy._pending)
    assert lazy._values.keys() == {"national"} | HUINING_CHAIN


def test_a_lazy_policy_still_applies_a_citys_floor_to_an_override_in_its_district():
    """wuhai-2014 二.3: the supplement is at least 5 % of the standard in 乌海市 (150300, `min:
    "0.05"` in its data) and binds its districts; 150304 (乌达区) has no data of its own, so the
    floor is read with the city's level, loaded only when the district is decided."""
    from doudi.policy.engine import assess

    lazy = Policy(lazy=True)
    doc = {"region": "150304", "residence": "urban", "date": "2024-06-01",
           "members": [{"relation": "self", "birth_date": "1950-01-01"}]}
    assert "150300" in lazy._pending
    with pytest.raises(ValueError, match="at least 0.05"):
        assess(doc, sets={"dibao.supplement.elderly": "0.04"}, policy=lazy)
    assert "150300" not in lazy._pending and "150000" not in lazy._pending
    assert "150200" in lazy._pending  # 包头市: another city, still unread


def test_reading_values_or_bounds_loads_every_level():
    lazy = Policy(lazy=True)
    assert lazy.bounds["150300"]["dibao.supplement.elderly"][0] == Decimal("0.05")
    assert not lazy._pending
    assert lazy.values.keys() == Policy().values.keys()


def test_a_lazy_policy_pickles_and_loads_its_levels_after():
    """A policy sent to another process (pickle) keeps what it has read and reads the rest there."""
    import pickle

    lazy = Policy(lazy=True)
    assess_table(typed_table(), policy=lazy)
    copy = pickle.loads(pickle.dumps(lazy))
    assert set(copy._pending) == set(lazy._pending) and INNER_MONGOLIA <= set(copy._pending)
    assert copy.bounds["150300"]["dibao.supplement.elderly"][0] == Decimal("0.05") and not copy._pending
    assert {i: a for i, (_e, a) in _amounts(assess_table(plain_table(), policy=copy)).items()} == EXPECTED
