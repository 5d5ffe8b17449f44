"""Damaged stores (issue 16, item 5): each kind of damage, made for real on a store
file, through the real ``briefing`` command. Expected: "store error: the store ... is
damaged" with what to do, a non-zero exit, no traceback, no write into a store that
fails its check, and one bad row skipped and reported, not the whole run.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from extract.store import StoreError, open_store
from extract.store.check import check_store
from tests.helpers.hardening import Tally, briefing, cli_problems
from tests.helpers.isolation import (
    DB_PAGE,
    WHOLE_FILE,
    a_damaged_store_is_said_and_never_written,
    bad_spans_json_skips_one_quote,
    damaged_store,
    garbage_page_row,
    random_bytes,
    said_damaged,
)


@pytest.mark.parametrize("kind", sorted(WHOLE_FILE))
@pytest.mark.slow
def test_a_damaged_store_is_said_and_never_written(tmp_path: Path, kind: str) -> None:
    tally = Tally()
    a_damaged_store_is_said_and_never_written(tally, tmp_path, kind)
    assert tally.damaged_stores == {"said and not written": 1}


@pytest.mark.slow
def test_quotes_on_a_zeroed_store_says_damaged(tmp_path: Path) -> None:
    path = damaged_store(tmp_path, random_bytes)
    out = briefing("quotes", "--store", str(path), timeout=120)
    assert said_damaged(out, "quotes (random bytes)")


@pytest.mark.slow
def test_a_garbage_page_row_is_skipped_and_reported_by_reprocess(tmp_path: Path) -> None:
    path = damaged_store(tmp_path, garbage_page_row)
    report = check_store(path)
    assert len(report.problems) == 1 and "cannot be decompressed" in report.problems[0]
    out = briefing("reprocess", "--store", str(path), timeout=600)
    assert cli_problems("reprocess (garbage page row)", out) == []
    assert out.returncode == 1, out.stderr[-500:]
    assert b"cannot be decompressed" in out.stderr and b"left as they were" in out.stderr
    with open_store(path) as store:  # the others were reprocessed
        total = store.article_count()
    assert f"reprocessed {total - 1} articles".encode() in out.stdout


@pytest.mark.slow
def test_bad_spans_json_skips_one_quote_and_says_so(tmp_path: Path) -> None:
    tally = Tally()
    bad_spans_json_skips_one_quote(tally, tmp_path)
    assert tally.damaged_stores == {"row skipped and reported": 1}


@pytest.mark.slow
def test_store_check_of_a_whole_store_is_ok(tmp_path: Path) -> None:
    path = damaged_store(tmp_path, lambda p: None)
    out = briefing("store", "check", "--store", str(path), timeout=120)
    assert out.returncode == 0 and b"store OK" in out.stdout


def test_a_read_only_store_folder_is_still_read(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    path = damaged_store(folder, lambda p: None)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        out = briefing("quotes", "--store", str(path), timeout=120)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert cli_problems("quotes (read-only folder)", out) == []
    assert out.returncode == 0, out.stderr
    assert b"quotes" in out.stdout


@pytest.mark.slow
def test_quotes_limit_beyond_sqlite_integers(tmp_path: Path) -> None:
    path = damaged_store(tmp_path, lambda p: None)
    out = briefing("quotes", "--store", str(path), "--limit", "99999999999999999999", timeout=120)
    assert cli_problems("quotes --limit huge", out) == []
    assert out.returncode == 0 and b"Traceback" not in out.stderr


def _zero_all_but_the_schema(path: Path) -> None:
    """The schema intact, the articles table's root page zeroed: the store opens, and
    the first read of the article list finds the damage."""
    conn = sqlite3.connect(path)
    try:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'articles'"
        ).fetchone()
    finally:
        conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * DB_PAGE)
        handle.write(b"\0" * DB_PAGE)


@pytest.mark.slow
def test_the_app_command_on_a_damaged_store_exits_non_zero(tmp_path: Path) -> None:
    """The real app on a store whose damage shows only once the list is read: it ends
    with the store's message and exit status 2, not a traceback and 0."""
    path = damaged_store(tmp_path, _zero_all_but_the_schema)
    out = briefing(
        "--store", str(path), timeout=120, env={"TERM": "dumb"}, stdin=subprocess.DEVNULL
    )
    assert said_damaged(out, "app (damaged store)", app=True), out.stderr[-600:]
    assert out.returncode == StoreError.exit_code
