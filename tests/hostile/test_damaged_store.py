"""Damaged stores (issue 16, item 5): each kind of damage, made for real on a store
file, through the real ``briefing`` command. Expected: "store error: the store ... is
damaged" with what to do, a non-zero exit, no traceback, no write into a store that
fails its check, and one bad row skipped and reported, not the whole run.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from extract.store import StoreDamaged, StoreError, open_store
from extract.store.check import check_store
from tests.helpers.app import SIZE, make_config, wait_for
from tests.helpers.hardening import REPO, Tally, briefing, cli_problems
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
from tui.app import BriefingApp, open_for_app
from tui.damaged import DamagedScreen, DamagedStoreApp


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


def unprivileged() -> tuple[list[str], int, int] | str:
    """How to run a command as a user the folder's permissions hold for: (command prefix,
    uid, gid); or why that is impossible. Root writes into read-only folders, and CI
    runs as root: there the command runs as ``nobody`` (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return [], os.geteuid(), os.getegid()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        return "running as root, and setpriv (util-linux) is not installed to drop to nobody"
    try:
        user = pwd.getpwnam("nobody")
    except KeyError:
        return "running as root, and there is no user nobody to run as"
    prefix = [setpriv, f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import extract.store"], cwd=REPO)
    if probe.returncode != 0:
        return f"running as root, and nobody cannot run {sys.executable} on {REPO}"
    return prefix, user.pw_uid, user.pw_gid


def run_as(prefix: list[str], home: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``briefing ARGS`` run through ``prefix``, its home and XDG folders in ``home``."""
    return python_as(prefix, home, "-m", "tui.cli", *args)


def python_as(prefix: list[str], home: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """``python ARGS`` run through ``prefix``, its home and XDG folders in ``home``."""
    xdg = {name: str(home / name.lower()) for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME")}
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", "HOME": str(home), **xdg}
    return subprocess.run(
        [*prefix, sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        timeout=120,
    )


@pytest.mark.slow
def test_a_config_folder_that_cannot_be_entered_is_a_config_error(tmp_path: Path) -> None:
    """The user's config folder exists but may not be entered: said, not a traceback."""
    how = unprivileged()
    if isinstance(how, str):
        pytest.skip(how)
    prefix, uid, gid = how
    base = Path(tempfile.mkdtemp(prefix="briefing-cfg-")) if prefix else tmp_path
    os.chown(base, uid, gid)
    (base / "xdg_config_home").mkdir(mode=0)  # no one but root may enter it
    try:
        out = run_as(prefix, base, "quotes", "--store", str(base / "none.sqlite3"))
    finally:
        (base / "xdg_config_home").chmod(stat.S_IRWXU)
        if prefix:
            shutil.rmtree(base)
    assert cli_problems("quotes (config folder closed)", out) == []
    assert out.returncode == 3 and b"config error" in out.stderr
    assert b"Permission denied" in out.stderr


@pytest.mark.slow
def test_a_read_only_store_folder_is_still_read(tmp_path: Path) -> None:
    how = unprivileged()
    if isinstance(how, str):
        pytest.skip(how)
    prefix, uid, gid = how
    # Outside tmp_path when running as nobody: pytest's folders are root's alone (0700).
    base = Path(tempfile.mkdtemp(prefix="briefing-ro-")) if prefix else tmp_path
    folder = base / "ro"
    folder.mkdir()
    path = damaged_store(folder, lambda p: None)
    for owned in (base, folder, path):
        os.chown(owned, uid, gid)
    base.chmod(stat.S_IRWXU | stat.S_IRGRP | stat.S_IXGRP | stat.S_IROTH | stat.S_IXOTH)
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)  # no -wal or -shm file can be made here
    # The app opens the store as its first frame reads it (tui.app.open_for_app).
    app_reads = (
        "import sys; from pathlib import Path; from tui.app import open_for_app; "
        "store = open_for_app(Path(sys.argv[1])); print('articles', store.article_count())"
    )
    try:
        out = run_as(prefix, base, "quotes", "--store", str(path))
        app = python_as(prefix, base, "-c", app_reads, str(path))
    finally:
        folder.chmod(stat.S_IRWXU)
        if prefix:
            shutil.rmtree(base)
    assert cli_problems("quotes (read-only folder)", out) == []
    assert out.returncode == 0, out.stderr
    assert b"quotes" in out.stdout
    assert app.returncode == 0 and b"articles 5" in app.stdout, app.stderr[-600:]
    assert not path.with_name(path.name + "-wal").exists()


@pytest.mark.slow
def test_quotes_limit_beyond_sqlite_integers(tmp_path: Path) -> None:
    path = damaged_store(tmp_path, lambda p: None)
    out = briefing("quotes", "--store", str(path), "--limit", "99999999999999999999", timeout=120)
    assert cli_problems("quotes --limit huge", out) == []
    assert out.returncode == 0 and b"Traceback" not in out.stderr


def _zero_all_but_the_schema(path: Path, table: str = "articles") -> None:
    """The schema intact, a table's root page zeroed: the store opens, and the first
    read of the table finds the damage."""
    conn = sqlite3.connect(path)
    try:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    finally:
        conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * DB_PAGE)
        handle.write(b"\0" * DB_PAGE)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _shown(app: App) -> str:  # type: ignore[type-arg]
    return "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.mark.slow
async def test_the_app_on_a_store_damaged_inside_says_so_and_writes_nothing(
    tmp_path: Path,
) -> None:
    """The real app (pilot) on a store whose damage shows only once an article's quotes
    are read (the issue's "crashes opening an article, exits 0"): it starts, says
    "store error: the store ... is damaged" with what to do, refuses
    writes, and q ends it with the store's exit status."""
    path = damaged_store(tmp_path, lambda p: _zero_all_but_the_schema(p, "quotes_by_article"))
    before = _digest(path)
    store = open_store(path)  # the check passes: the damage is in a table's page
    app = BriefingApp(store, make_config(), store_path=path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert not isinstance(app.screen, DamagedScreen)  # the list reads fine
            await pilot.press("enter")  # open an article: its quotes are where the damage is
            await wait_for(pilot, lambda: isinstance(app.screen, DamagedScreen))
            shown = _shown(app)
            assert "store error: the store" in shown and "is damaged" in shown
            assert "briefing store check" in shown and "Nothing was written" in shown
            with pytest.raises(StoreError, match="is damaged"):
                await app.writer.run(lambda s: s.conn.execute("UPDATE feeds SET name = 'x'"))
            app.store_damaged(sqlite3.DatabaseError("database disk image is malformed"))
            assert len(app.screen_stack) == 2  # said once, not on every read
            await pilot.press("q")
            await pilot.pause()
    finally:
        store.close()
    assert app.store_damage is not None
    assert _digest(path) == before
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    ("damage", "detail"),
    [
        (random_bytes, "not an SQLite database"),
        (_zero_all_but_the_schema, "malformed"),  # the article list's first read
    ],
)
async def test_the_app_on_a_store_that_fails_its_check_starts_and_says_so(
    tmp_path: Path, damage: Callable[[Path], None], detail: str
) -> None:
    """The store fails its check, or the first frame's read: the app that run_app
    starts instead says why and what to do, holds no connection, and q ends it with
    status 2 (the command line then prints the error again, for the terminal)."""
    path = damaged_store(tmp_path, damage)
    before = _digest(path)
    with pytest.raises(StoreDamaged) as refused:
        open_for_app(path)
    app = DamagedStoreApp(refused.value)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DamagedScreen))
        shown = _shown(app)
        assert "store error: the store" in shown and "is damaged" in shown
        assert detail in shown and "briefing store check" in shown
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == StoreError.exit_code
    assert _digest(path) == before
    assert not path.with_name(path.name + "-wal").exists()
