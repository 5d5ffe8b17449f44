"""Watchlists over a big store: the cost added to a fetch, target within 1.1x of the fetch.

Run: .venv/bin/pytest -q -s tests/bench/bench_watch.py    (part of ``make bench``)

On a copy of the generated store (10,000 articles, 100,000 quotes unless BENCH_ARTICLES /
BENCH_QUOTES say otherwise), five watches (two people, an organisation, two phrases, one
of them limited to a tag) are evaluated:

- once over the whole store, as a new watch does (its backlog);
- incrementally, as after a fetch that brought ``NEW`` articles: each watch's mark is set
  back ``NEW`` articles and the evaluation timed (``REPEATS`` runs, hits cleared between).

A fetch's own time for ``NEW`` articles is not measured here (it needs the network stage
and spaCy); it is taken from ``bench_ingest.py``'s figure in the README (11.2 articles/s
with ``[nlp] processes = 1``) to print the ratio. Nothing asserts on time.
"""

from __future__ import annotations

import shutil
import statistics
import time
from pathlib import Path

from extract.config import WatchConfig
from extract.store import open_store
from extract.watchlist import evaluate_watches

NEW = 20
REPEATS = 5
INGEST_ARTICLES_PER_S = 11.2  # README, bench_ingest.py, [nlp] processes = 1
TARGET_RATIO = 1.1


def test_watch_cost_per_fetch(big_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "watch.sqlite3"
    shutil.copyfile(big_store, path)
    with open_store(path) as store:
        speakers = [
            r[0]
            for r in store.conn.execute(
                "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
                "ORDER BY count(*) DESC LIMIT 2"
            )
        ]
        org = store.conn.execute(
            "SELECT canonical FROM entities WHERE label = 'ORG' GROUP BY canonical "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
        tag = store.feeds()[0].tags[0]
        quotes = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        watches = (
            WatchConfig("people", people=tuple(speakers)),
            WatchConfig("org", entities=(org,)),
            WatchConfig("words", words=("gas prices", "export controls")),
            WatchConfig("tagged", words=("interest rates",), tags=(tag,)),
            WatchConfig("mixed", people=(speakers[0],), words=("alliance",)),
        )
        started = time.perf_counter()
        backlog = evaluate_watches(store, watches).backlog
        whole = time.perf_counter() - started
        newest = store.conn.execute("SELECT max(id) FROM articles").fetchone()[0]
        times, found = [], []
        for _ in range(REPEATS + 1):  # the first is a warm-up
            with store.transaction() as tx:
                tx.execute("DELETE FROM watch_hits WHERE article_id > ?", (newest - NEW,))
                tx.execute("UPDATE watch_state SET last_article_id = ?", (newest - NEW,))
            started = time.perf_counter()
            report = evaluate_watches(store, watches)
            times.append(time.perf_counter() - started)
            found.append(len(report.new_hits))
    assert backlog > 0 and found[-1] > 0
    per_fetch = statistics.median(times[1:])
    ingest = NEW / INGEST_ARTICLES_PER_S
    ratio = (ingest + per_fetch) / ingest
    print(f"\n[watch] {quotes} quotes, {len(watches)} watches")
    print(f"  a new watch's backlog, whole store: {whole * 1000:.0f} ms, {backlog} hits")
    print(
        f"  after a fetch of {NEW} articles: median {per_fetch * 1000:.1f} ms, "
        f"max {max(times[1:]) * 1000:.1f} ms, {found[-1]} hits"
    )
    verdict = "met" if ratio <= TARGET_RATIO else "MISSED"
    print(
        f"  fetch of {NEW} articles ~{ingest:.2f} s (bench_ingest) + watches: "
        f"{ratio:.3f}x, target <= {TARGET_RATIO}x: {verdict}"
    )
