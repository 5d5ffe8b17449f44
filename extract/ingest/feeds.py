"""Feed parsing: bytes in, normalised ``FeedEntry`` values out, never an exception.

feedparser is only ever given the bytes we fetched (wrapped in a stream: given
bare bytes it first tries them as a *file name*), so it never opens a URL or
a file itself. Links are resolved here, against the feed's address, and kept
only when we may fetch them (see ``extract.urls``).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import io
import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from extract.models import FeedEntry
from extract.safe_text import markup_without_controls, one_line, safe
from extract.urls import is_fetchable_link, resolve_link

UNTITLED = "(untitled)"
MAX_FIELD_CHARS = 500  # a title or an author is a line; 1 MB of one is an attack
# Longest text kept in a name-like element before feedparser sees it: feedparser
# looks for an e-mail address in authors with a regex that takes time growing
# with the square of the length (40,000 characters: ~10 s).
MAX_NAME_BYTES = MAX_FIELD_CHARS
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # older dates are parse errors, not news
FUTURE_SLACK = timedelta(days=2)  # clocks and time zones drift; more is a bad date
# Elements that end a paragraph when turned into plain text.
BLOCKS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "table",
        "tr",
        "section",
        "article",
        "header",
        "footer",
        "figure",
        "figcaption",
        "hr",
        "aside",
        "main",
        "nav",
        "address",
    }
)
DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "svg", "head")
_TAG = re.compile(r"<[A-Za-z!/?]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


@dataclass(slots=True)
class ParsedFeed:
    title: str | None
    entries: list[FeedEntry]
    problem: str | None  # human-readable; set when the body was not (quite) a feed


def parse_feed(
    body: bytes,
    base_url: str,
    content_type: str | None = None,
    *,
    allow_local: bool | None = None,
    now: datetime | None = None,
    max_entries: int | None = None,
) -> ParsedFeed:
    """Parse a fetched feed body. ``base_url`` is where it came from.

    ``allow_local`` says whether entry links may point at local files; by
    default only when ``base_url`` is itself a local path or ``file:`` URI.
    ``now`` is the reference for "too far in the future" (default: now).
    ``max_entries`` keeps only the first entries (and the problem says so).
    """
    if allow_local is None:
        allow_local = _is_local(base_url)
    not_feed = _not_a_feed(body, content_type)
    if not_feed:
        return ParsedFeed(None, [], not_feed)
    # Imported here: an idle re-poll (every feed answering 304) parses no feed.
    import feedparser

    try:
        parsed = feedparser.parse(
            io.BytesIO(_cap_names(body)),
            response_headers=_headers(content_type),
            resolve_relative_uris=False,
            sanitize_html=False,
        )
    except Exception as exc:  # noqa: BLE001 - feedparser must not take the app down
        return ParsedFeed(None, [], f"could not parse the feed: {exc}")
    raw = _trusted(parsed)
    total = len(raw)
    if max_entries is not None and total > max_entries:
        raw = raw[:max_entries]
    entries, unreadable = _entries(raw, base_url, allow_local, now or datetime.now(UTC))
    try:
        title = _plain_title(parsed.feed.get("title"), parsed.feed.get("title_detail")) or None
    except Exception:  # noqa: BLE001  a feed title we cannot read is no reason to lose entries
        title = None
    problem = _problem(parsed, entries)
    if unreadable:
        lost = f"{unreadable:,} entr{'y' if unreadable == 1 else 'ies'} could not be read"
        problem = f"{problem}; {lost}" if problem else lost
    if len(raw) < total:
        cut = f"only the first {len(raw):,} of {total:,} entries were read"
        problem = f"{problem}; {cut}" if problem else cut
    return ParsedFeed(title, entries, problem)


def _is_local(base_url: str) -> bool:
    scheme = urlsplit(base_url).scheme.lower() if base_url else "http"
    return scheme in ("", "file") or len(scheme) == 1


def _headers(content_type: str | None) -> dict[str, str]:
    # Only the server's charset is worth passing on. feedparser follows RFC 3023
    # to the letter: text/xml without a charset means US-ASCII, and any non-XML
    # type is flagged, so real types would turn fine feeds into "problems".
    # No content-location: feedparser would resolve RSS guids against it too,
    # and a guid must not change when the feed's address does. Links are
    # resolved against base_url in _link (after feedparser applied xml:base).
    charset = _CHARSET.search(content_type or "")
    return {"content-type": "application/xml" + (f"; charset={charset[1]}" if charset else "")}


def _not_a_feed(body: bytes, content_type: str | None) -> str | None:
    """A reason when the body is plainly not a feed, before parsing it."""
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head:
        return "not a feed: the response is empty"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        return None  # UTF-16/32: leave it to feedparser's encoding detection
    if head.startswith((b"{", b"[")):
        if b"jsonfeed.org" in head:
            return "not a feed we can read: JSON Feed is not supported"
        return "not a feed: looks like JSON"
    if head.startswith((b"<!doctype html", b"<html")) or (
        b"<html" in head and not any(tag in head for tag in (b"<rss", b"<feed", b"<rdf"))
    ):
        return "not a feed: looks like an HTML page"
    if not head.startswith(b"<"):
        return "not a feed: the response is not XML"
    return None


def _trusted(parsed: Any) -> list[Any]:
    """The raw entries worth keeping.

    When the XML is broken, feedparser's forgiving parser still returns what
    it could piece together; in a truncated document the last "entry" may be a
    fragment. One with neither an id nor a link cannot be told from such a
    fragment (nor fetched), so from a broken document only identifiable
    entries are kept.
    """
    if not isinstance(parsed.get("bozo_exception"), xml.sax.SAXException):
        return list(parsed.entries)
    return [item for item in parsed.entries if item.get("id") or item.get("link")]


def _problem(parsed: Any, entries: list[FeedEntry]) -> str | None:
    exc = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if entries:
        return f"the feed has problems but was read: {_describe(exc)}" if exc else None
    if exc is not None:
        return f"malformed XML: {_describe(exc)}"
    if not parsed.get("version"):
        return "not a feed: no RSS, Atom or RDF document found"
    return None  # a valid feed that is simply empty


def _describe(exc: BaseException) -> str:
    line = getattr(exc, "getLineNumber", None)
    message = exc.getMessage() if hasattr(exc, "getMessage") else str(exc)
    return f"{message} at line {line()}" if callable(line) else str(message)


def _entries(
    raw: list[Any], base_url: str, allow_local: bool, now: datetime
) -> tuple[list[FeedEntry], int]:
    """The entries, and how many could not be read at all."""
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    unreadable = 0
    for item in raw:
        try:
            entry = _entry(item, base_url, allow_local, now)
        except Exception:  # noqa: BLE001  one unreadable entry must not lose the others
            unreadable += 1
            continue
        if entry.guid not in seen:  # duplicate guids: the first one wins
            seen.add(entry.guid)
            entries.append(entry)
    return entries, unreadable


# The text of a name-like element (any namespace prefix), plain or in CDATA.
_NAME_ELEMENT = re.compile(
    rb"(<(?:[\w.-]+:)?(?:author|creator|name|email|managingEditor|webMaster|publisher"
    rb"|contributor|owner)\b[^<>]*>\s*)(<!\[CDATA\[.*?\]\]>|[^<]+)",
    re.DOTALL,
)
_UTF_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _cap_names(body: bytes) -> bytes:
    """``body`` with every name-like element's text cut to ``MAX_NAME_BYTES``, so that
    feedparser's author handling stays fast; the entry keeps the start of the name."""
    for bom, codec in _UTF_BOMS:
        if body.startswith(bom):  # work on the text, and give it back in its encoding
            try:
                text = body.decode(codec)
            except UnicodeDecodeError:
                return body
            return _cap_names(text.encode("utf-8")).decode("utf-8").encode(codec)
    return _NAME_ELEMENT.sub(_cut_name, body)


def _cut_name(match: re.Match[bytes]) -> bytes:
    text = match[2]
    if len(text) <= MAX_NAME_BYTES:
        return match[0]
    if text.startswith(b"<![CDATA["):
        return match[1] + text[:MAX_NAME_BYTES] + b"]]>"
    cut = MAX_NAME_BYTES
    while cut and 0x80 <= text[cut] < 0xC0:  # not inside a UTF-8 character
        cut -= 1
    amp = text.rfind(b"&", max(cut - 12, 0), cut)
    if amp != -1 and b";" not in text[amp:cut]:
        cut = amp  # not inside an entity either
    return match[1] + text[:cut]


def _entry(item: Any, base_url: str, allow_local: bool, now: datetime) -> FeedEntry:
    title = _plain_title(item.get("title"), item.get("title_detail"))
    # dict.get: FeedParserDict.get maps a missing updated_parsed to
    # published_parsed (with a DeprecationWarning); we want the real fields.
    published = _date(dict.get(item, "published_parsed"), now) or _date(
        dict.get(item, "updated_parsed"), now
    )
    link = _link(item.get("link"), base_url, allow_local)
    summary = _summary(item)
    return FeedEntry(
        guid=_guid(item, link, title, published, summary),
        link=link,
        title=title or UNTITLED,
        author=_author(item),
        published=published,
        summary=summary,
    )


def _guid(
    item: Any, link: str | None, title: str, published: datetime | None, summary: str = ""
) -> str:
    guid = (item.get("id") or "").strip()
    if guid:
        return guid
    if link:
        return link
    stamp = published.isoformat() if published else ""
    # The text too: untitled, undated notes must not all share one guid.
    text = f"\n{summary}" if summary and not title else ""
    return "sha1:" + hashlib.sha1(f"{title}\n{stamp}{text}".encode()).hexdigest()


def _link(raw: str | None, base_url: str, allow_local: bool) -> str | None:
    if not raw:
        return None
    if (
        allow_local
        and raw[:7].lower() == "file://"
        and raw[7:8] != "/"
        and not raw[7:].lower().startswith("localhost/")
    ):
        # feedparser "fixes" file:///tmp/a.html into file://tmp/a.html (host "tmp")
        raw = "file:///" + raw[7:]
    link = resolve_link(raw, base_url)
    return link if is_fetchable_link(link, allow_local) else None


def _author(item: Any) -> str | None:
    detail = item.get("author_detail") or {}
    name = detail.get("name") or item.get("author") or ""
    return _field(_strip_tags(name) if _TAG.search(name) else name) or None


def _date(value: Any, now: datetime) -> datetime | None:
    """feedparser's UTC struct_time as an aware datetime, or None if absurd."""
    if not value:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (ValueError, OverflowError, OSError, TypeError):
        return None
    return when if EARLIEST <= when <= now + FUTURE_SLACK else None


def _summary(item: Any) -> str:
    for part in item.get("content") or ():
        if (part.get("value") or "").strip():
            return safe(_text(part["value"], part.get("type")))
    detail = item.get("summary_detail") or {}
    return safe(_text(item.get("summary") or "", detail.get("type")))


def _text(value: str, kind: str | None) -> str:
    if kind and "html" not in kind and not _TAG.search(value):
        return _paragraphs(value)
    return html_to_text(value)


def _plain_title(value: str | None, detail: Any) -> str:
    if not value:
        return ""
    kind = (detail or {}).get("type") or "text/html"
    if "html" in kind and _TAG.search(value):
        return _field(_strip_tags(value))
    return _field(html.unescape(value) if "html" in kind else value)


def _strip_tags(value: str) -> str:
    try:
        root = _fragment(value)
    except ValueError:  # lxml refusing a character we did not foresee: keep the raw text
        root = None
    return "".join(root.itertext()) if root is not None else value


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: paragraphs separated by a blank line,
    whitespace collapsed, scripts and styles removed, entities decoded."""
    markup = markup_without_controls(markup)  # lxml refuses them; no terminal should see them
    if not _TAG.search(markup):
        return _paragraphs(html.unescape(markup))
    root = _fragment(markup)
    if root is None:
        return _paragraphs(markup)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in BLOCKS:
            # Breaks before the content and after the element mark its edges.
            element.text = "\n\n" + (element.text or "")
            element.tail = "\n\n" + (element.tail or "")
    return _paragraphs("".join(root.itertext()))


def _fragment(markup: str) -> Any:
    # Imported here, as feedparser is: an idle re-poll parses no feed (lxml: ~20 ms).
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(markup_without_controls(markup), create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return None
    for element in root.iter(*DROPPED):
        element.drop_tree()
    return root


def _paragraphs(text: str) -> str:
    parts = (_collapse(p) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in parts if p)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def _field(text: str) -> str:
    """A one-line field (title, author): no controls, bidi or zero-width characters, capped."""
    return one_line(text[: MAX_FIELD_CHARS * 4])[:MAX_FIELD_CHARS]


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
