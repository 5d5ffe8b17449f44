"""Re-run cleaning and NLP offline, from what the store kept of each page."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from extract.config import Config
from extract.ingest import clean as cleaning
from extract.ingest.pipeline import default_analyser
from extract.ingest.texts import ArticleText, not_analysed, text_from_page
from extract.models import Analysis
from extract.store import StoreApi, StoreDamaged


def reprocess_store(
    config: Config,
    store: StoreApi,
    step: Callable[[int, int], None] = lambda done, total: None,
    skipped: list[str] | None = None,
) -> int:
    """Re-clean and re-analyse every stored article, writing each as it is done
    (an interrupted run keeps what it finished). Returns how many were done.

    An article whose stored page is damaged is left as it is, and said in ``skipped``:
    one bad row must not stop the others."""
    ids = store.all_article_ids()
    step(0, len(ids))
    languages = config.nlp.languages
    texts: list[tuple[int, ArticleText]] = []
    for article_id in ids:
        try:
            texts.append((article_id, _reclean(store, article_id)))
        except StoreDamaged as exc:
            if skipped is not None:
                skipped.append(exc.detail)
    cut = config.nlp.max_chars
    wanted = [t.text[:cut] for _, t in texts if t.text and t.language in languages]
    analyses: Iterator[Analysis] = default_analyser(config)(iter(wanted)) if wanted else iter(())
    for done, (article_id, text) in enumerate(texts, 1):
        if not text.text:
            analysis = Analysis()
        elif text.language in languages:
            analysis = next(analyses)
        else:
            analysis = not_analysed(text.language, languages)
        store.replace_text(
            article_id,
            text=text.text,
            text_status=text.status,
            text_reason=text.reason,
            language=text.language,
            cleaned_with=cleaning.cleaner_version(),
            analysis=analysis,
        )
        step(done, len(ids))
    return len(texts)


def _reclean(store: StoreApi, article_id: int) -> ArticleText:
    source = store.page_source(article_id)
    assert source is not None  # ids come from the store itself
    failure = None if source.html else source.reason or "no page was kept"
    return text_from_page(source.html, source.url, source.content_type, source.summary, failure)
