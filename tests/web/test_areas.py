"""Areas: which region codes lie inside a role's area."""

import pytest

from doudi.accounts.areas import area_prefix, contains, is_valid_region_code


@pytest.mark.parametrize("code, prefix", [
    ("620000", "62"), ("150200", "1502"), ("620422", "620422"), ("620422100", "620422100"),
    ("620422100201", "620422100201"), ("620422100000", "620422100"), ("620422000000", "620422"),
])
def test_the_prefix_of_an_area_drops_the_zero_groups_of_its_level(code, prefix):
    assert area_prefix(code) == prefix


def test_a_village_lies_in_its_township_county_city_and_province_but_not_beside_them():
    village = "620422100201"
    for area in ("620000", "620400", "620422", "620422100", village):
        assert contains(area, village)
    for area in ("620422101", "620421", "150200", "620422100202"):
        assert not contains(area, village)


def test_city_areas_do_not_leak_into_a_neighbouring_city():
    assert contains("150200", "150202001012") and not contains("150200", "150302001002")


@pytest.mark.parametrize("code, ok", [
    ("620422", True), ("620422100", True), ("620422100201", True), ("999999", False),
    ("62042", False), ("6204221002", False), ("62042210020X", False), ("", False),
])
def test_region_codes_are_checked_against_the_region_list(code, ok):
    assert is_valid_region_code(code) is ok
