"""Which language is a text in? Decides whether the English pipeline runs on it.

The English spaCy model finds nonsense "quotes" and "people" in other
languages, so those articles are stored and marked, and NLP is skipped.

The text is judged by a language identifier (``py3langid``, a naive Bayes model
over byte n-grams covering ~200 languages, the one trafilatura uses), together
with the language the page declares (``<html lang>``, Content-Language,
og:locale):

* the identifier is sure (probability >= CONFIDENT) on enough words: its answer,
  whatever the page declares (pages declared ``en`` by a template are often not);
* it agrees with the declared language: that language;
* it is unsure (a sports results table, a recipe list): the declared language,
  else its own answer when it is at least SURE_ENOUGH, else "unknown";
* too few words to judge: the declared language, else "unknown".

A function-word count cannot do this: a page of scores or of recipe steps has
few "the"/"of" and was marked unknown, though declared English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
MIN_WORDS = 20  # below this the identifier is noisy: trust a declared language first
MIN_JUDGED_WORDS = 8  # below this there is nothing to judge (and no quote worth finding)
SAMPLE = 5000  # characters looked at; enough to decide, bounded on huge pages
CONFIDENT = 0.9  # the identifier's probability that overrides a declared language
SURE_ENOUGH = 0.5  # ... that decides when the page declares nothing


@dataclass(frozen=True, slots=True)
class Identified:
    language: str
    probability: float


def detect_language(text: str, declared: str | None = None) -> str | None:
    """The text's language code (``"en"``, ``"de"``...), ``"unknown"`` when it cannot
    be told, None for a text without words."""
    sample = text[:SAMPLE]
    words = len(_WORD.findall(sample))
    if not words:
        return None
    declared = _primary(declared)
    if words < MIN_WORDS and declared:
        return declared
    if words < MIN_JUDGED_WORDS:
        return "unknown"
    found = identify(sample)
    if found.language == declared or found.probability >= CONFIDENT:
        return found.language
    if declared:
        return declared
    return found.language if found.probability >= SURE_ENOUGH else "unknown"


def identify(text: str) -> Identified:
    """py3langid's best guess for ``text`` with its (normalised) probability."""
    language, probability = _identifier().classify(text)
    return Identified(language, float(probability))


@cache
def _identifier() -> Any:
    """Loaded once per process, on first use (about a second of CPU): a process
    that never judges a text never pays for it."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def release_identifier() -> None:
    """Let the identifier's model go (about 90 MB): ``briefing fetch`` calls this when every
    page is cleaned, before spaCy loads, so the two never sit in memory together. The next
    text judged loads it again."""
    _identifier.cache_clear()


def _primary(code: str | None) -> str | None:
    """``en-GB`` -> ``en``."""
    if not code:
        return None
    return code.strip().lower().replace("_", "-").split("-")[0] or None
