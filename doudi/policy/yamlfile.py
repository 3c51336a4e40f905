"""Reading the policy data's YAML files.

PyYAML's pure-Python parser takes about 0.4 s for the parameter files of every level, longer than
deciding a million households; its C parser (libyaml, shipped in PyYAML's wheels) takes a tenth
of that and builds the same values, since only the parsing moves to C (the resolver and
constructor stay PyYAML's safe ones). Without libyaml the pure-Python safe loader is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """The data of one YAML file (safe: plain values only)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)  # noqa: S506 - a safe loader
