"""OPML subscription lists, both ways: reading one (folders and all, with what was refused
and why) and writing the configured feeds as one (folders from tags).

Reading: only http(s) feeds with a host are kept, so an imported list cannot point Briefing
at local files or ``javascript:``; every refusal is kept with its reason, for the user.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

import lxml.etree

from extract.config import FeedConfig
from extract.safe_text import one_line

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_NOT_TAG = re.compile(r"[^\w.+-]+")


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    name: str
    url: str
    tags: tuple[str, ...]  # from the folders it sits in (and its category attribute)


@dataclass(frozen=True, slots=True)
class Refused:
    name: str
    url: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlList:
    feeds: tuple[OpmlFeed, ...]
    refused: tuple[Refused, ...]


def folder_tag(folder: str) -> str:
    """A folder name as a config tag (one word): "World News" -> "world-news"."""
    return _NOT_TAG.sub("-", one_line(folder).casefold()).strip("-")


def parse_opml(text: str) -> OpmlList | None:
    """The feeds of an OPML document, or None when the text is not OPML at all."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        root = lxml.etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != "opml":
        return None
    feeds: list[OpmlFeed] = []
    refused: list[Refused] = []
    body = root.find("body")
    for outline, folders in _outlines(body if body is not None else root, ()):
        url = one_line(outline.get("xmlUrl") or outline.get("xmlurl") or "")
        name = one_line(outline.get("title") or outline.get("text") or "") or url
        problem = _url_problem(url)
        if problem:
            refused.append(Refused(name, url, problem))
            continue
        categories = (c.strip("/ ") for c in (outline.get("category") or "").split(","))
        tags = [folder_tag(t) for t in (*folders, *categories)]
        feeds.append(OpmlFeed(name, url, tuple(dict.fromkeys(t for t in tags if t))))
    return OpmlList(tuple(feeds), tuple(refused))


def _outlines(parent: lxml.etree._Element, folders: tuple[str, ...]):  # noqa: ANN202
    """(outline, the folders around it) for every feed outline, depth first."""
    for outline in parent.iterchildren("outline"):
        if outline.get("xmlUrl") is not None or outline.get("xmlurl") is not None:
            yield outline, folders
        else:  # a folder
            name = one_line(outline.get("title") or outline.get("text") or "")
            yield from _outlines(outline, (*folders, name) if name else folders)


def _url_problem(url: str) -> str | None:
    if not url:
        return "it has no feed URL"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "a local path"
        return f"only http(s) feeds are imported, not {shown}"
    try:
        host = parts.hostname
    except ValueError:
        host = None
    if not host:
        return "not a valid URL: it has no host"
    return None


def write_opml(feeds: Sequence[FeedConfig], now: datetime, title: str = "Briefing feeds") -> str:
    """The feeds as OPML 2.0: a folder per feed's first tag (the others as ``category``),
    untagged feeds at the top level. Local-file feeds are left out (no other reader could
    use them)."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        if feed.is_local:
            continue
        parent = body
        if feed.tags:
            if feed.tags[0] not in folders:
                folders[feed.tags[0]] = ET.SubElement(body, "outline", text=feed.tags[0],
                                                      title=feed.tags[0])
            parent = folders[feed.tags[0]]
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if len(feed.tags) > 1:
            attrs["category"] = ",".join(f"/{t}" for t in feed.tags)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
