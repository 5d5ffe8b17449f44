"""The main screen: article list | reader | side panels, and the status line.

Panels post domain messages (``ArticleList.Opened``, ``QuotePanel.QuoteSelected``,
``EntityPanel.EntitySelected``/``Pivot``); this screen is the one place that
answers them, so no panel reaches into another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.compose import compose
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Footer, Input, Static

from extract.errors import StoreError, describe
from extract.safe_text import one_line, safe
from extract.store import ArticleFilter, Store
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
        built_from = (self.show_command_palette, [
            (binding, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()])
        if built_from == self._built_from:
            return
        self._built_from = built_from
        await self.recompose()


class MainScreen(Screen):
    # The list, straight away (the default, the first focusable widget, is the search box,
    # focused and then hidden and blurred while the first frame is being made).
    AUTO_FOCUS = "#articles"
    BINDINGS = [
        Binding("m", "toggle_read", "Read/unread", id="toggle_read"),
        Binding("s", "toggle_star", "Star", id="toggle_star"),
        Binding("o", "open_in_browser", "Open in browser", id="open_in_browser"),
        Binding("slash", "search", "Search", id="search"),
        Binding("1", "side_tab('quotes')", "Quotes tab", show=False, id="tab_quotes"),
        Binding("2", "side_tab('entities')", "Entities tab", show=False, id="tab_entities"),
        Binding("3", "side_tab('info')", "Info tab", show=False, id="tab_info"),
        Binding("escape", "clear_filter", "All articles", show=False, id="clear_filter"),
    ]

    def __init__(self, store: Store, writer: StoreWriter) -> None:
        super().__init__()
        self.store, self.writer = store, writer
        self.article: Article | None = None
        self._panes: AwaitMount | None = None  # the reader and side panels, once mounted

    def compose(self) -> ComposeResult:
        # The first frame is the list: the reader and the side panels (half the widgets,
        # and most of the styling and painting of start-up) are mounted right after it
        # (``mount_panes``), into their places in #panes.
        with Horizontal(id="panes"), Vertical(id="left"):
            yield Static(ALL_LABEL, id="list-header", markup=False)
            search = Input(placeholder="Search articles…", id="search")
            search.display = False  # until /
            yield search
            yield ArticleList(self.all_articles(), id="articles")
        yield StatusLine(id="status")
        yield BriefingFooter()

    def compose_panes(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        from tui.widgets.entity_panel import EntityPanel
        from tui.widgets.info_panel import InfoPanel
        from tui.widgets.quote_panel import QuotePanel
        from tui.widgets.reader import Reader

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

    def mount_panes(self) -> AwaitMount:
        """Mount the reader and the side panels right of the list (once); await to wait."""
        if self._panes is None:
            panes = self.query_one("#panes", Horizontal)
            self._panes = panes.mount_all(compose(panes, self.compose_panes()))
        return self._panes

    def on_mount(self) -> None:
        self.articles.focus()

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
        return FilterSource(self.store, ArticleFilter(), ALL_LABEL)

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
        self.quote_panel.show(quotes)
        self.entity_panel.show(self.store.entity_counts(article_id), entities)
        self.info_panel.show(article)
        if not article.read:
            self.write_flag(article_id, "read", True)
        self.articles.reload()
        if quote is not None:
            self.articles.show_article(article_id)
            await self.reader.select(quote.start, quote.end)

    async def on_article_list_opened(self, event: ArticleList.Opened) -> None:
        await self.open_article(event.article_id)

    async def on_quote_panel_quote_selected(self, event: QuotePanel.QuoteSelected) -> None:
        await self.reader.select(event.quote.start, event.quote.end)

    async def on_entity_panel_entity_selected(self, event: EntityPanel.EntitySelected) -> None:
        await self.reader.select(event.entity.start, event.entity.end)

    def on_entity_panel_pivot(self, event: EntityPanel.Pivot) -> None:
        label = f"Mentioning {one_line(event.canonical)}"
        # By name and label: PERSON "Jordan" is not the country.
        where = ArticleFilter(entity=event.canonical, entity_label=event.label)
        person_id = self._person_of_entity(event.canonical, event.label)
        person = self.store.person(person_id) if person_id is not None else None
        if person is not None:  # the person under every name, not this spelling
            label = f"Mentioning {one_line(person.name)}"
            where = ArticleFilter(person_id=person.id)
        self.show_source(FilterSource(self.store, where, label))
        self.articles.focus()

    def _person_of_entity(self, canonical: str, label: str) -> int | None:
        if self.article is None:
            return None
        return self.store.person_of_entity(self.article.id, canonical, label)

    def on_entity_panel_profile(self, event: EntityPanel.Profile) -> None:
        self.open_profile(self._person_of_entity(event.canonical, event.label),
                          event.canonical)

    def on_quote_panel_speaker_profile(self, event: QuotePanel.SpeakerProfile) -> None:
        speaker = event.quote.speaker
        person_id = (self.store.person_named_in(self.article.id, speaker)
                     if self.article is not None and speaker else None)
        self.open_profile(person_id, speaker or "")

    def open_profile(self, person_id: int | None, name: str = "") -> None:
        """The speaker profile of a person; a name the registry has no person for (a
        description like "the mayor") is said so. A quote chosen there opens here."""
        if person_id is None:
            self.notify(f"No person in the briefing for “{name}”." if name else
                        "No speaker to show.", severity="warning", markup=False)
            return
        from tui.screens.profile import ProfileScreen

        async def chosen(found: StoredQuote | None) -> None:
            if found is not None:
                await self.open_article(found.article_id, found.quote)
        self.app.push_screen(ProfileScreen(self.store, person_id), chosen)

    def on_article_list_source_changed(self, event: ArticleList.SourceChanged) -> None:
        header = Text(f"{event.label} · {event.count}", style="bold")
        if event.label != ALL_LABEL:
            header.append("  esc: all", style="dim")
        self.query_one("#list-header", Static).update(header)

    # -- filters and search --------------------------------------------------

    def show_source(self, source: RowSource) -> None:
        """Switch the list, keeping the cursor on the open article if it is listed."""
        keep = self.article.id if self.article else None
        self.articles.set_source(source)
        if keep is not None:
            self.articles.show_article(keep)

    def filter_articles(self, where: ArticleFilter, label: str) -> None:
        self.show_source(FilterSource(self.store, where, label))

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "search":
            return
        query = event.value.strip()
        if not query:
            self.articles.set_source(self.all_articles())
            return
        rows = self.store.search_articles(query, 200)
        self.articles.set_source(ResultsSource(rows, f"Search: {one_line(query)}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.articles.focus()

    def action_clear_filter(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            search.clear()
        if self.articles.source.label != ALL_LABEL:
            self.show_source(self.all_articles())
        self.articles.focus()

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
        self.run_worker(self._write_flag(article_id, flag, value), group="store-write",
                        exit_on_error=False)

    async def _write_flag(self, article_id: int, flag: str, value: bool | None) -> None:
        def write(store: Store) -> None:
            article = store.article(article_id)
            if article is None:
                return
            new = (not getattr(article, flag)) if value is None else value
            if flag == "read":
                store.set_read(article_id, new)
            else:
                store.set_starred(article_id, new)

        try:
            await self.writer.run(write)
        except StoreError as exc:
            what = "star/unstar" if flag == "starred" else "mark read/unread"
            self.notify(f"Could not {what} the article: {describe(exc)}",
                        title="Not saved", severity="error", timeout=8, markup=False)
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
        import webbrowser  # not needed to start

        # webbrowser.open can block (it may start a browser); a thread keeps keys alive.
        self.app.run_worker(lambda: webbrowser.open(article.url), name="open in browser",
                            thread=True, exit_on_error=False)

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
                self.articles.empty_text = "No articles yet. Press r to refresh."
                self.articles.reload()
            case events.Error(message=text):  # may be two lines: an error, then its hint
                first = text.partition("\n")[0]
                self.status.say(f"Refresh error: {one_line(first)}")
                self.notify(safe(text), title="Refresh error", severity="error",
                            markup=False)

    def refresh_failed(self, reason: str) -> None:
        self.status.finish(f"Refresh failed: {one_line(reason)}")
        self.articles.empty_text = "No articles yet. Press r to refresh."
        self.articles.refresh()
