"""Find quoted passages in plain text by pairing typed quote marks.

Pure text work (no spaCy), so it is cheap and easy to test. Marks are paired
by type and position, never by counting: a curly “ opens and ” closes, a
straight " opens or closes depending on the characters around it.
Apostrophes and single quotes (’ in Let’s, ‘scare’ quotes) are ignored: in
news they are nested quotes or apostrophes, and the double marks around them
already bound the quotation. An unbalanced mark never aborts the text: an
unclosed quote runs to the end of its paragraph, a stray closer is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = {"“": "”", "«": "»", "„": "“"}  # opener -> the closer it expects
CLOSERS = {"”", "»"}
STRAIGHT = '"'
_MARKS = re.compile('[“”«»„"]')
_PARAGRAPH = re.compile(r"[^\n]+")
# Characters after which a straight quote opens, and before which it closes.
_OPEN_BEFORE = set(" \t\n([{—–-/:;")
_CLOSE_AFTER = set(" \t\n)]}.,;:!?—–-/…")


@dataclass(frozen=True, slots=True)
class QuoteRun:
    """One quotation: content spans (marks excluded), in text order.

    Several spans when a quote runs over paragraphs (left open at the end of
    one and reopened at the start of the next)."""

    spans: tuple[tuple[int, int], ...]
    closed: bool  # False when the last span ran to a paragraph end unclosed

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line: news paragraphs are lines."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        start, _end = m.span()
        stripped = m.group().strip()
        if stripped:
            lead = len(m.group()) - len(m.group().lstrip())
            out.append((start + lead, start + lead + len(stripped)))
    return out


def find_quotes(text: str) -> list[QuoteRun]:
    """All double-quoted passages of ``text``, multi-paragraph quotes joined."""
    runs: list[QuoteRun] = []
    carried: list[tuple[int, int]] | None = None  # a quote left open by the last paragraph
    for p_start, p_end in paragraphs(text):
        closed, open_span = _pair_in_paragraph(text, p_start, p_end)
        if carried is not None:
            pending = closed + ([open_span] if open_span else [])
            first = pending[0] if pending else None
            if first and first[0] == p_start + 1 and _is_opener_at(text, p_start):
                carried.append(first)
                if first == open_span:  # reopened and still open: carry on
                    open_span = None
                    continue
                closed.pop(0)
                runs.append(QuoteRun(tuple(carried), True))
            else:  # never reopened: the unclosed quote ends with its paragraph
                runs.append(QuoteRun(tuple(carried), False))
            carried = None
        runs.extend(QuoteRun((span,), True) for span in closed)
        if open_span is not None:
            carried = [open_span]
    if carried is not None:
        runs.append(QuoteRun(tuple(carried), False))
    return [r for r in runs if any(_has_word(text, s) for s in r.spans)]


def _is_opener_at(text: str, i: int) -> bool:
    ch = text[i]
    return ch in OPENERS or ch == STRAIGHT


def _has_word(text: str, span: tuple[int, int]) -> bool:
    return any(c.isalnum() for c in text[span[0] : span[1]])


def _pair_in_paragraph(
    text: str, start: int, end: int
) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Quoted spans closed inside one paragraph, and the span of a quote left open.

    Nesting is not tracked: news nests with single marks, which are ignored,
    so an opener inside an open quote means the first one was never closed
    (it is dropped as a stray mark)."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    expected = ""
    for m in _MARKS.finditer(text, start, end):
        i, ch = m.start(), m.group()
        role = _role(text, i, ch, start, end, open_at is not None, expected)
        if role == "open":
            open_at, expected = i + 1, OPENERS.get(ch, ch)
        elif role == "close" and open_at is not None:
            spans.append((open_at, i))
            open_at, expected = None, ""
    return spans, ((open_at, end) if open_at is not None else None)


def _role(
    text: str, i: int, ch: str, p_start: int, p_end: int, is_open: bool, expected: str
) -> str:
    """Whether the mark at ``i`` opens, closes or is noise, from its neighbours."""
    before = text[i - 1] if i > p_start else " "
    after = text[i + 1] if i + 1 < p_end else " "
    looks_open = before in _OPEN_BEFORE or before in OPENERS
    looks_close = after in _CLOSE_AFTER or after in CLOSERS or after == STRAIGHT
    if is_open and ch == expected:
        return "close"
    if ch in OPENERS:
        # “ typed where ” was meant: word“ followed by space or punctuation
        if is_open and looks_close and not looks_open:
            return "close"
        return "open"
    if ch in CLOSERS:
        if is_open:
            return "close"
        # ” typed where “ was meant: space before, a letter after
        return "open" if looks_open and after.isalnum() else "noise"
    # straight mark: position decides; when unclear, the state does
    if before == "=" and not is_open:
        return "noise"  # markup left in the text: <tweet author="...">
    if before.isdigit() and not is_open and after in "+-x×":
        return "noise"  # inches: a 70"+ TV, 40"x60"
    if is_open:
        if looks_open and not looks_close and expected != STRAIGHT:
            return "open"
        return "close"
    if looks_open or not looks_close:
        return "open"
    return "noise"
