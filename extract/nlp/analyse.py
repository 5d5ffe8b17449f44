"""The front door of the NLP: texts in, one ``Analysis`` per text out, in order.

With ``[nlp] processes = 1`` texts are analysed in this process, in one
``nlp.pipe`` (``extract.nlp.model``); with more, by a pool of worker processes
that send back ``Analysis`` objects (``extract.nlp.pool``; why not spaCy's
``n_process`` is told there).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace

from extract.config import NlpSettings
from extract.models import Analysis
from extract.nlp.model import analyse_here, analyser_version, load_pipeline

log = logging.getLogger(__name__)


def analyse_texts(texts: Iterable[str], settings: NlpSettings) -> Iterator[Analysis]:
    """One Analysis per text, in order. A text that cannot be analysed yields an
    Analysis with ``skipped`` set; it never stops the others.

    With ``settings.processes`` > 1 the texts go in small chunks to a pool of
    worker processes (``extract.nlp.pool``), started on first use and kept for
    the life of this process; results still come back one by one, in order."""
    nlp = load_pipeline(settings)  # here too: forked workers inherit it, errors show here
    version = analyser_version(settings)
    if settings.processes > 1 and settings.fit_to_free_cpus:
        processes = workers_for(settings.processes, usable_cpus(), os.getloadavg()[0])
        if processes != settings.processes:
            log.info(
                "analysing with %d process(es) of %d: CPUs busy", processes, settings.processes
            )
        settings = replace(settings, processes=processes)
    if settings.processes > 1:
        from extract.nlp.pool import analyse_in_workers  # starts processes: only when asked

        yield from analyse_in_workers(texts, settings, nlp.max_length, version)
    else:
        yield from analyse_here(texts, settings, version)


def workers_for(requested: int, cpus: int, load: float) -> int:
    """How many analysis processes to run: at most ``requested``, and no more than the
    CPUs left free by others. ``load`` is the 1-minute load average, which counts this
    process too (it has just fetched and cleaned): the others' share is ``load - 1``.
    1 means analysing in this process: a worker on a CPU that is not free only makes
    the two workers wait for each other, slower than one process (measured in
    docs/performance.md)."""
    others = max(load - 1.0, 0.0)
    free = int(cpus - others + 0.5)  # a CPU at least half free counts
    return max(1, min(requested, free))


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask, as set by taskset or a
    container's cpuset), else all of them."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def analyse_text(text: str, settings: NlpSettings) -> Analysis:
    """Analyse one text (convenience for tests and the CLI)."""
    return next(analyse_texts([text], settings))
