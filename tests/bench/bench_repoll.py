"""The idle re-poll: `briefing fetch --progress none` when every feed answers 304.

Run: .venv/bin/pytest -q -s tests/bench/bench_repoll.py      (part of ``make bench``)
 or: .venv/bin/python -m tests.bench.bench_repoll [--rounds 9] [--feeds 4]

A loopback ``TestServer`` (tests/helpers/httpserver.py) serves ``--feeds`` RSS feeds with an
ETag and a Last-Modified, each naming one article page on the same server. A first
``briefing fetch`` stores the articles (spaCy included) and the feeds' validators; then each
round runs, in an order that alternates from round to round:

- ``briefing``: the real ``briefing fetch --progress none`` (``python -m tui.cli``, this
  checkout), every feed answering 304: nothing new;
- ``python``: a bare interpreter (``python -c pass``), the floor any Python command pays;
- ``httpx``: a bare script asking the same feeds the same conditional GETs with httpx
  (imports httpx, one client, the requests): what a Python poller needs at least;
- ``briefing before`` (with ``--before DIR`` or ``BENCH_REPOLL_BEFORE=DIR``): the same
  command run from an older checkout, e.g. ``git archive main | tar -x -C DIR``.

Wall time of each process (spawn to exit) and its CPU time (user + sys, from the kernel).
Printed: median and spread (min-max). Target: briefing's median wall < 0.6 s. The processes
load compiled modules (``PYTHONPYCACHEPREFIX`` in the temp directory, written by the first
run) as an installed app does.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.helpers.httpserver import TestServer

ROOT = Path(__file__).resolve().parents[2]
FEEDS = 4
ROUNDS = int(os.environ.get("BENCH_REPOLL_ROUNDS", "9"))
TARGET_S = 0.6
# An older checkout (`git archive main | tar -x -C DIR`) whose `briefing` alternates with this.
BEFORE = Path(os.environ["BENCH_REPOLL_BEFORE"]) if os.environ.get("BENCH_REPOLL_BEFORE") else None
ETAG = '"feed-v1"'
LAST_MODIFIED = "Wed, 01 Jan 2025 00:00:00 GMT"
PAGE = (
    "<html><head><title>Port talks resume</title></head><body><article><h1>Port talks "
    "resume</h1>"
    + "".join(
        f"<p>Paragraph {i}: the harbour authority said talks with the unions would resume "
        f"on Monday. “We are ready to sign,” said Maria Lopez, the union's spokeswoman.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)

BARE_HTTPX = f"""
import sys, httpx
with httpx.Client() as client:
    for url in sys.argv[1:]:
        r = client.get(url, headers={{"If-None-Match": {ETAG!r}}})
        assert r.status_code == 304, r.status_code
"""


def feed_xml(server: TestServer, k: int) -> bytes:
    link = server.url(f"/page/{k}")
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {k}</title>'
        f"<item><title>Port talks resume {k}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Wed, 01 Jan 2025 00:00:00 GMT</pubDate></item></channel></rss>"
    ).encode()


def serve_feeds(server: TestServer) -> None:
    """``/feed/K.xml``: a one-item feed, 304 when the request names its validators;
    ``/page/K``: the item's page."""

    def feed(h, rest: str, query: dict[str, str]) -> None:  # noqa: ANN001
        if h.headers.get("If-None-Match") == ETAG or (
            h.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            h.send(304, b"", {"ETag": ETAG, "Last-Modified": LAST_MODIFIED})
            return
        k = int(rest.removesuffix(".xml"))
        headers = {"ETag": ETAG, "Last-Modified": LAST_MODIFIED}
        h.send(200, feed_xml(server, k), {**headers, "Content-Type": "application/rss+xml"})

    def page(h, rest: str, query: dict[str, str]) -> None:  # noqa: ANN001
        h.send(200, PAGE.replace("Port talks", f"Port talks {rest}").encode())

    server.handle("/feed", feed)
    server.handle("/page", page)


def write_config(folder: Path, server: TestServer, feeds: int) -> Path:
    lines = [f'[store]\npath = "{folder / "store.sqlite3"}"\n']
    for k in range(feeds):
        lines.append(f'[[feeds]]\nname = "Feed {k}"\nurl = "{server.url(f"/feed/{k}.xml")}"\n')
    config = folder / "config.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def child_env(config: Path) -> dict[str, str]:
    env = {**os.environ, "BRIEFING_CONFIG": str(config), "NO_COLOR": "1"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "briefing-bench-pyc")
    return env


def timed(
    args: list[str], env: dict[str, str], cwd: Path = ROOT
) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run a process to its end: (wall s, CPU s of user + sys, the result)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.3f} s ({min(values):.3f}-{max(values):.3f})"


def run(
    rounds: int, feeds: int, folder: Path, before: Path | None = None
) -> dict[str, dict[str, list[float]]]:
    server = TestServer().start()
    try:
        serve_feeds(server)
        config = write_config(folder, server, feeds)
        env = child_env(config)
        briefing = [sys.executable, "-m", "tui.cli", "fetch", "--progress", "none"]
        first = subprocess.run(briefing, cwd=ROOT, env=env, capture_output=True, text=True)
        assert first.returncode == 0, first.stderr[-2000:]
        urls = [server.url(f"/feed/{k}.xml") for k in range(feeds)]
        commands = {
            "briefing": briefing,
            "python": [sys.executable, "-c", "pass"],
            "httpx": [sys.executable, "-c", BARE_HTTPX, *urls],
        }
        roots = {name: ROOT for name in commands}
        if before is not None:  # the same command run from an older checkout
            commands["briefing before"] = briefing
            roots["briefing before"] = before
        for name, args in commands.items():  # warm-up: compiled modules, OS caches
            timed(args, env, roots[name])
        figures: dict[str, dict[str, list[float]]] = {n: {"wall": [], "cpu": []} for n in commands}
        served = len(server.requests)
        for r in range(rounds):
            order = list(commands) if r % 2 == 0 else list(commands)[::-1]
            for name in order:
                wall, cpu, done = timed(commands[name], env, roots[name])
                assert done.returncode == 0, done.stderr[-2000:]
                figures[name]["wall"].append(wall)
                figures[name]["cpu"].append(cpu)
        answered = [p for p in server.paths()[served:] if p.startswith("/page")]
        assert answered == [], "a re-poll fetched a page: the feeds were not unchanged"
        return figures
    finally:
        server.close()


def report(figures: dict[str, dict[str, list[float]]], rounds: int, feeds: int) -> None:
    load = os.getloadavg()[0]
    print(
        f"\n[idle re-poll] {feeds} feeds on a loopback server, every one 304; {rounds} "
        f"alternating rounds; load average {load:.1f}"
    )
    for name, row in figures.items():
        print(f"   {name:<9} wall {spread(row['wall'])}; CPU {spread(row['cpu'])}")
    wall = statistics.median(figures["briefing"]["wall"])
    over = wall - statistics.median(figures["python"]["wall"])
    print(
        f"   briefing over a bare interpreter {over:.3f} s, over a bare httpx poller "
        f"{wall - statistics.median(figures['httpx']['wall']):.3f} s; median wall {wall:.3f} s "
        f"-> target < {TARGET_S} s {'met' if wall < TARGET_S else 'MISSED'}"
    )


def test_idle_repoll(tmp_path: Path) -> None:
    figures = run(ROUNDS, FEEDS, tmp_path, BEFORE)
    report(figures, ROUNDS, FEEDS)
    assert all(len(row["wall"]) == ROUNDS for row in figures.values())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--feeds", type=int, default=FEEDS)
    parser.add_argument(
        "--before", type=Path, default=BEFORE, help="an older checkout to alternate with"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = run(options.rounds, options.feeds, Path(folder), options.before)
        report(figures, options.rounds, options.feeds)
