"""``e`` and the palette's "Export this view": the list's view written as a briefing file."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from extract.config import ExportSettings
from extract.store import ArticleFilter, Store, StoreApi
from tests.helpers.app import SIZE, make_config, wait_for
from tui.app import BriefingApp

NATO = "NATO and Russia hold talks in Brussels"


def export_app(store: StoreApi, folder: Path, fmt: str = "markdown") -> BriefingApp:
    config = replace(make_config(), export=ExportSettings(folder, fmt))
    return BriefingApp(store, config)


def notes(app: BriefingApp) -> list:
    return [n for n in app._notifications if n.title in ("Briefing exported", "Export failed")]


@pytest.mark.slow
async def test_e_exports_the_search_results_and_says_where(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "briefings"
    app = export_app(store, folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"grush", "enter", "e")
        await wait_for(pilot, lambda: notes(app))
        (note,) = notes(app)
        (path,) = folder.iterdir()
        assert note.severity == "information" and note.markup is False
        assert note.message == f"1 article, 4 quotes written to {path}"
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# Briefing: Search: grush\n")
        assert f"**{NATO}** \\[1\\]" in text and "US envoy says" not in text


async def test_e_exports_a_filter_as_html(any_store: StoreApi, tmp_path: Path) -> None:
    store = any_store  # on PostgreSQL: ann's starred
    store.set_starred(store.article_ids()[1], True)  # the envoy article
    app = export_app(store, tmp_path, "html")
    async with app.run_test(size=SIZE) as pilot:
        app.main_screen.filter_articles(ArticleFilter(starred=True), "Starred")
        await pilot.press("e")
        await wait_for(pilot, lambda: notes(app))
        (path,) = tmp_path.glob("briefing-*.html")
        page = path.read_text(encoding="utf-8")
        assert "<title>Briefing: Starred</title>" in page
        assert "US envoy says the alliance stands united" in page and NATO not in page
        assert "<strong>Filters:</strong> starred" in page


@pytest.mark.slow
async def test_palette_command_exports_too(store: Store, tmp_path: Path) -> None:
    app = export_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"export this")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: notes(app))
        (path,) = tmp_path.glob("briefing-*.md")
        assert "5 articles, 5 quotes" in path.read_text(encoding="utf-8")


async def test_an_export_that_cannot_be_written_is_reported(store: Store, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app = export_app(store, blocker / "briefings")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await wait_for(pilot, lambda: notes(app))
        (note,) = notes(app)
        assert note.severity == "error" and note.markup is False
        assert note.message.startswith(f"export error: cannot create {blocker / 'briefings'}")
        assert app.is_running  # nothing crashed
