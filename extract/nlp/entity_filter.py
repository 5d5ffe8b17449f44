"""Junk names out, impossible labels corrected, from the article's own evidence.

The small English model tags links, contraction fragments and lowercase words
as names ("https://t.co/x", "n't", "meth" as a place), keeps the text a page
glued into a name ("Ilhan OmarIlhan Omar") and labels one string differently
from one sentence to the next (Rotterdam a person, then a place). Each rule here
reads evidence inside the article: its other mentions of the same name, an
organisation's legal suffix, a preposition of place. Works on a parsed spaCy
``Doc`` and the ``Mention``s of ``extract.nlp.entities``; never imports spaCy.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from extract.nlp.names import HONORIFICS, ORG_NOUNS

if TYPE_CHECKING:
    from extract.nlp.entities import Mention

# Labels of names (numbers, dates and amounts have no case to check).
NAME_LABELS = frozenset(
    {
        "PERSON",
        "ORG",
        "GPE",
        "LOC",
        "NORP",
        "FAC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
    }
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_URLISH = re.compile(
    r"://|\bwww\.|pic\.twitter\.|\.(?:com|org|net|co|io|gov|edu|uk)/|^@|\w@\w", re.I
)
_FRAGMENTS = frozenset("n't n’t 's ’s 're ’re 've ’ve 'll ’ll 'd ’d 'm ’m".split())
_POSSESSIVE = frozenset({"'s", "’s"})
# A name with one of these last words is an organisation, whatever the model said.
ORG_SUFFIXES = frozenset(
    """
inc inc. corp corp. corporation ltd ltd. llc plc gmbh ag s.a. n.v. co. company holdings group
university ministry agency institute foundation association committee council
productions studios pictures records
""".split()
)
# Prepositions after which a one-word "person" is a place ("dockers in Rotterdam").
# Not "from"/"at"/"to": "a letter from Smith", "looked at Smith", "said to Smith".
PLACE_PREPS = frozenset(
    "in near across around into towards toward outside inside throughout within".split()
)
# Name prefixes that are not glue ("McDonald", "MacBook", "DeLorean", "LeBron").
_PREFIXES = frozenset("mc mac de di le la van von o' d' da del".split())
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
VOTE_RATIO = 2  # a label must be this many times as common as another to overrule it
MIN_VOTES = 3  # ... and given this many times: two against one is no evidence


def clean_mentions(doc: Any, mentions: list[Mention], particles: frozenset[str]) -> list[Mention]:
    """``mentions`` trimmed of stray spaces and words, an outlet's possessive split off
    ("NPR's Feng": NPR, then Feng), junk dropped."""
    out: list[Mention] = []
    for mention in mentions:
        m = _trim(doc, mention, particles)
        if m is None:
            continue
        outlet, m = _split_outlet(doc, m)
        if outlet is not None:
            out.append(outlet)
        if not is_junk(m):
            out.append(m)
    return out


def is_junk(m: Mention) -> bool:
    """A link, a handle, a contraction fragment; for names, one of fewer than two
    letters, a lowercase "name", or a person's name with a copy of itself glued in."""
    name = m.name
    if _URLISH.search(m.text) or name.lower() in _FRAGMENTS:
        return True
    if m.label not in NAME_LABELS:  # numbers, dates, amounts: "1990s", "$5"
        return False
    if sum(c.isalpha() for c in name) < 2:
        return True
    if name == name.lower() and name != name.upper():
        return True  # cased letters and none of them capital: "meth", "lorry crash"
    return m.label == "PERSON" and _glued(name)


def _glued(name: str) -> bool:
    """ "Ilhan OmarIlhan Omar": a word made of a name word and the start of the name
    again, where a page glued a hover card's copy of the name to the link."""
    words = name.split()
    for i, word in enumerate(words):
        parts = _CAMEL.split(word)
        if len(parts) < 2 or parts[0].lower() in _PREFIXES:
            continue
        others = set(words[:i] + words[i + 1 :])
        if any(p in others for p in parts):
            return True
    return False


def _trim(doc: Any, m: Mention, particles: frozenset[str]) -> Mention | None:
    """Without spaces or line breaks at the ends ("MacBook Pro\\n\\n") and, for a person,
    without the lowercase words before the name ("older Smith")."""
    start, end = m.start, m.end
    while end > start and doc[end - 1].is_space:
        end -= 1
    while start < end and doc[start].is_space:
        start += 1
    if m.label == "PERSON":
        while end - start > 1 and _lowercase_word(doc[start].text, particles):
            start += 1
    if start >= end:
        return None
    if (start, end) == (m.start, m.end):
        return m
    text = doc[start:end].text
    dropped = doc[m.start : start].text
    name = m.name[len(dropped) :].strip() if m.name.startswith(dropped) else m.name
    name = name.strip() or text
    return replace(m, start=start, end=end, text=text, name=name, canonical=name)


def _lowercase_word(word: str, particles: frozenset[str]) -> bool:
    return word == word.lower() and word != word.upper() and word.lower() not in particles


def _split_outlet(doc: Any, m: Mention) -> tuple[Mention | None, Mention]:
    """ "NPR's Feng" is Feng of NPR: the outlet becomes an organisation mention."""
    if m.label != "PERSON":
        return None, m
    at = next((i for i in range(m.start + 1, m.end - 1) if doc[i].text in _POSSESSIVE), None)
    if at is None:
        return None, m
    person = doc[at + 1 : m.end]
    name = m.name.split(doc[at].text, 1)[-1].strip() or person.text
    outlet_text = doc[m.start : at].text
    outlet = replace(
        m,
        end=at,
        label="ORG",
        text=outlet_text,
        name=outlet_text,
        canonical=outlet_text,
        gender=None,
    )
    return (
        outlet if outlet_text[:1].isupper() else None,
        replace(m, start=at + 1, text=person.text, name=name, canonical=name),
    )


# Common nouns a place may stand in apposition to ("the port city Rotterdam").
PLACE_NOUNS = frozenset(
    """
city town village state country province region capital port island county district area
territory nation republic kingdom municipality neighbourhood neighborhood suburb borough
river lake mountain sea valley coast border enclave oblast emirate prefecture
""".split()
)


def drop_false_places(doc: Any, mentions: list[Mention]) -> list[Mention]:
    """Without the place mentions of a name the article sets beside a common noun that
    is no kind of place ("the bacteria Yersinia pestis"): it names a thing the model has
    no label for, so every place mention of that name goes."""
    false = {m.name for m in mentions if m.label in PLACE_LABELS and _beside_thing(doc, m)}
    return [m for m in mentions if not (m.label in PLACE_LABELS and m.name in false)]


def _beside_thing(doc: Any, m: Mention) -> bool:
    """Apposed to a common noun ("the bacteria Yersinia pestis"), or written right after
    "the <noun>" as the first word of a longer name (the parse of such phrases varies)."""
    root = doc[m.start : m.end].root
    before = doc[m.start - 1] if m.start >= 2 else None
    if (
        before is not None
        and doc[m.start - 2].lower_ == "the"
        and root.dep_ == "compound"
        and root.head.i >= m.end
        and _thing_noun(before)
    ):
        return True
    if root.dep_ == "compound" and root.head.i >= m.end:  # "Yersinia" of "Yersinia pestis"
        root = root.head
    return root.dep_ == "appos" and root.head.i < m.start and _thing_noun(root.head)


def _thing_noun(token: Any) -> bool:
    lemma = token.lemma_.lower()
    return (
        token.pos_ == "NOUN"
        and not token.ent_type_
        and lemma not in PLACE_NOUNS
        and lemma not in ORG_NOUNS
    )


def settle_labels(doc: Any, mentions: list[Mention], full_names: set[str]) -> None:
    """Labels the article contradicts, in place: an organisation's legal suffix, a
    "place" in apposition to "company", a one-word "person" the article puts a
    preposition of place in front of, and a minority label of a string labelled
    otherwise most of the time.

    ``full_names``: words of multi-word person names ("Michael Jordan" keeps
    "Jordan" a person)."""
    for m in mentions:
        if _org_suffixed(m) or (
            (m.label in PLACE_LABELS or (m.label == "PERSON" and m.gender is None))
            and _apposed_to_org_noun(doc, m)
        ):
            m.label = "ORG"
    _places_by_evidence(doc, mentions, full_names)
    majority_labels(mentions)


def _org_suffixed(m: Mention) -> bool:
    """ "Northwind Holdings Inc" tagged a place or a person."""
    words = m.name.split()
    return (
        m.label in PLACE_LABELS | {"PERSON", "NORP"}
        and len(words) > 1
        and words[-1].lower() in ORG_SUFFIXES
    )


def _apposed_to_org_noun(doc: Any, m: Mention) -> bool:
    """ "the company, Gazprom," or "Gazprom, the gas company,": a place or a person
    is no company."""
    root = doc[m.start : m.end].root
    near = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        near.append(root.head)
    return any(t.lemma_.lower() in ORG_NOUNS for t in near)


def _places_by_evidence(doc: Any, mentions: list[Mention], full_names: set[str]) -> None:
    """A one-word person name that never comes with a first name or an honorific,
    written at least once right after "in", "near"... or beside "city", "town"... is a
    place, in every mention."""
    by_name: dict[str, list[Mention]] = {}
    for m in mentions:
        by_name.setdefault(m.name, []).append(m)
    for name, group in by_name.items():
        people = [m for m in group if m.label == "PERSON"]
        if not people or len(name.split()) != 1 or name in full_names:
            continue
        if any(m.gender is not None or _titled(doc, m) for m in people):
            continue  # "Mr Jordan", "President Trump": a person
        if any(_after_place_preposition(doc, m) or _beside_place_noun(doc, m) for m in group):
            place = next((m.label for m in group if m.label in PLACE_LABELS), "GPE")
            for m in people:
                m.label = place


def _after_place_preposition(doc: Any, m: Mention) -> bool:
    root = doc[m.start : m.end].root  # right after it: "in a state Trump won" is no place
    return root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS and root.head.i == m.start - 1


def _titled(doc: Any, m: Mention) -> bool:
    return (
        m.start > 0
        and doc[m.start - 1].lower_.rstrip(".") in HONORIFICS
        and doc[m.start - 1].text[:1].isupper()
    )


def _beside_place_noun(doc: Any, m: Mention) -> bool:
    """ "the port city Rotterdam", "Rotterdam, a city of 650,000". A noun right before
    the name counts only when no clause hangs on the name: "in a state Trump won" is
    parsed with "state" a compound of "Trump"."""
    root = doc[m.start : m.end].root
    near = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        near.append(root.head)
    clause = any(c.dep_ in ("acl", "relcl") and c.i < m.end + 2 for c in root.children) or (
        m.end < len(doc) and doc[m.end].pos_ in ("VERB", "AUX")
    )
    if not clause:
        near += [c for c in root.children if c.dep_ == "compound" and c.i == m.start - 1]
    return any(t.pos_ == "NOUN" and t.lemma_.lower() in PLACE_NOUNS for t in near)


def majority_labels(mentions: list[Mention]) -> None:
    """A string named at least MIN_VOTES times, VOTE_RATIO times as often with one label
    as with another, keeps that label everywhere, except a person marked so by an
    honorific ("Mr Jordan")."""
    votes: dict[str, Counter] = {}
    for m in mentions:
        if m.label in NAME_LABELS:
            votes.setdefault(_vote_key(m.name), Counter())[m.label] += 1
    for m in mentions:
        counts = votes.get(_vote_key(m.name))
        if counts is None or len(counts) < 2 or (m.label == "PERSON" and m.gender is not None):
            continue
        best, n = counts.most_common(1)[0]
        if best != m.label and n >= MIN_VOTES and n >= VOTE_RATIO * counts[m.label]:
            m.label = best


def _vote_key(name: str) -> str:
    return name[4:] if name[:4].lower() == "the " else name
