"""Rows read back from the store, shaped for the reader and the command line."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from extract.models import Quote
from extract.safe_text import one_line, plain


def utc_now() -> str:
    """Now, as the store writes times (added, checked, a missing published date):
    ISO 8601 in UTC, to the second, so they sort as text."""
    return datetime.now(UTC).isoformat(timespec="seconds")


# zlib level of stored pages (``NewArticle.html_zlib`` must be compressed the same way)
PAGE_COMPRESSION = 6


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    name: str
    url: str
    tags: tuple[str, ...]
    title: str | None
    last_status: str | None
    last_error: str | None
    checked_at: str | None
    article_count: int


@dataclass(frozen=True, slots=True)
class ArticleRow:
    """One line of the article list: only what the list shows."""

    id: int
    title: str
    published: str | None
    source: str
    quote_count: int
    text_status: str
    read: bool
    starred: bool


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    url: str | None
    title: str
    author: str | None
    published: str | None
    source: str
    text: str
    text_status: str
    text_reason: str | None
    language: str | None
    cleaned_with: str | None
    analysed_with: str | None
    analysis_skipped: str | None
    quote_count: int
    read: bool
    starred: bool
    feeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoredQuote:
    """A quote with the article it came from, for lookup and citation."""

    id: int
    article_id: int
    quote: Quote
    title: str
    source: str
    published: str | None
    url: str | None
    feed: str | None = None  # the name of a feed the article came in (first by name)

    def citation(self) -> str:
        """“...” — Julianne Smith, US envoy to NATO, Outlet, 2022-01-12, URL"""
        return citation(
            self.quote, outlet(self.source, self.url, self.feed), self.published, self.url
        )


_HOST = re.compile(r"^[\w.-]+(:\d+)?$")  # "127.0.0.1:8765", "example.com"


def outlet(source: str, url: str | None, feed: str | None) -> str:
    """Who published it: the site's name, or the feed's when the site gave only its host."""
    host = urlsplit(url).netloc.lower() if url else ""
    named = source.strip()
    if not named or named.lower() == host or (_HOST.match(named) and "." in named):
        return feed or named
    return named


def how_found(quote: Quote) -> str:
    """How the speaker was found, said in a citation when it was not written next to
    the quote ("" when it was)."""
    return {
        "pronoun": "speaker inferred",
        "inherited": "speaker inferred",
        "description": "not named",
    }.get(quote.resolution, "")


def citation(quote: Quote, outlet_: str, published: str | None, url: str | None) -> str:
    """“...” — Julianne Smith, US envoy to NATO, Outlet, 2022-01-12, URL

    Reported speech is a paraphrase, so it is never put in quote marks:
    Reported: Russia wants to avoid confrontation — Alexander Grushko, ...
    A trailing comma or colon of the quoted sentence ("bills," she said) is dropped.

    Every part is a stranger's text, cleaned as for the screen: a citation is pasted
    into terminals, where an escape sequence in it would replay.
    """
    who = one_line(quote.speaker) or "unattributed"
    flag = how_found(quote) if quote.speaker else ""
    if flag:
        who = f"{who} ({flag})"
    words = plain(quote.text).strip().rstrip(",;:–—-").rstrip()
    said = f"“{words}”" if quote.kind == "direct" else f"Reported: {words}"
    parts = [
        who,
        one_line(quote.role),
        one_line(outlet_),
        one_line((published or "")[:10]),
        one_line(url),
    ]
    return f"{said} — " + ", ".join(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class EntityCount:
    label: str
    canonical: str  # the name as the article mostly writes it
    role: str | None
    count: int
    person_id: int | None = None  # the person (or speaking organisation) of the registry
    names: tuple[str, ...] = ()  # every name of the article counted here, when several


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to be stored, before it has an id."""

    url: str | None
    canonical_url: str | None
    title: str
    author: str | None
    published: str | None
    source: str
    text: str
    text_status: str
    text_reason: str | None = None
    summary: str = ""
    html: bytes | None = None
    language: str | None = None
    content_hash: str | None = None
    cleaned_with: str | None = None
    content_type: str | None = None  # as served, so re-cleaning decodes the page the same way
    html_zlib: bytes | None = None  # the page already zlib-compressed (instead of html)


def stored_page(new: NewArticle) -> bytes | None:
    """The page of ``new`` as the store keeps it: zlib-compressed."""
    return new.html_zlib or (zlib.compress(new.html, PAGE_COMPRESSION) if new.html else None)


@dataclass(frozen=True, slots=True)
class PageSource:
    html: bytes | None
    content_type: str | None
    url: str | None
    summary: str
    reason: str | None  # why the page gave no text, when it gave none


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """What the article list shows; all None means every article."""

    feed: str | None = None
    tag: str | None = None
    entity: str | None = None  # canonical name of an entity the article mentions
    entity_label: str | None = None  # and its label: PERSON "Jordan" is not GPE "Jordan"
    person_id: int | None = None  # a person of the registry, under any of their names
    starred: bool = False
    unread: bool = False
    keep: int | None = None  # this article stays listed though read (the one being read)
    since: str | None = None  # published on or after this date (YYYY-MM-DD)
    order: str = "date"  # "date" (newest first) or "outlet" (by source, then newest first)


RowKey = tuple[str | None, int]  # (published, id): where an article sits in date order


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person of the registry, with counts read from their quotes and entities."""

    id: int
    name: str
    kind: str  # person | org
    quotes: int
    mentions: int  # entity mentions
    articles: int
    first_seen: str | None
    last_seen: str | None
    aliases: tuple[str, ...]  # the first few, as written
    alias_count: int


@dataclass(frozen=True, slots=True)
class PersonAlias:
    alias: str
    why: str
    article_id: int | None


@dataclass(frozen=True, slots=True)
class RoleSeen:
    role: str
    published: str | None
    source: str


@dataclass(frozen=True, slots=True)
class PersonProfile:
    person: PersonRow
    aliases: tuple[PersonAlias, ...]  # at most PROFILE_ALIASES; person.alias_count has all
    roles: tuple[RoleSeen, ...]  # newest first, one per role and outlet
    outlets: tuple[tuple[str, int], ...]  # (source, quotes), most first
    with_entities: tuple[EntityCount, ...]  # entities most mentioned in their articles


@dataclass(frozen=True, slots=True)
class Override:
    id: int
    action: str
    detail: str
    person_id: int | None
    person_name: str | None
    created_at: str
    by: str = ""  # the analyst (``[user] name``) on PostgreSQL; "" in a SQLite file
