"""``briefing store copy``: every feed, article, entity and quote from one store into
another, SQLite to PostgreSQL or back, ids kept; checked by counts and a sample compare.

The target must be empty (a copy never merges). Read and starred go with the analyst who
copies: SQLite's columns become their rows of ``article_state`` on PostgreSQL, and theirs
become the columns on the way back. The people registry (people, aliases, blocked names,
the corrections, each quote's and entity's person) is copied as it is, ids kept, so the
analysts' corrections go with it. Watchlist hits go too, with which of them the analyst
who copies has seen (as read and starred).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.errors import StoreError

# The columns both schemas have, per table, in copy order (parents first).
TABLES: dict[str, tuple[str, ...]] = {
    "feeds": (
        "id", "name", "url", "tags", "title", "etag", "last_modified", "last_status",
        "last_error", "checked_at",
    ),
    "articles": (
        "id", "url", "canonical_url", "title", "author", "published", "source", "text",
        "html_zlib", "text_status", "text_reason", "summary", "language", "content_hash",
        "cleaned_with", "analysed_with", "analysis_skipped", "quote_count", "content_type",
        "added_at",
    ),
    "article_feeds": ("article_id", "feed_id", "guid"),
    "people": ("id", "name", "kind", "renamed", "first_seen", "last_seen", "created_at"),
    "person_aliases": (
        "id", "person_id", "alias", "key", "given", "surname_key", "why", "article_id",
        "added_at",
    ),
    "person_blocks": ("person_id", "key"),
    "person_overrides": ("id", "action", "detail", "person_id", "created_at"),
    "entities": (
        "id", "article_id", "label", "text", "canonical", "role", "start", "end", "person_id",
    ),
    "quotes": (
        "id", "article_id", "kind", "text", "spans", "speaker", "speaker_mention",
        "speaker_start", "speaker_end", "role", "cue", "resolution", "sentence_start",
        "sentence_end", "person_id",
    ),
    "watch_hits": ("id", "watch", "article_id", "quote_id", "matched", "found_at"),
    "watch_state": ("watch", "last_article_id"),
}  # fmt: skip
SERIAL_TABLES = (
    "feeds", "articles", "entities", "quotes", "people", "person_aliases", "person_overrides",
    "watch_hits",
)  # fmt: skip
SAMPLE = 25  # articles compared field by field after the copy
BATCH = 2000


@dataclass
class CopyReport:
    counts: dict[str, int] = field(default_factory=dict)  # rows per table, in both stores
    state: int = 0  # articles with read or starred state carried over
    seen: int = 0  # watch hits the copying analyst had seen, carried over
    sampled: int = 0


class _Side:
    """One store, as rows of its tables."""

    def rows(self, table: str, columns: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def count(self, table: str) -> int:
        raise NotImplementedError

    def state(self, user: str) -> list[tuple[int, bool, bool]]:
        raise NotImplementedError

    def write(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def write_state(self, user: str, state: list[tuple[int, bool, bool]]) -> None:
        raise NotImplementedError

    def seen(self, user: str) -> list[int]:
        """The ids of the watch hits ``user`` has seen."""
        raise NotImplementedError

    def write_seen(self, user: str, ids: list[int]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        raise NotImplementedError

    def sample(self, article_id: int) -> tuple[Any, ...]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def _cols(columns: tuple[str, ...]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


class _SqliteSide(_Side):
    def __init__(self, path: Path) -> None:
        from extract.store.sqlite import open_store

        self.store = open_store(path)
        self.conn = self.store.conn

    def rows(self, table: str, columns: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        yield from (tuple(r) for r in self.conn.execute(f"SELECT {_cols(columns)} FROM {table}"))

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def state(self, user: str) -> list[tuple[int, bool, bool]]:
        rows = self.conn.execute(
            "SELECT id, read, starred FROM articles WHERE read != 0 OR starred != 0"
        )
        return [(r[0], bool(r[1]), bool(r[2])) for r in rows]

    def write(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> None:
        marks = ",".join("?" * len(columns))
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(f"INSERT INTO {table} ({_cols(columns)}) VALUES ({marks})", rows)
        self.conn.execute("COMMIT")

    def write_state(self, user: str, state: list[tuple[int, bool, bool]]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany(
            "UPDATE articles SET read = ?, starred = ? WHERE id = ?",
            [(int(r), int(s), i) for i, r, s in state],
        )
        self.conn.execute("COMMIT")

    def seen(self, user: str) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM watch_hits WHERE seen != 0")]

    def write_seen(self, user: str, ids: list[int]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.executemany("UPDATE watch_hits SET seen = 1 WHERE id = ?", [(i,) for i in ids])
        self.conn.execute("COMMIT")

    def finish(self) -> None:
        pass  # the people registry came with the rows

    def sample(self, article_id: int) -> tuple[Any, ...]:
        a = self.conn.execute(
            "SELECT title, text, published, canonical_url FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        quotes = [
            tuple(r)
            for r in self.conn.execute(
                "SELECT text, speaker, spans FROM quotes WHERE article_id = ? ORDER BY id",
                (article_id,),
            )
        ]
        return (tuple(a) if a else None, quotes)

    def close(self) -> None:
        self.store.close()


class _PgSide(_Side):
    def __init__(self, url: str, key: str) -> None:
        from extract.store.pg_connect import connect_checked

        self.conn = connect_checked(url, key)
        self.conn.autocommit = True

    def rows(self, table: str, columns: tuple[str, ...]) -> Iterator[tuple[Any, ...]]:
        with (
            self.conn.transaction(),
            self.conn.cursor(name=f"copy_{table}", row_factory=_tuple_row) as cur,
        ):
            cur.execute(f"SELECT {_cols(columns)} FROM {table}")
            while batch := cur.fetchmany(BATCH):
                yield from batch

    def count(self, table: str) -> int:
        row = self.conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()
        return int(row["n"]) if row else 0

    def state(self, user: str) -> list[tuple[int, bool, bool]]:
        rows = self.conn.execute(
            "SELECT article_id, read, starred FROM article_state WHERE user_name = %s "
            "AND (read OR starred)",
            (user,),
        ).fetchall()
        return [(r["article_id"], r["read"], r["starred"]) for r in rows]

    def write(self, table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> None:
        sql = f"COPY {table} ({_cols(columns)}) FROM STDIN"
        with self.conn.transaction(), self.conn.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(_no_nul(row))

    def write_state(self, user: str, state: list[tuple[int, bool, bool]]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO article_state (user_name, article_id, read, starred) "
                "VALUES (%s, %s, %s, %s)",
                [(user, i, r, s) for i, r, s in state],
            )

    def seen(self, user: str) -> list[int]:
        rows = self.conn.execute(
            "SELECT hit_id FROM watch_seen WHERE user_name = %s ORDER BY hit_id", (user,)
        ).fetchall()
        return [r["hit_id"] for r in rows]

    def write_seen(self, user: str, ids: list[int]) -> None:
        with self.conn.transaction(), self.conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO watch_seen (user_name, hit_id) VALUES (%s, %s)",
                [(user, i) for i in ids],
            )

    def finish(self) -> None:
        for table in SERIAL_TABLES:  # ids went in as they were
            self.conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            )
        self.conn.execute("ANALYZE")  # planner statistics for the bulk of rows just copied

    def sample(self, article_id: int) -> tuple[Any, ...]:
        a = self.conn.execute(
            "SELECT title, text, published, canonical_url FROM articles WHERE id = %s",
            (article_id,),
        ).fetchone()
        quotes = self.conn.execute(
            "SELECT text, speaker, spans FROM quotes WHERE article_id = %s ORDER BY id",
            (article_id,),
        ).fetchall()
        return (
            tuple(a.values()) if a else None,
            [tuple(q.values()) for q in quotes],
        )

    def close(self) -> None:
        self.conn.close()


def _tuple_row(cursor: Any) -> Any:
    from psycopg.rows import tuple_row

    return tuple_row(cursor)


def _no_nul(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """PostgreSQL text holds no NUL (SQLite's may): dropped, as ``PgStore`` does."""
    return tuple(v.replace("\x00", "") if isinstance(v, str) else v for v in row)


def is_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def _open(target: str, key: str) -> _Side:
    if is_url(target):
        return _PgSide(target, key)
    return _SqliteSide(Path(target).expanduser())


def copy_store(source: str, target: str, user: str, *, source_key: str = "source") -> CopyReport:
    """Copy ``source`` (a SQLite path or a PostgreSQL URL) into the empty ``target``."""
    if not is_url(source) and not Path(source).expanduser().is_file():
        raise StoreError(f"no store at {source}")
    src = _open(source, source_key)
    try:
        dst = _open(target, "--to")
        try:
            return _copy(src, dst, user, target)
        finally:
            dst.close()
    finally:
        src.close()


def _copy(src: _Side, dst: _Side, user: str, target: str) -> CopyReport:
    if any(dst.count(t) for t in ("feeds", "articles")):
        raise StoreError(
            f"--to: {_shown(target)} already holds a briefing; a copy goes into an empty one",
            "name a new file, or an empty database (`createdb NAME`)",
        )
    report = CopyReport()
    for table, columns in TABLES.items():
        dst.write(table, columns, src.rows(table, columns))
        report.counts[table] = src.count(table)
        copied = dst.count(table)
        if copied != report.counts[table]:
            raise StoreError(f"copy: {table} has {report.counts[table]} rows, the copy {copied}")
    state = src.state(user)
    dst.write_state(user, state)
    report.state = len(state)
    seen = src.seen(user)
    dst.write_seen(user, seen)
    report.seen = len(seen)
    dst.finish()
    ids = [r[0] for r in src.rows("articles", ("id",))]
    for article_id in random.Random(0).sample(ids, min(SAMPLE, len(ids))):
        if _normal(src.sample(article_id)) != _normal(dst.sample(article_id)):
            raise StoreError(f"copy: article {article_id} differs in the copy")
        report.sampled += 1
    return report


def _normal(sample: tuple[Any, ...]) -> Any:
    return repr(_no_nul(sample[0]) if sample[0] else None) + repr([_no_nul(q) for q in sample[1]])


def _shown(target: str) -> str:
    from extract.store.pg_connect import describe_url

    return describe_url(target) if is_url(target) else target
