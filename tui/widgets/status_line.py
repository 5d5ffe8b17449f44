"""The status line: refresh progress per stage, and which feeds failed.

Its state is reactive: each setter changes a value, and Textual redraws the line once
for all the changes made in one go (a burst of progress events is one repaint).
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from extract.safe_text import one_line
from tui.widgets import marks

STAGES = ("feeds", "pages", "analysis")


class StatusLine(Widget):
    DEFAULT_CSS = "StatusLine { height: 1; padding: 0 1; background: $panel; }"

    running: reactive[bool] = reactive(False)
    lead: reactive[str] = reactive("")  # e.g. "Loading the demo briefing…"
    new: reactive[int] = reactive(0)
    note: reactive[str] = reactive("")
    # stage -> (done, total), and feed -> why it failed; replaced, never changed in place
    progress: reactive[dict[str, tuple[int, int]]] = reactive(dict, always_update=True)
    failures: reactive[dict[str, str]] = reactive(dict, always_update=True)

    def start(self, lead: str) -> None:
        self.running, self.lead, self.new, self.note = True, lead, 0, ""
        self.progress, self.failures = {}, {}

    def stage(self, stage: str, done: int, total: int) -> None:
        self.progress = {**self.progress, stage: (done, total)}

    def feed(self, feed: str, status: str, reason: str | None) -> None:
        failures = {k: v for k, v in self.failures.items() if k != feed}
        if status == "failed":
            failures[feed] = reason or "failed"
        self.failures = failures

    def added(self) -> None:
        self.new += 1

    def finish(self, note: str) -> None:
        self.running, self.note = False, note

    def say(self, note: str) -> None:
        self.note = note

    def render(self) -> Text:
        palette = marks.current()
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.running:
            out.append(f"{self.lead} ", palette.name)
            for stage in STAGES:
                if stage in self.progress:
                    done, total = self.progress[stage]
                    out.append(f"{stage} {done}/{total}  ")
            out.append(f"{self.new} new  ", palette.label("GPE"))
        elif self.note:
            out.append(f"{self.note}  ")
        for feed, reason in self.failures.items():
            out.append(f"✗ {one_line(feed)}: {one_line(reason)}  ", palette.error)
        return out
