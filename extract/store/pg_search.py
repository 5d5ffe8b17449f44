"""Search on PostgreSQL: what users type made into a ``tsquery`` (the FTS5 syntax), and the
same tiered ranking as ``sqlite.Store._ranked``.

``search.parse_search`` reads the input (words as prefixes, ``OR``, ``NOT``/``-``, phrases);
this writes it for ``to_tsquery('briefing', ...)``: every word a quoted lexeme (so no input
is tsquery syntax), ``:*`` for a prefix, ``<->`` between the words of a phrase, ``|`` in
a group, ``&`` between groups, ``& !`` before an exclusion. The ``briefing`` text search
configuration lowercases and removes accents from the query as from the documents.

Ranking (``ranked``), as on SQLite: among the newest ~``RANK_WINDOW`` matches, every word
in the fields that count (a quote's speaker or role, an article's title; each has a GIN
index of its own) first, then the words side by side as typed, then the rest; newest first
within each tier. Each tier is read newest first in ranges of ids that grow until it has
enough, so no query reads every match of a common word (``ts_rank`` over the newest 2,000
matches read and unpacked each of them: 120-300 ms at 100,000 quotes). The ranking runs in
the server (``briefing_ranked``, migration 4): one round trip per search instead of 7-10.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extract.store.search import Term, parse_search

RANK_WINDOW = 2000  # as in SQLite: rank the newest matches only, so a common word stays fast
FIRST_SPAN = 2048  # ids read for the newest matches at first; 8 times more at each retry


@dataclass(frozen=True, slots=True)
class Table:
    """A searched table: its name, and the weights of its search vector's columns."""

    name: str
    columns: str


QUOTES = Table("quotes", "ABD")  # speaker, role, words (migration 4)
ARTICLES = Table("articles", "AD")  # title, text


@dataclass(frozen=True, slots=True)
class PgQuery:
    """The tsqueries of one search: all of it; its words without the exclusions; its
    words side by side as typed ("" when that says nothing more); whether it excludes."""

    full: str
    must: str  # for the fields' own vector, which has no columns
    adjacent: str
    excludes: bool


def _lexeme(word: str, prefix: bool, weight: str = "") -> str:
    mark = ("*" if prefix else "") + weight
    return "'" + word.replace("'", "''") + "'" + (":" + mark if mark else "")


def _phrase(term: Term, weight: str = "") -> str:
    last = len(term.words) - 1
    return " <-> ".join(
        _lexeme(w, term.prefix and i == last, weight) for i, w in enumerate(term.words)
    )


def _term(term: Term, columns: str) -> str:
    """A word, or a phrase. ``columns``: the vector's weights, one per column; a phrase's
    words must then be side by side in one column, as FTS5 reads them (a vector is its
    columns end to end: the last word of a title sits beside the first of the text)."""
    if len(term.words) == 1 or not columns:
        return "(" + _phrase(term) + ")"
    return "(" + " | ".join("(" + _phrase(term, w) + ")" for w in columns) + ")"


def pg_query(text: str, columns: str = "") -> PgQuery | None:
    """The tsqueries for what the user typed (None when there is nothing to look for)."""
    search = parse_search(text)
    if not search.groups:
        return None  # like FTS5: "not X" alone finds nothing
    must, plain = (
        " & ".join("(" + " | ".join(_term(t, c) for t in g) + ")" for g in search.groups)
        for c in (columns, "")
    )
    nots = "".join(f" & !{_term(t, columns)}" for t in search.excluded)
    terms = search.terms
    adjacent = ""
    if len(terms) == len(search.groups) and len(terms) > 1 and not any(t.phrase for t in terms):
        words = tuple(w for t in terms for w in t.words)
        adjacent = _term(Term(words, phrase=True, prefix=terms[-1].prefix), columns) + nots
    return PgQuery(must + nots, plain, adjacent, bool(search.excluded))


def ts_query(text: str, columns: str = "") -> str:
    """The tsquery text for what the user typed ("" when there is nothing to look for)."""
    query = pg_query(text, columns)
    return query.full if query else ""


def ranked(table: Table, text: str, limit: int) -> tuple[str, dict[str, Any]] | None:
    """``briefing_ranked(...)`` (migration 4) for a FROM clause, with its parameters: the
    ids (``rid``) of the best ``limit`` rows of ``table`` matching ``text``, and their
    places (``rank``, 1 first); None when there is nothing to look for. It sets the
    planner's ``enable_seqscan`` and ``enable_indexscan`` for the rest of the transaction.
    """
    query = pg_query(text, table.columns)
    if query is None:
        return None
    call = (
        "briefing_ranked(%(table)s, to_tsquery('briefing', %(q)s), "
        "to_tsquery('briefing', %(must)s), to_tsquery('briefing', %(adjacent)s), "
        "%(excludes)s, %(limit)s, %(window)s, %(span)s)"
    )
    return call, {
        "table": table.name,
        "q": query.full,
        "must": query.must,
        "adjacent": query.adjacent or None,
        "excludes": query.excludes,
        "limit": limit,
        "window": RANK_WINDOW,
        "span": FIRST_SPAN,
    }
