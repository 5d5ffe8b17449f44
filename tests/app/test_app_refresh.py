"""Refresh: the ingest runs in a child process; the app stays live and shows progress.

Most tests run a small stand-in for ``briefing fetch --progress jsonl`` (it
writes real articles to the real store and prints the same JSON lines), so
they control timing; the last one runs the real command against the local
test HTTP server.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from extract.config import load_config
from extract.store import NewArticle, Store, open_store
from tests.helpers.app import SIZE, make_config, parts, wait_for
from tests.helpers.httpserver import TestServer
from tests.helpers.storefactory import build_store
from tui.app import BriefingApp
from tui.screens.main import MainScreen

STAND_IN = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    from extract.store import NewArticle, open_store

    store_path, go_file, exit_code = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    def emit(**event):
        print(json.dumps(event), flush=True)
    def add(n):
        new = NewArticle(None, None, f"Breaking story {n}", None, f"2022-03-0{n}T00:00:00+00:00",
                         "Wire World", f"Story {n}.", "full_text")
        return open_store(store_path).add_article(new, None, None)

    emit(event="progress", stage="feeds", done=0, total=2)
    emit(event="feed", feed="Wire World", status="ok", new=2, reason=None)
    emit(event="feed", feed="Broken Feed", status="failed", new=0, reason="HTTP 503")
    emit(event="progress", stage="feeds", done=2, total=2)
    emit(event="article", id=add(1), title="Breaking story 1", text_status="full_text")
    while not go_file.exists():  # the test presses keys meanwhile
        time.sleep(0.02)
    emit(event="article", id=add(2), title="Breaking story 2", text_status="full_text")
    emit(event="progress", stage="analysis", done=2, total=2)
    print("not json at all", flush=True)
    if exit_code:
        print("Traceback ...\\nRuntimeError: disk on fire", file=sys.stderr)
        sys.exit(exit_code)
    emit(event="done", new=2, failed_feeds=1)
""")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


def stand_in_app(store: Store, tmp_path: Path, exit_code: int = 0) -> tuple[BriefingApp, Path]:
    script = tmp_path / "fake_fetch.py"
    script.write_text(STAND_IN)
    go = tmp_path / "go"
    argv = [sys.executable, str(script), str(store.path), str(go), str(exit_code)]
    return BriefingApp(store, make_config(), fetch_argv=argv), go


@pytest.mark.slow
async def test_new_articles_appear_while_keys_keep_working(store: Store, tmp_path: Path) -> None:
    app, go = stand_in_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        await pilot.press("j", "j")
        watched = articles.current.id
        await pilot.press("r")
        await wait_for(pilot, lambda: articles.count == 6)
        # the first new article is listed, newest first, and the cursor stayed on its article
        assert articles.row_at(0).title == "Breaking story 1"
        assert articles.current.id == watched and articles.cursor == 3
        status = main.query_one("#status")
        assert "Refreshing…" in str(status.render())
        assert "Broken Feed: HTTP 503" in str(status.render())
        await pilot.press("j", "enter")  # the refresh is still running: keys work
        await pilot.pause()
        assert reader.article is not None
        assert any(w.group == "refresh" and w.is_running for w in app.workers)
        go.touch()
        await wait_for(
            pilot, lambda: not any(w.group == "refresh" for w in app.workers if w.is_running)
        )
        await pilot.pause()
        assert articles.count == 7
        assert articles.row_at(0).title == "Breaking story 2"
        assert "Refreshed: 2 new article(s), 1 feed(s) failed." in str(status.render())
        assert "Broken Feed: HTTP 503" in str(status.render())


@pytest.mark.slow
async def test_a_failing_fetch_is_a_notification_not_a_crash(store: Store, tmp_path: Path) -> None:
    app, go = stand_in_app(store, tmp_path, exit_code=3)
    go.touch()
    async with app.run_test(size=SIZE) as pilot:
        main, articles, _ = parts(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        errors = [n for n in app._notifications if n.severity == "error"]
        assert "status 3" in errors[0].message and "disk on fire" in errors[0].message
        assert "Refresh failed" in str(main.query_one("#status").render())
        assert articles.count == 7  # what was stored before the failure is shown
        # Still alive, and the cursor followed its article ("Markets", now third): j moves on.
        assert articles.current.title.startswith("Markets")
        await pilot.press("j")
        assert articles.cursor == 3


async def test_a_reload_follows_the_article_the_cursor_was_on_not_a_fresh_page(
    store: Store,
) -> None:
    # A frame drawn between a refresh's write and its reload reads a page fresh; in it,
    # the new article sits where the cursor is. The reload must still follow the
    # article the user put the cursor on.
    app = BriefingApp(store, make_config())
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        await pilot.press("j")
        chosen = articles.current
        new = NewArticle(
            None, None, "Pushed in", None, "2099-01-01T00:00:00+00:00", "Wire", "x", "full_text"
        )
        store.add_article(new, None, None)
        articles._pages.clear()  # what a frame that reads the page again sees
        assert articles.row_at(1).id != chosen.id
        articles.reload()
        await pilot.pause()
        assert articles.current.id == chosen.id and articles.cursor == 2


async def test_a_missing_fetch_program_is_a_notification(store: Store) -> None:
    app = BriefingApp(store, make_config(), fetch_argv=["/nonexistent/briefing-fetch"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        assert isinstance(app.screen, MainScreen)


async def test_empty_demo_store_refreshes_on_start_with_a_loading_message(tmp_path: Path) -> None:
    script = tmp_path / "slow.py"
    script.write_text("import time; time.sleep(30)\n")
    store = open_store(tmp_path / "empty.sqlite3")
    app = BriefingApp(
        store,
        make_config(feeds=False),
        demo=True,
        refresh_on_start=True,
        fetch_argv=[sys.executable, str(script)],
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main, articles, _ = parts(app)
        assert "Loading the demo briefing…" in str(main.query_one("#status").render())
        assert articles.empty_text == "Loading the demo briefing…"
        assert any(w.group == "refresh" and w.is_running for w in app.workers)
    store.close()  # leaving run_test cancelled the worker, which killed the child


FEED_PAGE = b"""<!doctype html><html lang="en"><head><title>%s</title></head><body>
<article><h1>%s</h1>
<p>%s: the finance committee approved the budget on Monday after a long debate that ran past
midnight, officials in the capital said.</p>
<p>"We have a budget that protects schools and hospitals," Finance Minister Laura Okafor told
reporters after the vote. She said the plan would be published in full next week.</p>
<p>Opposition members said the spending plans were too optimistic and would have to be revised
before the summer.</p></article></body></html>"""


def rss(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>Wed, 12 Jan 2022 10:00:00 GMT</pubDate></item>"
        for t, link, guid in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>http://127.0.0.1/</link><description>x</description>{body}"
        f"</channel></rss>"
    ).encode()


@pytest.mark.slow
async def test_refresh_runs_the_real_fetch_against_a_local_server(
    tmp_path: Path, http_server: TestServer
) -> None:
    html = {"Content-Type": "text/html; charset=utf-8"}
    for slug, title in (("budget", b"Budget vote"), ("schools", b"Schools first")):
        # Different text: identical article text under two URLs is one article.
        http_server.add(f"/news/{slug}", FEED_PAGE % (title, title, title), headers=html)
    http_server.add(
        "/rss",
        rss(
            [
                ("Budget vote", http_server.url("/news/budget"), "b-1"),
                ("Schools first", http_server.url("/news/schools"), "s-1"),
            ]
        ),
        headers={"Content-Type": "application/rss+xml"},
    )
    store_path = tmp_path / "real.sqlite3"
    config_path = tmp_path / "config.toml"
    config_path.write_text(
        textwrap.dedent(f"""
        [store]
        path = "{store_path}"
        [[feeds]]
        name = "Local News"
        url = "{http_server.url("/rss")}"
        tags = ["local"]
    """)
    )
    config = load_config(config_path)
    store = open_store(store_path)
    app = BriefingApp(store, config, store_path=store_path)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        assert articles.count == 0
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: (
                "Refreshed" in str(main.query_one("#status").render())
                or any(n.severity == "error" for n in app._notifications)
            ),
            120,
        )
        assert not [n.message for n in app._notifications if n.severity == "error"]
        assert "Refreshed: 2 new article(s)." in str(main.query_one("#status").render())
        assert {articles.row_at(i).title for i in range(articles.count)} == {
            "Budget vote",
            "Schools first",
        }
        await pilot.press("enter")
        await pilot.pause()
        # analysed by spaCy, in the child (the reason says why a page was not fetched)
        assert reader.article.quote_count >= 1, reader.article.text_reason
    store.close()
