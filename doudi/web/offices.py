"""The office that issues a notice to a citizen, and where the citizen can reach it.

`office_of(region)` gives the county's civil-affairs bureau (县级人民政府民政部门, which decides 低保,
特困 and temporary assistance, PR-2) for any 6/9/12-digit code in the county, by name
("会宁县民政局"), with its address and telephone where the office data has them;
`office_of(region, "township")` the township government or street office (乡镇人民政府、街道办事处)
that accepts applications and receives objections to a public notice.

Data: doudi/web/data/offices.yaml, then the deployment's file (settings.DOUDI_OFFICES_FILE) on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from doudi.policy import regions
from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data" / "offices.yaml"
LEVELS = ("county", "township")


@dataclass(frozen=True)
class Office:
    """发文机关: who issues a notice, who hears a review of it, and how a citizen reaches it."""

    region: str  # the county (6 digits) or township (9 digits) code
    name: str  # 会宁县民政局 / 会师镇人民政府
    government: str  # the people's government that hears an administrative review: 会宁县人民政府
    address: str = ""
    phone: str = ""
    source: str = ""

    @property
    def contact(self) -> str:
        """联系地址和电话 as a notice prints them; empty when the office data has neither."""
        parts = [f"地址：{self.address}" if self.address else "", f"电话：{self.phone}" if self.phone else ""]
        return "；".join(p for p in parts if p)


@lru_cache(maxsize=4)
def _data(extra: str) -> dict[str, dict]:
    out = {str(k): dict(v or {}) for k, v in (load_yaml(DATA) or {}).items()}
    path = Path(extra) if extra else None
    if path and path.is_file():
        for k, v in (load_yaml(path) or {}).items():
            out.setdefault(str(k), {}).update(v or {})
    return out


def offices() -> dict[str, dict]:
    """Every office entry by region code (shipped data, then the deployment's file)."""
    return _data(str(getattr(settings, "DOUDI_OFFICES_FILE", "") or ""))


def _county_name(county: str) -> str:
    return regions.name(county) or county


def office_of(region: str, level: str = "county") -> Office:
    """The county's civil-affairs bureau (level "county") or the township's office (level "township")
    for a region code inside it."""
    if level not in LEVELS:
        raise ValueError(f"office level must be one of {LEVELS}, got {level!r}")
    code = str(region).strip()
    county = regions.county_of(code)
    government = f"{_county_name(county)}人民政府"
    if level == "township" and len(code) >= 9:
        key = code[:9]
        town = regions.name(key) or key
        default = f"{town}办事处" if town.endswith("街道") else f"{town}人民政府"
    else:
        key, default = county, f"{_county_name(county)}民政局"
    entry = offices().get(key, {})
    county_entry = offices().get(county, {})
    return Office(region=key, name=str(entry.get("name") or default),
                  government=str(entry.get("government") or county_entry.get("government") or government),
                  address=str(entry.get("address") or ""), phone=str(entry.get("phone") or ""),
                  source=str(entry.get("source") or ""))
