"""Fixtures of the app tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.store import Store, StoreApi, open_pg
from tests.helpers.storefactory import build_store, fill

ANALYST = "ann"  # whose read and starred state the app on PostgreSQL shows


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreApi]:
    """The factory's briefing in a SQLite file, and on a real PostgreSQL server (a fresh
    database of the throwaway cluster), read as analyst ``ANALYST``."""
    if request.param == "sqlite":
        store: StoreApi = build_store(tmp_path / "briefing.sqlite3")
    else:
        store = open_pg(request.getfixturevalue("pg_url"), ANALYST)
        fill(store)
    try:
        yield store
    finally:
        store.close()
