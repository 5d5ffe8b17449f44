"""Two real ``briefing fetch`` processes sharing one PostgreSQL store: each feed is polled
by one of them (claimed with SELECT ... FOR UPDATE SKIP LOCKED), a story in two feeds is
stored once (ON CONFLICT) and linked to both, and neither reports an error."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from extract.store import open_pg
from tests.helpers import REPO
from tests.helpers.httpserver import Handler, TestServer

FEEDS = 6
PAGES = 3  # per feed, plus one story every feed carries


def _page(title: str) -> bytes:
    return (
        f"<!doctype html><html lang='en'><body><article><h1>{title}</h1>"
        f"<p>The harbour office said on Monday that {title} had cleared customs after a "
        f"delay of several days, and that more ships were expected.</p></article></body></html>"
    ).encode()


def _serve(server: TestServer) -> None:
    def item(h: Handler, rest: str, q: dict[str, str]) -> None:
        if h.pause(0.2):  # slow pages: the two runs overlap
            h.send(200, _page(f"Item {rest}"))

    def feed(h: Handler, rest: str, q: dict[str, str]) -> None:
        n = int(rest)
        links = [f"{n}-{p}" for p in range(PAGES)] + ["shared"]
        items = "".join(
            f"<item><title>Item {link}</title><guid>{link}</guid>"
            f"<link>{server.url(f'/pg-item/{link}')}</link></item>"
            for link in links
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>'
        if h.pause(0.1):
            rss = (body + items + "</channel></rss>").encode()
            h.send(200, rss, {"Content-Type": "application/rss+xml"})

    server.handle("/pg-item", item)
    server.handle("/pg-feed", feed)


@pytest.mark.slow
def test_two_fetch_processes_share_the_feeds(
    http_server: TestServer, pg_url: str, tmp_path: Path
) -> None:
    _serve(http_server)
    config = tmp_path / "config.toml"
    config.write_text(
        "[fetch]\ntimeout = 10.0\n"
        + "".join(
            f'[[feeds]]\nname = "Feed {n}"\nurl = "{http_server.url(f"/pg-feed/{n}")}"\n'
            for n in range(FEEDS)
        )
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "BRIEFING_STORE_URL": pg_url}
    command = [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config)]
    runs = [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=240) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err.decode(errors="replace")
        assert b"Traceback" not in err

    polls = Counter(p for p in http_server.paths() if p.startswith("/pg-feed/"))
    assert polls == {f"/pg-feed/{n}": 1 for n in range(FEEDS)}  # no feed polled twice
    pages = Counter(p for p in http_server.paths() if p.startswith("/pg-item/"))
    assert all(pages[f"/pg-item/{n}-{p}"] == 1 for n in range(FEEDS) for p in range(PAGES))
    with open_pg(pg_url, "ann") as store:
        assert store.article_count() == FEEDS * PAGES + 1  # the shared story once
        shared = store.find_article(canonical_url=http_server.url("/pg-item/shared"))
        assert shared is not None
        article = store.article(shared)
        assert article is not None and len(article.feeds) == FEEDS  # linked to every feed
        assert {f.last_status for f in store.feeds()} == {"ok"}
