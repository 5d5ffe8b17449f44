"""A speaker's profile: one person across the whole briefing, under every name they had.

Opened with one key from a quote (the Quotes panel or the quote lookup) or an entity. Shows
the person's name, aliases with why each was linked, roles over time, the outlets that
quote them and the entities most mentioned with them; below, every quote newest first
(inferred speakers marked), and a filter box: "what they said about X". ``enter`` on a quote
opens its article there; ``escape`` closes. Untrusted text is never markup.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from extract.safe_text import one_line
from extract.store import StoreApi
from extract.store.records import PersonProfile, StoredQuote
from tui.screens.quote_lookup import result_prompt
from tui.widgets import marks

LIMIT = 500  # quotes listed; the CLI (`briefing quotes --speaker`) has every one
ALIASES_SHOWN = 12  # in the header; `briefing people show` lists them all with why


def profile_header(profile: PersonProfile) -> Text:
    """Name, counts, aliases, roles over time, outlets and who they are mentioned with."""
    p, palette = profile.person, marks.current()
    muted = palette.muted
    out = Text(end="")
    out.append(one_line(p.name), palette.name + Style(bold=True))
    kind = "organisation" if p.kind == "org" else "person"
    out.append(
        f"  {kind} · {p.quotes} quotes · {p.mentions} mentions · {p.articles} articles"
        f" · {(p.first_seen or '?')[:10]} to {(p.last_seen or '?')[:10]}",
        muted,
    )
    names = [one_line(a.alias) for a in profile.aliases[:ALIASES_SHOWN]]
    if p.alias_count > len(names):
        names.append(f"+{p.alias_count - len(names)} more")
    out.append("\nalso written: ", muted)
    out.append("; ".join(names) or "—")
    if profile.roles:
        out.append("\nroles: ", muted)
        out.append(
            "; ".join(
                f"{one_line(r.role)} ({one_line(r.source)}, {(r.published or '?')[:10]})"
                for r in profile.roles[:6]
            )
        )
    if profile.outlets:
        out.append("\nquoted by: ", muted)
        out.append(", ".join(f"{one_line(s)} ({n})" for s, n in profile.outlets[:8]))
    if profile.with_entities:
        out.append("\nmentioned with: ", muted)
        out.append(
            ", ".join(f"{one_line(e.canonical)} ({e.count})" for e in profile.with_entities[:10])
        )
    return out


class ProfileQuotes(OptionList):
    """The person's quotes; ``up`` on the first one goes back to the filter box."""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.query_one("#profile-filter", Input).focus()
        else:
            super().action_cursor_up()


class ProfileScreen(ModalScreen[StoredQuote | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="profile_close"),
        Binding("down", "to_quotes", "To the quotes", show=False, id="profile_quotes"),
    ]

    def __init__(self, store: StoreApi, person_id: int) -> None:
        super().__init__()
        self.store, self.person_id = store, person_id
        self.results: list[StoredQuote] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="profile"):
            yield Static("", id="profile-header", markup=False)
            yield Input(
                placeholder="What they said about… (words of their quotes)",
                id="profile-filter",
                select_on_focus=False,
            )
            yield Static("", id="profile-summary", markup=False)
            yield ProfileQuotes(id="profile-quotes")
            yield Static(
                Text(
                    "type to filter · ↓/enter quotes · enter open · esc close",
                    marks.current().muted,
                ),
                id="profile-hints",
                markup=False,
            )

    def on_mount(self) -> None:
        profile = self.store.person_profile(self.person_id)
        if profile is None:  # merged away by a `briefing people merge` meanwhile
            self.notify("That person is no longer in the store.", severity="warning")
            self.dismiss(None)
            return
        self.query_one("#profile-header", Static).update(profile_header(profile))
        self.filter("")
        self.query_one(Input).focus()

    def filter(self, about: str) -> None:
        about = about.strip()
        self.results = self.store.quotes_by(
            person_id=self.person_id, about=about or None, limit=LIMIT
        )
        quotes = self.query_one("#profile-quotes", OptionList)
        quotes.set_options(
            [Option(result_prompt(r), id=str(i)) for i, r in enumerate(self.results)]
        )
        if self.results:
            quotes.highlighted = 0
        said = f"about “{one_line(about)}”" if about else "newest first"
        self.query_one("#profile-summary", Static).update(
            Text(f"Quotes {said} ({len(self.results)})", marks.current().muted)
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_quotes()

    def action_to_quotes(self) -> None:
        if self.results:
            self.query_one("#profile-quotes", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(self.results[int(event.option.id)])

    def action_close(self) -> None:
        self.dismiss(None)
