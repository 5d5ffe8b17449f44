"""Score the cleaning stage on the article-extraction benchmark in ../shared.

Run: .venv/bin/pytest -s tests/bench/bench_extraction.py

Reads <repo root>/../shared/extraction-benchmark (evaluation data: read in place,
never copied into the repo) and runs its score.py in a subprocess from the repo
root, so ``tests.bench.extractors:...`` imports. Skips with a message when the data is absent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "extraction-benchmark"
SCORE = DATA / "score.py"

SHIPPED = "tests.bench.extractors:shipped"  # the text exactly as stored
WITHOUT_FILTER = "tests.bench.extractors:trafilatura_only"  # same, boilerplate filter off
BASELINE = "trafilatura-nocomments"  # trafilatura's own setting on the benchmark
REQUIRED_F1 = 0.970  # issue #14: keep F1 >= 0.970

# a line of score.py's summary table: name, F1, precision, recall, accuracy, ...
_ROW = re.compile(r"^(\S+)\s+(\d\.\d{3})\s+(\d\.\d{3})\s+(\d\.\d{3})\s+(\d\.\d{3})\s", re.M)


def run_score(*extractors: str) -> dict[str, float]:
    args = [sys.executable, str(SCORE), "--data", str(DATA), "--no-per-doc", "--worst", "5"]
    for name in extractors:
        args += ["--extractor", name]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=600)
    print(done.stdout)
    assert done.returncode == 0, done.stderr[-2000:]
    return {m.group(1): float(m.group(2)) for m in _ROW.finditer(done.stdout)}


def test_extraction_benchmark() -> None:
    if not SCORE.is_file():
        pytest.skip(f"extraction benchmark not found at {DATA}; nothing to measure")
    f1 = run_score(SHIPPED, WITHOUT_FILTER, BASELINE)
    print(
        f"F1 shipped {f1[SHIPPED]:.3f}  without the boilerplate filter {f1[WITHOUT_FILTER]:.3f}"
        f"  trafilatura include_comments=False {f1[BASELINE]:.3f}"
    )
    assert f1[SHIPPED] >= REQUIRED_F1
    assert f1[SHIPPED] >= f1[WITHOUT_FILTER], "the boilerplate filter lowered F1"
