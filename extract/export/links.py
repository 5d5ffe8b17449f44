"""Which article links an export may make clickable: web pages only."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# Characters left as they are; anything else (spaces, quotes, <, >, backslashes,
# backticks, non-ASCII) is percent-encoded, so the URL cannot close the syntax around it.
_KEEP = "/:?#[]@!$&'()*+,;=%~-._"


def safe_link(url: str | None) -> str | None:
    """``url`` made safe to put in a link, if it is an http(s) URL with a host; else None.

    A feed may link anywhere: ``javascript:``, ``data:`` and app schemes never become links.
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return quote(url.strip(), safe=_KEEP)
