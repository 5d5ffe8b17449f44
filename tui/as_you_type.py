"""Search as you type, one query per key, except a lone first letter.

A lone one-letter word ("t") matches most of a large store and is almost always the
first key of a longer word, so it waits ``HOLD`` seconds: a second key cancels it and
searches at once, and if no key follows, it runs then. The last text typed is always
searched, so a result never stays behind what the box holds.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

from extract.store.search import waits_for_more

HOLD = 0.25  # seconds; shorter than a pause, longer than the gap between two keys of a word


class AsYouType:
    """Runs ``search(text)`` for what was typed, holding back a lone first letter."""

    def __init__(self, owner: MessagePump, search: Callable[[str], None]) -> None:
        self.owner, self.search = owner, search
        self.hold = HOLD
        self._timer: Timer | None = None
        self.held: str | None = None  # the text waiting for a second key

    def typed(self, text: str) -> None:
        self.cancel()
        if waits_for_more(text):
            self.held = text
            self._timer = self.owner.set_timer(self.hold, self._run_held, name="as-you-type")
        else:
            self.search(text)

    def flush(self) -> None:
        """Search the held letter now (enter was pressed: the user wants its results)."""
        if self.held is not None:
            self._run_held()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self.held = None, None

    def _run_held(self) -> None:
        text = self.held
        self.cancel()
        if text is not None:
            self.search(text)
