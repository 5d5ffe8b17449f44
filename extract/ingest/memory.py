"""Giving freed memory back to the system between the phases of a fetch."""

from __future__ import annotations

import gc
import sys
from functools import cache
from typing import Any


def give_back_memory() -> None:
    """Collect garbage, then ask the C allocator to return free pages to the system.

    Cleaning pages (lxml, trafilatura) leaves the C heap with many free holes; glibc
    keeps them mapped unless asked (``malloc_trim``). Done once, when every page is
    cleaned and before spaCy loads, it lowers the peak of ``briefing fetch``. Elsewhere
    (another C library, another system) it only collects garbage."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: a fetch with nothing new never trims (ctypes: ~5 ms to import)

    try:
        # By its soname: ctypes.util.find_library would start a process (ldconfig).
        libc = ctypes.CDLL("libc.so.6")
        return libc.malloc_trim  # glibc only; musl has none
    except (OSError, AttributeError):
        return None
