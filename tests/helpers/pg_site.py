"""A site of several feeds for fetches sharing a PostgreSQL store (tests and bench): feed
``n`` lists ``pages`` stories of its own and one story every feed carries; pages and feeds
answer after a delay, so fetches started together overlap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO
from tests.helpers.httpserver import Handler, TestServer


def page(title: str) -> bytes:
    return (
        f"<!doctype html><html lang='en'><body><article><h1>{title}</h1>"
        f"<p>The harbour office said on Monday that {title} had cleared customs after a "
        f"delay of several days, and that more ships were expected.</p></article></body></html>"
    ).encode()


def serve_feeds(server: TestServer, pages: int, page_delay: float = 0.2) -> None:
    def item(h: Handler, rest: str, q: dict[str, str]) -> None:
        if h.pause(page_delay):
            h.send(200, page(f"Item {rest}"))

    def feed(h: Handler, rest: str, q: dict[str, str]) -> None:
        n = int(rest)
        links = [f"{n}-{p}" for p in range(pages)] + ["shared"]
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


def feeds_config(server: TestServer, feeds: int, path: Path) -> Path:
    path.write_text(
        "[fetch]\ntimeout = 10.0\n"
        + "".join(
            f'[[feeds]]\nname = "Feed {n}"\nurl = "{server.url(f"/pg-feed/{n}")}"\n'
            for n in range(feeds)
        )
    )
    return path


def start_fetches(config: Path, pg_url: str, count: int) -> list[subprocess.Popen[bytes]]:
    """``count`` real ``briefing fetch`` processes on the store at ``pg_url``, started now."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "BRIEFING_STORE_URL": pg_url}
    command = [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config)]
    return [
        subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(count)
    ]
