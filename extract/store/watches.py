"""Watchlist SQL: finding a watch's matches among new articles, storing and listing hits.

Incremental: each watch keeps the highest article id it has looked at (``watch_state``),
and every query below reads only articles above it, through the indexes on quotes by
person and speaker, entities by name and the full-text index, so the cost follows the new
articles, not the store.

Written once for both backends (``sqlx.Sql``). Hits are found once and shared; on
PostgreSQL "seen" is each analyst's own (``watch_seen``, by ``[user] name``): one analyst
marking hits seen leaves them new for the others. A SQLite file keeps it in the hit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from extract.config import WatchConfig
from extract.store.people import person_ids
from extract.store.records import ArticleRow
from extract.store.rows import article_row
from extract.store.sqlx import Sql, SqlStore


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


def last_looked_at(store: SqlStore, watch: str) -> int | None:
    with store.reading_sql() as db:
        found = db.one("SELECT last_article_id FROM watch_state WHERE watch = ?", (watch,))
    return int(found) if found is not None else None


def newest_article_id(store: SqlStore) -> int:
    with store.reading_sql() as db:
        return int(db.one("SELECT coalesce(max(id), 0) FROM articles"))


def find_matches(store: SqlStore, watch: WatchConfig, after: int, upto: int) -> list[Match]:
    """What ``watch`` finds among articles ``after < id <= upto``."""
    found: list[Match] = []
    with store.reading_sql() as db:
        for person in watch.people:
            found += _person_matches(db, person, after, upto)
        for entity in watch.entities:
            rows = db.execute(
                "SELECT DISTINCT article_id FROM entities WHERE canonical = ? "
                "AND article_id > ? AND article_id <= ? ORDER BY article_id",
                (entity, after, upto),
            )
            found += [Match(r[0], None, f"mentions {entity}") for r in rows]
        for words in watch.words:
            match = db.article_words(words)
            if match is None:
                continue
            rows = db.execute(
                f"SELECT a.id FROM articles a WHERE {match[0]} AND a.id > ? AND a.id <= ? "
                "ORDER BY a.id",
                (match[1], after, upto),
            )
            found += [Match(r[0], None, f"says {words}") for r in rows]
        if watch.feeds or watch.tags:
            allowed = _in_scope(db, watch, after, upto)
            found = [m for m in found if m.article_id in allowed]
    return found


def _person_matches(db: Sql, name: str, after: int, upto: int) -> list[Match]:
    """The first quote in each new article by the person ``name`` means in the people
    registry, under any alias ("Zelensky" watches "Volodymyr Zelenskiy"; a surname shared
    by several people watches each), and by the name as written where no person is linked.
    Looked up on every fetch: the registry grows and the analyst's corrections move names."""
    ids = person_ids(db, name)
    rows = db.execute(
        "SELECT q.id, q.article_id, q.speaker FROM quotes q WHERE q.article_id > ? "
        f"AND q.article_id <= ? AND {db.one_of('q.person_id', len(ids))} "
        "UNION SELECT q.id, q.article_id, q.speaker FROM quotes q WHERE "
        f"{db.nocase('q.speaker')} AND q.article_id > ? AND q.article_id <= ? "
        "ORDER BY 2, 1",
        (after, upto, *ids, name, after, upto),
    )
    firsts: dict[int, Match] = {}
    for quote_id, article_id, speaker in rows:
        firsts.setdefault(article_id, Match(article_id, quote_id, f"quotes {speaker}"))
    return list(firsts.values())


def _in_scope(db: Sql, watch: WatchConfig, after: int, upto: int) -> set[int]:
    """The new articles from the watch's feeds or tags. A filter applied afterwards, never
    inside the queries above: given to the FTS query as ``rowid IN (...)``, SQLite ran the
    full-text match once per article of the tag (seconds on a big store)."""
    ors: list[str] = []
    params: list[object] = [after, upto]
    if watch.feeds:
        ors.append(db.in_values("f.name"))
        params.append(db.values(watch.feeds))
    for tag in watch.tags:
        ors.append(f"' ' || f.tags || ' ' {db.like} ?")
        params.append(f"% {tag} %")
    rows = db.execute(
        "SELECT af.article_id FROM article_feeds af JOIN feeds f ON f.id = af.feed_id "
        f"WHERE af.article_id > ? AND af.article_id <= ? AND ({' OR '.join(ors)})",
        params,
    )
    return {r[0] for r in rows}


def record_hits(store: SqlStore, watch: str, matches: list[Match], upto: int) -> list[int]:
    """Store new hits (a repeat of a stored one is ignored) and move the watch's mark to
    ``upto``, in one transaction. The ids of the hits that are new."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    ids: list[int] = []
    with store.writing_sql() as tx:
        for m in matches:
            new = tx.execute(
                "INSERT INTO watch_hits (watch, article_id, quote_id, matched, found_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (watch, m.article_id, m.quote_id, m.matched, now),
            ).fetchone()
            if new is not None:
                ids.append(int(new[0]))
        # The mark only moves on: two fetches finishing out of order must not look again.
        tx.execute(
            "INSERT INTO watch_state (watch, last_article_id) VALUES (?, ?) "
            "ON CONFLICT (watch) DO UPDATE SET last_article_id = CASE WHEN "
            "excluded.last_article_id > watch_state.last_article_id THEN "
            "excluded.last_article_id ELSE watch_state.last_article_id END",
            (watch, upto),
        )
    return ids


# -- each analyst's "seen" -------------------------------------------------------


def _seen(db: Sql) -> tuple[str, list[Any]]:
    """SQL true when the hit ``h`` is seen (by this analyst on PostgreSQL), its parameters."""
    if db.pg:
        return (
            "EXISTS (SELECT 1 FROM watch_seen s WHERE s.hit_id = h.id AND s.user_name = ?)",
            [db.user],
        )
    return "h.seen != 0", []


def _mark_seen(store: SqlStore, where: str, params: Sequence[Any]) -> None:
    """Mark the hits ``h`` that ``where`` selects seen (for this analyst on PostgreSQL)."""
    with store.writing_sql() as tx:
        if tx.pg:
            tx.execute(
                "INSERT INTO watch_seen (user_name, hit_id) SELECT ?, h.id FROM watch_hits h "
                f"WHERE {where} ON CONFLICT DO NOTHING",
                (tx.user, *params),
            )
        else:
            tx.execute(f"UPDATE watch_hits AS h SET seen = 1 WHERE h.seen = 0 AND {where}", params)


def hits(
    store: SqlStore,
    *,
    only_new: bool = False,
    watch: str | None = None,
    ids: list[int] | None = None,
    limit: int = 1000,
) -> list[Hit]:
    """Stored hits, newest article first."""
    with store.reading_sql() as db:
        seen, seen_params = _seen(db)
        clauses: list[str] = []
        params: list[Any] = [*seen_params]  # the SELECT's, first
        if only_new:
            clauses.append(f"NOT {seen}")
            params += seen_params
        if watch is not None:
            clauses.append("h.watch = ?")
            params.append(watch)
        if ids is not None:
            clauses.append(db.in_values("h.id"))
            params.append(db.values(ids))
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = db.execute(
            "SELECT h.id, h.watch, h.article_id, h.quote_id, h.matched, h.found_at, "
            f"{seen} AS seen, a.title, a.source, a.published, a.url, q.text AS quote, "
            "q.speaker FROM watch_hits h JOIN articles a ON a.id = h.article_id "
            f"LEFT JOIN quotes q ON q.id = h.quote_id {where} "
            "ORDER BY a.published DESC NULLS LAST, h.article_id DESC, h.id LIMIT ?",
            (*params, limit),
        ).fetchall()
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


def mark_seen(store: SqlStore, ids: list[int]) -> None:
    with store.reading_sql() as db:
        where, value = db.in_values("h.id"), db.values(ids)
    _mark_seen(store, where, (value,))


def unseen_counts(store: SqlStore) -> dict[str, int]:
    with store.reading_sql() as db:
        seen, params = _seen(db)
        rows = db.execute(
            f"SELECT h.watch, count(*) FROM watch_hits h WHERE NOT {seen} GROUP BY h.watch",
            params,
        )
        return {r[0]: int(r[1]) for r in rows}


def unseen_among(store: SqlStore, article_ids: list[int], watches: list[str]) -> set[int]:
    """Which of these articles have hits of these watches that are not seen yet (the
    list's watch mark; a page of ids at a time, through the index by article)."""
    with store.reading_sql() as db:
        seen, params = _seen(db)
        rows = db.execute(
            f"SELECT DISTINCT h.article_id FROM watch_hits h WHERE NOT {seen} AND "
            f"{db.in_values('h.article_id')} AND {db.in_values('h.watch')}",
            (*params, db.values(article_ids), db.values(watches)),
        )
        return {r[0] for r in rows}


def hit_article_rows(store: SqlStore, watch: str) -> list[ArticleRow]:
    """The articles a watch has hits in, as list rows, newest first (read and starred:
    this analyst's, on PostgreSQL)."""
    with store.reading_sql() as db:
        if db.pg:
            state = (
                "coalesce(s.read, false) AS read, coalesce(s.starred, false) AS starred "
                "FROM articles a LEFT JOIN article_state s ON s.article_id = a.id AND "
                "s.user_name = ?"
            )
            params: list[Any] = [db.user, watch]
        else:
            state, params = "a.read, a.starred FROM articles a", [watch]
        rows = db.execute(
            "SELECT a.id, a.title, a.published, a.source, a.quote_count, a.text_status, "
            f"{state} WHERE a.id IN (SELECT article_id FROM watch_hits WHERE watch = ?) "
            "ORDER BY a.published DESC NULLS LAST, a.id DESC",
            params,
        )
        return [article_row(r) for r in rows]


def mark_article_seen(store: SqlStore, article_id: int, watches: list[str]) -> None:
    """The hits of these watches in one article are seen (the article has been read)."""
    with store.reading_sql() as db:
        where, value = f"h.article_id = ? AND {db.in_values('h.watch')}", db.values(watches)
    _mark_seen(store, where, (article_id, value))


def mark_watch_seen(store: SqlStore, watch: str) -> None:
    _mark_seen(store, "h.watch = ?", (watch,))
