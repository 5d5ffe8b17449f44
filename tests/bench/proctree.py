"""Peak memory and CPU of a command and every process it starts (Linux /proc).

``measure(args)`` runs ``args``, samples its process tree every ``INTERVAL`` seconds and
returns the wall time, the CPU time of the whole tree (user + system, children reaped by
their parents included) and the peak of:

* ``rss``: the sum of every process's VmRSS, what ``ps`` and ``top`` add up; it counts
  the pages forked workers share with their parent once per process;
* ``pss``: the sum of Pss (``/proc/PID/smaps_rollup``), each shared page divided among the
  processes sharing it: the memory the tree really holds;
* ``largest``: the largest single process's VmRSS (what ``/usr/bin/time -v`` reports as
  "Maximum resident set size").

Sampling can miss a peak shorter than the interval; the parent's own high-water mark
(VmHWM) is read too, so the figure is never below what one process reached.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

INTERVAL = 0.02
MIB = 1024


@dataclass(slots=True)
class Usage:
    wall: float  # seconds
    cpu: float  # seconds, the whole tree
    rss: float  # MiB, peak of the sum over the tree
    pss: float  # MiB, peak of the sum over the tree
    largest: float  # MiB, peak of one process
    processes: int  # most processes seen at once
    returncode: int
    stdout: str
    stderr: str


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants alive now."""
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo += _children(current)
    return pids


def _fields(path: str, *names: str) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open(path, encoding="ascii") as handle:
            for line in handle:
                key, _, rest = line.partition(":")
                if key in names:
                    values[key] = int(rest.split()[0])  # kB
    except (OSError, ValueError, IndexError):
        pass
    return values


def sample(pids: list[int]) -> tuple[int, int, int]:
    """(sum of RSS, sum of PSS, largest RSS) in KiB over ``pids``."""
    rss = pss = largest = 0
    for pid in pids:
        rollup = _fields(f"/proc/{pid}/smaps_rollup", "Rss", "Pss")
        rss += rollup.get("Rss", 0)
        pss += rollup.get("Pss", 0)
        largest = max(largest, rollup.get("Rss", 0))
    return rss, pss, largest


def measure(args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Usage:
    """Run ``args`` to the end and measure it (see the module docstring)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = {"rss": 0, "pss": 0, "largest": 0, "processes": 0, "hwm": 0}
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            pids = tree(proc.pid)
            rss, pss, largest = sample(pids)
            hwm = _fields(f"/proc/{proc.pid}/status", "VmHWM").get("VmHWM", 0)
            for key, value in (
                ("rss", rss),
                ("pss", pss),
                ("largest", largest),
                ("processes", len(pids)),
                ("hwm", hwm),
            ):
                peak[key] = max(peak[key], value)
            stop.wait(INTERVAL)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    stop.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    largest = max(peak["largest"], peak["hwm"])
    return Usage(
        wall=wall,
        cpu=cpu,
        rss=max(peak["rss"], largest) / MIB,
        pss=max(peak["pss"], 0) / MIB,
        largest=largest / MIB,
        processes=peak["processes"],
        returncode=proc.returncode,
        stdout=stdout,
        stderr=stderr,
    )


def spread(values: list[float]) -> str:
    """ "median (min-max, n=N)" of ``values``."""
    return f"{median(values):.2f} ({min(values):.2f}-{max(values):.2f}, n={len(values)})"


def median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def load_average() -> float:
    return os.getloadavg()[0]
