"""Process memory settings for batch runs over millions of households.

A batch run allocates and frees arrays of tens of megabytes many times over. With glibc's
defaults each such array is a fresh mmap that the kernel must fault in and zero, and numpy asks
for transparent huge pages on large arrays (madvise), which makes the kernel compact memory on
the fault. Measured on 1,000,000 households (2.5 M persons), that system time was larger than
the rules' own work: building the columns took 0.15 s of user time and 0.3–0.7 s of system time.

`tune_allocator` keeps freed arrays in the process's heap for reuse (glibc mallopt: arrays up to
32 MiB come from the heap, which is never trimmed) and turns numpy's huge-page advice off. It is
called by the batch command and its workers; it changes nothing the rules compute, only where
their arrays live. Elsewhere than Linux with glibc it does nothing.

Where glibc took the settings, Arrow's buffers come from the same tuned heap (its system memory
pool) instead of mimalloc's own: numpy's freed temporaries and Arrow's then reuse each other's
pages, and a million-household `doudi batch assess` no longer has runs whose system time doubles
(0.75–0.80 s every run against 0.76–1.05 s with mimalloc, benchmarks/RESULTS.md).
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1  # glibc malloc.h
M_TOP_PAD = -2
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_MAX = 32 * 1024 * 1024  # glibc's ceiling for M_MMAP_THRESHOLD on 64-bit
TOP_PAD = 64 * 1024 * 1024

_done = False


def tune_allocator() -> bool:
    """Apply the settings once per process; True when glibc took them."""
    global _done
    if _done:
        return True
    _numpy_without_hugepage_advice()
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = _libc().mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    ok = all(mallopt(param, value) == 1 for param, value in (
        (M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX),
        (M_TRIM_THRESHOLD, 2**31 - 1),  # the largest int: never give the heap's top back
        (M_TOP_PAD, TOP_PAD),
    ))
    if ok:
        _arrow_from_the_heap()
    _done = ok
    return ok


def _arrow_from_the_heap() -> None:
    import pyarrow as pa

    pa.set_memory_pool(pa.system_memory_pool())


def _libc() -> ctypes.CDLL:
    """glibc by its soname; ctypes.util.find_library (which runs ldconfig in a subprocess, some
    milliseconds of a batch run's start) only when that name is not there."""
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:
        from ctypes.util import find_library

        return ctypes.CDLL(find_library("c") or "libc.so.6")


def _numpy_without_hugepage_advice() -> None:
    """numpy's switch for madvise(MADV_HUGEPAGE) on large arrays (also the environment variable
    NUMPY_MADVISE_HUGEPAGE=0, read only when numpy is first imported)."""
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # numpy < 2
        try:
            from numpy.core.multiarray import _set_madvise_hugepage
        except ImportError:
            return
    _set_madvise_hugepage(False)
