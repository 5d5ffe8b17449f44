"""The Briefing reader app: opens a store, paints at once, refreshes in a child process.

Nothing here imports spaCy (``extract.nlp``): the analysis runs in the
``briefing fetch`` process that ``r`` starts, so the app opens instantly.
"""

from __future__ import annotations

import asyncio
import gc
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from extract.config import Config
from extract.errors import BriefingError, describe
from extract.safe_text import one_line
from extract.store import Store, StoreApi, StoreDamaged, StoreError, can_write, open_store
from extract.store.connection import is_damage
from tui import live
from tui.clipboard import clipboard_text, copy_with_tool, system_tool
from tui.frame_timer import install as install_timer_fix
from tui.gc_policy import CHECK_SECONDS, IdleCollector
from tui.refresh import fetch_command, run_fetch
from tui.screens.main import MainScreen
from tui.strip_cycle import install as install_strip_fix
from tui.widgets import marks
from tui.writes import WRITE_TIMEOUT, StoreWriter

if TYPE_CHECKING:
    from textual.command import Provider

    from extract.store.records import StoredQuote
    from tui.app_api import AppApi
    from tui.cli_store import PgTarget


install_strip_fix()  # Textual's Strip.divide made every drawn line a reference cycle
install_timer_fix()  # Textual's timers skipped one period too many after a late frame

PANES_QUIET_SECONDS = 0.25  # start-up shows the reader and side panels after a pause this long


def briefing_commands() -> type[Provider]:
    from tui.commands import BriefingCommands  # loaded when the palette first opens

    return BriefingCommands


def quote_commands() -> type[Provider]:
    from tui.commands import QuoteCommands

    return QuoteCommands


def people_commands() -> type[Provider]:
    from tui.commands import PeopleCommands

    return PeopleCommands


SERVER_WAIT = 5.0  # seconds the app waits for a PostgreSQL connection before saying so

# The themes the palette offers: each checked for 4.5:1 contrast of everything the app
# draws (tests/unit/test_contrast.py); the others are not offered.
THEMES = ("textual-dark", "textual-light", "nord", "gruvbox", "dracula", "catppuccin-latte")


class BriefingApp(App[None]):
    TITLE = "Briefing"
    CSS_PATH = "briefing.tcss"
    # Callables returning a provider class are loaded by the palette when it opens.
    COMMANDS = App.COMMANDS | {briefing_commands, quote_commands, people_commands}
    BINDINGS = [
        Binding("Q", "quit", "Quit", id="quit"),  # q goes back a level (MainScreen)
        Binding("question_mark", "help", "Keys", id="help"),
        Binding("l", "quote_lookup", "Quote lookup", id="quote_lookup"),
        Binding("r", "refresh", "Refresh", id="refresh"),
        Binding(
            "ctrl+p", "command_palette", "Palette", id="command_palette", priority=True, show=False
        ),
    ]

    def __init__(
        self,
        store: StoreApi,
        config: Config,
        *,
        store_path: Path | None = None,
        demo: bool = False,
        refresh_on_start: bool = False,
        fetch_argv: Sequence[str] | None = None,
        write_timeout: float = WRITE_TIMEOUT,
        poll_every: float | None = live.POLL_SECONDS,
    ) -> None:
        super().__init__()
        self.store, self.config, self.demo = store, config, demo
        # The SQLite file, or None: a team's PostgreSQL store (``store.where`` names it).
        self.store_path = store_path or (store.path if isinstance(store, Store) else None)
        # read/star writes: on a thread of their own, waiting at most write_timeout for a lock
        # (a PostgreSQL store's pool serves that thread as well)
        shared = None if self.store_path is not None else store
        self.writer = StoreWriter(self.store_path, write_timeout, shared=shared)
        self.refresh_on_start = refresh_on_start
        self.poll_every = poll_every  # seconds between looks for articles stored elsewhere
        self.live = live.NewArticles(self)
        # The command ``r`` runs; tests may point it at a stand-in script.
        self.fetch_argv = (
            list(fetch_argv) if fetch_argv else fetch_command(config, self.store_path, demo)
        )
        self.keymap: dict[str, str] = dict(config.keys)
        self.last_copied: str | None = None
        self.clipboard_tool: tuple[str, ...] | None = None  # found at start (tests set it)
        for name in list(self.available_themes):  # only themes every colour reads well in
            if name not in THEMES:
                self.unregister_theme(name)
        self.store_damage: Exception | None = None  # a damaged store met while running
        self.collector = IdleCollector()  # the garbage collector's full passes (gc_policy)
        self.main_screen = MainScreen(
            store, self.writer, watches=tuple(w.name for w in config.watches)
        )
        if self.store_path is None:
            # whose read and starred state this is: the store was opened for [user] name
            self.sub_title = f"{store.where} · {getattr(store, 'user', config.user)}"

    def get_default_screen(self) -> Screen:
        return self.main_screen

    def on_load(self) -> None:
        # No garbage collection until the first frame is up (``on_ready`` freezes what
        # start-up built and turns it back on): start-up makes tens of thousands of
        # long-lived objects, and a full pass over them cost ~10 ms of the first frame.
        self._gc_was_enabled = gc.isenabled()
        gc.disable()

    def on_mount(self) -> None:
        self._use_theme_palette()
        self.theme_changed_signal.subscribe(self, lambda _theme: self._theme_changed())
        self.set_keymap(self.keymap)
        if self.refresh_on_start:
            self.action_refresh()
        self.live.start()

    @classmethod
    def binding_contexts(cls) -> list[tuple[str, type]]:
        """Every class that declares bindings, with where its keys work."""
        from tui.screens.help import HelpScreen
        from tui.screens.profile import ProfileScreen
        from tui.screens.quote_lookup import QuoteLookup
        from tui.widgets.article_list import ArticleList
        from tui.widgets.entity_panel import EntityPanel
        from tui.widgets.quote_panel import QuotePanel
        from tui.widgets.reader import Reader

        return [
            ("everywhere", cls),
            ("main screen", MainScreen),
            ("article list", ArticleList),
            ("reader", Reader),
            ("quotes panel", QuotePanel),
            ("entities panel", EntityPanel),
            ("quote lookup", QuoteLookup),
            ("speaker profile", ProfileScreen),
            ("help", HelpScreen),
        ]

    def report_keymap_problems(self) -> None:
        # After the first frame: checking imports every screen and widget with bindings.
        from tui.keymap import keymap_problems

        for problem in keymap_problems(self.keymap, self.binding_contexts()):
            self.notify(problem, title="Key bindings", severity="warning", timeout=10, markup=False)

    def on_ready(self) -> None:
        if self.store_path is None:  # which team store, and whose read state, at a glance
            self.main_screen.status.say(f"Team store {self.sub_title}")
        # The first frame (the list) is up: now the reader and the side panels.
        self.run_worker(
            self._finish_start_up(), name="start-up", group="start-up", exit_on_error=False
        )

    async def _finish_start_up(self) -> None:
        self.report_keymap_problems()
        # What start-up built and imported (widgets, styles, CSS rules, modules, caches)
        # lives as long as the app: freeze it, so the collector's full passes (which
        # otherwise run every few dozen keys while scrolling, 40-130 ms each) only walk
        # what was made since, and run those passes between keys (``tui/gc_policy.py``).
        # Undone when the app ends (tests run many apps in one process).
        self.collector.start()
        self.set_interval(CHECK_SECONDS, self.collector.tick, name="idle collection")
        self._restore_gc()
        if self.clipboard_tool is None:
            self.clipboard_tool = system_tool()  # a few stat calls
        # Mounting the panes is several frames' worth of CPU in chunks (compose, mount,
        # styling): begun as the first frame showed, it shared the frame of a key pressed
        # right then (72 ms once). So it begins once no key has come for a while, counting
        # from the first frame; enter, find and tab mount them at once when they need them.
        await self.collector.input_pause(PANES_QUIET_SECONDS, since=time.monotonic())
        await self.main_screen.mount_panes_hidden()
        self.collector.start()  # the panes live as long as the app too: freeze them
        # Shown once the keys pause: their first layout and paint (one frame of 15-50 ms)
        # would otherwise land in the frame of a key pressed right after start-up. A
        # quarter second: longer than key repeat's gaps, and than the gap a frame starved
        # of CPU on a busy machine leaves between two keys (0.1 s was seen to be too short).
        await self.collector.input_pause(PANES_QUIET_SECONDS)
        self.main_screen.show_panes()

    # Async where Textual's are not: its action dispatch awaits what an action returns.
    async def action_focus_next(self) -> None:  # type: ignore[override]
        """Tab: the start-up panes (hidden until the keys pause) are shown first, so a tab
        pressed right after start-up still reaches them."""
        await self._panes_for_focus()
        self.screen.focus_next()

    async def action_focus_previous(self) -> None:  # type: ignore[override]
        await self._panes_for_focus()
        self.screen.focus_previous()

    async def _panes_for_focus(self) -> None:
        if self.screen is self.main_screen:
            await self.main_screen.mount_panes()  # mounts and shows once; then nothing

    def _restore_gc(self) -> None:
        if getattr(self, "_gc_was_enabled", False):
            self._gc_was_enabled = False
            gc.enable()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.InputEvent, events.Resize)):
            # the user is busy: no full collection now
            self.collector.touch(user=isinstance(event, events.InputEvent))
        await super().on_event(event)

    def on_unmount(self) -> None:
        self._restore_gc()
        self.collector.stop()
        self.writer.close()

    def _handle_exception(self, error: Exception) -> None:
        """A damaged store found while reading (a zeroed page) is said in the app, with
        what to do; from then on nothing is written to it, and the app ends with the
        store's exit code (``run_app`` raises the error again for the terminal)."""
        if is_damage(error):
            self.store_damaged(error)
            return
        if isinstance(error, StoreError) and self.store_path is None:
            self.live.lost(error)  # the team's server went away: said, and the app goes on
            return
        super()._handle_exception(error)

    def store_damaged(self, error: Exception) -> None:
        """Say once that the store is damaged, and refuse every write from now on."""
        if self.store_damage is not None:
            return
        self.store_damage = error
        damaged = StoreDamaged(self.store_path or Path(self.store.where), str(error))
        self.writer.refuse(damaged)
        from tui.damaged import DamagedScreen

        self.push_screen(DamagedScreen(damaged))

    def _use_theme_palette(self) -> None:
        marks.use(marks.palette_for(self.get_css_variables()))

    def _theme_changed(self) -> None:
        # The panes' Text was built with the old palette: rebuild what is shown.
        self._use_theme_palette()
        self.main_screen.repaint_marks()

    def copy_to_clipboard(self, text: str) -> None:
        text = clipboard_text(text)
        super().copy_to_clipboard(text)  # OSC 52: the terminal's clipboard, if it has one
        self.last_copied = text  # also what tests read: the terminal clipboard is write-only
        if self.clipboard_tool is not None:
            self.run_worker(
                self._copy_with_tool(text, self.clipboard_tool),
                name="copy",
                group="copy",
                exit_on_error=False,
            )

    async def _copy_with_tool(self, text: str, tool: tuple[str, ...]) -> None:
        problem = await asyncio.to_thread(copy_with_tool, text, tool)
        if problem:
            self.notify(
                one_line(problem),
                title="System clipboard",
                severity="warning",
                timeout=6,
                markup=False,
            )

    def copy_text(self, text: str, what: str) -> None:
        """Copy, and say what was copied, whole, so it can also be selected by hand."""
        self.copy_to_clipboard(text)
        self.notify(one_line(clipboard_text(text)), title=f"{what} copied", timeout=8, markup=False)

    # -- actions -----------------------------------------------------------

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_quote_lookup(self) -> None:
        from tui.screens.quote_lookup import QuoteLookup

        if not isinstance(self.screen, QuoteLookup):
            self.push_screen(QuoteLookup(self.store), self._quote_chosen)

    async def _quote_chosen(self, found: StoredQuote | None) -> None:
        if found is not None:
            await self.open_quote(found)

    async def open_quote(self, found: StoredQuote) -> None:
        """Open the article holding a stored quote, scrolled to it and highlighted."""
        await self.main_screen.open_article(found.article_id, found.quote)

    def action_refresh(self) -> None:
        running = [w for w in self.workers if w.group == "refresh" and w.is_running]
        if running:
            self.notify("A refresh is already running.", timeout=3)
            return
        # With no feeds configured, the fetch polls the bundled demo feed.
        demo = self.demo or not self.config.feeds
        from tui import messages

        self.main_screen.post_message(messages.RefreshStarted(demo))
        self.run_worker(self._refresh(), name="refresh", group="refresh", exit_on_error=False)

    async def _refresh(self) -> None:
        from tui.watch_view import tell_new_hits, unseen

        before = unseen(self)
        try:
            await run_fetch(self.fetch_argv, self.main_screen.post_message)
        finally:
            await self.live.check(say=False)  # what it stored is not news from elsewhere
        tell_new_hits(self, before)

    # -- the one place worker failures are reported --------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, Exception) and is_damage(error):
            self.store_damaged(error)  # the start-up's panes read the store in a worker
            return
        if isinstance(error, StoreError) and self.store_path is None:
            self.live.lost(error)
            return
        if isinstance(error, BriefingError):  # worded as the command line words it
            reason, text = one_line(error.message), describe(error)
        else:  # a bug: its type says most
            reason = text = one_line(str(error)) or type(error).__name__
        if event.worker.group == "refresh":
            self.main_screen.refresh_failed(reason)
        self.notify(
            text, title=f"{event.worker.name} failed", severity="error", timeout=10, markup=False
        )


if TYPE_CHECKING:

    def _conforms(app: BriefingApp) -> AppApi:
        return app  # mypy: the app provides what screens and providers use of it


def open_for_app(store_path: Path) -> Store:
    """The store, opened and read as the first frame reads it: damage there (a zeroed
    page of the article list) is ``StoreDamaged`` before the reader is built on it."""
    # A store the user may not write (a read-only folder) is still read.
    store = open_store(store_path, readonly=not can_write(store_path))
    try:
        store.article_count()
        store.article_rows(0, 1)
    except sqlite3.DatabaseError as exc:
        store.close()
        if is_damage(exc):
            raise StoreDamaged(store_path, str(exc)) from None
        raise
    return store


def run_app(config: Config, store_path: Path, demo: bool, pg: PgTarget | None = None) -> None:
    """Open the store and run the reader until the user quits. A store that fails its
    check, or a PostgreSQL store that cannot be reached, still starts the app, which
    says so (``tui.damaged``) and writes nothing."""
    try:
        store: StoreApi = open_for_app(store_path) if pg is None else open_shared(pg, config)
    except (StoreDamaged, StoreError) as problem:
        if not isinstance(problem, StoreDamaged) and pg is None:
            raise  # a file that cannot be opened (locked, no folder): the command line says
        from tui.damaged import DamagedStoreApp

        DamagedStoreApp(problem).run()
        raise
    try:
        # A team's store is never filled with the demo: it is the team's feeds'.
        empty = pg is None and store.article_count() == 0
        app = BriefingApp(
            store,
            config,
            store_path=store_path if pg is None else None,
            demo=demo,
            refresh_on_start=empty and (demo or not config.feeds),
        )
        app.run()
    finally:
        store.close()
    if app.store_damage is not None:
        raise StoreDamaged(store_path, str(app.store_damage))


def open_shared(pg: PgTarget, config: Config) -> StoreApi:
    """The team's PostgreSQL store, read as the first frame reads it; the analyst's own
    read and starred state is ``[user] name``'s. ``StoreError`` says what is wrong."""
    from extract.store import open_pg

    # The app reads on the UI thread: a server gone is said after seconds, not half a minute.
    store = open_pg(pg.url, config.user, pg.key, wait=SERVER_WAIT)
    try:
        store.article_count()
        store.article_rows(0, 1)
    except BaseException:
        store.close()
        raise
    return store
