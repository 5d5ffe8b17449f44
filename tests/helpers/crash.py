"""A real ``briefing fetch`` killed with SIGKILL at random points: the pieces of
``tests/hostile/test_crash_kill.py`` and of the hardening report.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.backends import StoreTarget
from tests.helpers.cli import briefing
from tests.helpers.hardening import REPO, fts_integrity
from tests.helpers.httpserver import Handler, TestServer

KILLS = 20
LANES = 2  # two kill sequences at once, on two stores: the machine has two cores
SEED = 20240611
TRIGGERS = ("start", "pages", "load", "article")  # the points a fetch is killed at
PAGE_DELAY_MS = 40
# Far over the 40 ms a page takes: no page may fail for being slow. At 5 s, on a machine
# at load average 10-13, four pages of a lane's last fetch failed and the test with them.
PAGE_TIMEOUT = 30.0


def english_page(n: int) -> bytes:
    return (
        f"<!doctype html><html lang='en'><head><title>Story {n}</title></head><body>"
        f"<article><h1>Story {n}</h1>"
        f"<p>The council of district {n} met on Tuesday to discuss the harbour plan, "
        f"which has divided the town for years, officials said.</p>"
        f'<p>"We will not sign anything that closes the harbour number {n}," Mayor '
        f"Helen Brandt told reporters after the meeting.</p>"
        f"<p>She said a vote was expected next month, once the report on item {n} is "
        f"published.</p></article></body></html>"
    ).encode()


def german_page(n: int) -> bytes:
    body = "".join(
        f"<p>Der Stadtrat von Bezirk {n} hat am Dienstag über den Hafenplan "
        f"beraten, der die Stadt seit Jahren spaltet, sagte ein Sprecher {i}.</p>"
        for i in range(4)
    )
    return (
        f"<!doctype html><html lang='de'><head><title>Bericht {n}</title></head><body>"
        f"<article><h1>Bericht {n}</h1>{body}</article></body></html>"
    ).encode()


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
                items.append(
                    f"<item><title>Note {i}</title>{guid}<description>"
                    f"Officials said note {i} was read out at the council meeting."
                    f"</description></item>"
                )
            elif kind == 5 and i % 12 == 5:  # no page and no summary: stored as failed
                items.append(f"<item><title>Empty {i}</title>{guid}</item>")
            else:
                lang = "de" if kind == 3 else "en"
                items.append(
                    f"<item><title>Story {i}</title>{guid}"
                    f"<link>{self.server.url(f'/crashpage/{lang}/{i}')}</link></item>"
                )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Council</title>'
            + "".join(reversed(items))
            + "</channel></rss>"
        ).encode()

    def handle(self, h: Handler, rest: str, q: dict[str, str]) -> None:
        etag = f'"n{self.count}"'
        if h.headers.get("If-None-Match") == etag:
            h.send(304, b"", {"ETag": etag})
        else:
            h.send(200, self.body(), {"ETag": etag, "Content-Type": "application/rss+xml"})


def _page(h: Handler, rest: str, q: dict[str, str]) -> None:
    lang, _, n = rest.partition("/")
    if h.pause(PAGE_DELAY_MS / 1000):
        h.send(200, german_page(int(n)) if lang == "de" else english_page(int(n)))


def serve_growing_feeds(server: TestServer, lanes: int = LANES) -> list[GrowingFeed]:
    """One growing feed per lane (lanes run side by side on their own stores)."""
    feeds = [GrowingFeed(server, lane) for lane in range(lanes)]

    def feed_route(h: Handler, rest: str, q: dict[str, str]) -> None:
        feeds[int(rest)].handle(h, rest, q)

    server.handle("/crashfeed", feed_route)
    server.handle("/crashpage", _page)
    return feeds


def write_config(tmp_path: Path, feed_url: str, store: StoreTarget) -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f"{store.config_section()}[fetch]\ntimeout = {PAGE_TIMEOUT}\nper_host = 4\n"
        f'[[feeds]]\nname = "Council"\nurl = "{feed_url}"\n',
        encoding="utf-8",
    )
    return config


def start_fetch(config: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config), "--progress", "jsonl"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


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


@dataclass
class Kills:
    """What the kill rounds found: kills, kills after which the store was whole, problems."""

    killed: int = 0
    intact: int = 0
    problems: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)  # the kind of each kill


def pick_trigger(rng: random.Random, attempt: int, seed: int) -> str:
    """Each kind of kill in turn for a lane's first rounds, starting at a kind that depends
    on its seed (so two lanes of three kills cover all four), then at random (articles
    twice as often: storing is where a kill can do the most harm)."""
    if attempt <= len(TRIGGERS):
        return TRIGGERS[(seed + attempt) % len(TRIGGERS)]
    return rng.choice((*TRIGGERS, "article"))


def pick_kill(rng: random.Random, attempt: int, seed: int) -> tuple[str, int, float]:
    """Where the next fetch is killed: the kind of point, its nth occurrence, and the
    seconds after it (short where the point is brief, longer where it lasts)."""
    trigger = pick_trigger(rng, attempt, seed)
    nth = rng.randint(1, 3)
    delay = {
        "start": rng.uniform(0.3, 1.5),
        "pages": rng.uniform(0.0, 0.03),
        "load": rng.uniform(0.0, 2.0),
        "article": rng.uniform(0.0, 0.02),
    }[trigger]
    return trigger, nth, delay


def kill_rounds(
    tmp_path: Path, feed: GrowingFeed, kills: int, seed: int, store: StoreTarget | None = None
) -> Kills:
    """``kills`` killed fetches, then one to the end; the problems found (none expected).
    The store is a SQLite file in ``tmp_path`` unless ``store`` says otherwise."""
    rng = random.Random(seed)
    store = store or StoreTarget("sqlite", tmp_path / "store.sqlite3")
    config = write_config(tmp_path, feed.url, store)
    feed.grow(8)
    problems: list[str] = []
    triggers: list[str] = []
    killed = attempts = intact = 0
    while killed < kills and attempts < kills * 2:
        attempts += 1
        # Mostly growing (new work for this run); sometimes not, so a run that was
        # killed after polling is followed by one that sees the same feed (ETag).
        feed.grow(rng.choice((0, 2, 3, 4)))
        trigger, nth, delay = pick_kill(rng, attempts, seed)
        proc = start_fetch(config)
        if kill_at(proc, trigger, nth, delay):
            killed += 1
            triggers.append(trigger)
            found = store.problems()
            intact += not found
            problems += [f"kill {killed} ({trigger} {nth} + {delay:.2f}s): {p}" for p in found]
        else:
            assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    assert killed == kills, f"only {killed} of {attempts} runs were still going when killed"

    # The run to the end needs no process of its own (nothing kills it): in this one, the
    # model stays loaded for the worker's next tests instead of costing a spaCy load.
    final = briefing("fetch", "--config", str(config), "--progress", "jsonl")
    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr
    events = [json.loads(line) for line in final.stdout.splitlines()]
    assert events[-1]["event"] == "done"
    problems += [f"after the last fetch: {p}" for p in store.problems()]
    if store.url is None:
        fts_integrity(store.path)
    return Kills(killed, intact, problems, triggers)


def stored_guids(store: StoreTarget) -> list[str]:
    return [r[0] for r in store.rows("SELECT guid FROM article_feeds ORDER BY guid")]


def run_lanes(
    tmp_path: Path,
    feeds: list[GrowingFeed],
    kills: int,
    seed: int,
    new_store: Callable[[Path], StoreTarget] | None = None,
) -> Kills:
    """``kills`` kills spread over the lanes (one per feed), run in parallel threads; each
    lane's store is ``new_store(its folder)`` (default: a SQLite file there)."""
    total = Kills()
    errors: list[BaseException] = []

    def lane(n: int) -> None:
        try:
            folder = tmp_path / f"lane{n}"
            folder.mkdir()
            share = kills // len(feeds) + (n < kills % len(feeds))
            store = new_store(folder) if new_store else None
            found = kill_rounds(folder, feeds[n], share, seed + n, store)
            with lock:
                total.killed += found.killed
                total.intact += found.intact
                total.triggers += found.triggers
                total.problems.extend(f"lane {n}: {p}" for p in found.problems)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)

    lock = threading.Lock()
    threads = [threading.Thread(target=lane, args=(n,)) for n in range(len(feeds))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    if errors:
        raise errors[0]
    return total
