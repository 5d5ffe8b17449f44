"""One test, both store backends: a real SQLite file and a real PostgreSQL 15 database (a
fresh copy of the migrated template on the run's shared throwaway server).

The fixtures (``tests/conftest.py``) are parametrised over ``BACKENDS``:

* ``backend``: an opened ``StoreApi`` on a fresh store, closed after the test;
* ``store_target``: where that store is, for a second connection (``open()``) or a real
  ``briefing fetch`` process (``config_section()`` for its config.toml, ``env()``).

A test id ends in ``[sqlite]`` or ``[postgres]``; ``-m "not postgres"`` leaves the second out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extract.store import StoreApi, open_pg, open_store

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
