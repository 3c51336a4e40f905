"""regions.children of a county reads its townships from an index built once (issue 16: the
worklist asked it on every request, scanning every township of the country): the same codes."""

from doudi.policy import regions


def test_the_townships_of_a_county_or_city_are_those_whose_code_starts_with_it():
    for code in ("620422", "150202", "441900", "620400", "110105", "999999"):
        assert regions._townships_under(code) == sorted(c for c in regions._townships() if c.startswith(code)), code
    assert regions.children("620422") == regions._townships_under("620422") != []
