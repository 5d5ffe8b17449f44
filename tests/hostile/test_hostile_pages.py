"""Hostile article pages through fetch + clean + ingest, against the local server.

Bombs, oversized and endless bodies, slow drips, redirect loops, wrong content
types, binary junk, pages in other languages and scripts, and text made to
choke the quote extractor. Every page ends as a stored article with a reason,
within the fetch deadline, and nothing raises.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.config import Config, FeedConfig, FetchSettings, NlpSettings
from extract.ingest.clean import clean_page
from extract.ingest.pipeline import MAX_ANALYSED_CHARS, run_ingest
from extract.store import open_store
from tests.helpers.cpu import cpu_budget, process_cpu
from tests.helpers.fuzz import scaled
from tests.helpers.hardening import REPO, store_problems
from tests.helpers.hostile_pages import (
    BINARY,
    CHINESE,
    ENGLISH,
    GERMAN,
    GERMAN_AS_EN,
    HOSTILE_TEXT,
    HTML,
    QUOTE_MARKS,
    RUSSIAN,
    entry,
    pathological,
)
from tests.helpers.httpserver import TestServer

TIMEOUT = 4.0  # read timeout; a whole fetch may take DEADLINE_FACTOR (3) of these (12 s: a
# machine running 5x more work than it has cores took more than 3 s to follow a redirect loop,
# and at load average 12-19, more than 6 s, in three runs of four)
MAX_BYTES = 1_000_000


def make_config(tmp_path: Path, feed_url: str) -> Config:
    fetch = FetchSettings(timeout=TIMEOUT, connect_timeout=1.0, max_bytes=MAX_BYTES)
    return Config(
        path=tmp_path / "config.toml",
        store_path=tmp_path / "store.sqlite3",
        fetch=fetch,
        nlp=NlpSettings(),
        keys={},
        feeds=(FeedConfig("Pages", feed_url, fetch=fetch),),
    )


# name -> (path on the server, expected text_status, words expected in the reason)
PAGES: dict[str, tuple[str, str, str]] = {
    "gzip_bomb": ("/bomb?mib=64", "feed_summary", "limit"),
    "over_the_cap": ("/big?size=3000000", "feed_summary", "limit"),
    "over_the_cap_chunked": ("/big-unsized?size=3000000", "feed_summary", "limit"),
    "endless": ("/endless", "feed_summary", "limit"),
    "one_byte_a_second": ("/drip?ms=300&bytes=200", "feed_summary", "longer than"),
    "slow_to_answer": ("/slow?delay_ms=12000", "feed_summary", "timed out"),
    "redirect_loop": ("/loop/a", "feed_summary", "redirect loop"),
    "redirect_to_file": (
        "/redirect-to?url=file:///etc/passwd",
        "feed_summary",
        "not a web address",
    ),
    "pdf": ("/pdf", "feed_summary", "not an HTML page"),
    "png": ("/png", "feed_summary", "not an HTML page"),
    "binary_as_html": ("/binary", "feed_summary", "no article text"),
    "empty_html": ("/empty", "feed_summary", "no article text"),
    "server_error": ("/status/500", "feed_summary", "500"),
    "russian": ("/ru", "full_text", ""),
    "chinese": ("/zh", "full_text", ""),
    "german": ("/de", "full_text", ""),
    "german_declared_english": ("/de-as-en", "full_text", ""),
    "english": ("/en", "full_text", ""),
    "quote_marks": ("/quotes", "full_text", ""),
    "hostile_text": ("/escapes", "full_text", ""),
}


@pytest.fixture
def hostile_site(http_server: TestServer) -> TestServer:
    http_server.add("/png", b"\x89PNG\r\n\x1a\n" + BINARY, headers={"Content-Type": "image/png"})
    http_server.add("/binary", BINARY, headers=HTML)
    http_server.add("/empty", b"<html><body></body></html>", headers=HTML)
    for path, body in (
        ("/ru", RUSSIAN),
        ("/zh", CHINESE),
        ("/de", GERMAN),
        ("/de-as-en", GERMAN_AS_EN),
        ("/en", ENGLISH),
        ("/quotes", QUOTE_MARKS),
        ("/escapes", HOSTILE_TEXT),
    ):
        http_server.add(path, body, headers=HTML)
    items = "".join(
        entry(n, name, http_server.url(path))
        for n, (name, (path, _, _)) in enumerate(PAGES.items())
    )
    http_server.add(
        "/feed",
        (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Pages'
            f"</title>{items}</channel></rss>"
        ).encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    return http_server


@pytest.mark.slow
def test_hostile_pages_through_the_whole_ingest(tmp_path: Path, hostile_site: TestServer) -> None:
    config = make_config(tmp_path, hostile_site.url("/feed"))
    with open_store(config.store_path) as store:
        # Every slow page is bounded by its deadline (the reasons below say which one
        # fired); the work of cutting bombs and endless bodies is bounded here.
        with cpu_budget(45, "ingest of every hostile page", time.process_time):
            report = run_ingest(config, store, config.feeds)
        assert report.feeds[0].new == len(PAGES)
        by_title = {}
        for article_id in store.all_article_ids():
            a = store.article(article_id)
            assert a is not None
            by_title[a.title] = a
        for name, (_, status, reason) in PAGES.items():
            a = by_title[name]  # the feed's title for the entry
            assert a.text_status == status, (name, a.text_status, a.text_reason)
            # The bomb is bounded by the size cap or, on a loaded machine, by the fetch's
            # whole deadline (DEADLINE_FACTOR read timeouts), whichever trips first.
            reasons = (reason, "in total") if name == "gzip_bomb" else (reason,)
            assert any(r in (a.text_reason or "") for r in reasons), (name, a.text_reason)
            if status == "feed_summary":
                assert a.text.startswith("Feed summary of"), name
            assert "root:" not in a.text

        languages = by_title
        for name, expected in (("russian", "ru"), ("chinese", "zh"), ("german", "de")):
            a = languages[name]
            assert a.language == expected, (name, a.language)
            assert a.quote_count == 0 and a.analysis_skipped, name
            assert f"language {expected!r}" in a.analysis_skipped, a.analysis_skipped
            assert not store.entities(a.id)  # the English model was not run on it
        mislabelled = languages["german_declared_english"]
        assert mislabelled.language != "en" and mislabelled.analysis_skipped
        assert "Переговоры" not in languages["russian"].text  # the headline is the title
        assert "Министр" in languages["russian"].text and "外交部" in languages["chinese"].text
        english = languages["english"]
        assert english.language == "en" and english.analysed_with
        assert "Ana Lopes" in {q.speaker for q in store.quotes(english.id)}
        assert languages["quote_marks"].analysed_with  # analysed, not stuck
        hostile = languages["hostile_text"]
        assert "\x1b" in hostile.text or "RED" in hostile.text  # stored (faithfully or cleaned)
    assert store_problems(config.store_path) == []


# What an analyst can wait for one article, in CPU seconds of the fetch process. Measured on
# 2 cores: a 1 MB paragraph (cut at MAX_ANALYSED_CHARS) ~5 s since speakers.name_subject
# stopped rebuilding Doc.text per subject (it took ~113 s at 200,000 chars). Quotes in one
# long unpunctuated sentence were quadratic (attribution.direct._find_cue/_zones walked the
# whole sentence for every quote: 6,000 quote marks ~34 s, 12,000 ~140 s); the zones are now
# looked up in per-doc lists, so 6,000 marks take ~3 s and 12,000 (84,000 chars, under the
# cap) ~6 s, nearly all of it the parser. Nested reported speech in one sentence ("Smith said
# Jones said ...", each clause inside the one before) was worse than quadratic
# (attribution.reported._reported walked every clause's subtree: 10,000 chars ~7 s, 100,000
# no end in minutes); clauses are now read from per-doc arrays and run-on ones dropped: ~1 s
# of attribution after ~3 s of parsing at 100,000 chars. One word of 100,000 quote marks made
# spaCy's tokenizer quadratic (20,000 ~49 s); runs are now cut at 100 characters and at most
# 30,000 words analysed: ~12 s, the worst of these (docs/performance.md). Past that,
# [nlp] cpu_per_text stops any text.
#
# Here the budget is 1 s, not the default 20 (the same guard at a fraction of the CPU), and
# the six pages are one fetch, so spaCy loads once (six fetches were 21 s of the suite's CPU,
# 15 of them start-up). The bound is per article: its budget plus 10 s (the first one also
# pays the model load), so a fetch that does not stop a text at its budget, or splits one in
# more than linear time, still fails, naming the article. Cleaning all six pages is bounded
# by STARTUP_BOUND. CPU time of the child, not wall time: on a busy machine the same work
# takes longer but costs the same. The linear costs of the analysis itself are tested in
# test_analysis_budget.py and tests/unit/test_quotes.py.
TEXT_BUDGET = 1.0
ARTICLE_BOUND = TEXT_BUDGET + 10.0
STARTUP_BOUND = 30.0  # before the analysis: start-up, the feed and every page cleaned
PATHOLOGICAL = (
    "thousands_of_quote_marks",
    "one_mb_paragraph",
    "quote_marks_in_one_sentence",
    "nested_reported_speech",
    "one_word_of_quote_marks",
    "mixed_quote_marks",
)


class AnalysisClock:
    """Reads the child's progress events and notes its CPU seconds at each step of the
    analysis: when it starts, and as each article is stored (with its title)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc
        self.started: float | None = None
        self.stored: list[tuple[str, float]] = []  # (title, CPU seconds when stored)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            event = json.loads(line)
            cpu = process_cpu(self.proc.pid) or 0.0
            if event.get("stage") == "analysis" and event.get("done") == 0:
                self.started = cpu
            elif event.get("event") == "article" and self.started is not None:
                self.stored.append((event["title"], cpu))

    def overrun(self, cpu: float) -> str | None:
        """What took too long at ``cpu`` seconds of the child, if anything."""
        if self.started is None:
            return (
                f"{cpu:.0f} s of CPU before the analysis started" if cpu > STARTUP_BOUND else None
            )
        done = list(self.stored)
        since = done[-1][1] if done else self.started
        if cpu - since <= ARTICLE_BOUND:
            return None
        left = sorted(set(PATHOLOGICAL) - {title for title, _ in done})
        return f"one of {left} was not analysed within {ARTICLE_BOUND:g} s of CPU"

    def costs(self) -> dict[str, float]:
        """CPU seconds each stored article took, from the one before (or the start)."""
        marks = [self.started or 0.0] + [cpu for _, cpu in self.stored]
        return {title: marks[i + 1] - marks[i] for i, (title, _) in enumerate(self.stored)}


@pytest.mark.slow
def test_pathological_pages_are_analysed_in_bounded_time(
    tmp_path: Path, http_server: TestServer
) -> None:
    """A hang guard: the bound is what one article may cost at worst, several times the
    measured cost, in CPU seconds of the fetch; speed targets live in tests/bench."""
    entries = []
    for n, kind in enumerate(PATHOLOGICAL):
        http_server.add(f"/{kind}", pathological(kind), headers=HTML)
        entries.append(entry(n, kind, http_server.url(f"/{kind}")))
    http_server.add(
        "/feed",
        (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>P'
            f"</title>{''.join(entries)}</channel></rss>"
        ).encode(),
        headers={"Content-Type": "application/rss+xml"},
    )
    store = tmp_path / "store.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{store}"\n[fetch]\nmax_bytes = 2000000\n'
        f"[nlp]\ncpu_per_text = {TEXT_BUDGET}\n"
        f'[[feeds]]\nname = "P"\nurl = "{http_server.url("/feed")}"\n'
    )
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli", "fetch", "--config", str(config), "--progress", "jsonl"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    clock = AnalysisClock(proc)
    try:
        while proc.poll() is None:
            cpu = process_cpu(proc.pid)
            problem = clock.overrun(cpu) if cpu is not None else None
            if problem:
                pytest.fail(f"{problem} (text cut at {MAX_ANALYSED_CHARS:,} chars)")
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        clock.reader.join(5)
    assert proc.returncode == 0, proc.stderr.read() if proc.stderr else b""
    costs = clock.costs()
    assert sorted(costs) == sorted(PATHOLOGICAL), costs  # each page stored after its analysis
    assert all(cost <= ARTICLE_BOUND for cost in costs.values()), costs
    with open_store(store, readonly=True) as s:
        articles = [s.article(i) for i in s.all_article_ids()]
    assert len(articles) == len(PATHOLOGICAL)
    for a in articles:
        assert a is not None and a.text_status == "full_text" and a.analysed_with, a


# -- fuzz ---------------------------------------------------------------------

TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "<script>",
        "</script>",
        "<article>",
        "<html lang='xx'>",
        "<meta charset='koi8-r'>",
        "<br>",
        "<!--",
        "-->",
        "<![CDATA[",
        "&",
        "&#0;",
        "&#x1b;",
        "<table><tr><td>",
        "<svg><foreignObject>",
        "\x00",
        "\ufeff",
        "<",
        ">",
        '"',
        "“",
    ]
)


@settings(
    max_examples=scaled(150),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(st.one_of(st.text(max_size=80), TAGS), max_size=60),
    st.sampled_from([None, "utf-8", "koi8-r", "utf-16", "nonsense"]),
    st.booleans(),
)
def test_random_html_never_makes_clean_page_raise(
    parts: list[str], encoding: str | None, as_bytes: bool
) -> None:
    text = "".join(parts)
    page: str | bytes = text.encode("utf-8", errors="surrogatepass") if as_bytes else text
    result = clean_page(page, "http://example.com/a", encoding=encoding)
    assert result is None or (isinstance(result.text, str) and result.text.strip())


@settings(max_examples=scaled(40))
@given(st.binary(max_size=4000))
def test_random_bytes_never_make_clean_page_raise(data: bytes) -> None:
    result = clean_page(data, None)
    assert result is None or isinstance(result.text, str)
