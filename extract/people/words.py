"""The word lists of names the registry reads (``extract.names``, shared with the analysis):
titles and honorifics, name suffixes, the gender a title or a given name shows."""

from __future__ import annotations

from extract.names import HONORIFICS, NAME_SUFFIXES, first_name_gender, honorific_gender


def is_title(word: str) -> bool:
    """ "Mr.", "President", "Sen.": a word before a name that is not part of it."""
    return word.lower().rstrip(".") in HONORIFICS


def is_suffix(word: str) -> bool:
    return word.lower().rstrip(",") in NAME_SUFFIXES


def title_gender(word: str) -> str | None:
    """ "m" for "Mr.", "f" for "Mrs."; None for "Dr." and for a word that is no title."""
    return honorific_gender(word)[1]


def given_name_gender(word: str) -> str | None:
    return first_name_gender(word)
