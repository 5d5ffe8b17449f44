"""The reader: an article's header, then its text with entities and quotes marked.

The text is shown one ``Static`` per paragraph, each knowing its character
range in ``Article.text``. Entity and quote offsets are char offsets into that
text, so each paragraph styles its own slice; scrolling to a quote is
scrolling to the paragraph that holds it. Every slice goes through ``safe``
on its own, so removing a control character never shifts a mark.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from extract.models import Entity, Quote
from extract.records import Article
from tui.safe_text import one_line, safe
from tui.widgets import marks

_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Mark:
    """A styled range of the text, and maybe a note (the speaker) shown at ``anchor``."""

    start: int
    end: int
    style: Style
    after: Text | None = None
    anchor: int = 0  # where ``after`` goes: the end of the quote's sentence


class Paragraph(Static):
    """One paragraph of the article: ``start``..``end`` in the text."""

    DEFAULT_CSS = "Paragraph { margin-bottom: 1; }"

    def __init__(self, start: int, end: int, content: Text) -> None:
        super().__init__(content, markup=False)
        self.start, self.end = start, end


def article_marks(entities: Iterable[Entity], quotes: Iterable[Quote]) -> list[Mark]:
    """Quote backgrounds first, then entity colours on top, speakers after quotes."""
    result: list[Mark] = []
    for quote in quotes:
        style = marks.DIRECT_QUOTE if quote.kind == "direct" else marks.INDIRECT_QUOTE
        for start, end in quote.spans[:-1]:
            result.append(Mark(start, end, style))
        last_start, last_end = quote.spans[-1]
        # After the sentence, not the span: the span stops inside the closing quote mark.
        anchor = max(last_end, quote.sentence_end)
        result.append(Mark(last_start, last_end, style, attribution(quote), anchor))
    for entity in entities:
        result.append(Mark(entity.start, entity.end, marks.label_style(entity.label)))
    return result


def attribution(quote: Quote) -> Text:
    """The dim "— Julianne Smith" shown after a quote."""
    who = one_line(quote.speaker) if quote.speaker else "unattributed"
    text = Text(f" — {who}", marks.SPEAKER)
    mark = marks.speaker_mark(quote)
    if quote.speaker and mark:
        text.append(f" ({mark})", marks.DIM)
    return text


def render_paragraph(text: str, start: int, end: int, marks_: list[Mark],
                     selected: tuple[int, int] | None) -> Text:
    """The slice ``start:end`` of ``text`` with every mark that overlaps it."""
    inside = [m for m in marks_ if m.start < end and m.end > start]
    # A note shows in the paragraph where its range ends, at its anchor or the paragraph end.
    notes = {id(m): _past_closers(text, min(m.anchor, end), end) for m in inside
             if m.after is not None and start < m.end <= end}
    cuts = {start, end, *notes.values()}
    for m in inside:
        cuts.update(x for x in (m.start, m.end) if start < x < end)
    if selected and selected[0] < end and selected[1] > start:
        cuts.update(x for x in selected if start < x < end)
    out = Text(end="")
    points = sorted(cuts)
    for a, b in zip(points, points[1:]):
        style = Style()
        for m in inside:
            if m.start <= a and b <= m.end:
                style += m.style
        if selected and selected[0] <= a and b <= selected[1]:
            style += marks.SELECTED
        out.append(safe(text[a:b]), style)
        for m in inside:
            if notes.get(id(m)) == b:
                out.append_text(m.after)
    return out


def _past_closers(text: str, at: int, end: int) -> int:
    """Move past closing quote marks, so a note never lands inside a quotation."""
    while at < end and text[at] in "\"'”’»)":
        at += 1
    return at


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _PARAGRAPH.finditer(text) if m.group().strip()]


def header(article: Article) -> Text:
    out = Text(end="")
    out.append(one_line(article.title) or "(untitled)", Style(bold=True, color="#c0caf5"))
    out.append("\n")
    meta = [one_line(article.source), one_line(article.author),
            (article.published or "")[:16].replace("T", " ")]
    out.append(" · ".join(x for x in meta if x), Style(color="#9ece6a"))
    if article.url:
        out.append("\n")
        out.append(one_line(article.url), Style(color="#7aa2f7", underline=True))
    if article.text_status != "full_text":
        reason = one_line(article.text_reason) or article.text_status
        label = ("Only the feed summary was available" if article.text_status == "feed_summary"
                 else "The article text could not be fetched")
        out.append(f"\n{label}: {reason}", marks.WARN)
    if article.analysis_skipped:
        out.append(f"\nNot analysed: {one_line(article.analysis_skipped)}", marks.WARN)
    return out


class Reader(VerticalScroll, can_focus=True):
    """The article being read."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="reader_down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="reader_up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="reader_top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="reader_bottom"),
    ]
    DEFAULT_CSS = """
    Reader { padding: 0 1; }
    Reader > #reader-header { margin-bottom: 1; border-bottom: solid $primary 40%; }
    Reader > #reader-empty { color: $text-muted; text-style: italic; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.selected: tuple[int, int] | None = None
        self._marks: list[Mark] = []

    def compose(self) -> ComposeResult:
        yield Static(Text("Select an article and press enter.", end=""), id="reader-empty")

    async def show(self, article: Article, entities: list[Entity], quotes: list[Quote]) -> None:
        """Replace the article shown, with nothing selected."""
        self.article, self.selected = article, None
        self._marks = article_marks(entities, quotes)
        await self.remove_children()
        widgets: list[Static] = [Static(header(article), id="reader-header", markup=False)]
        for start, end in paragraph_spans(article.text):
            widgets.append(Paragraph(start, end, render_paragraph(
                article.text, start, end, self._marks, None)))
        await self.mount_all(widgets)
        self.scroll_home(animate=False)

    def select(self, start: int, end: int) -> None:
        """Highlight ``start``..``end`` and scroll its first paragraph into view."""
        previous, self.selected = self.selected, (start, end)
        first: Paragraph | None = None
        for paragraph in self.query(Paragraph):
            touches = paragraph.start < end and paragraph.end > start
            touched = previous and paragraph.start < previous[1] and paragraph.end > previous[0]
            if touches or touched:
                paragraph.update(render_paragraph(self.article.text, paragraph.start,
                                                  paragraph.end, self._marks, self.selected))
            if touches and first is None:
                first = paragraph
        if first is not None:
            self.call_after_refresh(self._scroll_to_paragraph, first)

    def _scroll_to_paragraph(self, paragraph: Paragraph, tries: int = 20) -> None:
        """Scroll once the paragraph has been laid out.

        An article opened from the quote lookup is mounted while the lookup is
        still on top, and the main screen lays it out only when it is shown
        again; until then the paragraph has no region to scroll to.
        """
        if paragraph.virtual_region.height == 0 and tries > 0:
            self.call_after_refresh(self._scroll_to_paragraph, paragraph, tries - 1)
            return
        self.scroll_to_widget(paragraph, animate=False, top=True)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        return next((p for p in self.query(Paragraph) if p.start <= offset < p.end), None)
