"""What a test's fresh PostgreSQL database costs: a copy of the migrated template (both
strategies of CREATE DATABASE) against an empty database migrated by ``open_pg``, in the
server's CPU (its processes' clock ticks) and in wall time.

    .venv/bin/pytest -q -s tests/bench/bench_pg_clone.py

Printed, never asserted (the machine is shared).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from extract.store import open_pg
from tests.helpers import postgres

ROUNDS = 20
TICK = os.sysconf("SC_CLK_TCK")


def _server_cpu(cluster: postgres.Cluster) -> float:
    """The postmaster's CPU with its ended children's, plus its live children's."""
    pid = (cluster.folder / "data" / "postmaster.pid").read_text().split()[0]
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if entry == pid:
            total += sum(int(f) for f in fields[11:15]) / TICK
        elif fields[1] == pid:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def _measure(
    cluster: postgres.Cluster, way: int, make: str, migrate: bool, rounds: int
) -> tuple[float, float]:
    time.sleep(1)  # let the background writers settle
    cpu, started = _server_cpu(cluster), time.perf_counter()
    for n in range(rounds):
        name = f"b_{way}_{n}"
        cluster.admin(make.format(name=name, template=postgres.TEMPLATE))
        if migrate:
            open_pg(cluster.url(name), "bench").close()
        cluster.admin(f"DROP DATABASE {name} WITH (FORCE)")
    wall = (time.perf_counter() - started) / rounds
    time.sleep(1)
    return (_server_cpu(cluster) - cpu) / rounds, wall


def test_a_fresh_database_costs(pg_own_cluster: postgres.Cluster) -> None:
    ways = {
        "copy of the template, STRATEGY FILE_COPY (the tests')": (
            "CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY",
            False,
        ),
        "copy of the template, STRATEGY WAL_LOG (the default)": (
            "CREATE DATABASE {name} TEMPLATE {template} STRATEGY WAL_LOG",
            False,
        ),
        "empty database, migrated by open_pg": ("CREATE DATABASE {name}", True),
    }
    print(f"\nper database, {ROUNDS} rounds each (created and dropped):")
    for way, (label, (make, migrate)) in enumerate(ways.items()):
        cpu, wall = _measure(pg_own_cluster, way, make, migrate, ROUNDS)
        print(f"  {label}: server CPU {cpu * 1000:.0f} ms, wall {wall * 1000:.0f} ms")
    print(f"  load average at the end: {os.getloadavg()[0]:.1f}")
