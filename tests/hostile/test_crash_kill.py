"""A real ``briefing fetch`` killed with SIGKILL at random points: six times here, each
kind of kill at least once (``pick_trigger``), the twenty of ``KILLS`` in the hardening
report (``make hardening``). Each kill costs a process that loads spaCy (~3 s of CPU): ten
were a tenth of the suite's CPU.

The local server serves a feed that grows a little before every run (with an
ETag and conditional GET, as real feeds do) and article pages with a small
delay. Each run is killed at a seeded random point: while polling, while pages
arrive, while spaCy loads, or while articles are being stored. After every
kill the store must be whole; the last, unkilled fetch must finish the work.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.helpers.crash import (
    SEED,
    TRIGGERS,
    GrowingFeed,
    run_lanes,
    serve_growing_feeds,
    stored_guids,
)
from tests.helpers.httpserver import TestServer

TEST_KILLS = 6  # two lanes of three: start, pages, load and article kills all come up


@pytest.fixture
def growing_feeds(http_server: TestServer) -> list[GrowingFeed]:
    return serve_growing_feeds(http_server)


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts_or_loses(
    tmp_path: Path, growing_feeds: list[GrowingFeed]
) -> None:
    kills = run_lanes(tmp_path, growing_feeds, TEST_KILLS, SEED)
    assert kills.problems == []
    assert kills.killed == kills.intact == TEST_KILLS
    assert set(kills.triggers) == set(TRIGGERS)  # killed at every kind of point
    for n, feed in enumerate(growing_feeds):
        check_complete(tmp_path / f"lane{n}" / "store.sqlite3", feed)


def check_complete(store: Path, feed: GrowingFeed) -> None:
    """Every entry of the feed stored once, with its page and its analysis."""
    assert sorted(stored_guids(store)) == sorted(feed.guids())  # every entry, each once
    with sqlite3.connect(store) as conn:
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        by_status = dict(
            conn.execute(
                "SELECT text_status, count(*) FROM articles GROUP BY text_status"
            ).fetchall()
        )
        langs = dict(
            conn.execute(
                "SELECT language, count(*) FROM articles "
                "WHERE text_status = 'full_text' GROUP BY language"
            )
        )
        analysed = conn.execute(
            "SELECT count(*) FROM articles WHERE analysed_with LIKE '%briefing-quotes%'"
        ).fetchone()[0]
        helen = conn.execute(
            "SELECT count(DISTINCT article_id) FROM quotes WHERE speaker = 'Helen Brandt'"
        ).fetchone()[0]
        etag = conn.execute("SELECT etag FROM feeds").fetchone()[0]
        failed = conn.execute(
            "SELECT guid, text_reason FROM articles JOIN article_feeds ON article_id = id "
            "WHERE text_status = 'failed'"
        ).fetchall()
    assert etag == f'"n{feed.count}"'  # saved once the work was done: the next run gets a 304
    assert count == feed.count
    pages = sum(1 for i in range(feed.count) if i % 6 not in (4, 5) or i % 12 == 11)
    assert by_status.get("full_text") == pages, failed  # no page left a summary by a kill
    assert langs.get("de") == sum(1 for i in range(feed.count) if i % 6 == 3)
    assert analysed == count - langs.get("de", 0) - by_status.get("failed", 0)
    assert helen == langs.get("en")  # every English page's quote, once
