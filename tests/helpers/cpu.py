"""Hang guards that hold on a busy machine: they bound CPU time, never wall time.

A test that asserts "this took < 20 s" of wall time fails when other processes
share the cores (a loaded CI ran the suite 3-4x slower). The CPU time a piece of
work takes barely changes with load, so a runaway (a quadratic walk, an endless
loop) still trips the bound and a busy machine does not. Time that is waiting,
not work (a read timeout, a slow server), is bounded by the code's own deadlines,
tested in ``tests/unit/test_fetch.py``; a true hang is ended by pytest-timeout
(``timeout`` in ``pyproject.toml``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


@dataclass
class Spent:
    """CPU seconds spent in a ``cpu_budget`` block (filled in when it ends)."""

    seconds: float = 0.0


@contextmanager
def cpu_budget(
    seconds: float, what: str, clock: Callable[[], float] = time.thread_time
) -> Iterator[Spent]:
    """Fail if the block spends more than ``seconds`` of CPU (this thread's by default;
    ``time.process_time`` for work spread over threads, e.g. an ingest)."""
    spent = Spent()
    started = clock()
    yield spent
    spent.seconds = clock() - started
    assert spent.seconds < seconds, f"{what}: {spent.seconds:.1f} s of CPU (bound {seconds:g} s)"


def process_cpu(pid: int) -> float | None:
    """User + system CPU seconds of a live process, all its threads; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[1].split()  # the name may hold spaces; field 3 comes next
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime: fields 14, 15
