"""The main screen: article list | reader | side panels, and the status line.

Panels post domain messages (``ArticleList.Opened``, ``QuotePanel.QuoteSelected``,
``EntityPanel.EntitySelected``/``Pivot``); this screen is the one place that
answers them, so no panel reaches into another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.compose import compose
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Footer, Input, Static

from extract.errors import StoreError, describe
from extract.safe_text import one_line, safe
from extract.store import ArticleFilter, StoreApi
from extract.store.records import citation, outlet
from extract.store.search import highlight_pattern
from tui.app_api import sql_store
from tui.as_you_type import AsYouType
from tui.widgets import marks
from tui.widgets.article_list import ArticleList, FilterSource, ResultsSource, RowSource
from tui.widgets.status_line import StatusLine
from tui.writes import StoreWriter

if TYPE_CHECKING:  # the panes right of the list are imported when they are mounted
    from extract.models import Quote
    from extract.store.records import Article, StoredQuote
    from tui import messages
    from tui.widgets.entity_panel import EntityPanel
    from tui.widgets.info_panel import InfoPanel
    from tui.widgets.quote_panel import QuotePanel
    from tui.widgets.reader import Reader

ALL_LABEL = "All articles"
NO_ARTICLES = "No articles yet. Press r to refresh."
NO_MATCH = "No article matches this search."
EMPTY_VIEW = "No article in this view. q or esc goes back."
NARROW, WIDE = 110, 180  # terminal widths where the layout changes (briefing.tcss)
DATE_FILTERS = (None, 1, 7, 30)  # days back that D cycles through (None: any date)


def why_no_quotes(article: Article) -> str | None:
    """Why an article has no quotes when it was never analysed for them (None: it was)."""
    if article.analysis_skipped:
        reason = one_line(article.analysis_skipped)
        return f"Not analysed for quotes: {reason}"
    if not article.text.strip():
        return "No text to analyse: " + (one_line(article.text_reason) or article.text_status)
    if article.analysed_with is None:
        return "Not analysed yet: briefing reprocess analyses it."
    return None


class BriefingFooter(Footer):
    """Textual's footer, rebuilt once for a burst of binding changes.

    Textual's own rebuilds it (20-50 ms: a widget per key) after each change, and
    start-up alone makes three (focus, screen resume, a deferred refresh), all queued for
    the same moment, right when the first keys arrive. One rebuild, run after the last
    change, reads the same bindings and draws the same footer.
    """

    _rebuild_pending = False
    _built_from: object = None  # what the keys shown were built from

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        # Everything ``Footer.compose`` reads: the same bindings make the same keys (the
        # reader and side panels mounting after the first frame change none of them).
        built_from = (
            self.show_command_palette,
            [
                (binding, enabled, tooltip)
                for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            ],
        )
        if built_from == self._built_from:
            return
        self._built_from = built_from
        await self.recompose()


class MainScreen(Screen):
    # The list, straight away (the default, the first focusable widget, is the search box,
    # focused and then hidden and blurred while the first frame is being made).
    AUTO_FOCUS = "#articles"
    BINDINGS = [
        Binding("q", "back(True)", "Back", id="back"),
        Binding("escape", "back(False)", "Back", show=False, id="clear_filter"),
        Binding("J", "step(1)", "Next article", show=False, id="next_article"),
        Binding("K", "step(-1)", "Previous article", show=False, id="prev_article"),
        Binding("n", "next_unread(1)", "Next unread", id="next_unread"),
        Binding("N", "next_unread(-1)", "Previous unread", show=False, id="prev_unread"),
        Binding("m", "toggle_read", "Read/unread", id="toggle_read"),
        Binding("s", "toggle_star", "Star", id="toggle_star"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="mark_all_read"),
        Binding("o", "open_in_browser", "Open in browser", id="open_in_browser"),
        Binding("slash", "search", "Search", id="search"),
        Binding("e", "export", "Export view", show=False, id="export"),
        Binding("f", "find", "Find in article", show=False, id="find"),
        Binding("z", "zoom", "Zoom", id="zoom"),
        Binding("u", "show_read", "Show/hide read", show=False, id="show_read"),
        Binding("S", "sort", "Sort by date/outlet", show=False, id="sort"),
        Binding("D", "date_filter", "Date filter", show=False, id="date_filter"),
        Binding("1", "side_tab('quotes')", "Quotes tab", show=False, id="tab_quotes"),
        Binding("2", "side_tab('entities')", "Entities tab", show=False, id="tab_entities"),
        Binding("3", "side_tab('info')", "Info tab", show=False, id="tab_info"),
    ]

    def __init__(self, store: StoreApi, writer: StoreWriter, watches: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.store, self.writer = store, writer
        self.watches = watches  # the configured watches' names: the list marks their hits
        self.article: Article | None = None
        self._panes: AwaitMount | None = None  # the reader and side panels, once mounted
        # How every list is shown (u, S, D): hide read, order, since; kept across filters.
        self.view = ArticleFilter()
        self.search_text = ""  # the search whose hits the reader marks
        self.article_search = AsYouType(self, self.search_articles)

    def compose(self) -> ComposeResult:
        # The first frame is the list: the reader and the side panels (half the widgets,
        # and most of the styling and painting of start-up) are mounted right after it
        # (``mount_panes``), into their places in #panes.
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield Static(ALL_LABEL, id="list-header", markup=False)
                search = Input(placeholder='Search: words, "a phrase", OR, NOT, pre*', id="search")
                search.display = False  # until /
                yield search
                yield ArticleList(self.all_articles(), id="articles", watched=self._watched())
            right = Horizontal(id="right")
            right.display = False  # until the panes in it are mounted and shown (show_panes)
            yield right
        yield StatusLine(id="status")
        yield BriefingFooter()

    def compose_panes(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        from tui.widgets.entity_panel import EntityPanel
        from tui.widgets.info_panel import InfoPanel
        from tui.widgets.quote_panel import QuotePanel
        from tui.widgets.reader import Reader

        with Vertical(id="reading"):
            yield Input(placeholder="Find in this article (enter: next, esc: close)", id="find")
            yield Reader(id="reader")
        # Quotes is the first tab, so active by default. Not ``initial="quotes"``: the tabs
        # then check on mount that the tab exists, which raises if the app is quitting
        # (tabs already removed) when the mount runs, e.g. ``q`` pressed at start-up.
        with TabbedContent(id="side"):
            with TabPane("Quotes", id="quotes"):
                yield QuotePanel(id="quote-panel")
            with TabPane("Entities", id="entities"):
                yield EntityPanel(id="entity-panel")
            with TabPane("Info", id="info"):
                yield InfoPanel(id="info-panel")

    async def mount_panes(self) -> None:
        """Mount the reader and the side panels right of the list (once) and show them,
        laid out at their size before anything is shown in them."""
        await self.mount_panes_hidden()
        if not self.panes_shown:
            self.show_panes()
            # Laid out now, as the screen's next frame would: the caller (a key's handler
            # on this screen) may size or scroll what it shows in them right away, and the
            # screen's own refresh waits for that handler to end.
            self._refresh_layout()

    def mount_panes_hidden(self) -> AwaitMount:
        """Mount the panes (once) but leave them hidden; await to wait.

        Start-up mounts them once no key has come for a moment (``BriefingApp``): hidden,
        so a key that comes during the mount has no layout or painting of theirs in its
        frame; they are shown in one frame once the keys pause again (``show_panes``).
        """
        if self._panes is None:
            right = self.query_one("#right", Horizontal)
            self._panes = right.mount_all(compose(right, self.compose_panes()))
        return self._panes

    def show_panes(self) -> None:
        """Show the mounted panes (their first layout and paint: one frame)."""
        self.query_one("#right", Horizontal).display = True

    @property
    def panes_shown(self) -> bool:
        return bool(self.query_one("#right", Horizontal).display)

    def on_mount(self) -> None:
        self.articles.focus()

    def _watched(self) -> Callable[[list[int]], set[int]] | None:
        """Which of a page's articles have unseen hits (None: no watches, no column)."""
        if not self.watches:
            return None
        from extract.store.watches import unseen_among

        return partial(unseen_among, sql_store(self.store), watches=list(self.watches))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "narrow")
        self.set_class(event.size.width >= WIDE, "wide")

    # -- parts -------------------------------------------------------------

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    # The panes' classes are imported here, not at the top: they load with the panes.
    @property
    def reader(self) -> Reader:
        from tui.widgets.reader import Reader

        return self.query_one("#reader", Reader)

    @property
    def quote_panel(self) -> QuotePanel:
        from tui.widgets.quote_panel import QuotePanel

        return self.query_one("#quote-panel", QuotePanel)

    @property
    def entity_panel(self) -> EntityPanel:
        from tui.widgets.entity_panel import EntityPanel

        return self.query_one("#entity-panel", EntityPanel)

    @property
    def info_panel(self) -> InfoPanel:
        from tui.widgets.info_panel import InfoPanel

        return self.query_one("#info-panel", InfoPanel)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def all_articles(self) -> RowSource:
        return self.filtered(ArticleFilter(), ALL_LABEL)

    def filtered(self, where: ArticleFilter, label: str) -> FilterSource:
        """A list of ``where``, shown the way the user chose (hide read, order, since)."""
        return FilterSource(
            self.store,
            replace(
                where,
                unread=where.unread or self.view.unread,
                since=self.view.since,
                order=self.view.order,
                keep=self.article.id if self.article else None,
            ),
            label,
        )

    def current_id(self) -> int | None:
        """The article the keys act on: the list's row when the list has focus."""
        row = self.articles.current
        if self.articles.has_focus and row is not None:
            return row.id
        if self.article is not None:
            return self.article.id
        return row.id if row is not None else None

    # -- opening -----------------------------------------------------------

    async def open_article(self, article_id: int, quote: Quote | None = None) -> None:
        """Show an article in the reader and panels; select ``quote`` if given."""
        await self.mount_panes()  # a key pressed during start-up may come first
        article = self.store.article(article_id)
        if article is None:
            self.notify("That article is no longer in the store.", severity="warning")
            return
        self.article = article
        entities, quotes = self.store.entities(article_id), self.store.quotes(article_id)
        await self.reader.show(article, entities, quotes)
        if self.search_text:  # opened from search results: the hits are marked
            self.reader.highlight(highlight_pattern(self.search_text))
        self.quote_panel.show(quotes, why_no_quotes(article))
        self.entity_panel.show(self.store.entity_counts(article_id), entities)
        self.info_panel.show(article)
        if not article.read:
            self.write_flag(article_id, "read", True)
        source = self.articles.source
        if isinstance(source, FilterSource) and source.where.keep != article_id:
            # An unread view keeps the article being read until another one is opened.
            self.articles.source = replace(source, where=replace(source.where, keep=article_id))
        self.articles.reload()
        if quote is not None:
            self.articles.show_article(article_id)
            await self.reader.select(quote.start, quote.end)

    async def on_article_list_opened(self, event: ArticleList.Opened) -> None:
        await self.open_article(event.article_id)
        self.reader.focus()  # j, space and G now read on; q goes back to the list

    async def action_step(self, step: int) -> None:
        """Open the next (or previous) article of the list, from the list or the reader."""
        index = self.articles.cursor + step
        if self.articles.row_at(index) is None:
            self.notify("No more articles in this list.", timeout=2)
            return
        await self._open_at(index)

    async def action_next_unread(self, step: int) -> None:
        """Open the next (or previous) unread article of the list, as newsboat's n/N."""
        index = self.articles.cursor + step
        while (row := self.articles.row_at(index)) is not None:
            if not row.read and (self.article is None or row.id != self.article.id):
                await self._open_at(index)
                return
            index += step
        self.notify("No more unread articles in this list.", timeout=2)

    async def _open_at(self, index: int) -> None:
        self.articles.cursor = index
        row = self.articles.current
        if row is not None:
            in_list = self.articles.has_focus
            await self.open_article(row.id)
            if not in_list:
                self.reader.focus()

    async def on_quote_panel_quote_selected(self, event: QuotePanel.QuoteSelected) -> None:
        await self.reader.select(event.quote.start, event.quote.end)

    async def on_entity_panel_entity_selected(self, event: EntityPanel.EntitySelected) -> None:
        await self.reader.select(event.entity.start, event.entity.end)

    def on_quote_panel_copy_citation(self, event: QuotePanel.CopyCitation) -> None:
        article = self.article
        if article is None:
            return
        where = outlet(article.source, article.url, article.feeds[0] if article.feeds else None)
        self.app.copy_text(  # type: ignore[attr-defined]
            citation(event.quote, where, article.published, article.url), "Citation"
        )

    def on_entity_panel_pivot(self, event: EntityPanel.Pivot) -> None:
        label = f"Mentioning {one_line(event.canonical)}"
        # By name and label: PERSON "Jordan" is not the country.
        where = ArticleFilter(entity=event.canonical, entity_label=event.label)
        person = self.store.person(event.person_id) if event.person_id is not None else None
        if person is not None:  # the person under every name, not this spelling
            label = f"Mentioning {one_line(person.name)}"
            where = ArticleFilter(person_id=person.id)
        self._close_search()  # the list no longer shows the search's hits
        self.show_source(self.filtered(where, label))
        self.articles.focus()

    def on_entity_panel_profile(self, event: EntityPanel.Profile) -> None:
        self.open_profile(event.person_id, event.canonical)

    def on_quote_panel_speaker_profile(self, event: QuotePanel.SpeakerProfile) -> None:
        speaker = event.quote.speaker
        person_id = (
            self.store.person_named_in(self.article.id, speaker)
            if self.article is not None and speaker
            else None
        )
        self.open_profile(person_id, speaker or "")

    def open_profile(self, person_id: int | None, name: str = "") -> None:
        """The speaker profile of a person; a name the registry has no person for (a
        description like "the mayor") is said so. A quote chosen there opens here."""
        if person_id is None:
            self.notify(
                f"No person in the briefing for “{name}”." if name else "No speaker to show.",
                severity="warning",
                markup=False,
            )
            return
        from tui.screens.profile import ProfileScreen

        async def chosen(found: StoredQuote | None) -> None:
            if found is not None:
                await self.open_article(found.article_id, found.quote)

        self.app.push_screen(ProfileScreen(self.store, person_id), chosen)

    def on_article_list_source_changed(self, event: ArticleList.SourceChanged) -> None:
        header = Text(f"{event.label}{self.view_note()} · {event.count}", style="bold")
        if isinstance(self.articles.source, ResultsSource):
            self.articles.empty_text = NO_MATCH
        elif event.label != ALL_LABEL or self.view_note():
            self.articles.empty_text = EMPTY_VIEW
        elif self.articles.empty_text in (NO_MATCH, EMPTY_VIEW):  # else: as refresh set it
            self.articles.empty_text = NO_ARTICLES
        self.articles.refresh()
        if event.label != ALL_LABEL:
            header.append("  q: back", style=marks.current().muted)
        self.query_one("#list-header", Static).update(header)

    def view_note(self) -> str:
        """How the list is shown, when not the default: " · unread · by outlet"."""
        notes = [
            ("unread" if self.view.unread else ""),
            ("by outlet" if self.view.order == "outlet" else ""),
            (f"since {self.view.since}" if self.view.since else ""),
        ]
        return "".join(f" · {n}" for n in notes if n)

    def repaint_marks(self) -> None:
        """Draw the list and the open article again (the theme's palette changed)."""
        self.articles.reload()
        if self.article is not None and self._panes is not None:
            self.run_worker(
                self.open_article(self.article.id),
                group="repaint",
                exclusive=True,
                exit_on_error=False,
            )

    # -- filters and search --------------------------------------------------

    def show_source(self, source: RowSource) -> None:
        """Switch the list, keeping the cursor on the open article if it is listed."""
        keep = self.article.id if self.article else None
        self.articles.set_source(source)
        if keep is not None:
            self.articles.show_article(keep)

    def filter_articles(self, where: ArticleFilter, label: str) -> None:
        self._close_search()
        self.show_source(self.filtered(where, label))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        if not event.input.display:  # cleared on closing: the list was already switched
            self.article_search.cancel()
            return
        self.article_search.typed(event.value)

    def search_articles(self, typed: str) -> None:
        """The list shows the articles matching what was typed (all of them for nothing)."""
        query = typed.strip()
        self.search_text = query
        if not query:
            self.articles.set_source(self.all_articles())
            return
        rows = self.store.search_articles(query, 200)
        self.articles.set_source(ResultsSource(rows, f"Search: {one_line(query)}"))

    @on(Input.Submitted, "#search")
    async def search_submitted(self) -> None:
        """Enter in the search box opens the result under the cursor (the first one)."""
        self.article_search.flush()
        self.articles.focus()
        if self.articles.current is not None:
            self.articles.action_open()

    def on_key(self, event: events.Key) -> None:
        # Down or tab from the search box goes to the results; up or tab from the find box
        # keeps finding.
        search = self.query_one("#search", Input)
        if event.key == "down" and search.has_focus:
            event.stop()
            self.article_search.flush()
            self.articles.focus()

    def action_export(self) -> None:
        """Write what the list shows as a briefing file ([export] dir)."""
        from tui.export_view import export_view

        export_view(self.app, self.articles.source)  # type: ignore[arg-type]

    def _close_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            search.clear()
        self.article_search.cancel()
        self.search_text = ""

    def action_back(self, quit_at_top: bool) -> None:
        """One level back: zoom, find, reader, search or filter; at the top ``q`` quits."""
        find = self.query_one("#find", Input) if self._panes is not None else None
        focused = self.focused
        if self.maximized is not None:
            self.minimize()
        elif find is not None and find.display:
            self._close_find()
        elif (
            focused is not None and focused is not self.articles and not isinstance(focused, Input)
        ):
            self.articles.focus()  # from the reader or a side panel to the list
        elif self.query_one("#search", Input).display or self.articles.source.label != ALL_LABEL:
            self.show_all()
        elif quit_at_top:
            self.app.exit()
        else:
            self.articles.focus()

    def show_all(self) -> None:
        """Every article (as the view shows them), the search closed, focus on the list."""
        self._close_search()
        self.show_source(self.all_articles())
        self.articles.focus()

    # -- find in the article -------------------------------------------------

    async def action_find(self) -> None:
        await self.mount_panes()
        if self.article is None:
            self.notify("Open an article first (enter).", timeout=2)
            return
        find = self.query_one("#find", Input)
        find.display = True
        find.focus()

    @on(Input.Changed, "#find")
    def find_changed(self, event: Input.Changed) -> None:
        count = self.reader.highlight(highlight_pattern(event.value))
        self._find_next(-1)
        if event.value.strip() and not count:
            self.notify("Not found in this article.", timeout=2)

    @on(Input.Submitted, "#find")
    def find_submitted(self) -> None:
        self._find_next(self.reader.selected[0] if self.reader.selected else -1)

    def _find_next(self, after: int) -> None:
        hit = self.reader.next_hit(after)
        if hit is not None:
            self.run_worker(self.reader.select(*hit), group="find", exclusive=True)

    def _close_find(self) -> None:
        find = self.query_one("#find", Input)
        find.display = False
        find.clear()
        self.reader.highlight(highlight_pattern(self.search_text))
        self.reader.focus()

    # -- zoom, and how the list is shown ---------------------------------------

    def action_zoom(self) -> None:
        """Show only the focused pane (the reader, the list or a panel); again to undo."""
        if self.maximized is not None:
            self.minimize()
            return
        pane = self._focused_pane()
        if pane is not None:
            self.maximize(pane, container=False)

    def _focused_pane(self) -> Widget | None:
        focused = self.focused
        if focused is None or isinstance(focused, Input):
            return None
        return focused  # the list, the reader or a side panel

    def action_show_read(self) -> None:
        self.view = replace(self.view, unread=not self.view.unread)
        self._restyle_list()

    def action_sort(self) -> None:
        self.view = replace(self.view, order="outlet" if self.view.order == "date" else "date")
        self._restyle_list()

    def action_date_filter(self) -> None:
        days = next((d for d in DATE_FILTERS if self._since(d) == self.view.since), None)
        following = DATE_FILTERS[(DATE_FILTERS.index(days) + 1) % len(DATE_FILTERS)]
        self.view = replace(self.view, since=self._since(following))
        self._restyle_list()

    @staticmethod
    def _since(days: int | None) -> str | None:
        if days is None:
            return None
        return (datetime.now(UTC) - timedelta(days=days - 1)).date().isoformat()

    def _restyle_list(self) -> None:
        source = self.articles.source
        if isinstance(source, FilterSource):
            base = replace(source.where, unread=False, since=None, order="date")
            palette_unread = source.label == "Unread"  # the palette's own unread filter
            self.show_source(self.filtered(replace(base, unread=palette_unread), source.label))
        else:
            self.notify("Search results are shown best first; esc returns to the list.", timeout=3)
            self.on_article_list_source_changed(
                ArticleList.SourceChanged(source.label, self.articles.count)
            )

    async def action_mark_all_read(self) -> None:
        source = self.articles.source
        if isinstance(source, FilterSource):
            ids = self.store.article_ids(replace(source.where, keep=None))
        else:
            ids = [row.id for row in source.page(0, source.count())]
        try:
            changed = await self.writer.run(lambda store: store.mark_all_read(ids))
        except StoreError as exc:
            self.notify(
                f"Could not mark them read: {one_line(str(exc))}",
                title="Not saved",
                severity="error",
                timeout=8,
                markup=False,
            )
            return
        self.articles.reload()
        self.notify(f"Marked {changed} article(s) read.", timeout=3)

    async def action_side_tab(self, tab: str) -> None:
        await self.mount_panes()
        from textual.widgets import TabbedContent

        self.query_one("#side", TabbedContent).active = tab
        panel = {"quotes": "#quote-panel", "entities": "#entity-panel"}.get(tab)
        if panel is not None:
            self.query_one(panel).focus()

    # -- article state -------------------------------------------------------

    def action_toggle_read(self) -> None:
        article_id = self.current_id()
        if article_id is not None:
            self.write_flag(article_id, "read", None)

    def action_toggle_star(self) -> None:
        article_id = self.current_id()
        if article_id is not None:
            self.write_flag(article_id, "starred", None)

    def write_flag(self, article_id: int, flag: str, value: bool | None) -> None:
        """Set ``read`` or ``starred`` (``None``: flip it) off the UI thread.

        Writes run one after another in key order, and a flip reads the value
        when it runs, so ``s s`` stars and unstars even if the first has to wait.
        """
        self.run_worker(
            self._write_flag(article_id, flag, value), group="store-write", exit_on_error=False
        )

    async def _write_flag(self, article_id: int, flag: str, value: bool | None) -> None:
        def write(store: StoreApi) -> None:
            article = store.article(article_id)
            if article is None:
                return
            new = (not getattr(article, flag)) if value is None else value
            if flag == "read":
                store.set_read(article_id, new)
                if new and self.watches:  # read: its watch hits are seen, the mark goes
                    from extract.store.watches import mark_article_seen

                    mark_article_seen(sql_store(store), article_id, list(self.watches))
            else:
                store.set_starred(article_id, new)

        try:
            await self.writer.run(write)
        except StoreError as exc:
            what = "star/unstar" if flag == "starred" else "mark read/unread"
            self.notify(
                f"Could not {what} the article: {describe(exc)}",
                title="Not saved",
                severity="error",
                timeout=8,
                markup=False,
            )
        self._changed(article_id)  # shows what the store holds, written or not

    def _current_article(self) -> Article | None:
        article_id = self.current_id()
        return self.store.article(article_id) if article_id is not None else None

    def _changed(self, article_id: int) -> None:
        self.articles.reload()
        if self.article is not None and self.article.id == article_id:
            self.article = self.store.article(article_id)
            if self.article is not None:  # None: deleted meanwhile (by another process)
                self.info_panel.show(self.article)

    def action_open_in_browser(self) -> None:
        article = self._current_article()
        if article is None or not article.url:
            self.notify("This article has no link.", severity="warning")
            return
        # A feed may link anywhere; only hand the browser schemes it opens as pages
        # (file: for local feeds such as the demo), never javascript:, data: or app schemes.
        if urlsplit(article.url).scheme.lower() not in ("http", "https", "file"):
            self.notify("Only http(s) and file links are opened.", severity="warning")
            return
        url = article.url
        self.run_worker(self._open_url(url), name="open in browser", exit_on_error=False)

    async def _open_url(self, url: str) -> None:
        import asyncio
        import webbrowser  # not needed to start

        # webbrowser.open can block (it may start a browser); a thread keeps keys alive.
        opened = await asyncio.to_thread(webbrowser.open, url)
        if opened is False:  # no browser on this machine (a server, a container)
            self.app.copy_text(url, "No browser found: the link")  # type: ignore[attr-defined]

    # -- refresh events (posted by the worker in tui.refresh) ----------------

    def on_refresh_started(self, event: messages.RefreshStarted) -> None:
        lead = "Loading the demo briefing…" if event.demo else "Refreshing…"
        self.status.start(lead)
        if event.demo and self.articles.count == 0:
            self.articles.empty_text = "Loading the demo briefing…"
            self.articles.refresh()

    def on_ingest_event_message(self, message: messages.IngestEventMessage) -> None:
        from extract.ingest import events  # loaded with the first refresh, not at start-up

        match message.event:
            case events.Progress(stage=stage, done=done, total=total):
                self.status.stage(stage, done, total)
            case events.FeedChecked(feed=feed, status=status, reason=reason):
                self.status.feed(feed, status, reason)
            case events.ArticleStored():
                self.status.added()
                self.articles.reload()  # keeps the cursor on the same article
            case events.Done(new=new, failed_feeds=failed_feeds):
                failed = f", {failed_feeds} feed(s) failed" if failed_feeds else ""
                self.status.finish(f"Refreshed: {new} new article(s){failed}.")
                self.articles.empty_text = NO_ARTICLES
                self.articles.reload()
            case events.Error(message=text):  # may be two lines: an error, then its hint
                first = text.partition("\n")[0]
                self.status.say(f"Refresh error: {one_line(first)}")
                self.notify(safe(text), title="Refresh error", severity="error", markup=False)

    def on_watch_hits(self, message: messages.WatchHits) -> None:
        """After the refresh's "Refreshed: ..." note, what the watches found; the list
        redraws its watch marks."""
        self.status.say(f"{self.status.note} {message.summary}".strip())
        self.articles.reload()

    def refresh_failed(self, reason: str) -> None:
        self.status.finish(f"Refresh failed: {one_line(reason)}")
        self.articles.empty_text = NO_ARTICLES
        self.articles.refresh()
