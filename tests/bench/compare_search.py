"""Search per keystroke, two versions of Briefing side by side, alternating round by round.

    git archive main | tar -x -C /tmp/old           # the code to compare against
    nice -n 10 .venv/bin/python -m tests.bench.compare_search \\
        --old /tmp/old OLD_STORE --new . NEW_STORE [--rounds 5]

Each version runs in its own process (its own ``extract`` on ``sys.path``) on its own
store (a store of the older schema for the older code: the same generated store before
and after its migration). Both warm up once, then take turns: one round of every quote
lookup keystroke and every article search keystroke (``bench_scale``'s queries), the
other version's round, and so on, so a busy machine weighs on both alike. Prints each
version's p95 per round, the median of those and the spread.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

WORKER = r"""
import json, sys, time
from pathlib import Path
from extract.store.connection import _connect
from extract.store.sqlite import Store
from tests.bench.bench_scale import ARTICLE_QUERIES, QUOTE_QUERIES, keystrokes, top_speakers
path = Path(sys.argv[1])
store = Store(_connect(path, True), path, True)
quotes = [t for q in [*top_speakers(store, 3), *QUOTE_QUERIES] for t in keystrokes(q)]
articles = [t for q in ARTICLE_QUERIES for t in keystrokes(q)]
def one_round():
    out = {}
    for name, search, typed in (("quotes", store.search_quotes, quotes),
                                ("articles", store.search_articles, articles)):
        times = []
        for text in typed:
            started = time.perf_counter()
            search(text)
            times.append((time.perf_counter() - started) * 1000)
        out[name] = times
    return out
one_round()  # warm-up
print("ready", flush=True)
for line in sys.stdin:
    print(json.dumps(one_round()), flush=True)
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def start(source: Path, store: Path, bench_root: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # the version's own code first; this checkout's tests/bench for the queries
    env["PYTHONPATH"] = os.pathsep.join([str(source.resolve()), str(bench_root)])
    proc = subprocess.Popen(
        [sys.executable, "-c", WORKER, str(store)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=source,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.compare_search")
    parser.add_argument("--old", nargs=2, metavar=("SOURCE", "STORE"), required=True)
    parser.add_argument("--new", nargs=2, metavar=("SOURCE", "STORE"), required=True)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parents[2]
    versions = {
        "old": start(Path(args.old[0]), Path(args.old[1]), root),
        "new": start(Path(args.new[0]), Path(args.new[1]), root),
    }
    p95s: dict[tuple[str, str], list[float]] = {}
    medians: dict[tuple[str, str], list[float]] = {}
    for _ in range(args.rounds):
        for name, proc in versions.items():
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
            for search, times in json.loads(proc.stdout.readline()).items():
                p95s.setdefault((name, search), []).append(percentile(times, 95))
                medians.setdefault((name, search), []).append(statistics.median(times))
    for proc in versions.values():
        proc.communicate("")
    print(f"{args.rounds} alternating rounds; per keystroke, ms (median of rounds, spread):")
    for (name, search), values in p95s.items():
        mids = medians[(name, search)]
        print(
            f"   {name} {search:<8} p95 {statistics.median(values):6.1f} "
            f"({min(values):.1f}-{max(values):.1f}), median {statistics.median(mids):5.1f} "
            f"({min(mids):.1f}-{max(mids):.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
