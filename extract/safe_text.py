"""Make untrusted text (titles, bodies, speakers, feed names) safe to show, copy or export.

Feeds and pages are written by strangers. Their text must reach the terminal
as plain characters: no escape sequences (colours, OSC 8 links, cursor moves,
window titles), no C0/C1 controls, no bidi overrides that reorder what the
reader sees, no zero-width characters that hide words. Markup is a separate
concern: widgets build ``rich.text.Text`` from plain strings, never markup.
"""

from __future__ import annotations

import re

# ESC sequences first, whole, so their parameters ("[31m", "]8;;http://x") do
# not survive as visible junk once the ESC itself is gone.
_CSI = r"\x1b\[[0-?]*[ -/]*[@-~]"
_OSC = r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # terminated by BEL or ST, or cut off
_DCS = r"\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
_ESC2 = r"\x1b[ -/]*[0-~]?"  # two-character escapes (ESC c, ESC 7, ...)
_C1_CSI = r"\x9b[0-?]*[ -/]*[@-~]"  # the 8-bit CSI
_C1_OSC = r"\x9d[^\x07\x9c]*(?:\x07|\x9c)?"
_SEQUENCES = re.compile("|".join((_CSI, _OSC, _DCS, _C1_CSI, _C1_OSC, _ESC2)))

# Characters a terminal acts on or hides, though they are no C0 control: DEL and the C1
# controls, bidi marks, embeddings, overrides and isolates, zero-width characters and the
# BOM, line/paragraph separators (they break lines like \n would, unseen). A character
# class body, shared with the JSON writer (extract.ingest.events), which escapes them.
INVISIBLE = "\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029"
# C0 controls except \n, and the above.
_UNSAFE = re.compile(f"[\x00-\x09\x0b-\x1f{INVISIBLE}]")


def safe(s: str | None) -> str:
    """``s`` without escape sequences and invisible or control characters.

    Tabs become a space (their width is the terminal's choice); ``\\n`` stays.
    """
    if not s:
        return ""
    s = _SEQUENCES.sub("", s)
    s = s.replace("\t", " ").replace("\r\n", "\n")
    return _UNSAFE.sub("", s)


def one_line(s: str | None) -> str:
    """``safe(s)`` on a single line: runs of whitespace become one space."""
    return " ".join(safe(s).split())


def plain(s: str | None) -> str:
    """Text for the clipboard or an export: ``safe(s)`` with its lines kept but each
    line's edges trimmed, so a paste into a terminal replays nothing."""
    return "\n".join(line.rstrip() for line in safe(s).split("\n")).strip()


# Controls as characters or as numeric references (&#27; &#x1b; &#1;): HTML parsers
# refuse them (lxml raises "All strings must be XML compatible") or keep them.
_CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
_CONTROL_IN_MARKUP = re.compile(
    f"[{_CONTROL_CHARS}]"
    r"|&#(?:0*(?:[0-8]|1[12]|1[4-9]|2\d|3[01]|127)(?![0-9])"
    r"|[xX]0*(?:[0-8]|[bcefBCEF]|1[0-9a-fA-F]|7[fF])(?![0-9a-fA-F]));?"
)


def markup_without_controls(markup: str) -> str:
    """HTML or XML text without control characters, literal or as character references
    (tab, newline and carriage return stay): what an HTML parser can take whole."""
    return _CONTROL_IN_MARKUP.sub("", markup)
