"""Parameter layers (issue 10): extra layers of dated values above the shipped YAML, walked by
level as always; the export of resolved layers decides like the layered policy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from doudi.policy.engine import assess
from doudi.policy.errors import InputError, PolicyDataError
from doudi.policy.params import Policy, default_policy
from doudi.policy.provider import LayeredProvider

D = dt.date
HUINING_URBAN = {"region": "620422", "residence": "urban", "date": "2026-08-01", "members": [
    {"relation": "self", "birth_date": "1975-01-01", "sex": "M", "monthly_income": {"wages": 600}},
    {"relation": "spouse", "birth_date": "1977-01-01", "sex": "F"},
    {"relation": "child", "birth_date": "2012-01-01", "sex": "M"},
]}


def layer(code, name, start, value, source="会民发〔2026〕1号 第二条"):
    return {code: {name: [{"from": start, "value": value, "source": source}]}}


def test_a_county_layer_takes_effect_on_its_date_and_not_before():
    p = default_policy().with_layers(layer("620422", "dibao.standard.urban", "2026-07-01", "750.00"))
    before = p.resolve("dibao.standard.urban", "620422", D(2026, 6, 30), "urban")
    after = p.resolve("dibao.standard.urban", "620422", D(2026, 7, 1), "urban")
    assert before.value == Decimal("700.00") and before.placeholder
    assert (after.value, after.level, after.region, after.placeholder) == (Decimal("750.00"), "county", "620422", False)
    assert after.source == "会民发〔2026〕1号 第二条"
    # the shipped policy is untouched
    assert default_policy().resolve("dibao.standard.urban", "620422", D(2026, 7, 1), "urban").value == Decimal("700.00")
    # 750.00 × 3 − 600.00 = 1650.00 (DB-2), against 700.00 × 3 − 600.00 = 1500.00 before
    assert assess(HUINING_URBAN, policy=p).as_json()["programs"]["dibao"]["amount"] == "1650.00"
    assert assess(HUINING_URBAN, date="2026-06-30", policy=p).as_json()["programs"]["dibao"]["amount"] == "1500.00"


def test_a_city_layer_reaches_its_counties_that_have_no_figure_of_their_own():
    p = default_policy().with_layers(layer("150200", "dibao.standard.urban", "2026-07-01", "900.00"))
    r = p.resolve("dibao.standard.urban", "150202", D(2026, 7, 1), "urban")
    assert (r.value, r.level, r.region) == (Decimal("900.00"), "city", "150200")


def test_a_layer_may_introduce_a_level_with_no_yaml_data():
    p = default_policy().with_layers(layer("620102", "dibao.standard.urban", "2026-01-01", "880.00"))
    r = p.resolve("dibao.standard.urban", "620102", D(2026, 2, 1), "urban")
    assert (r.value, r.level, r.region) == (Decimal("880.00"), "county", "620102")


def test_bad_layer_data_is_refused():
    with pytest.raises(PolicyDataError, match="not defined"):
        default_policy().with_layers(layer("620422", "no.such.parameter", "2026-01-01", "1"))
    with pytest.raises(PolicyDataError, match="620422"):
        default_policy().with_layers(layer("620422", "dibao.standard.urban", "2026-01-01", "-5"))
    with pytest.raises(PolicyDataError, match="province, city or county"):
        default_policy().with_layers(layer("999999", "dibao.standard.urban", "2026-01-01", "5"))


def test_the_layered_provider_rebuilds_only_when_its_version_changes():
    state = {"v": 1, "layers": {}}
    prov = LayeredProvider(lambda: state["layers"], lambda: state["v"])
    first = prov.policy()
    assert prov.policy() is first
    state["layers"], state["v"] = layer("620422", "dibao.standard.urban", "2026-07-01", "750.00"), 2
    assert prov.policy() is not first
    assert prov.policy().resolve("dibao.standard.urban", "620422", D(2026, 7, 1), "urban").value == Decimal("750.00")


@pytest.mark.parametrize("regions_", [("620422",), ("620422", "150202"), ("150300",), ("620000",)])
def test_the_export_decides_every_parameter_like_the_layered_policy_from_its_date_on(regions_):
    p = default_policy().with_layers({**layer("620422", "dibao.standard.urban", "2026-07-01", "750.00"),
                                      **layer("620400", "dibao.standard.rural", "2027-01-01", "600.00")})
    on = D(2026, 6, 1)
    back = Policy.from_export(p.export(list(regions_), on))
    counties = {"620000": ("620422", "620102")}.get(regions_[0], regions_)
    for county in counties:
        for day in (on, D(2026, 7, 1), D(2027, 1, 1)):
            for res in ("urban", "rural"):
                for name in p.defs:
                    a, b = p.resolve(name, county, day, res), back.resolve(name, county, day, res)
                    assert (a.value, a.level, a.region, a.source, a.placeholder, a.start) == (
                        b.value, b.level, b.region, b.source, b.placeholder, b.start), (county, day, res, name)


def test_the_export_refuses_a_household_outside_its_regions():
    back = Policy.from_export(default_policy().export(["620422"], D(2026, 1, 1)))
    with pytest.raises(InputError, match="620422"):
        back.resolve("dibao.standard.urban", "150202", D(2026, 1, 1), "urban")
