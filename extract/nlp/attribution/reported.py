"""Reported speech: a reporting verb outside quotes with a clausal complement
("X said that ..."), a trailing "..., X said", and "... according to X".

Nested reported speech ("Smith said Jones said Smith said ...", each clause
inside the one before) must cost linear time: a reported clause is found
from per-doc arrays (``_Tree``: subtree numbering, token edges, trim and
quote flags) without walking its subtree, and content longer than
``REPORTED_CHARS`` is no report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from extract.models import Quote
from extract.nlp.attribution.doc_index import DocIndex
from extract.nlp.attribution.quote import make_quote
from extract.nlp.attribution.subjects import Subjects
from extract.nlp.cues import ACCORDING, is_reporting_lemma
from extract.nlp.speakers import SUBJECTS, Speaker

# Reported content longer than this is a run-on parse, not one report (news
# sentences stay far below it; the longest in the quote-eval set is 334). It
# also bounds the text kept: n nested reports would otherwise keep O(n²) chars.
REPORTED_CHARS = 1_500
_LEAD_TAGS = frozenset({"WDT", "WP", "WRB"})


@dataclass(frozen=True, slots=True)
class Report:
    """A reported-speech quote and the speaker it was credited to."""

    quote: Quote
    speaker: Speaker


class _Tree:
    """Per-doc arrays for reported clauses, built once, in O(doc).

    Subtrees numbered in preorder: token j is in i's subtree iff
    ``first[i] <= order[j] < last[i]``. ``lead[i]``: the first token from i on
    that a reported clause may start with (no relative word, punctuation,
    space or "that"/"whether" marker); ``tail[i]``: the last token up to i
    that is no punctuation or space; ``quoted``: prefix counts of tokens
    inside quotes."""

    __slots__ = ("first", "last", "lead", "order", "quoted", "tail")

    def __init__(self, doc: Any, inside: Callable[[Any], bool]) -> None:
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
            lead = (
                t.tag_ in _LEAD_TAGS
                or t.is_punct
                or t.is_space
                or (t.dep_ == "mark" and t.lower_ in ("that", "whether"))
            )
            self.lead[i] = self.lead[i + 1] if lead else i

    def contiguous(self, token: Any) -> bool:
        """The subtree is exactly the tokens from its left edge to its right edge."""
        i = token.i
        return self.last[i] - self.first[i] == token.right_edge.i - token.left_edge.i + 1


class ReportedSpeech:
    """Finds the reported speech of one doc."""

    def __init__(self, index: DocIndex, subjects: Subjects) -> None:
        self.index, self.subjects = index, subjects
        self._tree: _Tree | None = None  # built by the first reported clause

    def find(self) -> list[Report]:
        return self._indirect() + self._according()

    def tree(self) -> _Tree:
        if self._tree is None:
            self._tree = _Tree(self.index.doc, self.index.inside)
        return self._tree

    def _indirect(self) -> list[Report]:
        """A reporting verb outside quotes with a clausal complement."""
        out = []
        for token in self.index.doc:
            if (
                token.pos_ != "VERB"
                or not is_reporting_lemma(token.lemma_)
                or self.index.inside(token)
                or any(c.dep_ == "neg" for c in token.children)
            ):
                continue
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is None:
                found = self._trailing(token)
            else:
                found = self._reported(token, clause)
            if found is not None:
                out.append(found)
        return out

    def _trailing(self, cue: Any) -> Report | None:
        """ "<clause>, X said on Thursday." parsed with "said" as a conjunct."""
        doc = self.index.doc
        deps = {c.dep_ for c in cue.children}
        subject = next((c for c in cue.children if c.dep_ in SUBJECTS), None)
        if subject is None or deps & {"dobj", "xcomp", "ccomp", "dative"} or cue.dep_ != "conj":
            return None
        comma = subject.left_edge.i - 1
        sent = self.index.sent_of(cue.i)
        if comma <= sent.start or doc[comma].text != ",":
            return None
        start = sent.start  # the sentence up to the comma, listed without walking it
        dash = next(
            (i for i in range(start, min(start + 6, comma)) if doc[i].text in ("—", "–", "--")),
            None,
        )
        if dash is not None:  # a dateline: "WASHINGTON — ..."
            start = dash + 1
        if comma - start < 3 or self.tree().quoted[comma] > self.tree().quoted[start]:
            return None
        last = doc[comma - 1]
        span = (doc[start].idx, last.idx + len(last.text))
        if span[1] - span[0] > REPORTED_CHARS:
            return None
        speaker = self.subjects.speaker_for(cue)
        quote = make_quote(
            "indirect", self.index.text, (span,), speaker, cue, sent.start_char, sent.end_char
        )
        return Report(quote, speaker)

    def _according(self) -> list[Report]:
        """ "X is so, according to Y": the clause "according to" modifies."""
        out = []
        for token in self.index.doc:
            if (
                token.lower_ != ACCORDING[0]
                or not self.index.is_cue(token)
                or self.index.inside(token)
            ):
                continue
            head = token.head
            if head is token or head.pos_ not in ("VERB", "AUX"):
                continue
            found = self._reported(token, head, skip=token)
            if found is not None:
                out.append(found)
        return out

    def _reported(self, cue: Any, clause: Any, skip: Any | None = None) -> Report | None:
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
        doc = self.index.doc
        head, tail = doc[first], doc[last]
        span = (head.idx, tail.idx + len(tail.text))
        if span[1] - span[0] > REPORTED_CHARS:
            return None  # a run-on parse (and the bound on the text kept)
        if tree.contiguous(clause) and (
            skip is None or skip.right_edge.i < first or skip.left_edge.i > last
        ):
            count = last - first + 1  # every token between is in the clause
            quoted = tree.quoted[last + 1] > tree.quoted[first]
        else:  # a non-projective parse: count the members (bounded by the chars)
            members = [i for i in range(first, last + 1) if member(i)]
            count = len(members)
            quoted = any(tree.quoted[i + 1] > tree.quoted[i] for i in members)
        if count < 3 or quoted:
            return None  # quoted content is a direct quote (or a mixed one)
        speaker = self.subjects.speaker_for(cue)
        sent = self.index.sent_of(cue.i)
        quote = make_quote(
            "indirect",
            self.index.text,
            (span,),
            speaker,
            cue,
            min(sent.start_char, span[0]),
            max(sent.end_char, span[1]),
        )
        return Report(quote, speaker)
