"""Worker processes for ``analyse_texts`` when ``[nlp] processes`` > 1.

Not spaCy's ``nlp.pipe(n_process=...)``, which starts new workers on every call,
deals batches to them strictly in turn (a worker with a long article holds up the
other), and ships every whole Doc back as ``Doc.to_bytes()`` to be rebuilt in the
parent, which only needs the entities and quotes. Here instead:

* one ``ProcessPoolExecutor`` per process, started on first use and kept until the
  process exits (or the model or number of processes changes). It forks on Linux, so
  the workers inherit the pipeline the parent loaded: no worker loads the model;
* texts go in chunks of about ``CHUNK_CHARS`` characters (at most ``batch_size``
  texts) to whichever worker is free, and come back as ``Analysis`` objects;
* results are yielded in input order, each as soon as it and all before it are in;
  at most ``WINDOW`` chunks per worker are in flight, so the input is read lazily;
* a chunk whose worker died (or that raised) is redone one text at a time, in a new
  pool if need be: only a text that kills a worker on its own is skipped
  (``WORKER_DIED``); after ``MAX_CRASHES`` such deaths in a row the rest of the call
  is skipped rather than forking without end;
* workers ignore SIGINT (the parent handles Ctrl-C), and on Linux get SIGTERM when
  the parent dies (even by SIGKILL), so a killed ``briefing fetch`` leaves none behind.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from extract.config import NlpSettings
from extract.models import Analysis
from extract.nlp.model import analyse_here, analyser_version, input_problem, load_pipeline

log = logging.getLogger(__name__)

CHUNK_CHARS = 10_000  # about 0.3 s of work: short enough to keep both workers busy
WINDOW = 3  # chunks in flight per worker
MAX_CRASHES = 3
WORKER_DIED = "analysis failed: the analysis worker process died"
GAVE_UP = "analysis failed: analysis worker processes keep dying"


@dataclass(slots=True)
class _Job:
    texts: list[str]
    problems: dict[int, str]  # index in texts -> skip reason found in the parent
    future: Future[list[Analysis]]
    executor: ProcessPoolExecutor


@dataclass(slots=True)
class _Pool:
    settings: NlpSettings
    owner: int = field(default_factory=os.getpid)
    executor: ProcessPoolExecutor = field(init=False)
    crashes: int = 0  # worker deaths in a row, texts run alone

    def __post_init__(self) -> None:
        self.executor = self._start()

    @property
    def key(self) -> tuple[str, int, float, int]:
        return _key(self.settings)

    def _start(self) -> ProcessPoolExecutor:
        fork = "fork" in multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if fork else None)
        return ProcessPoolExecutor(
            self.settings.processes,
            mp_context=context,
            initializer=_init_worker,
            initargs=(self.settings, os.getpid()),
        )

    def submit(
        self, texts: list[str], version: str
    ) -> tuple[Future[list[Analysis]], ProcessPoolExecutor]:
        try:
            return self.executor.submit(_analyse_chunk, texts, version), self.executor
        except BrokenProcessPool:  # a worker died since the last call
            self._restart(self.executor)
            return self.executor.submit(_analyse_chunk, texts, version), self.executor

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if broken is self.executor:
            log.warning("an analysis worker process died; starting new ones")
            broken.shutdown(wait=False, cancel_futures=True)
            self.executor = self._start()

    def results(self, job: _Job, version: str) -> Iterator[Analysis]:
        got: Iterable[Analysis | None] | None
        try:
            got = job.future.result()
        except BrokenProcessPool:
            self._restart(job.executor)
            got = None
        except Exception as exc:  # noqa: BLE001  e.g. MemoryError in the worker
            log.warning("analysis of %d text(s) failed in a worker: %s", len(job.texts), exc)
            got = None
        if not isinstance(got, list) or len(got) != len(job.texts):
            got = (
                self._alone(text, version) if i not in job.problems else None
                for i, text in enumerate(job.texts)
            )
        else:
            self.crashes = 0
        for i, analysis in enumerate(got):
            if i in job.problems:
                yield Analysis(analysed_with=version, skipped=job.problems[i])
            else:
                assert analysis is not None
                yield analysis

    def _alone(self, text: str, version: str) -> Analysis:
        """One text in a worker on its own, after its chunk failed."""
        if self.crashes >= MAX_CRASHES:
            return Analysis(analysed_with=version, skipped=GAVE_UP)
        future, executor = self.submit([text], version)
        try:
            [analysis] = future.result()
        except BrokenProcessPool:
            self.crashes += 1
            self._restart(executor)
            return Analysis(analysed_with=version, skipped=WORKER_DIED)
        except Exception as exc:  # noqa: BLE001
            return Analysis(
                analysed_with=version, skipped=f"analysis failed: {type(exc).__name__}: {exc}"
            )
        self.crashes = 0
        return analysis

    def shutdown(self) -> None:
        if self.owner == os.getpid():  # never another process's pool inherited by fork
            self.executor.shutdown(wait=True, cancel_futures=True)


_POOL: _Pool | None = None
_AT_EXIT = False


def _key(settings: NlpSettings) -> tuple[str, int, float, int]:
    # The workers keep the settings they started with: a new budget or word cap needs new ones.
    return settings.model, settings.processes, settings.cpu_per_text, settings.max_words


def _pool_for(settings: NlpSettings) -> _Pool:
    global _POOL, _AT_EXIT
    if _POOL is not None and _POOL.owner != os.getpid():
        _POOL = None  # inherited through fork: its workers are not our children
    if _POOL is not None and _POOL.key != _key(settings):
        shutdown_pool()
    if _POOL is None:
        _POOL = _Pool(settings)
        if not _AT_EXIT:
            atexit.register(shutdown_pool)
            _AT_EXIT = True
    return _POOL


def shutdown_pool() -> None:
    """Stop the worker processes, if any (also done at exit)."""
    global _POOL
    pool, _POOL = _POOL, None
    if pool is not None:
        pool.shutdown()


def worker_pids() -> list[int]:
    """The process ids of the current workers (for tests and benchmarks).

    ``ProcessPoolExecutor`` has no public list of its processes; the private one is read
    with a fallback (no pids), which only tests and benchmarks would notice."""
    if _POOL is None or _POOL.owner != os.getpid():
        return []
    return sorted(getattr(_POOL.executor, "_processes", None) or {})


def start_workers(settings: NlpSettings) -> None:
    """Start the pool now (benchmarks use it to time start-up on its own)."""
    pool = _pool_for(settings)
    list(pool.results(_job(pool, [""], {}, analyser_version(settings)), analyser_version(settings)))


def _job(pool: _Pool, texts: list[str], problems: dict[int, str], version: str) -> _Job:
    future, executor = pool.submit(texts, version)
    return _Job(texts, problems, future, executor)


def analyse_in_workers(
    texts: Iterable[Any], settings: NlpSettings, max_length: int, version: str
) -> Iterator[Analysis]:
    """What ``analyse_texts`` yields, computed in the worker pool."""
    pool = _pool_for(settings)
    pool.crashes = 0
    window: deque[_Job] = deque()
    limit = WINDOW * settings.processes
    chunk: list[str] = []
    problems: dict[int, str] = {}
    size = 0
    try:
        for text in texts:
            problem = input_problem(text, max_length)
            if problem:
                problems[len(chunk)] = problem
            chunk.append("" if problem else text)
            size += 0 if problem else len(text)
            if size >= CHUNK_CHARS or len(chunk) >= settings.batch_size:
                window.append(_job(pool, chunk, problems, version))
                chunk, problems, size = [], {}, 0
            # Hand on what is done (in order) without waiting; wait when the window is full.
            while window and (len(window) >= limit or window[0].future.done()):
                yield from pool.results(window.popleft(), version)
        if chunk:
            window.append(_job(pool, chunk, problems, version))
        while window:
            yield from pool.results(window.popleft(), version)
    finally:
        for job in window:  # the caller stopped early: drop the work not yet started
            job.future.cancel()


# -- in the worker ------------------------------------------------------------

_WORKER_SETTINGS: NlpSettings | None = None


def _init_worker(settings: NlpSettings, parent: int) -> None:
    global _WORKER_SETTINGS
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    _WORKER_SETTINGS = settings
    load_pipeline(settings)  # already loaded when forked from a parent that loaded it


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


def _analyse_chunk(texts: list[str], version: str) -> list[Analysis]:
    assert _WORKER_SETTINGS is not None
    return list(analyse_here(texts, _WORKER_SETTINGS, version))
