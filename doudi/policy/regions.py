"""Region codes (GB/T 2260 administrative codes, and 9/12-digit statistical codes under them).

Minimal table of the seed regions; replaced by the vendored full list (see data/regions/).
Public API: is_known, is_current, county_of, parents, name.
"""

from __future__ import annotations

_SEED = {
    "620000": "甘肃省", "620400": "白银市", "620422": "会宁县",
    "150000": "内蒙古自治区", "150200": "包头市", "150300": "乌海市",
    "150202": "东河区", "150203": "昆都仑区", "150302": "海勃湾区", "150303": "海南区", "150304": "乌达区",
}


def name(code: str) -> str | None:
    return _SEED.get(code)


def is_known(code: str) -> bool:
    return code in _SEED


def is_current(code: str) -> bool:
    return code in _SEED


def county_of(code: str) -> str:
    return code[:6]


def parents(code: str) -> list[str]:
    """The code itself and its ancestors, most specific first: county, city, province."""
    c = county_of(code)
    chain = [c]
    city, prov = c[:4] + "00", c[:2] + "0000"
    for p in (city, prov):
        if p not in chain and is_known(p):
            chain.append(p)
    return chain
