"""The linking decision: which person a name in an article is, and why.

Pure: the store hands in the candidates (people who share a surname or a name with the
mention) and writes down the decision. Every link carries its reason in words, so the
analyst can see why "Trump" in one article became Donald Trump.

Rules, in order, for a full name: the same name seen before; the same surname (spelling
variants folded) with a given name that agrees (equal or a short form); a person known only
by this surname. For a surname alone: the full name in the same article; the only person of
that surname in the briefing around the article's date (or one who has nearly all its
mentions); else a person known only by the surname. People who share a surname are never
joined on the surname alone when both are known by given names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

from extract.people.names import PersonName
from extract.people.variants import plain, same_given
from extract.people.words import given_name_gender

Kind = Literal["person", "org"]
WINDOW_DAYS = 30  # "the briefing around that date": this many days either side
DOMINANCE = 5  # a surname is one person's when they have this many times the next one's mentions


@dataclass(frozen=True, slots=True)
class Mention:
    """One name in one article, as the analysis stored it."""

    text: str
    kind: Kind
    name: PersonName | None = None  # set for people
    gender: str | None = None  # "m"/"f" when written with an honorific ("Mr. Obama")
    key: str = field(default="", compare=False)  # the alias key, filled in from the name

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", self.name.key if self.name else org_key(self.text))


@dataclass(slots=True)
class Candidate:
    """A person of the registry that a mention may be."""

    person_id: int
    name: str
    kind: Kind
    keys: set[str] = field(default_factory=set)  # alias keys ("donald trump", "trump")
    givens: set[str] = field(default_factory=set)  # given names seen with this surname
    surname_keys: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)  # alias keys the analyst split off
    first_seen: str | None = None
    last_seen: str | None = None
    mentions: int = 0

    @property
    def surname_only(self) -> bool:
        return not self.givens


@dataclass(frozen=True, slots=True)
class Link:
    """The decision: an existing person, or None for a new one; and why."""

    person_id: int | None
    why: str


@lru_cache(maxsize=8192)  # names repeat across articles
def org_key(text: str) -> str:
    """The alias key of an organisation: its name spelled plainly."""
    return " ".join(plain(text).split())


def decide(
    mention: Mention,
    candidates: Sequence[Candidate],
    in_article: Mapping[str, int],
    published: str | None,
) -> Link:
    """Link one mention. ``in_article`` maps the keys of full names already linked in this
    article to their person (so "Trump" follows "Donald Trump" of the same article)."""
    usable = [c for c in candidates if c.kind == mention.kind and mention.key not in c.blocked]
    if mention.kind == "org" or mention.name is None:
        same = [c for c in usable if mention.key in c.keys]
        if not same:
            return Link(None, "first seen")
        best = _most_mentioned(same)
        return Link(best.person_id, f"same name as {_q(best.name)}")
    if mention.name.surname_only:
        return _surname_alone(
            mention.name, _same_gender(usable, mention.gender), in_article, published
        )
    return _full_name(mention.name, usable)


def _full_name(name: PersonName, usable: Sequence[Candidate]) -> Link:
    same = [c for c in usable if name.key in c.keys]
    if same:
        best = _most_mentioned(same)
        return Link(best.person_id, f"same name as {_q(best.name)}")
    family = [c for c in usable if name.surname_key in c.surname_keys]
    # Any given word may be the one that agrees: "Crooked Hillary Clinton" is Hillary.
    words = (name.given, *name.others)
    agreeing = [c for c in family if any(same_given(w, g) for w in words for g in c.givens)]
    if agreeing:
        exact = [c for c in agreeing if name.given in c.givens]
        best = _most_mentioned(exact or agreeing)
        return Link(best.person_id, _variant_reason(name, best))
    named = [c for c in family if not c.surname_only]
    bare = [c for c in family if c.surname_only]
    if bare and not named:
        return Link(
            bare[0].person_id,
            f"full name of {_q(bare[0].name)}, known until now by the surname alone",
        )
    return Link(None, "first seen")


def _surname_alone(
    name: PersonName,
    usable: Sequence[Candidate],
    in_article: Mapping[str, int],
    published: str | None,
) -> Link:
    family = [c for c in usable if name.surname_key in c.surname_keys]
    named = [c for c in family if not c.surname_only]
    here = {pid for key, pid in in_article.items() if any(c.person_id == pid for c in named)}
    if len(here) == 1:
        person = next(c for c in named if c.person_id in here)
        return Link(person.person_id, f"surname of {_q(person.name)}, named in the same article")
    pool = [c for c in named if c.person_id in here] if here else named
    near = [c for c in pool if _near(c, published)]
    if len(near) == 1:
        return Link(
            near[0].person_id,
            f"the only {_q(name.surname.title())} in the briefing "
            f"within {WINDOW_DAYS} days of {(published or '?')[:10]}",
        )
    if not near and len(pool) == 1:
        return Link(pool[0].person_id, f"the only {_q(name.surname.title())} in the briefing")
    ranked = sorted(near or pool, key=lambda c: c.mentions, reverse=True)
    if len(ranked) >= 2 and ranked[0].mentions >= DOMINANCE * max(ranked[1].mentions, 1):
        return Link(
            ranked[0].person_id,
            f"{_q(name.surname.title())} is {_q(ranked[0].name)} in "
            f"{ranked[0].mentions} of {sum(c.mentions for c in ranked)} mentions",
        )
    bare = [c for c in family if c.surname_only]
    if bare:
        why = "same surname, no given name" + (
            f" (ambiguous: {', '.join(_q(c.name) for c in ranked[:4])})" if ranked else ""
        )
        return Link(bare[0].person_id, why)
    if ranked:
        return Link(None, "ambiguous surname: " + ", ".join(_q(c.name) for c in ranked[:4]))
    return Link(None, "first seen")


def _same_gender(cs: Sequence[Candidate], gender: str | None) -> list[Candidate]:
    """ "Mr. Obama" is not Michelle Obama: drop people whose given names say otherwise."""
    if gender is None:
        return list(cs)
    return [
        c
        for c in cs
        if not c.givens or any(given_name_gender(g) in (None, gender) for g in c.givens)
    ]


def _near(c: Candidate, published: str | None) -> bool:
    day = _day(published)
    first, last = _day(c.first_seen), _day(c.last_seen)
    if day is None or first is None or last is None:
        return False
    window = timedelta(days=WINDOW_DAYS)
    return first - window <= day <= last + window


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _variant_reason(name: PersonName, c: Candidate) -> str:
    if name.given in c.givens and name.surname_key in c.surname_keys:
        if name.key in c.keys:
            return f"same name as {_q(c.name)}"
        return f"spelling variant of {_q(c.name)} (same given name, surname spelled alike)"
    return f"short form of the given name of {_q(c.name)} (same surname)"


def _most_mentioned(cs: Sequence[Candidate]) -> Candidate:
    return max(cs, key=lambda c: (c.mentions, -c.person_id))


def _q(text: str) -> str:
    return f"'{text}'"
