"""Named entities of one article, with one canonical name per person.

"Grushko" and "Mr Grushko" become "Alexander Grushko" when the article
introduced him so; honorifics are stripped for naming and kept as gender
evidence; roles ("US envoy to NATO") are read from the words around a name.
Works on a parsed spaCy ``Doc`` but never imports spaCy itself.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.models import Entity
from extract.nlp.entity_filter import clean_mentions, drop_false_places, settle_labels
from extract.nlp.names import (
    GENDERED_NOUNS,
    HONORIFICS,
    HUMAN_ROLES,
    LOCATIVE_PREPS,
    NAME_SUFFIXES,
    ORG_NOUNS,
    first_name_gender,
)

if TYPE_CHECKING:  # spaCy's types, for annotations only: this module never imports spaCy
    from spacy.tokens import Doc, Span, Token

# Honorifics that mark a person and sit outside the name ("Mr Grushko").
PERSONAL = frozenset("mr mrs ms miss mme dr prof sir dame mister madame".split())
# Labels a "Mr X" or a known surname may wrongly carry; places stay places.
_RELABEL = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "FAC", "EVENT", "LAW", "GPE"})
_PARTICLES = frozenset("de van von der den da di du del la le al bin ben el st.".split())
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})
_ROLE_POS = frozenset({"PROPN", "NOUN", "ADJ"})
_ROLE_ADP = frozenset({"of", "to", "for", "at", "on"})
_TRIM = frozenset({"DET", "ADP", "CCONJ", "PUNCT", "PRON", "PART", "SPACE"})
MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})


@dataclass(slots=True)
class Mention:
    """One entity mention, tokens [start, end) of the doc."""

    start: int
    end: int
    label: str
    text: str  # as written, honorific included
    name: str  # honorifics, titles and possessive stripped
    canonical: str = ""
    role: str | None = None
    gender: str | None = None  # from an honorific on this mention


@dataclass(slots=True)
class People:
    """Entity mentions of one doc and what is known about each person."""

    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, Mention] = field(default_factory=dict)
    gender: dict[str, str] = field(default_factory=dict)  # canonical -> "m" | "f"
    roles: dict[str, str] = field(default_factory=dict)  # canonical -> first role found
    names: dict[str, set[str]] = field(default_factory=dict)  # surname or full name -> canonicals

    def at(self, i: int) -> Mention | None:
        return self.by_token.get(i)

    def known_person(self, name: str) -> str | None:
        """The canonical name of the one person this article calls ``name`` in full
        or by surname; None when nobody or several people ("Jones" with two
        Joneses) answer to it."""
        found = self.names.get(name)
        return next(iter(found)) if found is not None and len(found) == 1 else None

    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.label == "PERSON"]

    def role_of(self, mention: Mention) -> str | None:
        return mention.role or self.roles.get(mention.canonical)

    def to_entities(self, doc: Doc) -> tuple[Entity, ...]:
        out = []
        for m in self.mentions:
            span = doc[m.start : m.end]
            out.append(
                Entity(
                    m.label,
                    m.text,
                    m.canonical,
                    span.start_char,
                    span.end_char,
                    self.role_of(m) if m.label == "PERSON" else None,
                )
            )
        return tuple(out)


def find_people(doc: Doc) -> People:
    """Mentions of every NER entity in ``doc``, persons named canonically."""
    people = People()
    for ent in doc.ents:
        mention = _mention(doc, ent)
        if mention is not None:
            people.mentions.append(mention)
    people.mentions = clean_mentions(doc, people.mentions, _PARTICLES)
    _relabel_people(doc, people)
    _demote_non_people(doc, people)
    settle_labels(
        doc,
        people.mentions,
        {w for m in people.persons() if len(m.name.split()) > 1 for w in m.name.split()},
    )
    people.mentions = drop_false_places(doc, people.mentions)
    _name_people(people)
    for m in people.persons():
        m.role = _role(doc, m)
        if m.role and m.canonical not in people.roles:
            people.roles[m.canonical] = m.role
    for m in people.mentions:
        for i in range(m.start, m.end):
            people.by_token[i] = m
    people.gender = _genders(doc, people)
    for m in people.persons():
        words = m.canonical.split()
        for key in {m.canonical, m.name, words[-1]}:
            people.names.setdefault(key, set()).add(m.canonical)
    return people


def _mention(doc: Doc, ent: Span) -> Mention | None:
    start, end, label = ent.start, ent.end, ent.label_
    honorific_gender = None
    # a personal honorific just before the entity belongs to the mention
    if (
        start > 0
        and doc[start - 1].lower_.rstrip(".") in PERSONAL
        and doc[start - 1].text[:1].isupper()
    ):
        start -= 1
    tokens = list(doc[start:end])
    name_tokens = list(tokens)
    while (
        len(name_tokens) > 1
        and name_tokens[0].lower_.rstrip(".") in HONORIFICS
        and name_tokens[0].text[:1].isupper()
    ):
        key = name_tokens.pop(0).lower_.rstrip(".")
        if key in PERSONAL:
            label = "PERSON"  # "Mr Grushko" is a person whatever the model said
        honorific_gender = honorific_gender or HONORIFICS[key]
    while len(name_tokens) > 1 and (
        name_tokens[-1].text in _POSSESSIVE or name_tokens[-1].lower_ in NAME_SUFFIXES
    ):
        name_tokens.pop()
    if label == "PERSON":
        while len(name_tokens) > 1 and not name_tokens[-1].text[:1].isalpha():
            name_tokens.pop()
    name = _join(name_tokens)
    text = doc[start:end].text
    if label == "PERSON" and not any(c.isalpha() for c in name):
        return None
    return Mention(start, end, label, text, name, name, None, honorific_gender)


def _join(tokens: list[Token]) -> str:
    out = ""
    for t in tokens:
        out += t.text + (t.whitespace_ if t is not tokens[-1] else "")
    return out.strip()


def _name_people(people: People) -> None:
    """Give each person mention the fullest name the article uses for them.

    The full names are indexed once (by first and last word, by the ends they
    could be the longer form of, by surname and by first name): comparing every
    mention with every full name was quadratic in the number of names."""
    full = _FullNames([m for m in people.persons() if len(m.name.split()) > 1])
    for m in people.mentions:
        if m.label != "PERSON":
            m.canonical = _strip_the(m.name)
            continue
        words = m.name.split()
        if len(words) > 1:
            tail = next(
                (f for f in full.ending.get(m.name.lower(), ()) if len(f.name) > len(m.name)), None
            )
            same = full.same.get((words[0], words[-1]))
            m.canonical = tail.name if tail else same.name if same else m.name
            continue
        m.canonical = _expand(m, words[0], full) or m.name


class _FullNames:
    """Multi-word person mentions, in order, looked up by their words."""

    def __init__(self, full: list[Mention]) -> None:
        self.same: dict[tuple[str, str], Mention] = {}  # (first, last word) -> first one
        self.ending: dict[str, list[Mention]] = {}  # "x y" -> those named "... x y"
        self.by_word: tuple[dict[str, list[Mention]], dict[str, list[Mention]]] = ({}, {})
        for f in full:
            words = f.name.split()
            self.same.setdefault((words[0], words[-1]), f)
            lower = f.name.lower()
            at = lower.find(" ")
            while at >= 0:
                self.ending.setdefault(lower[at + 1 :], []).append(f)
                at = lower.find(" ", at + 1)
            self.by_word[0].setdefault(words[-1], []).append(f)
            self.by_word[1].setdefault(words[0], []).append(f)


def _expand(m: Mention, word: str, full: _FullNames) -> str | None:
    """The full name a one-word mention stands for: the nearest earlier match."""
    for by_word in full.by_word:  # surname first, then a first name
        matches = by_word.get(word)
        if matches and m.gender is not None:  # "Mr. Obama" is not Michelle Obama
            matches = [f for f in matches if _gender_of(f) in (None, m.gender)]
            if not matches:
                return None
        if matches:
            chosen = _last_before(matches, m.start) or matches[0]
            return chosen.canonical or chosen.name
    return None


def _gender_of(full: Mention) -> str | None:
    """A full name's gender by its honorific, else its first name."""
    return full.gender or first_name_gender(full.name.split()[0])


def _last_before(mentions: list[Mention], start: int) -> Mention | None:
    """The last of ``mentions`` that starts before ``start``: mentions follow the
    entities in article order, so their starts increase."""
    k = bisect_left(mentions, start, key=lambda f: f.start)
    return mentions[k - 1] if k else None


def _strip_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def _relabel_people(doc: Doc, people: People) -> None:
    """Persons the model tagged otherwise: "Mr X", a known surname, a first name
    ("Nadia Petrova"), or a name set beside a person's role ("Ana Lima, an economist")."""
    surnames = {m.name.split()[-1] for m in people.persons()}
    for m in people.mentions:
        if m.label not in _RELABEL or not _name_shaped(m.name):
            continue
        words = m.name.split()
        by_surname = words[-1] in surnames and m.label != "GPE"
        by_first = len(words) > 1 and first_name_gender(words[0]) is not None
        if by_surname or by_first or _beside_human_role(doc, m):
            m.label = "PERSON"
            _extend_left(doc, m)
            surnames.add(m.name.split()[-1])


def _demote_non_people(doc: Doc, people: People) -> None:
    """PERSON tags the context contradicts: "Gavi, the Vaccine Alliance", "around
    Svalbard", "the Davos Agenda meeting" -- unless the name is also used for a
    person elsewhere in the article (with an honorific or as a full name)."""
    surnames = Counter(m.name.split()[-1] for m in people.persons())
    for m in people.persons():
        if m.gender is not None:
            continue
        root = doc[m.start : m.end].root
        appos = [c for c in root.children if c.dep_ == "appos" and c.i >= m.end]
        single = len(m.name.split()) == 1 and surnames[m.name] == 1
        if any(c.lemma_.lower() in ORG_NOUNS for c in appos):
            m.label = "ORG"
        elif single and root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
            m.label = "LOC"
        elif (
            single
            and root.dep_ == "compound"
            and root.head.pos_ == "NOUN"
            and any(
                c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < m.start for c in root.children
            )
        ):
            m.label = "ORG"


def _name_shaped(name: str) -> bool:
    words = name.split()
    return (
        1 <= len(words) <= 4
        and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words)
        and words[0][:1].isupper()
    )


def _beside_human_role(doc: Doc, m: Mention) -> bool:
    root = doc[m.start : m.end].root
    near = [c for c in root.children if c.dep_ == "appos" and c.i >= m.end]
    if root.dep_ == "appos" and root.head.i < m.start:
        near.append(root.head)
    near += [c for c in root.children if c.dep_ == "compound" and c.i < m.start]
    return any(t.lemma_.lower() in HUMAN_ROLES or t.lower_ in HUMAN_ROLES for t in near)


def _extend_left(doc: Doc, m: Mention) -> None:
    """Take in a first name the model left out ("Ana" of "Ana Lima")."""
    i = m.start - 1
    if (
        i >= 0
        and doc[i].pos_ == "PROPN"
        and doc[i].text[:1].isupper()
        and not doc[i].ent_type_
        and doc[i].lower_.rstrip(".") not in HONORIFICS
        and doc[i].head.i in range(m.start, m.end)
    ):
        m.start = i
        m.name = f"{doc[i].text} {m.name}"
        m.text = doc[m.start : m.end].text


def _role(doc: Doc, m: Mention) -> str | None:
    return _role_before(doc, m) or _role_apposition(doc, m)


def _name_start(doc: Doc, m: Mention) -> int:
    i = m.start
    while i < m.end - 1 and doc[i].lower_.rstrip(".") in PERSONAL:
        i += 1
    return i


def _role_before(doc: Doc, m: Mention) -> str | None:
    """Title words right before the name that attach to it ("US envoy to NATO")."""
    end = m.end
    first = _name_start(doc, m)
    # titles inside the entity ("President Obama") are part of the role
    inner = first
    while inner < end - 1 and doc[inner].lower_.rstrip(".") in HONORIFICS:
        inner += 1
    best = inner
    i, floor = m.start - 1, _sentence_floor(doc, m.start, 10)
    while i >= floor:
        t = doc[i]
        ok = t.pos_ in _ROLE_POS or t.lower_ in _ROLE_ADP or t.text in ("-", "the")
        if not ok or (t.ent_type_ == "PERSON") or t.lower_ in _POSSESSIVE:
            break
        if _is_apposed_to(doc, t, m):  # "his colleague Deputy Minister X": stop at colleague
            break
        if _connected(doc, i, end):
            best = i
        i -= 1
    lo = best if best < m.start else first
    tokens = [doc[k] for k in range(lo, inner) if doc[k].lower_.rstrip(".") not in PERSONAL]
    return _clean_role(tokens)


def _sentence_floor(doc: Doc, i: int, back: int) -> int:
    """max(start of token i's sentence, i - back), looking back ``back`` tokens at
    most: ``Token.sent`` walks the whole sentence, so per mention it is quadratic
    in one long sentence (nested reported speech, thousands of names)."""
    floor = max(i - back, 0)
    if not doc.has_annotation("SENT_START"):
        return max(doc[i].sent.start, floor)  # raises as before
    return next((k for k in range(i, floor, -1) if doc[k].is_sent_start), floor)


def _is_apposed_to(doc: Doc, token: Token, m: Mention) -> bool:
    root = doc[m.start : m.end].root
    return root.dep_ == "appos" and root.head.i == token.i


def _connected(doc: Doc, start: int, end: int) -> bool:
    """True when tokens [start, end) hang together: one of them heads the rest."""
    outside = 0
    for k in range(start, end):
        h = doc[k].head.i
        if h < start or h >= end or h == k:
            outside += 1
            if outside > 1:
                return False
    return True


def _role_apposition(doc: Doc, m: Mention) -> str | None:
    """ "Carpenter, US ambassador to the OSCE" or "US ambassador to the OSCE, Carpenter"."""
    root = doc[m.start : m.end].root
    for child in root.children:
        if child.dep_ == "appos" and child.i >= m.end and child.ent_type_ != "PERSON":
            return _clean_role(_phrase(child, exclude=None))
    head = root.head
    if (
        root.dep_ == "appos"
        and head.i < m.start
        and head.pos_ in ("NOUN", "PROPN")
        and head.ent_type_ != "PERSON"
    ):
        return _clean_role([t for t in _phrase(head, exclude=root) if t.i < m.start])
    return None


def _phrase(token: Token, exclude: Token | None) -> list[Token]:
    """A noun phrase without its clauses, cut at the first comma."""
    skip: set[int] = set()
    for child in token.children:
        if child.dep_ in ("relcl", "acl", "appos", "advcl") or child is exclude:
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in token.subtree if t.i not in skip]
    out: list[Token] = []
    for t in tokens:
        if t.text == "," and t.i > token.i:
            break
        if t.text == "," and t.i < token.i:
            out = []
            continue
        out.append(t)
    return out


def _clean_role(tokens: list[Token]) -> str | None:
    while tokens and (tokens[0].pos_ in _TRIM or tokens[0].lower_ in _POSSESSIVE):
        tokens = tokens[1:]
    while tokens and tokens[-1].pos_ in _TRIM:
        tokens = tokens[:-1]
    if not tokens or not any(t.pos_ in ("NOUN", "PROPN") for t in tokens):
        return None
    return _join(tokens)


def _genders(doc: Doc, people: People) -> dict[str, str]:
    """Gender evidence per canonical: honorific > gendered noun > first name > pronouns."""
    strong: dict[str, str] = {}
    for m in people.persons():
        if m.gender:
            strong.setdefault(m.canonical, m.gender)
        for word in (m.role or "").lower().split():
            if word in GENDERED_NOUNS:
                strong.setdefault(m.canonical, GENDERED_NOUNS[word])
        said = _copula_gender(doc[m.start : m.end].root)
        if said:
            strong.setdefault(m.canonical, said)
    votes = _pronoun_votes(doc, people)
    out = {}
    for m in people.persons():
        c = m.canonical
        if c in out:
            continue
        # a common first name outweighs pronoun votes, which a nearby person can skew
        g = strong.get(c) or first_name_gender(c.split()[0])
        if g is None and votes.get(c):
            g = votes[c].most_common(1)[0][0]
        if g:
            out[c] = g
    return out


def _copula_gender(root: Token) -> str | None:
    """ "Omar is one of the first two Muslim women", "Lee is a mother of three": a
    person said to be a gendered noun."""
    verb = root.head
    if root.dep_ != "nsubj" or verb.lemma_ != "be":
        return None
    for attr in verb.children:
        if attr.dep_ != "attr":
            continue
        nouns = [attr, *(o for p in attr.children if p.lower_ == "of" for o in p.children)]
        for noun in nouns:
            gender = GENDERED_NOUNS.get(noun.lemma_.lower())
            if gender:
                return gender
    return None


def _pronoun_votes(doc: Doc, people: People) -> dict[str, Counter]:
    """He/she after exactly one person in a sentence most likely refers to them."""
    votes: dict[str, Counter] = {}
    previous: set[str] = set()
    for sent in doc.sents:
        seen: list[str] = []
        for t in sent:
            m = people.by_token.get(t.i) if people.by_token else None
            if m is not None and m.label == "PERSON" and m.canonical not in seen:
                seen.append(m.canonical)
            g = "m" if t.lower_ in MALE_PRONOUNS else "f" if t.lower_ in FEMALE_PRONOUNS else None
            # objects ("scolded him") usually refer to someone else: count subjects and possessors
            if g is None or t.dep_ not in ("nsubj", "nsubjpass", "poss"):
                continue
            pool = set(seen) if seen else previous
            if len(pool) == 1:
                votes.setdefault(next(iter(pool)), Counter())[g] += 1
        previous = set(seen)
    return votes
