"""Drop calls to action and page furniture that trafilatura keeps in an article.

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

Page furniture is dropped wherever it is: whole paragraphs that are never
prose, such as "Story continues below gallery", "Advertisement", "Read more: ...",
an error message of the page's scripts or a reprint-licence notice.
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
    # "copyright Inexhibit 2019 - ...": a capitalised name, then the year
    r"copyright\s+(?:(?-i:[A-Z])[\w&.'’-]*\s+){1,4}(?:19|20)\d\d\b.{0,150}",
    r".{0,120}\bISSN\b:?\s*\d{4}-?\d{3}[\dX]\b.{0,80}",
    # subscriptions by post or mail: "Get X delivered through your letterbox"
    r"(?:get|receive|have) .{0,60}\b(?:delivered|sent) (?:straight |directly |right )?"
    r"(?:to|through|into|at) your (?:inbox|letter ?box|mailbox|door|doorstep|home|phone)\b.{0,140}",
    r"get (?:the |our |all the )?(?:(?:day|week|morning|evening|weekend)['’]s |daily |weekly )"
    r".{0,160}",
    r"start your (?:day|morning|week)\b.{0,180}",
    # broadcasts and podcasts: "Listen to Newsbeat live at 12:45", "Watch again on iPlayer"
    r"(?:listen|watch|tune in)\b.{0,60}\b(?:live (?:at|on|from) \d|live (?:every|weekdays|daily)"
    r"|listen back|watch again|on demand|catch up on)\b.{0,140}",
    # contact lines of the author: an address or handle to write to
    r"(?:have a (?:news )?tip\?|write to|e-?mail|contact|reach)\b.{0,160}"
    r"(?:\S+@\S+\.\w+|@\w+|https?://\S+).{0,160}",
    # a label followed only by links: "Listen: http://...", "More AP NBA: https://... and ..."
    r"[\w'’ ]{1,40}:\s*(?:(?:https?://|www\.)\S+(?:\s*(?:,|and|\|)?\s*))+",
    # credits: "Reporting by ...; Editing by ...", "X contributed reporting from Y."
    r"\(?(?:additional )?reporting by\b.{0,250}",
    r".{0,150}\bcontributed (?:reporting|to this (?:report|story|article))\b.{0,100}",
    r"source\s*:.{0,60}",
    r"(?:filed under|tagged(?: with)?|tags|categories|topics)(?:\s*:.{0,180})?",
    r"(?:last )?(?:updated|published|posted)(?: at| on)?:?\s+\d[\d:/.,]*.{0,40}",
    r"this (?:article|story|page|link) (?:has been|was) (?:sent|shared|e-?mailed) to\b.{0,80}",
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
    r"thank you(?: for reading)?",
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|(?:twitter|x|instagram|facebook)\.com/\S+",
]
# Page furniture: paragraphs that are never the article's prose, dropped wherever they
# stand (also in the middle), each anchored at its start like the phrases above.
_FURNITURE = [
    r"(?:the )?(?:story|article|text|report|content) continues (?:below|after|under)\b.{0,40}",
    r"continue reading(?: below| the (?:main )?(?:story|article))?",
    r"advertisement|advert|sponsored content",
    r"(?:an? )?(?:unexpected )?(?:error|problem) (?:has )?occurred\b.{0,100}",
    r"something went wrong\b.{0,100}|(?:please )?try again later",
    r"this (?:copy|article|content|material) is for your personal,? non-?commercial use\b.{0,400}",
    r"(?:read|see) (?:more|also)\s*:.{0,180}",
    r"\[?related(?: (?:post|posts|stories|articles|content|coverage|reading))?\s*:.{0,180}",
    r"don['’]t miss|most read(?: in [\w ]{1,30})?",
    # a WordPress shortcode the site failed to render: "[button link=...]Send us...[/button]"
    r"\[(?P<shortcode>\w+)\b[^\]]{0,300}\].{0,120}\[/(?P=shortcode)\]",
    # "tweetable" pull quotes repeat a sentence of the body, followed by the widget's label
    r".{0,300}click to tweet",
]
# Furniture may be longer than a call to action (licence notices).
MAX_FURNITURE_CHARS = 500
_FLAGS = re.IGNORECASE | re.DOTALL
_PHRASE = re.compile("|".join(f"(?:{p})" for p in _PHRASES), _FLAGS)
_LABEL = re.compile("(?:{})\\W*".format("|".join(f"(?:{p})" for p in _LABELS)), _FLAGS)
_FURNITURE_RE = re.compile("(?:{})\\W*".format("|".join(f"(?:{p})" for p in _FURNITURE)), _FLAGS)
# A sentence end: the last sentence of a promotional box is its call to action.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘'])")
_QUOTE_MARKS = re.compile('["“”‘’]')
MAX_BOX_WORDS = 60
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
        return _LABEL.fullmatch(text[marker.end() :]) is not None
    return _LABEL.fullmatch(text) is not None or _PHRASE.fullmatch(text) is not None


def is_furniture(paragraph: str) -> bool:
    """True when the whole paragraph is page furniture, never prose wherever it stands."""
    text = " ".join(paragraph.split())
    return (
        bool(text)
        and len(text) <= MAX_FURNITURE_CHARS
        and _FURNITURE_RE.fullmatch(text) is not None
    )


def is_promo_box(paragraph: str) -> bool:
    """True for a short paragraph without quotation marks whose last sentence is a call
    to action ("... is the bathroom reading of finance professionals. Sign up for the
    free daily newsletter."): a newsletter or subscription box, not the article."""
    text = " ".join(paragraph.split())
    if not text or len(text.split()) > MAX_BOX_WORDS or _QUOTE_MARKS.search(text):
        return False
    sentences = _SENTENCE_END.split(text)
    return len(sentences) > 1 and is_call_to_action(sentences[-1])


def _at_edge(paragraph: str) -> bool:
    return is_call_to_action(paragraph) or is_furniture(paragraph) or is_promo_box(paragraph)


def strip_boilerplate(text: str) -> str:
    """Drop calls to action from both edges of ``text`` and furniture from anywhere.

    Paragraphs are separated by blank lines; the kept ones are re-joined with
    "\\n\\n". In the middle only whole furniture paragraphs go.
    """
    paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip()]
    start, end = 0, len(paragraphs)
    while end > start and _at_edge(paragraphs[end - 1]):
        end -= 1
    while start < end and _at_edge(paragraphs[start]):
        start += 1
    return "\n\n".join(p for p in paragraphs[start:end] if not is_furniture(p))
