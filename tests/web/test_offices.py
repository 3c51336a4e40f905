"""The office that issues a citizen's notice (doudi/web/offices.py) and what a notice prints of it."""

from __future__ import annotations

import pytest

from doudi.web.offices import office_of


def test_the_county_bureau_and_the_review_body_are_named_from_the_region_list():
    o = office_of("620422100201")  # a Huining village: the county's bureau decides (PR-2)
    assert (o.name, o.government, o.region) == ("会宁县民政局", "会宁县人民政府", "620422")
    assert office_of("150202001012").name == "东河区民政局"  # Baotou's Donghe district


def test_a_township_office_is_the_township_government_or_the_street_office():
    assert office_of("620422100201", "township").name == "会师镇人民政府"
    street = office_of("150302001", "township")  # Wuhai, Haibowan: a street (街道)
    assert street.name == "凤凰岭街道办事处" and street.government == "海勃湾区人民政府"


def test_without_address_or_phone_the_notice_prints_no_contact_line():
    assert office_of("620422").contact == ""


def test_a_deployments_office_file_adds_the_address_and_phone(settings, tmp_path):
    path = tmp_path / "offices.yaml"
    path.write_text("620422:\n  address: 会宁县某某路1号\n  phone: 0943-0000000\n", encoding="utf-8")
    settings.DOUDI_OFFICES_FILE = str(path)
    o = office_of("620422100201")
    assert o.name == "会宁县民政局"  # the shipped name stays
    assert o.contact == "地址：会宁县某某路1号；电话：0943-0000000"


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError):
        office_of("620422", "village")
