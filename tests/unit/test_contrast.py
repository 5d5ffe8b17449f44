"""Every colour the app draws reaches WCAG AA (4.5:1) against its background, in the
default theme and in every theme the palette offers; colours come from the theme."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color

from tui.app import THEMES
from tui.widgets import marks

TUI = Path(__file__).resolve().parents[2] / "tui"


def variables(theme: str) -> dict[str, str]:
    found = App().get_theme(theme)
    assert found is not None
    return found.to_color_system().generate()


@pytest.mark.parametrize("theme", THEMES)
def test_every_colour_reaches_aa_in_every_offered_theme(theme: str) -> None:
    assert marks.theme_problems(variables(theme)) == []


def test_the_measure_is_wcag() -> None:
    assert marks.contrast(Color(0, 0, 0), Color(255, 255, 255)) == pytest.approx(21.0)
    assert marks.contrast(Color(118, 118, 118), Color(255, 255, 255)) == pytest.approx(
        4.54, abs=0.01
    )


def test_a_failing_theme_is_caught_and_not_offered() -> None:
    assert marks.theme_problems(variables("solarized-dark"))  # its text on its panels
    assert "solarized-dark" not in THEMES


def test_readable_moves_a_colour_only_as_far_as_needed() -> None:
    dark = [Color(18, 18, 18), Color(30, 30, 30)]
    already = Color(220, 220, 120)
    assert marks.readable(already, dark, Color(224, 224, 224)) == already
    moved = marks.readable(Color(40, 40, 90), dark, Color(224, 224, 224))
    assert all(marks.contrast(moved, g) >= 4.5 for g in dark)


def test_no_colour_is_hard_coded_in_the_ui() -> None:
    hex_colour = re.compile(r"#[0-9a-fA-F]{6}\b")
    named = re.compile(r"color=\"(?!\$)[a-z]")
    offenders = [
        f"{path.relative_to(TUI)}:{n}"
        for path in TUI.rglob("*.*")
        if path.suffix in (".py", ".tcss")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hex_colour.search(line) or named.search(line)
    ]
    assert offenders == []


@pytest.mark.slow
async def test_the_app_offers_only_the_checked_themes_and_repaints_on_a_change(
    tmp_path: Path,
) -> None:
    from tests.helpers.app import make_app, settle
    from tests.helpers.storefactory import build_store

    store = build_store(tmp_path / "s.sqlite3")
    app = make_app(store)
    async with app.run_test(size=(140, 40)) as pilot:
        assert set(app.available_themes) == set(THEMES)
        await pilot.press("j", "j", "enter")
        await settle(app, pilot)
        dark = marks.current()
        app.theme = "textual-light"
        await settle(app, pilot)
        light = marks.current()
        assert light != dark and light == marks.palette_for(app.get_css_variables())
    store.close()
