"""One connection interface for SQL written once and run on SQLite and PostgreSQL.

The people registry (and what else is shared logic, not storage) takes a ``Sql``: it writes
``?`` placeholders and the portable forms both engines accept, and asks the few named
helpers below where the two differ. Rows are read by column name or by position (and
unpack like tuples) on both.

Portable forms, accepted by SQLite (3.35 and later) and PostgreSQL alike:

- ``INSERT ... ON CONFLICT DO NOTHING`` (not ``INSERT OR IGNORE``); an ``INSERT ... SELECT``
  keeps a ``WHERE`` clause, or SQLite reads ``ON CONFLICT`` as part of a join;
- ``INSERT ... RETURNING id`` through ``insert_id`` (not ``cursor.lastrowid``);
- a subquery in ``FROM`` has an alias (PostgreSQL 15 requires one);
- ``ORDER BY x DESC NULLS LAST`` spelled out (PostgreSQL puts NULLs first when descending);
- ``CASE`` for the smaller or larger of two values (not SQLite's scalar ``min``/``max``).

Where they differ, one helper each: ``nocase`` (equal ignoring case), ``like`` (SQLite's
LIKE ignores ASCII case, PostgreSQL's does not), ``in_values`` (a list as one parameter),
``one_of`` (``IN (...)`` that may be empty), ``article_words`` (full-text: FTS5 or the
tsvector), ``json_list`` (an aggregate as JSON text), ``lock`` (serialise a kind of write:
SQLite writers are serialised already). What is each analyst's own on PostgreSQL (read,
starred, watch hits seen) is spelled by the module that owns it, with ``user``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgres"]


class Row(Protocol):
    """A row: ``r["name"]``, ``r[0]``, and ``a, b = r``."""

    def __getitem__(self, key: int | str, /) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...
    def __len__(self) -> int: ...


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class SqlStore(Protocol):
    """A store that lends its connection as a ``Sql``: both backends (``people_store``)."""

    def reading_sql(self) -> AbstractContextManager[Sql]: ...
    def writing_sql(self) -> AbstractContextManager[Sql]: ...


class Sql:
    """A connection (inside the caller's transaction for writes) and its dialect."""

    def __init__(self, conn: Any, dialect: Dialect, user: str = "") -> None:
        self.conn, self.dialect, self.user = conn, dialect, user

    @classmethod
    def of_sqlite(cls, conn: sqlite3.Connection) -> Sql:
        return cls(conn, "sqlite")

    @property
    def pg(self) -> bool:
        return self.dialect == "postgres"

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        if not self.pg:
            return self.conn.execute(sql, params)
        cur = self.conn.cursor(row_factory=_both_row)
        cur.execute(_to_pg(sql), _no_nul(params))
        return cur

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        if not self.pg:
            self.conn.executemany(sql, rows)
            return
        with self.conn.cursor() as cur:
            cur.executemany(_to_pg(sql), [_no_nul(r) for r in rows])

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row (None when there is none)."""
        row = self.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def insert_id(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run an ``INSERT ... RETURNING id``; the new row's id."""
        row = self.execute(sql, params).fetchone()
        assert row is not None, "an INSERT ... RETURNING id returned no row"
        return int(row[0])

    # -- where the dialects differ ------------------------------------------

    def nocase(self, column: str) -> str:
        """``column`` equals the next parameter, ignoring case."""
        return f"lower({column}) = lower(?)" if self.pg else f"{column} = ? COLLATE NOCASE"

    @property
    def like(self) -> str:
        """SQLite's LIKE, case-blind (for ASCII), as PostgreSQL spells it."""
        return "ILIKE" if self.pg else "LIKE"

    def in_values(self, column: str) -> str:
        """``column`` is one of a list given as one parameter (``values``)."""
        return f"{column} = ANY(?)" if self.pg else f"{column} IN (SELECT value FROM json_each(?))"

    def values(self, items: Sequence[Any]) -> Any:
        """The parameter for ``in_values``: an array, or JSON for SQLite's json_each."""
        return list(items) if self.pg else json.dumps(list(items))

    @staticmethod
    def one_of(column: str, n: int) -> str:
        """``column IN (?, ...)`` for ``n`` parameters; false for none (PostgreSQL
        refuses an empty ``IN ()``)."""
        return f"{column} IN ({','.join('?' * n)})" if n else "1 = 0"

    def article_words(self, words: str) -> tuple[str, str] | None:
        """``a.id`` of an article holding ``words`` (the search syntax of ``/``): the SQL
        and its parameter, through FTS5 or the tsvector; None when nothing is to be found."""
        if self.pg:
            from extract.store.pg_search import ts_query

            query = ts_query(words)
            return ("a.search @@ to_tsquery('briefing', ?)", query) if query else None
        from extract.store.search import fts_query

        query = fts_query(words)
        sql = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
        return (sql, query) if query else None

    def json_list(self, expr: str) -> str:
        """An aggregate: the values of ``expr`` as a JSON list, as text ("[]" for none)."""
        return f"coalesce(json_agg({expr}), '[]')::text" if self.pg else f"json_group_array({expr})"

    def lock(self, name: str) -> None:
        """Hold ``name`` until the transaction ends. PostgreSQL writers run at once: two
        fetches linking the same new name would each make a person. SQLite writers are one
        at a time already (``BEGIN IMMEDIATE``)."""
        if self.pg:
            self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"briefing:{name}",))


class PgRow(tuple[Any, ...]):
    """A PostgreSQL row read as SQLite's ``sqlite3.Row`` is: by name or position."""

    __slots__ = ()
    names: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)


def _both_row(cursor: Any) -> Any:
    """psycopg's row factory: rows of a class that knows this result's column names."""
    if cursor.description is None:
        return tuple
    return _row_class(tuple(c.name for c in cursor.description))


@lru_cache(maxsize=256)
def _row_class(columns: tuple[str, ...]) -> type[PgRow]:
    """One class per result shape (a query's columns), made once."""
    names = {name: i for i, name in enumerate(columns)}
    return type("Row", (PgRow,), {"__slots__": (), "names": names})


def _no_nul(params: Sequence[Any]) -> Sequence[Any]:
    """PostgreSQL text cannot hold NUL (SQLite's can): a name typed or pasted with one is
    looked up and stored without it, as ``PgStore`` stores text."""
    if not any(isinstance(p, str) and "\x00" in p for p in params):
        return params
    return [p.replace("\x00", "") if isinstance(p, str) else p for p in params]


@lru_cache(maxsize=512)
def _to_pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (a literal ``%`` doubled). The SQL is ours:
    no ``?`` or ``%`` inside a quoted string literal in it."""
    return sql.replace("%", "%%").replace("?", "%s")
