"""Areas: region codes (GB/T 2260 6-digit, statistical 9-digit township and 12-digit village codes).

A role is bound to an area; a household lies in an area when its region code starts with the
area's *prefix* (province 62, city 1502, county 620422, township 620422100, village 620422100201).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q

from doudi.policy import regions

LEVEL_NAMES = {2: "省", 4: "市", 6: "县（区）", 9: "乡镇（街道）", 12: "村（社区）"}


def area_prefix(code: str) -> str:
    """The digits every region code inside the area starts with (doudi.policy.regions.prefix)."""
    return regions.prefix(code)


def contains(area: str, region_code: str) -> bool:
    """True when region_code lies inside area (both region codes)."""
    return regions.contains(area, region_code)


def region_q(field: str, code: str) -> Q:
    """A Q selecting rows whose region code (at lookup `field`) lies in the region `code`, by the
    prefix of its level (a city 150200 selects 1502…, not 150200…)."""
    return Q(**{f"{field}__startswith": regions.prefix(code)})


def level_name(code: str) -> str:
    return LEVEL_NAMES.get(len(area_prefix(code)), "地区")


def region_name(code: str) -> str:
    """The region's name where the region list knows it, else the code."""
    try:
        n = regions.name(code)
    except Exception:  # noqa: BLE001 - a name is only decoration
        n = None
    return n or code


def full_region_name(code: str) -> str:
    """The full name (province to village) where the region list has it, else the code."""
    fn = getattr(regions, "full_name", None)
    try:
        return (fn(code) if fn else None) or region_name(code)
    except Exception:  # noqa: BLE001
        return region_name(code)


def _subcounty_listed(county: str) -> bool:
    """Whether the region list has township/village codes for this county yet."""
    children = getattr(regions, "children", None)
    if children is None:
        return False
    try:
        return bool(list(children(county)))
    except Exception:  # noqa: BLE001
        return False


def is_valid_region_code(code: str) -> bool:
    c = str(code or "").strip()
    if not c.isdigit() or len(c) not in (6, 9, 12):
        return False
    if regions.is_known(c):
        return True
    # Until the region list holds townships and villages of a county, accept codes under a known county.
    return len(c) > 6 and regions.is_known(c[:6]) and not _subcounty_listed(c[:6])


def validate_region_code(code: str) -> None:
    """Django validator: a 6-, 9- or 12-digit region code that exists (GB/T 2260 and statistical codes)."""
    c = str(code or "").strip()
    if not c.isdigit() or len(c) not in (6, 9, 12):
        raise ValidationError("区划代码应为 6 位（县）、9 位（乡镇）或 12 位（村/社区）数字，收到 %(v)s",
                              code="format", params={"v": c or "空"})
    if not is_valid_region_code(c):
        raise ValidationError("区划代码 %(v)s 不存在", code="unknown", params={"v": c})
