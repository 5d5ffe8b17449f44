"""SQLite and PostgreSQL side by side: quote lookup and search at 100,000 quotes, with one
reader and with 8 at once; and the copy of the generated store into PostgreSQL.

    .venv/bin/pytest -s tests/bench/bench_pg.py     (BENCH_QUOTES=20000 for a quick run)

The PostgreSQL server is the tests' throwaway cluster (fsync off: reads are what is
measured). Figures are printed, never asserted: the machine is shared. Target (issue #15):
quote lookup p95 < 30 ms at 100,000 quotes, also with 8 concurrent readers.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

from extract.store import StoreApi, open_pg, open_store
from extract.store.copy import copy_store
from tests.helpers import postgres

READERS = 8
ROUNDS = 40  # lookups per reader and kind


def _p(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _lookups(speakers: list[str], words: list[str]) -> dict[str, Callable[[StoreApi, int], int]]:
    return {
        "quotes by speaker": lambda s, n: len(s.quotes_by(speakers[n % len(speakers)], limit=200)),
        "quote search": lambda s, n: len(s.search_quotes(words[n % len(words)][:4])),
        "article search": lambda s, n: len(s.search_articles(words[n % len(words)])),
    }


def _time(open_one: Callable[[], StoreApi], lookup: Callable[[StoreApi, int], int], readers: int):
    times: list[float] = []
    found: list[int] = []
    lock = threading.Lock()

    def reader(seed: int) -> None:
        store = open_one()
        try:
            for n in range(ROUNDS):
                started = time.perf_counter()
                hits = lookup(store, seed * ROUNDS + n)
                took = (time.perf_counter() - started) * 1000
                with lock:
                    times.append(took)
                    found.append(hits)
        finally:
            store.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert any(found), "every lookup found nothing: the benchmark measures nothing"
    return _p(times, 50), _p(times, 95)


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
    with open_store(big_store, readonly=True) as store:
        rows = store.conn.execute(
            "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker"
        ).fetchall()
        speakers = sorted(r[0] for r in rows)
        titles = [r.title for r in store.article_rows(0, 200)]
    random.Random(1).shuffle(speakers)
    words = [w.lower() for t in titles for w in t.split() if len(w) > 5] or ["talks"]
    backends: dict[str, Callable[[], StoreApi]] = {
        "sqlite": lambda: open_store(big_store, readonly=True),
        "postgres": lambda: open_pg(url, "bench"),
    }
    print(f"{'lookup':<20}{'readers':>8}{'sqlite p50/p95 ms':>22}{'postgres p50/p95 ms':>24}")
    for name, lookup in _lookups(speakers, words).items():
        for readers in (1, READERS):
            cells = []
            for backend in backends.values():
                p50, p95 = _time(backend, lookup, readers)
                cells.append(f"{p50:7.1f} / {p95:7.1f}")
            print(f"{name:<20}{readers:>8}{cells[0]:>22}{cells[1]:>24}")
    print("target: quote lookup p95 < 30 ms at 100,000 quotes, also with 8 readers")
