"""The store: everything Briefing keeps, in one SQLite file or on PostgreSQL.

All SQL lives in this package.

* ``connection``: opening the file (WAL, busy timeout, migrations with a backup);
* ``migrations``: the schema, one script per version;
* ``sqlite``: ``Store``, every read and write;
* ``records``: the values that cross the store's boundary (``NewArticle`` in, rows out);
* ``people``: the people registry: linking names to people, the analyst's corrections,
  written once for both backends over ``sqlx.Sql`` (and ``people_store.PeopleMethods``,
  the person methods both stores share);
* ``sqlx``: one connection interface for SQL written once (``?`` placeholders, portable
  forms, a few named dialect helpers) and run on SQLite and PostgreSQL;
* ``search``: what users type, made into FTS5 queries that cannot be syntax errors;
* ``api``: ``StoreApi``, the interface both backends implement;
* ``postgres``, ``pg_connect``, ``pg_migrations``, ``pg_search``: the PostgreSQL backend
  (``[store] url``): a team's shared store, each analyst's own read and starred state;
* ``check``: is the store whole (``briefing store check``, and before every fetch).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from extract.errors import StoreError
from extract.store.api import DuplicateArticle, StoreApi
from extract.store.connection import BUSY_TIMEOUT_MS, StoreDamaged, can_write
from extract.store.people import PeopleError
from extract.store.records import ArticleFilter, NewArticle, PageSource, utc_now
from extract.store.sqlite import Store, open_store

if TYPE_CHECKING:
    from extract.store.postgres import PgStore


def open_pg(url: str, user: str, key: str = "[store] url", *, wait: float = 30.0) -> PgStore:
    """The PostgreSQL store at ``url`` (psycopg is imported only when one is used)."""
    from extract.store.postgres import open_pg_store

    return open_pg_store(url, user, key=key, wait=wait)


__all__ = [
    "BUSY_TIMEOUT_MS",
    "ArticleFilter",
    "DuplicateArticle",
    "NewArticle",
    "PageSource",
    "PeopleError",
    "Store",
    "StoreApi",
    "StoreDamaged",
    "StoreError",
    "can_write",
    "open_pg",
    "open_store",
    "utc_now",
]
