"""What screens and palette providers use of the app, as a ``Protocol``.

``tui.app`` imports the screens and providers; they importing the app back would be
a cycle. They see the running app through this interface instead::

    app = cast(AppApi, self.app)  # self.app is typed as Textual's plain App

``BriefingApp`` is the one implementation; mypy checks that it conforms (``_conforms`` at
the end of ``tui/app.py``).

The store is ``StoreApi``: a SQLite file or a team's PostgreSQL store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.binding import Binding

    from extract.store import StoreApi
    from extract.store.records import StoredQuote
    from extract.store.sqlx import SqlStore
    from tui.screens.main import MainScreen


def sql_store(store: StoreApi) -> SqlStore:
    """The store as the watchlists' SQL (``extract.store.watches``) takes it: both backends
    lend their connection (``reading_sql``/``writing_sql``), as the analyst on PostgreSQL."""
    return cast("SqlStore", store)


class AppApi(Protocol):
    store: StoreApi
    keymap: dict[str, str]
    main_screen: MainScreen

    def binding_contexts(self) -> list[tuple[str, type]]: ...

    def get_key_display(self, binding: Binding) -> str: ...

    def action_help(self) -> None: ...

    def action_quote_lookup(self) -> None: ...

    def action_refresh(self) -> None: ...

    async def open_quote(self, found: StoredQuote) -> None: ...
