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
from extract.urls import address_problem

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


def parse_opml(data: str | bytes) -> OpmlList | None:
    """The feeds of an OPML document, or None when it is not OPML at all.

    Bytes are decoded as the document declares (latin-1, UTF-16 with its BOM, ...)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
    try:
        if isinstance(data, str):
            root = lxml.etree.fromstring(_XML_DECLARATION.sub("", data, count=1), parser)
        else:
            root = _opml_root(data, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    if root.tag != "opml":
        return None
    feeds: list[OpmlFeed] = []
    refused: list[Refused] = []
    seen: set[str] = set()
    body = root.find("body")
    for outline, folders in _outlines(body if body is not None else root, ()):
        url = one_line(outline.get("xmlUrl") or outline.get("xmlurl") or "")
        name = one_line(outline.get("title") or outline.get("text") or "") or url
        problem = _url_problem(url) or ("the list has it already" if url in seen else None)
        if problem:
            refused.append(Refused(name, url, problem))
            continue
        categories = (c.strip("/ ") for c in (outline.get("category") or "").split(","))
        tags = [folder_tag(t) for t in (*folders, *categories)]
        seen.add(url)
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


def _opml_root(data: bytes, parser: lxml.etree.XMLParser) -> lxml.etree._Element:
    """The document as it declares itself; undeclared and not UTF-8, as Windows-1252
    (what old feed readers export), so "Café" is not lost."""
    try:
        return lxml.etree.fromstring(data, parser)
    except lxml.etree.XMLSyntaxError:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
            return lxml.etree.fromstring(_XML_DECLARATION.sub("", text, count=1), parser)
        raise


def _url_problem(url: str) -> str | None:
    if not url:
        return "it has no feed URL"
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1"
        return "not a valid URL"
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
    return address_problem(url)  # a port above 65535, ...


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
                folders[feed.tags[0]] = ET.SubElement(
                    body, "outline", text=feed.tags[0], title=feed.tags[0]
                )
            parent = folders[feed.tags[0]]
        attrs = {"type": "rss", "text": feed.name, "title": feed.name, "xmlUrl": feed.url}
        if len(feed.tags) > 1:
            attrs["category"] = ",".join(f"/{t}" for t in feed.tags)
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
