"""Reaching the PostgreSQL store: connect, say clearly what is wrong, migrate a new database.

Every failure is a ``StoreError`` naming the key the URL came from (``[store] url`` or
``BRIEFING_STORE_URL``), the server and database (never the password), and what to do.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import dict_row

from extract.errors import StoreError
from extract.store.pg_migrations import (
    PEOPLE_VERSION,
    PG_MIGRATIONS,
    PREPARE_CONFIG,
    PREPARE_MAPPING,
    PREPARE_UNACCENT,
)

CONNECT_TIMEOUT = 10  # seconds: an unreachable server is reported, not waited on forever
_MIGRATION_LOCK = 0x42F1  # pg_advisory_xact_lock key: one process migrates at a time
URL_FORM = "postgresql://USER:PASSWORD@HOST:5432/DATABASE"


def run_id() -> str:
    """This process, as it names itself in a feed's claim."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def describe_url(url: str) -> str:
    """``host:port/database`` (no user, no password), for messages."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(unreadable URL)"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


def connect_checked(url: str, key: str) -> psycopg.Connection[Any]:
    """A connection to an up-to-date Briefing database, or a StoreError saying why not."""
    try:
        conninfo_to_dict(url)
        conn = psycopg.connect(url, connect_timeout=CONNECT_TIMEOUT, row_factory=dict_row)
    except psycopg.ProgrammingError as exc:
        raise StoreError(
            f"{key}: the PostgreSQL URL cannot be read: {_line(exc)}", f"write it as {URL_FORM}"
        ) from None
    except psycopg.OperationalError as exc:
        raise _connect_error(exc, describe_url(url), key) from None
    try:
        migrate(conn, describe_url(url), key)
    except BaseException:
        conn.close()
        raise
    return conn


def _connect_error(exc: psycopg.OperationalError, where: str, key: str) -> StoreError:
    text = str(exc)
    if "password authentication failed" in text or "no password supplied" in text:
        return StoreError(
            f"{key}: PostgreSQL at {where} refused the user or password",
            "check the user and password in the URL (or PGPASSWORD, ~/.pgpass)",
        )
    if "does not exist" in text and "database" in text:
        name = where.rsplit("/", 1)[-1]
        return StoreError(
            f"{key}: there is no database {name!r} at {where}",
            f"create it (`createdb {name}`) or correct the name in the URL",
        )
    return StoreError(
        f"{key}: cannot reach PostgreSQL at {where}: {_line(exc)}",
        "is the server running, and are the host and port in the URL right? "
        "Remove the URL to use the local SQLite file instead",
    )


def migrate(conn: psycopg.Connection[Any], where: str, key: str) -> None:
    """Bring the database to ``len(PG_MIGRATIONS)``, each migration in one transaction with
    the version; one process at a time (an advisory lock), as SQLite's BEGIN IMMEDIATE."""
    target = len(PG_MIGRATIONS)
    version = _version(conn, where, key)
    if version == target:
        return
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
        version = _version(conn, where, key)  # another process may have done it meanwhile
        if version == 0:
            _prepare(conn)
        for number in range(version, target):
            conn.execute(PG_MIGRATIONS[number].encode())
            _fill(conn, number + 1)
        conn.execute("UPDATE briefing_schema SET version = %s", (target,))


def _fill(conn: psycopg.Connection[Any], version: int) -> None:
    """The Python part of a migration, in its transaction (as ``connection._fill``)."""
    if version == PEOPLE_VERSION:  # a store of articles from before: link their people
        from extract.store.people import link_all
        from extract.store.sqlx import Sql

        link_all(Sql(conn, "postgres"))


def _version(conn: psycopg.Connection[Any], where: str, key: str) -> int:
    with conn.transaction():
        # One query over the catalog (an MVCC snapshot): to_regclass may miss a table that
        # another process's migration committed while we waited for the lock.
        tables = conn.execute(
            "SELECT count(*) FILTER (WHERE table_name = 'briefing_schema') AS ours, "
            "count(*) AS n FROM information_schema.tables "
            "WHERE table_schema = current_schema()"
        ).fetchone()
        assert tables is not None
        if not tables["ours"]:
            if tables["n"]:
                raise StoreError(
                    f"{key}: the database {where} holds {tables['n']} tables that are not "
                    "a Briefing store",
                    "give Briefing an empty database of its own (`createdb briefing`)",
                )
            return 0
        row = conn.execute("SELECT version FROM briefing_schema").fetchone()
    version = int(row["version"]) if row else 0
    if version > len(PG_MIGRATIONS):
        raise StoreError(
            f"{key}: the database {where} was written by a newer Briefing (schema {version}, "
            f"this one knows {len(PG_MIGRATIONS)})",
            "upgrade Briefing on this machine; the database was not changed",
        )
    return version


def _prepare(conn: psycopg.Connection[Any]) -> None:
    """The version table and the ``briefing`` text search configuration (with unaccent
    when the server has it and lets us install it)."""
    conn.execute("CREATE TABLE IF NOT EXISTS briefing_schema (version INTEGER NOT NULL)")
    if conn.execute("SELECT count(*) AS n FROM briefing_schema").fetchone() == {"n": 0}:
        conn.execute("INSERT INTO briefing_schema (version) VALUES (0)")
    try:
        with conn.transaction():  # a savepoint: its failure leaves the rest
            conn.execute(PREPARE_UNACCENT)
        unaccent = True
    except psycopg.Error:
        unaccent = False
    exists = conn.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'briefing'").fetchone()
    if exists is None:
        conn.execute(PREPARE_CONFIG)
        if unaccent:
            conn.execute(PREPARE_MAPPING)


def _line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
