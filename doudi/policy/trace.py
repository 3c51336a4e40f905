"""Traces: why each amount is what it is, rule by rule.

Rules call `why.note(...)` for every household the note applies to (a mask); the trace keeps
entries only for the households it was asked to trace, so batch runs pay nothing for it.
`detail` is a function of the household index that returns the sentence (Chinese), built
only for traced households.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from doudi.policy.catalogue import rule_source


@dataclass
class Step:
    rule: str
    source: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "source": self.source, "detail": self.detail}


# The catalogue is read once and never changes: a rule's clause for a set of documents is the same
# every time (a household's trace asks it about 100 times, the same ~40 rules for every household).
_rule_source = lru_cache(maxsize=8192)(rule_source)


@dataclass
class Trace:
    """Trace of a batch; `traced` lists the household indices to explain (empty: none)."""

    traced: tuple[int, ...] = ()
    documents: Callable[[int], tuple[str, ...]] = field(default=lambda i: ())
    steps: dict[tuple[int, str], list[Step]] = field(default_factory=dict)
    _documents_of: dict[int, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def enabled(self) -> bool:
        return bool(self.traced)

    def note(self, program: str, rule: str, mask: np.ndarray | bool, detail: Callable[[int], str],
             source: str | Callable[[int], str] | None = None) -> None:
        """Record rule `rule` of `program` for each traced household where `mask` holds."""
        if not self.traced:
            return
        for i in self._where(mask):
            src = source(i) if callable(source) else source
            if not src:
                src = _rule_source(rule, self._documents(i))
            self.steps.setdefault((i, program), []).append(Step(rule, src, detail(i)))

    def _documents(self, i: int) -> tuple[str, ...]:
        """The documents in force for household i, asked once per household (not once per note)."""
        docs = self._documents_of.get(i)
        if docs is None:
            docs = self._documents_of[i] = tuple(self.documents(i))
        return docs

    def _where(self, mask: np.ndarray | bool) -> Iterable[int]:
        if not self.traced:
            return ()
        if isinstance(mask, (bool, np.bool_)):
            return self.traced if mask else ()
        return [i for i in self.traced if mask[i]]

    def of(self, i: int, program: str) -> list[Step]:
        return self.steps.get((i, program), [])
