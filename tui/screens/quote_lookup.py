"""Quote lookup: who said what, across the whole briefing, as you type.

Each keystroke runs one FTS5 query (``Store.search_quotes``, ranked, max 50).
Enter opens the article at the quote; ``y`` copies a citation; ``a`` lists
everything the highlighted result's speaker said, newest first. While the
input has focus, printable keys are typed, so ``ctrl+y``/``ctrl+s`` do the same.
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

from extract.records import StoredQuote
from extract.store import Store
from tui.safe_text import one_line
from tui.widgets import marks

LIMIT = 50
QUOTE_CHARS = 240  # a result shows the start of a long quote; the reader has the rest


def result_prompt(found: StoredQuote) -> Text:
    quote = found.quote
    out = Text(end="")
    out.append(one_line(quote.speaker) if quote.speaker else "unattributed",
               Style(bold=True, color="#7dcfff" if quote.speaker else "#f7768e"))
    if quote.role:
        out.append(f", {one_line(quote.role)}", marks.DIM)
    mark = marks.speaker_mark(quote)
    if mark:
        out.append(f"  [{mark}]", marks.WARN)
    out.append(f"  {one_line(found.source)} · {(found.published or '')[:10]}",
               Style(color="#9ece6a"))
    words = one_line(quote.text)
    if len(words) > QUOTE_CHARS:
        words = words[:QUOTE_CHARS].rstrip() + "…"
    out.append("\n")
    out.append(f"“{words}”" if quote.kind == "direct" else f"(reported) {words}",
               Style(italic=quote.kind == "indirect"))
    return out


class QuoteLookup(ModalScreen[StoredQuote | None]):
    BINDINGS = [
        Binding("escape", "back", "Close", id="lookup_close"),
        Binding("y,ctrl+y", "copy_citation", "Copy citation", id="copy_citation"),
        Binding("a,ctrl+s", "speaker_quotes", "All by this speaker", id="speaker_quotes"),
        Binding("down", "move(1)", "Next result", show=False, id="lookup_next"),
        Binding("up", "move(-1)", "Previous result", show=False, id="lookup_previous"),
    ]

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.results: list[StoredQuote] = []
        self.speaker: str | None = None  # set while listing one speaker's quotes

    def compose(self) -> ComposeResult:
        with Vertical(id="lookup"):
            yield Static("Quote lookup: who said what", id="lookup-title", markup=False)
            yield Input(placeholder="Type a speaker, a role or words of a quote…",
                        id="lookup-input")
            yield Static("", id="lookup-summary", markup=False)
            yield OptionList(id="lookup-results")
            yield Static("enter open · y copy citation · a all by speaker · esc back",
                         id="lookup-hints", markup=False)

    def on_mount(self) -> None:
        self.show(self.store.quotes_by(limit=LIMIT), "Latest quotes")
        self.query_one(Input).focus()

    @property
    def result_list(self) -> OptionList:
        return self.query_one("#lookup-results", OptionList)

    def show(self, results: list[StoredQuote], summary: str) -> None:
        self.results = results
        self.result_list.set_options(
            [Option(result_prompt(r), id=str(i)) for i, r in enumerate(results)])
        if results:
            self.result_list.highlighted = 0
        self.query_one("#lookup-summary", Static).update(
            Text(f"{summary} ({len(results)})", Style(dim=True)))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.search(event.value)

    def search(self, typed: str) -> None:
        self.speaker = None
        text = typed.strip()
        if text:
            self.show(self.store.search_quotes(text, LIMIT), "Best matches")
        else:
            self.show(self.store.quotes_by(limit=LIMIT), "Latest quotes")

    @property
    def highlighted(self) -> StoredQuote | None:
        index = self.result_list.highlighted
        return self.results[index] if index is not None and index < len(self.results) else None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        if self.highlighted is not None:
            self.dismiss(self.highlighted)

    def action_move(self, step: int) -> None:
        if self.results:
            current = self.result_list.highlighted or 0
            self.result_list.highlighted = max(0, min(len(self.results) - 1, current + step))

    def action_copy_citation(self) -> None:
        found = self.highlighted
        if found is None:
            return
        self.app.copy_to_clipboard(found.citation())
        self.notify("Citation copied to the clipboard.", timeout=3)

    def action_speaker_quotes(self) -> None:
        found = self.highlighted
        if found is None or not found.quote.speaker:
            self.notify("This quote has no speaker to list.", severity="warning")
            return
        self.speaker = found.quote.speaker
        self.show(self.store.quotes_by(self.speaker, limit=1000),
                  f"Everything {one_line(self.speaker)} said, newest first")
        self.result_list.focus()

    def action_back(self) -> None:
        """Escape leaves a speaker's list first, then the lookup."""
        if self.speaker is not None:
            self.search(self.query_one(Input).value)
            self.query_one(Input).focus()
        else:
            self.dismiss(None)
