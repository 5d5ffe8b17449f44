"""People linking across articles, measured on PolNeAR dev plus the quote-eval-web pages.

Reads ``../shared/quote-eval`` (72 PolNeAR dev articles, 2016) and ``../shared/quote-eval-web``
with ``../shared/extraction-benchmark`` (58 web pages, their ground-truth text) beside the
repo, or in ``/work/shared``; skips when they are missing. Nothing of them is copied into the
repo. Every text is analysed (spaCy, ``analyse_texts``) and stored, oldest first, in a real
store, so linking runs as in ``briefing fetch``.

Gold person of a gold direct quote: the evaluation file's speaker name and keys (the surname,
``speaker_match_keys`` / ``speaker_keys``), as (given name, surname); a speaker given by the
surname alone takes the given name of the one full name with that surname among the
article's gold speakers, else in the article's text; when there is none or several it is
"unresolved" and left out (listed). Descriptions and organisations are left out: the
figure is about people. Only quotes found with the right speaker (the stored speaker holds a
gold key) count, so attribution errors (``bench_quote_eval``) are not counted as linking.

Printed: people quoted in 2+ articles that end up under more than one person ("split",
target 0) and persons of the store that hold two different gold people ("merged", target 0),
each listed; and the time linking takes per article.

    .venv/bin/pytest -q -s tests/bench/bench_people.py

``BENCH_PEOPLE_ANALYSES=path`` keeps the analyses (a pickle, outside the repo) so the linking
can be measured again without spaCy.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest

from extract.config import NlpSettings
from extract.models import Analysis
from extract.people.variants import plain
from extract.store import NewArticle, open_store
from extract.store import people as people_sql

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").exists() else Path("/work/shared")
POLNEAR = SHARED / "quote-eval"
WEB = SHARED / "quote-eval-web"
TRUTH = SHARED / "extraction-benchmark" / "ground-truth.json"
_TITLES = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "sen",
    "senator",
    "rep",
    "gov",
    "governor",
    "secretary",
    "prince",
    "the",
    "former",
    "vice",
    "first",
    "lady",
    "gen",
    "general",
}


def _articles() -> list[dict]:
    """Every evaluation article: doc id, date, outlet, text and its gold quotes."""
    quotes: dict[str, list[dict]] = defaultdict(list)
    for line in (POLNEAR / "polnear_dev_direct_300.jsonl").open(encoding="utf-8"):
        q = json.loads(line)
        if q.get("speaker_name_by") == "gold_span" or not q.get("speaker_match_keys"):
            continue  # a description ("the mayor"), not a name
        offset = q["paragraph_doc_offset"]
        quotes[q["doc_id"]].append(
            {
                "spans": [(s["start"] + offset, s["end"] + offset) for s in q["quote_spans"]],
                "name": q["speaker_name"],
                "keys": q["speaker_match_keys"],
            }
        )
    out = []
    for line in (POLNEAR / "polnear_dev_articles.jsonl").open(encoding="utf-8"):
        a = json.loads(line)
        out.append(
            {
                "id": a["doc_id"],
                "date": a["date"],
                "source": a["publisher"],
                "text": a["text"],
                "gold": quotes.get(a["doc_id"], []),
            }
        )
    texts = json.loads(TRUTH.read_text(encoding="utf-8"))
    for line in (WEB / "gold-dev.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        body = texts[d["doc_id"]]["articleBody"]
        url = texts[d["doc_id"]].get("url") or ""
        gold = [
            {"spans": [(q["start"], q["end"])], "name": q["speaker"], "keys": q["speaker_keys"]}
            for q in d["quotes"]
        ]
        out.append(
            {
                "id": d["doc_id"],
                "date": None,
                "source": url.split("/")[2] if "//" in url else "web",
                "text": body,
                "gold": gold,
            }
        )
    return out


def _gold_person(name: str, keys: list[str], article: dict) -> tuple[str, str] | None:
    """(given, surname) of a gold speaker, or None when it is no person or unresolved."""
    words = [
        w
        for w in re.findall(r"[^\W\d_][\w'’-]*", name or "")
        if plain(w) not in _TITLES
        and len(w.rstrip(".")) > 1
        and plain(w) not in ("jr", "sr", "ii", "iii")
    ]
    if not words or not all(w[0].isupper() for w in words) or "*" in (name or ""):
        return None
    surname = plain(keys[0]).replace(" ", "")
    if plain(words[-1]).replace(" ", "") != surname.split()[-1] and not plain(
        " ".join(words)
    ).replace(" ", "").endswith(surname):
        return None  # the key is not the name's surname: an organisation or a description
    if len(words) >= 2:
        return plain(words[0]), surname
    givens = {
        plain(g["name"].split()[0])
        for g in article["gold"]
        if len(g["name"].split()) >= 2 and g["keys"] and plain(g["keys"][0]) == surname
    }
    if not givens:
        found = re.findall(
            rf"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?{re.escape(words[-1])}\b", article["text"]
        )
        givens = {plain(g) for g in found} - _TITLES
    return (givens.pop(), surname) if len(givens) == 1 else ("?", surname)


def _analyses(articles: list[dict]) -> list[Analysis]:
    cache = os.environ.get("BENCH_PEOPLE_ANALYSES")
    if cache and Path(cache).exists():
        return pickle.loads(Path(cache).read_bytes())
    from extract.nlp import analyse_texts

    result = list(analyse_texts((a["text"] for a in articles), NlpSettings()))
    if cache:
        Path(cache).write_bytes(pickle.dumps(result))
    return result


def _overlap(a: list[tuple[int, int]], b: list[list[int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def test_people_linking(tmp_path: Path) -> None:
    if not (POLNEAR.exists() and WEB.exists() and TRUTH.exists()):
        pytest.skip(f"evaluation data not found under {SHARED}; nothing to measure")
    articles = sorted(_articles(), key=lambda a: (a["date"] or "9999", a["id"]))
    analyses = _analyses(articles)
    linking = 0.0
    ids: dict[str, int] = {}
    original = people_sql.link_article

    def timed(tx, article_id):  # noqa: ANN001, ANN202
        nonlocal linking
        started = time.perf_counter()
        original(tx, article_id)
        linking += time.perf_counter() - started

    people_sql.link_article = timed
    try:
        with open_store(tmp_path / "people.sqlite3") as store:
            for a, analysis in zip(articles, analyses, strict=True):
                ids[a["id"]] = store.add_article(
                    NewArticle(
                        url=None,
                        canonical_url=f"https://eval.invalid/{a['id']}",
                        title=a["id"],
                        author=None,
                        published=f"{a['date']}T12:00:00+00:00" if a["date"] else None,
                        source=a["source"],
                        text=a["text"],
                        text_status="full_text",
                    ),
                    None,
                    None,
                    analysis,
                )
            _report(store, articles, ids)
            print(
                f"linking: {1000 * linking / len(articles):.2f} ms per article "
                f"({len(articles)} articles, {len(store.people(limit=100000))} people)"
            )
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        people_sql.link_article = original


def _report(store, articles: list[dict], ids: dict[str, int]) -> None:  # noqa: ANN001
    by_gold: dict[tuple[str, str], set[tuple[str, int]]] = defaultdict(set)  # -> (doc, person)
    by_person: dict[int, set[tuple[str, str]]] = defaultdict(set)
    unresolved: list[str] = []
    counted = 0
    for a in articles:
        stored = store.conn.execute(
            "SELECT spans, speaker, person_id FROM quotes WHERE article_id = ?", (ids[a["id"]],)
        ).fetchall()
        for g in a["gold"]:
            who = _gold_person(g["name"], g["keys"], a)
            if who is None:
                continue
            best = max(stored, key=lambda r: _overlap(g["spans"], json.loads(r[0])), default=None)
            if (
                best is None
                or not _overlap(g["spans"], json.loads(best[0]))
                or not best[1]
                or not any(k.lower() in best[1].lower() for k in g["keys"])
            ):
                continue  # not found, or found with the wrong speaker: not linking's doing
            if who[0] == "?":
                linked = store.person(best[2]).name if best[2] else "nobody"
                unresolved.append(f"{g['name']} ({a['id'][:24]}) -> {linked}")
                continue
            counted += 1
            by_gold[who].add((a["id"], best[2]))
            if best[2] is not None:
                by_person[best[2]].add(who)
    several = {who: seen for who, seen in by_gold.items() if len({d for d, _ in seen}) >= 2}
    split = {
        who: {p for _, p in seen} for who, seen in several.items() if len({p for _, p in seen}) > 1
    }
    merged = {pid: golds for pid, golds in by_person.items() if len(golds) > 1}
    print(
        f"\npeople linking on {len(articles)} articles: {counted} gold quotes by "
        f"{len(by_gold)} gold people counted ({len(unresolved)} unresolved surnames left out)"
    )
    print(
        f"people quoted in 2+ articles: {len(several)}; under more than one person: "
        f"{len(split)} (target 0)"
    )
    for who, persons in sorted(split.items()):
        names = [f"{store.person(p).name if p else None} (#{p})" for p in persons]
        print(f"  split: {' '.join(who)} -> {', '.join(names)}")
    print(f"persons holding two or more different real people: {len(merged)} (target 0)")
    for pid, golds in sorted(merged.items()):
        print(
            f"  merged: #{pid} {store.person(pid).name}: "
            f"{'; '.join(' '.join(g) for g in sorted(golds))}"
        )
    if unresolved:
        print(
            "  unresolved gold surnames, and who they were linked to: "
            + "; ".join(sorted(set(unresolved))[:20])
        )
    spellings = store.conn.execute(
        "SELECT p.name, count(DISTINCT q.speaker) AS n, count(*) FROM quotes q JOIN people p "
        "ON p.id = q.person_id GROUP BY p.id HAVING n > 1 ORDER BY n DESC, p.name LIMIT 10"
    )
    print(
        "  one person, several spellings: "
        + "; ".join(f"{name} ({n} spellings, {quotes} quotes)" for name, n, quotes in spellings)
    )
