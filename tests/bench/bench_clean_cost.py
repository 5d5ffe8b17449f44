"""The CPU cost of cleaning against one trafilatura pass, on the 181 benchmark pages.

Run: .venv/bin/pytest -q -s tests/bench/bench_clean_cost.py    (part of ``make bench``)

Reads the pages of ``../shared/extraction-benchmark`` (evaluation data, read in place);
skips when it is absent. Alternating rounds (``BENCH_CLEAN_ROUNDS``, default 5) time, in
CPU seconds of this process over all pages:

* one pass: decode, parse, ``trafilatura.bare_extraction`` with ``TRAFILATURA_OPTIONS``
  and metadata (trafilatura's own fallback comparison included, as shipped);
* shipped: ``clean_page`` as the fetch runs it (hover cards, the balanced second pass on
  short results, paragraphs, the boilerplate filter).

Printed: median and spread of each, their ratio (target <= 1.3x) and how many pages the
second pass ran on. F1 is ``bench_extraction.py``'s.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.bench.proctree import median, spread

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "extraction-benchmark"
ROUNDS = int(os.environ.get("BENCH_CLEAN_ROUNDS", "5"))


def pages() -> list[bytes]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        gzip.decompress((DATA / "html" / f"{doc}.html.gz").read_bytes()) for doc in sorted(truth)
    ]


def one_pass(page: bytes) -> None:
    import trafilatura
    from trafilatura.utils import load_html

    from extract.ingest import clean

    tree = load_html(clean.decode_html(page))
    trafilatura.bare_extraction(tree, with_metadata=True, **clean.TRAFILATURA_OPTIONS)


def shipped(page: bytes) -> None:
    from extract.ingest.clean import clean_page

    clean_page(page)


def second_passes(all_pages: list[bytes]) -> int:
    from extract.ingest import clean

    count = 0
    for page in all_pages:
        tree = clean._parse(clean.decode_html(page))
        found = (
            clean._bare_extraction(tree, None, clean.TRAFILATURA_OPTIONS)
            if tree is not None
            else None
        )
        count += clean._word_count(found) < clean.RETRY_BELOW_WORDS
    return count


def cpu_of(function: Callable[[bytes], None], all_pages: list[bytes]) -> float:
    started = time.process_time()
    for page in all_pages:
        function(page)
    return time.process_time() - started


def test_cleaning_cost_against_one_pass() -> None:
    if not (DATA / "ground-truth.json").is_file():
        pytest.skip(f"extraction benchmark not found at {DATA}; nothing to measure")
    all_pages = pages()
    for function in (one_pass, shipped):
        function(all_pages[0])  # imports and caches out of the timing
    times: dict[str, list[float]] = {"one pass": [], "shipped": []}
    for r in range(ROUNDS):
        order = [("one pass", one_pass), ("shipped", shipped)]
        for name, function in order if r % 2 == 0 else order[::-1]:
            times[name].append(cpu_of(function, all_pages))
    ratio = median(times["shipped"]) / median(times["one pass"])
    print(
        f"\n[clean] {len(all_pages)} pages, CPU s, median (min-max) of {ROUNDS} alternating "
        f"rounds (load average {os.getloadavg()[0]:.1f}):\n"
        f"  one trafilatura pass {spread(times['one pass'])}\n"
        f"  shipped clean_page   {spread(times['shipped'])}\n"
        f"  ratio {ratio:.2f}x (target <= 1.3x); second (balanced) pass on "
        f"{second_passes(all_pages)} of {len(all_pages)} pages"
    )
    assert ratio > 0  # figures only: never fail on time
