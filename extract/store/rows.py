"""Stored rows made records, the same for every backend (SQLite's ``sqlite3.Row`` and
PostgreSQL's dict rows are both read by column name)."""

from __future__ import annotations

import json
from typing import Any, Protocol

from extract.models import Quote
from extract.store.records import ArticleRow, FeedRow, StoredQuote


class Row(Protocol):
    def __getitem__(self, key: str, /) -> Any: ...


def feed_row(r: Row) -> FeedRow:
    return FeedRow(
        id=r["id"],
        name=r["name"],
        url=r["url"],
        tags=tuple(r["tags"].split()),
        title=r["title"],
        last_status=r["last_status"],
        last_error=r["last_error"],
        checked_at=r["checked_at"],
        article_count=r["n"],
    )


def article_row(r: Row) -> ArticleRow:
    return ArticleRow(
        id=r["id"],
        title=r["title"],
        published=r["published"],
        source=r["source"],
        quote_count=r["quote_count"],
        text_status=r["text_status"],
        read=bool(r["read"]),
        starred=bool(r["starred"]),
    )


def quote_of(r: Row) -> Quote:
    return Quote(
        kind=r["kind"],
        text=r["text"],
        spans=tuple(tuple(s) for s in json.loads(r["spans"])),
        speaker=r["speaker"],
        speaker_mention=r["speaker_mention"],
        speaker_start=r["speaker_start"],
        speaker_end=r["speaker_end"],
        role=r["role"],
        cue=r["cue"],
        resolution=r["resolution"],
        sentence_start=r["sentence_start"],
        sentence_end=r["sentence_end"],
    )


def stored_quote(r: Row) -> StoredQuote:
    return StoredQuote(
        id=r["id"],
        article_id=r["article_id"],
        quote=quote_of(r),
        title=r["a_title"],
        source=r["a_source"],
        published=r["a_published"],
        url=r["a_url"],
        feed=r["a_feed"],
    )
