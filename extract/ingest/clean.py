"""The cleaning stage: a page's HTML -> its main text and metadata.

trafilatura finds the article body and the metadata; this module decodes the
bytes first (trafilatura ignores the HTTP charset), shapes the text into
paragraphs separated by a blank line (quote extraction relies on that: a quote
re-opened at the start of the next paragraph), drops a repeated headline, and
runs the boilerplate filter over the edges.
"""

from __future__ import annotations

import codecs
import logging
import re
from functools import cache
from typing import TYPE_CHECKING, Any

from extract.ingest.boilerplate import strip_boilerplate
from extract.models import CleanArticle
from extract.safe_text import markup_without_controls

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from trafilatura.settings import Document

log = logging.getLogger(__name__)

BOILERPLATE_VERSION = "2"
# Bumped when the cleaning changes what a stored page becomes, so `briefing reprocess`
# cleans it again: 2 strips control characters before parsing (one &#27; lost a page).
CLEANING_VERSION = "2"


@cache
def cleaner_version() -> str:
    """What cleaned a page (stored with it): trafilatura's version and ours.

    Asked when a page is stored, not at import: reading installed packages' metadata
    (``importlib.metadata``) costs ~20 ms that an idle re-poll has no use for."""
    from importlib.metadata import version

    return (
        f"trafilatura {version('trafilatura')}; boilerplate {BOILERPLATE_VERSION}; "
        f"cleaning {CLEANING_VERSION}"
    )


def __getattr__(name: str) -> str:
    # ``CLEANER_VERSION`` stays a module attribute for readers of it, computed on first use.
    if name == "CLEANER_VERSION":
        return cleaner_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Chosen by measuring on the extraction benchmark (tests/bench/bench_extraction.py,
# 181 pages, F1 over 4-word shingles): comments are not the article, and
# favor_precision drops more teasers and link lists than article text. trafilatura
# alone: include_comments=False 0.960, + favor_precision 0.964, balanced 0.963,
# favor_recall 0.962; dropping tables loses recall (0.959); fast=True loses 0.018.
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "favor_precision": True,
    "include_tables": True,
}

# favor_precision results shorter than this are checked against a balanced pass,
# which is used when it finds at least RETRY_GAIN times as many words.
RETRY_BELOW_WORDS = 50
RETRY_GAIN = 2

# Fewer words than this is a label or a lone nav link, not an article; the caller
# is better served by the feed's summary. (The shortest benchmark article has 18.)
MIN_WORDS = 5
# Chinese and Japanese put no spaces between words: count each of these
# characters as a word, or a whole Chinese article counts as a few "words".
_UNSPACED = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

_SNIFF_BYTES = 4096  # browsers look for <meta charset> in the first 1024; be lenient
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# WHATWG: pages labelled latin-1/ascii are decoded as windows-1252 by every browser.
_ALIASES = {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# class or id words of hover cards ("rollover-people-block", "tooltip", "popover")
_HOVER_CARD = re.compile(r"tooltip|popover|pop-over|hover-?card|rollover|tippy-box")
_HOVER_TRIGGER = re.compile(r"link|trigger|anchor|toggle|handle|wrap")
_LANG_CODE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*")


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode page bytes: BOM, valid UTF-8, the declared charset, <meta charset>,
    detection, then windows-1252 with replacement. Never raises.

    UTF-8 is tried before the declared charset because a page that decodes as
    UTF-8 almost never is anything else, while servers often declare latin-1 by
    default for UTF-8 pages.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    meta = _META_CHARSET.search(data[:_SNIFF_BYTES])
    candidates = ["utf-8", declared, meta.group(1).decode("ascii") if meta else None]
    for name in candidates:
        text = _try_decode(data, name)
        if text is not None:
            return text
    for name in _detected(data):
        text = _try_decode(data, name)
        if text is not None:
            return text
    return data.decode("cp1252", errors="replace")


def _try_decode(data: bytes, name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip()).name
    except LookupError:  # a made-up or misspelt label: ignore it
        return None
    if codec.startswith("utf-16") or codec.startswith("utf-32"):
        return None  # a <meta> in ASCII-compatible bytes cannot really be UTF-16
    try:
        return data.decode(_ALIASES.get(codec, codec))
    except UnicodeDecodeError:
        return None


def _detected(data: bytes) -> list[str]:
    from trafilatura.utils import detect_encoding

    try:
        return list(detect_encoding(data))
    except Exception:  # noqa: BLE001 - detection is a guess; failing to guess is not an error
        return []


def clean_page(
    html: str | bytes, url: str | None = None, *, encoding: str | None = None
) -> CleanArticle | None:
    """The main text and metadata of a page, or None when nothing usable was found.

    ``encoding`` is the charset the server declared (Content-Type), if any.
    The text holds paragraphs separated by "\\n\\n", without the headline and
    without calls to action at its edges.
    """
    if isinstance(html, (bytes, bytearray)):
        html = decode_html(bytes(html), encoding)
    if not isinstance(html, str) or not html.strip():
        return None
    # lxml refuses a control character (even one &#27;) and the whole page was lost.
    html = markup_without_controls(html)
    tree = _parse(html)
    if tree is None:
        return None
    drop_hover_cards(tree)
    document = _extract(tree, url)
    if document is None:
        return None
    title = _field(document.title)
    text = strip_boilerplate(_paragraphs(document.text or "", title))
    if _words(text) < MIN_WORDS:
        return None
    return CleanArticle(
        text=text,
        title=title,
        author=_field(document.author),
        date=_field(document.date),
        sitename=_field(document.sitename),
        language=_field(document.language) or page_language(tree),
    )


def drop_hover_cards(tree: HtmlElement) -> int:
    """Remove tooltips, hover cards and pop-overs, keeping the text after each.

    They sit inline right after the link they describe, so their text was glued
    into the sentence ("Rep. Ilhan OmarIlhan OmarHillicon Valley: ..."): the name
    again, then the person's latest headlines. The link ("...-link", "...-trigger")
    and a wrapper holding both link and card stay; the innermost cards go.
    Returns how many were removed."""
    cards = [el for el in tree.iter() if isinstance(el.tag, str) and _is_hover_card(el)]
    found = set(cards)
    inner = [el for el in cards if not any(d in found for d in el.iterdescendants() if d is not el)]
    for el in inner:
        if el.getparent() is not None:
            el.drop_tree()  # lxml.html keeps the tail text
    return len(inner)


def _is_hover_card(el: HtmlElement) -> bool:
    words = f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()
    return any(_HOVER_CARD.search(w) and not _HOVER_TRIGGER.search(w) for w in words)


def _parse(html: str) -> HtmlElement | None:
    # Imported here, not at the top: an idle re-poll (every feed unchanged) cleans
    # nothing and should not pay for importing trafilatura (~0.3 s of CPU).
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception as exc:  # noqa: BLE001 - lxml on arbitrary web input: report, don't crash the batch
        log.warning("cannot parse page: %s", exc)
        return None


def _extract(tree: HtmlElement, url: str | None) -> Document | None:
    """trafilatura with TRAFILATURA_OPTIONS; when favor_precision keeps next to
    nothing, the balanced setting's result if it is much longer.

    favor_precision occasionally discards the whole article body and keeps only a
    notice (on the benchmark: a Barron's page reduced to its reprint notice); a
    second, balanced pass costs time only on such short results.
    """
    document = _bare_extraction(tree, url, TRAFILATURA_OPTIONS)
    if not TRAFILATURA_OPTIONS.get("favor_precision") or _word_count(document) >= RETRY_BELOW_WORDS:
        return document
    balanced = _bare_extraction(tree, url, {**TRAFILATURA_OPTIONS, "favor_precision": False})
    return pick_extraction(document, balanced)


def pick_extraction(precise: Document | None, balanced: Document | None) -> Document | None:
    """The balanced result when it has RETRY_GAIN times the words of the precise one
    (which came up short), else the precise one."""
    words = _word_count(precise)
    if balanced is not None and _word_count(balanced) >= RETRY_GAIN * max(words, 1):
        return balanced
    return precise


def _bare_extraction(
    tree: HtmlElement, url: str | None, options: dict[str, Any]
) -> Document | None:
    import trafilatura
    from trafilatura.settings import Document

    try:
        found = trafilatura.bare_extraction(tree, url=url, with_metadata=True, **options)
        return found if isinstance(found, Document) else None  # a dict only with as_dict
    except Exception as exc:  # noqa: BLE001 - as above: one odd page must not end a refresh
        log.warning("trafilatura failed on %s: %s", url or "a page", exc)
        return None


def _words(text: str) -> int:
    return len(text.split()) + len(_UNSPACED.findall(text))


def _word_count(document: Document | None) -> int:
    return len(document.text.split()) if document is not None and document.text else 0


def _field(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _paragraphs(text: str, title: str | None) -> str:
    """One paragraph per line of trafilatura's text, joined by a blank line.

    trafilatura puts every block (paragraph, heading, list item, <br> line) on its
    own line; a leading line repeating the headline is dropped because the title
    is stored on its own.
    """
    lines = [" ".join(line.split()) for line in text.splitlines()]
    lines = [line for line in lines if line]
    while lines and title and _same_words(lines[0], title):
        lines.pop(0)
    return "\n\n".join(lines)


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def page_language(tree: HtmlElement) -> str | None:
    """The primary language subtag the page declares (<html lang>, Content-Language,
    og:locale), lower-cased: "en-GB" -> "en"."""
    values = tree.xpath(
        "/html/@lang | /html/@xml:lang"
        " | //meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')"
        "='content-language']/@content"
        " | //meta[@property='og:locale']/@content",
        namespaces={"xml": "http://www.w3.org/XML/1998/namespace"},
    )
    for value in values:
        match = _LANG_CODE.fullmatch(str(value).strip())
        if match:
            return match.group(1).lower()
    return None
