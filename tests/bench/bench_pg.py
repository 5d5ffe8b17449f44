"""SQLite and PostgreSQL side by side in one run: quote lookup, quote search and article
search at 100,000 quotes, with one reader and with 8 at once; and the copy of the
generated store into PostgreSQL.

    nice -n 10 .venv/bin/pytest -s tests/bench/bench_pg.py
    (BENCH_QUOTES=20000 for a quick run; BENCH_STORE=PATH to reuse a generated store;
    BENCH_PG_ROUNDS, default 5)

The backends take turns, round by round (which one goes first alternates), so a busy
machine weighs on both alike; each cell is the median over the rounds of that round's
p50 / p95, and the spread is the lowest and highest p95 of the rounds. The PostgreSQL
server is the tests' throwaway cluster (fsync off, shared_buffers 32 MB: reads are what
is measured). Figures are printed, never asserted: the machine is shared. Targets (issues
#14, #15): quote lookup p95 < 30 ms at 100,000 quotes, also with 8 concurrent readers;
article search p95 < 50 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from collections.abc import Callable
from pathlib import Path

from extract.store import StoreApi, open_pg, open_store
from extract.store.copy import copy_store
from tests.helpers import postgres

READERS = 8
LOOKUPS = 15  # per reader, kind and round
ROUNDS = int(os.environ.get("BENCH_PG_ROUNDS", "5"))

Lookup = Callable[[StoreApi, int], int]


def _p(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _lookups(speakers: list[str], words: list[str]) -> dict[str, Lookup]:
    return {
        "quotes by speaker": lambda s, n: len(s.quotes_by(speakers[n % len(speakers)], limit=200)),
        "quote search": lambda s, n: len(s.search_quotes(words[n % len(words)][:4])),
        "article search": lambda s, n: len(s.search_articles(words[n % len(words)])),
    }


def _time(stores: list[StoreApi], lookup: Lookup, start: int) -> tuple[float, float]:
    """p50 and p95 (ms) of ``LOOKUPS`` lookups by each reader (one store each) at once."""
    times: list[float] = []
    found: list[int] = []
    lock = threading.Lock()

    def reader(index: int) -> None:
        for n in range(LOOKUPS):
            started = time.perf_counter()
            hits = lookup(stores[index], start + index * LOOKUPS + n)
            took = (time.perf_counter() - started) * 1000
            with lock:
                times.append(took)
                found.append(hits)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(len(stores))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert any(found), "every lookup found nothing: the benchmark measures nothing"
    return _p(times, 50), _p(times, 95)


def _inputs(big_store: Path) -> tuple[list[str], list[str]]:
    with open_store(big_store, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker"
        ).fetchall()
        speakers = sorted(r[0] for r in rows)
        titles = [r.title for r in store.article_rows(0, 200)]
    random.Random(1).shuffle(speakers)
    words = [w.lower() for t in titles for w in t.split() if len(w) > 5] or ["talks"]
    return speakers, words


def _cell(rounds: list[tuple[float, float]]) -> str:
    p50 = statistics.median(r[0] for r in rounds)
    p95s = [r[1] for r in rounds]
    return f"{p50:6.1f} / {statistics.median(p95s):6.1f} ({min(p95s):.0f}-{max(p95s):.0f})"


def test_lookup_side_by_side(big_store: Path, pg_cluster: postgres.Cluster) -> None:
    url = pg_cluster.fresh_database()
    started = time.perf_counter()
    report = copy_store(str(big_store), url, "bench")
    copy_s = time.perf_counter() - started
    print(
        f"\n[pg] copy SQLite -> PostgreSQL: {report.counts['quotes']:,} quotes, "
        f"{report.counts['articles']:,} articles in {copy_s:.1f} s "
        f"({report.sampled} sampled: same)"
    )
    speakers, words = _inputs(big_store)
    opens: dict[str, Callable[[], StoreApi]] = {
        "sqlite": lambda: open_store(big_store, readonly=True),
        "postgres": lambda: open_pg(url, "bench"),
    }
    stores = {name: [open_one() for _ in range(READERS)] for name, open_one in opens.items()}
    lookups = _lookups(speakers, words)
    results: dict[tuple[str, int, str], list[tuple[float, float]]] = {}
    print(f"load average at the start {os.getloadavg()}")
    try:
        for lookup in lookups.values():  # warm up: each backend's caches, once
            for backend in stores.values():
                _time(backend[:1], lookup, 0)
        for round_ in range(ROUNDS):
            order = list(stores) if round_ % 2 == 0 else list(reversed(stores))
            for name, lookup in lookups.items():
                for readers in (1, READERS):
                    for backend in order:
                        start = round_ * READERS * LOOKUPS
                        figures = _time(stores[backend][:readers], lookup, start)
                        results.setdefault((name, readers, backend), []).append(figures)
    finally:
        for backend in stores.values():
            for store in backend:
                store.close()
    print(
        f"{ROUNDS} rounds, {LOOKUPS} lookups per reader each; median p50 / p95 ms "
        "(lowest-highest p95 of the rounds)"
    )
    print(f"{'lookup':<20}{'readers':>8}{'sqlite':>30}{'postgres':>30}")
    for name in lookups:
        for readers in (1, READERS):
            cells = [_cell(results[(name, readers, backend)]) for backend in stores]
            print(f"{name:<20}{readers:>8}{cells[0]:>30}{cells[1]:>30}")
    print(f"load average at the end {os.getloadavg()}")
    print("targets: quote lookup p95 < 30 ms (1 and 8 readers); article search p95 < 50 ms")
