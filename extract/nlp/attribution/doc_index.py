"""What the attribution rules look up in one parsed doc, listed once per doc.

Hostile text (thousands of quote marks in one sentence) must cost linear
time: sentences, the cue tokens and the alphabetic tokens outside quotes are
listed once per doc, and each quote looks its zones up by bisection instead
of walking its sentence. ``token.sent`` walks the sentence, so calling it per
quote is quadratic in one long sentence.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Any

from extract.nlp.cues import ACCORDING, is_speech_lemma
from extract.nlp.quote_spans import QuoteRun, find_quotes, paragraphs


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: tokens [start, end), characters [start_char, end_char)."""

    start: int
    end: int
    start_char: int
    end_char: int


class DocIndex:
    """The quotes, paragraphs, sentences and cue tokens of one doc, with lookups."""

    def __init__(self, doc: Any) -> None:
        self.doc, self.text = doc, doc.text
        self.runs: list[QuoteRun] = find_quotes(self.text)
        self.mask = bytearray(len(self.text) + 1)  # 1 inside a quote, marks included
        for run in self.runs:
            for s, e in run.spans:
                self.mask[max(s - 1, 0) : e + 1] = b"\x01" * (e + 1 - max(s - 1, 0))
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.tok_starts = [t.idx for t in doc]
        if doc.has_annotation("SENT_START"):
            self.sents = [Sentence(s.start, s.end, s.start_char, s.end_char) for s in doc.sents]
        else:  # no parser: one sentence (token.sent would raise)
            self.sents = [Sentence(0, len(doc), 0, len(self.text))] if len(doc) else []
        self.sent_starts = [s.start for s in self.sents]
        self.cues: list[int] = []  # outside quotes, in order; filled by index_tokens
        self.alphas: list[int] = []

    def para_of(self, char: int) -> int:
        return max(bisect_right(self.para_starts, char) - 1, 0)

    def token_at(self, char: int) -> Any:
        return self.doc[max(bisect_right(self.tok_starts, char) - 1, 0)]

    def inside(self, token: Any) -> bool:
        """The token is inside quote marks (or is one)."""
        return bool(self.mask[token.idx])

    def sent_no(self, i: int) -> int:
        """The number of token ``i``'s sentence."""
        return max(bisect_right(self.sent_starts, i) - 1, 0)

    def sent_of(self, i: int) -> Sentence:
        """Token ``i``'s sentence."""
        return self.sents[self.sent_no(i)]

    def first_token_from(self, char: int) -> int:
        """The first token starting at or after ``char``."""
        return bisect_left(self.tok_starts, char)

    def index_tokens(self) -> None:
        """The cue and the alphabetic tokens outside quotes, once per doc."""
        for token in self.doc:
            if self.inside(token):
                continue
            if token.is_alpha:
                self.alphas.append(token.i)
            if self.is_cue(token):
                self.cues.append(token.i)

    def any_alpha(self, lo: int, hi: int) -> bool:
        """An alphabetic token outside quotes among tokens [lo, hi)."""
        k = bisect_left(self.alphas, lo)
        return k < len(self.alphas) and self.alphas[k] < hi

    def is_cue(self, token: Any) -> bool:
        """A speech verb or the "according" of "according to"."""
        if token.lower_ == ACCORDING[0]:
            return token.i + 1 < len(self.doc) and token.nbor().lower_ == ACCORDING[1]
        if token.pos_ not in ("VERB", "AUX") or not is_speech_lemma(token.lemma_):
            return False
        if token.tag_ == "VBN":  # "has said" is a cue, "was asked", "the man quoted" are not
            deps = {c.dep_ for c in token.children}
            return "auxpass" not in deps and token.dep_ not in ("amod", "acl")
        return True
