"""`briefing fetch` on the 181 real pages: peak memory, CPU, wall time, idle re-poll.

Run: .venv/bin/pytest -q -s tests/bench/bench_fetch.py     (part of ``make bench``)
 or: .venv/bin/python -m tests.bench.bench_fetch [--rounds 5] [--processes 1 2]

``../shared/real-feeds/serve.py`` serves the pages of the extraction benchmark as four RSS
feeds on 127.0.0.1 (with ETag and Last-Modified); skipped with a message when it is absent.
Each round runs, for every ``[nlp] processes`` setting in turn (the order alternates from
round to round, so a burst of load elsewhere does not always fall on the same one):

1. ``briefing fetch --progress none`` into a fresh store: the whole ingest, 181 pages
   fetched, cleaned, analysed (model load included) and stored;
2. ``briefing fetch`` again on that store: the idle re-poll, every feed answering 304.

Each run is a real ``briefing`` process; ``tests/bench/proctree.py`` samples its process
tree (the analysis workers included) for the peak of the summed PSS (shared pages counted
once), the summed RSS (what ``top`` adds up) and the largest single process, and takes
the tree's CPU time from the kernel. Printed: median and spread (min-max) of each.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench.proctree import Usage, load_average, measure, spread

ROOT = Path(__file__).resolve().parents[2]
SERVE = ROOT.parent / "shared" / "real-feeds" / "serve.py"
FEEDS = 4
ROUNDS = int(os.environ.get("BENCH_FETCH_ROUNDS", "5"))
IDLE_POLLS = 3  # re-polls per round
# `python -m tui.cli` from the repo root: what `briefing` runs, from this checkout.
BRIEFING = [sys.executable, "-m", "tui.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[str]:
    server = subprocess.Popen(
        [sys.executable, str(SERVE), "--port", str(port), "--feeds", str(FEEDS), "--minutes", "90"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError as exc:
            if server.poll() is not None:
                raise RuntimeError(
                    f"serve.py ended: {server.stderr.read() if server.stderr else ''}"
                ) from exc
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("serve.py did not start listening within 60 s")


def write_config(folder: Path, port: int, processes: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    feeds = "".join(
        f'[[feeds]]\nname = "Real pages {k}"\nurl = "http://127.0.0.1:{port}/feed/{k}.xml"\n\n'
        for k in range(FEEDS)
    )
    config = folder / "config.toml"
    config.write_text(
        f'[store]\npath = "{folder / "store.sqlite3"}"\n\n'
        # Loopback feeds are private addresses; the default allows a private origin.
        f"[nlp]\nprocesses = {processes}\n\n{feeds}",
        encoding="utf-8",
    )
    return config


def briefing_fetch(config: Path) -> Usage:
    env = {**os.environ, "BRIEFING_CONFIG": str(config), "NO_COLOR": "1"}
    usage = measure([*BRIEFING, "fetch", "--progress", "none"], cwd=ROOT, env=env)
    if usage.returncode not in (0, 1):
        raise RuntimeError(f"briefing fetch exited {usage.returncode}: {usage.stderr[-2000:]}")
    return usage


def stored(config: Path) -> int:
    import sqlite3

    path = config.with_name("store.sqlite3")
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def run(rounds: int, settings: list[int], base: Path) -> dict[int, dict[str, list[float]]]:
    port = free_port()
    server = start_server(port)
    figures: dict[int, dict[str, list[float]]] = {p: {} for p in settings}
    print(
        f"\n[fetch] 181 real pages in {FEEDS} RSS feeds (serve.py on 127.0.0.1:{port}); "
        f"{rounds} rounds, processes {settings} alternating; load average {load_average():.1f}"
    )
    try:
        for r in range(rounds):
            order = settings if r % 2 == 0 else settings[::-1]
            for processes in order:
                config = write_config(base / f"r{r}-p{processes}", port, processes)
                full = briefing_fetch(config)
                idle = [briefing_fetch(config) for _ in range(IDLE_POLLS)]
                row = figures[processes]
                for key, value in (
                    ("wall", full.wall),
                    ("cpu", full.cpu),
                    ("pss", full.pss),
                    ("rss", full.rss),
                    ("largest", full.largest),
                    ("idle wall", min(u.wall for u in idle)),
                    ("idle cpu", min(u.cpu for u in idle)),
                    ("idle rss", max(u.largest for u in idle)),
                    ("stored", float(stored(config))),
                ):
                    row.setdefault(key, []).append(value)
                print(
                    f"  round {r + 1} processes={processes}: wall {full.wall:.1f} s, "
                    f"CPU {full.cpu:.1f} s, peak PSS {full.pss:.0f} MiB (RSS sum {full.rss:.0f}, "
                    f"largest {full.largest:.0f}, {full.processes} processes); idle re-poll "
                    f"{', '.join(f'{u.wall:.2f}' for u in idle)} s; "
                    f"{stored(config)} stored; load {load_average():.1f}"
                )
    finally:
        server.terminate()
        server.wait(timeout=10)
    for processes, row in figures.items():
        print(f"[fetch] processes = {processes} (median (min-max) of {rounds} rounds)")
        for key, values in row.items():
            unit = "MiB" if key in ("pss", "rss", "largest", "idle rss") else "s"
            print(f"  {key:<10} {spread(values)} {'' if key == 'stored' else unit}")
    return figures


def test_fetch_real_pages(tmp_path: Path) -> None:
    if not SERVE.is_file():
        pytest.skip(f"{SERVE} not found: the real pages are evaluation data outside the repo")
    figures = run(ROUNDS, [1, 2], tmp_path)
    for row in figures.values():
        assert min(row["stored"]) > 150  # the fetch really stored the pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--dir", type=Path, default=None)
    args = parser.parse_args()
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        run(args.rounds, args.processes, args.dir or Path(tmp))


if __name__ == "__main__":
    main()
