"""A real ``briefing fetch`` killed with SIGKILL at random points, on both backends: four
times here, each kind of kill once (``pick_trigger``), the twenty of ``KILLS`` in the
hardening report (``make hardening``). Each kill costs a process that loads spaCy (~3 s of
CPU): ten were a tenth of the suite's CPU.

The local server serves a feed that grows a little before every run (with an
ETag and conditional GET, as real feeds do) and article pages with a small
delay. Each run is killed at a seeded random point: while polling, while pages
arrive, while spaCy loads, or while articles are being stored. After every
kill the store must be whole; the last, unkilled fetch must finish the work.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.backends import NewStore, StoreTarget
from tests.helpers.crash import (
    SEED,
    TRIGGERS,
    GrowingFeed,
    run_lanes,
    serve_growing_feeds,
    stored_guids,
)
from tests.helpers.httpserver import TestServer

# One lane of four kills, each kind once, in turn. Two lanes of three (SQLite's until
# 2026-12) cost three more fetch processes, each a spaCy load, and covered no kind of kill
# more; parallel lanes run in the hardening report.
TEST_KILLS = len(TRIGGERS)


@pytest.fixture
def growing_feeds(http_server: TestServer) -> list[GrowingFeed]:
    return serve_growing_feeds(http_server)


@pytest.mark.slow
def test_sigkill_at_random_points_never_corrupts_or_loses(
    tmp_path: Path,
    growing_feeds: list[GrowingFeed],
    new_store: NewStore,
) -> None:
    stores: list[StoreTarget] = []

    def lane_store(folder: Path) -> StoreTarget:
        stores.append(new_store(folder))
        return stores[-1]

    found = run_lanes(tmp_path, growing_feeds[:1], TEST_KILLS, SEED, lane_store)
    assert found.problems == []
    assert found.killed == found.intact == TEST_KILLS
    assert set(found.triggers) == set(TRIGGERS)  # killed at every kind of point
    for store, feed in zip(sorted(stores, key=lambda s: s.path), growing_feeds, strict=False):
        check_complete(store, feed)


def check_complete(store: StoreTarget, feed: GrowingFeed) -> None:
    """Every entry of the feed stored once, with its page and its analysis."""
    assert sorted(stored_guids(store)) == sorted(feed.guids())  # every entry, each once

    def one(sql: str) -> object:
        return store.rows(sql)[0][0]

    count = one("SELECT count(*) FROM articles")
    by_status = dict(store.rows("SELECT text_status, count(*) FROM articles GROUP BY text_status"))
    langs = dict(
        store.rows(
            "SELECT language, count(*) FROM articles "
            "WHERE text_status = 'full_text' GROUP BY language"
        )
    )
    analysed = one("SELECT count(*) FROM articles WHERE analysed_with LIKE '%briefing-quotes%'")
    helen = one("SELECT count(DISTINCT article_id) FROM quotes WHERE speaker = 'Helen Brandt'")
    etag = one("SELECT etag FROM feeds")
    failed = store.rows(
        "SELECT guid, text_reason FROM articles JOIN article_feeds ON article_id = id "
        "WHERE text_status = 'failed'"
    )
    assert etag == f'"n{feed.count}"'  # saved once the work was done: the next run gets a 304
    assert count == feed.count
    pages = sum(1 for i in range(feed.count) if i % 6 not in (4, 5) or i % 12 == 11)
    assert by_status.get("full_text") == pages, failed  # no page left a summary by a kill
    assert langs.get("de") == sum(1 for i in range(feed.count) if i % 6 == 3)
    assert analysed == count - langs.get("de", 0) - by_status.get("failed", 0)
    assert helen == langs.get("en")  # every English page's quote, once
