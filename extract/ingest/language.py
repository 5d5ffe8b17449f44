"""Is a text English enough for the English pipeline?

The English spaCy model finds nonsense "quotes" and "people" in other
languages, so those articles are stored and marked, and NLP is skipped.
Function words are the cheapest reliable signal: every English paragraph is
full of them, and text in other languages (or other scripts) has almost none.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ENGLISH = frozenset(
    "the of and to a in is that for it as was with be by on not he she they this are "
    "or his her from at which but have an had has were their its said been who will "
    "would there we you i our more than also about after".split())
MIN_SHARE = 0.12  # English news prose runs at 0.35-0.5; other languages below 0.05
MIN_WORDS = 20  # below this the share is noisy: trust a declared language first
MIN_JUDGED_WORDS = 8  # below this there is nothing to judge (and no quote worth finding)
SAMPLE = 5000  # characters looked at; enough to decide, bounded on huge pages


def detect_language(text: str, declared: str | None = None) -> str | None:
    """``"en"`` when the text reads as English, else the declared code or ``"unknown"``."""
    words = _WORD.findall(text[:SAMPLE].lower())
    if not words:
        return None
    if len(words) < MIN_WORDS and _primary(declared):
        return _primary(declared)
    if len(words) < MIN_JUDGED_WORDS:
        return "unknown"
    share = sum(w in _ENGLISH for w in words) / len(words)
    if share >= MIN_SHARE:
        return "en"
    declared = _primary(declared)
    return declared if declared and declared != "en" else "unknown"


def _primary(code: str | None) -> str | None:
    """``en-GB`` -> ``en``."""
    if not code:
        return None
    return code.strip().lower().replace("_", "-").split("-")[0] or None
