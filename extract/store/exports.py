"""The reads behind an exported briefing: the articles a filter selects and their quotes.

Kept apart from the stores' reads (pages of rows) because an export reads whole
selections at once, in two queries. Written once for both backends (``sqlx.Sql``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from extract.store.api import StoreApi
from extract.store.people import person_ids
from extract.store.records import ArticleFilter
from extract.store.sqlite import _filter_sql
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


def export_articles(store: StoreApi, where: ExportFilter) -> list[ExportArticle]:
    """The selected articles, newest first (undated ones last)."""
    with store.reading_sql() as db:
        clauses, params = _view(store, db, where.view)
        if where.since:
            clauses.append("a.published >= ?")
            params.append(where.since)
        if where.until:  # a day is inclusive: everything published before the next one
            clauses.append("a.published < ?")
            params.append(where.until + "\uffff")
        if where.search is not None:
            match = db.article_words(where.search)
            clauses.append(match[0] if match else "1 = 0")
            params += [match[1]] if match else []
        if where.speaker:  # the person under any alias, or the name as written
            ids = person_ids(db, where.speaker)
            clauses.append(
                f"a.id IN (SELECT article_id FROM quotes WHERE {db.nocase('speaker')} UNION "
                f"SELECT article_id FROM quotes WHERE {db.one_of('person_id', len(ids))})"
            )
            params += [where.speaker, *ids]
        if where.watch is not None:
            clauses.append("a.id IN (SELECT article_id FROM watch_hits WHERE watch = ?)")
            params.append(where.watch)
        if where.article_ids is not None:
            clauses.append(db.in_values("a.id"))
            params.append(db.values(where.article_ids))
        filters = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        limit = " LIMIT ?" if where.limit is not None else ""
        if where.limit is not None:
            params.append(where.limit)
        rows = db.execute(
            "SELECT a.id, a.title, a.url, a.published, a.source, "
            f"substr(a.text, 1, {LEAD_CHARS}) AS lead, "
            f"substr(a.summary, 1, {LEAD_CHARS}) AS summ, "
            f"(SELECT {db.json_list('f.name')} FROM article_feeds af JOIN feeds f "
            " ON f.id = af.feed_id WHERE af.article_id = a.id) AS feeds "
            f"FROM articles a {filters} "
            f"ORDER BY a.published IS NULL, a.published DESC, a.id DESC{limit}",
            params,
        ).fetchall()
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


def _view(store: StoreApi, db: Sql, view: ArticleFilter) -> tuple[list[str], list[Any]]:
    """The list's filter (feed, tag, flags) as clauses on ``a``. PostgreSQL's read and
    starred are each analyst's: the store's own filter gives the ids there."""
    if not db.pg:
        sql, params = _filter_sql(view)
        return ([sql.removeprefix("WHERE ")] if sql else []), params
    if view == ArticleFilter():
        return [], []
    return [db.in_values("a.id")], [db.values(store.article_ids(view))]


def export_quotes(
    store: StoreApi, article_ids: list[int], speaker: str | None = None
) -> list[ExportQuote]:
    """The quotes of these articles in text order, with their person (only ``speaker``'s,
    if given: the people that name means in the registry, or the name as written)."""
    with store.reading_sql() as db:
        by_speaker, params = "", [db.values(article_ids)]
        if speaker:
            ids = person_ids(db, speaker)
            by_speaker = f" AND ({db.nocase('q.speaker')} OR {db.one_of('q.person_id', len(ids))})"
            params += [speaker, *ids]
        rows = db.execute(
            "SELECT q.article_id, q.kind, q.text, q.speaker, q.role, q.resolution, "
            "q.person_id, p.name FROM quotes q LEFT JOIN people p ON p.id = q.person_id "
            f"WHERE {db.in_values('q.article_id')}{by_speaker} "
            "ORDER BY q.article_id, q.sentence_start, q.id",
            params,
        ).fetchall()
    return [ExportQuote(*r) for r in rows]
