"""One test, both store backends: a real SQLite file and a real PostgreSQL 15 database (a
fresh copy of the migrated template on the run's shared throwaway server).

The fixtures (``tests/conftest.py``) are parametrised over ``BACKENDS``:

* ``backend``: an opened ``StoreApi`` on a fresh store, closed after the test;
* ``store_target``: where that store is, for a second connection (``open()``), a real
  ``briefing fetch`` process (``config_section()`` for its config.toml, ``env()``), plain
  SQL reads (``rows()``) and the check that nothing is half-written (``problems()``);
* ``new_store``: makes more fresh stores of the same backend (``new_store(folder)``), for
  a test that needs several (the kill test's lanes).

A test id ends in ``[sqlite]`` or ``[postgres]``; ``-m "not postgres"`` leaves the second out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.store import StoreApi, open_pg, open_store
from tests.helpers.hardening import row_problems, store_problems

BACKENDS = ("sqlite", "postgres")


@dataclass(frozen=True)
class StoreTarget:
    """A fresh store on one backend: the SQLite file ``path``, or the database at ``url``."""

    kind: str
    path: Path
    url: str | None = None

    def open(self, user: str = "ann") -> StoreApi:
        """A new connection (pool) to the store; the caller closes it."""
        if self.url is None:
            return open_store(self.path)
        return open_pg(self.url, user)

    def config_section(self) -> str:
        """The ``[store]`` section of a config.toml that points a process at the store."""
        if self.url is None:
            return f'[store]\npath = "{self.path}"\n'
        return f'[store]\nurl = "{self.url}"\n'

    def env(self) -> dict[str, str]:
        """Environment for a ``briefing`` process (the URL wins over any config)."""
        return {"BRIEFING_STORE_URL": self.url} if self.url else {}

    def rows(self, sql: str) -> list[Any]:
        """A read in plain SQL (written to mean the same on both), on a connection of its
        own: what is in the store, not what a store object believes."""
        if self.url is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
            try:
                return conn.execute(sql).fetchall()
            finally:
                conn.close()
        import psycopg

        with psycopg.connect(self.url) as pg:
            return pg.execute(sql).fetchall()  # type: ignore[arg-type]  # test-made SQL

    def problems(self) -> list[str]:
        """Everything a crash left half-written; [] when the store is whole (SQLite: also
        its integrity, foreign keys and search index, ``store_problems``)."""
        if self.url is None:
            return store_problems(self.path) if self.path.exists() else []
        return row_problems(self.rows)


@dataclass(frozen=True)
class NewStore:
    """The ``new_store`` fixture: ``new_store(folder)`` is a fresh store of ``kind``."""

    kind: str
    make: Callable[[Path], StoreTarget]

    def __call__(self, folder: Path) -> StoreTarget:
        return self.make(folder)
