"""The SQLite store: every read and write, one transaction per article, FTS5 search.

Every write transaction starts with ``BEGIN IMMEDIATE``, so a writer waits (up
to the busy timeout) instead of failing half-way, and each article is stored in
one transaction, so an interrupted fetch leaves no half-stored article.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from extract.errors import StoreError
from extract.models import Analysis, Entity, Quote
from extract.store import people as people_sql
from extract.store.connection import StoreDamaged, connect, rollback
from extract.store.people_store import PeopleMethods
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
from extract.store.search import fts_query, parse_search
from extract.store.sqlx import Sql

# Searches rank at most this many matches, the most recently stored (``Store._ranked``):
# a common word ("the", "s") matches most of a large store, and the newest of its matches
# are the ones a briefing is read for. A query with fewer matches ranks all of them.
RANK_WINDOW = 2000
T = TypeVar("T")


def open_store(path: Path | str, *, readonly: bool = False) -> Store:
    """Open (creating and migrating as needed) the store at ``path``."""
    path = Path(path)
    return Store(connect(path, readonly=readonly), path, readonly)


class Store(PeopleMethods):
    """All reads and writes of the store. One instance per thread."""

    def __init__(self, conn: sqlite3.Connection, path: Path, readonly: bool) -> None:
        self.conn, self.path, self.readonly = conn, path, readonly
        self.skipped: list[str] = []  # damaged rows passed over by reads, for a warning

    @property
    def where(self) -> str:
        return str(self.path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; all or nothing."""
        if self.readonly:
            raise StoreError(f"the store {self.path} is open read-only")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot write to the store {self.path}: {exc}") from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            rollback(self.conn)
            if isinstance(exc, sqlite3.OperationalError):
                raise StoreError(f"cannot write to the store {self.path}: {exc}") from None
            raise

    # -- feeds -------------------------------------------------------------

    def upsert_feed(self, name: str, url: str, tags: tuple[str, ...] = ()) -> int:
        with self.transaction() as tx:
            tx.execute(
                "INSERT INTO feeds (name, url, tags) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET url = excluded.url, tags = excluded.tags",
                (name, url, " ".join(tags)),
            )
            return tx.execute("SELECT id FROM feeds WHERE name = ?", (name,)).fetchone()[0]

    def feed_validators(self, feed_id: int) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified to send with the next conditional GET."""
        row = self.conn.execute(
            "SELECT etag, last_modified FROM feeds WHERE id = ?", (feed_id,)
        ).fetchone()
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
        """What the last poll found. Validators change only on a successful fetch."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE feeds SET last_status = ?, last_error = ?, checked_at = ?, "
                "title = coalesce(?, title) WHERE id = ?",
                (status, error, utc_now(), title, feed_id),
            )
            if status == "ok":
                tx.execute(
                    "UPDATE feeds SET etag = ?, last_modified = ? WHERE id = ?",
                    (etag, last_modified, feed_id),
                )

    def claim_feed(self, feed_id: int) -> bool:
        """Always ours: one file has one fetch at a time (PostgreSQL shares feeds)."""
        return True

    def release_feeds(self) -> None:
        """Nothing to release (see ``claim_feed``)."""

    def feeds(self) -> list[FeedRow]:
        rows = self.conn.execute(
            "SELECT f.*, (SELECT count(DISTINCT af.article_id) FROM article_feeds af "
            "WHERE af.feed_id = f.id) AS n "
            "FROM feeds f ORDER BY f.name"
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
        """The id of an article already stored under any of these keys."""
        if feed_id is not None and guid:
            row = self.conn.execute(
                "SELECT article_id FROM article_feeds WHERE feed_id = ? AND guid = ?",
                (feed_id, guid),
            ).fetchone()
            if row:
                return row[0]
        if canonical_url:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE canonical_url = ?", (canonical_url,)
            ).fetchone()
            if row:
                return row[0]
        if content_hash:
            row = self.conn.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
            if row:
                return row[0]
        return None

    def link_feed(self, article_id: int, feed_id: int, guid: str) -> None:
        with self.transaction() as tx:
            tx.execute(
                "INSERT OR IGNORE INTO article_feeds (article_id, feed_id, guid) VALUES (?, ?, ?)",
                (article_id, feed_id, guid),
            )

    def add_article(
        self,
        new: NewArticle,
        feed_id: int | None,
        guid: str | None,
        analysis: Analysis | None = None,
    ) -> int:
        """Store an article, its feed link and its analysis in one transaction."""
        html = stored_page(new)
        with self.transaction() as tx:
            cur = tx.execute(
                "INSERT INTO articles (url, canonical_url, title, author, published, source, "
                "text, html_zlib, text_status, text_reason, summary, language, content_hash, "
                "cleaned_with, content_type, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    new.url,
                    new.canonical_url,
                    new.title,
                    new.author,
                    new.published,
                    new.source,
                    new.text,
                    html,
                    new.text_status,
                    new.text_reason,
                    new.summary,
                    new.language,
                    new.content_hash,
                    new.cleaned_with,
                    new.content_type,
                    utc_now(),
                ),
            )
            assert cur.lastrowid is not None  # an INSERT without OR IGNORE always sets it
            article_id = cur.lastrowid
            if feed_id is not None and guid:
                tx.execute(
                    "INSERT OR IGNORE INTO article_feeds (article_id, feed_id, guid) "
                    "VALUES (?, ?, ?)",
                    (article_id, feed_id, guid),
                )
            if analysis is not None:
                _write_analysis(tx, article_id, analysis)
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
        """Re-cleaned text and its new analysis (empty when there is no text), in one go.

        The analysis is always replaced: quotes of the old text would point at
        offsets that no longer hold them."""
        with self.transaction() as tx:
            tx.execute(
                "UPDATE articles SET text = ?, text_status = ?, text_reason = ?, "
                "language = ?, cleaned_with = ? WHERE id = ?",
                (text, text_status, text_reason, language, cleaned_with, article_id),
            )
            _write_analysis(tx, article_id, analysis)

    def set_read(self, article_id: int, read: bool = True) -> None:
        with self.transaction() as tx:
            tx.execute("UPDATE articles SET read = ? WHERE id = ?", (int(read), article_id))

    def mark_all_read(self, ids: list[int]) -> int:
        """Mark these articles read in one transaction; how many were unread."""
        with self.transaction() as tx:
            changed = 0
            for start in range(0, len(ids), 500):  # SQLite's variable limit
                chunk = ids[start : start + 500]
                marks = ",".join("?" * len(chunk))
                changed += tx.execute(
                    f"UPDATE articles SET read = 1 WHERE read = 0 AND id IN ({marks})", chunk
                ).rowcount
            return changed

    def set_starred(self, article_id: int, starred: bool) -> None:
        with self.transaction() as tx:
            tx.execute("UPDATE articles SET starred = ? WHERE id = ?", (int(starred), article_id))

    # -- reading articles --------------------------------------------------

    def article_count(self, where: ArticleFilter = ArticleFilter()) -> int:
        """How many articles the list shows. Every article, the unread and the starred
        ones are read from counts the triggers keep (O(1): count(*) walked an index of
        100,000 rows, 2.2 ms on every reload); other filters count their rows."""
        if _counted(where):
            clauses = ["read = 0"] if where.unread else []
            clauses += ["starred = 1"] if where.starred else []
            sql = "SELECT coalesce(sum(n), 0) FROM article_counts"
            n = self.conn.execute(sql + _where(clauses)).fetchone()[0]
            if where.unread and where.keep is not None:  # listed though read
                n += self.conn.execute(
                    "SELECT count(*) FROM articles WHERE id = ? AND read != 0"
                    + (" AND starred != 0" if where.starred else ""),
                    (where.keep,),
                ).fetchone()[0]
            return int(n)
        sql, params = _filter_sql(where)
        return self.conn.execute(f"SELECT count(*) FROM articles a {sql}", params).fetchone()[0]

    def article_rows(
        self,
        offset: int,
        limit: int,
        where: ArticleFilter = ArticleFilter(),
        *,
        after: RowKey | None = None,
        total: int | None = None,
    ) -> list[ArticleRow]:
        """A page of the article list, newest first.

        ``OFFSET n`` steps over n rows (50 ms at 100,000), so, in date order: ``after``,
        the key of the row before ``offset`` (the page above, read already), starts from
        that row in the index; ``total``, the list's length, reads a page in the lower
        half from the end. Paging stays O(page) at any depth; a jump to the middle is
        the worst case, half the list."""
        if where.order == "date" and after is not None:
            return self._rows_after(after, limit, where)
        if where.order == "date" and total is not None and offset > total // 2:
            tail = total - offset  # rows from this page to the end
            if tail <= 0:
                return []
            rows = self._rows(where, limit=min(limit, tail), offset=max(0, tail - limit), up=True)
            return rows[::-1]
        return self._rows(where, limit=limit, offset=offset)

    def _rows(
        self,
        where: ArticleFilter,
        *,
        limit: int,
        offset: int = 0,
        up: bool = False,
        extra: str = "",
        values: tuple[object, ...] = (),
    ) -> list[ArticleRow]:
        sql, params = _filter_sql(where)
        if extra:
            sql = f"{sql} AND {extra}" if sql else f"WHERE {extra}"
        order = "ORDER BY a.published, a.id" if up else _order_sql(where)
        rows = self.conn.execute(
            "SELECT a.id, a.title, a.published, a.source, a.quote_count, a.text_status, "
            f"a.read, a.starred FROM articles a {sql} {order} LIMIT ? OFFSET ?",
            (*params, *values, limit, offset),
        )
        return [article_row(r) for r in rows]

    def _rows_after(self, after: RowKey, limit: int, where: ArticleFilter) -> list[ArticleRow]:
        """The ``limit`` rows after ``after`` in date order (NULL dates last). A row value
        comparison is a range of the date index; it is NULL for a NULL date, so those
        rows, all after any dated one, are read on their own."""
        published, article_id = after
        if published is None:
            return self._rows(
                where, limit=limit, extra="a.published IS NULL AND a.id < ?", values=(article_id,)
            )
        rows = self._rows(where, limit=limit, extra="(a.published, a.id) < (?, ?)", values=after)
        if len(rows) < limit:
            rows += self._rows(where, limit=limit - len(rows), extra="a.published IS NULL")
        return rows

    def article_ids(self, where: ArticleFilter = ArticleFilter()) -> list[int]:
        """Every article id in list order (small: ints only)."""
        sql, params = _filter_sql(where)
        return [
            r[0]
            for r in self.conn.execute(
                f"SELECT a.id FROM articles a {sql} {_order_sql(where)}", params
            )
        ]

    def position_of(self, article_id: int, where: ArticleFilter = ArticleFilter()) -> int | None:
        """The row index of an article in list order (newest first), by counting rows
        before it: no need to load every id to keep the cursor on an article."""
        if where.order != "date":  # rare: read the ids (ints only)
            ids = self.article_ids(where)
            return ids.index(article_id) if article_id in ids else None
        row = self.conn.execute(
            "SELECT published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        sql, params = _filter_sql(where)
        if row is None or (
            where != ArticleFilter() and article_id not in self._ids_in(sql, params, article_id)
        ):
            return None
        before = (
            "(a.published > ? OR (a.published = ? AND a.id > ?))"
            if row[0] is not None
            else "(a.published IS NOT NULL OR a.id > ?)"
        )  # NULLs sort last
        values = [row[0], row[0], article_id] if row[0] is not None else [article_id]
        joiner = " AND " if sql else "WHERE "
        return self.conn.execute(
            f"SELECT count(*) FROM articles a {sql}{joiner}{before}", (*params, *values)
        ).fetchone()[0]

    def latest_article_id(self) -> int:
        """The newest article's id (0: none); one index lookup."""
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])

    def _ids_in(self, sql: str, params: list[object], article_id: int) -> set[int]:
        joiner = " AND " if sql else "WHERE "
        return {
            r[0]
            for r in self.conn.execute(
                f"SELECT a.id FROM articles a {sql}{joiner}a.id = ?", (*params, article_id)
            )
        }

    def article(self, article_id: int) -> Article | None:
        r = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if r is None:
            return None
        feeds = tuple(
            x[0]
            for x in self.conn.execute(
                "SELECT DISTINCT f.name FROM feeds f JOIN article_feeds af ON af.feed_id = f.id "
                "WHERE af.article_id = ? ORDER BY f.name",
                (article_id,),
            )
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
            read=bool(r["read"]),
            starred=bool(r["starred"]),
            feeds=feeds,
        )

    def page_source(self, article_id: int) -> PageSource | None:
        """What the article's text was made from, for cleaning it again offline."""
        r = self.conn.execute(
            "SELECT html_zlib, content_type, url, summary, text_reason FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if r is None:
            return None
        try:
            html = zlib.decompress(r["html_zlib"]) if r["html_zlib"] else None
        except (zlib.error, TypeError) as exc:
            raise StoreDamaged(
                self.path, f"the stored page of article {article_id} cannot be decompressed ({exc})"
            ) from None
        return PageSource(
            html=html,
            content_type=r["content_type"],
            url=r["url"],
            summary=r["summary"],
            reason=r["text_reason"],
        )

    def entities(self, article_id: int) -> list[Entity]:
        rows = self.conn.execute(
            'SELECT label, text, canonical, start, "end", role FROM entities '
            "WHERE article_id = ? ORDER BY start",
            (article_id,),
        )
        return [
            Entity(
                label=r["label"],
                text=r["text"],
                canonical=r["canonical"],
                start=r["start"],
                end=r["end"],
                role=r["role"],
            )
            for r in rows
        ]

    def quotes(self, article_id: int) -> list[Quote]:
        rows = self.conn.execute(
            "SELECT * FROM quotes WHERE article_id = ? ORDER BY sentence_start, id", (article_id,)
        )
        return [q for r in rows if (q := self._readable(r, quote_of)) is not None]

    def search_articles(self, text: str, limit: int = 200) -> list[ArticleRow]:
        """Articles whose title or text hold every word of ``text`` (as prefixes), best
        first (``_ranked``: the title is the field that counts)."""
        ids = self._ranked("articles_fts", text, ("title",), limit)
        rows = self._rows_by_id(
            "SELECT a.id, a.title, a.published, a.source, a.quote_count, a.text_status, "
            "a.read, a.starred FROM articles a WHERE a.id IN (SELECT value FROM json_each(?))",
            ids,
        )
        return [article_row(rows[i]) for i in ids if i in rows]

    def search_quotes(self, text: str, limit: int = 50) -> list[StoredQuote]:
        """Quotes whose words, speaker or role match ``text``, best first (``_ranked``:
        the speaker and role are the fields that count)."""
        ids = self._ranked("quotes_fts", text, ("speaker", "role"), limit)
        rows = self._rows_by_id(
            f"SELECT {_QUOTE_COLUMNS} FROM quotes q JOIN articles a ON a.id = q.article_id "
            "WHERE q.id IN (SELECT value FROM json_each(?))",
            ids,
        )
        return [
            q for i in ids if i in rows and (q := self._readable(rows[i], stored_quote)) is not None
        ]

    def _ranked(self, table: str, text: str, fields: tuple[str, ...], limit: int) -> list[int]:
        """The ids of the best ``limit`` rows matching ``text``, best first.

        Among the newest ~``RANK_WINDOW`` matches, in tiers, newest first within each:
        every word in ``fields`` (a speaker or role; a title), then the words side by side
        as typed, then the rest. Each tier is an FTS5 query read newest first, bounded
        by the window and cut short, so none reads every match of a common word.

        Why not FTS5's bm25: to weigh each word it counts every row that holds it, in the
        whole index, on every keystroke (30-180 ms at 1,000,000 quotes for "the a" or
        "minister"). A briefing is read for its news: where the words are (the speaker,
        the title, side by side) and then how new a match is say more than how often a
        word recurs in one quote.
        """
        search = parse_search(text)
        query = search.fts()
        if not query:
            return []
        match = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
        newest = [
            r[0]
            for r in self.conn.execute(f"{match} ORDER BY rowid DESC LIMIT ?", (query, 2 * limit))
        ]
        if not newest:
            return []
        oldest = newest[-1]  # where the window ends: all the matches, or ...
        if len(newest) == 2 * limit:  # ... about RANK_WINDOW matches deep, by their spacing
            span = newest[0] - newest[-1] + 1  # (counting them was 10-50 ms for "a b c d")
            oldest = max(0, newest[0] - span * RANK_WINDOW // len(newest))
        ranked: dict[int, None] = {}  # ordered, no repeats
        bounded = f"{match} AND rowid >= ? ORDER BY rowid DESC LIMIT ?"
        # FTS5 reads a column filter over several words slowly when one of them is never in
        # those columns (40 ms at 1,000,000 quotes for "the door r"): each is asked alone
        # first, which is quick either way.
        in_fields = all(
            self.conn.execute(bounded, (one.fts(fields), oldest, 1)).fetchone()
            for one in search.each_group()
        )
        for tier in (search.fts(fields) if in_fields else "", search.adjacent()):
            if tier and len(ranked) < limit:
                ranked.update(
                    (r[0], None) for r in self.conn.execute(bounded, (tier, oldest, limit))
                )
        ranked.update((i, None) for i in newest)
        return list(ranked)[:limit]

    def _rows_by_id(self, sql: str, ids: list[int]) -> dict[int, sqlite3.Row]:
        return {r["id"]: r for r in self.conn.execute(sql, (json.dumps(ids),))} if ids else {}

    def quotes_by(
        self,
        speaker: str | None = None,
        since: str | None = None,
        limit: int = 1000,
        *,
        person_id: int | None = None,
        about: str | None = None,
    ) -> list[StoredQuote]:
        """Stored quotes, newest first; by one speaker (a name as written, or a person of
        the registry with every alias) and/or since a date; ``about``: only quotes whose
        words match it (the profile's "what they said about X")."""
        clauses: list[str] = []
        params: list[object] = []
        if person_id is not None:
            clauses.append("q.person_id = ?")
            params.append(person_id)
        elif speaker:
            clauses.append("q.speaker = ? COLLATE NOCASE")
            params.append(speaker)
        query = fts_query(about) if about else ""
        if about and not query:
            return []
        if query:
            clauses.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            params.append(query)
        if since:
            clauses.append("a.published >= ?")
            params.append(since)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        # Without a speaker, walk articles newest first (articles_by_date) and stop at
        # ``limit``; left to itself SQLite sorted every quote: 200-300 ms for 100,000.
        tables = (
            "quotes q JOIN articles a ON a.id = q.article_id"
            if speaker or person_id is not None
            else "articles a CROSS JOIN quotes q ON q.article_id = a.id"
        )
        rows = self.conn.execute(
            f"SELECT {_QUOTE_COLUMNS} FROM {tables} "
            f"{where} ORDER BY a.published DESC, a.id DESC, q.sentence_start LIMIT ?",
            (*params, limit),
        )
        return [q for r in rows if (q := self._readable(r, stored_quote)) is not None]

    def _readable(self, row: sqlite3.Row, read: Callable[[sqlite3.Row], T]) -> T | None:
        """One row as a value, or None (skipped, and noted in ``skipped``) when it is
        garbled: one bad row must not hide every other quote."""
        try:
            return read(row)
        except (ValueError, TypeError, KeyError) as exc:
            self.skipped.append(f"quote {row['id']}: {type(exc).__name__}: {exc}"[:200])
            return None

    def all_article_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY id")]

    # -- the people registry (people_store.PeopleMethods) ------------------

    @contextmanager
    def reading_sql(self) -> Iterator[Sql]:
        yield Sql.of_sqlite(self.conn)

    @contextmanager
    def writing_sql(self) -> Iterator[Sql]:
        with self.transaction() as tx:
            yield Sql.of_sqlite(tx)


_QUOTE_COLUMNS = (
    "q.*, a.title AS a_title, a.source AS a_source, a.published AS a_published, "
    "a.url AS a_url, (SELECT min(f.name) FROM article_feeds af JOIN feeds f "
    "ON f.id = af.feed_id WHERE af.article_id = a.id) AS a_feed"
)


def _write_analysis(tx: sqlite3.Connection, article_id: int, analysis: Analysis) -> None:
    tx.execute("DELETE FROM entities WHERE article_id = ?", (article_id,))
    tx.execute("DELETE FROM quotes WHERE article_id = ?", (article_id,))
    tx.executemany(
        'INSERT INTO entities (article_id, label, text, canonical, role, start, "end") '
        "VALUES (?,?,?,?,?,?,?)",
        [
            (article_id, e.label, e.text, e.canonical, e.role, e.start, e.end)
            for e in analysis.entities
        ],
    )
    tx.executemany(
        "INSERT INTO quotes (article_id, kind, text, spans, speaker, speaker_mention, "
        "speaker_start, speaker_end, role, cue, resolution, sentence_start, sentence_end) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                article_id,
                q.kind,
                q.text,
                json.dumps([list(s) for s in q.spans]),
                q.speaker,
                q.speaker_mention,
                q.speaker_start,
                q.speaker_end,
                q.role,
                q.cue,
                q.resolution,
                q.sentence_start,
                q.sentence_end,
            )
            for q in analysis.quotes
        ],
    )
    tx.execute(
        "UPDATE articles SET analysed_with = ?, analysis_skipped = ?, quote_count = ? WHERE id = ?",
        (analysis.analysed_with, analysis.skipped, len(analysis.quotes), article_id),
    )
    # Linking runs after analysis, per article, in the same transaction: a stored
    # analysis always has its people.
    people_sql.link_article(Sql.of_sqlite(tx), article_id)


def _filter_sql(where: ArticleFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if where.feed:
        clauses.append(
            "a.id IN (SELECT af.article_id FROM article_feeds af JOIN feeds f "
            "ON f.id = af.feed_id WHERE f.name = ?)"
        )
        params.append(where.feed)
    if where.tag:
        clauses.append(
            "a.id IN (SELECT af.article_id FROM article_feeds af JOIN feeds f "
            "ON f.id = af.feed_id WHERE ' ' || f.tags || ' ' LIKE ?)"
        )
        params.append(f"% {where.tag} %")
    if where.entity:
        label = " AND label = ?" if where.entity_label else ""
        clauses.append(f"a.id IN (SELECT article_id FROM entities WHERE canonical = ?{label})")
        params.extend([where.entity, where.entity_label] if label else [where.entity])
    if where.person_id is not None:
        clauses.append(
            "a.id IN (SELECT article_id FROM entities WHERE person_id = ? UNION "
            "SELECT article_id FROM quotes WHERE person_id = ?)"
        )
        params.extend([where.person_id, where.person_id])
    if where.starred:
        clauses.append("a.starred = 1")
    if where.unread:
        clauses.append("(a.read = 0 OR a.id = ?)" if where.keep is not None else "a.read = 0")
        params.extend([where.keep] if where.keep is not None else [])
    if where.since:
        clauses.append("a.published >= ?")
        params.append(where.since)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _counted(where: ArticleFilter) -> bool:
    """Whether ``article_counts`` answers this filter's count (read and starred only)."""
    return not (
        where.feed or where.tag or where.entity or where.person_id is not None or where.since
    )


def _where(clauses: list[str]) -> str:
    return f" WHERE {' AND '.join(clauses)}" if clauses else ""


def _order_sql(where: ArticleFilter) -> str:
    if where.order == "outlet":
        return "ORDER BY a.source COLLATE NOCASE, a.published DESC, a.id DESC"
    return "ORDER BY a.published DESC, a.id DESC"
