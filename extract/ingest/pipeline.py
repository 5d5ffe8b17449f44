"""Poll -> fetch -> clean -> analyse -> store, reporting progress as events.

Fetching is async IO over one client. Cleaning runs as each page arrives.
Analysis streams every new text through ``extract.nlp.analyse_texts`` (in this
process, or a pool of worker processes when ``[nlp] processes`` > 1), and each
article is stored with its analysis in one transaction as soon as it comes out,
so the app sees new articles appear while the rest are still being analysed.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
import zlib
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from extract.config import Config, FeedConfig, NlpSettings
from extract.ingest.events import ArticleStored, Done, Error, FeedChecked, IngestEvent, Progress
from extract.ingest.feeds import UNTITLED, parse_feed
from extract.ingest.fetch import Fetcher, private_allowed
from extract.ingest.language import release_identifier
from extract.ingest.memory import give_back_memory
from extract.ingest.texts import ArticleText, not_analysed, text_from_page
from extract.models import Analysis, FeedEntry
from extract.store import DuplicateArticle, NewArticle, StoreApi, StoreError, utc_now
from extract.store.records import PAGE_COMPRESSION
from extract.urls import canonical_url, is_fetchable_link

# The default cut of one article's analysis (``[nlp] max_chars``): seconds, not minutes.
MAX_ANALYSED_CHARS = NlpSettings().max_chars
# Entries read from one feed per fetch: a feed of 100,000 entries must not make us
# fetch 100,000 pages. Real feeds carry 10-100; archives a few hundred.
MAX_ENTRIES_PER_FEED = 1_000
MAX_TITLE_CHARS = 500  # a title is a line in a list; a 1 MB one is an attack

Analyser = Callable[[Iterable[str]], Iterator[Analysis]]


@dataclass(slots=True)
class FeedOutcome:
    name: str
    status: str = "ok"  # ok | unchanged | failed
    new: int = 0
    unchanged: int = 0  # entries of the feed that were already stored
    failed_pages: int = 0
    not_analysed: int = 0  # stored with text but not analysed (language, analysis failed)
    left: int = 0  # new entries not handled before the run's deadline: the next run's
    reason: str | None = None  # why it failed, or what was wrong with a feed still read

    def note(self, problem: str) -> None:
        """Add a problem to the reason without losing the ones already there."""
        if not self.reason:
            self.reason = problem
        elif problem not in self.reason:
            self.reason = f"{self.reason}; {problem}"


@dataclass(slots=True)
class IngestReport:
    feeds: list[FeedOutcome] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def left(self) -> int:
        return sum(f.left for f in self.feeds)

    @property
    def all_failed(self) -> bool:
        return bool(self.feeds) and all(f.status == "failed" for f in self.feeds)


@dataclass(slots=True)
class _Pending:
    """A new entry on its way to the store."""

    feed: FeedConfig
    feed_id: int
    entry: FeedEntry
    source: str
    article: NewArticle | None = None
    also: list[tuple[int, str]] = field(default_factory=list)  # same story, other feeds
    left: bool = False  # the run's deadline came first: the next run handles it


def default_analyser(config: Config) -> Analyser:
    """The spaCy analysis, imported only when there is something to analyse."""

    def analyse(texts: Iterable[str]) -> Iterator[Analysis]:
        from extract.nlp import analyse_texts

        return analyse_texts(texts, config.nlp)

    return analyse


class Ingest:
    def __init__(
        self,
        config: Config,
        store: StoreApi,
        on_event: Callable[[IngestEvent], None] = lambda event: None,
        analyser: Analyser | None = None,
    ) -> None:
        self.config, self.store, self.emit = config, store, on_event
        self.analyse = analyser or default_analyser(config)
        self.report = IngestReport()
        # A feed's ETag/Last-Modified, saved only once its new entries are stored:
        # saved at poll time, a fetch killed before storing would make the next
        # one get a 304 and never store those entries.
        self._validators: list[tuple[int, str | None, str | None, str | None, str | None]] = []
        # The whole run's deadline ([fetch] run_timeout), on the event loop's clock.
        self._deadline = time.monotonic() + config.fetch.run_timeout

    async def run(self, feeds: Sequence[FeedConfig]) -> IngestReport:
        try:
            return await self._run(feeds)
        finally:  # PostgreSQL: the feeds this run claimed are done (or given up)
            with contextlib.suppress(StoreError):  # a lost server: the locks went with it
                self.store.release_feeds()

    async def _run(self, feeds: Sequence[FeedConfig]) -> IngestReport:
        self._deadline = time.monotonic() + self.config.fetch.run_timeout
        feeds = [f for f in feeds if f.enabled]
        outcomes = {f.name: FeedOutcome(f.name) for f in feeds}
        self.report.feeds = list(outcomes.values())
        async with Fetcher(self.config.fetch) as fetcher:
            pending = await self._poll_all(fetcher, feeds, outcomes)
            await self._fetch_pages(fetcher, pending, outcomes)
        self._analyse_and_store(pending, outcomes)
        unfinished = self._leave_for_next_run(pending, outcomes)
        for feed_id, etag, modified, problem, title in self._validators:
            if feed_id in unfinished:
                continue  # no validators: the next poll must see those entries again
            self.store.record_feed_check(
                feed_id, "ok", problem, etag=etag, last_modified=modified, title=title
            )
        for feed in feeds:
            o = outcomes[feed.name]
            self.emit(FeedChecked(feed.name, o.status, o.new, o.reason))  # type: ignore[arg-type]
        failed = sum(o.status == "failed" for o in outcomes.values())
        self.emit(Done(self.report.new, failed))
        return self.report

    # -- feeds -------------------------------------------------------------

    async def _poll_all(
        self, fetcher: Fetcher, feeds: list[FeedConfig], outcomes: dict[str, FeedOutcome]
    ) -> list[_Pending]:
        done = 0
        self.emit(Progress("feeds", 0, len(feeds)))
        pending: list[_Pending] = []
        seen: dict[str, _Pending] = {}

        async def poll(feed: FeedConfig) -> None:
            nonlocal done
            try:
                async with asyncio.timeout_at(self._deadline):
                    items = await self._poll_safely(fetcher, feed, outcomes[feed.name])
            except TimeoutError:
                items = []
                outcome = outcomes[feed.name]
                outcome.status, outcome.reason = "failed", f"not read: {self._late()}"
            for item in items:
                key = item.article.canonical_url if item.article else None
                if key and key in seen:  # the same story in two feeds in this run
                    seen[key].also.append((item.feed_id, item.entry.guid))
                    continue
                if key:
                    seen[key] = item
                pending.append(item)
            done += 1
            self.emit(Progress("feeds", done, len(feeds)))

        started = time.perf_counter()
        await asyncio.gather(*(poll(f) for f in feeds))
        self.report.timings["fetch"] += time.perf_counter() - started
        return pending

    async def _poll_safely(
        self, fetcher: Fetcher, feed: FeedConfig, outcome: FeedOutcome
    ) -> list[_Pending]:
        """The feed's new entries; any failure in reading it is this feed's, not the run's."""
        try:
            return await self._poll(fetcher, feed, outcome)
        except Exception as exc:
            if _store_is_broken(exc):
                raise
            reason = f"could not read the feed: {_describe(exc)}"
            self.emit(Error(f"{feed.name}: {reason}"))
            outcome.status, outcome.reason = "failed", reason
            # Recording it may fail the same way: the outcome above still says why.
            with contextlib.suppress(Exception):
                feed_id = self.store.upsert_feed(feed.name, feed.url, feed.tags)
                # No validators: the next poll must see this feed's entries again.
                self._validators = [v for v in self._validators if v[0] != feed_id]
                self.store.record_feed_check(feed_id, "failed", reason)
            return []

    async def _poll(
        self, fetcher: Fetcher, feed: FeedConfig, outcome: FeedOutcome
    ) -> list[_Pending]:
        feed_id = self.store.upsert_feed(feed.name, feed.url, feed.tags)
        if not self.store.claim_feed(feed_id):  # PostgreSQL: another fetch has it
            outcome.status, outcome.reason = "unchanged", "polled by another fetch"
            return []
        etag, modified = self.store.feed_validators(feed_id)
        result = await fetcher.fetch_feed(feed, etag, modified)
        if not result.ok:
            return self._feed_failed(feed_id, outcome, result.reason or "could not fetch")
        if result.not_modified:
            outcome.status = "unchanged"
            self.store.record_feed_check(feed_id, "unchanged")
            return []
        base = result.final_url or (str(feed.local_path) if feed.is_local else feed.url)
        # In a thread: a slow parse must not hold up the other feeds' downloads.
        parsed = await asyncio.to_thread(
            parse_feed, result.body, base, result.content_type, max_entries=MAX_ENTRIES_PER_FEED
        )
        if not parsed.entries and parsed.problem:
            return self._feed_failed(feed_id, outcome, parsed.problem)
        if parsed.problem:
            outcome.note(parsed.problem)
        # No validators yet (this clears the old ones): see self._validators.
        self.store.record_feed_check(feed_id, "ok", parsed.problem, title=parsed.title)
        self._validators.append(
            (feed_id, result.etag, result.last_modified, parsed.problem, parsed.title)
        )
        source = (parsed.title or feed.name)[:MAX_TITLE_CHARS]
        pending: list[_Pending] = []
        for entry in parsed.entries:
            try:
                item = self._new_entry(feed, feed_id, entry, source)
            except Exception as exc:  # noqa: BLE001  the per-entry boundary
                self._entry_failed(outcome, entry, exc)
                continue
            if item is None:
                outcome.unchanged += 1
            else:
                pending.append(item)
        return pending

    def _entry_failed(
        self, outcome: FeedOutcome, entry: FeedEntry | None, exc: BaseException
    ) -> None:
        outcome.failed_pages += 1
        what = f"entry {entry.guid[:80]!r}" if entry is not None else "an entry"
        problem = f"{what} failed: {_describe(exc)}"
        outcome.note(problem)
        self.emit(Error(f"{outcome.name}: {problem}"))

    def _feed_failed(self, feed_id: int, outcome: FeedOutcome, reason: str) -> list[_Pending]:
        outcome.status, outcome.reason = "failed", reason
        self.store.record_feed_check(feed_id, "failed", reason)
        return []

    def _new_entry(
        self, feed: FeedConfig, feed_id: int, entry: FeedEntry, source: str
    ) -> _Pending | None:
        """A pending item for an entry not stored yet; stored ones get this feed's link."""
        canonical = canonical_url(entry.link) if entry.link else None
        existing = self.store.find_article(
            feed_id=feed_id, guid=entry.guid, canonical_url=canonical
        )
        if existing is not None:
            self.store.link_feed(existing, feed_id, entry.guid)
            return None
        item = _Pending(feed, feed_id, entry, source)
        item.article = NewArticle(
            url=entry.link,
            canonical_url=canonical,
            title=entry.title[:MAX_TITLE_CHARS],
            author=entry.author,
            published=_iso(entry),
            source=source,
            text="",
            text_status="failed",
            summary=entry.summary,
        )
        return item

    # -- pages -------------------------------------------------------------

    async def _fetch_pages(
        self, fetcher: Fetcher, pending: list[_Pending], outcomes: dict[str, FeedOutcome]
    ) -> None:
        done = 0
        self.emit(Progress("pages", 0, len(pending)))

        async def one(item: _Pending) -> None:
            nonlocal done
            try:
                async with asyncio.timeout_at(self._deadline):
                    item.article = await self._page_safely(fetcher, item)
            except TimeoutError:
                item.left = True
            assert item.article is not None
            if not item.left and item.article.text_status != "full_text":
                outcomes[item.feed.name].failed_pages += 1
            done += 1
            self.emit(Progress("pages", done, len(pending)))

        started, cleaning_before = time.perf_counter(), self.report.timings["clean"]
        await asyncio.gather(*(one(p) for p in pending))
        # Wall time of the phase: per-request times would add up concurrent waits.
        cleaning = self.report.timings["clean"] - cleaning_before
        self.report.timings["fetch"] += time.perf_counter() - started - cleaning

    async def _page_safely(self, fetcher: Fetcher, item: _Pending) -> NewArticle:
        try:
            return await self._page(fetcher, item)
        except Exception as exc:  # noqa: BLE001  the per-entry boundary
            assert item.article is not None
            reason = f"page not fetched: {_describe(exc)}"
            return _with_text(
                item.article,
                text_from_page(None, item.entry.link, None, item.article.summary, reason),
            )

    def _late(self) -> str:
        return (
            f"the run's deadline passed ([fetch] run_timeout = "
            f"{self.config.fetch.run_timeout:g}s); left for the next run"
        )

    def _leave_for_next_run(
        self, pending: list[_Pending], outcomes: dict[str, FeedOutcome]
    ) -> set[int]:
        """Count what the deadline left undone; the ids of the feeds it left unfinished."""
        unfinished: set[int] = set()
        for item in pending:
            if item.left:
                outcomes[item.feed.name].left += 1
                unfinished.add(item.feed_id)
                unfinished.update(feed_id for feed_id, _ in item.also)
        for outcome in outcomes.values():
            if outcome.left:
                outcome.note(
                    f"{outcome.left:,} new entr{'y' if outcome.left == 1 else 'ies'} "
                    f"not stored: {self._late()}"
                )
        if unfinished:
            self.emit(
                Error(
                    f"{sum(o.left for o in outcomes.values()):,} new entries left "
                    f"for the next run: {self._late()}"
                )
            )
        return unfinished

    async def _page(self, fetcher: Fetcher, item: _Pending) -> NewArticle:
        base = item.article
        assert base is not None
        link = item.entry.link
        if not link or not is_fetchable_link(link, item.feed.is_local):
            why = "the entry has no link" if not link else f"link not fetched: {link[:80]}"
            return _with_text(base, text_from_page(None, link, None, base.summary, why))
        result = await fetcher.fetch_page(
            link,
            item.feed.fetch,
            allow_local=item.feed.is_local,
            private=item.feed.is_local or private_allowed(item.feed.url, item.feed.fetch),
        )
        if not result.ok:
            failure = f"page not fetched: {result.reason}"
            return _with_text(base, text_from_page(None, link, None, base.summary, failure))
        started = time.perf_counter()
        text = text_from_page(
            result.body, result.final_url or link, result.content_type, base.summary
        )
        self.report.timings["clean"] += time.perf_counter() - started
        # Compressed now, as the store keeps it: the pages wait in memory until their
        # analysis is stored (181 real pages: 31 MB raw, 6 MB compressed).
        page = zlib.compress(result.body, PAGE_COMPRESSION)
        return _with_text(base, text, html_zlib=page, content_type=result.content_type)

    # -- analysis and store ------------------------------------------------

    def _analyse_and_store(self, pending: list[_Pending], outcomes: dict[str, FeedOutcome]) -> None:
        pending = [p for p in pending if not p.left]
        todo = [p for p in pending if self._wants_analysis(p.article)]
        for item in pending:
            if not self._wants_analysis(item.article):
                self._store_safely(item, self._skip_reason(item.article), outcomes)
        self.emit(Progress("analysis", 0, len(todo)))
        if not todo:
            return  # nothing to analyse: don't load spaCy at all
        release_identifier()  # every page is cleaned: free its ~90 MB before spaCy loads
        from extract.nlp.model import pipeline_loaded  # here: as ``analyse_texts`` above

        if not pipeline_loaded():
            # Lowers the peak spaCy's load adds. Once a pipeline is loaded here (a second
            # run in one process), the full collection walks the model's objects too,
            # 0.1-0.3 s, and lowers no peak.
            give_back_memory()
        cut = self.config.nlp.max_chars
        texts = (p.article.text[:cut] for p in todo)  # type: ignore[union-attr]
        started = time.perf_counter()
        analyses = self._analyses(texts)
        for n, item in enumerate(todo, 1):
            if time.monotonic() > self._deadline:
                for rest in todo[n - 1 :]:
                    rest.left = True
                analyses.close()
                return
            analysis = next(analyses)
            self.report.timings["nlp"] += time.perf_counter() - started
            self._store_safely(item, analysis, outcomes)
            self.emit(Progress("analysis", n, len(todo)))
            started = time.perf_counter()

    def _analyses(self, texts: Iterator[str]) -> Generator[Analysis, None, None]:
        """The analyser's results; if it cannot run at all (no model installed),
        every article is still stored, marked with the reason, to analyse later."""
        try:
            yield from self.analyse(texts)
        except Exception as exc:  # noqa: BLE001  a broken NLP set-up must not lose the fetch
            reason = f"analysis failed: {exc}"
            self.emit(Error(reason))
            while True:
                yield Analysis(skipped=reason)

    def _wants_analysis(self, article: NewArticle | None) -> bool:
        return bool(
            article and article.text.strip() and article.language in self.config.nlp.languages
        )

    def _skip_reason(self, article: NewArticle | None) -> Analysis | None:
        if article is None or not article.text.strip():
            return None
        return not_analysed(article.language, self.config.nlp.languages)

    def _store_safely(
        self, item: _Pending, analysis: Analysis | None, outcomes: dict[str, FeedOutcome]
    ) -> None:
        try:
            self._store(item, analysis, outcomes)
        except Exception as exc:
            if _store_is_broken(exc):
                raise
            self._entry_failed(outcomes[item.feed.name], item.entry, exc)
        finally:
            # The page is in the store (or lost with the entry): don't hold it to the end.
            if item.article is not None and item.article.html_zlib is not None:
                item.article = replace(item.article, html_zlib=None)

    def _store(
        self, item: _Pending, analysis: Analysis | None, outcomes: dict[str, FeedOutcome]
    ) -> None:
        article = item.article
        assert article is not None
        started = time.perf_counter()
        links = [(item.feed_id, item.entry.guid), *item.also]
        existing = (
            self.store.find_article(content_hash=article.content_hash)
            if article.content_hash
            else None
        )
        if existing is None:
            if article.published is None:  # undated: sort it where it arrived, at the top
                article = replace(article, published=utc_now())
            try:
                existing = self.store.add_article(article, *links[0], analysis)
            except (sqlite3.IntegrityError, DuplicateArticle):
                # Another process (a cron fetch beside the app) stored this URL after
                # we looked: link to its copy instead.
                existing = self.store.find_article(canonical_url=article.canonical_url)
                if existing is None:
                    raise
            else:
                outcomes[item.feed.name].new += 1
                if analysis is not None and analysis.skipped:
                    outcomes[item.feed.name].not_analysed += 1
                self.emit(ArticleStored(existing, article.title, article.text_status))
        for feed_id, guid in links:  # the same story, also in these feeds
            self.store.link_feed(existing, feed_id, guid)
        self.report.timings["store"] += time.perf_counter() - started


def _with_text(article: NewArticle, text: ArticleText, **changes: Any) -> NewArticle:
    """The article with its text, and with what the page says where the feed said nothing."""
    from extract.ingest.clean import cleaner_version  # only once there is an article

    page = text.page
    if page is not None:
        changes.update(
            title=article.title if article.title != UNTITLED else page.title or article.title,
            author=article.author or page.author,
            published=article.published or page.date,
            source=page.sitename or article.source,
        )
    return replace(
        article,
        text=text.text,
        text_status=text.status,
        text_reason=text.reason,
        language=text.language,
        content_hash=text.content_hash,
        cleaned_with=cleaner_version() if text.text else None,
        **changes,
    )


def _store_is_broken(exc: BaseException) -> bool:
    """A failure of the store itself (damaged, locked, read-only): the run's, not an entry's.
    A constraint or an oversized value is about one entry's data."""
    if isinstance(exc, StoreError):
        return True
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, (sqlite3.IntegrityError, sqlite3.DataError)
    )


def _describe(exc: BaseException) -> str:
    """One line naming an unexpected exception (the innermost of a group)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _iso(entry: FeedEntry) -> str | None:
    return entry.published.isoformat(timespec="seconds") if entry.published else None


def run_ingest(
    config: Config,
    store: StoreApi,
    feeds: Sequence[FeedConfig],
    on_event: Callable[[IngestEvent], None] = lambda event: None,
    analyser: Analyser | None = None,
) -> IngestReport:
    """Run one ingest to the end (the synchronous entry point)."""
    return asyncio.run(Ingest(config, store, on_event, analyser).run(feeds))
