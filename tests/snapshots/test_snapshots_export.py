"""Snapshots of the export confirmation (`e` on a search, the notification saying where the
briefing went; the folder and the time are fixed so every run draws the same screen) and of
a watch's hits listed from the palette, and the watch marks in the list."""

from __future__ import annotations

import contextlib
import fcntl
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from extract.config import ExportSettings
from extract.store import Store
from tests.helpers.app import make_config
from tests.helpers.storefactory import build_store
from tui import export_view
from tui.app import BriefingApp

SIZE = (140, 40)
FOLDER = Path("/tmp/briefing-snapshot-exports")  # shown on screen: the same everywhere


@contextlib.contextmanager
def folder_to_ourselves() -> Iterator[None]:
    """The fixed folder is shared by every checkout and test run on the machine: hold a lock
    while the folder is emptied, written and checked, so two runs never meet in it."""
    with open(f"{FOLDER}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        shutil.rmtree(FOLDER, ignore_errors=True)
        try:
            yield
        finally:
            shutil.rmtree(FOLDER, ignore_errors=True)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


@pytest.mark.slow
def test_export_confirmation(
    snap_compare,
    store: Store,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_view, "now", lambda: datetime(2026, 12, 2, 7, 0, tzinfo=UTC))
    app = BriefingApp(store, replace(make_config(), export=ExportSettings(FOLDER, "markdown")))

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.press("slash", *"brussels", "enter", "e")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    with folder_to_ourselves():
        assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
        assert (FOLDER / "briefing-2026-12-02-0700.md").is_file()


@pytest.mark.slow
def test_watchlist_view(snap_compare, store: Store) -> None:  # noqa: ANN001
    from extract.config import WatchConfig
    from extract.watchlist import evaluate_watches

    watches = (WatchConfig("Smith", people=("Julianne Smith",)),)
    evaluate_watches(store, watches)
    app = BriefingApp(store, replace(make_config(), watches=watches))

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.press("ctrl+p", *"watch: smith")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_watch_marks_in_the_list(snap_compare, store: Store) -> None:  # noqa: ANN001
    """Rows with hits not seen yet carry the watch mark (◆ after the star column)."""
    from extract.config import WatchConfig
    from extract.watchlist import evaluate_watches

    watches = (WatchConfig("Smith", people=("Julianne Smith",)),)
    evaluate_watches(store, watches)
    app = BriefingApp(store, replace(make_config(), watches=watches))
    assert snap_compare(app, terminal_size=SIZE)
