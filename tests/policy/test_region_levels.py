"""Region-code levels in one place (doudi.policy.regions.prefix / contains / shape_level): a city
or province code contains its counties by the prefix of its level, never by its six digits."""

from doudi.policy import regions


def test_the_prefix_has_the_length_of_the_level():
    assert regions.prefix("620000") == "62"
    assert regions.prefix("620400") == "6204"
    assert regions.prefix("620422") == "620422"
    assert regions.prefix("620422100") == "620422100"
    assert regions.prefix("620422100201") == "620422100201"
    assert regions.prefix("620422000") == "620422"  # a 9-digit code ending in 000 stands for its county
    assert regions.prefix("6204") == "6204"  # idempotent


def test_levels_by_shape():
    assert [regions.shape_level(c) for c in ("620000", "620400", "620422", "620422100", "620422100201")] == [
        "province", "city", "county", "township", "village"]
    assert regions.shape_level("62042") is None and regions.shape_level("abcdef") is None


def test_contains_by_level_prefix():
    # the bug of issue 10: a change for city 150200 reached nothing under county 150202
    assert regions.contains("150200", "150202")
    assert regions.contains("150200", "150202001012")
    assert regions.contains("150000", "150302001002")
    assert regions.contains("620422", "620422")
    assert not regions.contains("620422", "620423")
    assert not regions.contains("150200", "150300")
    assert not regions.contains("", "150200")
