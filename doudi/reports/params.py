"""Parameters of doudi.reports (data/reports.yaml: value, effective date, clause, placeholder)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure.flow import Param, load_params

DATA = Path(__file__).parent / "data" / "reports.yaml"


@cache
def params() -> dict[str, Param]:
    return load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value


def source(name: str) -> str:
    return params()[name].source
