"""Direct quotes: the cue and speaker of each quoted passage.

1. quoted passages by typed pairing (``quote_spans``, listed by ``DocIndex``);
2. for each, a cue (speech verb or "according to") in its paragraph outside
   the quote: after it in its sentence, before it in its sentence, or a colon
   lead-in sentence just before it; split quotes share one cue; failing a cue,
   a dash signature closing the paragraph (“...” ― Pamela Padilla);
3. the cue's subject names the speaker (``Subjects``); a quote with no cue
   inherits the speaker of the attribution before it in its paragraph or the
   previous one.

Each quote looks its zones up by bisection in the per-doc lists
(``_zones``, ``_find_cue``, ``inherit``) instead of walking its sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from extract.models import Quote
from extract.nlp.attribution.doc_index import DocIndex
from extract.nlp.attribution.quote import make_quote, trim
from extract.nlp.attribution.subjects import Subjects
from extract.nlp.cues import NAMING_NOUNS, NAMING_PARTICIPLES
from extract.nlp.quote_spans import QuoteRun
from extract.nlp.speakers import NOBODY, SUBJECTS, Speaker, describes_people, person_speaker

_SIGNATURE = re.compile(r"[\s,.]*[”\"»]?[\s,.]*([―—–]|--?)\s*([^\n]+)$")
_SIGNATURE_WORDS = 8
_SIGNATURE_CHARS = 300  # a dash and up to 8 words: a longer paragraph rest is no signature
_NEXT_SENTENCE_PENALTY = 10_000  # a cue in a later sentence loses to one in the quote's own
_SPLIT_GAP_WORDS = 10  # words allowed between two parts of a split quote
_HE_SHE = {"he": "m", "she": "f"}
_CLAUSE_CLIMB = 4  # heads climbed from a quote to the verb of its clause
_SMALL_WORDS = frozenset("a an and the of in on at to for with by or vs".split())


@dataclass(slots=True)
class DirectQuote:
    """A quoted passage being attributed: its spans (more than one when split)."""

    run: QuoteRun
    spans: list[tuple[int, int]]
    cue: Any | None  # token
    speaker: Speaker
    colon_subject: Any | None = None  # subject of a colon lead-in without a cue


@dataclass(frozen=True, slots=True)
class _Zones:
    """Token ranges [lo, hi) whose tokens outside quotes may hold the cue."""

    before: tuple[int, int]
    after: tuple[int, int]
    colon: int | None  # the colon lead-in sentence's number, when it is the before zone


@dataclass(frozen=True, slots=True)
class Attribution:
    """Where a speaker was decided: the char offset of the quote or report."""

    pos: int
    speaker: Speaker


class DirectQuotes:
    """Finds the cue and speaker of each quoted passage of one doc."""

    def __init__(self, index: DocIndex, subjects: Subjects) -> None:
        self.index, self.subjects = index, subjects
        self._colons: dict[int, Any | None] = {}  # colon sentence -> its subject
        self._vetoed: set[int] = set()  # quotes whose pronoun was not the person resolved

    def find(self) -> list[DirectQuote]:
        """Every quoted passage with its cue and speaker, split quotes merged."""
        if not self.index.runs:
            return []
        self.index.index_tokens()
        found = [self._direct(r) for r in self.index.runs]
        found = [d for d in found if not names_a_thing(self.index, d)]
        for prev, d in pairwise(found):
            self._continue_speaker(prev, d)
        return self._merge_split(found)

    def _continue_speaker(self, prev: DirectQuote, d: DirectQuote) -> None:
        """“A,” Smith said. “B,” she said: a he/she cue just after a person's quote,
        in the same paragraph or the next, is that person when the gender allows,
        not whoever else was named in between."""
        pronoun = (d.speaker.mention or "").lower()
        if (
            d.cue is None
            or d.speaker.resolution not in ("pronoun", "none")
            or pronoun not in _HE_SHE
            or not prev.speaker.person
        ):
            return
        if self.index.para_of(d.spans[0][0]) - self.index.para_of(prev.spans[-1][1]) > 1:
            return
        gender = _HE_SHE[pronoun]
        if prev.speaker.gender not in (None, gender) or self._other_subject(prev, d):
            return
        if self._talks_about(d.spans, prev.speaker):
            return
        d.speaker = prev.speaker.through(d.speaker)

    def _talks_about(self, spans: Sequence[tuple[int, int]], speaker: Speaker) -> bool:
        """The quote names the person in the third person by their full name (“it
        was easy for Mary Lund to ...”): a pronoun's antecedent is someone else."""
        name = speaker.name or ""
        if not speaker.person or len(name.split()) < 2:
            return False
        return any(name in self.index.text[s:e] for s, e in spans)

    def _other_subject(self, prev: DirectQuote, d: DirectQuote) -> bool:
        """Another person is the subject of a clause between the two quotes ("but
        Wallace disagreed"): the pronoun may be theirs, as resolved."""
        doc, speakers = self.index.doc, self.subjects.speakers
        lo = self.index.token_at(prev.spans[-1][1]).i
        hi = (
            self.index.token_at(d.spans[0][0]).i
            if d.cue is None or d.cue.idx < d.spans[0][0]
            else d.cue.i
        )
        for i in range(lo, hi):
            s = speakers.get(i)
            if (
                s is not None
                and s.person
                and s.resolution == "explicit"
                and s.name != prev.speaker.name
                and not self.index.inside(doc[i])
            ):
                return True
        return False

    def _direct(self, run: QuoteRun) -> DirectQuote:
        cue, colon_subject = self._find_cue(run)
        if cue is not None and self._cue_of_other_clause(run, cue):
            cue = None  # "X rejected it as “false”, and analysts told Y": X's words
        speaker = self.subjects.speaker_for(cue) if cue is not None else NOBODY
        if speaker.resolution == "pronoun" and self._talks_about(run.spans, speaker):
            speaker = speaker.unresolved()
            self._vetoed.add(run.spans[0][0])
        if cue is None:
            cue, speaker = self._dash_signature(run)
        if cue is None and colon_subject is not None:
            speaker = self.subjects.of(colon_subject)
        elif cue is None:
            speaker = self._clause_subject(run)
        return DirectQuote(run, list(run.spans), cue, speaker, colon_subject)

    def _quote_verb(self, run: QuoteRun) -> Any | None:
        """The verb of the clause a quote is woven into: the first verb outside the
        quote among its first token's heads, in the quote's sentence."""
        index = self.index
        first = index.token_at(run.start)
        token = first
        for _ in range(_CLAUSE_CLIMB):
            if token.head is token:
                return None
            token = token.head
            if not index.inside(token) and token.pos_ in ("VERB", "AUX"):
                same = index.sent_no(token.i) == index.sent_no(first.i)
                return token if same else None
        return None

    def _cue_of_other_clause(self, run: QuoteRun, cue: Any) -> bool:
        """The cue heads a clause coordinated with the quote's own, and has a
        subject of its own: "The Pentagon rejected the claims as “false”, and
        analysts told reporters ...": the analysts' cue is not the Pentagon's."""
        verb = self._quote_verb(run)
        if verb is None or verb.i == cue.i or cue not in verb.conjuncts:
            return False
        inside = self.index.inside
        own = any(c.dep_ in SUBJECTS and not inside(c) for c in cue.children)
        theirs = any(c.dep_ in SUBJECTS and not inside(c) for c in verb.children)
        return own and theirs

    def _clause_subject(self, run: QuoteRun) -> Speaker:
        """A quote woven into a clause with no speech verb takes the clause's
        subject when it names someone: "Trump attacked “the hateful ideology”",
        "aides called it “an articulated lorry crash”"."""
        index = self.index
        token = self._quote_verb(run)
        if token is None:
            return NOBODY
        subject = next(
            (c for c in token.children if c.dep_ in SUBJECTS and not index.inside(c)), None
        )
        if subject is None:
            return NOBODY
        if subject.tag_ in ("WDT", "WP") and token.dep_ == "relcl":
            subject = token.head  # "reports that depicted “...”": the reports
        teller = self._teller(token)
        if teller is not None:
            return teller
        speaker = self.subjects.of(subject)
        if speaker.name is None or (
            speaker.resolution == "description" and not describes_people(subject)
        ):
            return NOBODY  # "the mass detention" says nothing
        return speaker

    def _teller(self, verb: Any) -> Speaker | None:
        """The person who tells of another's doings: "Cook remembered Jobs rehearsing
        and “going off script”" is Cook's account, not Jobs's words."""
        for _ in range(_CLAUSE_CLIMB):
            if verb.dep_ != "conj" or verb.head is verb:
                break
            verb = verb.head
        if verb.dep_ != "ccomp" or verb.head.pos_ != "VERB":
            return None
        inside = self.index.inside
        subject = next(
            (c for c in verb.head.children if c.dep_ in SUBJECTS and not inside(c)), None
        )
        speaker = self.subjects.of(subject) if subject is not None else NOBODY
        return speaker if speaker.person and speaker.resolution == "explicit" else None

    def _dash_signature(self, run: QuoteRun) -> tuple[Any | None, Speaker]:
        """“...” ― Pamela Padilla: a dash and a short name closing the paragraph,
        or making up the next one when the quote closes its own (reviews,
        testimonials: “...”\n\n– Ana L.)."""
        index = self.index
        para = index.para_of(run.end)
        base, para_end = run.end, index.paras[para][1]
        if not index.text[base:para_end].strip(' ”"»,.') and para + 1 < len(index.paras):
            base, para_end = index.paras[para + 1]
        if para_end - base > _SIGNATURE_CHARS:  # else the match and split cost O(para)
            return None, NOBODY
        m = _SIGNATURE.match(index.text[base:para_end])
        if m is None or len(m.group(2).split()) > _SIGNATURE_WORDS:
            return None, NOBODY
        start = base + m.start(2)
        end = base + m.start(2) + len(m.group(2).rstrip(" .,;"))
        dash = index.token_at(base + m.start(1))
        people = self.subjects.people
        for i in range(index.token_at(start).i, index.token_at(max(end - 1, start)).i + 1):
            person = people.at(i)
            if person is not None and person.label == "PERSON":
                end_char = index.doc[person.end - 1].idx + len(index.doc[person.end - 1].text)
                after = index.text[end_char : end_char + 1]
                if after in ("", ",", ".", ";", ":", ")") or (
                    after.isspace() and not _more_name(index.text[end_char:end])
                ):
                    return dash, person_speaker(person, index.doc, people)
                break  # the entity cut a name ("Ali***", "Jo** Al***"): as written
        name = index.text[start:end]
        if not name[:1].isupper():
            return None, NOBODY
        return dash, Speaker(
            name, mention=name, start=start, end=end, resolution="explicit", person=True
        )

    def _find_cue(self, run: QuoteRun) -> tuple[Any | None, Any | None]:
        """The nearest cue around the quote; else a colon lead-in's subject.

        Before the quote the nearest cue is the last one of its zone, after it
        the first (a cue in the next sentence loses to one in the quote's own);
        on equal distance the one before wins."""
        index, cues = self.index, self.index.cues
        zones = self._zones(run)
        tail_end = index.sent_of(index.token_at(max(run.end - 1, run.start)).i).end_char
        best, best_dist = None, None
        b_lo, b_hi = zones.before
        k = bisect_left(cues, b_hi) - 1
        if k >= 0 and cues[k] >= b_lo:
            best = index.doc[cues[k]]
            best_dist = run.start - best.idx
        a_lo, a_hi = zones.after
        k = bisect_left(cues, a_lo)
        if k < len(cues) and cues[k] < a_hi:
            token = index.doc[cues[k]]
            dist = token.idx - run.end
            if token.idx >= tail_end:
                dist += _NEXT_SENTENCE_PENALTY  # a cue in the quote's own sentence wins
            if best_dist is None or dist < best_dist:
                best = token
        if best is not None or zones.colon is None:
            return best, None
        return None, self._colon_subject(zones.colon)

    def _zones(self, run: QuoteRun) -> _Zones:
        """Before the quote, in its sentence and paragraph (else the colon lead-in
        sentence); after it, to its sentence's end (else the next sentence of
        its paragraph, when nothing but punctuation follows the quote)."""
        index = self.index
        para = index.paras[index.para_of(run.start)]
        first = index.token_at(run.start)
        sent_no = index.sent_no(first.i)
        sent = index.sents[sent_no]
        before = (max(sent.start, index.first_token_from(para[0])), first.i)
        colon = None
        if not index.any_alpha(*before):
            colon = self._colon_sentence(sent_no)
            before = (
                (index.sents[colon].start, index.sents[colon].end) if colon is not None else (0, 0)
            )
        last_para = index.paras[index.para_of(run.end)]
        last = index.token_at(max(run.end - 1, run.start))
        tail_no = index.sent_no(last.i)
        after = (last.i + 1, index.sents[tail_no].end)
        if not index.any_alpha(*after) and tail_no + 1 < len(index.sents):
            nxt = index.sents[tail_no + 1]
            if nxt.start_char < last_para[1]:
                after = (nxt.start, nxt.end)
        after = (after[0], min(after[1], index.first_token_from(last_para[1])))
        return _Zones(before, after, colon)

    def _colon_sentence(self, sent_no: int) -> int | None:
        """The sentence before sentence ``sent_no`` when it ends with a colon
        ("Smith said:")."""
        index = self.index
        start = index.sents[sent_no].start
        if start == 0 or sent_no == 0:
            return None
        prev = index.doc[start - 1]
        while prev.is_space and prev.i > 0:
            prev = index.doc[prev.i - 1]
        if prev.text != ":" or index.inside(prev):
            return None
        return index.sent_no(prev.i)

    def _colon_subject(self, colon: int) -> Any | None:
        """The subject of a colon lead-in sentence's root, once per sentence."""
        if colon not in self._colons:
            sent = self.index.sents[colon]
            root = self.index.doc[sent.start : sent.end].root
            subjects = [t for t in root.children if t.dep_ in SUBJECTS]
            self._colons[colon] = subjects[0] if subjects else None
        return self._colons[colon]

    def _merge_split(self, directs: list[DirectQuote]) -> list[DirectQuote]:
        """“A,” she said, “B.”: B joins A when they share A's cue."""
        out: list[DirectQuote] = []
        for d in directs:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.cue is not None
                and d.cue is not None
                and d.cue.i == prev.cue.i
                and self._split_gap(prev, d)
            ):
                prev.spans.extend(d.spans)
                continue
            out.append(d)
        return out

    def _split_gap(self, a: DirectQuote, b: DirectQuote) -> bool:
        index = self.index
        gap = index.text[a.spans[-1][1] : b.spans[0][0]]
        words = [w for w in gap.split() if any(c.isalnum() for c in w)]
        same_para = index.para_of(a.spans[-1][1]) == index.para_of(b.spans[0][0])
        return (
            same_para
            and a.cue is not None
            and a.cue.idx < b.spans[0][0]
            and len(words) <= _SPLIT_GAP_WORDS
            and not any(c in gap for c in ".!?")
        )

    def inherit(self, d: DirectQuote, events: list[Attribution], named: list[int]) -> None:
        """A quote with no cue takes the speaker of the attribution just before it,
        in its paragraph or the previous one: the last named one before it
        (``named``, from ``last_named``), if no more than a paragraph back."""
        if d.speaker.name is not None or d.cue is not None or d.colon_subject is not None:
            return
        start = d.spans[0][0]
        k = bisect_left(events, start, key=lambda e: e.pos) - 1
        if k < 0 or named[k] < 0 or events[k].pos in self._vetoed:
            return  # the quote just before is someone's the rules could not name: theirs
        source = events[named[k]]
        if self.index.para_of(start) - self.index.para_of(source.pos) > 1:
            return
        d.speaker = source.speaker.inherited()

    def reported_words(self, d: DirectQuote) -> bool:
        """A few quoted words inside what a named speaker is reported to say are
        theirs, not scare quotes: Mayer said the team “patched” the software."""
        cue = d.cue
        if (
            cue is None
            or d.speaker.name is None
            or len(d.spans) > 1
            or cue.idx > d.spans[0][0]
            or (d.speaker.plural and d.speaker.resolution != "explicit")
        ):
            return False  # "forecasters warn of “severe” levels": a term, not words
        token = self.index.token_at(d.spans[0][0])
        for _ in range(_CLAUSE_CLIMB * 2):
            if token.head is token:
                return False
            token = token.head
            if token.i == cue.i:
                return True
        return False

    def to_quote(self, d: DirectQuote) -> Quote:
        text = self.index.text
        spans = tuple(trim(text, s, e) for s, e in d.spans)
        spans = tuple(s for s in spans if s[1] > s[0]) or spans[:1]
        sent_start, sent_end = self._sentence_range(spans, d.cue)
        return make_quote("direct", text, spans, d.speaker, d.cue, sent_start, sent_end)

    def _sentence_range(
        self, spans: tuple[tuple[int, int], ...], cue: Any | None
    ) -> tuple[int, int]:
        index = self.index
        start = index.sent_of(index.token_at(spans[0][0]).i).start_char
        end = index.sent_of(index.token_at(max(spans[-1][1] - 1, spans[-1][0])).i).end_char
        if cue is not None:
            cue_sent = index.sent_of(cue.i)
            start, end = min(start, cue_sent.start_char), max(end, cue_sent.end_char)
        return start, end


def _more_name(rest: str) -> bool:
    """What follows a name in a signature goes on with the name ("Jo** Al***" after
    "Jo**"): a capitalised or masked word, not ", Texas" or "of Ohio"."""
    word = rest.split(maxsplit=1)[0] if rest.strip() else ""
    return bool(word) and (word[:1].isupper() or "*" in word)


def names_a_thing(index: DocIndex, d: DirectQuote) -> bool:
    """The quote marks hold a name, not someone's words: a title or slogan
    announced by a naming word (the slogan “...”, dubbed “...”), a quoted
    phrase used as a noun modifier (the “one country” formula, the state's
    “Meth. We're on it.” campaign) or as a subject (“Meth. We're on it” is
    rolling out), or a heading (a paragraph holding only a quote with no
    closing punctuation and no cue)."""
    start, end = d.spans[0][0], d.spans[-1][1]
    if _announced(index, start, len(index.text[start:end].split())):
        return True
    content = index.text[d.spans[-1][0] : end].rstrip()
    if content.endswith(_CLOSING):
        return _possessed(index, start) and _modifier(index, d.spans[-1][0], end, bare=False)
    return (
        _modifier(index, d.spans[-1][0], end)
        or _subject_use(index, start, end)
        or (d.cue is None and _heading(index, d, content))
    )


_CLOSING = (".", ",", "!", "?", "…", ";", ":")
_SKIPPED = frozenset(", : ? - – — ( such as of the".split())
_FINITE = frozenset({"VBZ", "VBD", "VBP", "MD"})
_TERM_WORDS = 4  # "is the “Netflix of games”": a short quote as a predicate noun
_ALIAS_WORDS = 2  # "the front trunk, or “frunk”": a short quote after "or" is a term
_HEADING_WORDS = 12


def _announced(index: DocIndex, start: int, words: int) -> bool:
    """A naming noun or participle just before the opening mark, in its paragraph
    or, for a quote opening its paragraph, closing the one before ("What is the
    slogan?"); punctuation, "the" and "such as" skipped. Or a short quote right
    after "is the": a term or scare quote (will be the “Netflix of games”)."""
    para = index.para_of(start)
    para_start = index.paras[para][0]
    if start - 1 <= para_start and para > 0:
        para_start = index.paras[para - 1][0]
    i = index.token_at(max(start - 1, 0)).i
    while i >= 0 and index.doc[i].idx >= start - 1:
        i -= 1  # the opening mark itself
    for _ in range(5):
        if i < 0 or index.doc[i].idx < para_start:
            return False
        token = index.doc[i]
        if not (token.is_space or token.lower_ in _SKIPPED) or (
            token.lower_ == "the" and index.doc[i - 1].lemma_ == "be"
        ):
            break
        i -= 1
    else:
        return False
    if token.lower_ in NAMING_NOUNS and token.pos_ != "VERB":
        return True
    if token.lower_ == "or" and words <= _ALIAS_WORDS:
        return True
    if token.lower_ == "the" and words <= _TERM_WORDS and i > 0 and index.doc[i - 1].lemma_ == "be":
        return True
    return token.tag_ == "VBN" and token.lemma_.lower() in NAMING_PARTICIPLES


def _modifier(index: DocIndex, start: int, end: int, bare: bool = True) -> bool:
    """The closing mark is followed by a common noun the quote modifies
    ("the “one country” formula")."""
    if end + 2 >= len(index.text) or index.text[end + 1] != " ":
        return False
    token = index.token_at(end + 2)
    if (
        token.idx != end + 2
        or token.pos_ != "NOUN"
        or not token.text[:1].islower()
        or index.inside(token)
    ):
        return False
    if not bare:
        return True
    inner = [
        t
        for t in index.doc[index.token_at(start).i : index.token_at(end - 1).i + 1]
        if not t.is_punct
    ]
    # a bare noun phrase ("one country, two systems"), not a clause or "a ... crash"
    return len(inner) <= 4 and not any(t.pos_ in ("VERB", "AUX", "DET", "PRON") for t in inner)


def _possessed(index: DocIndex, start: int) -> bool:
    """A possessive just before the opening mark: South Dakota's “...”."""
    i = index.token_at(max(start - 1, 0)).i - 1
    return i >= 0 and (index.doc[i].tag_ == "POS" or index.doc[i].lower_ in ("'s", "’s"))


def _subject_use(index: DocIndex, start: int, end: int) -> bool:
    """The quote opens its sentence and a verb follows it with no comma: it is
    the subject (“Meth. We're on it” is rolling out), not an utterance."""
    first = index.token_at(start)
    sent = index.sent_of(first.i)
    if (
        index.any_alpha(sent.start, first.i)
        or end + 2 >= len(index.text)
        or index.text[end + 1] != " "
    ):
        return False
    token = index.token_at(end + 2)
    return token.idx == end + 2 and token.tag_ in _FINITE and not index.is_cue(token)


def _heading(index: DocIndex, d: DirectQuote, content: str) -> bool:
    """The quote is its paragraph, but for a list number ("3."), and is one short
    phrase."""
    start, end = d.spans[0][0], d.spans[-1][1]
    if len(content.split()) > _HEADING_WORDS or any(c in content for c in ".!?—;"):
        return False
    para = index.paras[index.para_of(start)]
    if index.para_of(end) != index.para_of(start):
        return False
    lead = index.text[para[0] : start - 1].strip()
    rest = index.text[end + 1 : para[1]].strip()
    return not rest and (not lead or lead.rstrip(".)").isdigit())


def last_named(events: list[Attribution]) -> list[int]:
    """For each event, the index of the last event up to it with a named speaker
    (-1: none)."""
    out, last = [], -1
    for k, event in enumerate(events):
        if event.speaker.name is not None:
            last = k
        out.append(last)
    return out


def is_quotation(content: str) -> bool:
    """False for quoted titles and scare quotes, which are not anyone's words.

    Titles: a few words, all capitalised ("Face the Nation", "Morning Joe").
    Scare quotes: three words or fewer without the punctuation that closes a
    quoted utterance ("quack", "medical records"; but "I love you," is kept)."""
    words = [w for w in content.split() if any(c.isalnum() for c in w)]
    if not words:
        return False
    stripped = content.rstrip()
    if len(words) <= 3 and not stripped.endswith((".", ",", "!", "?", "…")):
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    titled = alpha and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in alpha)
    return not (titled and len(words) <= 6 and not stripped.endswith(("!", "?")))
