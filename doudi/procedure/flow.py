"""Plain-Python procedure checks shared by the procedures' procedure.py modules (no database here)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


def check_step(steps: Mapping, state_names: Mapping, action_names: Mapping, error: type[Exception],
               action: Enum, state: Enum | None) -> Any:
    """The step of `action`, if it may be taken from `state`; otherwise `error` (field "state"), in Chinese."""
    step = steps[action]
    if step.sources and state not in step.sources:
        name = state_names.get(state, str(state)) if state else "无"
        raise error(f"案件当前状态为「{name}」,不能{action_names[action]}", "state")
    return step
