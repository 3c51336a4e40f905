"""Fixtures shared across the test folders: the Playwright ``browser`` (tests/browser_kit.py)."""

from browser_kit import browser  # noqa: F401 - the fixture of the three browser tests
