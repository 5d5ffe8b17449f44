"""Who is speaking: the subject of a cue, named by the person it contains.

Rules over the dependency parse. A cue's subject ("US envoy to NATO Julianne
Smith told") is named by the PERSON entity inside it, skipping possessors
("Ryan's spokeswoman, AshLee Strong"); a subject without a person keeps its
noun phrase ("NATO diplomats"); pronouns are resolved by ``resolve_pronoun``
from earlier speakers and subjects with compatible gender evidence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from extract.models import Resolution
from extract.nlp.cues import ACCORDING
from extract.nlp.entities import FEMALE_PRONOUNS, MALE_PRONOUNS, Mention, People
from extract.nlp.names import DOCUMENT_NOUNS, GENDERED_NOUNS, HONORIFICS, HUMAN_ROLES, TITLE_NOUNS

if TYPE_CHECKING:  # spaCy's types, for annotations only: this module never imports spaCy
    from spacy.tokens import Token

SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
# A verb that lends its subject to a cue hanging off it ("Trump said, adding ...").
_CHAIN = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "prep"})
_INVERTED = frozenset({"dobj", "attr", "npadvmod", "appos", "oprd", "dep"})
_CLAUSES = frozenset({"relcl", "acl", "advcl", "punct", "cc", "conj", "prep"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
FIRST_PERSON = frozenset({"i", "we", "me", "us"})
_NOMINAL_MAX = 8  # words kept of a nominal speaker's phrase


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker as found: who, where written, and how it was decided."""

    name: str | None  # canonical person or nominal phrase
    mention: str | None = None  # as written
    start: int | None = None  # char offsets of the mention
    end: int | None = None
    role: str | None = None
    resolution: Resolution = "none"
    gender: str | None = None
    plural: bool = False
    person: bool = False  # named by a PERSON entity (not a noun phrase)

    def inherited(self) -> Speaker:
        """This speaker, carried over to a quote with no cue of its own."""
        return replace(self, mention=None, start=None, end=None, role=None, resolution="inherited")

    def unresolved(self) -> Speaker:
        """This pronoun speaker with its antecedent taken back: nobody named."""
        return Speaker(
            None,
            mention=self.mention,
            start=self.start,
            end=self.end,
            gender=self.gender,
            plural=self.plural,
        )

    def through(self, pronoun: Speaker) -> Speaker:
        """This speaker, as the antecedent ``pronoun`` refers to."""
        return replace(
            self,
            mention=pronoun.mention,
            start=pronoun.start,
            end=pronoun.end,
            role=None,
            resolution="pronoun",
        )


NOBODY = Speaker(None)


def person_speaker(m: Mention, doc: Any, people: People) -> Speaker:
    """The speaker a PERSON mention names, with the role written at this mention."""
    span = doc[m.start : m.end]
    return Speaker(
        m.canonical,
        mention=m.text,
        start=span.start_char,
        end=span.end_char,
        role=m.role,
        resolution="explicit",
        gender=people.gender.get(m.canonical),
        person=True,
    )


def subject_of(cue: Token, inside: Callable[[Token], bool] = lambda t: False) -> Token | None:
    """The token that speaks for ``cue``: its subject, borrowed or inverted.

    ``inside(token)`` tells tokens inside quote marks, which never speak: the
    parser often makes the quotation the subject of an inverted "said X"."""
    if cue.lower_ == ACCORDING[0]:
        for to in cue.children:
            for obj in to.children:
                if obj.dep_ == "pobj":
                    return obj
        nxt = cue.nbor() if cue.i + 1 < len(cue.doc) else None
        if nxt is not None:
            for obj in nxt.children:
                if obj.dep_ == "pobj":
                    return obj
        return None
    token = cue
    for _ in range(4):  # climb a short verb chain for a shared subject
        for child in token.children:
            if child.dep_ in SUBJECTS and not inside(child):
                # "Smith, who was asked ..., said": the relative stands for Smith
                if child.tag_ in ("WP", "WDT") and token.dep_ == "relcl":
                    return token.head
                return child
        if token.dep_ not in _CHAIN or token.head is token:
            break
        token = token.head
    for child in cue.rights:  # "said Michael Carpenter"
        if (
            child.dep_ in _INVERTED | SUBJECTS
            and child.pos_ in ("PROPN", "NOUN", "PRON")
            and child.i - cue.i <= 4
            and not inside(child)
            and child.ent_type_ not in ("DATE", "TIME")
        ):
            return child
    if cue.dep_ == "acl" and cue.head.pos_ in ("PROPN", "NOUN"):  # "footage of Clinton asking"
        return cue.head
    return None


class Titles:
    """The people of a doc by the words of their roles, for definite descriptions
    ("the actor"): listed once per doc, looked up by bisection."""

    def __init__(self, people: People, doc: Any) -> None:
        self.people = people
        self.by_word: dict[str, list[Mention]] = {}
        for m in people.persons():
            words = set((people.role_of(m) or "").lower().replace("-", " ").split())
            words.update(_title_words(doc, m))
            for word in words:
                self.by_word.setdefault(word, []).append(m)

    def nearest(self, word: str, i: int) -> Mention | None:
        """The person with ``word`` in their role mentioned last before token ``i``,
        else first after it."""
        found = self.by_word.get(word)
        if not found:
            return None
        k = bisect_left([m.start for m in found], i)
        return found[k - 1] if k > 0 else found[0]


def _title_words(doc: Any, m: Mention) -> set[str]:
    """Nouns set beside a person's name: "actor X", "X, the actor", "the ambassador,
    X"."""
    root = doc[m.start : m.end].root
    words = {
        c.lower_
        for c in root.children
        if c.dep_ in ("compound", "appos") and not m.start <= c.i < m.end and c.pos_ == "NOUN"
    }
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        words.add(root.head.lower_)
    return words


def name_subject(subject: Token, people: People, titles: Titles | None = None) -> Speaker:
    """Name the speaker held by a subject token and its phrase."""
    if subject.pos_ == "PRON" or subject.lower_ in MALE_PRONOUNS | FEMALE_PRONOUNS:
        return Speaker(
            None,
            mention=subject.text,
            start=subject.idx,
            end=subject.idx + len(subject.text),
            gender=_pronoun_gender(subject),
            plural=subject.lower_ in PLURAL_PRONOUNS,
        )
    person = _person_in(subject, people)
    if person is not None:
        # the role written at this mention; the person's other roles stay on the entities
        return person_speaker(person, subject.doc, people)
    known = _known_name(subject, people)
    if known is not None:
        return known
    if subject.pos_ != "PROPN":
        apposed = _apposed_name(subject, people)
        if apposed is not None:
            return apposed
    document = subject.lemma_.lower() in DOCUMENT_NOUNS
    tokens = nominal_phrase(subject, _DOCUMENT_PREPS if document else _PHRASE_PREPS)
    if not tokens:
        return NOBODY
    if subject.ent_type_ in ("PERCENT", "CARDINAL") or subject.lower_ in ("percent", "%"):
        poll = _poll_before(subject, people)  # "A new ABC News poll ... 51 percent say"
        if poll is not None:
            return poll
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = subject.doc[tokens[0].i : tokens[-1].i + 1].text  # not doc.text: O(doc) per call
    named = subject.ent_type_ in _NAMED or subject.pos_ == "PROPN"
    if not named and subject.lemma_.lower() in DOCUMENT_NOUNS:
        issuer = _issuer(subject, people)
        if issuer is not None:
            return issuer
    if not named and titles is not None:
        described = _described_person(subject, titles)
        if described is not None:
            return replace(described, mention=text, start=start, end=end)
    plural = (
        subject.tag_ in ("NNS", "NNPS")
        or subject.ent_type_ in ("ORG", "NORP")
        or _plural_verb(subject)
    )
    # a phrase naming nobody ("a spokesman", "officials") is a description
    return Speaker(
        text,
        mention=text,
        start=start,
        end=end,
        resolution="explicit" if named else "description",
        plural=plural,
        person=_unlabelled_person(subject),
    )


_NAMED = frozenset({"ORG", "GPE", "NORP", "PERSON", "FAC", "LOC"})
_ROLE_NOUNS = HUMAN_ROLES | TITLE_NOUNS
_ISSUER_PREPS = frozenset({"from", "by", "of"})


def _plural_verb(subject: Any) -> bool:
    """A proper noun with a plural verb is a group: "Big Machine have denied"."""
    verb = subject.head
    return (
        subject.tag_ == "NNP"
        and verb is not subject
        and any(t.tag_ == "VBP" for t in [verb, *(c for c in verb.children if c.dep_ == "aux")])
    )


def _closes(appos: Any, verb: Any) -> bool:
    """The apposition ends the subject phrase, between commas, right before its
    verb (the parser hangs it on the relative clause's last noun)."""
    after = [t for t in appos.doc[appos.i + 1 : verb.i] if not t.is_punct]
    if verb.i <= appos.i or any(t.head.i != appos.i for t in after):
        return False
    token = appos.head  # a relative clause's noun ("the AMAs"), not "the journal X"
    for _ in range(_NOMINAL_MAX):
        if token.dep_ == "relcl":
            return True
        if token.head is token or token.i == verb.i:
            return False
        token = token.head
    return False


def _unlabelled_person(subject: Any) -> bool:
    """A proper name the NER left out, set beside a role: "Eswar Prasad, a trade
    professor at Cornell, said" is a person a later "he" may refer to."""
    if subject.pos_ != "PROPN" or subject.ent_type_ or not subject.text[:1].isupper():
        return False
    return any(
        c.dep_ == "appos" and c.pos_ == "NOUN" and c.lower_ in _ROLE_NOUNS for c in subject.children
    )


def describes_people(noun: Any) -> bool:
    """A noun for people: a role ("doctor", "the actor") or a plural ("aides")."""
    word = noun.lower_
    return (
        (noun.tag_ == "NNS" and noun.lemma_.lower() not in DOCUMENT_NOUNS)
        or word in TITLE_NOUNS
        or word in HUMAN_ROLES
        or word in GENDERED_NOUNS
    )


_POLLS = frozenset({"poll", "survey", "study"})
_POLL_LOOKBACK = 60  # tokens looked back from a share ("51 percent") for its poll


def _poll_before(share: Any, people: People) -> Speaker | None:
    """The issuer of the poll a share of respondents answered, named shortly before
    in the paragraph."""
    doc = share.doc
    for i in range(share.i - 1, max(share.i - _POLL_LOOKBACK, 0) - 1, -1):
        token = doc[i]
        if "\n" in token.text:
            return None
        if token.lemma_.lower() in _POLLS and token.pos_ == "NOUN":
            return _issuer(token, people)
    return None


def _issuer(document: Any, people: People) -> Speaker | None:
    """Who issued a document subject: "a statement from Big Machine Records",
    "Kotak's report", "the Reuters poll"."""
    for child in document.children:
        if child.dep_ == "prep" and child.lower_ in _ISSUER_PREPS:
            targets = [c for c in child.children if c.dep_ == "pobj"]
        elif child.dep_ in ("poss", "compound", "nmod"):
            targets = [child]
        else:
            continue
        for target in targets:
            m = people.at(target.i)
            if m is not None and m.label in _NAMED:
                return _entity_speaker(m, document.doc, people)
    if document.dep_ == "dobj":  # "the agency released reports that ..."
        for subject in document.head.children:
            m = people.at(subject.i) if subject.dep_ == "nsubj" else None
            if m is not None and m.label in _NAMED:
                return _entity_speaker(m, document.doc, people)
    return None


def _entity_speaker(m: Mention, doc: Any, people: People) -> Speaker:
    """The speaker a named entity is: a person, or a group ("they")."""
    span = doc[m.start : m.end]
    return Speaker(
        m.canonical,
        mention=span.text,
        start=span.start_char,
        end=span.end_char,
        resolution="explicit",
        gender=people.gender.get(m.canonical),
        plural=m.label in ("ORG", "NORP"),
        person=m.label == "PERSON",
    )


def _apposed_name(subject: Any, people: People) -> Speaker | None:
    """A described subject with its name in apposition: "The company that runs the
    show, Dick Clark Productions, denies": the name speaks, not the description."""
    doc, verb = subject.doc, subject.head
    near = [c for c in subject.children if c.dep_ == "appos"]
    for clause in subject.children:  # only then the subtree: the common case stays cheap
        if clause.dep_ == "relcl":
            near += [t for t in clause.subtree if t.dep_ == "appos" and _closes(t, verb)]
    for child in near:
        m = people.at(child.i)
        if m is not None and m.label in _NAMED:
            return _entity_speaker(m, doc, people)
    return None


def _described_person(subject: Any, titles: Titles) -> Speaker | None:
    """The person a definite description stands for: "the actor said" after
    "actor James Van Der Beek"; "China's ambassador to Britain" and "Liu
    Xiaming, China's ambassador". The person whose role holds the noun, nearest
    before the subject, else nearest after it; nobody when none has that role."""
    noun = subject.lower_
    if subject.tag_ != "NN" or not (
        noun in TITLE_NOUNS or noun in HUMAN_ROLES or noun in GENDERED_NOUNS
    ):
        return None
    if not any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this"))
        for c in subject.children
    ):
        return None
    chosen = titles.nearest(noun, subject.i)
    if chosen is None:
        return None
    people = titles.people
    role = (people.role_of(chosen) or "").lower().replace("-", " ").split()
    if any(c.dep_ in ("amod", "compound") and c.lower_ not in role for c in subject.children):
        return None  # "the Republican nominee" is not the Democratic one
    return Speaker(
        chosen.canonical,
        resolution="inherited",
        role=people.role_of(chosen),
        gender=people.gender.get(chosen.canonical),
        person=True,
    )


def _person_in(subject: Token, people: People) -> Mention | None:
    """The first person in the subject phrase who is not a possessor."""
    skip: set[int] = set()
    for t in subject.subtree:
        if t.dep_ in ("relcl", "acl") and t.i != subject.i:
            skip.update(x.i for x in t.subtree)
    own = people.at(subject.i)
    if own is not None and own.label == "PERSON":
        return own
    modifiers = None
    for t in subject.subtree:
        m = people.at(t.i)
        if t.i in skip or m is None or m.label != "PERSON":
            continue
        root = subject.doc[m.start : m.end].root
        if root.dep_ == "poss" or any(c.dep_ == "case" for c in root.children):
            continue
        if root.dep_ in ("compound", "nmod", "amod") and not m.start <= root.head.i < m.end:
            modifiers = modifiers or m  # "Trump adviser X": only if nobody else
            continue
        return m
    return modifiers


def _known_name(subject: Token, people: People) -> Speaker | None:
    """A name the NER missed that the article uses for one person ("Jones added"
    after "Mary Jones"): a proper noun subject (or a capitalised bare singular
    noun, as the tagger takes "Price"), with its proper noun compounds,
    equal to a known person's surname or full name. Honorifics before it are
    dropped ("Mrs Jones"). Several known people of that surname: None."""
    if not (
        subject.pos_ == "PROPN"
        or (
            subject.tag_ == "NN"
            and subject.text[:1].isupper()
            and not any(c.dep_ in ("det", "poss") for c in subject.children)
        )
    ):
        return None  # "Price added" is often tagged a common noun
    left = [c for c in subject.lefts if c.dep_ == "compound"]
    if any(c.pos_ != "PROPN" or c.i + 1 != n.i for c, n in zip(left, [*left[1:], subject])):
        return None
    tokens = [*left, subject]
    for t in tokens:  # the NER may call it a place ("Schiff called"); a GPE may speak as one
        m = people.at(t.i)
        if m is not None and (m.label == "GPE" or m.start < tokens[0].i or m.end > subject.i + 1):
            return None
    while len(tokens) > 1 and tokens[0].lower_.rstrip(".") in HONORIFICS:
        tokens = tokens[1:]
    name = subject.doc[tokens[0].i : subject.i + 1].text
    canonical = people.known_person(name)
    if canonical is None:
        return None
    span = subject.doc[left[0].i if left else subject.i : subject.i + 1]
    return Speaker(
        canonical,
        mention=span.text,
        start=span.start_char,
        end=span.end_char,
        resolution="explicit",
        gender=people.gender.get(canonical),
        person=True,
    )


_PHRASE_PREPS = frozenset({"for", "of", "at", "with", "to"})
# "the description on the website": a document says where it was published
_DOCUMENT_PREPS = _PHRASE_PREPS | {"on", "in"}


def nominal_phrase(subject: Token, preps: frozenset[str] = _PHRASE_PREPS) -> list[Token]:
    """A subject's noun phrase without clauses and leading determiners."""
    tokens = [subject]
    for child in subject.lefts:
        if child.dep_ not in ("det", "poss", "punct", "predet", "cc", "preconj"):
            tokens.extend(child.subtree)
    for child in subject.rights:
        if child.dep_ == "prep" and child.lower_ in preps:
            tokens.extend(child.subtree)
            break
    tokens = sorted(set(tokens), key=lambda t: t.i)
    lo = tokens[0].i
    tokens = [t for t in tokens if t.i - lo < _NOMINAL_MAX and t.text != ","]
    while tokens and tokens[0].pos_ in ("DET", "PUNCT", "ADP"):
        tokens = tokens[1:]
    return tokens


def _pronoun_gender(token: Token) -> str | None:
    if token.lower_ in MALE_PRONOUNS:
        return "m"
    if token.lower_ in FEMALE_PRONOUNS:
        return "f"
    return None


@dataclass(frozen=True, slots=True)
class Candidate:
    """An earlier person or group a later pronoun may refer back to."""

    pos: int  # char offset, for recency
    speaker: Speaker
    subject: bool = True  # objects are taken only on matching gender evidence
    main: bool = True  # subject of a main clause, not of one embedded in another's


def resolve_pronoun(pronoun: Speaker, candidates: list[Candidate], sentence_start: int) -> Speaker:
    """The most recent compatible candidate before the pronoun's sentence.

    Compatible means: same known gender for he/she, or a named person of
    unknown gender (taken when no known match is nearer in the window; see
    ``_nearest_compatible``), a group for they. First person pronouns outside
    quotes are the writer: they stay unresolved, as do pronouns with no
    compatible candidate."""
    word = (pronoun.mention or "").lower()
    keep = Speaker(
        None,
        mention=pronoun.mention,
        start=pronoun.start,
        end=pronoun.end,
        gender=pronoun.gender,
        plural=pronoun.plural,
    )
    if word in FIRST_PERSON or word not in MALE_PRONOUNS | FEMALE_PRONOUNS | PLURAL_PRONOUNS:
        return keep
    earlier = [c for c in candidates if c.pos < (pronoun.start or sentence_start)]
    earlier = earlier[::-1][:_WINDOW]
    if word in PLURAL_PRONOUNS:
        chosen = next((c for c in earlier if c.speaker.plural), None)
    else:
        chosen = _nearest_compatible(earlier, pronoun.gender)
    if chosen is None:
        return keep
    return chosen.speaker.through(pronoun)


def stands_for_person(noun: Any) -> bool:
    """ "the actor", "the singer": a definite singular noun for one person."""
    word = noun.lower_
    return (
        noun.tag_ == "NN"
        and (word in TITLE_NOUNS or word in GENDERED_NOUNS)
        and any(c.dep_ == "det" and c.lower_ == "the" for c in noun.children)
        and not any(c.dep_ in ("amod", "compound", "prep") for c in noun.children)
    )


def resolve_description(description: Speaker, candidates: list[Candidate], noun: Any) -> Speaker:
    """The person "the actor" stands for when nobody is called an actor: the one a
    pronoun of its gender would be, among named persons."""
    earlier = [c for c in candidates if c.pos < noun.idx and c.speaker.person]
    chosen = _nearest_compatible(earlier[::-1][:_WINDOW], GENDERED_NOUNS.get(noun.lower_))
    if chosen is None:
        return description
    return replace(
        chosen.speaker,
        mention=description.mention,
        start=description.start,
        end=description.end,
        role=None,
        resolution="inherited",
    )


def _nearest_compatible(earlier: list[Candidate], gender: str | None) -> Candidate | None:
    """The antecedent of he/she among ``earlier`` (nearest first).

    The nearest subject that may be the pronoun's person: one of the same
    known gender, or a named person of unknown gender who is the subject of a
    main clause ("Shoigu said, but Wallace disagreed. ... he said": Wallace,
    though only Shoigu's gender is known). Subjects of known other gender are
    skipped. A person of unknown gender named inside another's clause ("he
    believes McConnell is right") does not displace a farther known match:
    the next "he" mostly continues the main subject. A person of matching
    gender who was an object ("met Mrs Brandt") is taken when no compatible
    subject is nearer; failing all these, the nearest unknown-gender subject."""
    singular = [c for c in earlier if not c.speaker.plural]
    known = next((c for c in singular if c.speaker.gender == gender and c.subject), None)
    unknown = [c for c in singular if c.speaker.gender is None and c.speaker.person and c.subject]
    main = next((c for c in unknown if c.main), None)
    obj = next((c for c in singular if c.speaker.gender == gender and not c.subject), None)
    subjects = [c for c in (known, main) if c is not None]
    subject = max(subjects, key=lambda c: c.pos) if subjects else None
    if obj is not None and (subject is None or (subject is main and obj.pos > subject.pos)):
        return obj
    return subject or next(iter(unknown), None)


_WINDOW = 12  # candidates looked back at: a few paragraphs of news
