"""Driving the real app in tests: a config, the app on a store, waiting for it to settle."""

from __future__ import annotations

from pathlib import Path

from extract.config import Config, parse_config
from extract.store import StoreApi
from tests.helpers.storefactory import FEEDS
from tui.app import BriefingApp
from tui.screens.main import MainScreen
from tui.screens.quote_lookup import QuoteLookup
from tui.widgets.article_list import ArticleList
from tui.widgets.reader import Reader

SIZE = (140, 40)


def make_config(keys: dict[str, str] | None = None, feeds: bool = True) -> Config:
    """A config with the factory's feeds (so no demo) and ``keys`` remapped."""
    raw = [{"name": name, "url": url, "tags": list(tags)} for name, (url, tags) in FEEDS.items()]
    return parse_config(
        {"keys": keys or {}, "feeds": raw if feeds else []}, Path("test-config.toml")
    )


def make_app(store: StoreApi, keys: dict[str, str] | None = None) -> BriefingApp:
    return BriefingApp(store, make_config(keys))


async def settle(app: BriefingApp, pilot) -> None:  # noqa: ANN001
    """Wait for the store writes the keys started, then for the UI to show them."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def open_lookup(app: BriefingApp, pilot, typed: str = "") -> QuoteLookup:  # noqa: ANN001
    """Press ``l``, then type ``typed`` (if any): the quote lookup screen, settled."""
    await pilot.press("l")
    await pilot.pause()
    lookup = app.screen
    assert isinstance(lookup, QuoteLookup)
    if typed:
        await pilot.press(*typed)
        await pilot.pause()
    return lookup


def parts(app: BriefingApp) -> tuple[MainScreen, ArticleList, Reader]:
    main = app.main_screen
    return main, main.query_one(ArticleList), main.query_one(Reader)


async def wait_for(pilot, condition, seconds: float = 20.0) -> None:  # noqa: ANN001
    """Wait until ``condition()`` holds: what the app does in the background (a worker, the
    palette's search) takes its time on a busy machine. ``seconds`` is a hang guard, not a
    speed target: it counts pauses of 0.05 s, which a loaded machine makes longer."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("condition not met in time")
