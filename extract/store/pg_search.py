"""What users type, made into a PostgreSQL ``tsquery`` (the same syntax as the FTS5 one).

``search.parse_search`` reads the input (words as prefixes, ``OR``, ``NOT``/``-``, phrases);
this writes it for ``to_tsquery('briefing', ...)``: every word a quoted lexeme (so no input
is tsquery syntax), ``:*`` for a prefix, ``<->`` between the words of a phrase, ``|`` in
a group, ``&`` between groups, ``& !`` before an exclusion. The ``briefing`` text search
configuration lowercases and removes accents from the query as from the documents.
"""

from __future__ import annotations

from extract.store.search import Term, parse_search


def _lexeme(word: str, prefix: bool) -> str:
    return "'" + word.replace("'", "''") + "'" + (":*" if prefix else "")


def _term(term: Term) -> str:
    last = len(term.words) - 1
    parts = [_lexeme(w, term.prefix and i == last) for i, w in enumerate(term.words)]
    return "(" + " <-> ".join(parts) + ")"


def ts_query(text: str) -> str:
    """The tsquery text for what the user typed ("" when there is nothing to look for)."""
    search = parse_search(text)
    if not search.groups:
        return ""  # like FTS5: "not X" alone finds nothing
    must = " & ".join("(" + " | ".join(_term(t) for t in g) + ")" for g in search.groups)
    return must + "".join(f" & !{_term(t)}" for t in search.excluded)
