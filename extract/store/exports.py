"""The reads behind an exported briefing: the articles a filter selects and their quotes.

Kept apart from ``sqlite.Store`` (the reader's reads) because an export reads whole
selections at once, in two queries, instead of pages of rows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from extract.store.people import person_ids
from extract.store.records import ArticleFilter
from extract.store.search import fts_query
from extract.store.sqlite import Store, _filter_sql
from extract.store.sqlx import Sql

LEAD_CHARS = 1200  # enough of the text for its first paragraph


@dataclass(frozen=True, slots=True)
class ExportFilter:
    """Which articles a briefing holds; the defaults select every article."""

    view: ArticleFilter = field(default_factory=ArticleFilter)  # feed, tag, entity, flags
    since: str | None = None  # YYYY-MM-DD, published on or after that day
    until: str | None = None  # YYYY-MM-DD, published on or before that day
    search: str | None = None  # full-text search of titles and text, as `/` searches
    speaker: str | None = None  # only articles quoting this person (any alias), their quotes
    watch: str | None = None  # only articles this watchlist has hits in
    article_ids: tuple[int, ...] | None = None  # exactly these (the app's search results)
    limit: int | None = None  # at most this many articles, the newest


@dataclass(frozen=True, slots=True)
class ExportArticle:
    id: int
    title: str
    url: str | None
    published: str | None
    source: str
    lead: str  # the start of the text (or the feed's summary when there is no text)
    feeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ExportQuote:
    """What a briefing shows of a quote (no offsets: a briefing cites the article)."""

    article_id: int
    kind: str  # direct | indirect
    text: str
    speaker: str | None
    role: str | None
    resolution: str  # explicit | pronoun | inherited | none
    person_id: int | None = None  # the speaker's person in the people registry
    person: str | None = None  # that person's display name ("Donald Trump" for "Mr. Trump")


def export_articles(store: Store, where: ExportFilter) -> list[ExportArticle]:
    """The selected articles, newest first (undated ones last)."""
    sql, params = _filter_sql(where.view)
    clauses = [sql.removeprefix("WHERE ")] if sql else []
    if where.since:
        clauses.append("a.published >= ?")
        params.append(where.since)
    if where.until:  # a day is inclusive: everything published before the next one
        clauses.append("a.published < ?")
        params.append(where.until + "\uffff")
    if where.search is not None:
        clauses.append("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
        params.append(fts_query(where.search) or '""')
    if where.speaker:  # the person under any alias, or the name as written
        clauses.append(
            "a.id IN (SELECT article_id FROM quotes WHERE speaker = ? COLLATE NOCASE UNION "
            "SELECT article_id FROM quotes WHERE person_id IN (SELECT value FROM json_each(?)))"
        )
        params += [where.speaker, json.dumps(person_ids(Sql.of_sqlite(store.conn), where.speaker))]
    if where.watch is not None:
        clauses.append("a.id IN (SELECT article_id FROM watch_hits WHERE watch = ?)")
        params.append(where.watch)
    if where.article_ids is not None:
        clauses.append("a.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(list(where.article_ids)))
    filters = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    limit = " LIMIT ?" if where.limit is not None else ""
    if where.limit is not None:
        params.append(where.limit)
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.url, a.published, a.source, "
        f"substr(a.text, 1, {LEAD_CHARS}) AS lead, substr(a.summary, 1, {LEAD_CHARS}) AS summ, "
        "(SELECT json_group_array(f.name) FROM article_feeds af JOIN feeds f "
        " ON f.id = af.feed_id WHERE af.article_id = a.id) AS feeds "
        f"FROM articles a {filters} "
        f"ORDER BY a.published IS NULL, a.published DESC, a.id DESC{limit}",
        params,
    )
    return [
        ExportArticle(
            r["id"],
            r["title"],
            r["url"],
            r["published"],
            r["source"],
            r["lead"] or r["summ"] or "",
            tuple(sorted(json.loads(r["feeds"]))),
        )
        for r in rows
    ]


def export_quotes(
    store: Store, article_ids: list[int], speaker: str | None = None
) -> list[ExportQuote]:
    """The quotes of these articles in text order, with their person (only ``speaker``'s,
    if given: the people that name means in the registry, or the name as written)."""
    by_speaker, params = "", [json.dumps(article_ids)]
    if speaker:
        by_speaker = (
            " AND (q.speaker = ? COLLATE NOCASE OR q.person_id IN (SELECT value FROM json_each(?)))"
        )
        params += [speaker, json.dumps(person_ids(Sql.of_sqlite(store.conn), speaker))]
    rows = store.conn.execute(
        "SELECT q.article_id, q.kind, q.text, q.speaker, q.role, q.resolution, q.person_id, "
        "p.name FROM quotes q LEFT JOIN people p ON p.id = q.person_id "
        f"WHERE q.article_id IN (SELECT value FROM json_each(?)){by_speaker} "
        "ORDER BY q.article_id, q.sentence_start, q.id",
        params,
    )
    return [ExportQuote(*r) for r in rows]
