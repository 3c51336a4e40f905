"""Where a decision gets its parameters: a provider hands the core a Policy (plain Python).

The shipped YAML (doudi/policy/data) is the base layer. A provider may put extra layers above it
as plain data (`Policy.with_layers`): the database layer of a deployment (doudi.params, the
Django app, reads its approved values and hands them over through `LayeredProvider`), or the
file written by `doudi policy export` (`FileProvider`, read by `doudi batch assess --policy`).
Resolution walks the levels as always (county, city, province, national); within a level the
latest entry whose date is not after the decision's date wins, whichever layer it came from.

The core never imports Django: whoever runs inside a deployment asks its provider.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from pathlib import Path
from typing import Any, Protocol

from doudi.policy.errors import PolicyDataError
from doudi.policy.params import Policy, default_policy
from doudi.policy.yamlfile import load_yaml


class Provider(Protocol):
    """Gives the policy decisions read now."""

    def policy(self) -> Policy: ...


class YamlProvider:
    """The shipped data only (no deployment)."""

    def policy(self) -> Policy:
        return default_policy()


class LayeredProvider:
    """The shipped data with layers on top; `layers()` returns plain data and `version()` a
    token that changes whenever the layers do (the policy is rebuilt only then)."""

    def __init__(self, layers: Callable[[], Mapping[str, Any]], version: Callable[[], Hashable] = lambda: None,
                 base: Callable[[], Policy] = default_policy):
        self._layers, self._version, self._base = layers, version, base
        self._cached: tuple[Hashable, Policy] | None = None

    def policy(self, version: Hashable | None = None) -> Policy:
        """The policy of the layers' version now (`version` when the caller has just read it)."""
        v = self._version() if version is None else version
        cached = self._cached
        if cached is None or cached[0] != v or v is None:
            cached = self._cached = (v, self._base().with_layers(self._layers()))
        return cached[1]

    def invalidate(self) -> None:
        self._cached = None


class FileProvider:
    """The layers of a parameter file (`doudi policy export`): only the regions it names."""

    def __init__(self, path: str | Path):
        try:
            data = load_yaml(Path(path))
        except OSError as exc:
            raise PolicyDataError(f"{path}: cannot read the parameter file: {exc.strerror or exc}") from None
        except Exception as exc:  # noqa: BLE001 - a YAML error of any kind is bad input
            raise PolicyDataError(f"{path}: not a parameter file: {str(exc).splitlines()[0]}") from None
        try:
            self._policy = Policy.from_export(data)
        except PolicyDataError as exc:
            raise PolicyDataError(f"{path}: {exc}") from None

    def policy(self) -> Policy:
        return self._policy
