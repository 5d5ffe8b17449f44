"""Review findings: hostile names in the palette and notifications, store write errors,
over-long event lines, the entity pivot by label, the list cursor without loading ids."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from extract.store import Store, open_store
from tests.helpers.app import SIZE, make_app, make_config, parts, settle, wait_for
from tests.helpers.screen import screen_text
from tests.helpers.storefactory import Draft, add_draft, build_store
from tui.app import BriefingApp
from tui.refresh import read_lines, run_fetch

EVIL_FEED = "Evil [/] News"
EVIL_TAG = "[bold]"
EVIL_SOURCE = "[link=x]Site[/link] [/]"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


async def palette_shows(pilot, app: BriefingApp, text: str) -> None:  # noqa: ANN001
    try:  # the palette searches in the background
        await wait_for(pilot, lambda: text in screen_text(app))
    except AssertionError:
        raise AssertionError(f"{text!r} not in the palette:\n{screen_text(app)}") from None


# -- 1. the command palette shows untrusted names as plain text ----------------


@pytest.mark.slow
async def test_palette_shows_markup_in_feed_tag_and_site_names_literally(store: Store) -> None:
    feed = store.upsert_feed(EVIL_FEED, "http://127.0.0.1/evil.xml", (EVIL_TAG, "[AP]"))
    draft = Draft(
        title="Harbour reopens",
        source=EVIL_SOURCE,
        feed=EVIL_FEED,
        published="2022-01-14T10:00:00+00:00",
        text="\u201cThe harbour is open again,\u201d said Maria Pilar.",
    )
    draft.quote("The harbour is open again,", "Maria Pilar")
    add_draft(store, draft, feed, 10)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("ctrl+p", *"Feed: Evil")
        await palette_shows(pilot, app, f"Feed: {EVIL_FEED}")
        await pilot.press("enter")
        await pilot.pause()
        assert articles.source.label == f"Feed {EVIL_FEED}" and articles.count == 1

        await pilot.press("ctrl+p", *"Tag: [")
        await palette_shows(pilot, app, f"Tag: {EVIL_TAG}")
        await palette_shows(pilot, app, "Tag: [AP]")

        await pilot.press("escape", "ctrl+p", *"harbour open")
        await palette_shows(pilot, app, f"{EVIL_SOURCE} · 2022-01-14")  # the quote's help
        await pilot.press("enter")
        await pilot.pause()
        assert reader.article is not None and reader.article.source == EVIL_SOURCE
        assert app.is_running


# -- 5. notifications never read their text as markup ---------------------------


async def test_keymap_warnings_keep_their_prefix(store: Store) -> None:
    app = make_app(store, keys={"nope": "x"})
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # toasts drawn
        await pilot.pause()
        assert "[keys] nope: no key" in screen_text(app)


# -- 2. store write errors are notifications, and never freeze the keys ----------


@pytest.mark.slow
async def test_a_locked_store_is_a_notification_and_the_keys_keep_working(tmp_path: Path) -> None:
    folder = tmp_path / "odd [bold] folder [link=x]"  # the error names the store
    folder.mkdir()
    store = build_store(folder / "briefing.sqlite3")
    # The write waits up to 3 s for the lock: long enough that the keys after it are
    # answered while it still waits, even on a busy machine.
    app = BriefingApp(store, make_config(), write_timeout=3.0)
    locker = sqlite3.connect(store.path, isolation_level=None)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            _, articles, _ = parts(app)
            first = articles.current.id
            await settle(app, pilot)  # start-up done: the keys below are all the app does
            locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
            await pilot.press("s", "j")  # j answers while the write waits for the lock
            assert articles.cursor == 1
            assert any(w.group == "store-write" and w.is_running for w in app.workers)
            await settle(app, pilot)
            errors = [n for n in app._notifications if n.severity == "error"]
            assert len(errors) == 1 and "Could not star/unstar" in errors[0].message
            assert "[bold] folder [link=x]" in errors[0].message and not errors[0].markup
            assert "Could not star/unstar" in screen_text(app)
            assert store.article(first).starred is False
            assert articles.row_at(0).starred is False  # shows what is stored
            locker.execute("ROLLBACK")
            await pilot.press("k", "s")  # the lock is gone: the same key works
            await settle(app, pilot)
            assert store.article(first).starred is True
            assert articles.row_at(0).starred is True
            assert app.is_running
    finally:
        locker.close()
        store.close()


@pytest.mark.slow
async def test_open_on_a_locked_store_shows_the_article_unread(tmp_path: Path) -> None:
    store = build_store(tmp_path / "briefing.sqlite3")
    app = BriefingApp(store, make_config(), write_timeout=0.2)
    locker = sqlite3.connect(store.path, isolation_level=None)
    try:
        async with app.run_test(size=SIZE) as pilot:
            _, articles, reader = parts(app)
            locker.execute("BEGIN IMMEDIATE")
            await pilot.press("enter")
            # The write starts once the reader has the article: wait for its failure.
            await wait_for(
                pilot,
                lambda: any("Could not mark read/unread" in n.message for n in app._notifications),
            )
            await settle(app, pilot)
            assert reader.article is not None  # shown, even though it could not be marked
            assert articles.current.read is False and store.article(reader.article.id).read is False
    finally:
        locker.close()
        store.close()


async def test_s_s_stars_then_unstars_in_key_order(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, _ = parts(app)
        first = articles.current.id
        await pilot.press("s", "s", "s")
        await settle(app, pilot)
        assert store.article(first).starred is True
        assert articles.current.starred is True


# -- 4. an over-long event line is skipped, the refresh goes on -------------------

LONG_LINES = textwrap.dedent("""
    import json, sys
    from extract.store import NewArticle, open_store
    store_path, size = sys.argv[1], int(sys.argv[2])
    title = "T" * size
    new = NewArticle(None, None, title, None, "2022-03-01T00:00:00+00:00", "Wire World",
                     "Story.", "full_text")
    article = open_store(store_path).add_article(new, None, None)
    print(json.dumps({"event": "article", "id": article, "title": title}), flush=True)
    print(json.dumps({"event": "error", "message": "bad [/] thing [bold]"}), flush=True)
    print(json.dumps({"event": "done", "new": 1, "failed_feeds": 0}), flush=True)
""")


@pytest.mark.slow
async def test_a_megabyte_title_event_does_not_break_the_refresh(
    store: Store, tmp_path: Path
) -> None:
    script = tmp_path / "long_fetch.py"
    script.write_text(LONG_LINES)
    argv = [sys.executable, str(script), str(store.path), str(1_100_000)]
    app = BriefingApp(store, make_config(), fetch_argv=argv)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        main, articles, _ = parts(app)
        await pilot.press("r")
        await wait_for(
            pilot,
            lambda: (
                "Refreshed" in str(main.query_one("#status").render())
                or "failed" in str(main.query_one("#status").render())
            ),
        )
        await pilot.pause()
        assert "Refreshed: 1 new article(s)." in str(main.query_one("#status").render())
        assert articles.count == 6
        errors = [n.message for n in app._notifications if n.severity == "error"]
        assert errors == ["bad [/] thing [bold]"]  # the child's error, shown as it is
        assert "bad [/] thing [bold]" in screen_text(app)


async def test_lines_over_the_limit_are_skipped_not_raised(tmp_path: Path) -> None:
    script = tmp_path / "lines.py"
    events = [
        json.dumps({"event": "progress", "stage": "feeds", "done": n, "total": 3}) for n in range(3)
    ]
    script.write_text(
        textwrap.dedent(f"""
        import sys
        events = {events!r}
        print(events[0])
        print("x" * 5000)            # longer than the limit, no newline in the first read
        print(events[1])
        sys.stdout.write("y" * 1500 + "\\n")  # just over it, newline in the buffer
        print(events[2], end="")     # the last line has no newline
    """)
    )
    posted = []
    await run_fetch([sys.executable, str(script)], posted.append, line_limit=1000)
    assert [(m.event.stage, m.event.done) for m in posted] == [
        ("feeds", 0),
        ("feeds", 1),
        ("feeds", 2),
    ]


async def test_read_lines_reads_past_a_long_line_in_pieces() -> None:
    stream = asyncio.StreamReader(limit=64)
    stream.feed_data(b"a\n" + b"z" * 1000 + b"\nb\n" + b"q" * 65 + b"\n")
    stream.feed_data(b"c")
    stream.feed_eof()
    assert [line async for line in read_lines(stream)] == [b"a\n", b"b\n", b"c"]


# -- 8. the entity pivot is by name and label -------------------------------------


@pytest.mark.slow
async def test_pivot_on_a_person_does_not_list_the_country(tmp_path: Path) -> None:
    store = open_store(tmp_path / "jordan.sqlite3")
    feed = store.upsert_feed("Wire World", "http://127.0.0.1/wire.xml", ())
    person = Draft(
        title="Jordan scores twice",
        source="Wire World",
        feed="Wire World",
        published="2022-01-02T00:00:00+00:00",
        text="Michael Jordan scored twice. Jordan was pleased.",
    )
    person.entity("PERSON", "Jordan", "Jordan", nth=1)
    country = Draft(
        title="Jordan opens its border",
        source="Wire World",
        feed="Wire World",
        published="2022-01-01T00:00:00+00:00",
        text="Jordan opened its border on Monday.",
    )
    country.entity("GPE", "Jordan")
    add_draft(store, person, feed, 1)
    add_draft(store, country, feed, 2)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _main, articles, _ = parts(app)
        await pilot.press("enter", "2", "p")  # the sportsman's article, Entities, pivot
        await pilot.pause()
        assert articles.source.label == "Mentioning Jordan"
        assert [articles.row_at(i).title for i in range(articles.count)] == ["Jordan scores twice"]
    store.close()


# -- 6. keeping the cursor on its article never loads every id ---------------------


@pytest.mark.slow
async def test_reloads_find_the_cursor_without_loading_every_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = build_store(tmp_path / "big.sqlite3", extra=2000)

    def every_id(*args: object) -> list[int]:
        raise AssertionError("article_ids loads every id")

    monkeypatch.setattr(store, "article_ids", every_id)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        await pilot.press("G", "enter")  # the oldest filler article
        await settle(app, pilot)
        oldest = articles.current.id
        assert reader.article.id == oldest and articles.cursor == 2004
        await pilot.press("m", "s")
        await settle(app, pilot)
        assert articles.cursor == 2004 and articles.current.id == oldest
        assert articles.current.starred is True
    store.close()
