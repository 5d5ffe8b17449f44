"""Textual's Strip.divide without its reference cycle (tui/strip_cycle.py)."""

from __future__ import annotations

import gc

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui import strip_cycle


def line() -> Strip:
    return Strip([Segment("● ", Style(bold=True)), Segment("Port talks resume", None)], 19)


def garbage_left_by(divide) -> int:  # noqa: ANN001
    """Cyclic garbage left by dividing a strip at its own end and dropping it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        strip = line()
        divide(strip, [19])
        del strip
        return gc.collect()
    finally:
        if enabled:
            gc.enable()


def test_textual_divide_leaves_a_cycle_and_the_fix_none() -> None:
    assert garbage_left_by(strip_cycle._textual_divide) > 0  # the bug this works around
    assert garbage_left_by(strip_cycle._divide) == 0


def test_the_fix_divides_as_textual_does() -> None:
    strip = line()
    assert strip_cycle._divide(strip, iter([19])) == [strip]
    assert strip_cycle._divide(strip, [25]) == strip_cycle._textual_divide(line(), [25])
    for cuts in ([2, 19], [5, 10, 19], [2, 10]):
        ours = [s.text for s in strip_cycle._divide(line(), iter(cuts))]
        assert ours == [s.text for s in strip_cycle._textual_divide(line(), cuts)]


def test_the_app_installs_it() -> None:
    import tui.app  # noqa: F401  (installs on import)

    assert Strip.divide is strip_cycle._divide
