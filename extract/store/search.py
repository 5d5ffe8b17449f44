"""Turn what a user types into an FTS5 query that cannot be a syntax error.

The user's words never reach FTS5 as syntax: each word is put in double quotes
(FTS5 strings, which hold no operators), and the only operators in the query are
the ones written here. What the user can say:

- ``jul smi``: every word, each as a word prefix (found as you type);
- ``Russia OR Taiwan``: either (``OR`` in capitals; ``or`` is a word);
- ``NOT Taiwan`` or ``-Taiwan``: without it (needs a word to look for besides);
- ``"heating bills"``: the words together, exactly (a closing quote may be missing);
- ``sanction*``: a prefix, said explicitly (bare words are prefixes already).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<neg>-)?(?P<word>\w+)\*?', re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 12  # longer input adds nothing but query time


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word (matched as a prefix) or an exact phrase."""

    words: tuple[str, ...]
    phrase: bool
    prefix: bool = True  # the last word may go on (a word, or a phrase still being typed)

    def fts(self) -> str:
        return '"' + " ".join(self.words) + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True, slots=True)
class Search:
    """What was typed: groups that must all match (each one of its terms), and exclusions."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    def fts(self, columns: tuple[str, ...] = ()) -> str:
        """The FTS5 query; with ``columns``, every word must be found in those columns."""
        if not self.groups:
            return ""  # FTS5 cannot search for "not X" alone
        must = " AND ".join("(" + " OR ".join(t.fts() for t in g) + ")" for g in self.groups)
        if columns:
            must = "{" + " ".join(columns) + "} : (" + must + ")"
        return must + self._nots()

    def each_group(self) -> list[Search]:
        """One search per group (a word, or words joined by OR), without exclusions."""
        return [Search((group,), ()) for group in self.groups]

    def adjacent(self) -> str:
        """The words typed as one phrase, in order ("" when that would say nothing more:
        one word, an OR, or a phrase already): the rows that hold them side by side."""
        terms = self.terms
        if len(terms) != len(self.groups) or any(t.phrase for t in terms) or len(terms) < 2:
            return ""
        words = tuple(w for t in terms for w in t.words)
        return Term(words, phrase=True, prefix=terms[-1].prefix).fts() + self._nots()

    def _nots(self) -> str:
        return "".join(f" NOT {t.fts()}" for t in self.excluded)

    @property
    def terms(self) -> list[Term]:
        """The terms a hit holds (for highlighting), exclusions left out."""
        return [t for group in self.groups for t in group]


def parse_search(text: str) -> Search:
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    either = negate = False
    count = 0
    for m in _TOKEN.finditer(text):
        if count >= MAX_WORDS:
            break
        word = m.group("word")
        if word in ("OR", "NOT") and not m.group("neg") and not m.group(0).endswith("*"):
            either, negate = word == "OR", word == "NOT"
            continue
        if m.group("phrase") is not None:
            words = tuple(_WORD.findall(m.group("phrase"))[:MAX_WORDS])
            if not words:
                continue
            term = Term(
                words, phrase=True, prefix=not m.group(0).endswith('"') or len(m.group(0)) == 1
            )
        else:
            term = Term((word,), phrase=False)
        count += 1
        if negate or m.group("neg"):
            excluded.append(term)
        elif either and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        either = negate = False
    return Search(tuple(tuple(g) for g in groups), tuple(excluded))


def waits_for_more(text: str) -> bool:
    """Whether ``text`` is a lone word of one letter ("t"), which a search box runs only
    when no second key follows: it matches most of a large store, and its first key is
    almost always on its way to a longer word."""
    search = parse_search(text)
    if search.excluded or len(search.terms) != 1:
        return False
    term = search.terms[0]
    return not term.phrase and term.prefix and len(term.words[0]) == 1


def fts_query(text: str) -> str:
    """The FTS5 query for what the user typed ("" when there is nothing to look for)."""
    return parse_search(text).fts()


def highlight_pattern(text: str) -> re.Pattern[str] | None:
    """A regex finding the search's words in an article (prefixes, phrases), or None."""
    parts = []
    for term in parse_search(text).terms:
        words = [re.escape(w) for w in term.words]
        parts.append(r"\b" + r"\W+".join(words) + (r"\w*" if term.prefix else r"\b"))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None
