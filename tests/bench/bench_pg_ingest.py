"""Ingest on PostgreSQL: 200 pages (20 feeds of 10, each page served after 0.2 s) fetched
by one ``briefing fetch`` and then, into a new database, by two at once sharing the feeds.

    .venv/bin/pytest -s tests/bench/bench_pg_ingest.py

Prints the wall time of each and how many pages and feeds were requested more than once
(must be 0 feeds; pages only for the one story every feed carries). Wall time, not CPU:
what sharing buys is waiting on slow sites in parallel; the machine's load is printed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from pathlib import Path

from extract.store import open_pg
from tests.helpers import postgres
from tests.helpers.httpserver import TestServer
from tests.helpers.pg_site import feeds_config, serve_feeds, start_fetches

FEEDS = 20
PAGES = 10


def _run(cluster: postgres.Cluster, processes: int, tmp: Path) -> tuple[float, Counter, int]:
    server = TestServer().start()
    try:
        serve_feeds(server, PAGES)
        url = cluster.fresh_database()
        open_pg(url, "bench").close()  # the schema, before the clock starts
        config = feeds_config(server, FEEDS, tmp / f"config-{processes}.toml")
        started = time.perf_counter()
        runs = start_fetches(config, url, processes)
        for run in runs:
            _, err = run.communicate(timeout=1200)
            assert run.returncode == 0, err.decode(errors="replace")
        took = time.perf_counter() - started
        requests = Counter(server.paths())
        with open_pg(url, "bench") as store:
            stored = store.article_count()
        return took, requests, stored
    finally:
        server.close()


def test_two_fetches_share_the_work(pg_cluster: postgres.Cluster, tmp_path: Path) -> None:
    print(f"\n[pg ingest] {FEEDS} feeds x {PAGES} pages (+1 shared story), load {os.getloadavg()}")
    rates: dict[int, float] = {}
    for processes in (1, 2):
        took, requests, stored = _run(pg_cluster, processes, tmp_path)
        rates[processes] = stored / took
        feeds_twice = sum(n > 1 for p, n in requests.items() if p.startswith("/pg-feed/"))
        pages_twice = sum(n > 1 for p, n in requests.items() if p.startswith("/pg-item/"))
        assert stored == FEEDS * PAGES + 1 and feeds_twice == 0
        print(
            f"{processes} fetch process(es): {took:.1f} s wall, {stored / took:.1f} articles/s; "
            f"feeds polled twice: {feeds_twice}, pages fetched twice: {pages_twice}"
        )
    print(f"throughput of 2 processes against 1: {rates[2] / rates[1]:.2f}x")
    print(f"load at the end {os.getloadavg()}")
