"""Region codes: the vendored GB/T 2260 list (past and present) and statistical codes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from doudi.policy import regions

SEEDS = {"620000": "甘肃省", "620400": "白银市", "620422": "会宁县",
         "150000": "内蒙古自治区", "150200": "包头市", "150300": "乌海市"}


@pytest.mark.parametrize(("code", "expected"), sorted(SEEDS.items()))
def test_every_seed_region_is_known_current_and_named(code: str, expected: str) -> None:
    assert regions.is_known(code)
    assert regions.is_current(code)
    assert regions.name(code) == expected


def test_the_whole_country_is_there_not_only_the_seeds() -> None:
    assert regions.name("110101") == "东城区"
    assert regions.name("440305") == "南山区"
    assert regions.name("650102") == "天山区"
    assert len(regions.children("440000")) == 21  # 21 prefecture-level cities of Guangdong


def test_a_county_chain_is_county_city_province() -> None:
    assert regions.parents("620422") == ["620422", "620400", "620000"]
    assert regions.parents("150302") == ["150302", "150300", "150000"]


def test_a_city_chain_is_city_then_province_and_a_province_is_alone() -> None:
    assert regions.parents("620400") == ["620400", "620000"]
    assert regions.parents("620000") == ["620000"]


def test_a_municipality_district_goes_straight_to_the_municipality() -> None:
    # 110100 "市辖区" is only a grouping code, not a government
    assert regions.parents("110101") == ["110101", "110000"]
    assert regions.parents("500230") == ["500230", "500000"]  # Chongqing's 500200 "县" grouping


def test_a_province_administered_county_level_city_goes_straight_to_its_province() -> None:
    assert regions.parents("419001") == ["419001", "410000"]  # 济源市
    assert regions.parents("429004") == ["429004", "420000"]  # 仙桃市
    assert regions.parents("659001") == ["659001", "650000"]  # 石河子市


def test_township_and_village_codes_start_their_chain_at_the_county() -> None:
    village = regions.children("620422100")[0]
    assert len(village) == 12 and village.startswith("620422100")
    assert regions.parents(village) == ["620422", "620400", "620000"]
    assert regions.county_of(village) == "620422"
    assert regions.parents("620422100") == ["620422", "620400", "620000"]


def test_township_and_village_codes_are_known_and_named() -> None:
    assert regions.name("620422100") == "会师镇"
    village = regions.children("620422100")[0]
    assert regions.is_known(village) and regions.is_current(village)
    assert regions.level(village) == "village"
    assert regions.full_name(village).startswith("甘肃省白银市会宁县会师镇")


def test_a_code_that_no_longer_exists_is_known_but_not_current() -> None:
    assert regions.is_known("622421") and not regions.is_current("622421")  # 定西县 of 定西地区
    assert regions.is_known("110103") and not regions.is_current("110103")  # 崇文区, merged in 2010
    assert regions.name("110103") == "崇文区"
    assert regions.history("110103") == [(None, 2010, "崇文区")]


def test_a_renamed_code_keeps_its_history() -> None:
    assert regions.history("620502") == [(1985, 2003, "秦城区"), (2004, None, "秦州区")]
    assert regions.name("620502") == "秦州区"


def test_a_statistical_only_code_is_known() -> None:
    assert regions.is_known("150271")  # 包头稀土高新技术产业开发区
    assert regions.parents("150271") == ["150271", "150200", "150000"]


@pytest.mark.parametrize("code", ["999999", "620499", "62042", "6204220", "abcdef", "620422999", "620422100999",
                                  "", "６２０４２２"])
def test_codes_that_never_existed_are_unknown(code: str) -> None:
    assert not regions.is_known(code)
    assert not regions.is_current(code)
    assert regions.name(code) is None
    assert regions.parents(code) == []


def test_non_strings_are_unknown() -> None:
    assert not regions.is_known(620422)  # type: ignore[arg-type]
    assert regions.parents(None) == []  # type: ignore[arg-type]


def test_children_list_a_citys_counties_and_a_countys_townships() -> None:
    assert regions.children("620400") == ["620402", "620403", "620421", "620422", "620423"]
    assert "620422100" in regions.children("620422")
    assert all(len(c) == 9 for c in regions.children("620422"))


def test_children_of_a_municipality_are_its_districts() -> None:
    kids = regions.children("110000")
    assert "110101" in kids and "110100" not in kids


def test_children_of_a_province_include_the_county_level_cities_it_administers() -> None:
    kids = regions.children("410000")
    assert "419001" in kids and "410100" in kids and "419000" not in kids


def test_a_city_without_counties_has_its_townships_as_children() -> None:
    kids = regions.children("441900")  # 东莞市
    assert kids and all(len(c) == 9 and c.startswith("441900") for c in kids)


def test_search_finds_by_name_and_code_prefix_within_a_region() -> None:
    assert ("620422", "会宁县") in regions.search("会宁")
    assert regions.search("6204", limit=3)[0] == ("620400", "白银市")
    under_beijing = regions.search("朝阳", under="110000")
    assert ("110105", "朝阳区") in under_beijing and all(c.startswith("11") for c, _ in under_beijing)


def test_search_under_a_township_finds_its_villages() -> None:
    village = regions.children("620422100")[0]
    name = regions.name(village)
    assert (village, name) in regions.search(name, under="620422100")


def test_importing_regions_and_checking_a_county_does_not_load_the_villages() -> None:
    code = ("from doudi.policy import regions; regions.is_known('620422'); regions.parents('620422');"
            "print(regions._villages.cache_info().currsize, regions._townships.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["0", "0"]
