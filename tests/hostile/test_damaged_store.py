"""Damaged stores (issue 16, item 5): each kind of damage, made for real on a store
file, through the real ``briefing`` command. Expected: "store error: the store ... is
damaged" with what to do, a non-zero exit, no traceback, no write into a store that
fails its check, and one bad row skipped and reported, not the whole run.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from extract.store import StoreError, open_store
from extract.store.check import check_store
from tests.helpers.hardening import TALLY, briefing, check_cli
from tests.helpers.storefactory import build_store

PAGE = 4096


def _zero_a_page(path: Path) -> None:
    size = path.stat().st_size
    with path.open("r+b") as handle:  # a page in the middle: a table's b-tree
        handle.seek((size // PAGE // 2) * PAGE)
        handle.write(b"\0" * PAGE)


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(path.stat().st_size))


def _corrupt_search_index(path: Path) -> None:
    _sql(path, "UPDATE quotes_fts_data SET block = randomblob(length(block)) "
               "WHERE id = (SELECT max(id) FROM quotes_fts_data)")


def _drop_a_table(path: Path) -> None:
    _sql(path, "DROP TABLE entities")


def _negative_version(path: Path) -> None:
    _sql(path, "PRAGMA user_version = -7")


def _garbage_page_row(path: Path) -> None:
    _sql(path, "UPDATE articles SET html_zlib = x'0badc0de' WHERE id = "
               "(SELECT min(id) FROM articles)")


def _bad_spans(path: Path) -> None:
    _sql(path, "UPDATE quotes SET spans = '[[1, oops' WHERE id = (SELECT min(id) FROM quotes)")


def _sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute(statement)
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


WHOLE_FILE: dict[str, Callable[[Path], None]] = {
    "zeroed page": _zero_a_page, "random bytes": _random_bytes,
    "corrupt search index": _corrupt_search_index, "dropped table": _drop_a_table,
    "negative user_version": _negative_version,
}
ONE_ROW: dict[str, Callable[[Path], None]] = {
    "garbage compressed page": _garbage_page_row, "bad spans JSON": _bad_spans,
}


def _store(tmp_path: Path, damage: Callable[[Path], None]) -> Path:
    path = tmp_path / "briefing.sqlite3"
    build_store(path).close()
    _sql(path, "PRAGMA wal_checkpoint(TRUNCATE)")
    damage(path)
    return path


def _config(tmp_path: Path, store: Path) -> Path:
    """A config whose one feed is a local file, and no language analysed: a fetch that
    would write without loading spaCy."""
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>L</title><item>'
                    "<title>Local</title><guid>l1</guid><description>Words enough for a "
                    "summary of the local entry.</description></item></channel></rss>")
    config = tmp_path / "config.toml"
    config.write_text(f'[store]\npath = "{store}"\n[nlp]\nlanguages = ["xx"]\n'
                      f'[[feeds]]\nname = "Local"\nurl = "{feed}"\n')
    return config


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged(out, where: str) -> bool:  # noqa: ANN001
    check_cli(where, out)
    said = b"store error: the store" in out.stderr and b"is damaged" in out.stderr
    return said and b"briefing store check" in out.stderr and out.returncode != 0


@pytest.mark.parametrize("kind", sorted(WHOLE_FILE))
def test_a_damaged_store_is_said_and_never_written(tmp_path: Path, kind: str) -> None:
    path = _store(tmp_path, WHOLE_FILE[kind])
    before = _digest(path)
    TALLY.tried("damaged store")
    check = briefing("store", "check", "--store", str(path), timeout=120)
    fetch = briefing("fetch", "--config", str(_config(tmp_path, path)), "--progress", "none",
                     timeout=120)
    reprocess = briefing("reprocess", "--store", str(path), timeout=120)
    outcomes = {"check": _damaged(check, f"store check ({kind})"),
                "fetch": _damaged(fetch, f"fetch ({kind})"),
                "reprocess": _damaged(reprocess, f"reprocess ({kind})")}
    unchanged = _digest(path) == before
    TALLY.damaged_stores["said and not written" if all(outcomes.values()) and unchanged
                         else "NOT handled"] += 1
    assert outcomes == {"check": True, "fetch": True, "reprocess": True}, (
        kind, check.stderr[-400:], fetch.stderr[-400:], reprocess.stderr[-400:])
    assert b"Traceback" not in check.stderr + fetch.stderr + reprocess.stderr
    assert unchanged, "a damaged store was written to"
    for wal in (path.with_name(path.name + "-wal"),):
        assert not wal.exists() or wal.stat().st_size == 0


def test_quotes_on_a_zeroed_store_says_damaged(tmp_path: Path) -> None:
    path = _store(tmp_path, _random_bytes)
    out = briefing("quotes", "--store", str(path), timeout=120)
    assert _damaged(out, "quotes (random bytes)")


def test_a_garbage_page_row_is_skipped_and_reported_by_reprocess(tmp_path: Path) -> None:
    path = _store(tmp_path, _garbage_page_row)
    report = check_store(path)
    assert len(report.problems) == 1 and "cannot be decompressed" in report.problems[0]
    out = briefing("reprocess", "--store", str(path), timeout=600)
    check_cli("reprocess (garbage page row)", out)
    TALLY.tried("damaged store")
    assert out.returncode == 1, out.stderr[-500:]
    assert b"cannot be decompressed" in out.stderr and b"left as they were" in out.stderr
    with open_store(path) as store:  # the others were reprocessed
        total = store.article_count()
    assert f"reprocessed {total - 1} articles".encode() in out.stdout
    TALLY.damaged_stores["row skipped and reported"] += 1


def test_bad_spans_json_skips_one_quote_and_says_so(tmp_path: Path) -> None:
    path = _store(tmp_path, _bad_spans)
    assert any("spans" in p for p in check_store(path).problems)
    with open_store(path) as store:
        total = store.conn.execute("SELECT count(*) FROM quotes").fetchone()[0]
        assert len(store.quotes_by()) == total - 1 and len(store.skipped) == 1
    out = briefing("quotes", "--json", "--store", str(path), timeout=120)
    check_cli("quotes (bad spans)", out)
    TALLY.tried("damaged store")
    assert out.returncode == 0 and b"1 damaged row(s) skipped" in out.stderr
    assert len(out.stdout.splitlines()) == total - 1
    TALLY.damaged_stores["row skipped and reported"] += 1


def test_store_check_of_a_whole_store_is_ok(tmp_path: Path) -> None:
    path = _store(tmp_path, lambda p: None)
    out = briefing("store", "check", "--store", str(path), timeout=120)
    assert out.returncode == 0 and b"store OK" in out.stdout


def test_a_read_only_store_folder_is_still_read(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    path = _store(folder, lambda p: None)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        out = briefing("quotes", "--store", str(path), timeout=120)
    finally:
        folder.chmod(stat.S_IRWXU)
    check_cli("quotes (read-only folder)", out)
    assert out.returncode == 0, out.stderr
    assert b"quotes" in out.stdout


def test_quotes_limit_beyond_sqlite_integers(tmp_path: Path) -> None:
    path = _store(tmp_path, lambda p: None)
    out = briefing("quotes", "--store", str(path), "--limit", "99999999999999999999",
                   timeout=120)
    check_cli("quotes --limit huge", out)
    assert out.returncode == 0 and b"Traceback" not in out.stderr


def _zero_all_but_the_schema(path: Path) -> None:
    """The schema intact, the articles table's root page zeroed: the store opens, and
    the first read of the article list finds the damage."""
    conn = sqlite3.connect(path)
    try:
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles'"
                               ).fetchone()
    finally:
        conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * PAGE)
        handle.write(b"\0" * PAGE)


def test_the_app_command_on_a_damaged_store_exits_non_zero(tmp_path: Path) -> None:
    """The real app on a store whose damage shows only once the list is read: it ends
    with the store's message and exit status 2, not a traceback and 0."""
    path = _store(tmp_path, _zero_all_but_the_schema)
    out = briefing("--store", str(path), timeout=120, env={"TERM": "dumb"},
                   stdin=subprocess.DEVNULL)
    TALLY.tried("damaged store")
    assert _damaged(out, "app (damaged store)"), out.stderr[-600:]
    assert out.returncode == StoreError.exit_code
    TALLY.damaged_stores["said and not written"] += 1
