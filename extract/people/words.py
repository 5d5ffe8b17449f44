"""The word lists of names, shared with the analysis, which holds them (``extract.nlp.names``):
honorifics and titles, name suffixes, given names by gender.

Loaded on first use, not on import: the reader app imports the store, the store imports
this package, and the app never imports ``extract.nlp`` (a test checks). Only linking a
new article, a correction or a lookup by name read them.
"""

from __future__ import annotations


def is_title(word: str) -> bool:
    """"Mr.", "President", "Sen.": a word before a name that is not part of it."""
    from extract.nlp.names import HONORIFICS
    return word.lower().rstrip(".") in HONORIFICS


def is_suffix(word: str) -> bool:
    from extract.nlp.names import NAME_SUFFIXES
    return word.lower().rstrip(",") in NAME_SUFFIXES


def title_gender(word: str) -> str | None:
    """"m" for "Mr.", "f" for "Mrs."; None for "Dr." and for a word that is no title."""
    from extract.nlp.names import honorific_gender
    return honorific_gender(word)[1]


def given_name_gender(word: str) -> str | None:
    from extract.nlp.names import first_name_gender
    return first_name_gender(word)
