"""The front door of the NLP: texts in, one ``Analysis`` per text out, in order.

With ``[nlp] processes = 1`` texts are analysed in this process, in one
``nlp.pipe`` (``extract.nlp.model``); with more, by a pool of worker processes
that send back ``Analysis`` objects (``extract.nlp.pool``; why not spaCy's
``n_process`` is told there).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from extract.config import NlpSettings
from extract.models import Analysis
from extract.nlp.model import analyse_here, analyser_version, load_pipeline


def analyse_texts(texts: Iterable[str], settings: NlpSettings) -> Iterator[Analysis]:
    """One Analysis per text, in order. A text that cannot be analysed yields an
    Analysis with ``skipped`` set; it never stops the others.

    With ``settings.processes`` > 1 the texts go in small chunks to a pool of
    worker processes (``extract.nlp.pool``), started on first use and kept for
    the life of this process; results still come back one by one, in order."""
    nlp = load_pipeline(settings)  # here too: forked workers inherit it, errors show here
    version = analyser_version(settings)
    if settings.processes > 1:
        from extract.nlp.pool import analyse_in_workers  # starts processes: only when asked

        yield from analyse_in_workers(texts, settings, nlp.max_length, version)
    else:
        yield from analyse_here(texts, settings, version)


def analyse_text(text: str, settings: NlpSettings) -> Analysis:
    """Analyse one text (convenience for tests and the CLI)."""
    return next(analyse_texts([text], settings))
