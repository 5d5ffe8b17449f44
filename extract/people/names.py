"""A name as written, reduced to what identifies the person: given name and surname.

"Donald J. Trump", "Mr. Trump", "President Donald Trump" and "Fox News's Ed Henry" are
read as (donald, trump), (-, trump), (donald, trump), (ed, henry). Titles, honorifics,
middle initials and suffixes are dropped; the outlet before a possessive is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extract.people.variants import plain, surname_key
from extract.people.words import is_suffix, is_title

MAX_NAME_CHARS = 200  # a longer "name" is a sentence the analysis mistook for one
MAX_NAME_WORDS = 6

# Surname particles that belong to the surname: "Ursula von der Leyen", "Charles de Gaulle".
_PARTICLES = frozenset("von van der de den del della di da du la le bin al el ter ten".split())
# "Fox News's Ed Henry", "CNN’s Jake Tapper": an outlet, a possessive, then the name.
_POSSESSIVE = re.compile(r"^.+?['’]s\s+(?=\S)")
# Terminal escape sequences and control characters: never read as a name, never shown.
_CONTROL = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x00-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W\d_][\w'’.\-]*", re.UNICODE)
# Words that show the string is a description, not a name ("the mayor", "officials").
_NOT_NAME = frozenset(
    """the a an this that these those his her their its our my some
many officials official sources source spokesman spokeswoman spokesperson people who
campaign according""".split()
)


@dataclass(frozen=True, slots=True)
class PersonName:
    """What identifies a person in a name. ``given`` is "" for a surname alone."""

    given: str  # plain spelling, e.g. "donald"
    surname: str  # plain spelling, particles joined: "von der leyen"
    surname_key: str  # the surname's spelling-variant key: "zelensky"
    others: tuple[str, ...] = ()  # the words between: "Crooked Hillary Clinton" -> hillary
    key: str = ""  # the alias key: given name and surname, spelled plainly ("donald trump")

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.given} {self.surname}".strip())

    @property
    def surname_only(self) -> bool:
        return not self.given


@lru_cache(maxsize=8192)  # names repeat across articles
def parse_name(text: str) -> PersonName | None:
    """The name in ``text``, or None when ``text`` is not a personal name."""
    text = _CONTROL.sub(" ", text).strip()
    if not text or len(text) > MAX_NAME_CHARS:
        return None
    text = _drop_possessive(text)
    words = _WORD.findall(text)
    if not words or len(words) > MAX_NAME_WORDS + 3:
        return None
    if any(w.lower() in _NOT_NAME for w in words) or not all(
        _capitalised(w) for w in words if w.lower() not in _PARTICLES
    ):
        return None
    words = _strip_titles(words)
    words = [w for w in words if not _initial(w)]  # "Donald J. Trump", "J. Edgar Hoover"
    if not words or len(words) > MAX_NAME_WORDS:
        return None
    surname_words = [words[-1]]
    for w in reversed(words[:-1]):  # "von der Leyen": particles join the surname
        if w.lower() not in _PARTICLES:
            break
        surname_words.insert(0, w)
    given_words = words[: len(words) - len(surname_words)]
    surname = " ".join(plain(w) for w in surname_words)
    return PersonName(
        given=plain(given_words[0]) if given_words else "",
        surname=surname,
        surname_key=surname_key(surname.replace(" ", "")),
        others=tuple(plain(w) for w in given_words[1:]),
    )


def _drop_possessive(text: str) -> str:
    match = _POSSESSIVE.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    # Only when what follows is itself a full name: "Trump's" alone is no outlet.
    return rest if len(_WORD.findall(rest)) >= 2 else text


def _strip_titles(words: list[str]) -> list[str]:
    while len(words) > 1 and is_title(words[0]):
        words = words[1:]
    while len(words) > 1 and is_suffix(words[-1]):
        words = words[:-1]
    return words


def _initial(word: str) -> bool:
    letters = word.rstrip(".")
    return len(letters) == 1


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def visible(text: str) -> str:
    """``text`` without escape sequences, control and format characters (bidi overrides),
    spaces collapsed: what a name may hold to be shown."""
    kept = "".join(
        c for c in _CONTROL.sub(" ", text) if unicodedata.category(c) not in ("Cf", "Cc")
    )
    return " ".join(kept.split())


def display_name(text: str) -> str:
    """The name to show for a new person: as written, without the outlet before a
    possessive or a leading title ("Fox News's Ed Henry" -> "Ed Henry")."""
    words = _drop_possessive(visible(text)).split(" ")
    while len(words) > 1 and is_title(words[0]):
        words = words[1:]
    return " ".join(words)[:MAX_NAME_CHARS]
