"""The article list: one line per article, paged from SQLite, drawn line by line.

A store may hold 10,000+ articles, so no widget is mounted per row (toolong's
approach): the list is a ``ScrollView`` whose ``render_line`` asks a row source
for the page holding that line. Pages of rows sit in an LRU cache, rendered
lines in another; both are dropped when the store changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from extract.safe_text import one_line
from extract.store import ArticleFilter, StoreApi
from extract.store.records import ArticleRow, RowKey
from tui.widgets import marks

PAGE_SIZE = 100
PAGES_CACHED = 8
LINES_CACHED = 160
SOURCE_WIDTH = 12
WIDE_SOURCE_WIDTH = 20
WATCH_MARK = "◆"  # the article has watch hits not seen yet
BOLD, ITALIC, NO_UNDERLINE = Style(bold=True), Style(italic=True), Style(underline=False)
NO_STYLE = Style()


class RowSource(Protocol):
    """What the list shows: a count, pages of rows, and where an article sits."""

    label: str

    def count(self) -> int: ...

    def page(self, offset: int, limit: int) -> list[ArticleRow]: ...

    def index_of(self, article_id: int) -> int | None: ...


@dataclass
class FilterSource:
    """Every article matching a filter, newest first, straight from the store."""

    store: StoreApi
    where: ArticleFilter
    label: str
    # Where each page read so far ends (offset after it -> its last row's key), so the
    # next page starts there in the index instead of stepping over every row above it.
    _ends: dict[int, RowKey] = field(default_factory=dict, init=False, repr=False)
    _total: int | None = field(default=None, init=False, repr=False)

    def count(self) -> int:
        self._ends.clear()  # the store changed: rows may have moved
        self._total = self.store.article_count(self.where)
        return self._total

    def page(self, offset: int, limit: int) -> list[ArticleRow]:
        rows = self.store.article_rows(
            offset, limit, self.where, after=self._ends.get(offset), total=self._total
        )
        if rows:
            if len(self._ends) > 4 * PAGES_CACHED:
                self._ends.clear()
            self._ends[offset + len(rows)] = (rows[-1].published, rows[-1].id)
        return rows

    def index_of(self, article_id: int) -> int | None:
        # One count query: reload runs on every article a refresh adds.
        return self.store.position_of(article_id, self.where)


@dataclass
class ResultsSource:
    """A fixed list of rows, e.g. search results, best first."""

    rows: list[ArticleRow]
    label: str

    def count(self) -> int:
        return len(self.rows)

    def page(self, offset: int, limit: int) -> list[ArticleRow]:
        return self.rows[offset : offset + limit]

    def index_of(self, article_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == article_id), None)


def source_width(width: int) -> int:
    """The outlet column: none on a narrow list, wider on a wide one."""
    if width < 60:
        return 0
    return SOURCE_WIDTH if width < 100 else WIDE_SOURCE_WIDTH


def format_row(row: ArticleRow, width: int, watched: bool | None = None) -> Text:
    """One row: unread and star marks, time, outlet, title, quote count, summary badge.

    ``watched``: None when no watch is configured (no column), else whether the article
    has hits no one has seen yet (a ◆ after the star)."""
    palette = marks.current()
    # A narrow list keeps the day only, so the title keeps some room.
    when = (row.published or "")[5 : 16 if width >= 40 else 10].replace("T", " ") or "--"
    right = Text()
    if row.text_status == "feed_summary":
        right.append(" summary", palette.warn + ITALIC)
    elif row.text_status == "failed":
        right.append(" no text", palette.error + ITALIC)
    right.append(
        f" {row.quote_count:>2}q" if row.quote_count else "    ",
        palette.name if row.quote_count else Style(),
    )
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append("●" if not row.read else " ", palette.link + NO_UNDERLINE)
    if watched is None:
        line.append("★ " if row.starred else "  ", palette.warn)
    else:
        line.append("★" if row.starred else " ", palette.warn)
        line.append(f"{WATCH_MARK if watched else ' '} ", palette.error)
    line.append(f"{when:<{len(when) if width < 40 else 11}} ", palette.muted)
    outlet = source_width(width)
    if outlet:
        line.append(f"{one_line(row.source)[:outlet]:<{outlet}} ", palette.label("GPE"))
    title_width = max(1, width - line.cell_len - right.cell_len)
    title = Text(one_line(row.title), palette.muted if row.read else BOLD)
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line.append_text(title)
    line.append_text(right)
    return line


def row_segments(
    row: ArticleRow,
    width: int,
    watched: bool | None,
    style: Callable[[Style], Style],
) -> list[Segment] | None:
    """The row of ``format_row`` as segments, each piece's style passed through ``style``
    (the list's base, the piece's, the cursor's, added once per pass); None when it would
    not fill ``width`` exactly (a narrow list: ``format_row``'s slower path crops it).

    A page down draws ~50 new rows: building Rich ``Text`` and rendering it, then
    padding and restyling the strip twice, took about half the list's time per frame."""
    if width < 40:
        return None
    palette = marks.current()
    when = (row.published or "")[5:16].replace("T", " ") or "--"
    pieces: list[tuple[str, Style]] = [("●" if not row.read else " ", palette.link + NO_UNDERLINE)]
    if watched is None:
        pieces.append(("★ " if row.starred else "  ", palette.warn))
    else:
        pieces.append(("★" if row.starred else " ", palette.warn))
        pieces.append((f"{WATCH_MARK if watched else ' '} ", palette.error))
    pieces.append((f"{when:<11} ", palette.muted))
    outlet = source_width(width)
    if outlet:
        pieces.append((f"{one_line(row.source)[:outlet]:<{outlet}} ", palette.label("GPE")))
    right: list[tuple[str, Style]] = []
    if row.text_status == "feed_summary":
        right.append((" summary", palette.warn + ITALIC))
    elif row.text_status == "failed":
        right.append((" no text", palette.error + ITALIC))
    if row.quote_count:
        right.append((f" {row.quote_count:>2}q", palette.name))
    else:
        right.append(("    ", NO_STYLE))
    used = sum(cell_len(text) for text, _ in pieces) + sum(cell_len(t) for t, _ in right)
    title_width = width - used
    if title_width < 1:
        return None
    title = one_line(row.title)
    length = cell_len(title)
    if length > title_width:
        title = set_cell_size(title, title_width - 1) + "…"
    elif length < title_width:
        title += " " * (title_width - length)
    pieces.append((title, palette.muted if row.read else BOLD))
    pieces.extend(right)
    return [Segment(text, style(piece)) for text, piece in pieces if text]


class ArticleList(ScrollView, can_focus=True):
    """The scrolling list of articles; posts ``Opened`` on enter."""

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="cursor_down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="cursor_up"),
        Binding("g,home", "first", "First", show=False, id="first"),
        Binding("G,end", "last", "Last", show=False, id="last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="page_up"),
        Binding("enter", "open", "Open", id="open_article"),
    ]
    COMPONENT_CLASSES = {"article-list--cursor", "article-list--empty"}
    DEFAULT_CSS = """
    ArticleList { overflow-x: hidden; }
    ArticleList > .article-list--cursor { background: $primary 15%; }
    ArticleList:focus > .article-list--cursor { background: $primary 25%; }
    ArticleList > .article-list--empty { color: $text-muted; text-style: italic; }
    """

    cursor: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Opened(Message):
        article_id: int

    @dataclass
    class SourceChanged(Message):
        label: str
        count: int

    def __init__(
        self,
        source: RowSource,
        *,
        id: str | None = None,
        watched: Callable[[list[int]], set[int]] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.source = source
        # Which of a page's articles have unseen watch hits (None: no watches configured).
        self.watched = watched
        self.empty_text = "No articles yet. Press r to refresh."
        self._count = 0
        # Small on purpose: every cached row and line is a few dozen objects the garbage
        # collector walks on each full pass; a page costs well under a millisecond to read
        # again, and a few screens of lines is all scrolling reuses.
        self._pages: LRUCache[int, tuple[list[ArticleRow], set[int]]] = LRUCache(PAGES_CACHED)
        self._lines: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(LINES_CACHED)
        self._styles: tuple[Style, Style] | None = None  # (base, cursor) during a render pass
        # The article the cursor is on, recorded when the cursor moves. A reload follows this
        # id, not the row now at the cursor's index: a frame drawn between a refresh's write
        # and its reload may read a fresh page in which newer articles pushed another row
        # under the cursor.
        self._cursor_id: int | None = None

    # -- data --------------------------------------------------------------

    @property
    def count(self) -> int:
        return self._count

    def row_at(self, index: int) -> ArticleRow | None:
        if not 0 <= index < self._count:
            return None
        rows, _ = self._page(index)
        within = index % PAGE_SIZE
        return rows[within] if within < len(rows) else None

    def _page(self, index: int) -> tuple[list[ArticleRow], set[int]]:
        """The page holding ``index``: its rows and which of them have unseen watch hits
        (one query per page, as the rows are)."""
        number = index // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            rows = self.source.page(number * PAGE_SIZE, PAGE_SIZE)
            marked = self.watched([r.id for r in rows]) if self.watched and rows else set()
            page = (rows, marked)
            self._pages.set(number, page)
        return page

    def watched_at(self, index: int) -> bool | None:
        """Whether the row has unseen watch hits; None when no watch is configured."""
        if self.watched is None:
            return None
        row = self.row_at(index)
        return row is not None and row.id in self._page(index)[1]

    @property
    def current(self) -> ArticleRow | None:
        return self.row_at(self.cursor)

    def set_source(self, source: RowSource) -> None:
        """Show another set of articles, cursor at the top."""
        self.source = source
        self.cursor = 0
        self.reload(follow=False)
        self.scroll_to(y=0, animate=False)

    def reload(self, *, follow: bool = True) -> None:
        """Re-read the count after the store changed.

        With ``follow``, the cursor stays on the article it was on, wherever
        newer articles pushed it.
        """
        followed = self._followed_id() if follow else None
        self._pages.clear()
        self._lines.clear()
        self._count = self.source.count()
        self.virtual_size = Size(self.scrollable_content_region.width, self._count)
        if followed is not None:
            index = self.source.index_of(followed)
            if index is not None:
                self.cursor = index
        self.cursor = min(self.cursor, max(0, self._count - 1))
        self.post_message(self.SourceChanged(self.source.label, self._count))
        self.refresh()

    def _followed_id(self) -> int | None:
        if self._cursor_id is not None:
            return self._cursor_id
        current = self.current
        return current.id if current is not None else None

    def show_article(self, article_id: int) -> bool:
        """Move the cursor to an article if the list holds it."""
        index = self.source.index_of(article_id)
        if index is not None:
            self.cursor = index
        return index is not None

    def on_mount(self) -> None:
        self.reload(follow=False)

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._count)

    # -- drawing -----------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # The base and cursor styles are the same for every line of a pass: look them up
        # once (``rich_style`` walks every ancestor's styles each time it is read).
        self._styles = (self.rich_style, self.get_component_rich_style("article-list--cursor"))
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if self._count == 0:
            return self._empty_line(y, width)
        selected = index == self.cursor
        key = (index, width, selected, self.has_focus)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._render_row(index, width, selected)
            self._lines.set(key, strip)
        return strip

    def _render_row(self, index: int, width: int, selected: bool) -> Strip:
        row = self.row_at(index)
        base, cursor = self._styles or (
            self.rich_style,
            self.get_component_rich_style("article-list--cursor"),
        )
        if row is None:
            return Strip.blank(width, base)
        watched = self.watched_at(index)
        combined: dict[Style, Style] = {}

        def style(piece: Style) -> Style:
            final = combined.get(piece)
            if final is None:
                final = combined[piece] = base + piece + cursor if selected else base + piece
            return final

        segments = row_segments(row, width, watched, style)
        if segments is not None:
            return Strip(segments, width)
        text = format_row(row, width, watched)
        if selected:
            text.stylize(cursor)
        strip = Strip(list(text.render(self.app.console)))
        return strip.adjust_cell_length(width, base).apply_style(base)

    def _empty_line(self, y: int, width: int) -> Strip:
        if y != 1:
            return Strip.blank(width, self.rich_style)
        style = self.get_component_rich_style("article-list--empty")
        text = Text(f" {self.empty_text}", style, no_wrap=True, end="")
        text.truncate(width, pad=True)
        return Strip(list(text.render(self.app.console))).apply_style(self.rich_style)

    def watch_cursor(self, old: int, new: int) -> None:
        row = self.row_at(new)
        self._cursor_id = row.id if row is not None else None
        # Only the rows that gained or lost the cursor change ("selected" is part of each
        # cached line's key); a scroll repaints the whole view by itself.
        top = round(self.scroll_y)
        self.scroll_to_region(Region(0, new, 1, 1), animate=False, force=True)
        if round(self.scroll_y) != top:
            return
        height = self.scrollable_content_region.height
        for index in {old, new}:
            if top <= index < top + height:
                self.refresh_line(index)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- actions -----------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.cursor = min(self.cursor + 1, max(0, self._count - 1))

    def action_cursor_up(self) -> None:
        self.cursor = max(self.cursor - 1, 0)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, self._count - 1)

    def action_page_down(self) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self.cursor = min(self.cursor + step, max(0, self._count - 1))

    def action_page_up(self) -> None:
        step = max(1, self.scrollable_content_region.height - 1)
        self.cursor = max(self.cursor - step, 0)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current.id))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y
        if 0 <= index < self._count:
            if index == self.cursor:
                self.action_open()
            self.cursor = index
