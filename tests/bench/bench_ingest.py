"""Ingest throughput: the demo briefing repeated to 200 articles, over real local HTTP.

Run: .venv/bin/pytest -q -s tests/bench/bench_ingest.py    (part of ``make bench``)

The local test server (``tests/helpers/httpserver.py``) serves copies of
``extract/demo/pages/*.html`` under distinct URLs (each copy gets one extra
paragraph, so no two texts are the same story) and four generated RSS feeds of
50 entries. Each configuration runs ``extract.ingest.pipeline.run_ingest`` in a fresh
process (``python -m tests.bench.bench_ingest run ...``, so the spaCy model is
loaded cold each time, as by ``briefing fetch``) into a fresh store, with
``[nlp] processes = 1`` and ``= 2`` and the default fetch settings.

Printed: articles per second (articles stored / wall time of ``run_ingest``),
the share of the wall time in the fetch+clean phase (pages are fetched and cleaned
concurrently, then analysed and stored one by one, so that phase is the wall time
less NLP and store), NLP (model load included) and store; and the raw
``IngestReport.timings`` (wall time per phase; fetch includes feed polling).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "extract" / "demo" / "pages"
ARTICLES = 200
FEEDS = 4
HTML = {"Content-Type": "text/html; charset=utf-8"}
XML = {"Content-Type": "application/rss+xml"}
STAGES = ("fetch", "clean", "nlp", "store")


def serve_demo_copies(server, articles: int = ARTICLES, feeds: int = FEEDS) -> list[str]:  # noqa: ANN001
    """Routes for ``articles`` distinct page copies and ``feeds`` RSS feeds; feed URLs."""
    pages = sorted(PAGES.glob("*.html"))
    items: list[list[str]] = [[] for _ in range(feeds)]
    start = datetime(2022, 1, 19, 6, 30, tzinfo=UTC)
    for n in range(articles):
        page = pages[n % len(pages)]
        html = page.read_text(encoding="utf-8")
        title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
        # A distinct sentence at the end of the article's first paragraph: the same text
        # twice would be stored once (content hash), and an edge paragraph may be dropped.
        at = html.index("<article")
        for _ in range(2):  # the second plain <p> (no class: not a kicker or byline)
            at = html.index("<p>", at + 1)
        end = html.index("</p>", at)
        copy = f"{html[:end]} This is copy {n} of the story, filed from desk {n % 17}.{html[end:]}"
        path = f"/copies/{n}/{page.name}"
        server.add(path, copy.encode(), headers=HTML)
        when = format_datetime(start - timedelta(minutes=17 * n), usegmt=True)
        items[n % feeds].append(
            f"<item><title>{title} ({n})</title><link>{server.url(path)}</link>"
            f'<guid isPermaLink="false">bench-{n}</guid><pubDate>{when}</pubDate>'
            f"<description>{escape(title)}</description></item>"
        )
    urls = []
    for f, entries in enumerate(items):
        body = (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Bench feed {f}'
            f"</title><link>https://bench.example/{f}</link><description>copies"
            f"</description>{''.join(entries)}</channel></rss>"
        ).encode()
        urls.append(server.add(f"/feeds/{f}.xml", body, headers=XML))
    return urls


def run_child(feed_urls: list[str], processes: int, store: Path) -> dict:
    """One ``run_ingest`` in this process (the child); its figures."""
    from extract.config import Config, FeedConfig, FetchSettings, NlpSettings
    from extract.ingest.pipeline import run_ingest
    from extract.store import open_store

    feeds = tuple(
        FeedConfig(name=f"Bench feed {n}", url=url, tags=("bench",))
        for n, url in enumerate(feed_urls)
    )
    config = Config(
        path=store.with_name("config.toml"),
        store_path=store,
        fetch=FetchSettings(),
        nlp=NlpSettings(processes=processes, fit_to_free_cpus=False),
        feeds=feeds,
        keys={},
    )
    with open_store(store) as s:
        started = time.perf_counter()
        report = run_ingest(config, s, feeds)
        wall = time.perf_counter() - started
        stored = s.article_count()
        quotes = s.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        statuses = dict(
            s.conn.execute("SELECT text_status, count(*) FROM articles GROUP BY 1").fetchall()
        )
    return {
        "wall": wall,
        "new": report.new,
        "stored": stored,
        "quotes": quotes,
        "statuses": statuses,
        "timings": dict(report.timings),
    }


def spawn(feed_urls: list[str], processes: int, store: Path) -> dict:
    args = [
        sys.executable,
        "-m",
        "tests.bench.bench_ingest",
        "run",
        str(processes),
        str(store),
        *feed_urls,
    ]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_ingest_throughput(tmp_path: Path) -> None:
    from tests.helpers.httpserver import TestServer

    server = TestServer().start()
    try:
        urls = serve_demo_copies(server)
        print(
            f"\n[ingest] {ARTICLES} copies of the {len(list(PAGES.glob('*.html')))} demo "
            f"pages in {FEEDS} RSS feeds on {server.url('/')}; default [fetch] settings"
        )
        for processes in (1, 2):
            run = spawn(urls, processes, tmp_path / f"p{processes}.sqlite3")
            t, wall = run["timings"], run["wall"]
            raw = ", ".join(f"{k} {t.get(k, 0.0):.1f} s" for k in STAGES)
            # Pages are fetched (and cleaned) concurrently, then analysed and stored one
            # after another: the fetch phase's wall time is what the other stages leave.
            fetch_wall = wall - t.get("nlp", 0.0) - t.get("store", 0.0)
            shares = (
                f"fetch+clean phase {fetch_wall:.1f} s ({fetch_wall / wall:.0%}; clean "
                f"CPU {t.get('clean', 0.0):.1f} s), nlp {t.get('nlp', 0.0):.1f} s "
                f"({t.get('nlp', 0.0) / wall:.0%}), store {t.get('store', 0.0):.1f} s "
                f"({t.get('store', 0.0) / wall:.0%})"
            )
            print(
                f"   [nlp] processes = {processes}: {run['new']} articles in {wall:.1f} s = "
                f"{run['new'] / wall:.1f} articles/s, {run['quotes']} quotes\n"
                f"      share of wall time: {shares}\n"
                f"      IngestReport.timings: {raw} (wall time per phase)"
            )
            assert run["new"] == ARTICLES, {k: v for k, v in run.items()}
            assert run["statuses"].get("full_text") == ARTICLES, run
    finally:
        server.close()


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "run":
        print(json.dumps(run_child(sys.argv[4:], int(sys.argv[2]), Path(sys.argv[3]))))
    else:
        sys.exit("usage: python -m tests.bench.bench_ingest run PROCESSES STORE FEED_URL...")
