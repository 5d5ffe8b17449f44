"""The whole ingest against a real local HTTP server, a real store and the real model; the
ingest's dedupe, feed links and conditional polls run on both backends (``backend``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.config import Config, FeedConfig, FetchSettings, NlpSettings
from extract.ingest.events import ArticleStored, Done, FeedChecked, IngestEvent
from extract.ingest.pipeline import run_ingest
from extract.models import Analysis, Quote
from extract.store import NewArticle, StoreApi, open_store
from tests.helpers import FIXTURES
from tests.helpers.httpserver import TestServer

SEED_PAGE = (FIXTURES / "pages" / "nato-russia.html").read_bytes()
OTHER_PAGE = b"""<!doctype html><html lang="en"><head><title>Budget vote</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><h1>Budget vote</h1>
<p>The finance committee approved the budget on Monday after a long debate that ran past
midnight, officials in the capital said.</p>
<p>"We have a budget that protects schools and hospitals," Finance Minister Laura Okafor told
reporters after the vote. She said the plan would be published in full next week.</p>
<p>Opposition members said the spending plans were too optimistic and would have to be revised
before the summer.</p></article><footer>Copyright 2022 Example News</footer></body></html>"""


def rss(items: list[tuple[str, str, str]], title: str = "Example World") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{guid}</guid>"
        f"<pubDate>Wed, 12 Jan 2022 10:00:00 GMT</pubDate>"
        f"<description>Summary of {t}. &lt;p&gt;Officials said talks would go on.&lt;/p&gt;"
        f"</description></item>"
        for t, link, guid in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>https://example.com</link><description>x</description>{body}"
        f"</channel></rss>"
    ).encode()


# Patient: on a busy machine (load 12 on 2 cores) a local page took over 3 s, and a page
# that times out is stored as its feed summary, which is another story.
PATIENT = FetchSettings(timeout=20.0, connect_timeout=20.0)


def make_config(tmp_path: Path, feeds: list[FeedConfig]) -> Config:
    fetch = PATIENT
    return Config(
        path=tmp_path / "config.toml",
        store_path=tmp_path / "store.sqlite3",
        fetch=fetch,
        nlp=NlpSettings(),
        feeds=tuple(feeds),
        keys={},
    )


def feed(name: str, url: str) -> FeedConfig:
    return FeedConfig(name=name, url=url, fetch=PATIENT)


HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def news_site(http_server: TestServer) -> TestServer:
    http_server.add("/world/nato-russia", SEED_PAGE, headers=HTML)
    http_server.add("/world/budget", OTHER_PAGE, headers=HTML)
    http_server.add(
        "/rss/world",
        rss(
            [
                ("Russia sets out demands", http_server.url("/world/nato-russia"), "w-1"),
                ("Budget vote", http_server.url("/world/budget"), "w-2"),
                ("Gone story", http_server.url("/status/404"), "w-3"),
            ]
        ),
        headers=XML,
    )
    # The same NATO story in a second feed, under a tracking-tagged URL and another guid.
    http_server.add(
        "/rss/europe",
        rss(
            [
                (
                    "Russia sets out demands",
                    http_server.url("/world/nato-russia?utm_source=rss#top"),
                    "e-1",
                )
            ],
            title="Europe Desk",
        ),
        headers=XML,
    )
    http_server.add("/rss/broken", b"<rss><channel><item><title>oops", headers=XML)
    return http_server


@pytest.mark.slow
def test_fetch_stores_clean_analysed_articles_once(
    tmp_path: Path, backend: StoreApi, news_site: TestServer
) -> None:
    feeds = [
        feed("World", news_site.url("/rss/world")),
        feed("Europe", news_site.url("/rss/europe")),
        feed("Broken", news_site.url("/rss/broken")),
        feed("Down", news_site.url("/status/500")),
    ]
    config = make_config(tmp_path, feeds)
    events: list[IngestEvent] = []
    store = backend
    report = run_ingest(config, store, config.feeds, events.append)
    by_name = {o.name: o for o in report.feeds}
    assert by_name["World"].status == by_name["Europe"].status == "ok"
    # The NATO story is in both feeds: stored once (by whichever feed answered
    # first), linked to both.
    assert by_name["World"].new + by_name["Europe"].new == 3
    assert by_name["World"].new >= 2
    assert by_name["Down"].status == "failed" and "500" in (by_name["Down"].reason or "")
    assert by_name["Broken"].status == "failed" and by_name["Broken"].reason
    assert not report.all_failed
    assert store.article_count() == 3

    seed_id = store.find_article(canonical_url=news_site.url("/world/nato-russia"))
    seed = store.article(seed_id)  # type: ignore[arg-type]
    assert seed is not None and seed.text_status == "full_text"
    assert seed.feeds == ("Europe", "World")
    assert seed.text.startswith("Russia has begun to lay out its demands")
    assert "Subscribe To Our Weekly Newsletter" not in seed.text
    assert seed.analysed_with and seed.language == "en"
    speakers = {q.speaker for q in store.quotes(seed.id)}
    assert {"Julianne Smith", "Michael Carpenter"} <= speakers
    assert store.page_source(seed.id).html == SEED_PAGE  # type: ignore[union-attr]

    gone = store.article(store.find_article(feed_id=1, guid="w-3"))  # type: ignore[arg-type]
    assert gone is not None and gone.text_status == "feed_summary"
    assert "404" in (gone.text_reason or "") and gone.text.startswith("Summary of Gone")

    stored = [e for e in events if isinstance(e, ArticleStored)]
    assert len(stored) == 3 and isinstance(events[-1], Done) and events[-1].new == 3
    assert {e.feed for e in events if isinstance(e, FeedChecked)} == {
        "World",
        "Europe",
        "Broken",
        "Down",
    }

    again = run_ingest(config, store, config.feeds)
    assert again.new == 0 and store.article_count() == 3  # twice stores nothing twice


def test_every_feed_failing_is_reported(tmp_path: Path, http_server: TestServer) -> None:
    config = make_config(
        tmp_path,
        [feed("Down", http_server.url("/status/503")), feed("Nowhere", "http://127.0.0.1:9/rss")],
    )
    with open_store(config.store_path) as store:
        report = run_ingest(config, store, config.feeds)
        assert report.all_failed and store.article_count() == 0
        rows = {f.name: f for f in store.feeds()}
        assert rows["Down"].last_status == "failed" and "503" in (rows["Down"].last_error or "")
        assert rows["Nowhere"].last_error  # refused, with a reason


@pytest.mark.slow
def test_non_english_page_is_stored_but_not_analysed(
    tmp_path: Path, http_server: TestServer
) -> None:
    page = (
        "<html lang='de'><body><article><h1>Gespräche</h1>"
        + "".join(
            f"<p>Die Regierung hat am Montag erklärt, dass die Gespräche mit den Nachbarländern "
            f"fortgesetzt werden sollen, sagte ein Sprecher in Berlin {i}.</p>"
            for i in range(6)
        )
        + "</article></body></html>"
    ).encode()
    http_server.add("/de", page, headers=HTML)
    http_server.add("/rss", rss([("Gespräche", http_server.url("/de"), "de-1")]), headers=XML)
    config = make_config(tmp_path, [feed("DE", http_server.url("/rss"))])
    with open_store(config.store_path) as store:
        run_ingest(config, store, config.feeds)
        article = store.article(1)
        assert article is not None and article.text_status == "full_text"
        assert article.language == "de" and article.quote_count == 0
        assert "not analysed" in (article.analysis_skipped or "")


def long_page(title: str, words: str) -> bytes:
    body = "".join(
        f"<p>{words} Paragraph {i} goes on about the harbour and the council "
        f"meeting that ran late into the evening on Tuesday.</p>"
        for i in range(6)
    )
    return (
        f"<html lang='en'><head><title>{title}</title></head><body><article><h1>{title}"
        f"</h1>{body}</article></body></html>"
    ).encode()


def test_same_short_summary_is_not_the_same_story(
    tmp_path: Path, backend: StoreApi, http_server: TestServer
) -> None:
    teaser = "Read the full story on our website."
    items = "".join(
        f"<item><title>{t}</title><link>{http_server.url('/status/404')}?{t[:3]}</link>"
        f"<guid>{t}</guid><description>{teaser}</description></item>"
        for t in ("Election called", "Storm warning", "Budget passed")
    )
    http_server.add(
        "/rss",
        f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode(),
        headers=XML,
    )
    config = make_config(tmp_path, [feed("T", http_server.url("/rss"))])
    store = backend
    assert run_ingest(config, store, config.feeds).new == 3
    assert {r.title for r in store.article_rows(0, 10)} == {
        "Election called",
        "Storm warning",
        "Budget passed",
    }


@pytest.mark.slow
def test_identical_pages_in_one_run_are_one_article(
    tmp_path: Path, backend: StoreApi, http_server: TestServer
) -> None:
    page = long_page("Harbour plan", "The council approved the harbour plan.")
    http_server.add("/a", page, headers=HTML)
    http_server.add("/b", page, headers=HTML)  # a syndicated copy under another URL
    http_server.add(
        "/rss",
        rss(
            [
                ("Harbour plan", http_server.url("/a"), "g-a"),
                ("Harbour plan (copy)", http_server.url("/b"), "g-b"),
            ]
        ),
        headers=XML,
    )
    config = make_config(tmp_path, [feed("T", http_server.url("/rss"))])
    store = backend
    assert run_ingest(config, store, config.feeds).new == 1
    assert store.article_count() == 1
    assert store.find_article(feed_id=1, guid="g-a") == store.find_article(feed_id=1, guid="g-b")
    fetched = len(http_server.requests)
    assert run_ingest(config, store, config.feeds).new == 0
    pages = [r for r in http_server.requests[fetched:] if r.path in ("/a", "/b")]
    assert pages == []  # both guids are known: nothing is fetched again


def test_undated_entry_sorts_where_it_arrived(tmp_path: Path, http_server: TestServer) -> None:
    http_server.add(
        "/rss",
        (
            b'<rss version="2.0"><channel><title>T</title>'
            b"<item><title>Old</title><guid>old</guid><description>Old news text.</description>"
            b"<pubDate>Wed, 12 Jan 2022 10:00:00 GMT</pubDate></item>"
            b"<item><title>Undated</title><guid>new</guid><description>New text.</description>"
            b"</item></channel></rss>"
        ),
        headers=XML,
    )
    config = make_config(tmp_path, [feed("T", http_server.url("/rss"))])
    with open_store(config.store_path) as store:
        run_ingest(config, store, config.feeds)
        assert [r.title for r in store.article_rows(0, 10)] == ["Undated", "Old"]


@pytest.mark.slow
def test_missing_model_still_stores_every_article(tmp_path: Path, news_site: TestServer) -> None:
    config = make_config(tmp_path, [feed("World", news_site.url("/rss/world"))])
    from dataclasses import replace

    config = replace(config, nlp=NlpSettings(model="no_such_pipeline_xyz"))
    events: list[IngestEvent] = []
    with open_store(config.store_path) as store:
        assert run_ingest(config, store, config.feeds, events.append).new == 3
        seed = store.article(store.find_article(feed_id=1, guid="w-1"))  # type: ignore[arg-type]
        assert seed is not None and seed.text_status == "full_text"
        assert "analysis failed" in (seed.analysis_skipped or "")
        assert "not installed" in (seed.analysis_skipped or "")
    assert any(e.event == "error" for e in events)


@pytest.mark.slow
def test_reprocess_replaces_text_and_quotes(tmp_path: Path, http_server: TestServer) -> None:
    from extract.ingest.reprocess import reprocess_store

    latin = (
        "<html lang='en'><body><article>"
        + "".join(
            f"<p>The mayor of São Paulo said the naïve plan would cost more than expected, "
            f"officials said on Monday, paragraph {i}.</p>"
            for i in range(4)
        )
        + "</article></body></html>"
    ).encode("latin-1")
    http_server.add("/latin", latin, headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    http_server.add("/rss", rss([("São Paulo", http_server.url("/latin"), "l-1")]), headers=XML)
    config = make_config(tmp_path, [feed("T", http_server.url("/rss"))])
    with open_store(config.store_path) as store:
        run_ingest(config, store, config.feeds)
        before = store.article(1)
        assert before is not None and "São Paulo" in before.text
        assert reprocess_store(config, store) == 1
        again = store.article(1)
        assert again is not None and again.text == before.text  # decoded as it was served
        assert again.analysed_with
        store.conn.execute("UPDATE articles SET html_zlib = NULL, summary = '' WHERE id = 1")
        store.add_article(
            NewArticle(
                url=None,
                canonical_url=None,
                title="Gone",
                author=None,
                published=None,
                source="x",
                text="“Hi,” she said.",
                text_status="full_text",
            ),
            None,
            None,
            Analysis(
                quotes=(
                    Quote(
                        "direct", "Hi", ((1, 3),), None, "she", 6, 9, None, "said", "none", 0, 15
                    ),
                )
            ),
        )
        assert reprocess_store(config, store) == 2
        kept = store.article(1)
        gone = store.article(2)
    assert kept is not None and kept.text_status == "failed"  # nothing left to clean
    assert gone is not None and gone.quote_count == 0 and gone.text == ""


def test_idle_repoll_asks_conditionally_and_analyses_nothing(
    tmp_path: Path, backend: StoreApi, http_server: TestServer
) -> None:
    """The second run finds every feed unchanged (304 to its ETag): no page is fetched
    and the analyser (which would load spaCy) is never called."""
    http_server.add("/world/budget", OTHER_PAGE, headers=HTML)
    body = rss([("Budget vote", http_server.url("/world/budget"), "b-1")])

    def conditional_feed(h, rest, query):  # noqa: ANN001, ANN202 - a TestServer handler
        if h.headers.get("If-None-Match") == '"feed-v1"':
            h.send(304, b"", {"ETag": '"feed-v1"'})
        else:
            h.send(200, body, {**XML, "ETag": '"feed-v1"', "Last-Modified": "Wed, 12 Jan 2022"})

    config = make_config(tmp_path, [feed("World", http_server.handle("/rss", conditional_feed))])
    calls: list[int] = []

    def analyser(texts):  # noqa: ANN001, ANN202 - records the call, then analyses nothing
        calls.append(1)
        return (Analysis(skipped="not analysed in this test") for _ in texts)

    store = backend
    first = run_ingest(config, store, config.feeds, analyser=analyser)
    assert first.new == 1 and calls == [1]
    requests_before = len(http_server.requests)
    again = run_ingest(config, store, config.feeds, analyser=analyser)
    assert again.new == 0 and [o.status for o in again.feeds] == ["unchanged"]
    assert calls == [1]  # nothing new: no analysis, so no spaCy load
    sent = http_server.requests[requests_before:]
    assert [r.path for r in sent] == ["/rss"]  # the feed only, no page
    assert sent[0].headers["if-none-match"] == '"feed-v1"'
    assert sent[0].headers["if-modified-since"] == "Wed, 12 Jan 2022"


@pytest.mark.slow
def test_pages_are_stored_compressed_and_come_back_whole(
    tmp_path: Path, news_site: TestServer
) -> None:
    world = FeedConfig(name="World", url=news_site.url("/rss/world"), fetch=PATIENT)
    config = make_config(tmp_path, [world])
    with open_store(config.store_path) as store:
        run_ingest(config, store, config.feeds)
        budget = store.find_article(canonical_url=news_site.url("/world/budget"))
        assert budget is not None
        assert store.page_source(budget).html == OTHER_PAGE  # type: ignore[union-attr]


def test_memory_is_given_back_only_before_the_model_loads(
    tmp_path: Path, news_site: TestServer
) -> None:
    # give_back_memory (a full collection, then malloc_trim) lowers the peak spaCy's load
    # adds in a fresh ``briefing fetch``. With the model already loaded in the process (a
    # second run; this test worker) the full pass walks the model too and lowers nothing.
    import gc
    import sys

    from extract.nlp.model import load_pipeline, pipeline_loaded

    load_pipeline(NlpSettings())
    assert pipeline_loaded()
    given_back: list[bool] = []

    def on_collect(phase: str, info: dict[str, int]) -> None:
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code.co_name == "give_back_memory":
                given_back.append(True)
            frame = frame.f_back

    config = make_config(tmp_path, [feed("World", news_site.url("/rss/world"))])
    gc.callbacks.append(on_collect)
    try:
        with open_store(config.store_path) as store:
            report = run_ingest(config, store, config.feeds, lambda event: None)
    finally:
        gc.callbacks.remove(on_collect)
    assert report.feeds[0].new == 3  # analysed: the phase that gives memory back ran
    assert given_back == []
