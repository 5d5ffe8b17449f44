"""Snapshot tests: the main screen, the quote lookup and the help screen.

The stores are the fixed storefactory briefing and the bundled demo briefing
(ingested for real, links made machine-independent), so every run draws the same
screen. Update after an intended change with ``pytest tests/snapshots/test_snapshots.py
--snapshot-update``, then look at the SVGs in ``tests/snapshots/__snapshots__/`` before
committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.store import Store
from tests.helpers.app import make_app
from tests.helpers.storefactory import build_store

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


@pytest.mark.slow
def test_main_screen_with_a_quote_selected(snap_compare, store: Store) -> None:  # noqa: ANN001
    # open the NATO article, focus the Quotes tab, select the first quote
    assert snap_compare(
        make_app(store), run_before=keys("j", "j", "enter", "1", "enter"), terminal_size=SIZE
    )


@pytest.mark.slow
def test_entities_tab(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(
        make_app(store), run_before=keys("j", "j", "enter", "2"), terminal_size=SIZE
    )


@pytest.mark.slow
def test_quote_lookup(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(store), press=["l", *"smith"], terminal_size=SIZE)


@pytest.mark.slow
def test_help_screen(snap_compare, store: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(store), press=["question_mark"], terminal_size=SIZE)


@pytest.fixture(scope="session")  # once per worker, however its tests are spread
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled demo briefing, ingested for real (spaCy included) once.

    Its links are file paths into this checkout; they are rewritten to one fixed
    folder so the screen is the same on every machine.
    """
    from extract.config import load_config
    from extract.demo import DEMO_DIR, demo_feeds
    from extract.ingest.pipeline import run_ingest
    from extract.store import open_store

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with open_store(path) as store:
        assert run_ingest(load_config(None), store, demo_feeds()).new >= 9
        store.conn.execute(
            "UPDATE articles SET url = replace(url, ?, '/briefing-demo')", (str(DEMO_DIR),)
        )
    return path


@pytest.fixture
def demo(demo_store: Path, tmp_path: Path) -> Store:
    import shutil

    from extract.store import open_store

    shutil.copyfile(demo_store, tmp_path / "demo.sqlite3")  # each test starts unread
    store = open_store(tmp_path / "demo.sqlite3")
    yield store
    store.close()


@pytest.mark.slow
def test_demo_main_screen(snap_compare, demo: Store) -> None:  # noqa: ANN001
    # the seed article (NATO-Russia), its first quote selected in the Quotes tab
    ids = demo.article_ids()
    row = next(i for i, a in enumerate(ids) if "NATO" in demo.article(a).title)  # type: ignore[union-attr]
    assert snap_compare(
        make_app(demo), run_before=keys(*["j"] * row, "enter", "1", "enter"), terminal_size=SIZE
    )


@pytest.mark.slow
def test_demo_quote_lookup(snap_compare, demo: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo), press=["l", *"julianne"], terminal_size=SIZE)


@pytest.mark.slow
def test_demo_help_screen(snap_compare, demo: Store) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo), press=["question_mark"], terminal_size=SIZE)
