"""The whole ingest against a real local HTTP server, a real store and the real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.config import Config, FeedConfig, FetchSettings, NlpSettings
from extract.events import ArticleStored, Done, FeedChecked, IngestEvent
from extract.ingest import run_ingest
from extract.store import open_store
from tests.httpserver import TestServer

FIXTURES = Path(__file__).parent / "fixtures"
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
        f"</description></item>" for t, link, guid in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://example.com</link><description>x</description>{body}"
            f"</channel></rss>").encode()


def make_config(tmp_path: Path, feeds: list[FeedConfig]) -> Config:
    fetch = FetchSettings(timeout=3.0, connect_timeout=2.0)
    return Config(path=tmp_path / "config.toml", store_path=tmp_path / "store.sqlite3",
                  fetch=fetch, nlp=NlpSettings(), feeds=tuple(feeds), keys={})


def feed(name: str, url: str) -> FeedConfig:
    return FeedConfig(name=name, url=url, fetch=FetchSettings(timeout=3.0, connect_timeout=2.0))


HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}


@pytest.fixture
def news_site(http_server: TestServer) -> TestServer:
    http_server.add("/world/nato-russia", SEED_PAGE, headers=HTML)
    http_server.add("/world/budget", OTHER_PAGE, headers=HTML)
    http_server.add("/rss/world", rss([
        ("Russia sets out demands", http_server.url("/world/nato-russia"), "w-1"),
        ("Budget vote", http_server.url("/world/budget"), "w-2"),
        ("Gone story", http_server.url("/status/404"), "w-3"),
    ]), headers=XML)
    # The same NATO story in a second feed, under a tracking-tagged URL and another guid.
    http_server.add("/rss/europe", rss([
        ("Russia sets out demands", http_server.url("/world/nato-russia?utm_source=rss#top"),
         "e-1")], title="Europe Desk"), headers=XML)
    http_server.add("/rss/broken", b"<rss><channel><item><title>oops", headers=XML)
    return http_server


def test_fetch_stores_clean_analysed_articles_once(tmp_path: Path, news_site: TestServer) -> None:
    feeds = [feed("World", news_site.url("/rss/world")), feed("Europe", news_site.url("/rss/europe")),
             feed("Broken", news_site.url("/rss/broken")), feed("Down", news_site.url("/status/500"))]
    config = make_config(tmp_path, feeds)
    events: list[IngestEvent] = []
    with open_store(config.store_path) as store:
        report = run_ingest(config, store, config.feeds, events.append)
        by_name = {o.name: o for o in report.feeds}
        assert by_name["World"].status == "ok" and by_name["World"].new == 3
        assert by_name["Europe"].new == 0  # the same story: linked, not stored again
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
        assert store.raw_html(seed.id) == SEED_PAGE

        gone = store.article(store.find_article(feed_id=1, guid="w-3"))  # type: ignore[arg-type]
        assert gone is not None and gone.text_status == "feed_summary"
        assert "404" in (gone.text_reason or "") and gone.text.startswith("Summary of Gone")

        stored = [e for e in events if isinstance(e, ArticleStored)]
        assert len(stored) == 3 and isinstance(events[-1], Done) and events[-1].new == 3
        assert {e.feed for e in events if isinstance(e, FeedChecked)} == {
            "World", "Europe", "Broken", "Down"}

        again = run_ingest(config, store, config.feeds)
        assert again.new == 0 and store.article_count() == 3  # twice stores nothing twice


def test_every_feed_failing_is_reported(tmp_path: Path, http_server: TestServer) -> None:
    config = make_config(tmp_path, [feed("Down", http_server.url("/status/503")),
                                    feed("Nowhere", "http://127.0.0.1:9/rss")])
    with open_store(config.store_path) as store:
        report = run_ingest(config, store, config.feeds)
        assert report.all_failed and store.article_count() == 0
        rows = {f.name: f for f in store.feeds()}
        assert rows["Down"].last_status == "failed" and "503" in (rows["Down"].last_error or "")
        assert rows["Nowhere"].last_error  # refused, with a reason


def test_non_english_page_is_stored_but_not_analysed(tmp_path: Path,
                                                     http_server: TestServer) -> None:
    page = ("<html lang='de'><body><article><h1>Gespräche</h1>" + "".join(
        f"<p>Die Regierung hat am Montag erklärt, dass die Gespräche mit den Nachbarländern "
        f"fortgesetzt werden sollen, sagte ein Sprecher in Berlin {i}.</p>" for i in range(6))
        + "</article></body></html>").encode()
    http_server.add("/de", page, headers=HTML)
    http_server.add("/rss", rss([("Gespräche", http_server.url("/de"), "de-1")]), headers=XML)
    config = make_config(tmp_path, [feed("DE", http_server.url("/rss"))])
    with open_store(config.store_path) as store:
        run_ingest(config, store, config.feeds)
        article = store.article(1)
        assert article is not None and article.text_status == "full_text"
        assert article.language == "de" and article.quote_count == 0
        assert "not analysed" in (article.analysis_skipped or "")
