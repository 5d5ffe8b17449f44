"""Issue 16's isolation cases: one feed alone, the run's deadline, configs that are no
regular file, what is copied or exported, damaged stores.

Each case asserts what must hold and counts what it tried into the ``Tally`` it is
given: the tests in ``tests/hostile/`` pass a ``Tally()`` of their own, the hardening
report (``tests/hostile/test_hardening_report.py``) passes its own, so no figure depends
on which tests ran before.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from extract.config import ConfigError, FeedConfig, FetchSettings, NlpSettings
from extract.ingest.feeds import MAX_FIELD_CHARS
from extract.ingest.pipeline import run_ingest
from extract.models import Analysis, Quote
from extract.store import NewArticle, Store, open_store
from extract.store.check import check_store
from tests.helpers.app import SIZE, make_app
from tests.helpers.cpu import cpu_budget
from tests.helpers.hardening import (
    EVERYTHING,
    HOSTILE_STRINGS,
    Tally,
    briefing,
    cli_problems,
    forbidden_chars,
    has_traceback,
    store_problems,
)
from tests.helpers.hostile_feeds import XML, item, make_config, rss, web_feed
from tests.helpers.httpserver import TestServer
from tests.helpers.storefactory import build_store
from tui.screens.quote_lookup import QuoteLookup

# -- one feed alone -------------------------------------------------------------

PAGE = (
    b"<html lang='en'><body><article><p>The harbour talks resumed on Monday, officials "
    b"said, and a deal is expected within weeks, the envoy told reporters.</p>"
    b"</article></body></html>"
)
ATOM_CONTROLS = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    '<title type="html">&lt;style&gt;x&lt;/style&gt;Feed &amp;#x1b;]0;pwned&amp;#7;</title>'
    '<entry><id>c1</id><link href="{link}"/>'
    '<title type="html">&lt;script&gt;x&lt;/script&gt; tail &amp;#x1b;[2J</title>'
    '<author><name type="html">&lt;script&gt;y&lt;/script&gt;A &amp;#27;B</name></author>'
    "</entry></feed>"
)
UTF7 = (
    '<?xml version="1.0" encoding="utf-7"?><rss version="2.0"><channel>'
    "<title>+ADw-script+AD4-x+ADw-/script+AD4- +ABs-[2J</title><item>"
    "<title>+ADw-b+AD4-hi+ADw-/b+AD4- +ABs-[2J</title><guid>u1</guid>"
    "<link>{link}</link></item></channel></rss>"
)
LONG = 1_000_000  # a 1 MB author: hours of feedparser's e-mail regex, uncapped
ONE_ALONE_CPU = 120  # seconds of CPU for the whole fetch; uncapped, the author alone takes hours


def _feeds(server: TestServer) -> list[FeedConfig]:
    """The good feed and one feed per hostile case, all on the local server."""
    for n in range(1, 8):
        server.add(f"/story{n}.html", PAGE.replace(b"Monday", f"day {n}".encode()))
    bad_port = "http://127.0.0.1:99999/x"
    server.add("/to-bad-port", b"", status=302, headers={"Location": bad_port})
    server.add("/good.xml", rss(item("Good", server.url("/story1.html"), "g1")), headers=XML)
    server.add(
        "/port-link.xml",
        rss(item("Bad port", bad_port, "p1") + item("Fine", server.url("/story2.html"), "p2")),
        headers=XML,
    )
    server.add(
        "/port-redirect.xml", rss(item("Redirected", server.url("/to-bad-port"), "r1")), headers=XML
    )
    server.add(
        "/atom-controls.xml",
        ATOM_CONTROLS.format(link=server.url("/story3.html")).encode(),
        headers={"Content-Type": "application/atom+xml"},
    )
    server.add(
        "/utf7.xml", UTF7.format(link=server.url("/story4.html")).encode("ascii"), headers=XML
    )
    author = "a." * (LONG // 2)
    server.add(
        "/long-author.xml",
        rss(
            item(
                "Long author",
                server.url("/story5.html"),
                "l1",
                f"<dc:creator>{author}</dc:creator><author>{author}</author>",
            )
        ).replace(
            b'<rss version="2.0">',
            b'<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        ),
        headers=XML,
    )
    return [
        web_feed(name, server.url(path))
        for name, path in (
            ("good", "/good.xml"),
            ("port_link", "/port-link.xml"),
            ("port_redirect", "/port-redirect.xml"),
            ("atom_controls", "/atom-controls.xml"),
            ("utf7", "/utf7.xml"),
            ("long_author", "/long-author.xml"),
        )
    ] + [web_feed("port_feed", "http://127.0.0.1:99999/feed.xml")]


def article_ids(store: Store) -> list[int]:
    return [row[0] for row in store.conn.execute("SELECT id FROM articles")]


def one_hostile_feed_alone(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    """Every hostile feed next to a good one in one real ingest: each fails alone."""
    feeds = _feeds(server)
    fetch = FetchSettings(timeout=2.0, connect_timeout=1.0, max_bytes=3_000_000)
    config = replace(
        make_config(tmp_path, []), fetch=fetch, feeds=tuple(replace(f, fetch=fetch) for f in feeds)
    )
    started = time.perf_counter()
    with open_store(config.store_path) as store:
        try:  # the ingest spreads over threads: the process's CPU, not this thread's
            with cpu_budget(
                ONE_ALONE_CPU, "one-feed-alone fetch", clock=time.process_time
            ) as spent:
                report = run_ingest(config, store, config.feeds)
        except AssertionError:
            tally.hangs.append(f"one-feed-alone fetch: {spent.seconds:.0f} s of CPU")
            raise
        tally.tried("feed (one alone)", len(feeds))
        tally.timings["fetch of the one-feed-alone cases"] = time.perf_counter() - started
        outcome = {o.name: o for o in report.feeds}
        for name in ("good", "port_link", "atom_controls", "utf7", "long_author"):
            if outcome[name].new < 1:
                tally.feeds_lost.append(f"{name}: {outcome[name].reason}")
        assert outcome["good"].status == "ok" and outcome["good"].new == 1
        assert outcome["port_feed"].status == "failed"
        assert "invalid port" in (outcome["port_feed"].reason or "")
        # The entry with the bad port fails alone; the other entry of its feed is read.
        assert outcome["port_link"].new == 2 and outcome["port_link"].failed_pages == 1
        reasons = {
            a.title: a.text_reason for a in map(store.article, article_ids(store)) if a is not None
        }
        assert "invalid port" in (reasons["Bad port"] or "")
        assert "invalid port" in (reasons["Redirected"] or "")
        assert outcome["atom_controls"].new == 1 and outcome["utf7"].new == 1
        assert outcome["long_author"].new == 1
        titles = [
            row[0] + (row[1] or "") + row[2]
            for row in store.conn.execute("SELECT title, author, source FROM articles")
        ]
        assert not [t for t in titles if forbidden_chars(t)], titles
        (author,) = store.conn.execute(
            "SELECT author FROM articles WHERE title = 'Long author'"
        ).fetchone()
        assert author.startswith("a.a.") and len(author) <= MAX_FIELD_CHARS
        assert all(len(t) < 3 * MAX_FIELD_CHARS for t in titles)
        feed_titles = [row[0] for row in store.conn.execute("SELECT title FROM feeds")]
        assert not [t for t in feed_titles if t and forbidden_chars(t)], feed_titles
    assert store_problems(config.store_path) == []


# -- the run's deadline -----------------------------------------------------------

PAGE_DELAY = 6.0  # seconds each slow page takes to be served


def run_deadline(tally: Tally, tmp_path: Path, server: TestServer) -> None:
    """A 1.5 s run deadline over six pages of 6 s: all six are left for the next run."""
    slow = [server.url(f"/slow?delay_ms={PAGE_DELAY * 1000:.0f}&n={n}") for n in range(6)]
    server.add(
        "/feed.xml",
        rss("".join(item(f"Slow {n}", url, f"s{n}") for n, url in enumerate(slow))),
        headers={**XML, "ETag": '"v1"'},
    )
    fetch = FetchSettings(
        concurrency=8, per_host=6, timeout=10.0, connect_timeout=1.0, run_timeout=1.5
    )
    feed = FeedConfig("Slow", server.url("/feed.xml"), fetch=fetch)
    config = replace(make_config(tmp_path, [feed]), fetch=fetch, nlp=NlpSettings())
    started = time.perf_counter()
    with open_store(config.store_path) as store:
        with cpu_budget(30, "fetch with run_timeout = 1.5 s", clock=time.process_time):
            report = run_ingest(config, store, config.feeds)
        elapsed = time.perf_counter() - started
        tally.tried("slow site (run deadline)")
        tally.timings["fetch with run_timeout = 1.5 s, 6 pages of 6 s"] = elapsed
        (outcome,) = report.feeds
        # Every page left, none stored: the run ended before a page could arrive, which
        # no load can fake (a slow machine makes pages arrive later, not sooner).
        if outcome.new or outcome.left != 6:
            tally.hangs.append(f"run_timeout 1.5 s: {outcome.new} new, {outcome.left} left")
        assert outcome.left == 6 and outcome.new == 0 and report.left == 6
        assert "left for the next run" in (outcome.reason or "")
        assert "run_timeout = 1.5s" in (outcome.reason or "")
        assert store.article_count() == 0
        (row,) = store.feeds()
        # No validators saved: the next poll must not get a 304 and lose the entries.
        assert store.feed_validators(row.id) == (None, None)
        later = replace(config, fetch=replace(fetch, run_timeout=120.0))
        again = run_ingest(later, store, later.feeds)
        assert again.feeds[0].new == 6 and again.left == 0
    assert store_problems(config.store_path) == []


# -- configs and lists that are no regular file -------------------------------------


def special_file(tmp_path: Path, kind: str) -> Path:
    if kind == "dev_zero":
        return Path("/dev/zero")
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)  # nothing ever writes: reading it would block for ever
    else:
        path.mkdir()
    return path


def config_no_regular_file(tally: Tally, tmp_path: Path, kind: str) -> None:
    """Refused at once: reading /dev/zero or a FIFO would never end, so the command's
    timeout (raising ``TimeoutExpired``) is the hang guard, not a clock."""
    out = briefing("config", "--check", "--config", str(special_file(tmp_path, kind)), timeout=60)
    tally.tried("config (issue 16)")
    assert cli_problems(f"config --check on {kind}", out) == []
    assert out.returncode == ConfigError.exit_code and b"config error" in out.stderr, out.stderr


# -- what is copied or exported -----------------------------------------------------


def hostile_store(path: Path) -> Store:
    store = open_store(path)
    feed_id = store.upsert_feed("F", "http://f.example/rss")
    for n, value in enumerate([*HOSTILE_STRINGS.values(), EVERYTHING]):
        text = f"Zyxwv {value} line one\nline two {value}"
        quote = Quote(
            "direct",
            text,
            ((0, len(text)),),
            f"Speaker {value}",
            value,
            0,
            1,
            f"Role {value}",
            "said",
            "explicit",
            0,
            len(text),
        )
        store.add_article(
            NewArticle(
                url=f"http://f.example/{n}?{value}",
                canonical_url=f"http://f.example/{n}",
                title=value,
                author=value,
                published=f"2024-01-01{value}",
                source=f"Src {value}",
                text=text,
                text_status="full_text",
                html=b"x",
            ),
            feed_id,
            f"g{n}",
            Analysis(quotes=(quote,), analysed_with="copy"),
        )
    return store


async def y_copies_a_citation(tally: Tally, tmp_path: Path) -> None:
    """The citation ``y`` (and ctrl+y) puts on the clipboard in the real app."""
    store = hostile_store(tmp_path / "s.sqlite3")
    app = make_app(store)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", *"zyxwv")
        await pilot.pause()
        lookup = app.screen
        assert isinstance(lookup, QuoteLookup)
        assert len(lookup.results) == len(HOSTILE_STRINGS) + 1
        await pilot.press("ctrl+y")
        copied.append(app.last_copied or "")
        await pilot.press("tab")
        for _ in range(len(lookup.results)):
            await pilot.press("y")
            copied.append(app.last_copied or "")
            await pilot.press("down")
    store.close()
    tally.tried("clipboard", len(copied))
    for text in copied:
        assert text.startswith("“Zyxwv")
        found = tally.scan_copied("clipboard (y)", text)
        assert found == [], (text, found)
    # The hostile parts are still there, as plain text: nothing was dropped wholesale.
    assert any("[link=http://evil.example]click[/link]" in text for text in copied)


def quotes_json_exports_clean_text(tally: Tally, tmp_path: Path) -> None:
    hostile_store(tmp_path / "s.sqlite3").close()
    out = briefing("quotes", "--json", "--store", str(tmp_path / "s.sqlite3"), timeout=60)
    tally.tried("export", len(HOSTILE_STRINGS) + 1)
    assert out.returncode == 0
    text = out.stdout.decode()
    # Not even escaped (\u001b, \u202e): the export holds what the screen shows.
    assert "\\u001b" not in text and "\\u202e" not in text and "\\u200b" not in text
    assert tally.scan_copied("quotes --json", text) == []


# -- damaged stores ---------------------------------------------------------------

DB_PAGE = 4096


def _zero_a_page(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:  # a page in the middle: a table's b-tree
        handle.seek((size // DB_PAGE // 2) * DB_PAGE)
        handle.write(b"\0" * DB_PAGE)


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _corrupt_search_index(path: Path) -> None:
    sql(
        path,
        "UPDATE quotes_fts_data SET block = randomblob(length(block)) "
        "WHERE id = (SELECT max(id) FROM quotes_fts_data)",
    )


def _drop_a_table(path: Path) -> None:
    sql(path, "DROP TABLE entities")


def _negative_version(path: Path) -> None:
    sql(path, "PRAGMA user_version = -7")


def garbage_page_row(path: Path) -> None:
    sql(
        path,
        "UPDATE articles SET html_zlib = x'0badc0de' WHERE id = (SELECT min(id) FROM articles)",
    )


def bad_spans(path: Path) -> None:
    sql(path, "UPDATE quotes SET spans = '[[1, oops' WHERE id = (SELECT min(id) FROM quotes)")


def sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement)
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


WHOLE_FILE: dict[str, Callable[[Path], None]] = {
    "zeroed page": _zero_a_page,
    "random bytes": random_bytes,
    "corrupt search index": _corrupt_search_index,
    "dropped table": _drop_a_table,
    "negative user_version": _negative_version,
}
ONE_ROW: dict[str, Callable[[Path], None]] = {
    "garbage compressed page": garbage_page_row,
    "bad spans JSON": bad_spans,
}


def damaged_store(tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    """A real store (the store factory's), checkpointed, then damaged."""
    path = tmp_path / "briefing.sqlite3"
    build_store(path).close()
    sql(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    damage(path)
    return path


def _local_config(tmp_path: Path, store: Path) -> Path:
    """A config whose one feed is a local file, and no language analysed: a fetch that
    would write without loading spaCy."""
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>L</title><item>'
        "<title>Local</title><guid>l1</guid><description>Words enough for a "
        "summary of the local entry.</description></item></channel></rss>"
    )
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{store}"\n[nlp]\nlanguages = ["xx"]\n'
        f'[[feeds]]\nname = "Local"\nurl = "{feed}"\n'
    )
    return config


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def said_damaged(out: subprocess.CompletedProcess[bytes], where: str, app: bool = False) -> bool:
    """The command said the store is damaged and what to do, exited non-zero, and
    printed no traceback and no forbidden character. ``app``: the Textual app, which
    draws on stderr with its own escape sequences, so only the traceback is looked for."""
    if app:
        assert not has_traceback(out), out.stderr[-600:]
    else:
        assert cli_problems(where, out) == []
    said = b"store error: the store" in out.stderr and b"is damaged" in out.stderr
    return said and b"briefing store check" in out.stderr and out.returncode != 0


def a_damaged_store_is_said_and_never_written(tally: Tally, tmp_path: Path, kind: str) -> None:
    path = damaged_store(tmp_path, WHOLE_FILE[kind])
    before = _digest(path)
    tally.tried("damaged store")
    check = briefing("store", "check", "--store", str(path), timeout=120)
    fetch = briefing(
        "fetch", "--config", str(_local_config(tmp_path, path)), "--progress", "none", timeout=120
    )
    reprocess = briefing("reprocess", "--store", str(path), timeout=120)
    outcomes = {
        "check": said_damaged(check, f"store check ({kind})"),
        "fetch": said_damaged(fetch, f"fetch ({kind})"),
        "reprocess": said_damaged(reprocess, f"reprocess ({kind})"),
    }
    unchanged = _digest(path) == before
    tally.damaged_stores[
        "said and not written" if all(outcomes.values()) and unchanged else "NOT handled"
    ] += 1
    assert outcomes == {"check": True, "fetch": True, "reprocess": True}, (
        kind,
        check.stderr[-400:],
        fetch.stderr[-400:],
        reprocess.stderr[-400:],
    )
    assert b"Traceback" not in check.stderr + fetch.stderr + reprocess.stderr
    assert unchanged, "a damaged store was written to"
    for wal in (path.with_name(path.name + "-wal"),):
        assert not wal.exists() or wal.stat().st_size == 0


def bad_spans_json_skips_one_quote(tally: Tally, tmp_path: Path) -> None:
    path = damaged_store(tmp_path, bad_spans)
    assert any("spans" in p for p in check_store(path).problems)
    with open_store(path) as store:
        total = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        assert len(store.quotes_by()) == total - 1 and len(store.skipped) == 1
    out = briefing("quotes", "--json", "--store", str(path), timeout=120)
    assert cli_problems("quotes (bad spans)", out) == []
    tally.tried("damaged store")
    assert out.returncode == 0 and b"1 damaged row(s) skipped" in out.stderr
    assert len(out.stdout.splitlines()) == total - 1
    tally.damaged_stores["row skipped and reported"] += 1
