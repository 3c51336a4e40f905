"""Fixtures shared across the test folders: the Playwright ``browser`` (tests/browser_kit.py)."""

from browser_kit import browser, close_other_sessions  # noqa: F401 - fixtures of the browser and live-server tests


def pytest_configure(config):
    """The flush between transactional tests may empty the audit log (doudi/accounts/auditguard.py)."""
    from django.conf import settings

    settings.DOUDI_AUDIT_ALLOW_FLUSH = True
