"""A fix for a reference cycle in Textual's ``Strip.divide`` (seen in Textual 8.2.8).

The compositor divides every line it draws at the edges of the widgets it crosses. A line
inside one widget is "divided" at its own end: ``divide`` then returns ``[self]`` and
caches that list in the strip itself, so the strip (with its seven caches, ~20 objects)
refers to itself and is freed only by the garbage collector's cycle search, never when
the frame is done with it. While scrolling that was ~50 lines a frame: the young
generations filled at once, and a full collection (7-28 ms quiet, 55-70 ms under load)
paused a frame every ~17 keys. Returning ``[self]`` without caching it gives the same
result with no cycle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.strip import Strip

_textual_divide = Strip.divide


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    cuts = list(cuts)  # may be an iterator: read once here, passed on as a list
    length = self.cell_length
    if [cut for cut in cuts if cut <= length] == [length]:
        return [self]  # what Textual returns, not cached in the strip itself
    return _textual_divide(self, cuts)


def install() -> None:
    """Use the cycle-free ``divide`` (once per process; the app calls it)."""
    Strip.divide = _divide  # type: ignore[method-assign]
