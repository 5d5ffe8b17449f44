"""The people registry on SQLite and PostgreSQL side by side: storing an article with its
people linked (the ingest's write), and the person reads the app and CLI make.

    .venv/bin/pytest -s tests/bench/bench_pg_people.py   (BENCH_PEOPLE_ARTICLES=400)

Generated articles, three speakers and two named people each, from a pool of names with
spelling variants and shared surnames (so the linking rules do their work). The server is
the tests' throwaway cluster (fsync off). Figures are printed, never asserted.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path

from extract.store import StoreApi, open_pg, open_store
from tests.helpers import postgres
from tests.helpers.people import add

ARTICLES = int(os.environ.get("BENCH_PEOPLE_ARTICLES", "400"))
GIVEN = ["Anna", "Ben", "Carla", "David", "Elena", "Frank", "Grace", "Hugo", "Ines", "Jonas"]
SURNAMES = ["Smith", "Novak", "Garcia", "Kowalski", "Muller", "Rossi", "Zelensky", "Tanaka"]
ROUNDS = 30


def _names(rng: random.Random) -> list[str]:
    pool = [f"{g} {s}" for g in GIVEN for s in SURNAMES]
    pool += [f"Mr. {s}" for s in SURNAMES] + ["Zelenskiy", "Anna Zelenskyy", "the mayor"]
    return [rng.choice(pool) for _ in range(5)]


def _p(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _store_all(store: StoreApi) -> list[float]:
    rng = random.Random(7)
    took = []
    for n in range(ARTICLES):
        names = _names(rng)
        day = f"2024-{1 + n // 28 % 12:02d}-{1 + n % 28:02d}"
        started = time.perf_counter()
        add(store, day, names[:3], people=tuple(names[3:]), source=f"Outlet {n % 7}")
        took.append((time.perf_counter() - started) * 1000)
    return took


def _reads(store: StoreApi) -> dict[str, tuple[float, float]]:
    kinds: dict[str, Callable[[int], object]] = {
        "people (list of 200)": lambda n: store.people(limit=200),
        "find_people (surname)": lambda n: store.find_people(SURNAMES[n % len(SURNAMES)]),
        "people_containing": lambda n: store.people_containing(GIVEN[n % len(GIVEN)][:2]),
        "person_profile": lambda n: store.person_profile(1 + n % 20),
    }
    out = {}
    for name, read in kinds.items():
        times = []
        for n in range(ROUNDS):
            started = time.perf_counter()
            read(n)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = (_p(times, 50), _p(times, 95))
    return out


def test_people_side_by_side(tmp_path: Path, pg_cluster: postgres.Cluster) -> None:
    stores: dict[str, Callable[[], StoreApi]] = {
        "sqlite": lambda: open_store(tmp_path / "people.sqlite3"),
        "postgres": lambda: open_pg(pg_cluster.fresh_database(), "bench"),
    }
    figures = {}
    for backend, opener in stores.items():
        with opener() as store:
            writes = _store_all(store)
            people = len(store.people(limit=100000))
            figures[backend] = (writes, people, _reads(store))
    print(f"\n[people] {ARTICLES} articles, 3 speakers + 2 named people each")
    for backend, (writes, people, reads) in figures.items():
        print(
            f"[people] {backend:8} store+link an article: p50 {_p(writes, 50):.1f} ms, "
            f"p95 {_p(writes, 95):.1f} ms; {people} people"
        )
        for name, (p50, p95) in reads.items():
            print(f"[people] {backend:8} {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    assert figures["sqlite"][1] == figures["postgres"][1], "the two backends link differently"
