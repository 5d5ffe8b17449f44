"""A fix for Textual's timers skipping one period too many (seen in Textual 8.2.8).

A screen draws its frames on a 60 Hz timer (``Screen._update_timer``, paused between
changes). When a tick comes late, or when the frame it drew took longer than a period,
``Timer._run`` skips the grid points that passed, as it should, but then one more:
``count = int((now - start) / interval + 1)`` makes the next tick due two grid points
after the last one passed, not one. So a key pressed right after a frame that took
17-33 ms (a page down at 100,000 articles) had its frame drawn a whole period (16.7 ms)
late, and these were most of the frames of 50 ms or more while scrolling (the
benchmark, ``tests/bench/bench_app.py``, prints "1 grid points skipped" for them). The
same ``_run``, with the skip landing on the next grid point.
"""

from __future__ import annotations

from textual import _time
from textual.timer import EventTargetGone, Timer
from textual.timer import sleep as _sleep

_textual_run = Timer._run


def next_due(start: float, interval: float, count: int, now: float) -> tuple[int, float]:
    """The tick count and time of the next tick on the grid ``start + n * interval``: the
    one after ``count`` if it is still ahead, else the first grid point after ``now``."""
    due = start + (count + 1) * interval
    if due < now:
        count = int((now - start) / interval)  # grid points passed: the next one is due
        due = start + (count + 1) * interval
    return count, due


async def _run(self: Timer) -> None:
    """``Timer._run`` of Textual 8.2.8 with ``next_due`` in place of its skip."""
    count = 0
    _repeat = self._repeat
    _interval = self._interval
    self._active  # noqa: B018 - made here, in the timer's own thread (as Textual does)
    await self._active.wait()
    start = _time.get_time()

    while _repeat is None or count <= _repeat:
        if self._skip:
            count, next_timer = next_due(start, _interval, count, _time.get_time())
            if _repeat is not None and count > _repeat:
                break
        else:
            next_timer = start + ((count + 1) * _interval)
        wait_time = max(0, next_timer - _time.get_time())
        await _sleep(wait_time)
        count += 1
        await self._active.wait()
        if self._reset:
            start = _time.get_time()
            count = 0
            self._reset = False
            continue
        try:
            await self._tick(next_timer=next_timer, count=count)
        except EventTargetGone:
            break


# The Textual whose ``Timer._run`` this copies: another keeps its own timers, since its
# ``_run`` (private) may read attributes this copy does not set, or no longer have the bug.
WRITTEN_FOR = "8.2.8"


def install() -> bool:
    """Use the corrected ``_run`` for every timer (once per process; the app calls it),
    on the Textual it was written for; whether it did."""
    import textual

    if textual.__version__ != WRITTEN_FOR:
        return False
    Timer._run = _run  # type: ignore[method-assign]
    return True
