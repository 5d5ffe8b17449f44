"""The store's interface: what the ingest and the readers call, whichever backend keeps it.

Two backends: ``sqlite.Store`` (one file, the default) and ``postgres.PgStore`` (a team's
server, ``[store] url``). ``open_any`` picks one from the config.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Protocol

from extract.models import Analysis, Entity, Quote
from extract.store.records import (
    Article,
    ArticleFilter,
    ArticleRow,
    EntityCount,
    FeedRow,
    NewArticle,
    Override,
    PageSource,
    PersonProfile,
    PersonRow,
    RowKey,
    StoredQuote,
)

if TYPE_CHECKING:
    from extract.store.sqlx import Sql


class DuplicateArticle(Exception):  # noqa: N818 - a value of the race, not a failure
    """Another process stored this canonical URL first: link to its copy instead."""


class PeopleApi(Protocol):
    """The people registry: who is who across articles, and the analyst's corrections.
    Both backends run one implementation (``people_store.PeopleMethods``)."""

    def people(self, search: str | None = None, limit: int = 1000) -> list[PersonRow]: ...
    def person(self, person_id: int) -> PersonRow | None: ...
    def find_people(self, name: str) -> list[PersonRow]: ...
    def people_named(self, name: str, limit: int = 5) -> list[tuple[int, str]]: ...
    def people_containing(self, text: str, limit: int = 8) -> list[int]: ...
    def person_ids(self, name: str) -> list[int]: ...
    def person_profile(self, person_id: int) -> PersonProfile | None: ...
    def person_of_quote(self, quote_id: int) -> int | None: ...
    def person_named_in(self, article_id: int, speaker: str) -> int | None: ...
    def merge_people(self, source_id: int, into_id: int) -> None: ...
    def split_person(self, person_id: int, alias: str) -> int: ...
    def rename_person(self, person_id: int, name: str) -> None: ...
    def person_overrides(self) -> list[Override]: ...
    def relink_people(self) -> int: ...
    def reading_sql(self) -> AbstractContextManager[Sql]: ...  # for shared SQL (sqlx)
    def writing_sql(self) -> AbstractContextManager[Sql]: ...  # one transaction


class StoreApi(PeopleApi, Protocol):
    """The reads and writes both backends implement."""

    skipped: list[str]
    readonly: bool  # a SQLite file the user may not write; never on PostgreSQL

    @property
    def where(self) -> str: ...  # the file, or the server and database (no password)

    def close(self) -> None: ...
    def upsert_feed(self, name: str, url: str, tags: tuple[str, ...] = ()) -> int: ...
    def feed_validators(self, feed_id: int) -> tuple[str | None, str | None]: ...
    def record_feed_check(
        self,
        feed_id: int,
        status: str,
        error: str | None = None,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
    ) -> None: ...
    def claim_feed(self, feed_id: int) -> bool: ...
    def release_feeds(self) -> None: ...
    def feeds(self) -> list[FeedRow]: ...
    def find_article(
        self,
        *,
        feed_id: int | None = None,
        guid: str | None = None,
        canonical_url: str | None = None,
        content_hash: str | None = None,
    ) -> int | None: ...
    def link_feed(self, article_id: int, feed_id: int, guid: str) -> None: ...
    def add_article(
        self,
        new: NewArticle,
        feed_id: int | None,
        guid: str | None,
        analysis: Analysis | None = None,
    ) -> int: ...
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
    ) -> None: ...
    def set_read(self, article_id: int, read: bool = True) -> None: ...
    def mark_all_read(self, ids: list[int]) -> int: ...
    def set_starred(self, article_id: int, starred: bool) -> None: ...
    def article_count(self, where: ArticleFilter = ArticleFilter()) -> int: ...
    def article_rows(
        self,
        offset: int,
        limit: int,
        where: ArticleFilter = ArticleFilter(),
        *,
        after: RowKey | None = None,  # the key of the row before ``offset``, if known
        total: int | None = None,  # the list's length, if known
    ) -> list[ArticleRow]: ...
    def article_ids(self, where: ArticleFilter = ArticleFilter()) -> list[int]: ...
    def position_of(
        self, article_id: int, where: ArticleFilter = ArticleFilter()
    ) -> int | None: ...
    def latest_article_id(self) -> int: ...  # 0 when empty: the app's cheap "anything new?"
    def article(self, article_id: int) -> Article | None: ...
    def page_source(self, article_id: int) -> PageSource | None: ...
    def entities(self, article_id: int) -> list[Entity]: ...
    def entity_counts(self, article_id: int) -> list[EntityCount]: ...
    def quotes(self, article_id: int) -> list[Quote]: ...
    def search_articles(self, text: str, limit: int = 200) -> list[ArticleRow]: ...
    def search_quotes(self, text: str, limit: int = 50) -> list[StoredQuote]: ...
    def quotes_by(
        self,
        speaker: str | None = None,
        since: str | None = None,
        limit: int = 1000,
        *,
        person_id: int | None = None,
        about: str | None = None,
    ) -> list[StoredQuote]: ...
    def all_article_ids(self) -> list[int]: ...
