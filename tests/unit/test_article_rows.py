"""The article list's fast row drawing gives the cells and styles of ``format_row``."""

from __future__ import annotations

import itertools

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from extract.store.records import ArticleRow
from tui.widgets.article_list import format_row, row_segments

BASE = Style(color="#e0e0e0", bgcolor="#101010")
CURSOR = Style(bgcolor="#203050")
TITLES = (
    "Port talks resume",
    "A title far longer than any list is wide, " * 6,
    "東京で会談 wide characters in the title 東京で会談 東京で会談 東京で会談 東京で会談",
    "tab\tand\nnewline in a title",
    "",
)


def cells(segments: list[Segment], width: int) -> list[tuple[str, Style | None]]:
    """Each cell's character and style (a wide character fills its first cell)."""
    out: list[tuple[str, Style | None]] = []
    for text, style, _ in segments:
        for char in text:
            out.append((char, style))
    return out[:width]


def slow_path(row: ArticleRow, width: int, watched: bool | None, selected: bool) -> Strip:
    """What the list drew before: Rich text rendered, padded, then restyled."""
    text = format_row(row, width, watched)
    if selected:
        text.stylize(CURSOR)
    strip = Strip(list(text.render(Console(width=width))))
    return strip.adjust_cell_length(width, BASE).apply_style(BASE)


CASES = list(
    itertools.product(
        TITLES,
        (40, 61, 100, 160),
        (None, True, False),
        ("full_text", "feed_summary", "failed"),
        (0, 7, 123),
        (True, False),  # read
        (True, False),  # selected
    )
)


@pytest.mark.parametrize(
    ("title", "width", "watched", "status", "quotes", "read", "selected"), CASES[::7]
)
def test_fast_rows_match_format_row(
    title: str,
    width: int,
    watched: bool | None,
    status: str,
    quotes: int,
    read: bool,
    selected: bool,
) -> None:
    row = ArticleRow(
        id=1,
        title=title,
        published="2026-11-30T08:15:00+00:00",
        source="Example News Agency of the World",
        quote_count=quotes,
        text_status=status,
        read=read,
        starred=not read,
    )

    def style(piece: Style) -> Style:
        return BASE + piece + CURSOR if selected else BASE + piece

    fast = row_segments(row, width, watched, style)
    assert fast is not None
    slow = slow_path(row, width, watched, selected)
    assert Strip(fast).cell_length == width  # measured, not told
    assert cells(fast, width) == cells(list(slow), width)


def test_a_narrow_list_takes_the_cropping_path() -> None:
    row = ArticleRow(1, "T", None, "S", 0, "full_text", False, False)
    assert row_segments(row, 30, None, lambda s: s) is None
