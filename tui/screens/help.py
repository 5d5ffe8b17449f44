"""The help screen: every key binding, with its id, the key in force and what it does.

Keys come from the app's active keymap (``[keys]`` in config.toml), so a user
who remapped ``quote_lookup`` to ``ctrl+l`` sees ``^l`` here, and the id to
put in the config to change it again.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


@dataclass(frozen=True, slots=True)
class KeyRow:
    where: str
    id: str
    keys: str  # the keys in force, as the footer would show them
    description: str


def binding_contexts() -> list[tuple[str, type]]:
    """Every class that declares bindings, with where its keys work."""
    from tui.app import BriefingApp
    from tui.screens.main import MainScreen
    from tui.screens.quote_lookup import QuoteLookup
    from tui.widgets.article_list import ArticleList
    from tui.widgets.entity_panel import EntityPanel
    from tui.widgets.reader import Reader

    return [("everywhere", BriefingApp), ("main screen", MainScreen),
            ("article list", ArticleList), ("reader", Reader),
            ("entities panel", EntityPanel), ("quote lookup", QuoteLookup),
            ("help", HelpScreen)]


def key_rows(app) -> list[KeyRow]:  # noqa: ANN001 - BriefingApp, imported lazily
    keymap: dict[str, str] = getattr(app, "keymap", {})
    rows = []
    for where, cls in binding_contexts():
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or binding.id is None:
                continue
            keys = keymap.get(binding.id, binding.key)
            shown = ", ".join(app.get_key_display(Binding(k.strip(), binding.action))
                              for k in keys.split(","))
            rows.append(KeyRow(where, binding.id, shown, binding.description))
    return rows


def keymap_problems(keymap: dict[str, str]) -> list[str]:
    """Ids in ``[keys]`` that no binding has, and keys two bindings of one place share."""
    contexts = binding_contexts()
    known = {b.id for _, cls in contexts for b in cls.BINDINGS if isinstance(b, Binding)}
    problems = [f"[keys] {name}: no key binding has this id (see ? for the ids)"
                for name in keymap if name not in known]
    for where, cls in contexts:
        owner: dict[str, str] = {}
        for binding in cls.BINDINGS:
            if not isinstance(binding, Binding) or binding.id is None:
                continue
            for key in keymap.get(binding.id, binding.key).split(","):
                key = key.strip()
                if key in owner and owner[key] != binding.id:
                    problems.append(f"[keys] {binding.id} and {owner[key]} both use "
                                    f"{key!r} in the {where}")
                owner.setdefault(key, binding.id)
    return problems


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help_close")]

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable  # here: the app imports this module at start

        with Vertical(id="help"):
            yield Static(Text("Keys · remap any of them by id in [keys] of config.toml",
                              Style(bold=True)), id="help-title")
            yield DataTable(id="help-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        from textual.widgets import DataTable

        table = self.query_one(DataTable)
        table.add_columns("Key", "Does", "Id", "Where")
        for row in key_rows(self.app):
            table.add_row(Text(row.keys, Style(bold=True, color="#e0af68")),
                          Text(row.description), Text(row.id, Style(color="#7aa2f7")),
                          Text(row.where, Style(dim=True)))
        table.focus()
