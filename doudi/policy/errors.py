"""Errors the policy core raises for bad input and bad policy data."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: names where (a JSON path, or row and column) and what was expected."""

    def __init__(self, where: str, expected: str, got: object = None, source: str | None = None):
        self.where = where
        self.expected = expected
        self.got = got
        self.source = source
        super().__init__(self.message())

    def message(self) -> str:
        got = "" if self.got is None else f", got {self.got!r}"
        head = f"{self.source}: " if self.source else ""
        return f"{head}{self.where}: expected {self.expected}{got}"

    def with_source(self, source: str) -> InputError:
        self.source = source
        self.args = (self.message(),)
        return self


class PolicyDataError(ValueError):
    """The shipped or overridden policy data is inconsistent (a data bug, or a bad override)."""
