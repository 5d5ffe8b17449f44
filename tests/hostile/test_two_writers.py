"""The app and a ``briefing fetch`` writing one store at the same time.

The app side is the real ``Store`` used the way the app uses it: one connection
in a worker thread, marking articles read and starred (including the ones the
fetch has just stored, as the app does when they appear). The fetch is the real
command in its own process. Nobody may see "database is locked", and no write
may be lost. Also: disk full and read-only stores give one clear line.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from extract.models import Analysis
from extract.store import NewArticle, StoreError, open_store
from extract.store.migrations import MIGRATIONS
from tests.helpers import httpserver
from tests.helpers.hardening import REPO, TALLY, briefing, check_cli, store_problems
from tests.helpers.httpserver import TestServer

PAGES = 14


def page(n: int) -> bytes:
    return (f"<!doctype html><html lang='en'><body><article><h1>Item {n}</h1>"
            f"<p>The port authority said on Monday that shipment {n} had cleared customs "
            f"after a delay of several days.</p><p>\"Shipment {n} is on its way,\" spokesman "
            f"Tomas Varga said in a statement.</p></article></body></html>").encode()


def old_article(n: int) -> NewArticle:
    return NewArticle(url=f"http://old.example/{n}", canonical_url=f"http://old.example/{n}",
                      title=f"Old {n}", author=None, published=f"2021-01-{n % 28 + 1:02d}",
                      source="Old", text=f"Old text {n}.", text_status="full_text",
                      html=b"<p>old</p>")


@contextmanager
def slow_site_routes(server: TestServer) -> Iterator[TestServer]:
    """A feed of PAGES article pages, each served after a short delay."""
    def item(h: httpserver._Handler, rest: str, q: dict[str, str]) -> None:
        if h.pause(0.03):
            h.send(200, page(int(rest)))

    route = ("/tw-item", item)
    httpserver._BUILTINS.insert(0, route)
    items = "".join(f"<item><title>Item {n}</title><guid>i{n}</guid>"
                    f"<link>{server.url(f'/tw-item/{n}')}</link></item>"
                    for n in range(PAGES))
    server.add("/tw-feed", f'<?xml version="1.0"?><rss version="2.0"><channel>'
               f"<title>Port</title>{items}</channel></rss>".encode(),
               headers={"Content-Type": "application/rss+xml"})
    try:
        yield server
    finally:
        httpserver._BUILTINS.remove(route)


@pytest.fixture
def slow_site(http_server: TestServer) -> Iterator[TestServer]:
    with slow_site_routes(http_server) as server:
        yield server


def test_app_writes_and_a_fetch_share_the_store(tmp_path: Path, slow_site: TestServer) -> None:
    share_the_store(tmp_path, slow_site)


def share_the_store(tmp_path: Path, slow_site: TestServer) -> None:
    """The scenario: asserts nothing is lost and nobody sees an error."""
    store_path = tmp_path / "store.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{store_path}"\n[fetch]\ntimeout = 5.0\n'
                      f'[[feeds]]\nname = "Port"\nurl = "{slow_site.url("/tw-feed")}"\n')
    with open_store(store_path) as seed:
        feed_id = seed.upsert_feed("Old", "http://old.example/rss")
        old_ids = [seed.add_article(old_article(n), feed_id, f"o{n}",
                                    Analysis(analysed_with="test")) for n in range(40)]

    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    fetch = subprocess.Popen([sys.executable, "-m", "tui.cli", "fetch", "--config", str(config),
                              "--progress", "jsonl"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    new_ids: list[int] = []
    expected: dict[int, tuple[bool, bool]] = {}
    errors: list[str] = []
    writes = 0

    def read_events() -> None:
        assert fetch.stdout is not None
        for line in fetch.stdout:
            event = json.loads(line)
            if event["event"] == "article":
                new_ids.append(event["id"])

    def app() -> None:
        nonlocal writes
        try:
            store = open_store(store_path)  # the app's own connection, in its worker thread
        except StoreError as exc:
            errors.append(str(exc))
            return
        n = 0
        with store:
            while fetch.poll() is None or n < 200:
                ids = old_ids + list(new_ids)
                article_id = ids[n % len(ids)]
                read, starred = n % 3 != 0, n % 5 == 0
                try:
                    store.set_read(article_id, read)
                    store.set_starred(article_id, starred)
                    store.article_rows(0, 50)  # the list repaints between writes
                except Exception as exc:  # noqa: BLE001 - any failure is the finding
                    errors.append(f"{type(exc).__name__}: {exc}")
                    return
                writes += 2
                expected[article_id] = (read, starred)
                n += 1
                time.sleep(0.001)

    reader = threading.Thread(target=read_events, daemon=True)
    writer = threading.Thread(target=app)
    started = time.perf_counter()
    reader.start()
    writer.start()
    try:
        fetch.wait(timeout=180)  # stdout is the reader's; stderr is read once it ended
    finally:
        writer.join(timeout=60)
    reader.join(timeout=10)
    assert fetch.stderr is not None
    err = fetch.stderr.read()
    TALLY.timings["two writers"] = time.perf_counter() - started
    TALLY.writes += writes

    assert errors == []
    assert fetch.returncode == 0, err.decode(errors="replace")
    assert b"locked" not in err and b"Traceback" not in err
    assert len(new_ids) == PAGES and set(new_ids) & set(expected)  # the app wrote to new ones

    with open_store(store_path, readonly=True) as store:
        lost = [i for i, (read, starred) in expected.items()
                if (a := store.article(i)) is None or (a.read, a.starred) != (read, starred)]
        TALLY.writes_lost += len(lost)
        assert lost == []
        assert store.article_count() == 40 + PAGES
        assert {r.title for r in store.article_rows(0, 100)} >= {f"Item {n}" for n in
                                                                 range(PAGES)}
    assert store_problems(store_path) == []
    assert writes > 200


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
    check_cli("fetch on an old store", out)
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
    from dataclasses import replace

    return replace(article, **changes)  # type: ignore[arg-type]


def test_disk_full_during_a_real_fetch_is_one_line_and_exit_2(tmp_path: Path,
                                                              slow_site: TestServer) -> None:
    """The fetch process may not grow any file past its current size (RLIMIT_FSIZE):
    SQLite's writes fail as on a full disk."""
    store_path = tmp_path / "store.sqlite3"
    with open_store(store_path) as store:
        store.upsert_feed("Port", slow_site.url("/tw-feed"))
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{store_path}"\n[fetch]\ntimeout = 5.0\n'
                      f'[[feeds]]\nname = "Port"\nurl = "{slow_site.url("/tw-feed")}"\n')
    limit = store_path.stat().st_size + 8192

    def full_disk() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    out = briefing("fetch", "--config", str(config), "--progress", "none", preexec_fn=full_disk)
    check_cli("fetch on a full disk", out)
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


def test_store_in_an_impossible_place_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for args in (["quotes"], ["fetch", "--demo", "--progress", "none"]):
        out = briefing(*args, "--store", str(blocker / "store.sqlite3"))
        check_cli("store under a file", out)
        lines = out.stderr.decode().strip().splitlines()
        assert out.returncode == StoreError.exit_code and len(lines) == 1
        assert lines[0].startswith("briefing: store error:") and str(blocker) in lines[0]
    not_db = tmp_path / "junk.sqlite3"
    not_db.write_bytes(b"\x00garbage" * 1000)
    out = briefing("quotes", "--store", str(not_db))
    check_cli("store that is not a database", out)
    assert out.returncode == StoreError.exit_code and b"store error" in out.stderr
    assert not_db.read_bytes() == b"\x00garbage" * 1000  # left as it was
