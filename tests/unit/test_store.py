"""The store: SQLite's schema, migrations with a backup, transactions and FTS5 queries; the
reads and writes both backends share (round trips, lists and filters, dedupe, search,
paging) run on both, through the ``backend`` fixture (tests/helpers/backends.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from extract.models import Analysis, Entity, Quote
from extract.store import (
    ArticleFilter,
    DuplicateArticle,
    NewArticle,
    StoreApi,
    StoreError,
    open_store,
)
from extract.store.migrations import SCHEMA_VERSION
from extract.store.search import fts_query


def article(n: int, **changes: object) -> NewArticle:
    base = dict(
        url=f"https://news.example/{n}",
        canonical_url=f"https://news.example/{n}",
        title=f"Title {n}",
        author="A. Writer",
        published=f"2022-01-{n:02d}T10:00:00+00:00",
        source="Example News",
        text=f"Body of article {n} about talks in Geneva.",
        text_status="full_text",
        html=b"<html><p>raw</p></html>",
        content_hash=f"h{n}",
    )
    base.update(changes)
    return NewArticle(**base)  # type: ignore[arg-type]


def quote(text: str, speaker: str | None, role: str | None = None) -> Quote:
    return Quote(
        "direct",
        text,
        ((0, len(text)),),
        speaker,
        speaker,
        0,
        3,
        role,
        "said",
        "explicit",
        0,
        len(text),
    )


def test_new_store_has_current_schema_and_wal(tmp_path: Path) -> None:
    with open_store(tmp_path / "a" / "s.sqlite3") as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_article_with_analysis_round_trips(backend: StoreApi) -> None:
    store = backend
    feed = store.upsert_feed("World", "https://news.example/rss", ("world",))
    analysis = Analysis(
        entities=(Entity("PERSON", "Smith", "Julianne Smith", 5, 10, "US envoy to NATO"),),
        quotes=(quote("We want to see Russia pulling back", "Julianne Smith", "US envoy to NATO"),),
        analysed_with="test-model 1",
    )
    article_id = store.add_article(article(12), feed, "guid-12", analysis)
    stored = store.article(article_id)
    assert stored is not None and stored.quote_count == 1 and stored.feeds == ("World",)
    assert stored.analysed_with == "test-model 1"
    assert store.page_source(article_id).html == b"<html><p>raw</p></html>"  # type: ignore[union-attr]
    assert store.entities(article_id)[0].role == "US envoy to NATO"
    assert store.quotes(article_id)[0].spans == ((0, 34),)
    hit = store.search_quotes("jul smi")[0]
    assert hit.citation() == (
        "“We want to see Russia pulling back” — Julianne Smith, "
        "US envoy to NATO, Example News, 2022-01-12, "
        "https://news.example/12"
    )


def test_list_is_newest_first_and_filters(backend: StoreApi) -> None:
    store = backend
    world = store.upsert_feed("World", "https://a.example/rss", ("world",))
    tech = store.upsert_feed("Tech", "https://b.example/rss", ("tech",))
    for n in range(1, 6):
        entities = (Entity("PERSON", "Ryabkov", "Sergei Ryabkov", 0, 7),) if n % 2 else ()
        store.add_article(
            article(n), world if n < 4 else tech, f"g{n}", Analysis(entities=entities)
        )
    assert [r.id for r in store.article_rows(0, 10)] == [5, 4, 3, 2, 1]
    assert [r.id for r in store.article_rows(1, 2)] == [4, 3]
    assert store.article_count(ArticleFilter(feed="Tech")) == 2
    assert store.article_count(ArticleFilter(tag="world")) == 3
    assert store.article_ids(ArticleFilter(entity="Sergei Ryabkov")) == [5, 3, 1]
    assert store.article_ids(ArticleFilter(entity="Sergei Ryabkov", entity_label="GPE")) == []
    for where in (ArticleFilter(), ArticleFilter(feed="World"), ArticleFilter(tag="tech")):
        ids = store.article_ids(where)
        assert [store.position_of(i, where) for i in ids] == list(range(len(ids)))
    assert store.position_of(1, ArticleFilter(feed="Tech")) is None
    assert store.position_of(999) is None
    store.set_starred(3, True)
    store.set_read(5)
    assert store.article_ids(ArticleFilter(starred=True)) == [3]
    assert 5 not in store.article_ids(ArticleFilter(unread=True))


def test_dedupe_keys_and_feed_links(backend: StoreApi) -> None:
    store = backend
    a = store.upsert_feed("A", "https://a.example/rss")
    b = store.upsert_feed("B", "https://b.example/rss")
    first = store.add_article(article(1), a, "guid-1")
    assert store.find_article(feed_id=a, guid="guid-1") == first
    assert store.find_article(feed_id=b, guid="guid-1") is None  # guids are per feed
    assert store.find_article(canonical_url="https://news.example/1") == first
    assert store.find_article(content_hash="h1") == first
    store.link_feed(first, b, "other-guid")
    store.link_feed(first, b, "other-guid")  # twice is harmless
    assert store.article(first).feeds == ("A", "B")  # type: ignore[union-attr]
    with pytest.raises((sqlite3.IntegrityError, DuplicateArticle)):  # one URL, one article
        store.add_article(article(1, content_hash="other"), a, "guid-x")
    assert store.article_count() == 1


def test_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        bad = Analysis(
            quotes=(
                Quote(
                    "direct", "x", ((0, 1),), None, None, None, None, None, None, "guessed", 0, 1
                ),
            )
        )  # violates the CHECK
        with pytest.raises(sqlite3.IntegrityError):
            store.add_article(article(1), None, None, bad)
        assert store.article_count() == 0
        assert store.conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0


def test_reanalysis_replaces_entities_and_quotes(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        article_id = store.add_article(
            article(1), None, None, Analysis(quotes=(quote("old words", "A"),))
        )
        store.replace_text(
            article_id,
            text="new words",
            text_status="full_text",
            text_reason=None,
            language="en",
            cleaned_with="c2",
            analysis=Analysis(quotes=(quote("new words", "B"),), analysed_with="v2"),
        )
        assert [q.text for q in store.quotes(article_id)] == ["new words"]
        assert store.search_quotes("old") == [] and len(store.search_quotes("new")) == 1


def test_search_survives_fts_syntax(backend: StoreApi) -> None:
    store = backend
    store.add_article(article(1, title="NATO talks"), None, None)
    for nasty in ['"', "AND", "NEAR(", "*", "title:", "-x", "a OR", "(", "\x00"]:
        store.search_articles(nasty)  # no sqlite3.OperationalError
    assert [r.id for r in store.search_articles("NAT")] == [1]
    assert store.search_articles("   ") == []
    assert fts_query('say "hi" NEAR') == '("say"*) AND ("hi") AND ("NEAR"*)'


def test_old_schema_is_migrated_after_a_backup(tmp_path: Path) -> None:
    from extract.store.connection import _statements
    from extract.store.migrations import MIGRATIONS

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in _statements(MIGRATIONS[0]):  # a store as version 1 wrote it
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO feeds (name, url) VALUES ('World', 'https://a.example/rss')")
    conn.execute(
        "INSERT INTO articles (title, text, text_status, added_at, canonical_url) "
        "VALUES ('Old one', 'Kept text', 'full_text', '2022', 'https://a.example/1')"
    )
    conn.execute("INSERT INTO article_feeds VALUES (1, 1, 'guid-1')")
    conn.close()
    with open_store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.article(1).feeds == ("World",)  # type: ignore[union-attr]
        assert store.find_article(feed_id=1, guid="guid-1") == 1
        assert [r.id for r in store.search_articles("kept")] == [1]
        store.link_feed(1, 1, "guid-2")  # v2: a second entry of one feed keeps its guid
        assert store.find_article(feed_id=1, guid="guid-2") == 1
    backup = tmp_path / "old.sqlite3.v1.bak"
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone()[0] == 1
    assert old.execute("SELECT title FROM articles").fetchall() == [("Old one",)]


def test_store_path_with_uri_characters(tmp_path: Path) -> None:
    for name in ("my#store.sqlite3", "100%.sqlite3", "what?.sqlite3"):
        with open_store(tmp_path / name) as store:
            store.add_article(article(1), None, None)
        assert (tmp_path / name).exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".sqlite3") == [
        "100%.sqlite3",
        "my#store.sqlite3",
        "what?.sqlite3",
    ]


def test_newer_store_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer Briefing"):
        open_store(path)


def test_read_only_store_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_store(path) as store:
        store.add_article(article(1), None, None)
    with open_store(path, readonly=True) as store:
        assert store.article_count() == 1
        with pytest.raises(StoreError, match="read-only"):
            store.set_read(1)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="is damaged: it is not an SQLite database"):
        open_store(path)


def _scanned_counts(store) -> dict[ArticleFilter, int]:  # noqa: ANN001
    """Each counted filter's count as ``count(*)`` over the rows says it."""
    return {
        where: len(store.article_ids(where))
        for where in (
            ArticleFilter(),
            ArticleFilter(unread=True),
            ArticleFilter(starred=True),
            ArticleFilter(unread=True, starred=True),
            ArticleFilter(unread=True, keep=1),
            ArticleFilter(unread=True, keep=2),
            ArticleFilter(unread=True, starred=True, keep=1),
        )
    }


def test_counts_are_kept_by_triggers_through_every_write(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.sqlite3") as store:
        assert store.article_count() == 0
        for n in range(1, 8):
            store.add_article(article(n), None, None)
        store.set_read(1)
        store.set_read(1)  # no change: counted once
        store.set_starred(1, True)
        store.set_starred(2, True)
        store.set_read(3)
        store.set_read(3, False)
        assert store.mark_all_read([4, 5, 1]) == 2
        store.conn.execute("UPDATE articles SET read = 7 WHERE id = 6")  # any true value
        store.conn.execute("DELETE FROM articles WHERE id = 7")
        for where, n in _scanned_counts(store).items():
            assert store.article_count(where) == n, where
        assert store.article_count() == 6 and store.article_count(ArticleFilter(unread=True)) == 2
        assert store.article_count(ArticleFilter(unread=True, keep=1)) == 3  # 1 is read, kept


def test_migration_6_indexes_one_letter_prefixes_and_counts_an_existing_store(
    tmp_path: Path,
) -> None:
    from extract.store.connection import _fill, _statements
    from extract.store.migrations import MIGRATIONS

    path = tmp_path / "v5.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for number, script in enumerate(MIGRATIONS[:5], start=1):  # a store as version 5 left it
        for statement in _statements(script):
            conn.execute(statement)
        _fill(conn, number)
    conn.execute("PRAGMA user_version = 5")
    for n, (read, starred) in enumerate([(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)], start=1):
        conn.execute(
            "INSERT INTO articles (title, text, text_status, added_at, read, starred) "
            "VALUES (?, ?, 'full_text', '2022', ?, ?)",
            (f"Old {n}", "Talks in Tallinn ended" if n == 3 else "Kept text", read, starred),
        )
    conn.execute(
        "INSERT INTO quotes (article_id, kind, text, spans, speaker, resolution, "
        "sentence_start, sentence_end) VALUES (3, 'direct', 'We will see', '[[0, 11]]', "
        "'Kaja Tamm', 'explicit', 0, 11)"
    )
    conn.close()
    with open_store(path) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for table in ("articles_fts", "quotes_fts"):
            sql = store.conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (table,)
            ).fetchone()[0]
            assert "prefix='1 2 3 4 5 6 7 8'" in sql
            store.conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        assert [r.id for r in store.search_articles("talks in t")] == [3]  # rebuilt, 1 letter
        assert [q.quote.speaker for q in store.search_quotes("k t")] == ["Kaja Tamm"]
        assert store.article_count() == 5
        assert store.article_count(ArticleFilter(unread=True)) == 3
        assert store.article_count(ArticleFilter(starred=True)) == 2
        assert store.article_count(ArticleFilter(unread=True, starred=True)) == 1
        store.add_article(article(9), None, None)  # the triggers carry on after it
        store.set_read(1)
        for where, n in _scanned_counts(store).items():
            assert store.article_count(where) == n, where
    assert (tmp_path / "v5.sqlite3.v5.bak").exists()


def test_pages_read_from_a_key_or_from_the_end_are_the_offset_pages(backend: StoreApi) -> None:
    """Paging from the last row read (``after``) and from the end (``total``) gives the
    same rows as OFFSET: dates tied, missing (NULL, listed last), a filter."""
    from tui.widgets.article_list import FilterSource

    store = backend
    for n in range(1, 31):
        published = None if n % 7 == 0 else f"2022-01-{n % 5 + 1:02d}T10:00:00+00:00"
        store.add_article(article(n, published=published), None, None)
    store.mark_all_read(list(range(1, 31, 3)))
    for where in (ArticleFilter(), ArticleFilter(unread=True, keep=4)):
        ids = store.article_ids(where)
        assert len({r.published for r in store.article_rows(0, 50, where)}) < len(ids)
        for size in (1, 4, 7):
            walked: list[int] = []
            after = None
            while rows := store.article_rows(len(walked), size, where, after=after):
                walked += [r.id for r in rows]
                after = (rows[-1].published, rows[-1].id)
            assert walked == ids
            for offset in range(len(ids) + 2):
                page = store.article_rows(offset, size, where, total=len(ids))
                assert [r.id for r in page] == ids[offset : offset + size]
        source = FilterSource(store, where, "all")
        assert source.count() == len(ids)
        assert [r.id for o in range(0, len(ids), 4) for r in source.page(o, 4)] == ids
