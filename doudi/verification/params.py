"""Parameters of verification and of the monthly check (data/verification.yaml), with date and clause."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from doudi.procedure import flow

DATA = Path(__file__).parent / "data" / "verification.yaml"


@cache
def params() -> dict[str, flow.Param]:
    return flow.load_params(DATA)


def param(name: str) -> Any:
    return params()[name].value
