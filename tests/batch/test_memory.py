"""doudi.batch.memory: the batch process's allocator settings (they change where arrays live,
never what the rules compute)."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import pyarrow as pa
from doudi.batch.memory import tune_allocator
before = pa.default_memory_pool().backend_name
took = tune_allocator()
print(before, took, pa.default_memory_pool().backend_name, tune_allocator())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_arrow_buffers_come_from_the_tuned_heap_once_glibc_took_the_settings():
    """In a fresh process (the setting is the process's): Arrow's pool is its own allocator before,
    the system heap that mallopt tuned after; a second call changes nothing and says it is done."""
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True,
                         timeout=60).stdout.split()
    before, took, after, again = out
    assert before in ("mimalloc", "jemalloc", "system")
    assert took == "True" and after == "system" and again == "True"
