"""Store-level scale figures on the big generated store (10,000 articles, 100,000 quotes;
``BENCH_ARTICLES=100000 BENCH_QUOTES=1000000`` for the million-quote figures).

Run: nice -n 10 .venv/bin/pytest -q -s tests/bench/bench_scale.py    (part of ``make bench``)

- quote lookup: ``Store.search_quotes`` for every prefix of each query as it is typed
  ("j", "ju", "jul", ...), as the lookup screen runs one query per keystroke;
  target p95 < 30 ms;
- article search (``/``): ``Store.search_articles`` per keystroke; target p95 < 50 ms;
- the article list's own queries: count, a page of rows at the top / middle / end
  (``LIMIT 100 OFFSET n``), every id (``index_of``).

One warm-up pass, then ``ROUNDS`` rounds, each one pass of the quote lookup's
keystrokes then one of the article search's (alternating, so both see the same
machine load). The verdict is on the median of the rounds' p95s, printed with
their spread (lowest to highest), so one busy moment does not flip it. Nothing
here asserts on time: the targets are printed as met or missed.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from extract.store import ArticleFilter, Store, open_store

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
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


@dataclass
class Keystrokes:
    """One search's per-keystroke times, round by round."""

    label: str
    search: Callable[[str], list]
    typed: list[str]
    target: float
    rounds: list[list[float]] = field(default_factory=list)
    worst: dict[str, float] = field(default_factory=dict)
    found: int = 0

    def warm(self) -> None:
        self.found = sum(bool(self.search(t)) for t in self.typed)  # do queries match?

    def round(self) -> None:
        times = []
        for text in self.typed:
            t = ms(lambda: self.search(text))
            times.append(t)
            self.worst[text] = max(self.worst.get(text, 0.0), t)
        self.rounds.append(times)

    def report(self) -> str:
        p95s = [percentile(r, 95) for r in self.rounds]
        every = [t for r in self.rounds for t in r]
        p95 = statistics.median(p95s)
        verdict = "met" if p95 < self.target else "MISSED"
        slowest = sorted(((t, q) for q, t in self.worst.items()), reverse=True)[:5]
        print(
            f"{self.label}: {len(self.typed)} keystrokes x {len(self.rounds)} rounds "
            f"({self.found} with results): p95 median of rounds {p95:.1f} ms (spread "
            f"{min(p95s):.1f}-{max(p95s):.1f}), median {statistics.median(every):.1f} ms, "
            f"max {max(every):.1f} ms -> target p95 < {self.target:.0f} ms {verdict}"
        )
        print("   slowest: " + ", ".join(f"{q!r} {t:.1f} ms" for t, q in slowest))
        return verdict


def run_rounds(*searches: Keystrokes) -> None:
    """Warm each, then ``ROUNDS`` rounds, each search once per round in turn."""
    for search in searches:
        search.warm()
    for _ in range(ROUNDS):
        for search in searches:
            search.round()


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


def test_search_per_keystroke(big_store: Path) -> None:
    """Quote lookup and article search, alternating round by round."""
    with open_store(big_store, readonly=True) as store:
        n_quotes = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        speakers = top_speakers(store, 3)
        queries = [*speakers, *QUOTE_QUERIES]
        quotes = Keystrokes(
            "Store.search_quotes per keystroke",
            store.search_quotes,
            [t for q in queries for t in keystrokes(q)],
            QUOTE_TARGET_MS,
        )
        articles = Keystrokes(
            "Store.search_articles per keystroke",
            store.search_articles,
            [t for q in ARTICLE_QUERIES for t in keystrokes(q)],
            ARTICLE_TARGET_MS,
        )
        run_rounds(quotes, articles)
        print(
            f"\n[search] {n_quotes} quotes, {store.article_count()} articles; quote "
            f"queries: {', '.join(repr(q) for q in queries)}"
        )
        quotes.report()
        print("   plan: " + " | ".join(query_plan(store, lambda: store.search_quotes("the"))))
        articles.report()
        print("   plan: " + " | ".join(query_plan(store, lambda: store.search_articles("the"))))
        print_ranking(store, speakers)
        print_people(store, next((q for q in speakers if " " in q), speakers[0]))
        assert quotes.found > len(quotes.typed) // 2  # the queries do find quotes
        assert articles.found > len(articles.typed) // 2


def print_ranking(store: Store, speakers: list[str]) -> None:
    """How the first results of a name, a role and a title's words are ranked."""
    for name in speakers:
        for typed in (name, name.split()[-1].lower()[:4]):
            top = store.search_quotes(typed, 10)
            said = sum(name.split()[-1].lower() in (q.quote.speaker or "").lower() for q in top)
            print(
                f"   ranking: {typed!r}: {said} of the first {len(top)} quotes are by a "
                f"speaker of that name"
            )
    top = store.search_quotes("foreign minister", 10)
    roles = sum("foreign minister" in (q.quote.role or "").lower() for q in top)
    print(f"   ranking: 'foreign minister': {roles} of the first {len(top)} have that role")
    top_articles = store.search_articles("european commission", 10)
    titled = sum("european commission" in a.title.lower() for a in top_articles)
    print(
        f"   ranking: 'european commission': {titled} of the first {len(top_articles)} "
        "articles have it in the title"
    )


def print_people(store: Store, speaker: str) -> None:
    latest = [ms(lambda: store.quotes_by(limit=50)) for _ in range(5)]
    one = [ms(lambda: store.quotes_by(speaker=speaker, limit=1000)) for _ in range(5)]
    print(
        f"   lookup opening (quotes_by limit 50): median {statistics.median(latest):.1f} ms;"
        f" all by one speaker ({speaker}): median {statistics.median(one):.1f} ms"
    )
    who = store.find_people(speaker)[0]
    person = [ms(lambda: store.quotes_by(person_id=who.id, limit=1000)) for _ in range(5)]
    find = [ms(lambda: store.find_people(speaker.split()[-1])) for _ in range(5)]
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


def test_article_list_queries(big_store: Path) -> None:
    """What the virtualised list asks the store for, at the top, middle and end."""
    with open_store(big_store, readonly=True) as store:
        n = store.article_count()
        middle = store.article_rows(n // 2 - 1, 1)[0]
        key = (middle.published, middle.id)
        figures = {
            "article_count()": lambda: store.article_count(),
            "count(*) (what it replaced)": lambda: store.conn.execute(
                "SELECT count(*) FROM articles"
            ).fetchone(),
            "article_rows(0, 100)": lambda: store.article_rows(0, 100),
            f"article_rows({n // 2}, 100), OFFSET": lambda: store.article_rows(n // 2, 100),
            f"article_rows({n // 2}, 100), after the row above": lambda: store.article_rows(
                n // 2, 100, after=key
            ),
            f"article_rows({n - 100}, 100), OFFSET": lambda: store.article_rows(n - 100, 100),
            f"article_rows({n - 100}, 100), from the end": lambda: store.article_rows(
                n - 100, 100, total=n
            ),
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
            print(f"   {label:<48} {statistics.median(ms(call) for _ in range(7)):7.2f} ms")
        assert len(store.article_rows(n - 100, 100)) == 100
        assert store.article_rows(n // 2, 100, after=key) == store.article_rows(n // 2, 100)
