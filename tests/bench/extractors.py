"""Extractors for ``../shared/extraction-benchmark/score.py`` (``module:function`` names).

``shipped`` is the text exactly as Briefing stores it; ``trafilatura_only`` is the
same without the boilerplate filter, to measure what the filter does.
"""

from __future__ import annotations

from extract.ingest import clean
from extract.ingest.clean import clean_page


def shipped(html: str, url: str | None) -> str:
    """The text exactly as shipped, for the extraction benchmark's score.py."""
    article = clean_page(html, url)
    return article.text if article else ""


def trafilatura_only(html: str, url: str | None) -> str:
    """As shipped but without the boilerplate filter, to measure what the filter does."""
    tree = clean._parse(html)
    document = clean._extract(tree, url) if tree is not None else None
    if document is None:
        return ""
    return clean._paragraphs(document.text or "", clean._field(document.title))
