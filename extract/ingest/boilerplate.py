"""Drop calls to action that trafilatura keeps at the edges of an article.

Newsletter boxes, share bars, "Read more:" teasers and copyright lines often sit
inside the same container as the article, so the extractor keeps them. They
pollute quote and entity extraction ("Subscribe To Our Weekly Newsletter" is not
something anybody said).

The filter is deliberately narrow: it works on whole paragraphs (separated by a
blank line), only at the start and the end of the text, only on short ones, and
only when the *whole* paragraph has the shape of a call to action. It stops at
the first paragraph that does not match, so real prose in the middle of the
article is never touched, and a sentence such as "He urged supporters to
subscribe to the newsletter" does not match because the patterns are anchored
at the start of the paragraph (a call to action is an imperative or a label).
"""

from __future__ import annotations

import re

# Longer than this and it is prose, whatever it starts with.
MAX_WORDS = 25
MAX_CHARS = 200

_NETWORKS = (
    r"(?:twitter|x|facebook|instagram|linkedin|telegram|threads|bluesky|mastodon|youtube"
    r"|tiktok|whatsapp|reddit|google news|flipboard)"
)

# Each pattern must match the whole paragraph (re.fullmatch, case-insensitive).
# Phrases are anchored on the imperative or label a call to action starts with;
# a prose sentence starts with its subject ("Support for the bill fell ...", "The
# ministry's newsletter said ...") and does not match.
_PHRASES = [
    # newsletters and subscriptions
    r"(?:subscribe|sign up|signup|register|join us)\b.{0,160}",
    r"(?:click|tap) here\b.{0,160}",
    r"get (?:notified|alerts?|updates|our|the latest|breaking news)\b.{0,160}",
    r"(?:get|receive|have) .{0,60}\b(?:delivered|sent) (?:straight |directly )?"
    r"to your inbox\b.{0,80}",
    r"(?:enter )?your e-?mail(?: address)?\b.{0,100}",
    r"(?:thank you|thanks) for (?:subscribing|signing up)\b.{0,120}",
    # donation appeals
    r"we['’]ve already come too far to end this now\W*",
    r"(?:please )?(?:donate|support (?:us|our|independent|quality|local|\w+ journalism)"
    r"|become a (?:member|supporter|patron|subscriber))\b.{0,160}",
    r"(?:make a|your) (?:donation|contribution)\b.{0,120}",
    # social and sharing
    rf"(?:follow|like|find|connect with) (?:us|him|her|them|@\w+|[\w .]{{1,40}}) "
    rf"on {_NETWORKS}\b.{{0,120}}",
    r"(?:share|post|send) (?:this|the) (?:article|story|page|post)\b.{0,120}",
    r"(?:download|get) (?:our|the) (?:free )?app\b.{0,120}",
    r"(?:like|enjoy|enjoyed|liked) this (?:article|story|post)\?.{0,150}",
    r"if you (?:enjoyed|liked|like|value|appreciate) (?:this|our) "
    r"(?:article|story|journalism|reporting)\b.{0,180}",
    # teasers
    r"(?:read|see) (?:more|also)\s*:.{0,180}",
    r"(?:related|recommended|more on this|most read|trending|more|also)"
    r"(?: (?:stories|articles|content|coverage|news|topics|reading))?\s*[:|].{0,180}",
    r"(?:listen to (?:this|the) (?:article|story)|reading time\b).{0,60}",
    # copyright lines: a year or the sign, so "Copyright law changed ..." stays
    r"(?:©|\(c\)|copyright\s*(?:©|\(c\))?\s*(?:\d{4}|by\b)).{0,180}",
    r".{0,120}\ball rights reserved\W{0,3}",
]
# Bare labels: a few words and nothing else. These also match as list items
# ("- Print Article"), because share bars are often lists; phrases do not, as an
# article's closing list may well be imperatives ("- Sign up with the same email").
_LABELS = [
    r"(?:\w+ ){0,3}newsletters?(?: sign[- ]?up)?",
    rf"share (?:on|via|to) {_NETWORKS}",
    r"share|tweet|email|e-mail|print|copy link|comments?|whatsapp|facebook|twitter|linkedin"
    r"|reddit|pinterest|save",
    r"tell us what you think",
    r"order reprints?|reprints?|print (?:this )?(?:article|story|page)",
    r"(?:read|see) (?:more|also)",
    r"(?:related|recommended|more on this|most read|trending|more|also|you (?:may|might) also like)"
    r"(?: (?:stories|articles|content|coverage|news|topics|reading|now))?",
    r"advertisement|advertising|sponsored(?: content)?|ad|story continues below(?: advertisement)?",
]
_FLAGS = re.IGNORECASE | re.DOTALL
_PHRASE = re.compile("|".join(f"(?:{p})" for p in _PHRASES), _FLAGS)
_LABEL = re.compile("(?:{})\\W*".format("|".join(f"(?:{p})" for p in _LABELS)), _FLAGS)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# trafilatura writes list items as "- item".
_LIST_MARKER = re.compile(r"(?:[-*•·]|\d{1,2}[.)])\s+")


def is_call_to_action(paragraph: str) -> bool:
    """True when the whole (short) paragraph reads as a call to action or a page label."""
    text = " ".join(paragraph.split())
    if not text or len(text) > MAX_CHARS or len(text.split()) > MAX_WORDS:
        return False
    marker = _LIST_MARKER.match(text)
    if marker:
        return _LABEL.fullmatch(text[marker.end():]) is not None
    return _LABEL.fullmatch(text) is not None or _PHRASE.fullmatch(text) is not None


def strip_boilerplate(text: str) -> str:
    """Drop call-to-action paragraphs from both edges of ``text``.

    Paragraphs are separated by blank lines; the kept ones are re-joined with
    "\\n\\n". The middle of the text is returned unchanged.
    """
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    start, end = 0, len(paragraphs)
    while end > start and is_call_to_action(paragraphs[end - 1]):
        end -= 1
    while start < end and is_call_to_action(paragraphs[start]):
        start += 1
    return "\n\n".join(paragraphs[start:end])
