"""The help screen: every key binding, with its id, the key in force and what it does.

Keys come from the app's active keymap (``[keys]`` in config.toml), so a user
who remapped ``quote_lookup`` to ``ctrl+l`` sees ``^l`` here, and the id to
put in the config to change it again.
"""

from __future__ import annotations

from typing import cast

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.app_api import AppApi
from tui.keymap import key_rows
from tui.widgets import marks


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help_close")]

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable  # here: the app imports this module at start

        with Vertical(id="help"):
            yield Static(
                Text("Keys · remap any of them by id in [keys] of config.toml", Style(bold=True)),
                id="help-title",
            )
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        from textual.widgets import DataTable

        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Id", "Where")
        app = cast(AppApi, self.app)
        palette = marks.current()
        for row in key_rows(app.binding_contexts(), app.keymap, app.get_key_display):
            table.add_row(
                Text(row.keys, palette.warn + Style(bold=True)),
                Text(row.description),
                Text(row.id, palette.name),
                Text(row.where, palette.muted),
            )
        table.focus()
