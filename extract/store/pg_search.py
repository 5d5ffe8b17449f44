"""Search on PostgreSQL: what users type made into a ``tsquery`` (the FTS5 syntax), and the
same tiered ranking as ``sqlite.Store._ranked``.

``search.parse_search`` reads the input (words as prefixes, ``OR``, ``NOT``/``-``, phrases);
this writes it for ``to_tsquery('briefing', ...)``: every word a quoted lexeme (so no input
is tsquery syntax), ``:*`` for a prefix, ``<->`` between the words of a phrase, ``|`` in
a group, ``&`` between groups, ``& !`` before an exclusion. The ``briefing`` text search
configuration lowercases and removes accents from the query as from the documents.

Ranking (``ranked``), as on SQLite: among the newest ~``RANK_WINDOW`` matches, every word
in the fields that count (a quote's speaker or role, an article's title) first, then the
words side by side as typed, then the rest; newest first within each tier. Each tier is
read newest first in ranges of ids that grow until it has enough, so no query reads every
match of a common word (``ts_rank`` over the newest 2,000 matches read and unpacked each
of them: 120-300 ms at 100,000 quotes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from extract.store.search import Term, parse_search

RANK_WINDOW = 2000  # as in SQLite: rank the newest matches only, so a common word stays fast
FIRST_SPAN = 2048  # ids read for the newest matches at first; 8 times more at each retry


@dataclass(frozen=True, slots=True)
class Table:
    """A searched table. ``fields``: the SQL condition "every word in the fields that
    count" (parameters: ``must``, the words; ``q``, the whole query), on an expression
    with a GIN index of its own (migration 2), so that words never in those fields cost
    nothing and the tier never reads the rows' words. ``walk``: whether the newest
    matches may be found by walking back along the ids (not for articles: their vectors
    are large and kept out of line, and unpacking each costs more than the GIN bitmap)."""

    name: str
    fields: str
    walk: bool
    columns: str  # the weights of the search vector's columns, in order


_NOT_EXCLUDED = "search @@ to_tsquery('briefing', %(q)s)"
QUOTES = Table(
    "quotes",
    "to_tsvector('briefing'::regconfig, coalesce(speaker, '') || ' ' || coalesce(role, '')) "
    "@@ to_tsquery('briefing', %(must)s)",
    walk=True,
    columns="ABD",  # speaker, role, words (migration 2)
)
ARTICLES = Table(
    "articles",
    "to_tsvector('briefing'::regconfig, title) @@ to_tsquery('briefing', %(must)s)",
    walk=False,
    columns="AD",  # title, text
)


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


def ranked(conn: psycopg.Connection[Any], table: Table, text: str, limit: int) -> list[int]:
    """The ids of the best ``limit`` rows of ``table`` matching ``text``, best first."""
    query = pg_query(text, table.columns)
    if query is None:
        return []
    # The planner prices a tsvector match far below its cost and would scan the table;
    # a walk back along the ids is for quotes' newest matches only (``Table.walk``). The
    # settings last to the end of the transaction (one round trip with the newest id).
    row = conn.execute(
        "SELECT set_config('enable_seqscan', 'off', true), "
        "set_config('enable_indexscan', %s, true), "
        f"(SELECT max(id) FROM {table.name}) AS top",
        ("on" if table.walk else "off",),
    ).fetchone()
    top = row["top"] if row else None
    if top is None:
        return []
    params = {"q": query.full, "must": query.must, "tier": ""}
    newest = _newest(conn, table, _NOT_EXCLUDED, params, 2 * limit, top, 0)
    if not newest:
        return []
    oldest = newest[-1]  # where the window ends: all the matches, or ...
    if len(newest) == 2 * limit:  # ... about RANK_WINDOW matches deep, by their spacing
        span = newest[0] - newest[-1] + 1
        oldest = max(0, newest[0] - span * RANK_WINDOW // len(newest))
    ranked_ids: dict[int, None] = {}  # ordered, no repeats
    # The tiers from the GIN indexes' bitmaps: walking the ids for a word never in the
    # fields, or never beside the other, read every row of the window (50-150 ms).
    if table.walk:
        conn.execute("SET LOCAL enable_indexscan = off")
    fields = table.fields + (f" AND {_NOT_EXCLUDED}" if query.excludes else "")
    tiers = [
        (fields, query.must),
        ("search @@ to_tsquery('briefing', %(tier)s)", query.adjacent),
    ]
    for where, tier in tiers:
        if tier and len(ranked_ids) < limit:
            found = _newest(conn, table, where, {**params, "tier": tier}, limit, top, oldest)
            ranked_ids.update((i, None) for i in found)
    ranked_ids.update((i, None) for i in newest)
    return list(ranked_ids)[:limit]


def _newest(
    conn: psycopg.Connection[Any],
    table: Table,
    where: str,
    params: dict[str, Any],
    n: int,
    top: int,
    floor: int,
) -> list[int]:
    """The ids of the newest ``n`` rows (down to id ``floor``) meeting ``where``.

    Quotes are read in ranges of ids growing back from the newest, so the rows read stay
    about the ones wanted, whether the words are common (the first range holds them:
    a short walk back along the ids) or rare (the GIN index's bitmap of all their rows
    is small). Articles are read from the GIN index's bitmap in one go, the range only
    a filter: given a range it could read, the planner walked it testing each article's
    vector (30 ms for 2,000 articles; their vectors are large and kept out of line)."""
    span = FIRST_SPAN if table.walk else top
    column = "id" if table.walk else "(id + 0)"  # an expression no index can serve
    while True:
        low = max(floor, top - span)
        # No range at all when it would hold every row: the planner then read each row
        # of the range instead of the GIN index (110-170 ms at 10,000 articles).
        bound = f" AND {column} >= %(low)s" if low > 0 else ""
        rows = conn.execute(
            f"SELECT id FROM {table.name} WHERE {where}{bound} ORDER BY id DESC LIMIT %(n)s",
            {**params, "low": low, "n": n},
            prepare=False,  # a plan for these words and this range, never a generic one
        )
        ids = [r["id"] for r in rows]
        if len(ids) == n or low == floor:
            return ids
        span *= 8
