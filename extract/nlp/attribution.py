"""Attribute quotes in one parsed doc: direct quotes, reported speech, speakers.

The steps, in document order:
1. quoted passages by typed pairing (``quote_spans``);
2. for each, a cue (speech verb or "according to") in its paragraph outside
   the quote: after it in its sentence, before it in its sentence, or a colon
   lead-in sentence just before it; split quotes share one cue;
3. the cue's subject names the speaker (``speakers``); pronoun subjects are
   resolved from earlier subjects and speakers; a quote with no cue inherits
   the speaker of the quote before it in its paragraph or the previous one;
4. reported speech: a speech verb with a clausal complement outside quotes.
Never imports spaCy: it reads a parsed Doc.

Hostile text (thousands of quote marks in one sentence) must cost linear
time: sentences, the cue tokens and the alphabetic tokens outside quotes
are listed once per doc, and each quote looks its zones up by bisection
instead of walking its sentence (``_zones``, ``_find_cue``, ``_inherit``).
So must nested reported speech ("Smith said Jones said Smith said ...", each
clause inside the one before): a reported clause is found from per-doc arrays
(``_Tree``: subtree numbering, token edges, trim and quote flags) without
walking its subtree, and content longer than ``_REPORTED_CHARS`` is no report.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from extract.models import Entity, Quote, QuoteKind
from extract.nlp.cues import ACCORDING, is_reporting_lemma, is_speech_lemma
from extract.nlp.entities import People, find_people
from extract.nlp.quote_spans import QuoteRun, find_quotes, paragraphs
from extract.nlp.speakers import (
    NOBODY,
    SUBJECTS,
    Candidate,
    Speaker,
    name_subject,
    resolve_pronoun,
    subject_of,
)

RULES_VERSION = 3  # bump when the rules change, so stored analyses can be redone
_SIGNATURE = re.compile(r"[\s,.]*[”\"»]?[\s,.]*([―—–]|--?)\s*([^\n]+)$")
_SIGNATURE_WORDS = 8
_SIGNATURE_CHARS = 300  # a dash and up to 8 words: a longer paragraph rest is no signature
_NEXT_SENTENCE_PENALTY = 10_000  # a cue in a later sentence loses to one in the quote's own
_SPLIT_GAP_WORDS = 10  # words allowed between two parts of a split quote
# Reported content longer than this is a run-on parse, not one report (news
# sentences stay far below it; the longest in the quote-eval set is 334). It
# also bounds the text kept: n nested reports would otherwise keep O(n²) chars.
_REPORTED_CHARS = 1_500
_LEAD_TAGS = frozenset({"WDT", "WP", "WRB"})


@dataclass(slots=True)
class _Direct:
    run: QuoteRun
    spans: list[tuple[int, int]]
    cue: Any | None  # token
    speaker: Speaker
    colon_subject: Any | None = None  # subject of a colon lead-in without a cue


class _Tree:
    """Per-doc arrays for reported clauses, built once, in O(doc).

    Subtrees numbered in preorder: token j is in i's subtree iff
    ``first[i] <= order[j] < last[i]``. ``lead[i]``: the first token from i on
    that a reported clause may start with (no relative word, punctuation,
    space or "that"/"whether" marker); ``tail[i]``: the last token up to i
    that is no punctuation or space; ``quoted``: prefix counts of tokens
    inside quotes."""

    __slots__ = ("first", "last", "lead", "order", "quoted", "tail")

    def __init__(self, doc: Any, inside: Any) -> None:
        n = len(doc)
        heads = [t.head.i for t in doc]
        kids: list[list[int]] = [[] for _ in range(n)]
        roots = []
        for i, h in enumerate(heads):
            if h == i:
                roots.append(i)
            else:
                kids[h].append(i)
        self.order, self.first, self.last = [0] * n, [0] * n, [0] * n
        k = 0
        for root in roots:  # iterative preorder: nesting may be thousands deep
            stack = [(root, False)]
            while stack:
                i, done = stack.pop()
                if done:
                    self.last[i] = k
                    continue
                self.order[i] = self.first[i] = k
                k += 1
                stack.append((i, True))
                stack.extend((c, False) for c in reversed(kids[i]))
        self.lead, self.tail, self.quoted = [n] * (n + 1), [-1] * n, [0] * (n + 1)
        for t in doc:
            i = t.i
            self.quoted[i + 1] = self.quoted[i] + (1 if inside(t) else 0)
            edge = t.is_punct or t.is_space
            self.tail[i] = self.tail[i - 1] if edge and i else (-1 if edge else i)
        for t in reversed(doc):
            i = t.i
            lead = t.tag_ in _LEAD_TAGS or t.is_punct or t.is_space \
                or (t.dep_ == "mark" and t.lower_ in ("that", "whether"))
            self.lead[i] = self.lead[i + 1] if lead else i

    def contiguous(self, token: Any) -> bool:
        """The subtree is exactly the tokens from its left edge to its right edge."""
        i = token.i
        return self.last[i] - self.first[i] == token.right_edge.i - token.left_edge.i + 1


class Attributor:
    """All the state of one doc's attribution; ``run()`` returns the results."""

    def __init__(self, doc: Any) -> None:
        self.doc, self.text = doc, doc.text
        self.people: People = find_people(doc)
        self.runs = find_quotes(self.text)
        self.mask = bytearray(len(self.text) + 1)  # 1 inside a quote, marks included
        for run in self.runs:
            for s, e in run.spans:
                self.mask[max(s - 1, 0):e + 1] = b"\x01" * (e + 1 - max(s - 1, 0))
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.tok_starts = [t.idx for t in doc]
        self.subject_speakers: dict[int, Speaker] = {}
        # sentences as (start, end, start_char, end_char), listed once: token.sent
        # walks the sentence, so per quote it is quadratic in one long sentence
        if doc.has_annotation("SENT_START"):
            self.sents = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
        else:  # no parser: one sentence (token.sent would raise)
            self.sents = [(0, len(doc), 0, len(self.text))] if len(doc) else []
        self.sent_starts = [s[0] for s in self.sents]
        self.cues: list[int] = []  # outside quotes, in order; filled by _index_tokens
        self.alphas: list[int] = []
        self._colons: dict[int, Any | None] = {}  # colon sentence -> its subject
        self._tree: _Tree | None = None  # built by the first reported clause

    # -- small lookups -------------------------------------------------------
    def para_of(self, char: int) -> int:
        return max(bisect_right(self.para_starts, char) - 1, 0)

    def token_at(self, char: int) -> Any:
        return self.doc[max(bisect_right(self.tok_starts, char) - 1, 0)]

    def inside(self, token: Any) -> bool:
        return bool(self.mask[token.idx])

    def sent_of(self, i: int) -> tuple[int, int, int, int]:
        """(start, end, start_char, end_char) of token ``i``'s sentence."""
        return self.sents[max(bisect_right(self.sent_starts, i) - 1, 0)]

    def _index_tokens(self) -> None:
        """The cue and the alphabetic tokens outside quotes, once per doc."""
        for token in self.doc:
            if self.inside(token):
                continue
            if token.is_alpha:
                self.alphas.append(token.i)
            if self._is_cue(token):
                self.cues.append(token.i)

    # -- the pass ------------------------------------------------------------
    def run(self) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
        self._resolve_subjects()
        indirect = self._indirect() + self._according()
        if self.runs:
            self._index_tokens()
        directs = self._merge_split([self._direct(r) for r in self.runs])
        events = sorted([(q.start, s) for q, s in indirect]
                        + [(d.spans[0][0], d.speaker) for d in directs], key=lambda e: e[0])
        named = _last_named(events)
        quotes = [q for q, _ in indirect]
        for d in directs:
            self._inherit(d, events, named)
            quote = self._to_quote(d)
            if is_quotation(quote.text):
                quotes.append(quote)
        quotes.sort(key=lambda q: q.start)
        return self.people.to_entities(self.doc), tuple(quotes)

    def _resolve_subjects(self) -> None:
        """Name every subject outside quotes, pronouns from earlier ones, in order.

        "according to X" objects count as subjects: they are sources too."""
        candidates: list[Candidate] = []
        for token in self.doc:
            if self.inside(token):
                continue
            if not (token.dep_ in SUBJECTS or _according_object(token)):
                self._add_object_person(token, candidates)
                continue
            speaker = name_subject(token, self.people)
            if speaker.resolution == "none" and speaker.mention:
                speaker = resolve_pronoun(speaker, candidates, self.sent_of(token.i)[2])
            self.subject_speakers[token.i] = speaker
            if speaker.name is not None:
                candidates.append(Candidate(token.idx, speaker, main=_main_clause(token)))

    def _add_object_person(self, token: Any, candidates: list[Candidate]) -> None:
        """A person who is not a subject ("met Mrs Brandt"): a weaker antecedent."""
        m = self.people.at(token.i)
        if m is None or m.label != "PERSON" or token.i != self.doc[m.start:m.end].root.i:
            return
        gender = self.people.gender.get(m.canonical)
        candidates.append(Candidate(token.idx, Speaker(
            m.canonical, m.text, None, None, None, "explicit", gender, person=True), False))

    def _speaker_for(self, cue: Any) -> Speaker:
        subject = subject_of(cue, self.inside)
        if subject is None:
            return NOBODY
        if subject.i in self.subject_speakers:
            return self.subject_speakers[subject.i]
        return name_subject(subject, self.people)

    # -- direct quotes -------------------------------------------------------
    def _direct(self, run: QuoteRun) -> _Direct:
        cue, colon_subject = self._find_cue(run)
        speaker = self._speaker_for(cue) if cue is not None else NOBODY
        if cue is None:
            cue, speaker = self._dash_signature(run)
        if cue is None and colon_subject is not None:
            speaker = self._subject_speaker(colon_subject)
        return _Direct(run, list(run.spans), cue, speaker, colon_subject)

    def _dash_signature(self, run: QuoteRun) -> tuple[Any | None, Speaker]:
        """ “...” ― Pamela Padilla: a dash and a short name closing the paragraph."""
        para_end = self.paras[self.para_of(run.end)][1]
        if para_end - run.end > _SIGNATURE_CHARS:  # else the match and split cost O(para)
            return None, NOBODY
        rest = self.text[run.end:para_end]
        m = _SIGNATURE.match(rest)
        if m is None or len(m.group(2).split()) > _SIGNATURE_WORDS:
            return None, NOBODY
        start = run.end + m.start(2)
        end = run.end + m.start(2) + len(m.group(2).rstrip(" .,;"))
        dash = self.token_at(run.end + m.start(1))
        for i in range(self.token_at(start).i, self.token_at(max(end - 1, start)).i + 1):
            person = self.people.at(i)
            if person is not None and person.label == "PERSON":
                span = self.doc[person.start:person.end]
                return dash, Speaker(person.canonical, person.text, span.start_char,
                                     span.end_char, person.role, "explicit",
                                     self.people.gender.get(person.canonical), person=True)
        name = self.text[start:end]
        if not name[:1].isupper():
            return None, NOBODY
        return dash, Speaker(name, name, start, end, None, "explicit", person=True)

    def _subject_speaker(self, token: Any) -> Speaker:
        return self.subject_speakers.get(token.i) or name_subject(token, self.people)

    def _find_cue(self, run: QuoteRun) -> tuple[Any | None, Any | None]:
        """The nearest cue around the quote; else a colon lead-in's subject.

        Before the quote the nearest cue is the last one of its zone, after it
        the first (a cue in the next sentence loses to one in the quote's own);
        on equal distance the one before wins."""
        (b_lo, b_hi), (a_lo, a_hi), colon = self._zones(run)
        tail_end = self.sent_of(self.token_at(max(run.end - 1, run.start)).i)[3]
        best, best_dist = None, None
        k = bisect_left(self.cues, b_hi) - 1
        if k >= 0 and self.cues[k] >= b_lo:
            best = self.doc[self.cues[k]]
            best_dist = run.start - best.idx
        k = bisect_left(self.cues, a_lo)
        if k < len(self.cues) and self.cues[k] < a_hi:
            token = self.doc[self.cues[k]]
            dist = token.idx - run.end
            if token.idx >= tail_end:
                dist += _NEXT_SENTENCE_PENALTY  # a cue in the quote's own sentence wins
            if best_dist is None or dist < best_dist:
                best = token
        if best is not None or colon is None:
            return best, None
        return None, self._colon_subject(colon)

    def _is_cue(self, token: Any) -> bool:
        if token.lower_ == ACCORDING[0]:
            return token.i + 1 < len(self.doc) and token.nbor().lower_ == ACCORDING[1]
        if token.pos_ not in ("VERB", "AUX") or not is_speech_lemma(token.lemma_):
            return False
        if token.tag_ == "VBN":  # "has said" is a cue, "was asked", "the man quoted" are not
            deps = {c.dep_ for c in token.children}
            return "auxpass" not in deps and token.dep_ not in ("amod", "acl")
        return True

    def _zones(self, run: QuoteRun) -> tuple[tuple[int, int], tuple[int, int], int | None]:
        """Token ranges [lo, hi) whose tokens outside quotes may hold the cue: before
        the quote, after it; and the colon lead-in sentence's number, when that
        sentence is the before zone."""
        para = self.paras[self.para_of(run.start)]
        first = self.token_at(run.start)
        sent_no = self._sent_no(first.i)
        sent = self.sents[sent_no]
        before = (max(sent[0], bisect_left(self.tok_starts, para[0])), first.i)
        colon = None
        if not self._any_alpha(*before):
            colon = self._colon_sentence(sent_no)
            before = self.sents[colon][:2] if colon is not None else (0, 0)
        last_para = self.paras[self.para_of(run.end)]
        last = self.token_at(max(run.end - 1, run.start))
        tail_no = self._sent_no(last.i)
        after = (last.i + 1, self.sents[tail_no][1])
        if not self._any_alpha(*after) and tail_no + 1 < len(self.sents):
            nxt = self.sents[tail_no + 1]
            if nxt[2] < last_para[1]:
                after = nxt[:2]
        after = (after[0], min(after[1], bisect_left(self.tok_starts, last_para[1])))
        return before, after, colon

    def _sent_no(self, i: int) -> int:
        return max(bisect_right(self.sent_starts, i) - 1, 0)

    def _any_alpha(self, lo: int, hi: int) -> bool:
        """An alphabetic token outside quotes among tokens [lo, hi)."""
        k = bisect_left(self.alphas, lo)
        return k < len(self.alphas) and self.alphas[k] < hi

    def _colon_sentence(self, sent_no: int) -> int | None:
        """The sentence before sentence ``sent_no`` when it ends with a colon
        ("Smith said:")."""
        start = self.sents[sent_no][0]
        if start == 0 or sent_no == 0:
            return None
        prev = self.doc[start - 1]
        while prev.is_space and prev.i > 0:
            prev = self.doc[prev.i - 1]
        if prev.text != ":" or self.inside(prev):
            return None
        return self._sent_no(prev.i)

    def _colon_subject(self, colon: int) -> Any | None:
        """The subject of a colon lead-in sentence's root, once per sentence."""
        if colon not in self._colons:
            lo, hi = self.sents[colon][:2]
            subjects = [t for t in self.doc[lo:hi].root.children if t.dep_ in SUBJECTS]
            self._colons[colon] = subjects[0] if subjects else None
        return self._colons[colon]

    def _merge_split(self, directs: list[_Direct]) -> list[_Direct]:
        """“A,” she said, “B.”: B joins A when they share A's cue."""
        out: list[_Direct] = []
        for d in directs:
            prev = out[-1] if out else None
            if prev is not None and prev.cue is not None and d.cue is not None \
                    and d.cue.i == prev.cue.i \
                    and self._split_gap(prev, d):
                prev.spans.extend(d.spans)
                continue
            out.append(d)
        return out

    def _split_gap(self, a: _Direct, b: _Direct) -> bool:
        gap = self.text[a.spans[-1][1]:b.spans[0][0]]
        words = [w for w in gap.split() if any(c.isalnum() for c in w)]
        same_para = self.para_of(a.spans[-1][1]) == self.para_of(b.spans[0][0])
        cue_before = a.cue is not None and a.cue.idx < b.spans[0][0]
        return same_para and cue_before and len(words) <= _SPLIT_GAP_WORDS \
            and not any(c in gap for c in ".!?")

    def _inherit(self, d: _Direct, events: list[tuple[int, Speaker]],
                 named: list[int]) -> None:
        """A quote with no cue takes the speaker of the attribution just before it,
        in its paragraph or the previous one: the last named one before it
        (``named``, from ``_last_named``), if no more than a paragraph back."""
        if d.speaker.name is not None or d.cue is not None or d.colon_subject is not None:
            return
        start = d.spans[0][0]
        k = bisect_left(events, start, key=lambda e: e[0]) - 1
        if k < 0 or named[k] < 0:
            return
        pos, s = events[named[k]]
        if self.para_of(start) - self.para_of(pos) > 1:
            return
        d.speaker = Speaker(s.name, None, None, None, None, "inherited",
                            s.gender, s.plural, s.person)

    def _to_quote(self, d: _Direct) -> Quote:
        spans = tuple(_trim(self.text, s, e) for s, e in d.spans)
        spans = tuple(s for s in spans if s[1] > s[0]) or spans[:1]
        sent_start, sent_end = self._sentence_range(spans, d.cue)
        return _quote("direct", self.text, spans, d.speaker, d.cue, sent_start, sent_end)

    def _sentence_range(self, spans: tuple[tuple[int, int], ...], cue: Any | None
                        ) -> tuple[int, int]:
        start = self.sent_of(self.token_at(spans[0][0]).i)[2]
        end = self.sent_of(self.token_at(max(spans[-1][1] - 1, spans[-1][0])).i)[3]
        if cue is not None:
            cue_sent = self.sent_of(cue.i)
            start, end = min(start, cue_sent[2]), max(end, cue_sent[3])
        return start, end

    # -- reported speech -----------------------------------------------------
    def _indirect(self) -> list[tuple[Quote, Speaker]]:
        """A reporting verb outside quotes with a clausal complement."""
        out = []
        for token in self.doc:
            if token.pos_ != "VERB" or not is_reporting_lemma(token.lemma_) \
                    or self.inside(token) or any(c.dep_ == "neg" for c in token.children):
                continue
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is None:
                found = self._trailing(token)
            else:
                found = self._reported(token, clause)
            if found is not None:
                out.append(found)
        return out

    def _trailing(self, cue: Any) -> tuple[Quote, Speaker] | None:
        """ "<clause>, X said on Thursday." parsed with "said" as a conjunct."""
        deps = {c.dep_ for c in cue.children}
        subject = next((c for c in cue.children if c.dep_ in SUBJECTS), None)
        if subject is None or deps & {"dobj", "xcomp", "ccomp", "dative"} or cue.dep_ != "conj":
            return None
        comma = subject.left_edge.i - 1
        sent_start, _, sent_char, sent_end_char = self.sent_of(cue.i)
        if comma <= sent_start or self.doc[comma].text != ",":
            return None
        start = sent_start  # the sentence up to the comma, listed without walking it
        dash = next((i for i in range(start, min(start + 6, comma))
                     if self.doc[i].text in ("—", "–", "--")), None)
        if dash is not None:  # a dateline: "WASHINGTON — ..."
            start = dash + 1
        if comma - start < 3 or self.tree().quoted[comma] > self.tree().quoted[start]:
            return None
        last = self.doc[comma - 1]
        span = (self.doc[start].idx, last.idx + len(last.text))
        if span[1] - span[0] > _REPORTED_CHARS:
            return None
        speaker = self._speaker_for(cue)
        return _quote("indirect", self.text, (span,), speaker, cue, sent_char,
                      sent_end_char), speaker

    def _according(self) -> list[tuple[Quote, Speaker]]:
        """ "X is so, according to Y": the clause "according to" modifies."""
        out = []
        for token in self.doc:
            if token.lower_ != ACCORDING[0] or not self._is_cue(token) or self.inside(token):
                continue
            head = token.head
            if head is token or head.pos_ not in ("VERB", "AUX"):
                continue
            found = self._reported(token, head, skip=token)
            if found is not None:
                out.append(found)
        return out

    def tree(self) -> _Tree:
        if self._tree is None:
            self._tree = _Tree(self.doc, self.inside)
        return self._tree

    def _reported(self, cue: Any, clause: Any, skip: Any | None = None
                  ) -> tuple[Quote, Speaker] | None:
        """The content on the far side of the cue, unless it is a quotation: the
        clause's subtree without ``skip``'s, trimmed of a leading relative word or
        "that" and of punctuation at both ends. Found from the ``_Tree`` arrays:
        walking the subtree costs its size times its depth, cubic in nested
        reports."""
        tree = self.tree()
        order, c_lo, c_hi = tree.order, tree.first[clause.i], tree.last[clause.i]
        s_lo, s_hi = (tree.first[skip.i], tree.last[skip.i]) if skip is not None else (0, 0)

        def member(i: int) -> bool:
            return c_lo <= order[i] < c_hi and not s_lo <= order[i] < s_hi

        after = clause.i > cue.i  # only the side away from the cue: "which the US says ..."
        lo, hi = clause.left_edge.i, clause.right_edge.i
        if after:
            lo = max(lo, cue.i + 1)
        else:
            hi = min(hi, cue.i)
        first = lo
        while first <= hi:
            first = tree.lead[first]
            if first > hi or member(first):
                break
            first += 1
        if first > hi:
            return None
        last = hi
        while last > first and not (tree.tail[last] == last and member(last)):
            last = tree.tail[last] if tree.tail[last] != last else last - 1
        head, tail = self.doc[first], self.doc[last]
        span = (head.idx, tail.idx + len(tail.text))
        if span[1] - span[0] > _REPORTED_CHARS:
            return None  # a run-on parse (and the bound on the text kept)
        if tree.contiguous(clause) and (skip is None or skip.right_edge.i < first
                                        or skip.left_edge.i > last):
            count = last - first + 1  # every token between is in the clause
            quoted = tree.quoted[last + 1] > tree.quoted[first]
        else:  # a non-projective parse: count the members (bounded by the chars)
            members = [i for i in range(first, last + 1) if member(i)]
            count = len(members)
            quoted = any(tree.quoted[i + 1] > tree.quoted[i] for i in members)
        if count < 3 or quoted:
            return None  # quoted content is a direct quote (or a mixed one)
        speaker = self._speaker_for(cue)
        _, _, sent_start, sent_end = self.sent_of(cue.i)
        quote = _quote("indirect", self.text, (span,), speaker, cue,
                       min(sent_start, span[0]), max(sent_end, span[1]))
        return quote, speaker


def _last_named(events: list[tuple[int, Speaker]]) -> list[int]:
    """For each event, the index of the last event up to it with a named speaker
    (-1: none)."""
    out, last = [], -1
    for k, (_, speaker) in enumerate(events):
        if speaker.name is not None:
            last = k
        out.append(last)
    return out


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
    return token.dep_ == "pobj" and head.lower_ == ACCORDING[1] \
        and head.head.lower_ == ACCORDING[0]


_SMALL_WORDS = frozenset("a an and the of in on at to for with by or vs".split())


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


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quote(kind: QuoteKind, text: str, spans: tuple[tuple[int, int], ...], speaker: Speaker,
           cue: Any | None, sent_start: int, sent_end: int) -> Quote:
    cue_text = None
    if cue is not None:
        cue_text = "according to" if cue.lower_ == ACCORDING[0] else cue.text
        if cue.lower_ == ACCORDING[0]:
            cue_text = text[cue.idx:cue.nbor().idx + len(cue.nbor().text)]
    resolution = speaker.resolution if speaker.name is not None else "none"
    return Quote(kind=kind, text=" ".join(text[s:e] for s, e in spans), spans=spans,
                 speaker=speaker.name, speaker_mention=speaker.mention,
                 speaker_start=speaker.start, speaker_end=speaker.end, role=speaker.role,
                 cue=cue_text, resolution=resolution,
                 sentence_start=sent_start, sentence_end=sent_end)


def attribute(doc: Any) -> tuple[tuple[Entity, ...], tuple[Quote, ...]]:
    """Entities and quotes of a parsed doc."""
    return Attributor(doc).run()
