"""The ``briefing_quotes`` spaCy component and its Doc/Span extensions.

spaCy imports this module itself, through the ``spacy_factories`` entry points
in ``pyproject.toml``, when a pipeline is built; it registers two factories:

* ``briefing_paragraphs`` (before the parser): a line break starts a
  sentence, so no sentence runs across two news paragraphs;
* ``briefing_quotes`` (last): entities with canonical names, direct quotes and
  reported speech, via ``extract.nlp.attribution``.

Results are stored as plain lists in ``doc.user_data`` so they survive the
pickling spaCy does between worker processes (``n_process > 1``); the
extensions decode them on access:

    nlp.add_pipe("briefing_quotes")   # found through the entry point
    doc = nlp(text)
    doc._.quotes            # tuple[Quote, ...]
    doc._.people            # tuple of canonical person names, first mention first
    doc._.briefing_entities # tuple[Entity, ...]
    doc[0:5]._.quotes       # quotes overlapping the span
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from extract.models import Entity, Quote
from extract.nlp.attribution import attribute
from extract.nlp.results import COMPONENT, PARAGRAPHS, USER_DATA_KEY, pack, unpack


class BriefingQuotes:
    """Pipeline component: attribute quotes and name entities of each doc."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        try:
            entities, quotes = attribute(doc)
            doc.user_data[USER_DATA_KEY] = pack(entities, quotes)
        except Exception as exc:  # noqa: BLE001 - one odd article must never stop a batch
            doc.user_data[USER_DATA_KEY] = {"error": f"{type(exc).__name__}: {exc}"}
        return doc


@Language.factory(COMPONENT, default_config={})
def make_briefing_quotes(nlp: Language, name: str) -> BriefingQuotes:
    return BriefingQuotes(nlp, name)


@Language.component(PARAGRAPHS)
def paragraph_sentences(doc: Doc) -> Doc:
    """Start a sentence after every line break (news paragraphs are lines)."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if not token.is_space and (
            "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text)
        ):
            token.is_sent_start = True
    return doc


def _doc_quotes(doc: Doc) -> tuple[Quote, ...]:
    return unpack(doc)[1]


def _doc_entities(doc: Doc) -> tuple[Entity, ...]:
    return unpack(doc)[0]


def _doc_people(doc: Doc) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for e in unpack(doc)[0]:
        if e.label == "PERSON":
            names.setdefault(e.canonical)
    return tuple(names)


def _span_quotes(span: Span) -> tuple[Quote, ...]:
    lo, hi = span.start_char, span.end_char
    return tuple(q for q in _doc_quotes(span.doc) if any(s < hi and e > lo for s, e in q.spans))


Doc.set_extension("quotes", getter=_doc_quotes, force=True)
Doc.set_extension("people", getter=_doc_people, force=True)
Doc.set_extension("briefing_entities", getter=_doc_entities, force=True)
Span.set_extension("quotes", getter=_span_quotes, force=True)
