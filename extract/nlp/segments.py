"""Bounding the memory of an analysis: long texts in paragraph-aligned segments,
texts in batches bounded by characters.

spaCy's memory while it runs grows with the tokens it holds at once: the small
English pipeline takes about 16 KB per token in ``tok2vec`` and ``ner`` (a 53,000-
character article, 10,000 tokens: 170 MB on top of the model), and ``nlp.pipe``
holds a whole batch. Counting texts (``batch_size``) does not bound that; counting
characters does. A text longer than ``SEGMENT_CHARS`` is cut after paragraph breaks
("\\n\\n"), its pieces run through the statistical components, and the pieces are
joined back into one Doc (``Doc.from_docs``) before ``briefing_quotes`` runs on the
whole article, so quotes and speakers still see every paragraph. Cutting there
changes nothing the rules use: a line break always starts a sentence
(``briefing_paragraphs``), so no sentence, parse or entity crosses the cut.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

SEGMENT_CHARS = 10_000  # about 2,000 tokens: ~30 MB of working memory
BATCH_CHARS = 10_000  # characters per nlp.pipe batch (a longer segment goes alone)
_BREAK = "\n\n"

T = TypeVar("T")


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


def char_batches(
    items: Iterable[tuple[str, T]], max_chars: int = BATCH_CHARS, max_items: int = 16
) -> Iterator[list[tuple[str, T]]]:
    """Consecutive ``(text, context)`` items in lists of at most ``max_items`` and,
    unless one item alone is longer, at most ``max_chars`` characters. Reads lazily."""
    batch: list[tuple[str, T]] = []
    size = 0
    for item in items:
        if batch and (size + len(item[0]) > max_chars or len(batch) >= max_items):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch
