"""What screens and palette providers use of the app, as a ``Protocol``.

``tui.app`` imports the screens and providers; they importing the app back would be
a cycle. They see the running app through this interface instead::

    app = cast(AppApi, self.app)  # self.app is typed as Textual's plain App

``BriefingApp`` is the one implementation; mypy checks that it conforms (``_conforms`` at
the end of ``tui/app.py``).

The store is ``StoreApi`` (a SQLite file or a team's PostgreSQL store). The people
registry's reads are asked of ``people_of(store)``: ``None`` where the backend has no
registry yet, and the app's people features then say so instead of failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from extract.store import StoreApi

if TYPE_CHECKING:
    from textual.binding import Binding

    from extract.store.records import PersonProfile, PersonRow, StoredQuote
    from tui.screens.main import MainScreen

NO_PEOPLE = (
    "The people registry is not on PostgreSQL yet: speaker profiles and lookup by person "
    "work on a SQLite store (`briefing store copy --to FILE`)."
)


@runtime_checkable
class PeopleStore(StoreApi, Protocol):
    """A store with the people registry's reads the app uses."""

    def people_named(self, name: str, limit: int = 5) -> list[tuple[int, str]]: ...
    def people_containing(self, text: str, limit: int = 8) -> list[int]: ...
    def person(self, person_id: int) -> PersonRow | None: ...
    def person_profile(self, person_id: int) -> PersonProfile | None: ...
    def person_of_quote(self, quote_id: int) -> int | None: ...
    def person_named_in(self, article_id: int, speaker: str) -> int | None: ...


def people_of(store: StoreApi) -> PeopleStore | None:
    """The store, if it keeps the people registry (SQLite does; PostgreSQL not yet)."""
    return store if isinstance(store, PeopleStore) else None


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
