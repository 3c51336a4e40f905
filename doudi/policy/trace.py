"""Traces: why each amount is what it is, rule by rule.

Rules call `why.note(...)` for every household the note applies to (a mask); the trace keeps
entries only for the households it was asked to trace, so batch runs pay nothing for it.
`detail` is a function of the household index that returns the sentence (Chinese), built
only for traced households.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from doudi.policy.catalogue import rule_source


@dataclass
class Step:
    rule: str
    source: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "source": self.source, "detail": self.detail}


@dataclass
class Trace:
    """Trace of a batch; `traced` lists the household indices to explain (empty: none)."""

    traced: tuple[int, ...] = ()
    documents: Callable[[int], tuple[str, ...]] = field(default=lambda i: ())
    steps: dict[tuple[int, str], list[Step]] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.traced)

    def note(self, program: str, rule: str, mask: np.ndarray | bool, detail: Callable[[int], str],
             source: str | Callable[[int], str] | None = None) -> None:
        """Record rule `rule` of `program` for each traced household where `mask` holds."""
        for i in self._where(mask):
            src = source(i) if callable(source) else source
            if not src:
                src = rule_source(rule, self.documents(i))
            self.steps.setdefault((i, program), []).append(Step(rule, src, detail(i)))

    def _where(self, mask: np.ndarray | bool) -> Iterable[int]:
        if not self.traced:
            return ()
        if isinstance(mask, (bool, np.bool_)):
            return self.traced if mask else ()
        return [i for i in self.traced if bool(mask[i])]

    def of(self, i: int, program: str) -> list[Step]:
        return self.steps.get((i, program), [])
