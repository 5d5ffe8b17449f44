"""The reader: an article's header, then its text with entities and quotes marked.

The text is shown one ``Static`` per paragraph, each knowing its character
range in ``Article.text``. Entity and quote offsets are char offsets into that
text, so each paragraph styles its own slice; scrolling to a quote is
scrolling to the paragraph that holds it. Every slice goes through ``safe``
on its own, so removing a control character never shifts a mark.

Marks are bucketed by paragraph once (sorted, walked together with the
paragraphs), so an article costs O(paragraphs + marks), not their product.
An absurdly long text is mounted a window at a time: at most ``MAX_PARAGRAPHS``
paragraphs or ``MAX_CHARS`` characters, with a note saying how much is before or
after; scrolling past either end, ``g``/``G``, or selecting a quote or entity outside
the window moves the window, so the whole text is reachable.
A paragraph longer than ``PIECE_CHARS`` is shown in pieces.
"""

from __future__ import annotations

import bisect
import itertools
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from extract.models import Entity, Quote
from extract.safe_text import one_line, safe
from extract.store.records import Article
from tui.widgets import marks

_PARAGRAPH = re.compile(r"[^\n]+")
MAX_PARAGRAPHS = 400  # mounted at once: one widget each
MAX_CHARS = 200_000  # shown at once
PIECE_CHARS = 20_000  # a longer paragraph is cut (at a space) into pieces of at most this
CONTEXT = 3  # paragraphs shown before a selection that moved the window


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

    def __init__(self, index: int, start: int, end: int, content: Text) -> None:
        super().__init__(content, markup=False)
        self.index, self.start, self.end = index, start, end


def article_marks(entities: Iterable[Entity], quotes: Iterable[Quote]) -> list[Mark]:
    """Quote backgrounds first, then entity colours on top, speakers after quotes."""
    palette = marks.current()
    result: list[Mark] = []
    quotes = list(quotes)
    # After the sentence, not the span: the span stops inside the closing quote mark. Two
    # quotes ending in one sentence would put both names there ("… — Trump — Sondland"):
    # then each name goes right after its own quote.
    anchors = [max(q.spans[-1][1], q.sentence_end) for q in quotes]
    shared = {a for a in anchors if anchors.count(a) > 1}
    for quote, anchor in zip(quotes, anchors):
        style = palette.direct_quote if quote.kind == "direct" else palette.indirect_quote
        for start, end in quote.spans[:-1]:
            result.append(Mark(start, end, style))
        last_start, last_end = quote.spans[-1]
        if anchor in shared:
            anchor = last_end
        result.append(Mark(last_start, last_end, style, attribution(quote), anchor))
    for entity in entities:
        result.append(Mark(entity.start, entity.end, palette.label(entity.label)))
    return result


def attribution(quote: Quote) -> Text:
    """The muted "— Julianne Smith" shown after a quote."""
    who = one_line(quote.speaker) if quote.speaker else "unattributed"
    palette = marks.current()
    text = Text(f" — {who}", palette.speaker)
    mark = marks.speaker_mark(quote)
    if quote.speaker and mark:
        text.append(f" ({mark})", palette.muted)
    return text


def bucket_marks(spans: list[tuple[int, int]], marks_: list[Mark]) -> list[list[Mark]]:
    """For each span (sorted, disjoint) the marks overlapping it, in their original order.

    One sort and one walk: a mark is looked at for the spans it overlaps only.
    """
    order = sorted(range(len(marks_)), key=lambda i: marks_[i].start)
    buckets: list[list[Mark]] = []
    open_: list[int] = []  # indices of marks started before the current span's end
    next_mark = 0
    for start, end in spans:
        while next_mark < len(order) and marks_[order[next_mark]].start < end:
            open_.append(order[next_mark])
            next_mark += 1
        open_ = [i for i in open_ if marks_[i].end > start]  # drop the finished ones
        buckets.append([marks_[i] for i in sorted(i for i in open_ if marks_[i].end > start)])
    return buckets


def render_paragraph(
    text: str, start: int, end: int, marks_: list[Mark], selected: tuple[int, int] | None
) -> Text:
    """The slice ``start:end`` of ``text`` with every mark in ``marks_`` that overlaps it.

    ``marks_`` may be every mark of the article or (faster) the paragraph's bucket.
    """
    inside = [m for m in marks_ if m.start < end and m.end > start]
    # A note shows in the paragraph where its range ends, at its anchor or the paragraph end.
    notes: dict[int, list[Text]] = {}
    for m in inside:
        if m.after is not None and start < m.end <= end:
            notes.setdefault(_past_closers(text, min(m.anchor, end), end), []).append(m.after)
    inside = [m for m in inside if m.start < m.end]  # an empty range styles nothing
    # Where each mark starts and stops applying, in the marks' order (styles stack in it).
    starts: dict[int, list[int]] = {}
    stops: dict[int, list[int]] = {}
    for n, m in enumerate(inside):
        starts.setdefault(max(m.start, start), []).append(n)
        stops.setdefault(min(m.end, end), []).append(n)
    cuts = {start, end, *notes, *starts, *stops}
    if selected and selected[0] < end and selected[1] > start:
        cuts.update(x for x in selected if start < x < end)
    out = Text(end="")
    selected_style = marks.current().selected
    active: set[int] = set()
    points = sorted(cuts)
    for a, b in itertools.pairwise(points):
        active.difference_update(stops.get(a, ()))
        active.update(starts.get(a, ()))
        style = Style()
        for n in sorted(active):
            style += inside[n].style
        if selected and selected[0] <= a and b <= selected[1]:
            style += selected_style
        out.append(safe(text[a:b]), style)
        for note in notes.get(b, ()):
            out.append_text(note)
    return out


def _past_closers(text: str, at: int, end: int) -> int:
    """Move past closing quote marks, so a note never lands inside a quotation."""
    while at < end and text[at] in "\"'”’»)":
        at += 1
    return at


def paragraph_spans(text: str, piece: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """The non-blank lines of ``text``; one longer than ``piece`` is cut at spaces."""
    spans: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(text):
        if not m.group().strip():
            continue
        start, end = m.span()
        while end - start > piece:
            cut = text.rfind(" ", start + piece // 2, start + piece)
            cut = cut + 1 if cut != -1 else start + piece
            spans.append((start, cut))
            start = cut
        spans.append((start, end))
    return spans


def window(spans: list[tuple[int, int]], first: int) -> tuple[int, int]:
    """The paragraphs ``first``..``last`` (exclusive) shown: within both caps, at least one."""
    last, chars = first, 0
    while last < len(spans) and last - first < MAX_PARAGRAPHS:
        chars += spans[last][1] - spans[last][0]
        if chars > MAX_CHARS and last > first:
            break
        last += 1
    return first, last


def window_ending(spans: list[tuple[int, int]], end: int) -> tuple[int, int]:
    """The window whose last paragraph is ``end - 1``: within both caps, at least one."""
    end = min(end, len(spans))
    first, chars = end, 0
    while first > 0 and end - first < MAX_PARAGRAPHS:
        chars += spans[first - 1][1] - spans[first - 1][0]
        if chars > MAX_CHARS and first < end:
            break
        first -= 1
    return first, end


def header(article: Article) -> Text:
    palette = marks.current()
    out = Text(end="")
    out.append(one_line(article.title) or "(untitled)", palette.title)
    out.append("\n")
    meta = [
        one_line(article.source),
        one_line(article.author),
        (article.published or "")[:16].replace("T", " "),
    ]
    out.append(" · ".join(x for x in meta if x), palette.label("GPE"))
    if article.url:
        out.append("\n")
        out.append(one_line(article.url), palette.link)
    if article.text_status != "full_text":
        reason = one_line(article.text_reason) or article.text_status
        label = (
            "Only the feed summary was available"
            if article.text_status == "feed_summary"
            else "The article text could not be fetched"
        )
        out.append(f"\n{label}: {reason}", palette.warn)
    if article.analysis_skipped:
        # The reason says it itself ("not analysed: language ...", "analysis failed: ...").
        reason = one_line(article.analysis_skipped)
        out.append(f"\n{reason[:1].upper()}{reason[1:]}", palette.warn)
    return out


class Reader(VerticalScroll, can_focus=True):
    """The article being read.

    Every key counts: a burst of 20 ``j`` scrolls 20 lines. Textual's own scroll
    actions animate towards a target that a key pressed mid-animation reads before it
    has moved, so keys were lost; these move at once. The whole text is reachable:
    scrolling past the end (or start) of the paragraphs mounted moves the window on.
    """

    ALLOW_MAXIMIZE = True  # z zooms it (scroll containers are not zoomable by default)
    BINDINGS = [
        Binding("j,down", "down", "Scroll down", show=False, id="reader_down"),
        Binding("k,up", "up", "Scroll up", show=False, id="reader_up"),
        Binding("space,pagedown", "page(1)", "Page down", show=False, id="reader_page_down"),
        Binding("b,pageup", "page(-1)", "Page up", show=False, id="reader_page_up"),
        Binding("g,home", "top", "Top", show=False, id="reader_top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="reader_bottom"),
    ]
    DEFAULT_CSS = """
    Reader { padding: 0 1; }
    Reader > #reader-header { margin-bottom: 1; border-bottom: solid $primary 40%; }
    Reader > #reader-empty { color: $text-muted; text-style: italic; }
    Reader > .reader-truncated { color: $text-warning; text-style: italic; margin-bottom: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.article: Article | None = None
        self.selected: tuple[int, int] | None = None
        self._marks: list[Mark] = []
        self._spans: list[tuple[int, int]] = []
        self._buckets: list[list[Mark]] = []
        self.shown: tuple[int, int] = (0, 0)  # the paragraphs mounted: first..last
        self.hits: list[tuple[int, int]] = []  # found words (search, find), in text order
        self._hit_marks: list[list[Mark]] = []  # hits bucketed by paragraph

    def compose(self) -> ComposeResult:
        yield Static(Text("Select an article and press enter.", end=""), id="reader-empty")

    async def show(self, article: Article, entities: list[Entity], quotes: list[Quote]) -> None:
        """Replace the article shown, with nothing selected."""
        self.article, self.selected = article, None
        self._marks = article_marks(entities, quotes)
        self._spans = paragraph_spans(article.text)
        self._buckets = bucket_marks(self._spans, self._marks)
        self.hits, self._hit_marks = [], [[] for _ in self._spans]
        await self._show_window(0)
        self.scroll_home(animate=False)

    # -- moving: every key counts, the whole text is reachable ------------------

    async def action_down(self) -> None:
        await self._move(1)

    async def action_up(self) -> None:
        await self._move(-1)

    async def action_page(self, direction: int) -> None:
        await self._move(direction * max(1, self.scrollable_content_region.height - 1))

    async def _move(self, lines: int) -> None:
        if (
            lines > 0
            and self.scroll_y + lines > self.max_scroll_y
            and self.shown[1] < len(self._spans)
        ):
            await self._show_window(max(self.shown[0] + 1, self.shown[1] - CONTEXT))
            self.scroll_home(animate=False)
            return
        if lines < 0 and self.scroll_y + lines < 0 and self.shown[0] > 0:
            await self._show_window(window_ending(self._spans, self.shown[0] + CONTEXT)[0])
            self.call_after_refresh(self.scroll_end, animate=False)
            return
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    async def action_top(self) -> None:
        if self.shown[0] > 0:
            await self._show_window(0)
        self.scroll_home(animate=False)

    async def action_bottom(self) -> None:
        if self.shown[1] < len(self._spans):
            await self._show_window(window_ending(self._spans, len(self._spans))[0])
        self.call_after_refresh(self.scroll_end, animate=False)
        self.scroll_end(animate=False)

    # -- found words: search hits and find in the article -----------------------

    def highlight(self, pattern: re.Pattern[str] | None) -> int:
        """Mark every match of ``pattern`` in the text (None: no marks); how many."""
        if self.article is None:
            return 0
        self.hits = (
            []
            if pattern is None
            else [m.span() for m in pattern.finditer(self.article.text) if m.end() > m.start()]
        )
        found = [Mark(a, b, marks.current().found) for a, b in self.hits]
        self._hit_marks = bucket_marks(self._spans, found)
        self._redraw()
        return len(self.hits)

    def _redraw(self) -> None:
        assert self.article is not None
        for paragraph in self.query(Paragraph):
            paragraph.update(self._paragraph_text(paragraph.index))

    def _paragraph_text(self, index: int) -> Text:
        assert self.article is not None
        start, end = self._spans[index]
        extra = self._hit_marks[index] if index < len(self._hit_marks) else []
        return render_paragraph(
            self.article.text, start, end, self._buckets[index] + extra, self.selected
        )

    def next_hit(self, after: int, direction: int = 1) -> tuple[int, int] | None:
        """The first hit after (or, ``direction`` -1, before) ``after``, wrapping round."""
        if not self.hits:
            return None
        starts = [a for a, _ in self.hits]
        if direction > 0:
            index = bisect.bisect_right(starts, after) % len(self.hits)
        else:
            index = (bisect.bisect_left(starts, after) - 1) % len(self.hits)
        return self.hits[index]

    async def _show_window(self, first: int) -> None:
        """Mount the header and the paragraphs of the window starting at ``first``."""
        assert self.article is not None
        first, last = window(self._spans, first)
        self.shown = (first, last)
        await self.remove_children()
        widgets: list[Static] = [Static(header(self.article), id="reader-header", markup=False)]
        if first > 0:
            widgets.append(
                self._note(
                    f"{first:,} earlier paragraph(s): scroll up (k, b) or press g for the start."
                )
            )
        for index in range(first, last):
            start, end = self._spans[index]
            widgets.append(Paragraph(index, start, end, self._paragraph_text(index)))
        if last < len(self._spans):
            widgets.append(
                self._note(
                    f"{len(self._spans) - last:,} more paragraph(s): keep scrolling (j, space) "
                    "or press G for the end."
                )
            )
        await self.mount_all(widgets)

    @staticmethod
    def _note(text: str) -> Static:
        return Static(Text(text, end=""), classes="reader-truncated", markup=False)

    async def select(self, start: int, end: int) -> None:
        """Highlight ``start``..``end`` and scroll its first paragraph into view."""
        if self.article is None:
            return
        previous, self.selected = self.selected, (start, end)
        target = self._span_index(start)
        if target is not None and not self.shown[0] <= target < self.shown[1]:
            await self._show_window(max(0, target - CONTEXT))  # drawn with the selection
            previous = None
        first: Paragraph | None = None
        for paragraph in self.query(Paragraph):
            touches = paragraph.start < end and paragraph.end > start
            touched = previous and paragraph.start < previous[1] and paragraph.end > previous[0]
            if touches or touched:
                paragraph.update(self._paragraph_text(paragraph.index))
            if touches and first is None:
                first = paragraph
        if first is not None:
            self.call_after_refresh(self._scroll_to_paragraph, first)

    def _span_index(self, offset: int) -> int | None:
        """The paragraph holding ``offset`` (or the first one after it)."""
        index = bisect.bisect_right(self._spans, (offset, sys.maxsize)) - 1
        if index >= 0 and self._spans[index][1] > offset:
            return index
        return index + 1 if index + 1 < len(self._spans) else None

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
