"""The speakers of a doc's subjects, named once in document order.

Every subject outside quotes is named (``speakers.name_subject``); pronoun
subjects are resolved from the earlier subjects and persons, so a cue later
finds its speaker by looking its subject up.
"""

from __future__ import annotations

from typing import Any

from extract.nlp.attribution.doc_index import DocIndex
from extract.nlp.cues import ACCORDING
from extract.nlp.entities import People
from extract.nlp.names import DOCUMENT_NOUNS
from extract.nlp.speakers import (
    NOBODY,
    SUBJECTS,
    Candidate,
    Speaker,
    Titles,
    name_subject,
    resolve_description,
    resolve_pronoun,
    stands_for_person,
    subject_of,
)


class Subjects:
    """The named subjects of one doc; ``speaker_for(cue)`` answers who speaks."""

    def __init__(self, index: DocIndex, people: People) -> None:
        self.index, self.people = index, people
        self.speakers: dict[int, Speaker] = {}  # subject token -> its speaker
        self.titles = Titles(people, index.doc)

    def resolve(self) -> None:
        """Name every subject outside quotes, pronouns from earlier ones, in order.

        "according to X" objects count as subjects: they are sources too."""
        candidates: list[Candidate] = []
        issued: dict[str, Speaker] = {}  # document noun -> who last issued one
        unnamed: set[str] = set()  # "told the man": nouns for someone never named
        index = self.index
        for token in index.doc:
            if index.inside(token):
                continue
            if not (token.dep_ in SUBJECTS or _according_object(token)):
                self._add_object_person(token, candidates)
                if self._unnamed_referent(token):
                    unnamed.add(token.lower_)
                continue
            speaker = name_subject(token, self.people, self.titles)
            if speaker.resolution == "none" and speaker.mention:
                speaker = resolve_pronoun(speaker, candidates, index.sent_of(token.i).start_char)
            elif (
                speaker.resolution == "description"
                and stands_for_person(token)
                and token.lower_ not in unnamed
            ):
                speaker = resolve_description(speaker, candidates, token)
            elif (
                speaker.resolution == "description"
                and token.lower_ in issued
                and any(c.lower_ in ("the", "this") for c in token.children)
            ):
                speaker = issued[token.lower_].inherited()  # "X said in a statement ...
                # “...,” the statement said": the statement is X's
            self.speakers[token.i] = speaker
            if speaker.name is not None:
                for noun in _documents_issued(token):
                    issued[noun] = speaker
            if speaker.name is not None:
                candidates.append(Candidate(token.idx, speaker, main=_main_clause(token)))

    def _add_object_person(self, token: Any, candidates: list[Candidate]) -> None:
        """A person who is not a subject ("met Mrs Brandt"): a weaker antecedent."""
        m = self.people.at(token.i)
        if m is None or m.label != "PERSON" or token.i != self.index.doc[m.start : m.end].root.i:
            return
        speaker = Speaker(
            m.canonical,
            mention=m.text,
            resolution="explicit",
            gender=self.people.gender.get(m.canonical),
            person=True,
        )
        candidates.append(Candidate(token.idx, speaker, subject=False))

    def _unnamed_referent(self, token: Any) -> bool:
        """ "told the man to ...": a person noun with an article and no name beside
        it; a later "the man said" is that man, not the nearest named one."""
        if (
            token.lower_ not in _WHO_NOUNS
            or not stands_for_person(token)
            or self.people.at(token.i)
        ):
            return False
        near = [*token.children, token.head]
        return not any((m := self.people.at(t.i)) and m.label == "PERSON" for t in near)

    def speaker_for(self, cue: Any) -> Speaker:
        """Who speaks for a cue: its subject's speaker."""
        subject = subject_of(cue, self.index.inside)
        if subject is None:
            return NOBODY
        return self.of(subject)

    def of(self, subject: Any) -> Speaker:
        """The speaker a subject token names."""
        if subject.i in self.speakers:
            return self.speakers[subject.i]
        return name_subject(subject, self.people, self.titles)


# Nouns that say who, not what position: "the actor" after "fans greeted the actor"
# may still be the actor named before; "the man" after "told the man" is that man.
_WHO_NOUNS = frozenset("man woman boy girl gentleman lady guy".split())


def _documents_issued(subject: Any) -> list[str]:
    """ "X said in a statement": the documents the subject's verb issued."""
    verb = subject.head
    return [
        obj.lower_
        for prep in verb.children
        if prep.dep_ == "prep" and prep.lower_ == "in"
        for obj in prep.children
        if obj.dep_ == "pobj" and obj.lower_ in DOCUMENT_NOUNS
    ]


def _main_clause(subject: Any) -> bool:
    """The subject's clause is the sentence's own or coordinated with it ("X said,
    but Y disagreed"), not embedded in another's ("he believes Y is right")."""
    verb = subject.head
    for _ in range(8):
        if verb.dep_ == "ROOT" or verb.head is verb:
            return True
        if verb.dep_ != "conj":
            return False
        verb = verb.head
    return False


def _according_object(token: Any) -> bool:
    head = token.head
    return token.dep_ == "pobj" and head.lower_ == ACCORDING[1] and head.head.lower_ == ACCORDING[0]
