"""A real ``briefing fetch`` killed with SIGKILL at random points, twenty times.

The local server serves a feed that grows a little before every run (with an
ETag and conditional GET, as real feeds do) and article pages with a small
delay. Each run is killed at a seeded random point: while polling, while pages
arrive, while spaCy loads, or while articles are being stored. After every
kill the store must be whole; the last, unkilled fetch must finish the work.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import httpserver
from tests.helpers.hardening import REPO, TALLY, fts_integrity, store_problems
from tests.helpers.httpserver import TestServer

KILLS = 20
LANES = 2  # two kill sequences at once, on two stores: the machine has two cores
SEED = 20240611
PAGE_DELAY_MS = 40


def english_page(n: int) -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>Story {n}</title></head><body>"
            f"<article><h1>Story {n}</h1>"
            f"<p>The council of district {n} met on Tuesday to discuss the harbour plan, "
            f"which has divided the town for years, officials said.</p>"
            f"<p>\"We will not sign anything that closes the harbour number {n},\" Mayor "
            f"Helen Brandt told reporters after the meeting.</p>"
            f"<p>She said a vote was expected next month, once the report on item {n} is "
            f"published.</p></article></body></html>").encode()


def german_page(n: int) -> bytes:
    body = "".join(f"<p>Der Stadtrat von Bezirk {n} hat am Dienstag über den Hafenplan "
                   f"beraten, der die Stadt seit Jahren spaltet, sagte ein Sprecher {i}.</p>"
                   for i in range(4))
    return (f"<!doctype html><html lang='de'><head><title>Bericht {n}</title></head><body>"
            f"<article><h1>Bericht {n}</h1>{body}</article></body></html>").encode()


class GrowingFeed:
    """A feed whose entries grow by ``grow()``; ETag = its size; 304 when unchanged."""

    def __init__(self, server: TestServer, lane: int) -> None:
        self.server = server
        self.url = server.url(f"/crashfeed/{lane}")
        self.count = 0

    def grow(self, n: int) -> None:
        self.count += n

    def guids(self) -> list[str]:
        return [f"g{i}" for i in range(self.count)]

    def body(self) -> bytes:
        items = []
        for i in range(self.count):
            kind = i % 6
            guid = f'<guid isPermaLink="false">g{i}</guid>'
            if kind == 4:  # no page: the feed's summary is the text
                items.append(f"<item><title>Note {i}</title>{guid}<description>"
                             f"Officials said note {i} was read out at the council meeting."
                             f"</description></item>")
            elif kind == 5 and i % 12 == 5:  # no page and no summary: stored as failed
                items.append(f"<item><title>Empty {i}</title>{guid}</item>")
            else:
                lang = "de" if kind == 3 else "en"
                items.append(f"<item><title>Story {i}</title>{guid}"
                             f"<link>{self.server.url(f'/crashpage/{lang}/{i}')}</link></item>")
        return ('<?xml version="1.0"?><rss version="2.0"><channel><title>Council</title>'
                + "".join(reversed(items)) + "</channel></rss>").encode()

    def handle(self, h: httpserver._Handler, rest: str, q: dict[str, str]) -> None:
        etag = f'"n{self.count}"'
        if h.headers.get("If-None-Match") == etag:
            h.send(304, b"", {"ETag": etag})
        else:
            h.send(200, self.body(), {"ETag": etag, "Content-Type": "application/rss+xml"})


def _page(h: httpserver._Handler, rest: str, q: dict[str, str]) -> None:
    lang, _, n = rest.partition("/")
    if h.pause(PAGE_DELAY_MS / 1000):
        h.send(200, german_page(int(n)) if lang == "de" else english_page(int(n)))


@contextmanager
def growing_feed_routes(server: TestServer, lanes: int = LANES) -> Iterator[list[GrowingFeed]]:
    """One growing feed per lane (lanes run side by side on their own stores)."""
    feeds = [GrowingFeed(server, lane) for lane in range(lanes)]

    def feed_route(h: httpserver._Handler, rest: str, q: dict[str, str]) -> None:
        feeds[int(rest)].handle(h, rest, q)

    routes = [("/crashfeed", feed_route), ("/crashpage", _page)]
    httpserver._BUILTINS[:0] = routes
    try:
        yield feeds
    finally:
        for route in routes:
            httpserver._BUILTINS.remove(route)


@pytest.fixture
def growing_feeds(http_server: TestServer) -> Iterator[list[GrowingFeed]]:
    with growing_feed_routes(http_server) as feeds:
        yield feeds


def write_config(tmp_path: Path, feed_url: str) -> tuple[Path, Path]:
    store = tmp_path / "store.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{store}"\n[fetch]\ntimeout = 5.0\nper_host = 4\n'
                      f'[[feeds]]\nname = "Council"\nurl = "{feed_url}"\n', encoding="utf-8")
    return config, store


def start_fetch(config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "tui.cli", "fetch", "--config", str(config),
                             "--progress", "jsonl"], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def kill_at(proc: subprocess.Popen[bytes], trigger: str, nth: int, delay: float) -> bool:
    """SIGKILL ``proc`` ``delay`` s after its ``nth`` event of kind ``trigger``.

    ``trigger``: "start" (no event: ``delay`` after the start), "pages" (a page
    fetched), "load" (analysis about to start: spaCy loading), "article" (an
    article stored). Returns False when the run ended by itself first.
    """
    seen = threading.Event()

    def matches(event: dict[str, object]) -> bool:
        if trigger == "pages":
            return event.get("stage") == "pages" and event.get("done") == nth
        if trigger == "load":
            return event.get("stage") == "analysis" and event.get("done") == 0
        return event.get("event") == "article" and nth <= 0

    def read() -> None:
        nonlocal nth
        assert proc.stdout is not None
        for line in proc.stdout:
            event = json.loads(line)
            if trigger == "article" and event.get("event") == "article":
                nth -= 1
            if matches(event):
                seen.set()
        seen.set()  # the end of the output: the trigger never came

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if trigger != "start":
        seen.wait(timeout=60)
    time.sleep(delay)
    if proc.poll() is not None:
        reader.join(5)
        return False
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    reader.join(5)
    # It may have finished between poll() and kill(): then it was not killed.
    assert proc.returncode in (-signal.SIGKILL, 0)
    return proc.returncode == -signal.SIGKILL


def kill_rounds(tmp_path: Path, feed: GrowingFeed, kills: int, seed: int) -> list[str]:
    """``kills`` killed fetches, then one to the end; the problems found (none expected)."""
    rng = random.Random(seed)
    config, store = write_config(tmp_path, feed.url)
    feed.grow(8)
    problems: list[str] = []
    killed = attempts = 0
    while killed < kills and attempts < kills * 2:
        attempts += 1
        # Mostly growing (new work for this run); sometimes not, so a run that was
        # killed after polling is followed by one that sees the same feed (ETag).
        feed.grow(rng.choice((0, 2, 3, 4)))
        trigger = rng.choice(("start", "pages", "load", "article", "article"))
        nth = rng.randint(1, 3)
        delay = {"start": rng.uniform(0.3, 1.5), "pages": rng.uniform(0.0, 0.03),
                 "load": rng.uniform(0.0, 2.0), "article": rng.uniform(0.0, 0.02)}[trigger]
        proc = start_fetch(config)
        if kill_at(proc, trigger, nth, delay):
            killed += 1
            TALLY.kills += 1
            found = store_problems(store) if store.exists() else []
            if not found:
                TALLY.kills_intact += 1
            problems += [f"kill {killed} ({trigger} {nth} + {delay:.2f}s): {p}" for p in found]
        else:
            assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    assert killed == kills, f"only {killed} of {attempts} runs were still going when killed"

    final = start_fetch(config)
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode(errors="replace")
    assert b"Traceback" not in err
    events = [json.loads(line) for line in out.splitlines()]
    assert events[-1]["event"] == "done"
    problems += [f"after the last fetch: {p}" for p in store_problems(store)]
    fts_integrity(store)
    return problems


def stored_guids(store: Path) -> list[str]:
    import sqlite3

    with sqlite3.connect(store) as conn:
        return [r[0] for r in conn.execute("SELECT guid FROM article_feeds ORDER BY guid")]


def run_lanes(tmp_path: Path, feeds: list[GrowingFeed], kills: int, seed: int) -> list[str]:
    """``kills`` kills spread over the lanes, run in parallel threads."""
    problems: list[str] = []
    errors: list[BaseException] = []

    def lane(n: int) -> None:
        try:
            folder = tmp_path / f"lane{n}"
            folder.mkdir()
            share = kills // len(feeds) + (n < kills % len(feeds))
            problems.extend(f"lane {n}: {p}" for p in
                            kill_rounds(folder, feeds[n], share, seed + n))
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)

    threads = [threading.Thread(target=lane, args=(n,)) for n in range(len(feeds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    if errors:
        raise errors[0]
    return problems


def test_sigkill_at_random_points_never_corrupts_or_loses(
        tmp_path: Path, growing_feeds: list[GrowingFeed]) -> None:
    started = time.perf_counter()
    problems = run_lanes(tmp_path, growing_feeds, KILLS, SEED)
    TALLY.timings["20 kills + final fetches"] = time.perf_counter() - started
    assert problems == []
    for n, feed in enumerate(growing_feeds):
        check_complete(tmp_path / f"lane{n}" / "store.sqlite3", feed)


def check_complete(store: Path, feed: GrowingFeed) -> None:
    """Every entry of the feed stored once, with its page and its analysis."""
    import sqlite3

    assert sorted(stored_guids(store)) == sorted(feed.guids())  # every entry, each once
    with sqlite3.connect(store) as conn:
        count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        by_status = dict(conn.execute(
            "SELECT text_status, count(*) FROM articles GROUP BY text_status").fetchall())
        langs = dict(conn.execute("SELECT language, count(*) FROM articles "
                                  "WHERE text_status = 'full_text' GROUP BY language"))
        analysed = conn.execute("SELECT count(*) FROM articles WHERE "
                                "analysed_with LIKE '%briefing-quotes%'").fetchone()[0]
        helen = conn.execute("SELECT count(DISTINCT article_id) FROM quotes "
                             "WHERE speaker = 'Helen Brandt'").fetchone()[0]
        etag = conn.execute("SELECT etag FROM feeds").fetchone()[0]
    assert etag == f'"n{feed.count}"'  # saved once the work was done: the next run gets a 304
    assert count == feed.count
    pages = sum(1 for i in range(feed.count) if i % 6 not in (4, 5) or i % 12 == 11)
    assert by_status.get("full_text") == pages  # no page left as a summary by a kill
    assert langs.get("de") == sum(1 for i in range(feed.count) if i % 6 == 3)
    assert analysed == count - langs.get("de", 0) - by_status.get("failed", 0)
    assert helen == langs.get("en")  # every English page's quote, once
