"""One hostile feed or entry never takes down a fetch (issue 16, the high items).

Each case is served by the real local server next to a good feed, in one real
ingest: the good feed's articles are stored, the hostile feed or entry fails alone
with its reason, and nothing waits past the deadlines. The last tests inject an
unforeseen failure (a real function that raises on the real hostile input) to
check the per-feed and per-entry boundaries themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.ingest import pipeline
from extract.ingest.feeds import MAX_FIELD_CHARS, parse_feed
from extract.ingest.pipeline import FeedOutcome, run_ingest
from extract.store import open_store
from extract.urls import address_problem
from tests.helpers.cpu import cpu_budget
from tests.helpers.hardening import Tally, forbidden_chars
from tests.helpers.hostile_feeds import XML, item, make_config, rss, web_feed
from tests.helpers.httpserver import TestServer
from tests.helpers.isolation import ATOM_CONTROLS, PAGE, UTF7, article_ids, one_hostile_feed_alone


@pytest.mark.slow
def test_one_hostile_feed_never_takes_down_the_fetch(
    tmp_path: Path, http_server: TestServer
) -> None:
    tally = Tally()
    one_hostile_feed_alone(tally, tmp_path, http_server)
    assert tally.feeds_lost == [] and tally.hangs == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999/",
        "https://h.example:65536/x",
        "http://h.example:-1/",
        "http://h.example:99999999999999999/",
    ],
)
def test_a_port_above_65535_is_an_invalid_port(url: str) -> None:
    assert "invalid port" in (address_problem(url) or "")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080/", "https://h.example/x", "http://[::1]:80/", "/local/feed.xml"]
)
def test_good_addresses_have_no_problem(url: str) -> None:
    assert address_problem(url) is None


def test_html_titles_with_scripts_and_control_references_parse() -> None:
    parsed = parse_feed(
        ATOM_CONTROLS.format(link="http://news.example.com/a").encode(),
        "http://news.example.com/feed",
    )
    (entry,) = parsed.entries
    assert entry.title == "tail [2J" and entry.author == "A B"
    assert parsed.title == "Feed ]0;pwned"


def test_a_utf7_feed_parses_without_controls() -> None:
    parsed = parse_feed(
        UTF7.format(link="http://news.example.com/a").encode("ascii"),
        "http://news.example.com/feed",
    )
    assert [e.guid for e in parsed.entries] == ["u1"]
    assert not forbidden_chars(parsed.entries[0].title + (parsed.title or ""))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("element", ["author", "dc:creator", "managingEditor"])
def test_a_long_author_is_cut_before_the_parser_and_the_entry_kept(
    encoding: str, element: str
) -> None:
    name = "Jo." * 100_000  # 300,000 characters of what feedparser's e-mail regex scans
    body = (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        "<title>F</title><item><title>T</title><guid>1</guid>"
        f"<{element}>{name}</{element}></item></channel></rss>"
    )
    with cpu_budget(30, f"a long {element} ({encoding})"):  # uncapped: hours
        parsed = parse_feed(body.encode(encoding), "http://news.example.com/feed")
    (entry,) = parsed.entries
    assert entry.title == "T"
    if element != "managingEditor":  # a channel field, not the entry's
        assert entry.author and entry.author.startswith("Jo.Jo.")
        assert len(entry.author) <= MAX_FIELD_CHARS


# -- the boundaries themselves ------------------------------------------------


def _strict_canonical(url: str) -> str:
    """urllib's strict reading of a link: raises ValueError on a port above 65535."""
    from urllib.parse import urlsplit

    urlsplit(url).port  # noqa: B018
    return url


@pytest.mark.slow
def test_an_unforeseen_failure_in_one_entry_is_that_entry_s(
    tmp_path: Path, http_server: TestServer, monkeypatch
) -> None:  # noqa: ANN001
    """The per-entry boundary: a real function raising on a real hostile link."""
    monkeypatch.setattr(pipeline, "canonical_url", _strict_canonical)
    http_server.add("/story.html", PAGE)
    http_server.add(
        "/feed.xml",
        rss(
            item("Hostile", "http://127.0.0.1:99999/x", "h1")
            + item("Fine", http_server.url("/story.html"), "f1")
        ),
        headers=XML,
    )
    config = make_config(tmp_path, [web_feed("mixed", http_server.url("/feed.xml"))])
    events: list[object] = []
    with open_store(config.store_path) as store:
        report = run_ingest(config, store, config.feeds, events.append)
        (outcome,) = report.feeds
        assert outcome.status == "ok" and outcome.new == 1 and outcome.failed_pages == 1
        assert "'h1' failed: ValueError" in (outcome.reason or "")
        assert [a.title for a in map(store.article, article_ids(store)) if a] == ["Fine"]
    assert any("ValueError" in getattr(e, "message", "") for e in events)


def test_an_unforeseen_failure_in_one_feed_is_that_feed_s(
    tmp_path: Path, http_server: TestServer, monkeypatch
) -> None:  # noqa: ANN001
    """The per-feed boundary: parsing raises on the real UTF-7 body, the other feed is read."""
    real = pipeline.parse_feed

    def strict_parse(body: bytes, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if b'encoding="utf-7"' in body:
            raise UnicodeError("utf-7 is not a feed encoding we accept")
        return real(body, *args, **kwargs)

    monkeypatch.setattr(pipeline, "parse_feed", strict_parse)
    http_server.add("/story.html", PAGE)
    http_server.add(
        "/good.xml", rss(item("Good", http_server.url("/story.html"), "g1")), headers=XML
    )
    http_server.add(
        "/utf7.xml", UTF7.format(link=http_server.url("/story.html")).encode("ascii"), headers=XML
    )
    config = make_config(
        tmp_path,
        [
            web_feed("good", http_server.url("/good.xml")),
            web_feed("utf7", http_server.url("/utf7.xml")),
        ],
    )
    with open_store(config.store_path) as store:
        report = run_ingest(config, store, config.feeds)
        outcome = {o.name: o for o in report.feeds}
        assert outcome["good"].new == 1
        assert outcome["utf7"].status == "failed"
        assert "UnicodeError" in (outcome["utf7"].reason or "")
        (row,) = [f for f in store.feeds() if f.name == "utf7"]
        assert "utf-7" in (row.last_error or "")


def test_feed_outcome_notes_keep_every_problem() -> None:
    outcome = FeedOutcome("f")
    outcome.note("one")
    outcome.note("two")
    outcome.note("one")
    assert outcome.reason == "one; two"
