"""Copying text: through the one sanitiser, to the terminal and the system clipboard.

The terminal's clipboard (OSC 52) often goes nowhere (tmux's default
``set-clipboard external``, many terminals), so a system tool is used as well when
one is installed. The app also shows what it copied, so it can be selected by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from extract.safe_text import plain

# The first of these found on PATH gets the text on its stdin.
TOOLS = (
    ("wl-copy",),
    ("xclip", "-selection", "clipboard"),
    ("xsel", "--clipboard", "--input"),
    ("pbcopy",),
)
TOOL_TIMEOUT = 3.0


def clipboard_text(text: str) -> str:
    """What may be copied: no escape sequences or invisible characters (the one place
    copied text is cleaned, so a stricter rule is a one-line change)."""
    return plain(text)


def system_tool(env: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """The clipboard tool to use here, or None."""
    env = dict(os.environ if env is None else env)
    path = env.get("PATH")
    for tool in TOOLS:
        if tool[0] == "wl-copy" and not env.get("WAYLAND_DISPLAY"):
            continue
        if tool[0] in ("xclip", "xsel") and not env.get("DISPLAY"):
            continue
        if (
            tool[0] == "pbcopy"
            and sys.platform != "darwin"
            and not shutil.which("pbcopy", path=path)
        ):
            continue
        found = shutil.which(tool[0], path=path)
        if found:
            return (found, *tool[1:])
    return None


def copy_with_tool(text: str, tool: tuple[str, ...]) -> str | None:
    """Give ``text`` to the tool; None when it worked, else why not (blocking: a thread)."""
    try:
        done = subprocess.run(
            tool,
            input=text.encode("utf-8"),
            timeout=TOOL_TIMEOUT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"{tool[0]}: {exc}"
    if done.returncode != 0:
        return (
            f"{os.path.basename(tool[0])} failed: "
            + done.stderr.decode("utf-8", "replace").strip()[:200]
        )
    return None
