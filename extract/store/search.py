"""Turn what a user types into an FTS5 query that cannot be a syntax error."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12  # longer input adds nothing but query time


def fts_query(text: str) -> str:
    """Every typed word must match as a word prefix ("jul smi" finds Julianne Smith).

    Words are quoted, so FTS5 operators (AND, NEAR, ``*``, ``:``) typed by the
    user are searched for as words instead of breaking the query.
    """
    words = _WORD.findall(text)[:MAX_WORDS]
    return " ".join(f'"{w}"*' for w in words)
