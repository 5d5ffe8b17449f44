"""Opening the SQLite file: WAL, a busy timeout, foreign keys, migrations with a backup.

Two processes (the app and a cron ``briefing fetch``) may use one store at
once: WAL lets readers go on while one writer writes, and a writer waits up to
``BUSY_TIMEOUT_MS`` for the lock instead of failing.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from extract.errors import StoreError
from extract.store.migrations import MIGRATIONS

BUSY_TIMEOUT_MS = 15_000


class StoreDamaged(StoreError):
    """The store fails its check; the message says what is wrong, the hint what to do."""

    def __init__(self, path: Path, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"the store {path} is damaged: {detail}", damaged_hint(path))


def damaged_hint(path: Path) -> str:
    pattern = f"{glob.escape(path.name)}.v*.bak"
    backups = sorted(path.parent.glob(pattern)) if path.parent.is_dir() else []
    restore = (
        f"restore the backup made before the last upgrade ({backups[-1]}), or " if backups else ""
    )
    return (
        f"nothing was written to it. To see what is wrong: `briefing store check --store "
        f"{path}` (or `sqlite3 {path} 'PRAGMA integrity_check'`). To recover: {restore}"
        "move the file aside and run `briefing fetch` to start a new store."
    )


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the store at ``path``, created and migrated as needed."""
    if not readonly:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for the store {path}: {exc}") from None
    elif not path.exists():
        raise StoreError(f"no store at {path}")
    from extract.store.check import check_file, check_schema

    damage = check_file(path) if path.is_file() else None
    if damage:
        raise StoreDamaged(path, damage)
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path, readonly)
        damage = check_schema(conn)  # before migrating: a negative version would run them all
        if damage:
            raise StoreDamaged(path, damage)
        _migrate(conn, path, readonly)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        if is_damage(exc):
            raise StoreDamaged(path, str(exc)) from None
        raise StoreError(f"cannot open the store {path}: {exc}") from None
    except StoreError:
        if conn is not None:
            conn.close()
        raise
    return conn


def can_write(path: Path) -> bool:
    """Whether this process may write the store: the file, and its folder (SQLite puts
    the -wal and -shm files beside it). A store that exists but cannot be written is
    still read, opened read-only."""
    if not path.exists():
        return True  # it will be created (or the folder error said as such)
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def is_damage(exc: BaseException) -> bool:
    """SQLite's word for a damaged file (not a locked, full or read-only one)."""
    return isinstance(exc, sqlite3.DatabaseError) and any(
        words in str(exc) for words in ("malformed", "not a database", "corrupt")
    )


def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
    # as_uri() escapes '#', '?' and '%', which SQLite would read as URI syntax.
    uri = path.absolute().as_uri() + ("?mode=ro" if readonly else "")
    if readonly and not os.access(path.parent, os.W_OK) and not _beside(path, "-shm").exists():
        # A WAL reader needs the -shm file, which SQLite cannot make in a folder we may not
        # write ("attempt to write a readonly database"). No -shm: no one has the store
        # open, and only someone who may write the folder could start to; read it as is.
        uri += "&immutable=1"
    conn = sqlite3.connect(
        uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not readonly:
        _set_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _set_wal(conn: sqlite3.Connection) -> None:
    """WAL mode, waiting as a busy timeout would: on a new store, switching while
    another process does the same fails at once with "database is locked"."""
    for _ in range(BUSY_TIMEOUT_MS // 50):
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.05)
    conn.execute("PRAGMA journal_mode = WAL")


def _migrate(conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    target = len(MIGRATIONS)
    if version > target:
        raise StoreError(
            f"the store {path} was written by a newer Briefing (schema {version}, "
            f"this one knows {target}); upgrade Briefing"
        )
    if version == target:
        return
    if readonly:
        raise StoreError(f"the store {path} needs an upgrade, but it is read-only")
    if version > 0:
        backup_store(conn, path, version)
    for number in range(version, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process (the app and a fetch starting together) may have
            # applied it while we waited for the write lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] > number:
                conn.execute("COMMIT")
                continue
            for statement in _statements(MIGRATIONS[number]):
                conn.execute(statement)
            _fill(conn, number + 1)
            conn.execute(f"PRAGMA user_version = {number + 1}")
            conn.execute("COMMIT")
        except BaseException:
            rollback(conn)
            raise


def _fill(conn: sqlite3.Connection, version: int) -> None:
    """The Python part of a migration: filling new tables from what the store holds,
    in the migration's own transaction."""
    if version == 5:  # the people registry, linked from the stored quotes and entities
        from extract.store.people import link_all
        from extract.store.sqlx import Sql

        link_all(Sql.of_sqlite(conn))


def rollback(conn: sqlite3.Connection) -> None:
    """Roll back, if SQLite has not already: after SQLITE_FULL or an I/O error it
    may have, and a second ROLLBACK would hide the real error behind its own."""
    if conn.in_transaction:
        # The original error is what the user needs to see.
        with contextlib.suppress(sqlite3.OperationalError):
            conn.execute("ROLLBACK")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements so it runs inside one transaction.

    ``executescript`` would commit first; triggers hold ``;`` inside BEGIN..END,
    so statements are cut where sqlite3 says one is complete.
    """
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                yield buffer.strip()
            buffer = ""


def backup_store(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the store aside before a migration: ``briefing.sqlite3.v1.bak``."""
    target = path.with_name(f"{path.name}.v{version}.bak")
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target
