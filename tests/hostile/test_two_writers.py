"""The app and a ``briefing fetch`` writing one store at the same time.

The app side is the real ``Store`` used the way the app uses it: one connection
in a worker thread, marking articles read and starred (including the ones the
fetch has just stored, as the app does when they appear). The fetch is the real
command in its own process, on both backends. Nobody may see "database is locked", and
no write may be lost. Also: disk full and read-only stores give one clear line.
"""

from __future__ import annotations

import resource
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from extract.models import Analysis
from extract.store import NewArticle, StoreError, open_store
from extract.store.migrations import MIGRATIONS
from tests.helpers.backends import StoreTarget
from tests.helpers.hardening import briefing, cli_problems, store_problems
from tests.helpers.httpserver import TestServer
from tests.helpers.two_writers import old_article, serve_slow_site, share_the_store


@pytest.fixture
def slow_site(http_server: TestServer) -> TestServer:
    return serve_slow_site(http_server)


@pytest.mark.slow
def test_app_writes_and_a_fetch_share_the_store(
    tmp_path: Path, slow_site: TestServer, store_target: StoreTarget
) -> None:
    shared = share_the_store(tmp_path, slow_site, store_target)
    assert shared.lost == 0
    assert shared.writes > 200


@pytest.mark.slow
def test_fresh_store_opened_by_several_at_once(tmp_path: Path) -> None:
    """The app and a fetch starting together on a new store both get a working store."""
    failures: list[str] = []
    for trial in range(40):  # the WAL switch raced about once in 800 opens under load
        path = tmp_path / f"s{trial}.sqlite3"
        barrier = threading.Barrier(4)

        def open_and_write(name: str) -> None:
            try:
                barrier.wait()
                with open_store(path) as store:
                    store.upsert_feed(name, "http://x.example/rss")
            except Exception as exc:  # noqa: BLE001
                failures.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=open_and_write, args=(f"f{i}",)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with open_store(path) as store:
            assert len(store.feeds()) == 4 - sum(1 for f in failures if str(path) in f)
    assert failures == []


@pytest.mark.slow
def test_old_schema_store_migrates_through_the_cli(tmp_path: Path) -> None:
    """A store from an older schema version (here: none applied, but with a table the
    user made) is backed up and migrated by any command that opens it."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    if len(MIGRATIONS) > 1:  # a real older version exists: start from it
        path.unlink()
        conn = sqlite3.connect(path)
        conn.executescript(MIGRATIONS[0])
        conn.execute("PRAGMA user_version = 1")
        conn.commit()
        conn.close()
    config = tmp_path / "config.toml"  # one feed that fails at once: no network, no NLP
    config.write_text(f'[[feeds]]\nname = "Gone"\nurl = "{tmp_path / "gone.xml"}"\n')
    out = briefing("fetch", "--config", str(config), "--store", str(path), "--progress", "none")
    assert cli_problems("fetch on an old store", out) == []
    assert out.returncode == 1 and b"Gone" in out.stdout, out.stderr  # every feed failed
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    if len(MIGRATIONS) > 1:
        assert (tmp_path / "old.sqlite3.v1.bak").exists()


def test_disk_full_is_a_store_error_and_nothing_is_half_written(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        feed_id = store.upsert_feed("F", "http://f.example/rss")
        first = store.add_article(old_article(1), feed_id, "a1", Analysis(analysed_with="t"))
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages + 1}")  # the disk is now full
        big = _fields(old_article(2), text="x " * 200_000)
        with pytest.raises(StoreError, match="full"):
            store.add_article(big, feed_id, "a2", Analysis(analysed_with="t"))
        store.set_read(first)  # small writes that fit still work, reads work
        assert store.article_count() == 1 and store.article(first).read  # type: ignore[union-attr]
    assert store_problems(path) == []


def _fields(article: NewArticle, **changes: object) -> NewArticle:
    return replace(article, **changes)  # type: ignore[arg-type]


@pytest.mark.slow
def test_disk_full_during_a_real_fetch_is_one_line_and_exit_2(
    tmp_path: Path, slow_site: TestServer
) -> None:
    """The fetch process may not grow any file past its current size (RLIMIT_FSIZE):
    SQLite's writes fail as on a full disk."""
    store_path = tmp_path / "store.sqlite3"
    with open_store(store_path) as store:
        store.upsert_feed("Port", slow_site.url("/tw-feed"))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{store_path}"\n[fetch]\ntimeout = 5.0\n'
        f'[[feeds]]\nname = "Port"\nurl = "{slow_site.url("/tw-feed")}"\n'
    )
    limit = store_path.stat().st_size + 8192

    def full_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = briefing("fetch", "--config", str(config), "--progress", "none", preexec_fn=full_disk)
    assert cli_problems("fetch on a full disk", out) == []
    lines = out.stderr.decode().strip().splitlines()
    assert out.returncode == StoreError.exit_code, out.stderr
    assert len(lines) == 1 and lines[0].startswith("briefing: store error:"), lines
    assert "full" in lines[0] or "I/O" in lines[0]
    assert store_problems(store_path) == []
    # Reading still works, from the same store.
    with sqlite3.connect(store_path) as conn:
        stored = conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
    quotes = briefing("quotes", "--store", str(store_path))
    assert quotes.returncode == 0 and f" {stored} quotes".encode() in quotes.stdout


def test_read_only_store_reads_and_refuses_writes_clearly(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    with open_store(path) as store:
        feed_id = store.upsert_feed("F", "http://f.example/rss")
        article_id = store.add_article(old_article(1), feed_id, "a1", Analysis(analysed_with="t"))
    with open_store(path, readonly=True) as store:
        assert store.article(article_id) is not None and store.article_count() == 1
        for write in (
            lambda: store.set_read(article_id),
            lambda: store.set_starred(article_id, True),
            lambda: store.add_article(old_article(2), feed_id, "a2"),
        ):
            with pytest.raises(StoreError, match="read-only"):
                write()
    with open_store(path) as store:
        assert store.article_count() == 1 and not store.article(article_id).read  # type: ignore[union-attr]


@pytest.mark.slow
def test_store_in_an_impossible_place_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for args in (["quotes"], ["fetch", "--demo", "--progress", "none"]):
        out = briefing(*args, "--store", str(blocker / "store.sqlite3"))
        assert cli_problems("store under a file", out) == []
        lines = out.stderr.decode().strip().splitlines()
        assert out.returncode == StoreError.exit_code and len(lines) == 1
        assert lines[0].startswith("briefing: store error:") and str(blocker) in lines[0]
    not_db = tmp_path / "junk.sqlite3"
    not_db.write_bytes(b"\x00garbage" * 1000)
    out = briefing("quotes", "--store", str(not_db))
    assert cli_problems("store that is not a database", out) == []
    assert out.returncode == StoreError.exit_code and b"store error" in out.stderr
    assert not_db.read_bytes() == b"\x00garbage" * 1000  # left as it was
