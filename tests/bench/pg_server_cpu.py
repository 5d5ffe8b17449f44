"""The CPU the tests' PostgreSQL servers spent, which ``--cpu-durations`` cannot see (a
server is a daemon, not a child the test waits for): runs a command, samples every server
it started, prints the CPU seconds of their processes when it ends.

    .venv/bin/python tests/bench/pg_server_cpu.py .venv/bin/python -m pytest -q -n 4 \\
        tests/unit/test_store_backends.py

A server counts as the command's when its environment holds the marker this script sets
(other sessions on the machine run servers of their own).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

MARKER = "BRIEFING_PG_CPU_MARK"
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[int, float, float] | None:
    """(ppid, own CPU, reaped children's CPU) in seconds, or None if gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    own = (int(fields[11]) + int(fields[12])) / TICK
    reaped = (int(fields[13]) + int(fields[14])) / TICK
    return int(fields[1]), own, reaped


def _marked(pid: str, mark: str) -> bool:
    try:
        return mark.encode() in Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False


def sample(mark: str, last: dict[str, float]) -> None:
    """Per server (its postmaster's pid): its CPU and its live backends' CPU, now."""
    stats = {p: s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(p))}
    for pid, (ppid, _, _) in stats.items():
        # A postmaster: a postgres whose parent is not one (init, or a subreaper), nor
        # initdb (whose bootstrap runs are its children: in the tests' own CPU figures).
        parent = _comm(str(ppid))
        if _comm(pid) != "postgres" or parent in ("postgres", "initdb") or not _marked(pid, mark):
            continue
        _, own, reaped = stats[pid]
        live = sum(o for q, (pp, o, _) in stats.items() if str(pp) == pid)
        last[pid] = max(last.get(pid, 0.0), own + reaped + live)


def _comm(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def main(command: list[str]) -> int:
    mark = f"{MARKER}={uuid.uuid4().hex}"
    name, value = mark.split("=")
    run = subprocess.Popen(command, env={**os.environ, name: value})
    servers: dict[str, float] = {}
    while run.poll() is None:
        sample(value, servers)
        time.sleep(0.2)
    print(f"PostgreSQL servers: {len(servers)}, {sum(servers.values()):.1f} s of CPU in all")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
