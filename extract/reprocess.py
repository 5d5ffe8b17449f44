"""Re-run cleaning and NLP offline, from the HTML kept in the store."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from extract import clean as cleaning
from extract.config import Config
from extract.ingest import MAX_ANALYSED_CHARS, default_analyser
from extract.language import detect_language
from extract.models import Analysis
from extract.store import Store


def reprocess_store(config: Config, store: Store,
                    step: Callable[[int, int], None] = lambda done, total: None) -> int:
    """Re-clean and re-analyse every stored article; returns how many were done."""
    ids = store.all_article_ids()
    step(0, len(ids))
    recleaned = [(i, _reclean(store, i)) for i in ids]
    wanted = [(i, page) for i, page in recleaned if page[0]
              and page[2] in config.nlp.languages]
    analyses: Iterator[Analysis] = default_analyser(config)(
        page[0][:MAX_ANALYSED_CHARS] for _, page in wanted)
    by_id = dict(zip((i for i, _ in wanted), analyses))
    for done, (article_id, (text, status, language)) in enumerate(recleaned, 1):
        analysis = by_id.get(article_id)
        if analysis is None and text:
            analysis = Analysis(skipped=f"not analysed: language {language!r} is not in "
                                        f"[nlp] languages {list(config.nlp.languages)}")
        store.replace_text(article_id, text=text, text_status=status,
                           text_reason=_reason(store, article_id, status), language=language,
                           cleaned_with=cleaning.CLEANER_VERSION, analysis=analysis)
        step(done, len(ids))
    return len(ids)


def _reclean(store: Store, article_id: int) -> tuple[str, str, str | None]:
    """(text, status, language) from the stored HTML, else the feed's summary."""
    html = store.raw_html(article_id)
    page = cleaning.clean_page(html) if html else None
    if page is not None and page.text.strip():
        return page.text, "full_text", detect_language(page.text, page.language)
    summary = store.summary(article_id)
    if summary.strip():
        return summary, "feed_summary", detect_language(summary)
    return "", "failed", None


def _reason(store: Store, article_id: int, status: str) -> str | None:
    if status == "full_text":
        return None
    article = store.article(article_id)
    return article.text_reason if article else None
