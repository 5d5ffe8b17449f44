"""The store: everything Briefing keeps, in one SQLite file. All SQL lives in this package.

* ``connection``: opening the file (WAL, busy timeout, migrations with a backup);
* ``migrations``: the schema, one script per version;
* ``sqlite``: ``Store``, every read and write;
* ``records``: the values that cross the store's boundary (``NewArticle`` in, rows out);
* ``people``: the people registry: linking names to people, the analyst's corrections;
* ``search``: what users type, made into FTS5 queries that cannot be syntax errors;
* ``check``: is the store whole (``briefing store check``, and before every fetch).
"""

from extract.errors import StoreError
from extract.store.connection import BUSY_TIMEOUT_MS, StoreDamaged, can_write
from extract.store.people import PeopleError
from extract.store.records import ArticleFilter, NewArticle, PageSource, utc_now
from extract.store.sqlite import Store, open_store

__all__ = [
    "BUSY_TIMEOUT_MS",
    "ArticleFilter",
    "NewArticle",
    "PageSource",
    "PeopleError",
    "Store",
    "StoreDamaged",
    "StoreError",
    "can_write",
    "open_store",
    "utc_now",
]
