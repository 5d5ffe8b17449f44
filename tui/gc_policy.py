"""When the garbage collector's full passes run: between keys, not in a key's frame.

A full (generation 2) collection walks every object made since start-up (frozen then,
``gc.freeze``): rows, rendered lines, Rich styles and segments, ~25,000 while scrolling.
With Python's thresholds one came every ~17 keys (7-28 ms quiet) and found nothing to free
once Textual's strips no longer made cycles (``tui/strip_cycle.py``: with them, the
garbage grew by ~70 objects a key and a rare full pass took seconds). The app raises the
generation-2 threshold so that while keys keep coming no full pass runs (for up to
``FULL_AFTER`` generation-1 passes), and runs one itself once no key, click or resize
has come for ``IDLE_SECONDS``, for the cycles other actions leave (screens, workers).
The young generations are collected as usual (about a millisecond).
"""

from __future__ import annotations

import asyncio
import gc
import time

IDLE_SECONDS = 0.5  # no input for this long: the user is reading, collect now
CHECK_SECONDS = 0.25  # how often the app looks
FULL_AFTER = 1000  # generation-1 passes before a full pass runs anyway (Python's: 10)
WORTH_IT = 10  # generation-1 passes since the last full one before an idle pass runs


class IdleCollector:
    """Moves the collector's full passes to idle moments; ``start`` once the app's
    long-lived objects are built, ``stop`` when it ends (restores Python's settings)."""

    def __init__(self) -> None:
        self.last_input = time.monotonic()
        self.idle_passes = 0  # full passes run here (tests and benchmarks read it)
        self.inputs = 0  # keys and mouse events seen
        self._saved: tuple[int, int, int] | None = None

    def start(self) -> None:
        """Freeze what exists (it lives as long as the app) and raise the threshold;
        again to freeze what was built since (the panes, mounted after a pause)."""
        gc.freeze()
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, _ = self._saved
            gc.set_threshold(young, middle, FULL_AFTER)

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None
        gc.unfreeze()

    def touch(self, user: bool = True) -> None:
        """Input arrived: the user is busy, do not collect now. ``user``: a key or the
        mouse (a resize, e.g. the terminal's at start-up, is not)."""
        self.last_input = time.monotonic()
        self.inputs += user

    async def input_pause(self, quiet: float, since: float | None = None) -> None:
        """Return once no key or mouse input has come for ``quiet`` seconds (at once if
        none ever has and no ``since`` is given). ``since``: a ``time.monotonic()``
        moment to count as input too (start-up counts its first frame)."""
        while (wait := quiet - (time.monotonic() - self._busy_since(since))) > 0:
            await asyncio.sleep(wait)

    def _busy_since(self, since: float | None) -> float:
        last = self.last_input if self.inputs else float("-inf")
        return last if since is None else max(last, since)

    def tick(self) -> bool:
        """Run a full pass if the user has been idle and one is due; whether it ran."""
        if self._saved is None or time.monotonic() - self.last_input < IDLE_SECONDS:
            return False
        if gc.get_count()[2] < WORTH_IT:
            return False
        gc.collect()
        self.idle_passes += 1
        return True
