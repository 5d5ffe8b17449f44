"""What the reader app asks of the store, SQLite and PostgreSQL side by side: the live
refresh's poll (``latest_article_id``), keeping the cursor on a reload (``position_of``,
and the old way on PostgreSQL: every id, then ``index``), the list's first page with its
count, and opening an article (the reader and panels' four reads).

    .venv/bin/pytest -s tests/bench/bench_pg_app.py   (BENCH_ARTICLES=2000 BENCH_QUOTES=20000)

The server is the tests' throwaway cluster on loopback (fsync off). Printed, never asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from extract.store import StoreApi, open_pg, open_store
from extract.store.copy import copy_store
from extract.store.records import ArticleFilter
from tests.helpers import postgres

ROUNDS = 60


def _p(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _time(store: StoreApi, ask: Callable[[StoreApi, int], object]) -> tuple[float, float]:
    times = []
    for n in range(ROUNDS):
        started = time.perf_counter()
        ask(store, n)
        times.append((time.perf_counter() - started) * 1000)
    return _p(times, 50), _p(times, 95)


def _open_article(store: StoreApi, article_id: int) -> int:
    store.article(article_id)
    store.entities(article_id)
    store.entity_counts(article_id)
    return len(store.quotes(article_id))


def _old_position(store: StoreApi, article_id: int) -> int | None:
    ids = store.article_ids(ArticleFilter())
    return ids.index(article_id) if article_id in ids else None


def test_app_reads_side_by_side(big_store: Path, pg_cluster: postgres.Cluster) -> None:
    url = pg_cluster.fresh_database()
    report = copy_store(str(big_store), url, "bench")
    sqlite, pg = open_store(big_store, readonly=True), open_pg(url, "bench")
    try:
        ids = sqlite.article_ids()
        middle = [ids[(len(ids) * k) // ROUNDS] for k in range(ROUNDS)]  # all down the list
        asks: dict[str, Callable[[StoreApi, int], object]] = {
            "poll: newest id": lambda s, n: s.latest_article_id(),
            "cursor: position_of": lambda s, n: s.position_of(middle[n]),
            "first page + count": lambda s, n: (s.article_count(), s.article_rows(0, 60)),
            "open an article": lambda s, n: _open_article(s, middle[n]),
        }
        print(f"\n[app] {report.counts['articles']:,} articles, {report.counts['quotes']:,} quotes")
        print(f"{'read':<26}{'sqlite p50/p95 ms':>22}{'postgres p50/p95 ms':>24}")
        for name, ask in asks.items():
            cells = [f"{a:7.2f} / {b:7.2f}" for a, b in (_time(sqlite, ask), _time(pg, ask))]
            print(f"{name:<26}{cells[0]:>22}{cells[1]:>24}")
        old = _time(pg, lambda s, n: _old_position(s, middle[n]))
        print(f"{'cursor: every id (before)':<26}{'':>22}{old[0]:7.2f} / {old[1]:7.2f}")
        assert pg.position_of(middle[3]) == sqlite.position_of(middle[3])
    finally:
        sqlite.close()
        pg.close()
