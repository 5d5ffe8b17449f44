"""The app and a ``briefing fetch`` writing one store at the same time: the scenario of
``tests/hostile/test_two_writers.py`` and of the hardening report.

The app side is the real ``Store`` used the way the app uses it: one connection
in a worker thread, marking articles read and starred (including the ones the
fetch has just stored, as the app does when they appear). The fetch is the real
command in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from extract.models import Analysis
from extract.store import NewArticle, StoreError
from tests.helpers.backends import StoreTarget
from tests.helpers.hardening import REPO
from tests.helpers.httpserver import Handler, TestServer

PAGES = 14


def page(n: int) -> bytes:
    return (
        f"<!doctype html><html lang='en'><body><article><h1>Item {n}</h1>"
        f"<p>The port authority said on Monday that shipment {n} had cleared customs "
        f'after a delay of several days.</p><p>"Shipment {n} is on its way," spokesman '
        f"Tomas Varga said in a statement.</p></article></body></html>"
    ).encode()


def old_article(n: int) -> NewArticle:
    return NewArticle(
        url=f"http://old.example/{n}",
        canonical_url=f"http://old.example/{n}",
        title=f"Old {n}",
        author=None,
        published=f"2021-01-{n % 28 + 1:02d}",
        source="Old",
        text=f"Old text {n}.",
        text_status="full_text",
        html=b"<p>old</p>",
    )


def serve_slow_site(server: TestServer) -> TestServer:
    """A feed of PAGES article pages, each served after a short delay."""

    def item(h: Handler, rest: str, q: dict[str, str]) -> None:
        if h.pause(0.03):
            h.send(200, page(int(rest)))

    server.handle("/tw-item", item)
    items = "".join(
        f"<item><title>Item {n}</title><guid>i{n}</guid>"
        f"<link>{server.url(f'/tw-item/{n}')}</link></item>"
        for n in range(PAGES)
    )
    server.add(
        "/tw-feed",
        f'<?xml version="1.0"?><rss version="2.0"><channel>'
        f"<title>Port</title>{items}</channel></rss>".encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    return server


@dataclass
class Shared:
    """App-side writes made while the fetch ran, and how many of them were lost."""

    writes: int
    lost: int


def share_the_store(
    tmp_path: Path, slow_site: TestServer, target: StoreTarget | None = None
) -> Shared:
    """The scenario: asserts nobody sees an error and returns the writes made and lost.
    The store is a SQLite file in ``tmp_path`` unless ``target`` says otherwise."""
    target = target or StoreTarget("sqlite", tmp_path / "store.sqlite3")
    config = tmp_path / "config.toml"
    config.write_text(
        f"{target.config_section()}[fetch]\ntimeout = 30.0\n"  # patient: a busy machine
        f'[[feeds]]\nname = "Port"\nurl = "{slow_site.url("/tw-feed")}"\n'
    )
    with target.open() as seed:
        feed_id = seed.upsert_feed("Old", "http://old.example/rss")
        old_ids = [
            seed.add_article(old_article(n), feed_id, f"o{n}", Analysis(analysed_with="test"))
            for n in range(40)
        ]

    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    fetch = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config), "--progress", "jsonl"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    new_ids: list[int] = []
    expected: dict[int, tuple[bool, bool]] = {}
    errors: list[str] = []
    writes = 0

    def read_events() -> None:
        assert fetch.stdout is not None
        for line in fetch.stdout:
            event = json.loads(line)
            if event["event"] == "article":
                new_ids.append(event["id"])

    def app() -> None:
        nonlocal writes
        try:
            store = target.open()  # the app's own connection (pool), in its worker thread
        except StoreError as exc:
            errors.append(str(exc))
            return
        n = 0
        with store:
            while fetch.poll() is None or n < 200:
                ids = old_ids + list(new_ids)
                article_id = ids[n % len(ids)]
                read, starred = n % 3 != 0, n % 5 == 0
                try:
                    store.set_read(article_id, read)
                    store.set_starred(article_id, starred)
                    store.article_rows(0, 50)  # the list repaints between writes
                except Exception as exc:  # noqa: BLE001 - any failure is the finding
                    errors.append(f"{type(exc).__name__}: {exc}")
                    return
                writes += 2
                expected[article_id] = (read, starred)
                n += 1
                time.sleep(0.001)

    reader = threading.Thread(target=read_events, daemon=True)
    writer = threading.Thread(target=app)
    reader.start()
    writer.start()
    try:
        fetch.wait(timeout=180)  # stdout is the reader's; stderr is read once it ended
    finally:
        writer.join(timeout=60)
    reader.join(timeout=10)
    assert fetch.stderr is not None
    err = fetch.stderr.read()

    assert errors == []
    assert fetch.returncode == 0, err.decode(errors="replace")
    assert b"locked" not in err and b"Traceback" not in err
    assert len(new_ids) == PAGES and set(new_ids) & set(expected)  # the app wrote to new ones

    with target.open() as store:
        lost = [
            i
            for i, (read, starred) in expected.items()
            if (a := store.article(i)) is None or (a.read, a.starred) != (read, starred)
        ]
        assert store.article_count() == 40 + PAGES
        assert {r.title for r in store.article_rows(0, 100)} >= {f"Item {n}" for n in range(PAGES)}
    assert target.problems() == []
    return Shared(writes, len(lost))
