"""The status line: refresh progress per stage, and which feeds failed."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from extract.safe_text import one_line
from tui.widgets import marks

STAGES = ("feeds", "pages", "analysis")


class StatusLine(Static):
    DEFAULT_CSS = "StatusLine { height: 1; padding: 0 1; background: $panel; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)
        self.running = False
        self.lead = ""  # e.g. "Loading the demo briefing…"
        self.progress: dict[str, tuple[int, int]] = {}
        self.failures: dict[str, str] = {}
        self.new = 0
        self.note = ""

    def start(self, lead: str) -> None:
        self.running, self.lead, self.new, self.note = True, lead, 0, ""
        self.progress.clear()
        self.failures.clear()
        self._draw()

    def stage(self, stage: str, done: int, total: int) -> None:
        self.progress[stage] = (done, total)
        self._draw()

    def feed(self, feed: str, status: str, reason: str | None) -> None:
        if status == "failed":
            self.failures[feed] = reason or "failed"
        else:
            self.failures.pop(feed, None)
        self._draw()

    def added(self) -> None:
        self.new += 1
        self._draw()

    def finish(self, note: str) -> None:
        self.running, self.note = False, note
        self._draw()

    def say(self, note: str) -> None:
        self.note = note
        self._draw()

    def _draw(self) -> None:
        out = Text(no_wrap=True, overflow="ellipsis", end="")
        if self.running:
            out.append(f"{self.lead} ", Style(bold=True, color="#7dcfff"))
            for stage in STAGES:
                if stage in self.progress:
                    done, total = self.progress[stage]
                    out.append(f"{stage} {done}/{total}  ")
            out.append(f"{self.new} new  ", Style(color="#9ece6a"))
        elif self.note:
            out.append(f"{self.note}  ")
        for feed, reason in self.failures.items():
            out.append(f"✗ {one_line(feed)}: {one_line(reason)}  ", marks.ERROR)
        self.update(out)
