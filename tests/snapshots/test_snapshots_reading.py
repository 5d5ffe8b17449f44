"""Snapshots of the reading flow's states: a small and a large terminal, a zoomed reader,
and the main screen in every theme the palette offers (colours from the theme).

Update after an intended change with ``pytest tests/snapshots/test_snapshots_reading.py
--snapshot-update``, then look at the SVGs before committing them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.store import Store
from tests.helpers.app import make_app
from tests.helpers.storefactory import build_store
from tui.app import THEMES


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = build_store(tmp_path / "briefing.sqlite3")
    yield store
    store.close()


def keys(*pressed: str):  # noqa: ANN201
    """Press keys, then wait for the store writes they start."""

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.press(*pressed)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.slow
def test_small_terminal_80x24(snap_compare, store: Store) -> None:  # noqa: ANN001
    # the list narrower, the side panel below the reader
    assert snap_compare(make_app(store), run_before=keys("j", "j", "enter"), terminal_size=(80, 24))


@pytest.mark.slow
def test_large_terminal_220x60(snap_compare, store: Store) -> None:  # noqa: ANN001
    # the outlet column in the list
    assert snap_compare(
        make_app(store), run_before=keys("j", "j", "enter", "1", "enter"), terminal_size=(220, 60)
    )


@pytest.mark.slow
def test_zoomed_reader(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(
        make_app(store), run_before=keys("j", "j", "enter", "z"), terminal_size=(100, 30)
    )


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.slow
def test_theme(snap_compare, store: Store, theme: str) -> None:  # noqa: ANN001
    # a quote selected (its highlight), the Quotes tab, read and unread rows, a star
    app = make_app(store)
    app.theme = theme  # before it runs, as a user's saved theme would be
    assert snap_compare(
        app, run_before=keys("s", "j", "j", "enter", "1", "j", "enter"), terminal_size=(120, 32)
    )
