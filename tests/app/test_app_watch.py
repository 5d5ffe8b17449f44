"""Watchlists in the app: a palette entry per watch lists its hits and marks them seen; a
refresh that brings hits says so."""

from __future__ import annotations

import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import pytest

from extract.config import WatchConfig
from extract.store import Store, StoreApi
from extract.store.watches import unseen_counts
from extract.watchlist import evaluate_watches
from tests.helpers.app import SIZE, make_config, wait_for
from tests.helpers.screen import screen_text
from tui.app import BriefingApp
from tui.widgets.article_list import WATCH_MARK

WATCHES = (
    WatchConfig("Smith", people=("Julianne Smith",)),
    WatchConfig("Odd <b>[x]</b>", words=("markets",)),
)

# Stands in for `briefing fetch --progress jsonl`: stores an article quoting the watched
# person and runs the watch step, as the real fetch does after its ingest.
STAND_IN = textwrap.dedent("""
    import json, sys
    from extract.config import WatchConfig
    from extract.models import Analysis, Quote
    from extract.store import NewArticle, open_store
    from extract.watchlist import evaluate_watches

    store = open_store(sys.argv[1])
    text = "We stand together, Julianne Smith said."
    quote = Quote("direct", "We stand together", ((0, 17),), "Julianne Smith", None, None,
                  None, None, "said", "explicit", 0, len(text))
    new = NewArticle(None, None, "Envoy speaks again", None, "2022-03-01T00:00:00+00:00",
                     "Wire World", text, "full_text")
    article_id = store.add_article(new, None, None, Analysis((), (quote,), "stand-in", None))
    print(json.dumps({"event": "article", "id": article_id, "title": "Envoy speaks again",
                      "text_status": "full_text"}), flush=True)
    evaluate_watches(store, (WatchConfig("Smith", people=("Julianne Smith",)),))
    print(json.dumps({"event": "done", "new": 1, "failed_feeds": 0}), flush=True)
""")


def watch_app(store: StoreApi, **kwargs) -> BriefingApp:  # noqa: ANN003
    return BriefingApp(store, replace(make_config(), watches=WATCHES), **kwargs)


@pytest.mark.slow
async def test_palette_lists_a_watchs_hits_and_marks_them_seen(store: Store) -> None:
    evaluate_watches(store, WATCHES)
    assert unseen_counts(store) == {"Smith": 2, "Odd <b>[x]</b>": 1}
    app = watch_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"watch: smith")
        await pilot.pause(0.3)
        await pilot.press("enter")
        articles = app.main_screen.articles
        await wait_for(pilot, lambda: articles.source.label == "Watch Smith")
        assert [articles.row_at(i).title for i in range(articles.count)] == [
            "US envoy says the alliance stands united",
            "NATO and Russia hold talks in Brussels",
        ]
        await app.workers.wait_for_complete()
        assert unseen_counts(store) == {"Odd <b>[x]</b>": 1}
        await pilot.press("ctrl+p", *"watch: odd")  # a name with markup stays text
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: articles.source.label == "Watch Odd <b>[x]</b>")


@pytest.mark.slow
async def test_rows_with_unseen_hits_carry_the_watch_mark(any_store: StoreApi) -> None:
    store = any_store  # on PostgreSQL: ann's seen, not the team's
    evaluate_watches(store, WATCHES)
    app = watch_app(store)
    async with app.run_test(size=SIZE) as pilot:
        articles = app.main_screen.articles

        def marked() -> set[str]:
            rows = range(articles.count)
            return {articles.row_at(i).title for i in rows if articles.watched_at(i)}

        smith = {
            "US envoy says the alliance stands united",
            "NATO and Russia hold talks in Brussels",
        }
        assert marked() == smith | {"Markets steady as talks continue"}
        assert WATCH_MARK in screen_text(app)
        await pilot.press("ctrl+p", *"watch: smith")  # listing the hits sees them
        await pilot.pause(0.3)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not marked())
        app.main_screen.show_all()
        await wait_for(pilot, lambda: marked() == {"Markets steady as talks continue"})
        markets = next(i for i in range(articles.count) if articles.watched_at(i))
        articles.cursor = markets
        await pilot.press("enter")  # reading the article sees its hits
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: not marked())
        assert unseen_counts(store) == {}


async def test_no_watches_no_mark_column(store: Store) -> None:
    evaluate_watches(store, WATCHES)  # hits of watches no longer configured
    app = BriefingApp(store, make_config())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        articles = app.main_screen.articles
        assert articles.watched_at(0) is None and WATCH_MARK not in screen_text(app)


@pytest.mark.slow
async def test_a_refresh_that_brings_hits_says_so(store: Store, tmp_path: Path) -> None:
    evaluate_watches(store, WATCHES)  # the backlog is not news
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN, encoding="utf-8")
    app = watch_app(store, fetch_argv=[sys.executable, str(script), str(store.path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await wait_for(pilot, lambda: any(n.title == "Watchlist" for n in app._notifications))
        (note,) = [n for n in app._notifications if n.title == "Watchlist"]
        assert note.message == "1 new hit: Smith 1. Ctrl+P, then Watch, to see them."
        assert note.markup is False
        # and the status line keeps saying it, after the refresh's own note
        status = app.main_screen.status
        await wait_for(pilot, lambda: "Watchlist" in status.note)
        assert status.note == "Refreshed: 1 new article(s). Watchlist: 1 new hit (Smith 1)."
        assert status.note in screen_text(app)
