"""Bounding the memory of an analysis: long texts in paragraph-aligned segments.

spaCy's memory while it runs grows with the tokens it holds at once: the small
English pipeline takes about 16 KB per token in ``tok2vec`` and ``ner`` (a 53,000-
character article, 10,000 tokens: 170 MB on top of the model), and ``nlp.pipe``
held a whole batch (texts now go one at a time, for their CPU budget). Counting
characters bounds it. A text longer than ``SEGMENT_CHARS`` is cut after paragraph breaks
("\\n\\n"), its pieces run through the statistical components, and the pieces are
joined back into one Doc (``Doc.from_docs``) before ``briefing_quotes`` runs on the
whole article, so quotes and speakers still see every paragraph. Cutting there
changes nothing the rules use: a line break always starts a sentence
(``briefing_paragraphs``), so no sentence, parse or entity crosses the cut.
"""

from __future__ import annotations

SEGMENT_CHARS = 10_000  # about 2,000 tokens: ~30 MB of working memory
_BREAK = "\n\n"


def segments(text: str, limit: int = SEGMENT_CHARS) -> list[str]:
    """``text`` cut just after paragraph breaks into pieces of at most ``limit``
    characters where it can be; the pieces joined are ``text``. A paragraph longer
    than ``limit`` stays whole (``MAX_ANALYSED_CHARS`` bounds it elsewhere)."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind(_BREAK, start + 1, start + limit)
        if cut == -1:  # the first paragraph alone is longer than the limit
            cut = text.find(_BREAK, start + limit)
            if cut == -1:
                break
        cut = _after_break(text, cut)
        if cut >= len(text):
            break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def _after_break(text: str, at: int) -> int:
    """The index just past the run of newlines starting at ``at``."""
    end = at
    while end < len(text) and text[end] == "\n":
        end += 1
    return end
