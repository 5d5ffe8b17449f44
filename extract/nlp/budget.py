"""The per-text bounds of the analysis: no word the tokenizer chokes on, and a CPU budget.

Two hostile texts cost far more than their length says (issue 16):

* a long run of characters with no space between them (100,000 quote marks): spaCy's
  tokenizer splits prefixes and suffixes off such a run one at a time, copying the rest
  each time, so its cost grows with the square of the run (10,000 characters ~11 s,
  20,000 ~49 s). ``break_long_runs`` puts a space in every ``MAX_RUN_CHARS``
  characters of such a run, in place of a character, so character offsets (quote spans)
  still point into the stored text; no real word or link is that long;
* whatever else is slow on some input (a parser on one 20,000-token sentence, a rule
  that is not linear yet): ``cpu_limit`` stops the text once it has spent its budget of
  CPU seconds, and the analysis says so instead of hanging the fetch.

The limit is CPU time, not wall time: a busy machine does not trip it, a runaway does.
In the main thread a CPU timer (``setitimer(ITIMER_PROF)``) raises ``OverBudget`` inside
the work; in any other thread only the checks between pipeline components can stop it.
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

MAX_RUN_CHARS = 100  # longer than any word or most links; 100,000 marks tokenize in ~1 s
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


class OverBudget(BaseException):
    """A text spent its CPU budget. A BaseException, like KeyboardInterrupt: the rules'
    ``except Exception`` (one odd article must not stop a batch) must not swallow it."""


def break_long_runs(text: str) -> str:
    """``text`` with every run of over MAX_RUN_CHARS non-space characters cut by spaces,
    each in place of one character, so the length and every offset stay the same."""
    if len(text) <= MAX_RUN_CHARS:
        return text
    return _LONG_RUN.sub(lambda m: _cut(m.group()), text)


def _cut(run: str) -> str:
    step = MAX_RUN_CHARS
    return "".join(
        run[i : i + step] + (" " if i + step < len(run) else "")
        for i in range(0, len(run), step + 1)
    )


def over_budget_reason(seconds: float, where: str) -> str:
    return f"analysis stopped: the text took over {seconds:g} s of CPU ({where})"


RETRY_SECONDS = 0.05  # CPU seconds between further stops, if one was swallowed


@contextmanager
def cpu_limit(seconds: float) -> Iterator[None]:
    """Raise ``OverBudget`` in this block once the process has spent ``seconds`` of CPU
    in it. Only in the main thread, and only when no one else uses SIGPROF (a profiler);
    elsewhere the caller's own checks (``spent``) are the only bound.

    The timer repeats every ``RETRY_SECONDS`` after it first fires: a signal that lands in
    a weakref callback or a ``__del__`` (the garbage collector runs them anywhere) raises
    where Python ignores the exception, and a one-shot timer then never stopped the text."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(
        signal.SIGPROF
    ) not in (signal.SIG_DFL, None):
        yield
        return
    active = [True]

    def stop(signum: int, frame: FrameType | None) -> None:
        if active[0]:
            raise OverBudget

    previous = signal.signal(signal.SIGPROF, stop)
    previous_hook = sys.unraisablehook
    sys.unraisablehook = _quiet_about_stops(previous_hook)
    signal.setitimer(signal.ITIMER_PROF, seconds, RETRY_SECONDS)
    try:
        try:
            yield
        finally:
            active[0] = False  # from here on a late tick raises nothing
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)
        sys.unraisablehook = previous_hook


def _quiet_about_stops(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """Python prints an exception it had to ignore ("Exception ignored in ...") with its
    traceback; a stop it ignored is made again, so it is no news for the user's terminal."""

    def unraisable(info: Any) -> object:
        if isinstance(info.exc_value, OverBudget):
            return None
        return hook(info)

    return unraisable


def cpu_now() -> float:
    """The process's CPU seconds so far (what ``cpu_limit`` counts)."""
    return time.process_time()
