"""Watchlist SQL: finding a watch's matches among new articles, storing and listing hits.

Incremental: each watch keeps the highest article id it has looked at (``watch_state``),
and every query below reads only articles above it, through the indexes on quotes by
person and speaker, entities by name and the FTS index, so the cost follows the new
articles, not the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from extract.config import WatchConfig
from extract.store.people import person_ids
from extract.store.records import ArticleRow
from extract.store.rows import article_row
from extract.store.search import fts_query
from extract.store.sqlite import Store
from extract.store.sqlx import Sql


@dataclass(frozen=True, slots=True)
class Match:
    article_id: int
    quote_id: int | None
    matched: str


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    watch: str
    article_id: int
    quote_id: int | None
    matched: str
    found_at: str
    seen: bool
    title: str
    source: str
    published: str | None
    url: str | None
    quote: str | None  # the quote's words, for a hit on a person
    speaker: str | None


def last_looked_at(store: Store, watch: str) -> int | None:
    row = store.conn.execute(
        "SELECT last_article_id FROM watch_state WHERE watch = ?", (watch,)
    ).fetchone()
    return row[0] if row else None


def newest_article_id(store: Store) -> int:
    return store.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]


def find_matches(store: Store, watch: WatchConfig, after: int, upto: int) -> list[Match]:
    """What ``watch`` finds among articles ``after < id <= upto``."""
    found: list[Match] = []
    for person in watch.people:
        found += _person_matches(store, person, after, upto)
    for entity in watch.entities:
        rows = store.conn.execute(
            "SELECT DISTINCT article_id FROM entities WHERE canonical = ? "
            "AND article_id > ? AND article_id <= ? ORDER BY article_id",
            (entity, after, upto),
        )
        found += [Match(r[0], None, f"mentions {entity}") for r in rows]
    for words in watch.words:
        query = fts_query(words)
        if not query:
            continue
        rows = store.conn.execute(
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? AND rowid > ? "
            "AND rowid <= ? ORDER BY rowid",
            (query, after, upto),
        )
        found += [Match(r[0], None, f"says {words}") for r in rows]
    if watch.feeds or watch.tags:
        allowed = _in_scope(store, watch, after, upto)
        found = [m for m in found if m.article_id in allowed]
    return found


def _person_matches(store: Store, name: str, after: int, upto: int) -> list[Match]:
    """The first quote in each new article by the person ``name`` means in the people
    registry, under any alias ("Zelensky" watches "Volodymyr Zelenskiy"; a surname shared
    by several people watches each), and by the name as written where no person is linked.
    Looked up on every fetch: the registry grows and the analyst's corrections move names."""
    ids = person_ids(Sql.of_sqlite(store.conn), name)
    rows = store.conn.execute(
        "SELECT q.id, q.article_id, q.speaker FROM quotes q WHERE q.article_id > ? "
        "AND q.article_id <= ? AND q.person_id IN (SELECT value FROM json_each(?)) "
        "UNION SELECT q.id, q.article_id, q.speaker FROM quotes q WHERE q.speaker = ? "
        "COLLATE NOCASE AND q.article_id > ? AND q.article_id <= ? "
        "ORDER BY 2, 1",
        (after, upto, json.dumps(ids), name, after, upto),
    )
    firsts: dict[int, Match] = {}
    for quote_id, article_id, speaker in rows:
        firsts.setdefault(article_id, Match(article_id, quote_id, f"quotes {speaker}"))
    return list(firsts.values())


def _in_scope(store: Store, watch: WatchConfig, after: int, upto: int) -> set[int]:
    """The new articles from the watch's feeds or tags. A filter applied afterwards, never
    inside the queries above: given to the FTS query as ``rowid IN (...)``, SQLite ran the
    full-text match once per article of the tag (seconds on a big store)."""
    ors: list[str] = []
    params: list[object] = [after, upto]
    if watch.feeds:
        ors.append("f.name IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(watch.feeds)))
    for tag in watch.tags:
        ors.append("' ' || f.tags || ' ' LIKE ?")
        params.append(f"% {tag} %")
    rows = store.conn.execute(
        "SELECT af.article_id FROM article_feeds af JOIN feeds f ON f.id = af.feed_id "
        f"WHERE af.article_id > ? AND af.article_id <= ? AND ({' OR '.join(ors)})",
        params,
    )
    return {r[0] for r in rows}


def record_hits(store: Store, watch: str, matches: list[Match], upto: int) -> list[int]:
    """Store new hits (a repeat of a stored one is ignored) and move the watch's mark to
    ``upto``, in one transaction. The ids of the hits that are new."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids: list[int] = []
    with store.transaction() as tx:
        for m in matches:
            cur = tx.execute(
                "INSERT OR IGNORE INTO watch_hits (watch, article_id, quote_id, matched, "
                "found_at) VALUES (?, ?, ?, ?, ?)",
                (watch, m.article_id, m.quote_id, m.matched, now),
            )
            if cur.rowcount and cur.lastrowid is not None:
                ids.append(cur.lastrowid)
        tx.execute(
            "INSERT INTO watch_state (watch, last_article_id) VALUES (?, ?) "
            "ON CONFLICT (watch) DO UPDATE SET last_article_id = excluded.last_article_id",
            (watch, upto),
        )
    return ids


def hits(
    store: Store,
    *,
    only_new: bool = False,
    watch: str | None = None,
    ids: list[int] | None = None,
    limit: int = 1000,
) -> list[Hit]:
    """Stored hits, newest article first."""
    clauses, params = [], []
    if only_new:
        clauses.append("h.seen = 0")
    if watch is not None:
        clauses.append("h.watch = ?")
        params.append(watch)
    if ids is not None:
        clauses.append("h.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(ids))
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = store.conn.execute(
        "SELECT h.*, a.title, a.source, a.published, a.url, q.text AS quote, q.speaker "
        "FROM watch_hits h JOIN articles a ON a.id = h.article_id "
        f"LEFT JOIN quotes q ON q.id = h.quote_id {where} "
        "ORDER BY a.published DESC, h.article_id DESC, h.id LIMIT ?",
        (*params, limit),
    )
    return [
        Hit(
            r["id"],
            r["watch"],
            r["article_id"],
            r["quote_id"],
            r["matched"],
            r["found_at"],
            bool(r["seen"]),
            r["title"],
            r["source"],
            r["published"],
            r["url"],
            r["quote"],
            r["speaker"],
        )
        for r in rows
    ]


def mark_seen(store: Store, ids: list[int]) -> None:
    with store.transaction() as tx:
        tx.execute(
            "UPDATE watch_hits SET seen = 1 WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )


def unseen_counts(store: Store) -> dict[str, int]:
    return dict(
        store.conn.execute(
            "SELECT watch, count(*) FROM watch_hits WHERE seen = 0 GROUP BY watch"
        ).fetchall()
    )


def unseen_among(store: Store, article_ids: list[int], watches: list[str]) -> set[int]:
    """Which of these articles have hits of these watches that are not seen yet (the
    list's watch mark; a page of ids at a time, through the index by article)."""
    rows = store.conn.execute(
        "SELECT DISTINCT article_id FROM watch_hits WHERE seen = 0 AND article_id IN "
        "(SELECT value FROM json_each(?)) AND watch IN (SELECT value FROM json_each(?))",
        (json.dumps(article_ids), json.dumps(watches)),
    )
    return {r[0] for r in rows}


def hit_article_rows(store: Store, watch: str) -> list[ArticleRow]:
    """The articles a watch has hits in, as list rows, newest first."""
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.published, a.source, a.quote_count, a.text_status, a.read, "
        "a.starred FROM articles a WHERE a.id IN (SELECT article_id FROM watch_hits "
        "WHERE watch = ?) ORDER BY a.published DESC, a.id DESC",
        (watch,),
    )
    return [article_row(r) for r in rows]


def mark_article_seen(store: Store, article_id: int, watches: list[str]) -> None:
    """The hits of these watches in one article are seen (the article has been read)."""
    with store.transaction() as tx:
        tx.execute(
            "UPDATE watch_hits SET seen = 1 WHERE article_id = ? AND seen = 0 AND watch IN "
            "(SELECT value FROM json_each(?))",
            (article_id, json.dumps(watches)),
        )


def mark_watch_seen(store: Store, watch: str) -> None:
    with store.transaction() as tx:
        tx.execute("UPDATE watch_hits SET seen = 1 WHERE watch = ? AND seen = 0", (watch,))
