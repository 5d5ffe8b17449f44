"""The Quotes tab: who said what in the open article; enter jumps to the quote."""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from extract.models import Quote
from extract.safe_text import one_line
from tui.widgets import marks


def quote_prompt(quote: Quote) -> Text:
    """Speaker (and role) on the first line, the words below."""
    palette = marks.current()
    out = Text(end="")
    out.append(
        one_line(quote.speaker) if quote.speaker else "?",
        palette.name if quote.speaker else palette.error,
    )
    if quote.role:
        out.append(f", {one_line(quote.role)}", palette.muted)
    mark = marks.speaker_mark(quote)
    if mark:
        out.append(f"  [{mark}]", palette.warn)
    words = one_line(quote.text)
    out.append("\n")
    out.append(
        f"“{words}”" if quote.kind == "direct" else words, Style(italic=quote.kind == "indirect")
    )
    return out


class QuotePanel(OptionList):
    """Direct quotes first, then reported speech under its own heading; ``y`` copies the
    highlighted quote's citation."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="panel_down"),
        Binding("k", "cursor_up", "Up", show=False, id="panel_up"),
        Binding("y", "copy_citation", "Copy citation", id="copy_citation"),
        Binding("w", "profile", "Speaker profile", show=False, id="quote_profile"),
    ]

    @dataclass
    class SpeakerProfile(Message):
        quote: Quote

    @dataclass
    class QuoteSelected(Message):
        quote: Quote

    @dataclass
    class CopyCitation(Message):
        quote: Quote

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.quotes: list[Quote] = []

    def show(self, quotes: list[Quote], why_none: str | None = None) -> None:
        """The quotes; ``why_none`` says why there are none (not analysed, no text)."""
        self.quotes = list(quotes)
        palette = marks.current()
        direct = [i for i, q in enumerate(quotes) if q.kind == "direct"]
        reported = [i for i, q in enumerate(quotes) if q.kind != "direct"]
        options: list[Option | None] = []
        for i in direct:
            options += [Option(quote_prompt(quotes[i]), id=str(i)), None]
        if reported:
            heading = Text("Reported speech", palette.warn + Style(bold=True))
            options += [Option(heading, disabled=True), None]
            for i in reported:
                options += [Option(quote_prompt(quotes[i]), id=str(i)), None]
        options = options[:-1]  # no separator after the last quote
        if not quotes:
            empty = why_none or "No quotes found in this article."
            options = [
                Option(Text(empty, palette.warn if why_none else palette.muted), disabled=True)
            ]
        self.set_options(options)
        # Start on the first real entry, so enter works as soon as the panel has focus.
        self.highlighted = next((i for i, o in enumerate(self.options) if not o.disabled), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.QuoteSelected(self.quotes[int(event.option.id)]))

    def action_copy_citation(self) -> None:
        quote = self._highlighted_quote()
        if quote is not None:
            self.post_message(self.CopyCitation(quote))

    def action_profile(self) -> None:
        quote = self._highlighted_quote()
        if quote is not None:
            self.post_message(self.SpeakerProfile(quote))

    def _highlighted_quote(self) -> Quote | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.quotes[int(option.id)] if option.id is not None else None
