"""Crashes on PostgreSQL, counted: 20 SIGKILLs of a real ``briefing fetch`` at random points
(while polling, while pages arrive, while spaCy loads, while articles are stored), then
the server restarted (``pg_ctl restart``) in the middle of a fetch, three times.

    nice -n 10 .venv/bin/pytest -s tests/bench/bench_pg_kill.py     (BENCH_PG_KILLS=20)

Prints, after each kill, the half-stored articles found (must be 0: an article without
its analysis or the reason it was skipped, whose quote count is not its quotes, with
quotes but no entities, without its feed, full text without its page, or without its
search vector) and, for each restart, what the fetch said and whether the next run
completed. The feed and the kill points are ``tests/helpers/crash.py``'s (the SQLite kill
test's), on one store.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from extract.store import open_pg
from tests.helpers import REPO, postgres
from tests.helpers.crash import SEED, GrowingFeed, kill_at, pick_kill, serve_growing_feeds
from tests.helpers.httpserver import TestServer

KILLS = int(os.environ.get("BENCH_PG_KILLS", "20"))
RESTARTS = 3

# Each check: (what is wrong, the ids of the articles it is wrong for).
CHECKS = {
    "stored without its analysis": "text <> '' AND analysed_with IS NULL "
    "AND analysis_skipped IS NULL",
    "quote count is not its quotes": "quote_count <> "
    "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id)",
    "quotes without entities (a speaker is a name found)": "quote_count > 0 AND NOT EXISTS "
    "(SELECT 1 FROM entities e WHERE e.article_id = a.id)",
    "belongs to no feed": "NOT EXISTS (SELECT 1 FROM article_feeds af WHERE af.article_id = a.id)",
    "full text without text or page": "text_status = 'full_text' AND "
    "(text = '' OR html_zlib IS NULL)",
    "without its search vector": "search IS NULL",
}


def half_stored(url: str) -> list[str]:
    """Every half-stored article, said as "article N: what"; [] when the store is whole."""
    problems = []
    with open_pg(url, "bench") as store, store.pool.connection() as conn:
        for what, where in CHECKS.items():
            rows = conn.execute(f"SELECT a.id FROM articles a WHERE {where}").fetchall()
            problems += [f"article {r['id']}: {what}" for r in rows]
        quotes = conn.execute("SELECT count(*) AS n FROM quotes WHERE search IS NULL").fetchone()
        if quotes and quotes["n"]:
            problems.append(f"{quotes['n']} quotes without their search vector")
    return problems


def _start(config: Path, url: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO), "BRIEFING_STORE_URL": url}
    command = [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config)]
    return subprocess.Popen(
        [*command, "--progress", "jsonl"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _config(tmp: Path, feed: GrowingFeed) -> Path:
    config = tmp / "config.toml"
    config.write_text(
        f'[fetch]\ntimeout = 5.0\nper_host = 4\n[[feeds]]\nname = "Council"\nurl = "{feed.url}"\n'
    )
    return config


def _finish(config: Path, url: str) -> tuple[int, str]:
    last = _start(config, url)
    out, err = last.communicate(timeout=300)
    events = [json.loads(line) for line in out.splitlines()]
    done = bool(events) and events[-1]["event"] == "done"
    return (0 if last.returncode == 0 and done else last.returncode or 1), err.decode()


def test_kills_leave_no_half_stored_article(pg_cluster: postgres.Cluster, tmp_path: Path) -> None:
    server = TestServer().start()
    try:
        feed = serve_growing_feeds(server, 1)[0]
        url = pg_cluster.fresh_database()
        config = _config(tmp_path, feed)
        rng = random.Random(SEED)
        feed.grow(8)
        print(f"\n[pg kill] {KILLS} SIGKILLs of `briefing fetch`, load {os.getloadavg()}")
        killed = attempts = 0
        kinds: Counter[str] = Counter()
        half: list[str] = []
        while killed < KILLS and attempts < KILLS * 3:
            attempts += 1
            feed.grow(rng.choice((0, 2, 3, 4)))
            trigger, nth, delay = pick_kill(rng, attempts, SEED)
            run = _start(config, url)
            if not kill_at(run, trigger, nth, delay):
                continue  # it finished first
            killed += 1
            kinds[trigger] += 1
            found = half_stored(url)
            half += found
            with open_pg(url, "bench") as store:
                stored = store.article_count()
            print(
                f"kill {killed:2} ({trigger} #{nth} + {delay:.2f} s): {stored} articles, "
                f"{len(found)} half-stored"
            )
        code, err = _finish(config, url)
        with open_pg(url, "bench") as store:
            stored = store.article_count()
        after = half_stored(url)
        print(
            f"{killed} kills ({dict(kinds)}) in {attempts} runs: {len(half)} half-stored "
            f"articles seen after a kill; the last fetch {'completed' if code == 0 else code}: "
            f"{stored} articles of {len(feed.guids())} stories, {len(after)} half-stored"
        )
        assert killed == KILLS and code == 0, err
        assert half == [] and after == [], half + after
    finally:
        server.close()


def test_restarts_are_reported_and_the_next_run_completes(
    pg_cluster: postgres.Cluster, tmp_path: Path
) -> None:
    server = TestServer().start()
    try:
        feed = serve_growing_feeds(server, 1)[0]
        url = pg_cluster.fresh_database()
        config = _config(tmp_path, feed)
        print(f"\n[pg restart] `pg_ctl restart -m fast` mid-fetch, load {os.getloadavg()}")
        for n in range(RESTARTS):
            feed.grow(6)
            run = _start(config, url)
            assert run.stdout is not None
            for line in run.stdout:  # while its pages arrive: stored after them
                event = json.loads(line)
                if event.get("stage") == "pages" and event.get("done", 0) > 0:
                    break
            pg_cluster.ctl("restart", "-m", "fast")
            _, err = run.communicate(timeout=300)
            said = [line for line in err.decode().splitlines() if "store error" in line]
            code, last_err = _finish(config, url)
            with open_pg(url, "bench") as store:
                stored = store.article_count()
            problems = half_stored(url)
            print(
                f"restart {n + 1}: the fetch exited {run.returncode}: {said[:1]}; the next "
                f"run {'completed' if code == 0 else f'failed ({code})'}: {stored} articles "
                f"of {len(feed.guids())} stories, {len(problems)} half-stored"
            )
            assert run.returncode == 4 and said, err.decode()
            assert code == 0 and not problems, last_err + str(problems)
    finally:
        server.close()
