"""The kinds of department data set (部门数据) and their declared schemas (data/kinds.yaml).

Plain Python (no Django): the import, the engine of the monthly check and the benchmarks read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from doudi.policy.yamlfile import load_yaml

DATA = Path(__file__).parent / "data" / "kinds.yaml"

TYPES = ("text", "date", "month", "money", "count", "decimal", "region", "choice", "flag")
IDENTIFY = ("id_number", "either")


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    type: str
    required: bool = False
    choices: dict[str, str] = field(default_factory=dict)  # code -> Chinese label
    default: str | None = None
    min: int | None = None
    max: int | None = None


# The person columns every kind has (how a record names the person).
PERSON_COLUMNS = (
    Column("id_number", "身份证号", "text"),
    Column("name", "姓名", "text", required=True),
    Column("birth_date", "出生日期", "date"),
    Column("region", "区划代码", "region"),
)


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """One kind of department data set: who supplies it, how it names the person, its columns."""

    code: str
    department: str
    name: str
    identify: str
    full: bool
    columns: tuple[Column, ...]

    @property
    def all_columns(self) -> tuple[Column, ...]:
        return PERSON_COLUMNS + self.columns

    @property
    def label(self) -> str:
        return f"{departments()[self.department].name}·{self.name}"

    def column(self, name: str) -> Column:
        for c in self.all_columns:
            if c.name == name:
                return c
        raise KeyError(name)


@cache
def _load() -> tuple[dict[str, Department], dict[str, Kind]]:
    raw = load_yaml(DATA)
    deps = {code: Department(code, d["name"], tuple(d.get("aliases", ()))) for code, d in raw["departments"].items()}
    kinds = {}
    for code, k in raw["kinds"].items():
        if k["department"] not in deps:
            raise ValueError(f"{DATA}: kind {code}: unknown department {k['department']}")
        if k.get("identify") not in IDENTIFY:
            raise ValueError(f"{DATA}: kind {code}: identify should be one of {IDENTIFY}")
        cols = []
        for c in k["columns"]:
            if c["type"] not in TYPES:
                raise ValueError(f"{DATA}: kind {code}: column {c['name']} has type {c['type']!r}")
            cols.append(Column(c["name"], c["label"], c["type"], bool(c.get("required", False)),
                               {str(a): str(b) for a, b in (c.get("choices") or {}).items()}, c.get("default"),
                               c.get("min"), c.get("max")))
        kinds[code] = Kind(code, k["department"], k["name"], k["identify"], bool(k.get("full", False)), tuple(cols))
    return deps, kinds


def departments() -> dict[str, Department]:
    return _load()[0]


def kinds() -> dict[str, Kind]:
    return _load()[1]


def kind(code: str) -> Kind:
    """The kind of this code; KeyError naming the known codes otherwise."""
    try:
        return kinds()[code]
    except KeyError:
        raise KeyError(f"unknown kind {code!r}; expected one of {', '.join(kinds())}") from None


def departments_of(text: str) -> list[str]:
    """The department codes a liaison whose `department` says `text` uploads for (人社 → renshe)."""
    t = (text or "").strip()
    if not t:
        return []
    return [code for code, d in departments().items() if t == code or t == d.name or t in d.aliases]


def kinds_of_department(department: str) -> list[Kind]:
    return [k for k in kinds().values() if k.department == department]
