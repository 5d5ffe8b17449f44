"""Snapshot tests: the main screen, the quote lookup and the help screen.

The store is the fixed storefactory briefing, so every run draws the same
screen. Update after an intended change with ``pytest tests/test_snapshots.py
--snapshot-update``, then look at the SVGs in ``tests/__snapshots__/`` before
committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.store import Store
from tests.storefactory import build_store
from tests.test_app import make_app

SIZE = (140, 40)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


def keys(*pressed: str):  # noqa: ANN201
    """Press keys, then wait for the store writes they start (opening marks read)."""
    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.press(*pressed)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return run_before


def test_main_screen_with_a_quote_selected(snap_compare, store: Store) -> None:  # noqa: ANN001
    # open the NATO article, focus the Quotes tab, select the first quote
    assert snap_compare(make_app(store), run_before=keys("j", "j", "enter", "1", "enter"),
                        terminal_size=SIZE)


def test_entities_tab(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(store), run_before=keys("j", "j", "enter", "2"),
                        terminal_size=SIZE)


def test_quote_lookup(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(store), press=["l", *"smith"], terminal_size=SIZE)


def test_help_screen(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(store), press=["question_mark"], terminal_size=SIZE)
