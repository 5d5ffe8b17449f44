"""Real ``briefing fetch`` processes on a PostgreSQL store: two at once poll each feed once
(claimed with an advisory lock and SELECT ... FOR UPDATE) and store a story in two feeds once (ON
CONFLICT); a server restarted mid-fetch is reported, and the next run completes. SIGKILLed
fetches (no half-stored article, the next run not locked out) are the kill test's, on both
backends: tests/hostile/test_crash_kill.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from extract.store import open_pg
from tests.helpers import REPO, postgres
from tests.helpers.backends import StoreTarget
from tests.helpers.cli import briefing
from tests.helpers.httpserver import Handler, TestServer
from tests.helpers.pg_site import feeds_config, page, serve_feeds, start_fetches

FEEDS = 6
PAGES = 3  # per feed, plus one story every feed carries


@pytest.mark.slow
def test_two_fetch_processes_share_the_feeds(
    http_server: TestServer, pg_url: str, tmp_path: Path
) -> None:
    serve_feeds(http_server, PAGES)
    runs = start_fetches(feeds_config(http_server, FEEDS, tmp_path / "config.toml"), pg_url, 2)
    outputs = [run.communicate(timeout=240) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode(errors="replace")
        assert b"Traceback" not in err

    polls = Counter(p for p in http_server.paths() if p.startswith("/pg-feed/"))
    said = [out.decode(errors="replace") for out, _ in outputs]  # each feed's outcome
    assert polls == {f"/pg-feed/{n}": 1 for n in range(FEEDS)}, said  # each polled once
    pages = Counter(p for p in http_server.paths() if p.startswith("/pg-item/"))
    assert all(pages[f"/pg-item/{n}-{p}"] == 1 for n in range(FEEDS) for p in range(PAGES))
    with open_pg(pg_url, "ann") as store:
        assert store.article_count() == FEEDS * PAGES + 1  # the shared story once
        shared = store.find_article(canonical_url=http_server.url("/pg-item/shared"))
        assert shared is not None
        article = store.article(shared)
        assert article is not None and len(article.feeds) == FEEDS  # linked to every feed
        assert {f.last_status for f in store.feeds()} == {"ok"}


STORIES = 8


def _serve_one_feed(server: TestServer) -> None:
    def item(h: Handler, rest: str, q: dict[str, str]) -> None:
        if h.pause(0.3):
            h.send(200, page(f"Story {rest}"))

    items = "".join(
        f"<item><title>Story {n}</title><guid>s{n}</guid>"
        f"<link>{server.url(f'/pg-story/{n}')}</link></item>"
        for n in range(STORIES)
    )
    server.handle("/pg-story", item)
    server.add(
        "/pg-one",
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>One</title>{items}'
        "</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"},
    )


def _start(config: Path, pg_url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "BRIEFING_STORE_URL": pg_url}
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config), "--progress", "jsonl"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _until(run: subprocess.Popen[bytes], seen: Callable[[dict[str, Any]], bool]) -> None:
    assert run.stdout is not None
    for line in run.stdout:
        if seen(json.loads(line)):
            return
    raise AssertionError("the fetch ended before the event awaited")


def _one_feed_config(server: TestServer, tmp_path: Path) -> Path:
    _serve_one_feed(server)
    config = tmp_path / "config.toml"
    config.write_text(f'[[feeds]]\nname = "One"\nurl = "{server.url("/pg-one")}"\n')
    return config


@pytest.mark.slow
def test_a_server_restart_mid_fetch_is_reported_and_the_next_run_completes(
    http_server: TestServer, pg_own_cluster: postgres.Cluster, tmp_path: Path
) -> None:
    # A server of its own: a restart of the shared one would cut other tests' sessions.
    pg_cluster, pg_url = pg_own_cluster, pg_own_cluster.fresh_database()
    config = _one_feed_config(http_server, tmp_path)
    run = _start(config, pg_url)
    # While its pages arrive (slowly; every article is stored after them): its pool's
    # connections die with the restart, and the store is written after it.
    _until(run, lambda e: e["event"] == "progress" and e["stage"] == "pages" and e["done"] > 0)
    pg_cluster.ctl("restart", "-m", "fast")
    _, err = run.communicate(timeout=240)
    assert run.returncode == 4, err.decode(errors="replace")
    assert b"store error: lost the PostgreSQL store 127.0.0.1:" in err
    assert b"Traceback" not in err
    assert StoreTarget("postgres", tmp_path / "unused", pg_url).problems() == []
    # The next run in this process (nothing is done to it): the model stays loaded here.
    url = {"BRIEFING_STORE_URL": pg_url}
    again = briefing("fetch", "--config", str(config), "--progress", "none", env=url)
    assert again.returncode == 0, again.stderr
    with open_pg(pg_url, "ann") as store:
        assert store.article_count() == STORIES
