"""Spelling variants of one name: short forms of given names, transliterations of surnames.

Data and two small folds. A fold maps every spelling of a name to one key, so two names
agree when their keys are equal; nothing here decides that two people are one.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Short form -> the given names it stands for. Only pairs an English-language news text
# uses for the same person ("Pat Carlineo" / "Patrick Carlineo"); a name is its own form.
_SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "pat": ("patrick", "patricia"),
    "bill": ("william",),
    "will": ("william",),
    "billy": ("william",),
    "bob": ("robert",),
    "rob": ("robert",),
    "bobby": ("robert",),
    "mike": ("michael",),
    "mick": ("michael",),
    "jim": ("james",),
    "jimmy": ("james",),
    "tom": ("thomas",),
    "tommy": ("thomas",),
    "joe": ("joseph",),
    "dan": ("daniel",),
    "danny": ("daniel",),
    "dave": ("david",),
    "chris": ("christopher", "christine"),
    "nick": ("nicholas",),
    "tony": ("anthony",),
    "ed": ("edward",),
    "eddie": ("edward",),
    "ted": ("edward", "theodore"),
    "liz": ("elizabeth",),
    "beth": ("elizabeth",),
    "betsy": ("elizabeth",),
    "kate": ("katherine", "catherine"),
    "katie": ("katherine",),
    "alex": ("alexander", "alexandra"),
    "ben": ("benjamin",),
    "sam": ("samuel", "samantha"),
    "steve": ("steven", "stephen"),
    "rick": ("richard",),
    "dick": ("richard",),
    "rich": ("richard",),
    "don": ("donald",),
    "ron": ("ronald",),
    "andy": ("andrew",),
    "drew": ("andrew",),
    "matt": ("matthew",),
    "jon": ("jonathan",),
    "josh": ("joshua",),
    "greg": ("gregory",),
    "jeff": ("jeffrey",),
    "ken": ("kenneth",),
    "larry": ("lawrence",),
    "chuck": ("charles",),
    "charlie": ("charles",),
    "jack": ("john",),
    "johnny": ("john",),
    "hank": ("henry",),
    "peggy": ("margaret",),
    "maggie": ("margaret",),
    "meg": ("margaret",),
    "sue": ("susan",),
    "jen": ("jennifer",),
    "jenny": ("jennifer",),
    "becky": ("rebecca",),
    "vlad": ("vladimir",),
    "volodymyr": ("vladimir",),
    "zach": ("zachary",),
    "tim": ("timothy",),
    "fred": ("frederick",),
    "frank": ("francis", "franklin"),
    "gerry": ("gerald",),
    "jerry": ("gerald", "jerome"),
    "phil": ("philip", "phillip"),
    "doug": ("douglas",),
    "nate": ("nathan", "nathaniel"),
    "abe": ("abraham",),
}


@lru_cache(maxsize=8192)  # names repeat across articles
def plain(word: str) -> str:
    """Lower case, accents and marks removed, apostrophes and dots dropped: the spelling
    that sorts "Gonzàlez" with "Gonzalez" and "O'Neill" with "ONeill"."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[.'’‘`]", "", letters)


# Endings that romanisations spell differently: Zelenskiy / Zelensky / Zelenskyy,
# Dostoyevsky / Dostoevskii. Applied to the end of a surname only.
_ENDINGS = ((re.compile(r"(iy|yy|ii|yi|ij|ei)$"), "y"),)
# Inside a word: kh/h (Khodorkovsky), ou/u, ph/f, doubled letters (Mohammed / Mohamed).
_INNER = (
    (re.compile(r"kh"), "h"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"(.)\1"), r"\1"),
)


@lru_cache(maxsize=8192)  # names repeat across articles
def surname_key(word: str) -> str:
    """One key for the spellings of a surname."""
    key = plain(word)
    for pattern, repl in _ENDINGS:
        key = pattern.sub(repl, key)
    for pattern, repl in _INNER:
        key = pattern.sub(repl, key)
    return key


def _fulls(key: str) -> set[str]:
    return {key, *_SHORT_FORMS.get(key, ())}


def same_given(a: str, b: str) -> bool:
    """True when two given names can name the same person: equal, one a short form of the
    other ("Pat" / "Patrick"), or two short forms of one name ("Bob" / "Rob"). Two full
    names never agree through a shared short form (Patrick and Patricia stay apart)."""
    ka, kb = plain(a), plain(b)
    if ka == kb:
        return True
    if ka in _SHORT_FORMS or kb in _SHORT_FORMS:
        return bool(_fulls(ka) & _fulls(kb))
    return False
