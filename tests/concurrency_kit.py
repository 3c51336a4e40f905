"""What the concurrency tests share: calls run in threads released together, each with its own database session.

Two real sessions need PostgreSQL (DOUDI_DB=postgres); the SQLite test database is in memory.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection, connections

pg_only = pytest.mark.skipif(connection.vendor != "postgresql",
                             reason="two real sessions need PostgreSQL (the SQLite test database is in memory)")


def at_once(*calls: Callable, wait: float | None = None) -> list:
    """Run the calls in threads released together; return each one's result or exception.

    ``wait``: how long a thread waits at the barrier for the others (None: without end)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=wait)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - the test inspects it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def race(*calls: Callable) -> list[tuple[str, object]]:
    """Like at_once (10 s at the barrier), each result tagged: ("ok", value) or ("error", exception)."""
    return [("error", r) if isinstance(r, Exception) else ("ok", r) for r in at_once(*calls, wait=10)]
