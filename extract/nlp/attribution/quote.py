"""Building a ``Quote`` value from what the rules found."""

from __future__ import annotations

from typing import Any

from extract.models import Quote, QuoteKind
from extract.nlp.cues import ACCORDING
from extract.nlp.speakers import Speaker


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def make_quote(
    kind: QuoteKind,
    text: str,
    spans: tuple[tuple[int, int], ...],
    speaker: Speaker,
    cue: Any | None,
    sent_start: int,
    sent_end: int,
) -> Quote:
    cue_text = None
    if cue is not None:
        cue_text = cue.text
        if cue.lower_ == ACCORDING[0]:
            cue_text = text[cue.idx : cue.nbor().idx + len(cue.nbor().text)]
    resolution = speaker.resolution if speaker.name is not None else "none"
    return Quote(
        kind=kind,
        text=" ".join(text[s:e] for s, e in spans),
        spans=spans,
        speaker=speaker.name,
        speaker_mention=speaker.mention,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        role=speaker.role,
        cue=cue_text,
        resolution=resolution,
        sentence_start=sent_start,
        sentence_end=sent_end,
    )
