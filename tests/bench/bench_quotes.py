"""Quotes and speakers on real web pages and on curated news, side by side.

Reads evaluation data beside the repo, never copied into it (``ROOT.parent /
"shared"``, else ``/work/shared``; skips when neither exists):

* ``quote-eval-web``: 58 real web pages (news, features, reviews, blogs) with
  every direct quote, its speaker and the quoted strings that are no quotes;
  scored by its own ``score_web_quotes.py``;
* ``quote-eval``: the PolNeAR dev subset (Newell, Margolin, Ruths, LREC 2018),
  scored by its ``score_quotes.py``; and its indirect (reported) attributions,
  measured here: a gold report is found when predicted indirect spans cover
  half of its letters and digits, a prediction is right when half of its
  letters and digits lie in a gold attribution of any kind.

    .venv/bin/pytest -s tests/bench/bench_quotes.py
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from extract.config import NlpSettings
from extract.models import Analysis
from extract.nlp import analyse_texts

ROOT = Path(__file__).resolve().parents[2]
SHARED = next(
    (p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()),
    ROOT.parent / "shared",
)
WEB = SHARED / "quote-eval-web"
POLNEAR = SHARED / "quote-eval"

TARGETS = {  # issue #10
    "quote precision": ">= 0.97",
    "quote recall": ">= 0.95",
    "speaker precision when named": ">= 0.95",
    "end-to-end recall": ">= 0.88",
    "not-quotes taken as quotes": "<= 5",
    "quote F1": ">= 0.965",
    "speaker-name recall": ">= 0.88",
    "pronoun speakers": ">= 75/90",
}


def _web_scorer():
    spec = importlib.util.spec_from_file_location("score_web_quotes", WEB / "score_web_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def web_figures(tmp: Path) -> dict:
    scorer = _web_scorer()
    gold, texts = scorer.load_gold("dev"), scorer.load_texts()
    ids = [g["doc_id"] for g in gold]
    analyses = list(analyse_texts((texts[i] for i in ids), NlpSettings()))
    path = tmp / "web.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for doc_id, analysis in zip(ids, analyses, strict=True):
            quotes = [
                {"kind": q.kind, "spans": [list(s) for s in q.spans], "speaker": q.speaker}
                for q in analysis.quotes
            ]
            f.write(json.dumps({"path": f"{doc_id}.txt", "quotes": quotes}) + "\n")
    s = scorer.score(str(path), "dev")
    return {
        "articles": s["articles"],
        "quote precision": s["quote_precision"],
        "quote recall": s["quote_recall"],
        "speaker precision when named": s["speaker_precision_when_named"],
        "end-to-end recall": s["end_to_end_recall"],
        "not-quotes taken as quotes": f"{s['not_quotes_taken_as_quotes']} of 102",
        "wrong speakers": len(s["wrong_speakers"]),
    }


def polnear_figures(tmp: Path) -> tuple[dict, dict]:
    articles = [
        json.loads(line)
        for line in (POLNEAR / "polnear_dev_articles.jsonl").open(encoding="utf-8")
        if line.strip()
    ]
    analyses = list(analyse_texts((a["text"] for a in articles), NlpSettings()))
    path = tmp / "polnear.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for article, analysis in zip(articles, analyses, strict=True):
            for q in analysis.quotes:
                if q.kind != "direct":
                    continue
                for start, end in q.spans:
                    f.write(
                        json.dumps(
                            {
                                "doc_id": article["doc_id"],
                                "start": start,
                                "end": end,
                                "speaker": q.speaker,
                                "speaker_start": q.speaker_start,
                                "speaker_end": q.speaker_end,
                            }
                        )
                        + "\n"
                    )
    out = subprocess.run(
        [sys.executable, str(POLNEAR / "score_quotes.py"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    s = json.loads(out.stdout)
    direct = {
        "articles": len(articles),
        "quote precision": s["precision"],
        "quote recall": s["recall"],
        "quote F1": s["f1"],
        "speaker-name recall": s["end_to_end_quote+speaker_name_recall"],
        "pronoun speakers": s["speaker_name_acc_pronoun_cases"],
    }
    return direct, reported_figures(articles, analyses)


def _alnum(text: str, spans) -> set[int]:
    return {i for a, b in spans for i in range(a, min(b, len(text))) if text[i].isalnum()}


def reported_figures(articles: list[dict], analyses: list[Analysis]) -> dict:
    """Reported speech against PolNeAR's indirect attributions (the stretch of #10)."""
    gold = found = found_named = pred = right = 0
    for article, analysis in zip(articles, analyses, strict=True):
        text = article["text"]
        preds = [(q, _alnum(text, q.spans)) for q in analysis.quotes if q.kind == "indirect"]
        covered = set().union(*(c for _, c in preds)) if preds else set()
        every = set()
        for a in article["attributions"]:
            chars = _alnum(text, [(s["start"], s["end"]) for s in a["content_spans"]])
            every |= chars
            if a["type"] != "indirect" or not chars:
                continue
            gold += 1
            if len(chars & covered) >= 0.5 * len(chars):
                found += 1
                best = max(preds, key=lambda p: len(p[1] & chars))[0]
                source = {s["text"].lower() for s in a.get("source_spans", [])}
                said = (best.speaker or "").lower()
                found_named += bool(said) and any(
                    w in said for s in source for w in s.split() if len(w) > 3
                )
        for _, chars in preds:
            if chars:
                pred += 1
                right += len(chars & every) >= 0.5 * len(chars)
    return {
        "gold indirect": gold,
        "recall": round(found / gold, 3) if gold else None,
        "precision": round(right / pred, 3) if pred else None,
        "found with the source's word in the speaker": found_named,
    }


def test_quotes_web_and_polnear(tmp_path: Path) -> None:
    if not (WEB / "gold-dev.jsonl").exists() or not (POLNEAR / "score_quotes.py").exists():
        pytest.skip(f"evaluation data not found under {SHARED}; nothing to measure")
    print(f"\nevaluation data: {SHARED} (read only)")
    web = web_figures(tmp_path)
    polnear, reported = polnear_figures(tmp_path)
    keys = list(dict.fromkeys([*web, *polnear]))
    print(f"{'':32} {'web pages':>12} {'PolNeAR dev':>12}   target")
    for key in keys:
        print(
            f"{key:32} {web.get(key, ''):>12} {polnear.get(key, ''):>12}   {TARGETS.get(key, '')}"
        )
    print("reported speech on PolNeAR dev:", json.dumps(reported))
    assert web["articles"] > 0 and polnear["articles"] > 0
