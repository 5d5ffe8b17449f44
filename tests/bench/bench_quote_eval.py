"""Quote extraction and speaker naming, measured on the PolNeAR dev subset.

Reads ``../shared/quote-eval`` beside the repo (evaluation data: never copied
into the repo) and skips when it is missing. Runs ``analyse_texts`` over every
article, writes the direct quotes in the scorer's JSONL format and prints the
reference scorer's JSON, once with one prediction per quote span ("spans")
and once with one prediction covering a split quote ("cover").

    .venv/bin/pytest -s tests/bench/bench_quote_eval.py

Set BRIEFING_PREDICTIONS=path to keep the predictions file.
Cite: Newell, Margolin, Ruths, An Attribution Relations Corpus for Political
News, LREC 2018.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extract.config import NlpSettings
from extract.models import Analysis
from extract.nlp import analyse_texts

EVAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "quote-eval"
ARTICLES = EVAL_DIR / "polnear_dev_articles.jsonl"
SCORER = EVAL_DIR / "score_quotes.py"


def predictions(doc_id: str, analysis: Analysis, mode: str) -> list[dict]:
    """Scorer rows for the direct quotes of one article."""
    rows = []
    for q in analysis.quotes:
        if q.kind != "direct":
            continue
        spans = q.spans if mode == "spans" else ((q.start, q.end),)
        for start, end in spans:
            rows.append(
                {
                    "doc_id": doc_id,
                    "start": start,
                    "end": end,
                    "speaker": q.speaker,
                    "speaker_start": q.speaker_start,
                    "speaker_end": q.speaker_end,
                }
            )
    return rows


def score(path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORER), str(path)], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_quote_eval(tmp_path: Path) -> None:
    if not ARTICLES.exists() or not SCORER.exists():
        pytest.skip(f"quote-eval data not found at {EVAL_DIR}; nothing to measure")
    articles = [json.loads(line) for line in ARTICLES.open(encoding="utf-8") if line.strip()]
    started = time.perf_counter()
    analyses = list(analyse_texts((a["text"] for a in articles), NlpSettings()))
    seconds = time.perf_counter() - started
    assert len(analyses) == len(articles)
    assert not [a.skipped for a in analyses if a.skipped]
    keep = os.environ.get("BRIEFING_PREDICTIONS")
    results = {}
    for mode in ("spans", "cover"):
        path = Path(keep) if keep and mode == "spans" else tmp_path / f"pred-{mode}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for article, analysis in zip(articles, analyses):
                for row in predictions(article["doc_id"], analysis, mode):
                    f.write(json.dumps(row) + "\n")
        results[mode] = score(path)
    n_direct = sum(q.kind == "direct" for a in analyses for q in a.quotes)
    n_indirect = sum(q.kind == "indirect" for a in analyses for q in a.quotes)
    print(
        f"\nquote-eval: {len(articles)} articles analysed in {seconds:.1f}s; "
        f"{n_direct} direct and {n_indirect} indirect quotes found"
    )
    for mode, result in results.items():
        print(f"scorer output, one prediction per {'span' if mode == 'spans' else 'quote'}:")
        print(json.dumps(result, indent=1))
    assert results["spans"]["gold"] > 0
