"""Attribute quotes in one parsed doc: direct quotes, reported speech, speakers.

Never imports spaCy: it reads a parsed Doc. The pass, in document order:

* ``doc_index``: the quoted passages, paragraphs, sentences and cue tokens,
  listed once per doc (hostile text must cost linear time);
* ``subjects``: every subject outside quotes named, pronouns resolved from
  the earlier ones;
* ``reported``: reported speech ("X said that ...", "... according to X");
* ``direct``: the cue and speaker of each quoted passage, split quotes
  merged, quotes without a cue inheriting the speaker before them; quoted
  names, titles and headings set aside;
* ``roles``: each person's role, checked, on all of their quotes.
"""

from __future__ import annotations

from typing import Any

from extract.models import Entity, Quote
from extract.nlp.attribution.direct import Attribution, DirectQuotes, is_quotation, last_named
from extract.nlp.attribution.doc_index import DocIndex
from extract.nlp.attribution.reported import ReportedSpeech
from extract.nlp.attribution.roles import with_roles
from extract.nlp.attribution.subjects import Subjects
from extract.nlp.entities import find_people

RULES_VERSION = 5  # bump when the rules change, so stored analyses can be redone

__all__ = ["RULES_VERSION", "attribute", "is_quotation"]


def attribute(doc: Any) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    """Entities and quotes of a parsed doc."""
    people = find_people(doc)
    index = DocIndex(doc)
    subjects = Subjects(index, people)
    subjects.resolve()
    reports = ReportedSpeech(index, subjects).find()
    direct = DirectQuotes(index, subjects)
    found = direct.find()
    events = sorted(
        [Attribution(r.quote.start, r.speaker) for r in reports]
        + [Attribution(d.spans[0][0], d.speaker) for d in found],
        key=lambda e: e.pos,
    )
    named = last_named(events)
    quotes = [r.quote for r in reports]
    for d in found:
        direct.inherit(d, events, named)
        quote = direct.to_quote(d)
        if is_quotation(quote.text) or direct.reported_words(d):
            quotes.append(quote)
    quotes.sort(key=lambda q: q.start)
    return people.to_entities(doc), tuple(with_roles(quotes, people))
