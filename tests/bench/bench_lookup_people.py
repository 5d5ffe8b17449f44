"""The quote lookup and the palette with the people registry, on the big generated store.

Run: .venv/bin/pytest -q -s tests/bench/bench_lookup_people.py    (part of ``make bench``)

- the lookup as the screen runs it per keystroke (``lookup_quotes``: the FTS query plus
  the registry asked whether the first words name someone, and that person's quotes);
  target p95 < 30 ms, the same target as ``Store.search_quotes`` alone in bench_scale;
  each part is timed alone too (on a busy machine the full-text part varies most);
- the palette's "Person: <name>" search per keystroke (``PeopleCommands``' store reads).

One warm-up pass, then ``REPEATS`` timed passes; medians, 95th percentiles and maxima
over every keystroke. Nothing here asserts on time.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from extract.store import Store, open_store
from tui.commands import PEOPLE_SHOWN
from tui.screens.quote_lookup import LIMIT, lookup_quotes, named_people, people_quotes

REPEATS = 3
TARGET_MS = 30.0
# Typed a character at a time: names (a surname, a full name, a name then words),
# then words that name no one.
QUERIES = ["Smith", "Grushko gas", "foreign minister", "nato", "said", "there is no plan b"]


def ms(f: Callable[[], object]) -> float:
    started = time.perf_counter()
    f()
    return (time.perf_counter() - started) * 1000


def per_keystroke(search: Callable[[str], object], queries: list[str]) -> list[float]:
    typed = [q[:n] for q in queries for n in range(1, len(q) + 1)]
    for text in typed:  # warm-up
        search(text)
    return [ms(lambda: search(text)) for _ in range(REPEATS) for text in typed]


def summary(label: str, times: list[float], target: float | None = None) -> None:
    ordered = sorted(times)
    p95 = ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]
    verdict = (
        ""
        if target is None
        else f" -> target p95 < {target:.0f} ms " + ("met" if p95 < target else "MISSED")
    )
    print(
        f"{label}: {len(times)} keystrokes: median {statistics.median(times):.1f} ms, "
        f"p95 {p95:.1f} ms, max {max(times):.1f} ms{verdict}"
    )


def top_people(store: Store, n: int) -> list[str]:
    rows = store.conn.execute(
        "SELECT p.name FROM people p JOIN quotes q ON q.person_id = p.id "
        "GROUP BY p.id ORDER BY count(*) DESC LIMIT ?",
        (n,),
    )
    return [r[0] for r in rows]


def palette(store: Store, text: str) -> None:
    """What ``PeopleCommands.search`` reads from the store for one keystroke."""
    if len(text) < 2:
        return
    ids = [pid for pid, _ in store.people_named(text, PEOPLE_SHOWN)]
    ids += [i for i in store.people_containing(text, PEOPLE_SHOWN) if i not in ids]
    [store.person(i) for i in ids[:PEOPLE_SHOWN]]


def test_lookup_and_palette_with_people(big_store: Path) -> None:
    with open_store(big_store, readonly=True) as store:
        quotes = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        people = store.conn.execute("SELECT count(*) FROM people").fetchone()[0]
        queries = [*top_people(store, 2), *QUERIES]
        print(f"\n[lookup with people] {quotes} quotes, {people} people; queries: {queries}")
        results, said = lookup_quotes(store, queries[0], LIMIT)
        print(f"   {queries[0]!r}: {said} ({len(results)})")
        assert results and said.startswith("Quotes by")  # the registry was used
        summary(
            "lookup_quotes per keystroke (full-text + registry)",
            per_keystroke(lambda t: lookup_quotes(store, t, LIMIT), queries),
            TARGET_MS,
        )
        summary(
            "   of which the full-text search (Store.search_quotes)",
            per_keystroke(lambda t: store.search_quotes(t, LIMIT), queries),
        )
        summary(
            "   of which the registry (named_people + people_quotes)",
            per_keystroke(lambda t: registry_part(store, t), queries),
        )
        summary("palette people per keystroke", per_keystroke(lambda t: palette(store, t), queries))


def registry_part(store: Store, typed: str) -> None:
    people, about = named_people(store, typed)
    if people:
        people_quotes(store, people, about, LIMIT)
