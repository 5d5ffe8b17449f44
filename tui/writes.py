"""The app's writes to the store (read, starred), off the UI thread.

A write may wait for the write lock (a ``briefing fetch`` from cron is storing
an article) up to the busy timeout, and may fail (``StoreError``: locked too
long, disk full, read-only file). Neither may freeze or crash the UI, so every
write runs on one thread of its own, with its own connection (a ``Store`` is
used by one thread at a time), in the order the keys were pressed. The
caller awaits the result on the UI loop and re-reads what was stored.

On PostgreSQL the writer thread uses the app's own ``PgStore`` (a connection pool, safe
to share between threads): a write there waits for a row lock, not for the whole store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from extract.store import BUSY_TIMEOUT_MS, StoreApi, open_store

T = TypeVar("T")

WRITE_TIMEOUT = BUSY_TIMEOUT_MS / 1000  # seconds a write waits for another writer


class StoreWriter:
    """Runs ``write(store)`` calls one after another on a writer thread."""

    def __init__(
        self, path: Path | None, timeout: float = WRITE_TIMEOUT, *, shared: StoreApi | None = None
    ) -> None:
        """Writes to the SQLite file at ``path`` on a connection of the writer's own, or
        through ``shared``, a store safe to use from any thread (PostgreSQL's pool)."""
        self.path, self.timeout = path, timeout
        self._executor: ThreadPoolExecutor | None = None
        self._store: StoreApi | None = shared  # opened, and only used, on the writer thread
        self._owned = shared is None  # closed here; a shared store is its owner's to close
        self._refused: Exception | None = None  # set when the store is found damaged

    def refuse(self, error: Exception) -> None:
        """Refuse every write from now on with ``error`` (a damaged store)."""
        self._refused = error

    async def run(self, write: Callable[[StoreApi], T]) -> T:
        """``write`` applied to the writer's store; its exceptions (``StoreError``) propagate."""
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="briefing-writer")
        return await asyncio.wrap_future(self._executor.submit(self._apply, write))

    def _apply(self, write: Callable[[StoreApi], T]) -> T:
        if self._refused is not None:
            raise self._refused
        if self._store is None:
            assert self.path is not None  # a writer without a shared store has a file
            store = open_store(self.path)
            store.conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")
            self._store = store
        return write(self._store)

    def close(self) -> None:
        """Close the connection once the writes already asked for are done."""
        if self._executor is not None:
            self._executor.submit(self._close_store)
            # A shared store is closed by its owner right after: its writes finish first.
            self._executor.shutdown(wait=not self._owned)
            self._executor = None

    def _close_store(self) -> None:
        if self._store is not None and self._owned:
            self._store.close()
            self._store = None
