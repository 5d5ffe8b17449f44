"""The PostgreSQL store: the same reads and writes as ``sqlite.Store``, for a team.

Shared: feeds, articles, entities, quotes, the people registry and its corrections, watch
hits. Each analyst's own (``[user] name``): read and starred; which watch hits are seen.
The people and watchlist logic is the SQLite store's own code (``people_store``,
``watches``), run over ``sqlx.Sql``.

A connection pool (psycopg_pool) serves the threads of one process; every write
is one transaction, so a killed fetch leaves no half-stored article. Fetch processes on
several machines share the feeds: ``claim_feed`` takes a feed with ``FOR UPDATE SKIP
LOCKED``, and a feed claimed by a run that overlaps this one is left to it.
"""

from __future__ import annotations

import json
import logging
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from extract.errors import StoreError
from extract.models import Analysis, Entity, Quote
from extract.store.api import DuplicateArticle
from extract.store.people import link_article
from extract.store.people_store import PeopleMethods
from extract.store.pg_connect import connect_checked, describe_url, run_id
from extract.store.pg_search import ARTICLES, QUOTES, ranked, ts_query
from extract.store.records import (
    Article,
    ArticleFilter,
    ArticleRow,
    FeedRow,
    NewArticle,
    PageSource,
    RowKey,
    StoredQuote,
    stored_page,
    utc_now,
)
from extract.store.rows import article_row, feed_row, quote_of, stored_quote
from extract.store.sqlx import Sql

CLAIM_LOCKS = 0x42F2  # the first key of the advisory locks held on feeds being polled
_ROW = (
    "a.id, a.title, a.published, a.source, a.quote_count, a.text_status, "
    "coalesce(s.read, false) AS read, coalesce(s.starred, false) AS starred"
)
_STATE = "LEFT JOIN article_state s ON s.article_id = a.id AND s.user_name = %(user)s"
_QUOTE_COLUMNS = (
    "q.id, q.article_id, q.kind, q.text, q.spans, q.speaker, q.speaker_mention, "
    "q.speaker_start, q.speaker_end, q.role, q.cue, q.resolution, q.sentence_start, "
    "q.sentence_end, a.title AS a_title, a.source AS a_source, a.published AS a_published, "
    "a.url AS a_url, (SELECT min(f.name) FROM article_feeds af JOIN feeds f "
    "ON f.id = af.feed_id WHERE af.article_id = a.id) AS a_feed"
)


DOWN_WAIT = 0.5  # seconds a read waits for a connection while the server is known gone


def open_pg_store(url: str, user: str, *, key: str = "[store] url", wait: float = 30.0) -> PgStore:
    """Connect (checking the server, the password and the schema version, migrating a new
    database), then open a pool. ``key`` names where the URL came from, for messages;
    ``wait``: seconds a read or write waits for a connection (the server gone) before
    ``StoreError`` says the store was lost."""
    # The pool logs each dead connection it drops and each failed reconnect; the user gets
    # one StoreError saying the server was lost instead.
    logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)
    with connect_checked(url, key) as first:
        started = first.execute("SELECT now() AS now").fetchone()
    assert started is not None
    pool = ConnectionPool(
        url,
        min_size=1,
        max_size=8,
        kwargs={"row_factory": dict_row, "connect_timeout": 10},
        open=False,
        name="briefing",
        timeout=wait,
    )
    pool.open(wait=True, timeout=15)
    return PgStore(pool, describe_url(url), user, started["now"], url)


class PgStore(PeopleMethods):
    """All reads and writes on PostgreSQL; safe to share between threads (one pool)."""

    def __init__(self, pool: ConnectionPool, where: str, user: str, started: Any, url: str) -> None:
        self.pool, self._where, self.user, self.started = pool, where, user, started
        self.run = run_id()
        self.url = url
        self._claims: psycopg.Connection[Any] | None = None  # holds this run's feed locks
        self.readonly = False
        self.skipped: list[str] = []
        self.down = False  # the last try found no server: the next ones fail fast

    @property
    def where(self) -> str:
        return self._where

    def close(self) -> None:
        if self._claims is not None:
            self._claims.close()  # its advisory locks go with it
        self.pool.close()

    def __enter__(self) -> PgStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction; all or nothing (the pool commits, or rolls back on an error).

        Once the server is found gone, a read waits ``DOWN_WAIT`` for a connection instead
        of the pool's whole timeout: the app reads on its UI thread, and each of its reads
        must not freeze it for seconds. The pool keeps reconnecting meanwhile, so the first
        read after the server is back succeeds and ends that."""
        try:
            with self.pool.connection(timeout=DOWN_WAIT if self.down else None) as conn:
                self.down = False
                yield conn
        except pg_errors.OperationalError as exc:  # PoolTimeout is one too
            self.down = True
            raise StoreError(
                f"lost the PostgreSQL store {self.where}: {_first_line(exc)}",
                "nothing half-done was kept; check the server and run the command again",
            ) from None

    @contextmanager
    def reading_sql(self) -> Iterator[Sql]:
        with self.transaction() as conn:
            yield Sql(conn, "postgres", self.user)

    writing_sql = reading_sql  # every transaction on the pool is all or nothing

    def _all(self, sql: str, params: dict[str, Any] | Sequence[Any] = ()) -> list[dict[str, Any]]:
        """The rows of one statement, in a transaction of its own: autocommit, one round
        trip instead of three (BEGIN, the statement, COMMIT: under load each cost ~4 ms)."""
        with self.transaction() as conn:
            conn.autocommit = True
            try:
                return list(conn.execute(sql, params).fetchall())
            finally:
                if not conn.closed:
                    conn.autocommit = False

    def _searched(self, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Rows of a full-text query. The planner prices a match of a stored tsvector far
        below what it costs (it unpacks each one) and scans the whole table for it: 39 ms
        where the GIN index takes 5 (20,000 quotes). Without the sequential scan it takes
        the index, or walks the newest rows by id when a word is common. (Articles keep the
        planner's choice: their vectors are large, and walking by id was slower there.)"""
        with self.transaction() as conn:
            conn.execute("SET LOCAL enable_seqscan = off")
            return list(conn.execute(sql, params).fetchall())

    def _one(self, sql: str, params: dict[str, Any] | Sequence[Any] = ()) -> dict[str, Any] | None:
        rows = self._all(sql, params)
        return rows[0] if rows else None

    # -- feeds -------------------------------------------------------------

    def upsert_feed(self, name: str, url: str, tags: tuple[str, ...] = ()) -> int:
        row = self._one(
            "INSERT INTO feeds (name, url, tags) VALUES (%s, %s, %s) ON CONFLICT (name) "
            "DO UPDATE SET url = excluded.url, tags = excluded.tags RETURNING id",
            (name, url, " ".join(tags)),
        )
        assert row is not None
        return int(row["id"])

    def feed_validators(self, feed_id: int) -> tuple[str | None, str | None]:
        row = self._one("SELECT etag, last_modified FROM feeds WHERE id = %s", (feed_id,))
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def record_feed_check(
        self,
        feed_id: int,
        status: str,
        error: str | None = None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None:
        with self.transaction() as tx:
            tx.execute(
                "UPDATE feeds SET last_status = %s, last_error = %s, checked_at = %s, "
                "title = coalesce(%s, title) WHERE id = %s",
                (status, error, utc_now(), title, feed_id),
            )
            if status == "ok":
                tx.execute(
                    "UPDATE feeds SET etag = %s, last_modified = %s WHERE id = %s",
                    (etag, last_modified, feed_id),
                )

    def claim_feed(self, feed_id: int) -> bool:
        """Take the feed for this run, unless another fetch is polling it or has polled it
        since this run started. Two locks: a session advisory lock, held on this run's own
        connection while it polls (a killed fetch's goes with its connection, so the next
        run is never locked out), and the feed's row, taken FOR UPDATE to mark the claim.
        The advisory lock already lets one run claim at a time; the row lock only waits for
        another fetch's ``upsert_feed`` of the feed (SKIP LOCKED skipped the row then, and
        if that fetch asked for the advisory lock before this one let it go, neither polled
        the feed)."""
        if not self._lock(feed_id):
            return False
        row = self._one(
            "UPDATE feeds SET claimed_by = %(run)s, claimed_at = now() "
            "WHERE id = (SELECT id FROM feeds WHERE id = %(id)s AND "
            "(claimed_at IS NULL OR claimed_at < %(started)s OR claimed_by = %(run)s) "
            "FOR UPDATE) RETURNING id",
            {"run": self.run, "id": feed_id, "started": self.started},
        )
        if row is None:
            self._unlock(feed_id)
        return row is not None

    def release_feeds(self) -> None:
        """This run is done with its feeds: stamped with the time (a run that started
        before now leaves them: they were polled in its time), then unlocked."""
        with self.transaction() as tx:
            tx.execute("UPDATE feeds SET claimed_at = now() WHERE claimed_by = %s", (self.run,))
        if self._claims is not None:
            try:
                self._claims.execute("SELECT pg_advisory_unlock_all()")
            except psycopg.Error:  # a lost connection: its locks went with it
                self._claims.close()
                self._claims = None

    def _lock(self, feed_id: int) -> bool:
        try:
            if self._claims is None:
                self._claims = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
            row = self._claims.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (CLAIM_LOCKS, feed_id)
            ).fetchone()
        except psycopg.OperationalError as exc:
            raise StoreError(
                f"lost the PostgreSQL store {self.where}: {_first_line(exc)}",
                "check the server and run the command again",
            ) from None
        return bool(row and row[0])

    def _unlock(self, feed_id: int) -> None:
        if self._claims is not None:
            self._claims.execute("SELECT pg_advisory_unlock(%s, %s)", (CLAIM_LOCKS, feed_id))

    def feeds(self) -> list[FeedRow]:
        rows = self._all(
            "SELECT f.*, (SELECT count(DISTINCT af.article_id) FROM article_feeds af "
            "WHERE af.feed_id = f.id) AS n FROM feeds f ORDER BY f.name"
        )
        return [feed_row(r) for r in rows]

    # -- writing articles --------------------------------------------------

    def find_article(
        self,
        *,
        feed_id: int | None = None,
        guid: str | None = None,
        canonical_url: str | None = None,
        content_hash: str | None = None,
    ) -> int | None:
        lookups: list[tuple[str, tuple[Any, ...]]] = []
        if feed_id is not None and guid:
            lookups.append(
                (
                    "SELECT article_id AS id FROM article_feeds WHERE feed_id = %s AND guid = %s",
                    (feed_id, guid),
                )
            )
        if canonical_url:
            lookups.append(("SELECT id FROM articles WHERE canonical_url = %s", (canonical_url,)))
        if content_hash:
            lookups.append(
                ("SELECT id FROM articles WHERE content_hash = %s LIMIT 1", (content_hash,))
            )
        for sql, params in lookups:
            row = self._one(sql, params)
            if row:
                return int(row["id"])
        return None

    def link_feed(self, article_id: int, feed_id: int, guid: str) -> None:
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO article_feeds (article_id, feed_id, guid) VALUES (%s, %s, %s) "
                "ON CONFLICT DO NOTHING",
                (article_id, feed_id, guid),
            )

    def add_article(
        self,
        new: NewArticle,
        feed_id: int | None,
        guid: str | None,
        analysis: Analysis | None = None,
    ) -> int:
        """Store an article, its feed link and its analysis in one transaction; raises
        ``DuplicateArticle`` when another process stored its canonical URL first."""
        html = stored_page(new)
        with self.transaction() as tx:
            row = tx.execute(
                "INSERT INTO articles (url, canonical_url, title, author, published, source, "
                "text, html_zlib, text_status, text_reason, summary, language, content_hash, "
                "cleaned_with, content_type, added_at) VALUES "
                "(%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) "
                "ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
                (
                    new.url,
                    new.canonical_url,
                    _clean(new.title),
                    _clean(new.author),
                    new.published,
                    _clean(new.source),
                    _clean(new.text),
                    html,
                    new.text_status,
                    new.text_reason,
                    _clean(new.summary),
                    new.language,
                    new.content_hash,
                    new.cleaned_with,
                    new.content_type,
                    utc_now(),
                ),
            ).fetchone()
            if row is None:
                raise DuplicateArticle(new.canonical_url)
            article_id = int(row["id"])
            if feed_id is not None and guid:
                tx.execute(
                    "INSERT INTO article_feeds (article_id, feed_id, guid) VALUES (%s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    (article_id, feed_id, guid),
                )
            if analysis is not None:
                _write_analysis(tx, article_id, analysis)
                # In the same transaction, as in SQLite: a stored analysis has its people.
                link_article(Sql(tx, "postgres", self.user), article_id)
        return article_id

    def replace_text(
        self,
        article_id: int,
        *,
        text: str,
        text_status: str,
        text_reason: str | None,
        language: str | None,
        cleaned_with: str,
        analysis: Analysis,
    ) -> None:
        """Re-cleaned text and its new analysis, with its people, in one transaction
        (``briefing reprocess``); as ``Store.replace_text``."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE articles SET text = %s, text_status = %s, text_reason = %s, "
                "language = %s, cleaned_with = %s WHERE id = %s",
                (_clean(text), text_status, text_reason, language, cleaned_with, article_id),
            )
            _write_analysis(tx, article_id, analysis)
            link_article(Sql(tx, "postgres", self.user), article_id)

    # -- each analyst's state ------------------------------------------------

    def set_read(self, article_id: int, read: bool = True) -> None:
        self._set_state(article_id, "read", read)

    def set_starred(self, article_id: int, starred: bool) -> None:
        self._set_state(article_id, "starred", starred)

    def _set_state(self, article_id: int, column: str, value: bool) -> None:
        assert column in ("read", "starred")  # a column name, never user input
        with self.transaction() as tx:
            tx.execute(
                f"INSERT INTO article_state (user_name, article_id, {column}) "
                f"SELECT %s, id, %s FROM articles WHERE id = %s ON CONFLICT "
                f"(user_name, article_id) DO UPDATE SET {column} = excluded.{column}",
                (self.user, value, article_id),
            )

    def mark_all_read(self, ids: list[int]) -> int:
        with self.transaction() as tx:
            unread = tx.execute(
                "SELECT count(*) AS n FROM articles a "
                f"{_STATE} WHERE a.id = ANY(%(ids)s) AND NOT coalesce(s.read, false)",
                {"user": self.user, "ids": ids},
            ).fetchone()
            tx.execute(
                "INSERT INTO article_state (user_name, article_id, read) "
                "SELECT %(user)s, id, true FROM articles WHERE id = ANY(%(ids)s) "
                "ON CONFLICT (user_name, article_id) DO UPDATE SET read = true",
                {"user": self.user, "ids": ids},
            )
        return int(unread["n"]) if unread else 0

    # -- reading articles --------------------------------------------------

    def article_count(self, where: ArticleFilter = ArticleFilter()) -> int:
        sql, params = self._filter(where)
        row = self._one(f"SELECT count(*) AS n FROM articles a {_STATE} {sql}", params)
        return int(row["n"]) if row else 0

    def article_rows(
        self,
        offset: int,
        limit: int,
        where: ArticleFilter = ArticleFilter(),
        *,
        after: RowKey | None = None,
        total: int | None = None,
    ) -> list[ArticleRow]:
        """A page of the list. ``after`` and ``total`` are the SQLite store's paging
        hints (start from a key, read from the end); here it is ``OFFSET`` for now."""
        sql, params = self._filter(where)
        rows = self._all(
            f"SELECT {_ROW} FROM articles a {_STATE} {sql} {_order(where)} "
            "LIMIT %(limit)s OFFSET %(offset)s",
            {**params, "limit": limit, "offset": offset},
        )
        return [article_row(r) for r in rows]

    def article_ids(self, where: ArticleFilter = ArticleFilter()) -> list[int]:
        sql, params = self._filter(where)
        rows = self._all(f"SELECT a.id FROM articles a {_STATE} {sql} {_order(where)}", params)
        return [int(r["id"]) for r in rows]

    def position_of(self, article_id: int, where: ArticleFilter = ArticleFilter()) -> int | None:
        """The row index of an article in list order, by counting the rows before it (the
        app asks on every reload: no need to fetch every id of a team's large store)."""
        if where.order != "date":  # rare: read the ids (ints only)
            ids = self.article_ids(where)
            return ids.index(article_id) if article_id in ids else None
        sql, params = self._filter(where)
        joiner = " AND " if sql else "WHERE "
        params = {**params, "id": article_id}
        row = self._one(
            f"SELECT a.published FROM articles a {_STATE} {sql}{joiner}a.id = %(id)s", params
        )
        if row is None:
            return None
        params["published"] = row["published"]
        before = (  # a row comparison: a range of the date index, not a scan of the table
            "(a.published, a.id) > (%(published)s, %(id)s)"
            if row["published"] is not None
            else "(a.published IS NOT NULL OR a.id > %(id)s)"
        )  # NULLs sort last
        counted = self._one(
            f"SELECT count(*) AS n FROM articles a {_STATE} {sql}{joiner}{before}", params
        )
        return int(counted["n"]) if counted else None

    def latest_article_id(self) -> int:
        """The newest article's id (0: none): one index lookup, what the app polls to see
        articles other machines stored."""
        row = self._one("SELECT coalesce(max(id), 0) AS n FROM articles")
        return int(row["n"]) if row else 0

    def article(self, article_id: int) -> Article | None:
        r = self._one(
            "SELECT a.*, coalesce(s.read, false) AS is_read, "
            f"coalesce(s.starred, false) AS is_starred FROM articles a {_STATE} "
            "WHERE a.id = %(id)s",
            {"user": self.user, "id": article_id},
        )
        if r is None:
            return None
        feeds = self._all(
            "SELECT DISTINCT f.name FROM feeds f JOIN article_feeds af ON af.feed_id = f.id "
            "WHERE af.article_id = %s ORDER BY f.name",
            (article_id,),
        )
        return Article(
            id=r["id"],
            url=r["url"],
            title=r["title"],
            author=r["author"],
            published=r["published"],
            source=r["source"],
            text=r["text"],
            text_status=r["text_status"],
            text_reason=r["text_reason"],
            language=r["language"],
            cleaned_with=r["cleaned_with"],
            analysed_with=r["analysed_with"],
            analysis_skipped=r["analysis_skipped"],
            quote_count=r["quote_count"],
            read=bool(r["is_read"]),
            starred=bool(r["is_starred"]),
            feeds=tuple(f["name"] for f in feeds),
        )

    def page_source(self, article_id: int) -> PageSource | None:
        r = self._one(
            "SELECT html_zlib, content_type, url, summary, text_reason FROM articles WHERE id = %s",
            (article_id,),
        )
        if r is None:
            return None
        try:
            html = zlib.decompress(r["html_zlib"]) if r["html_zlib"] else None
        except zlib.error as exc:
            raise StoreError(
                f"the stored page of article {article_id} in {self.where} cannot be "
                f"decompressed ({exc})"
            ) from None
        return PageSource(
            html=html,
            content_type=r["content_type"],
            url=r["url"],
            summary=r["summary"],
            reason=r["text_reason"],
        )

    def entities(self, article_id: int) -> list[Entity]:
        rows = self._all(
            'SELECT label, text, canonical, start, "end", role FROM entities '
            "WHERE article_id = %s ORDER BY start, id",
            (article_id,),
        )
        return [
            Entity(r["label"], r["text"], r["canonical"], r["start"], r["end"], r["role"])
            for r in rows
        ]

    def quotes(self, article_id: int) -> list[Quote]:
        rows = self._all(
            "SELECT * FROM quotes WHERE article_id = %s ORDER BY sentence_start, id",
            (article_id,),
        )
        return [quote_of(r) for r in rows]

    def search_articles(self, text: str, limit: int = 200) -> list[ArticleRow]:
        """Articles holding every word (as prefixes), best first (``pg_search``: the
        title is the field that counts), as on SQLite."""
        call = ranked(ARTICLES, text, limit)
        if call is None:
            return []
        rows = self._all(
            f"SELECT {_ROW} FROM {call[0]} r JOIN articles a ON a.id = r.rid {_STATE} "
            "ORDER BY r.rank",
            {**call[1], "user": self.user},
        )
        return [article_row(r) for r in rows]

    def search_quotes(self, text: str, limit: int = 50) -> list[StoredQuote]:
        """Quotes whose words, speaker or role match ``text``, best first (``pg_search``:
        the speaker and role are the fields that count), as on SQLite."""
        call = ranked(QUOTES, text, limit)
        if call is None:
            return []
        rows = self._all(
            f"SELECT {_QUOTE_COLUMNS} FROM {call[0]} r JOIN quotes q ON q.id = r.rid "
            "JOIN articles a ON a.id = q.article_id ORDER BY r.rank",
            call[1],
        )
        return [stored_quote(r) for r in rows]

    def quotes_by(
        self,
        speaker: str | None = None,
        since: str | None = None,
        limit: int = 1000,
        *,
        person_id: int | None = None,
        about: str | None = None,
    ) -> list[StoredQuote]:
        """Stored quotes, newest first; by one speaker (as written, any case), since a
        date, about some words; by one person of the registry, under every alias."""
        clauses: list[str] = []
        params: dict[str, Any] = {"limit": limit}
        if person_id is not None:
            clauses.append("q.person_id = %(person)s")
            params["person"] = person_id
        elif speaker:
            clauses.append("lower(q.speaker) = lower(%(speaker)s)")
            params["speaker"] = speaker
        if about:
            query = ts_query(about, QUOTES.columns)
            if not query:
                return []
            clauses.append("q.search @@ to_tsquery('briefing', %(about)s)")
            params["about"] = query
        if since:
            clauses.append("a.published >= %(since)s")
            params["since"] = since
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = (self._searched if about else self._all)(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id "
            f"{where} ORDER BY a.published DESC NULLS LAST, a.id DESC, q.sentence_start "
            "LIMIT %(limit)s",
            params,
        )
        return [stored_quote(r) for r in rows]

    def all_article_ids(self) -> list[int]:
        return [int(r["id"]) for r in self._all("SELECT id FROM articles ORDER BY id")]

    def _filter(self, where: ArticleFilter) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {"user": self.user}
        if where.feed:
            clauses.append(
                "a.id IN (SELECT af.article_id FROM article_feeds af JOIN feeds f "
                "ON f.id = af.feed_id WHERE f.name = %(feed)s)"
            )
            params["feed"] = where.feed
        if where.tag:
            clauses.append(
                "a.id IN (SELECT af.article_id FROM article_feeds af JOIN feeds f "
                "ON f.id = af.feed_id WHERE %(tag)s = ANY(string_to_array(f.tags, ' ')))"
            )
            params["tag"] = where.tag
        if where.entity:
            label = " AND label = %(label)s" if where.entity_label else ""
            clauses.append(
                f"a.id IN (SELECT article_id FROM entities WHERE canonical = %(entity)s{label})"
            )
            params.update(entity=where.entity, label=where.entity_label)
        if where.person_id is not None:
            clauses.append(
                "a.id IN (SELECT article_id FROM entities WHERE person_id = %(person)s UNION "
                "SELECT article_id FROM quotes WHERE person_id = %(person)s)"
            )
            params["person"] = where.person_id
        if where.starred:
            clauses.append("coalesce(s.starred, false)")
        if where.unread:
            keep = " OR a.id = %(keep)s" if where.keep is not None else ""
            clauses.append(f"(NOT coalesce(s.read, false){keep})")
            params["keep"] = where.keep
        if where.since:
            clauses.append("a.published >= %(since)s")
            params["since"] = where.since
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _clean(value: str | None) -> str | None:
    """PostgreSQL text cannot hold NUL (SQLite can): a page with one is stored without."""
    return value.replace("\x00", "") if value else value


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _order(where: ArticleFilter) -> str:
    if where.order == "outlet":
        return "ORDER BY lower(a.source), a.published DESC NULLS LAST, a.id DESC"
    return "ORDER BY a.published DESC NULLS LAST, a.id DESC"


def _write_analysis(tx: psycopg.Connection[Any], article_id: int, analysis: Analysis) -> None:
    tx.execute("DELETE FROM entities WHERE article_id = %s", (article_id,))
    tx.execute("DELETE FROM quotes WHERE article_id = %s", (article_id,))
    with tx.cursor() as cur:
        cur.executemany(
            'INSERT INTO entities (article_id, label, text, canonical, role, start, "end") '
            "VALUES (%s,%s,%s,%s,%s,%s,%s)",
            [
                (article_id, e.label, _clean(e.text), _clean(e.canonical), e.role, e.start, e.end)
                for e in analysis.entities
            ],
        )
        cur.executemany(
            "INSERT INTO quotes (article_id, kind, text, spans, speaker, speaker_mention, "
            "speaker_start, speaker_end, role, cue, resolution, sentence_start, sentence_end) "
            "VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
            [
                (
                    article_id,
                    q.kind,
                    _clean(q.text),
                    json.dumps([list(s) for s in q.spans]),
                    _clean(q.speaker),
                    _clean(q.speaker_mention),
                    q.speaker_start,
                    q.speaker_end,
                    _clean(q.role),
                    q.cue,
                    q.resolution,
                    q.sentence_start,
                    q.sentence_end,
                )
                for q in analysis.quotes
            ],
        )
    tx.execute(
        "UPDATE articles SET analysed_with = %s, analysis_skipped = %s, quote_count = %s "
        "WHERE id = %s",
        (analysis.analysed_with, analysis.skipped, len(analysis.quotes), article_id),
    )
