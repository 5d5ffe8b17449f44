"""Store-level scale figures on the big generated store (10,000 articles, 100,000 quotes).

Run: .venv/bin/pytest -q -s tests/bench/bench_scale.py    (part of ``make bench``)

- quote lookup: ``Store.search_quotes`` for every prefix of each query as it is typed
  ("j", "ju", "jul", ...), as the lookup screen runs one query per keystroke;
  target p95 < 30 ms;
- article search (``/``): ``Store.search_articles`` per keystroke; target p95 < 50 ms;
- the article list's own queries: count, a page of rows at the top / middle / end
  (``LIMIT 100 OFFSET n``), every id (``index_of``).

One warm-up pass, then ``REPEATS`` timed passes; figures are medians, 95th
percentiles and maxima over every keystroke of every pass. Nothing here asserts
on time: the targets are printed as met or missed.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from extract.store import ArticleFilter, Store, open_store

REPEATS = 3
QUOTE_TARGET_MS = 30.0
ARTICLE_TARGET_MS = 50.0

# Typed one character at a time. Speaker names come first (three from the store, so
# they match), then surnames, roles, quote words, common words and short prefixes.
QUOTE_QUERIES = [
    "Smith",
    "Grushko said",
    "foreign minister",
    "chief economist at the imf",
    "gas prices",
    "we will not accept",
    "export controls",
    "nato",
    "there is no plan b",
    "winter",
    "said",
    "the alliance",
    "ministers would review",
    "spokesperson for",
    "the door remains open",
    "Kyiv",
    "interest rates next year",
]
ARTICLE_QUERIES = [
    "gas prices",
    "chip export rules",
    "nato",
    "flood defences",
    "interest rates",
    "germany",
    "the",
    "brussels talks",
    "vaccine supplies",
    "european commission",
    "julianne",
    "arctic shipping routes",
    "warns",
    "budget deficit",
]


def keystrokes(query: str) -> list[str]:
    """What the input holds after each keystroke: "j", "ju", "jul", ..."""
    return [query[:n] for n in range(1, len(query) + 1)]


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def ms(f: Callable[[], object]) -> float:
    started = time.perf_counter()
    f()
    return (time.perf_counter() - started) * 1000


def time_keystrokes(
    search: Callable[[str], list], queries: list[str]
) -> tuple[list[float], list[tuple[float, str]], int]:
    """Per-keystroke times (ms) over REPEATS passes, the slowest keystrokes, results seen."""
    typed = [t for q in queries for t in keystrokes(q)]
    found = sum(bool(search(t)) for t in typed)  # warm-up pass; also: do queries match?
    times: list[float] = []
    worst: dict[str, float] = {}
    for _ in range(REPEATS):
        for text in typed:
            t = ms(lambda: search(text))
            times.append(t)
            worst[text] = max(worst.get(text, 0.0), t)
    slowest = sorted(((t, q) for q, t in worst.items()), reverse=True)[:5]
    return times, slowest, found


def report(
    label: str,
    times: list[float],
    slowest: list[tuple[float, str]],
    found: int,
    typed: int,
    target: float,
) -> str:
    p50, p95 = statistics.median(times), percentile(times, 95)
    verdict = "met" if p95 < target else "MISSED"
    line = (
        f"{label}: {len(times)} keystrokes ({typed} distinct, {found} with results): "
        f"median {p50:.1f} ms, p95 {p95:.1f} ms, max {max(times):.1f} ms "
        f"-> target p95 < {target:.0f} ms {verdict}"
    )
    print(line)
    print("   slowest: " + ", ".join(f"{q!r} {t:.1f} ms" for t, q in slowest))
    return verdict


def query_plan(store: Store, call: Callable[[], object]) -> list[str]:
    """EXPLAIN QUERY PLAN of the SELECTs ``call`` runs."""
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        store.conn.set_trace_callback(None)
    sql = next(s for s in seen if s.lstrip().upper().startswith("SELECT"))
    return [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")]


def top_speakers(store: Store, n: int) -> list[str]:
    rows = store.conn.execute(
        "SELECT speaker FROM quotes WHERE speaker IS NOT NULL GROUP BY speaker "
        "ORDER BY count(*) DESC, speaker LIMIT ?",
        (n,),
    )
    return [r[0] for r in rows]


def test_quote_lookup_per_keystroke(big_store: Path) -> None:
    with open_store(big_store, readonly=True) as store:
        n = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        queries = [*top_speakers(store, 3), *QUOTE_QUERIES]
        times, slowest, found = time_keystrokes(store.search_quotes, queries)
        typed = sum(len(q) for q in queries)
        print(f"\n[quote lookup] {n} quotes; queries: {', '.join(repr(q) for q in queries)}")
        report("Store.search_quotes per keystroke", times, slowest, found, typed, QUOTE_TARGET_MS)
        print("   plan: " + " | ".join(query_plan(store, lambda: store.search_quotes("the"))))
        latest = [ms(lambda: store.quotes_by(limit=50)) for _ in range(5)]
        one = [ms(lambda: store.quotes_by(speaker=queries[0], limit=1000)) for _ in range(5)]
        print(
            f"   lookup opening (quotes_by limit 50): median {statistics.median(latest):.1f} ms;"
            f" all by one speaker ({queries[0]}): median {statistics.median(one):.1f} ms"
        )
        [who] = store.find_people(queries[0])
        person = [ms(lambda: store.quotes_by(person_id=who.id, limit=1000)) for _ in range(5)]
        find = [ms(lambda: store.find_people(queries[0].split()[-1])) for _ in range(5)]
        profile = [ms(lambda: store.person_profile(who.id)) for _ in range(5)]
        people = store.conn.execute("SELECT count(*) FROM people").fetchone()[0]
        aliases = store.conn.execute("SELECT count(*) FROM person_aliases").fetchone()[0]
        print(
            f"   people: {people} ({aliases} aliases); all by one person ({who.name}, "
            f"{who.alias_count} aliases, {who.quotes} quotes): median "
            f"{statistics.median(person):.1f} ms; a surname to its people: median "
            f"{statistics.median(find):.1f} ms; the profile: median "
            f"{statistics.median(profile):.1f} ms"
        )
        assert found > typed // 2  # the queries do find quotes


def test_article_search_per_keystroke(big_store: Path) -> None:
    with open_store(big_store, readonly=True) as store:
        n = store.article_count()
        times, slowest, found = time_keystrokes(store.search_articles, ARTICLE_QUERIES)
        typed = sum(len(q) for q in ARTICLE_QUERIES)
        print(f"\n[article search] {n} articles")
        report(
            "Store.search_articles per keystroke", times, slowest, found, typed, ARTICLE_TARGET_MS
        )
        print("   plan: " + " | ".join(query_plan(store, lambda: store.search_articles("the"))))
        assert found > typed // 2


def test_article_list_queries(big_store: Path) -> None:
    """What the virtualised list asks the store for, at the top, middle and end."""
    with open_store(big_store, readonly=True) as store:
        n = store.article_count()
        figures = {
            "article_count()": lambda: store.article_count(),
            "article_rows(0, 100)": lambda: store.article_rows(0, 100),
            f"article_rows({n // 2}, 100)": lambda: store.article_rows(n // 2, 100),
            f"article_rows({n - 100}, 100)": lambda: store.article_rows(n - 100, 100),
            "article_ids() (index_of)": lambda: store.article_ids(),
            "count, unread filter": lambda: store.article_count(ArticleFilter(unread=True)),
            "count, tag filter": lambda: store.article_count(ArticleFilter(tag="europe")),
            "count, entity filter": lambda: store.article_count(
                ArticleFilter(entity="the European Commission")
            ),
        }
        print(f"\n[article list] {n} articles; median of 7 runs each:")
        for label, call in figures.items():
            call()
            print(f"   {label:<32} {statistics.median(ms(call) for _ in range(7)):7.2f} ms")
        assert len(store.article_rows(n - 100, 100)) == 100


def _rebuilt_copy(source: Path, target: Path, prefix: str) -> float:
    """A copy of ``source`` with both FTS indexes rebuilt with ``prefix=``; seconds taken."""
    import sqlite3

    started = time.perf_counter()
    with open_store(source, readonly=True) as store:
        dest = sqlite3.connect(target)
        store.conn.backup(dest)
    dest.isolation_level = None
    for table in ("articles_fts", "quotes_fts"):
        sql = dest.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
        assert "prefix='2 3'" in sql, sql
        dest.execute(f"DROP TABLE {table}")
        dest.execute(sql.replace("prefix='2 3'", f"prefix='{prefix}'"))
        dest.execute(f"INSERT INTO {table} ({table}) VALUES ('rebuild')")
    dest.close()
    return time.perf_counter() - started


def test_proposal_one_letter_prefix_index(big_store: Path, tmp_path: Path) -> None:
    """The same keystrokes with FTS5 ``prefix='1 2 3'`` instead of ``'2 3'``, in one run.

    The slowest keystrokes are those whose last word is one letter ("t", "the a"): FTS5
    has no index for 1-letter prefixes and merges the doclists of every word starting
    with that letter. Not applied (it needs a schema migration): measured only, against
    the store as generated and a control copy rebuilt with the current ``'2 3'`` (a
    rebuilt index is compacted, which alone can change timings).
    """
    control, proposed = tmp_path / "prefix23.sqlite3", tmp_path / "prefix123.sqlite3"
    _rebuilt_copy(big_store, control, "2 3")
    seconds = _rebuilt_copy(big_store, proposed, "1 2 3")
    size = proposed.stat().st_size - control.stat().st_size
    with (
        open_store(big_store, readonly=True) as now,
        open_store(control, readonly=True) as same,
        open_store(proposed, readonly=True) as new,
    ):
        stores = (now, same, new)
        speakers = [*top_speakers(now, 3), *QUOTE_QUERIES]
        for label, queries, search in (
            ("search_quotes", speakers, lambda s: s.search_quotes),
            ("search_articles", ARTICLE_QUERIES, lambda s: s.search_articles),
        ):
            typed = [t for q in queries for t in keystrokes(q)]
            for text in typed:  # warm all three
                for store in stores:
                    search(store)(text)
            times: list[list[float]] = [[], [], []]
            for _ in range(REPEATS):
                for text in typed:  # interleaved, so all see the same machine load
                    for n, store in enumerate(stores):
                        times[n].append(ms(lambda: search(store)(text)))
            one = [i for i, t in enumerate(typed * REPEATS) if len(t.split()[-1]) == 1]
            print(
                f"\n[proposal prefix='1 2 3'] {label}, as generated / rebuilt '2 3' / "
                f"rebuilt '1 2 3':"
            )
            print(
                "   p95 "
                + " / ".join(f"{percentile(t, 95):.1f}" for t in times)
                + " ms; median "
                + " / ".join(f"{statistics.median(t):.1f}" for t in times)
                + " ms; max "
                + " / ".join(f"{max(t):.1f}" for t in times)
                + " ms"
            )
            print(
                f"   keystrokes whose last word is 1 letter ({len(one) // REPEATS} of "
                f"{len(typed)}), median "
                + " / ".join(f"{statistics.median(t[i] for i in one):.1f}" for t in times)
                + " ms"
            )
    print(
        f"   rebuilding both FTS indexes with '1 2 3' took {seconds:.1f} s (copy included);"
        f" store size {size / 1e6:+.1f} MB over '2 3'"
    )
