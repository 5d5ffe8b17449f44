"""A speaker's role on every quote: a title, position or affiliation, found once.

The role written beside a name ("US envoy to NATO Julianne Smith") belongs to
all of that person's quotes in the article, not only to the one whose sentence
names it. What the role finder picks up is checked first: a role is headed by
a word for a position ("envoy", "professor", "spokesman", a word ending like
"analyst" or "director"), so "little mention", "closeness", "photograph" or
"Nobel Prize in 2004" are no roles.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.models import Quote
from extract.nlp.entities import People
from extract.nlp.names import DOCUMENT_NOUNS, GENDERED_NOUNS, HONORIFICS, HUMAN_ROLES, TITLE_NOUNS

_POSITIONS = frozenset(
    """
administrator attorney insider ceo cfo coo cto cio officer scholar executive fellow
author co-author superior deportee commissioner member chair head lawyer founder
co-founder vice deputy assistant associate strategist commander spokesperson judge
economist adviser advisor aide staffer intern principal dean provost rector cardinal
bishop rabbi imam priest pastor sheriff marshal constable sergeant lieutenant colonel
major admiral general captain analyst correspondent columnist editor publisher
""".split()
)
# "man" or "girl" says who, not what position: "the man" is no role
_KNOWN = (
    HUMAN_ROLES | TITLE_NOUNS | _POSITIONS | GENDERED_NOUNS.keys() | HONORIFICS.keys()
) - frozenset("man woman boy girl gentleman lady guy first".split())
_AGENT_ENDINGS = ("ist", "er", "or", "ian", "ant", "eer", "man", "woman", "person")
_HEAD_END = re.compile(r"\s(?:of|at|for|in|with|to|on|from)\s")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def is_role(role: str | None) -> bool:
    """A title, position or affiliation, judged by its words."""
    if not role:
        return False
    words = [w.lower() for w in _WORD.findall(role)]
    if not words or any(w.endswith("year-old") for w in words):
        return False
    if any(w in _KNOWN or w.rstrip("s") in _KNOWN for w in words):
        return True
    head = _WORD.findall(_HEAD_END.split(f" {role} ", maxsplit=1)[0])
    last = head[-1].lower() if head else ""
    return len(last) > 4 and last.endswith(_AGENT_ENDINGS) and last not in DOCUMENT_NOUNS


def with_roles(quotes: list[Quote], people: People) -> list[Quote]:
    """Each person's quotes carry the role they have anywhere in the article."""
    roles: dict[str, str] = {}
    persons = set()
    for m in people.persons():
        persons.add(m.canonical)
        if m.role and m.canonical not in roles and is_role(m.role):
            roles[m.canonical] = m.role
    out = []
    for q in quotes:
        if q.speaker not in persons:
            out.append(q)
            continue
        role = q.role if is_role(q.role) else roles.get(q.speaker)
        out.append(q if role == q.role else replace(q, role=role))
    return out
