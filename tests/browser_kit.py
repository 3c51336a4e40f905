"""What the three Playwright browser tests share: Debian's Chromium, the ``browser`` fixture, one user's window.

Playwright drives Debian's Chromium (/usr/bin/chromium; never a downloaded browser) against the
live server of the test. The ``browser`` fixture is registered for every test by tests/conftest.py.
A test module subclasses ``Session`` to say where its screenshots go (``artifacts``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]

needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture
def browser():
    """A headless Chromium for the test; the ORM may be called from Playwright's event-loop thread meanwhile."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still synchronous.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--no-first-run"])
            yield b
            b.close()
            # the test's ORM calls ran inside Playwright's context with a connection of their own:
            # close it, so that the test database can be dropped at the end of the run (PostgreSQL)
            connections.close_all()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


class Session:
    """One user's browser window, logged in; its screenshots go to ``artifacts`` (set by the subclass)."""

    artifacts: Path = ROOT / "test-artifacts" / "e2e"

    def __init__(self, browser, base: str, username: str, password: str, shots: list, width: int = 1280,
                 height: int = 1000):
        self.context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.base, self.username, self.shots = base, username, shots
        self.page.goto(base + "/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(lambda url: "/login/" not in url)

    def shot(self, name: str) -> None:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{len(self.shots) + 1:02d}-{self.username}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)

    def goto(self, path: str, name: str) -> None:
        self.page.goto(self.base + path)
        self.shot(name)

    def step(self, action: str, expect_state: str, fill: dict | None = None, check: tuple = (),
             choose: dict | None = None) -> None:
        """Open the step's form on the case page, fill it, submit (htmx swaps the panel), wait for the state."""
        page = self.page
        page.locator(f"#step-{action}").evaluate("el => el.open = true")
        form = page.locator(f"form[data-step={action}]")
        for name, value in (fill or {}).items():
            form.locator(f"[name={name}]").fill(value)
        for selector in check:
            form.locator(selector).check()
        for name, value in (choose or {}).items():
            form.locator(f"input[name={name}][value='{value}']").check()
        page.evaluate("document.getElementById('case').dataset.stale = '1'")
        form.locator("button[type=submit]").click()
        # htmx swaps in a fresh panel (without the mark), even when the state stays the same
        page.locator("#case:not([data-stale])").wait_for()
        page.locator("#case-state", has_text=expect_state).wait_for()
        self.shot(action)


@pytest.fixture
def close_other_sessions():
    """After a test with a live server or threads on PostgreSQL: end the sessions they left on the test
    database (persistent connections, CONN_MAX_AGE), so that it can be dropped at the end of the run."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()")
