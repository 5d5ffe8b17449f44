"""What the ``briefing_quotes`` component leaves on a Doc, and reading it back.

Results are stored as plain lists in ``doc.user_data`` so they survive the
pickling spaCy does between processes. Imports no spaCy: reading results back
(``unpack``) is done where the pipeline is driven, which must stay cheap to import.
"""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

from extract.models import Entity, Quote
from extract.nlp.attribution import RULES_VERSION

if TYPE_CHECKING:  # for annotations only: importing this module must not load spaCy
    from spacy.tokens import Doc

USER_DATA_KEY = "briefing"
COMPONENT = "briefing_quotes"
PARAGRAPHS = "briefing_paragraphs"
_QUOTE_FIELDS = [f.name for f in fields(Quote)]
_ENTITY_FIELDS = [f.name for f in fields(Entity)]


def pack(entities: tuple[Entity, ...], quotes: tuple[Quote, ...]) -> dict[str, Any]:
    """Plain lists (msgpack-safe) for doc.user_data."""
    return {
        "version": RULES_VERSION,
        "entities": [[getattr(e, f) for f in _ENTITY_FIELDS] for e in entities],
        "quotes": [
            [getattr(q, f) if f != "spans" else [list(s) for s in q.spans] for f in _QUOTE_FIELDS]
            for q in quotes
        ],
    }


def unpack(doc: Doc) -> tuple[tuple[Entity, ...], tuple[Quote, ...], str | None]:
    """(entities, quotes, error) stored on ``doc`` by the component."""
    data = doc.user_data.get(USER_DATA_KEY)
    if data is None:
        return (), (), f"the {COMPONENT} component did not run"
    if "error" in data:
        return (), (), str(data["error"])
    entities = tuple(Entity(*row) for row in data["entities"])
    quotes = []
    for row in data["quotes"]:
        values = dict(zip(_QUOTE_FIELDS, row))
        values["spans"] = tuple(tuple(s) for s in values["spans"])
        quotes.append(Quote(**values))
    return entities, tuple(quotes), None
