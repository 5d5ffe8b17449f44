"""How an article's text is obtained: the cleaned page, else the feed's own text.

One place for the decision, used when fetching and when re-cleaning offline
(``briefing reprocess``), so both give the same text, status and language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from extract.ingest.language import detect_language
from extract.models import Analysis, CleanArticle, TextStatus

# Dedupe by content only on real article text this long: short texts ("Read the
# full story on our site.", a consent wall) repeat across different stories.
MIN_HASHED_WORDS = 50


@dataclass(frozen=True, slots=True)
class ArticleText:
    text: str
    status: TextStatus
    reason: str | None  # why it is not the full page text
    language: str | None
    page: CleanArticle | None  # metadata from the page, when it was cleaned
    content_hash: str | None  # for dedupe; None where content is no evidence of identity


def text_from_page(
    html: bytes | None,
    url: str | None,
    content_type: str | None,
    summary: str,
    failure: str | None = None,
) -> ArticleText:
    """The cleaned page; the feed's summary if the page gives none; else ``failed``.

    ``failure`` says why there is no page to clean (it was not fetched).
    """
    page = None
    if html is not None and failure is None:
        # Imported here: an idle re-poll cleans no page (the cleaner's imports: ~40 ms).
        from extract.ingest import clean as cleaning

        page = cleaning.clean_page(html, url, encoding=charset(content_type))
        if page is None or not page.text.strip():
            failure, page = "no article text found on the page", None
    if page is not None:
        return ArticleText(
            page.text,
            "full_text",
            None,
            detect_language(page.text, page.language),
            page,
            content_hash(page.text),
        )
    if summary.strip():
        return ArticleText(summary, "feed_summary", failure, detect_language(summary), None, None)
    return ArticleText("", "failed", failure or "no text", None, None, None)


def not_analysed(language: str | None, languages: tuple[str, ...]) -> Analysis:
    return Analysis(
        skipped=f"not analysed: language {language!r} is not in [nlp] languages {list(languages)}"
    )


def content_hash(text: str) -> str | None:
    words = text.split()
    if len(words) < MIN_HASHED_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def charset(content_type: str | None) -> str | None:
    """``text/html; charset=ISO-8859-1`` -> ``ISO-8859-1``."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"') or None
    return None
