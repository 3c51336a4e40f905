"""Plain-Python procedure checks shared by the procedures' procedure.py modules (no database here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from doudi.policy.yamlfile import load_yaml


class ProcedureError(Exception):
    """A step that the procedure does not allow; `field` names what is wrong, message in Chinese.
    Each procedure subclasses it, so its own `except` clauses catch only its own errors."""

    def __init__(self, message: str, field: str = "__all__"):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Param:
    """A procedure parameter (time limit, ratio) from the procedure's data/procedure.yaml."""

    name: str
    value: Any
    start: dt.date
    source: str
    placeholder: bool


def load_params(path: Path) -> dict[str, Param]:
    """Read a procedure.yaml: name → {value, from, source, placeholder}; string values are Decimal."""
    raw = load_yaml(path)
    out = {}
    for name, d in raw.items():
        value = d["value"]
        if isinstance(value, str):
            value = Decimal(value)
        out[name] = Param(name, value, d["from"], d["source"], bool(d.get("placeholder", False)))
    return out


def check_step(steps: Mapping, state_names: Mapping, action_names: Mapping, error: type[Exception],
               action: Enum, state: Enum | None) -> Any:
    """The step of `action`, if it may be taken from `state`; otherwise `error` (field "state"), in Chinese."""
    step = steps[action]
    if step.sources and state not in step.sources:
        name = state_names.get(state, str(state)) if state else "无"
        raise error(f"案件当前状态为「{name}」，不能{action_names[action]}", "state")
    return step
