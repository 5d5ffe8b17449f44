"""A damaged store in the app: said with what to do, and nothing written to it.

Two ways to meet one. ``open_store`` refuses a store that fails its check (random bytes,
a dropped table, an impossible schema version): ``run_app`` then runs
``DamagedStoreApp``, which holds no connection to the store. Or the damage shows only
when a page is read (a zeroed page): ``BriefingApp`` pushes ``DamagedScreen`` over the
reader and refuses every write from then on. Both use the command line's words
(``describe``), ``q`` quits, and the command line prints the error again once the app
has ended (exit status 2), so it stays on the terminal.

A team's PostgreSQL store that cannot be reached (the server down, a wrong password, a
database of another schema version, a URL with a typo) is met the same way: the app
starts on ``DamagedStoreApp`` with the ``StoreError`` (naming the key and what to do),
and the command line ends with the store error's exit status (4).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from extract.errors import BriefingError, describe

NOTHING_WRITTEN = "Nothing was written to the store. Press q to quit."


class DamagedScreen(Screen[None]):
    """The store's error and what to do; ``q`` ends the app with the store's exit code.

    A whole screen, not a modal one: the reader under it may be half-built (the damage
    interrupted it) and must not be drawn again."""

    BINDINGS = [Binding("q", "quit_damaged", "Quit", id="damaged.quit")]
    DEFAULT_CSS = """
    DamagedScreen { align: center middle; }
    DamagedScreen > Vertical {
        width: 90%; height: auto; border: thick $error; background: $surface; padding: 1 2;
    }
    DamagedScreen #damage { color: $error; }
    """

    def __init__(self, error: BriefingError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            # markup off: the path and SQLite's detail are not ours to trust
            yield Static(describe(self.error), id="damage", markup=False)
            yield Static(NOTHING_WRITTEN, id="keys", markup=False)

    def action_quit_damaged(self) -> None:
        self.app.exit(return_code=self.error.exit_code)


class DamagedStoreApp(App[None]):
    """Runs only ``DamagedScreen``: the store could not even be opened."""

    def __init__(self, error: BriefingError) -> None:
        super().__init__()
        self.error = error

    def get_default_screen(self) -> Screen:
        return _Blank()

    def on_mount(self) -> None:
        self.push_screen(DamagedScreen(self.error))


class _Blank(Screen[None]):
    """Under the message: the reader never started."""
