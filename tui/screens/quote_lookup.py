"""Quote lookup: who said what, across the whole briefing, as you type.

Each keystroke runs one FTS5 query (``Store.search_quotes``, ranked, max 50), and
asks the people registry whether the first words name someone: then that person's
quotes, under every name they were written as ("Zelensky" finds "Volodymyr
Zelenskiy"; a surname finds the full name), come first (``lookup_quotes``). A lone
first letter waits for the next key (``tui.as_you_type``).
``down``, ``enter`` or ``tab`` in the search box move to the results; there
enter opens the article at the quote, ``y`` copies a citation and ``a`` lists
everything the highlighted result's speaker said, newest first; ``up`` on the
first result goes back to the search. While the search box has focus,
printable keys are typed, so ``ctrl+y``/``ctrl+s`` copy and list from there.
The hint line says which keys work where the focus is.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from extract.safe_text import one_line
from extract.store import StoreApi
from extract.store.records import StoredQuote, outlet
from tui.as_you_type import AsYouType
from tui.widgets import marks

LIMIT = 50
NAME_WORDS = 4  # a name typed in the lookup is at most this many words
QUOTE_CHARS = 240  # a result shows the start of a long quote; the reader has the rest


def result_prompt(found: StoredQuote) -> Text:
    quote, palette = found.quote, marks.current()
    out = Text(end="")
    out.append(
        one_line(quote.speaker) if quote.speaker else "unattributed",
        palette.name if quote.speaker else palette.error,
    )
    if quote.role:
        out.append(f", {one_line(quote.role)}", palette.muted)
    mark = marks.speaker_mark(quote)
    if mark:
        out.append(f"  [{mark}]", palette.warn)
    where = outlet(found.source, found.url, found.feed)
    out.append(f"  {one_line(where)} · {(found.published or '')[:10]}", palette.label("GPE"))
    words = one_line(quote.text)
    if len(words) > QUOTE_CHARS:
        words = words[:QUOTE_CHARS].rstrip() + "…"
    out.append("\n")
    out.append(
        f"“{words}”" if quote.kind == "direct" else f"(reported) {words}",
        Style(italic=quote.kind == "indirect"),
    )
    return out


def lookup_quotes(store: StoreApi, typed: str, limit: int) -> tuple[list[StoredQuote], str]:
    """What typing ``typed`` finds, and a summary: when its first words name people of the
    registry (any alias, a spelling variant, a surname), their quotes under every name,
    newest first (about the words that follow, if any); then the best full-text matches."""
    people, about = named_people(store, typed)
    found = store.search_quotes(typed, limit)
    if not people:
        return found, "Best matches"
    theirs = people_quotes(store, people, about, limit)
    seen = {q.id for q in theirs}
    results = (theirs + [q for q in found if q.id not in seen])[:limit]
    names = " or ".join(one_line(name) for _, name in people)
    topic = f" about “{one_line(about)}”" if about else ""
    return results, f"Quotes by {names}{topic} under every name, then best matches"


def named_people(store: StoreApi, typed: str) -> tuple[list[tuple[int, str]], str]:
    """The people the first words of ``typed`` name (the longest run that names anyone),
    as (id, display name), and the words after them."""
    words = typed.split()
    for n in range(min(len(words), NAME_WORDS), 0, -1):
        people = store.people_named(" ".join(words[:n]))
        if people:
            return people, " ".join(words[n:])
    return [], ""


def people_quotes(
    store: StoreApi, people: list[tuple[int, str]], about: str, limit: int
) -> list[StoredQuote]:
    """Their quotes under every name, newest first; only those matching ``about``."""
    theirs: list[StoredQuote] = []
    for person_id, _ in people:
        theirs += store.quotes_by(person_id=person_id, about=about or None, limit=limit)
    # stable: one article's quotes keep their order
    theirs.sort(key=lambda q: (q.published or "", q.article_id), reverse=True)
    return theirs[:limit]


class LookupResults(OptionList):
    """The results; ``up`` on the first one goes back to the search box."""

    def action_cursor_up(self) -> None:
        if not self.highlighted:
            self.screen.query_one("#lookup-input", Input).focus()
        else:
            super().action_cursor_up()


def _keys(keymap: dict[str, str], binding_id: str, default: str) -> list[str]:
    return [k.strip() for k in keymap.get(binding_id, default).split(",") if k.strip()]


class QuoteLookup(ModalScreen[StoredQuote | None]):
    BINDINGS = [
        Binding("escape", "back", "Close", id="lookup_close"),
        Binding("y,ctrl+y", "copy_citation", "Copy citation", id="copy_citation"),
        Binding("a,ctrl+s", "speaker_quotes", "All by this speaker", id="speaker_quotes"),
        Binding("w,ctrl+o", "speaker_profile", "Speaker profile", id="speaker_profile"),
        # in the search box; the results list has its own down
        Binding("down", "to_results", "To the results", show=False, id="lookup_results"),
    ]

    def __init__(self, store: StoreApi) -> None:
        super().__init__()
        self.store = store
        self.results: list[StoredQuote] = []
        self.speaker: str | None = None  # set while listing one speaker's quotes
        self.as_you_type = AsYouType(self, self.search)

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup"):
            yield Static("Quote lookup: who said what", id="lookup-title", markup=False)
            # Coming back from the results (up, shift+tab) refines the search, not retypes it.
            yield Input(
                placeholder="Type a speaker, a role or words of a quote…",
                id="lookup-input",
                select_on_focus=False,
            )
            yield Static("", id="lookup-summary", markup=False)
            yield LookupResults(id="lookup-results")
            yield Static("", id="lookup-hints", markup=False)

    def on_mount(self) -> None:
        self.show(self.store.quotes_by(limit=LIMIT), "Latest quotes")
        self.query_one(Input).focus()
        self.show_hints()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.show_hints()

    def hints(self) -> str:
        """The keys that work where the focus is, as remapped in ``[keys]``."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        copy = _keys(keymap, "copy_citation", "y,ctrl+y")
        speaker = _keys(keymap, "speaker_quotes", "a,ctrl+s")
        profile = _keys(keymap, "speaker_profile", "w,ctrl+o")
        close = "/".join(_keys(keymap, "lookup_close", "escape")).replace("escape", "esc")
        if isinstance(self.focused, Input):
            # printable keys are typed here: only the modified ones act
            copy = [k for k in copy if len(k) > 1] or ["tab, then " + copy[0]]
            speaker = [k for k in speaker if len(k) > 1] or ["tab, then " + speaker[0]]
            profile = [k for k in profile if len(k) > 1] or ["tab, then " + profile[0]]
            return (
                f"↓/enter/tab results · {copy[0]} copy citation · "
                f"{speaker[0]} all by speaker · {profile[0]} profile · {close} close"
            )
        return (
            f"enter open · {copy[0]} copy citation · {speaker[0]} all by speaker · "
            f"{profile[0]} profile · ↑ on the first: search · {close} back"
        )

    def show_hints(self) -> None:
        self.query_one("#lookup-hints", Static).update(Text(self.hints(), marks.current().muted))

    @property
    def result_list(self) -> OptionList:
        return self.query_one("#lookup-results", OptionList)

    def show(self, results: list[StoredQuote], summary: str) -> None:
        self.results = results
        self.result_list.set_options(
            [Option(result_prompt(r), id=str(i)) for i, r in enumerate(results)]
        )
        if results:
            self.result_list.highlighted = 0
        self.query_one("#lookup-summary", Static).update(
            Text(f"{summary} ({len(results)})", marks.current().muted)
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.as_you_type.typed(event.value)

    def search(self, typed: str) -> None:
        self.as_you_type.cancel()  # what is typed now is searched now
        self.speaker = None
        text = typed.strip()
        if text:
            self.show(*lookup_quotes(self.store, text, LIMIT))
        else:
            self.show(self.store.quotes_by(limit=LIMIT), "Latest quotes")

    @property
    def highlighted(self) -> StoredQuote | None:
        index = self.result_list.highlighted
        return self.results[index] if index is not None and index < len(self.results) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_results()

    def action_to_results(self) -> None:
        """From the search box to the results, where plain keys act on them."""
        self.as_you_type.flush()
        if self.results:
            self.result_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.dismiss(self.highlighted)

    def action_copy_citation(self) -> None:
        found = self.highlighted
        if found is None:
            return
        self.app.copy_text(found.citation(), "Citation")  # type: ignore[attr-defined]

    def action_speaker_quotes(self) -> None:
        found = self.highlighted
        if found is None or not found.quote.speaker:
            self.notify("This quote has no speaker to list.", severity="warning")
            return
        self.speaker = found.quote.speaker
        person_id = self.store.person_of_quote(found.id)
        person = self.store.person(person_id) if person_id is not None else None
        if person is not None:  # the person, under every name they were written as
            self.speaker = person.name
            names = f" (as {person.alias_count} names)" if person.alias_count > 1 else ""
            self.show(
                self.store.quotes_by(person_id=person.id, limit=1000),
                f"Everything {one_line(person.name)} said{names}, newest first",
            )
        else:
            # No person: a description ("the mayor") names someone else in each article,
            # so only this article's quotes by it are theirs.
            same = [
                q
                for q in self.store.quotes_by(self.speaker, limit=1000)
                if q.article_id == found.article_id
            ]
            self.show(
                same,
                f"{one_line(self.speaker)} is no person of the briefing (a description): "
                "their quotes in this article",
            )
        self.result_list.focus()

    def action_speaker_profile(self) -> None:
        found = self.highlighted
        if found is None:
            return
        from tui.screens.profile import ProfileScreen

        person_id = self.store.person_of_quote(found.id)
        if person_id is None:
            self.notify(
                f"No person in the briefing for “{found.quote.speaker or 'nobody'}”.",
                severity="warning",
                markup=False,
            )
            return

        def chosen(quote: StoredQuote | None) -> None:
            if quote is not None:
                self.dismiss(quote)

        self.app.push_screen(ProfileScreen(self.store, person_id), chosen)

    def action_back(self) -> None:
        """Escape leaves a speaker's list first, then the lookup."""
        if self.speaker is not None:
            self.search(self.query_one(Input).value)
            self.query_one(Input).focus()
        else:
            self.dismiss(None)
