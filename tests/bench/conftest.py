"""Benchmark fixtures: a big generated store, built once per session and size.

``make bench`` runs ``pytest -q -s tests/bench``. Benchmark files are named
``bench_*.py`` (so ``make test`` never runs them); the hook below collects them
when this folder is given to pytest. They print figures and targets; only
correctness is asserted, never wall time (the machine may be busy).

Sizes: ``BENCH_ARTICLES`` (default 10000) and ``BENCH_QUOTES`` (default 100000).
``BENCH_STORE=PATH``: use that store (made by ``gen_store``) as the big one instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bench.gen_store import generate

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
QUOTES = int(os.environ.get("BENCH_QUOTES", "100000"))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    # A file named on the command line is collected by pytest itself.
    if (
        file_path.suffix == ".py"
        and file_path.name.startswith("bench_")
        and not parent.session.isinitpath(file_path)
    ):
        return pytest.Module.from_parent(parent, path=file_path)
    return None


_built: dict[tuple[int, int], Path] = {}


@pytest.fixture(scope="session")
def store_of_size(tmp_path_factory: pytest.TempPathFactory) -> Callable[[int, int], Path]:
    """``store_of_size(articles, quotes)``: the path of a generated store, built once."""

    def build(articles: int, quotes: int) -> Path:
        key = (articles, quotes)
        if key not in _built:
            path = tmp_path_factory.mktemp("stores") / f"bench-{articles}-{quotes}.sqlite3"
            info = generate(path, articles, quotes)
            print(
                f"\n[gen_store] {articles} articles, {info['quotes']} quotes, "
                f"{info['entities']} entities: {info['bytes'] / 1e6:.0f} MB written in "
                f"{info['seconds']:.1f} s  (python -m tests.bench.gen_store PATH "
                f"--articles {articles} --quotes {quotes})"
            )
            _built[key] = path
        return _built[key]

    return build


@pytest.fixture(scope="session")
def big_store(store_of_size: Callable[[int, int], Path]) -> Path:
    """The benchmark store: 10,000 articles and 100,000 quotes unless overridden."""
    given = os.environ.get("BENCH_STORE")
    return Path(given) if given else store_of_size(ARTICLES, QUOTES)
