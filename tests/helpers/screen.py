"""What the terminal would show: the app's current screen as segments or plain text."""

from __future__ import annotations

import io

from rich.console import Console
from rich.segment import Segment
from textual.app import App


def screen_segments(app: App) -> list[Segment]:
    """The segments the app would write for its current screen (modals included)."""
    render = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    return list(console.render(render))


def screen_text(app: App) -> str:
    """The current screen as plain text, one line per terminal row."""
    return "".join(s.text for s in screen_segments(app) if not s.control)
