"""The real app on a team's PostgreSQL store (a throwaway 15 cluster on a loopback port):
each analyst's own read and starred state, articles another machine stored showing up
by themselves, a lost connection, the speaker profile, and every bad URL
starting the app on a screen that says what is wrong and what to do.

The core app tests (list, open, read/star, quote lookup) run on both backends through
the ``any_store`` fixture; here is what only PostgreSQL has."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import socket
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from extract.errors import StoreError, describe
from extract.store import NewArticle, open_pg
from extract.store.postgres import PgStore
from tests.helpers import REPO, postgres
from tests.helpers.app import SIZE, make_app, make_config, parts, settle, wait_for
from tests.helpers.screen import screen_text
from tests.helpers.storefactory import fill
from tui.app import open_shared
from tui.cli_store import PgTarget
from tui.damaged import DamagedScreen, DamagedStoreApp
from tui.screens.profile import ProfileScreen
from tui.screens.quote_lookup import QuoteLookup

KEY = "[store] url in test-config.toml"


@pytest.fixture
def team(pg_url: str) -> Iterator[PgStore]:
    """The factory's briefing on PostgreSQL, opened as analyst ann."""
    store = open_pg(pg_url, "ann")
    fill(store)
    try:
        yield store
    finally:
        store.close()


def _new(n: int) -> NewArticle:
    return NewArticle(
        url=f"https://elsewhere.example/{n}",
        canonical_url=f"https://elsewhere.example/{n}",
        title=f"Stored on another machine {n}",
        author=None,
        published=f"2030-01-0{n}T08:00:00+00:00",  # newer than the factory's: on top
        source="Elsewhere",
        text="Fetched by a colleague's machine.",
        text_status="full_text",
        content_hash=f"elsewhere-{n}",
    )


async def test_each_analyst_reads_and_stars_for_themselves(team: PgStore, pg_url: str) -> None:
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        _, articles, reader = parts(app)
        first = articles.current.id
        await pilot.press("enter")  # opening marks it read: ann's
        await settle(app, pilot)
        await pilot.press("s")  # and ann stars it
        await settle(app, pilot)
        assert reader.article is not None and reader.article.id == first
        assert articles.current.read and articles.current.starred
        assert f"Team store {team.where} · ann" in screen_text(app)
    with open_pg(pg_url, "bob") as bob:
        theirs = bob.article(first)
        assert theirs is not None and not theirs.read and not theirs.starred
    mine = team.article(first)
    assert mine is not None and mine.read and mine.starred


async def test_articles_another_machine_stores_appear_with_the_cursor_kept(
    team: PgStore, pg_url: str
) -> None:
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, _ = parts(app)
        await settle(app, pilot)  # the first look: what the list shows now
        await pilot.press("j", "j")
        kept = articles.current.id
        with open_pg(pg_url, "bob") as other:  # another process's pool, another analyst
            other.add_article(_new(1), None, None)
            other.add_article(_new(2), None, None)
        assert await app.live.check() == 2
        await pilot.pause()
        assert articles.count == 7
        assert articles.current.id == kept  # two rows came on top; the cursor stayed
        assert articles.cursor == 4
        assert "2 new article(s) stored elsewhere" in main.status.note
        assert await app.live.check() == 0  # nothing new since


async def test_a_lost_server_connection_is_said_once_and_the_app_goes_on(
    team: PgStore, pg_cluster: postgres.Cluster, pg_url: str
) -> None:
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        main, articles, reader = parts(app)
        await settle(app, pilot)
        name = pg_url.rsplit("/", 1)[1]
        pg_cluster.admin(  # the server drops every connection of the app's pool
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        assert await app.live.check() == 0
        assert main.status.note.startswith("Store error: lost the PostgreSQL store")
        assert app.live.lost_error is not None
        await pilot.pause()
        said = [n for n in app._notifications if n.title == "Store error"]
        assert len(said) == 1 and "check the server" in str(said[0].message)
        for _ in range(10):  # the pool drops each dead connection and makes a new one
            await app.live.check()
            if app.live.lost_error is None:
                break
        assert main.status.note == "The store answers again."
        await pilot.press("enter")  # reading goes on
        await settle(app, pilot)
        assert reader.article is not None and reader.article.id == articles.current.id
        assert len([n for n in app._notifications if n.title == "Store error"]) == 1


STAND_IN = """
import json, sys
from extract.store import NewArticle, open_pg

new = NewArticle(None, "https://r.example/1", "Fetched by r", None, "2031-01-01T00:00:00+00:00",
                 "Wire World", "Story.", "full_text")
with open_pg(sys.argv[1], "fetcher") as store:
    article_id = store.add_article(new, None, None)
print(json.dumps({"event": "article", "id": article_id, "title": "Fetched by r",
                  "text_status": "full_text"}), flush=True)
print(json.dumps({"event": "done", "new": 1, "failed_feeds": 0}), flush=True)
"""


async def test_r_fetches_into_the_team_store_and_is_not_news_from_elsewhere(
    team: PgStore, pg_url: str, tmp_path: Path
) -> None:
    from tui.app import BriefingApp
    from tui.refresh import fetch_command

    assert "--store" not in fetch_command(make_config(), None, False)  # the URL's store
    script = tmp_path / "fake_fetch.py"  # stands in for `briefing fetch --progress jsonl`
    script.write_text(STAND_IN)
    app = BriefingApp(team, make_config(), fetch_argv=[sys.executable, str(script), pg_url])
    async with app.run_test(size=SIZE) as pilot:
        main, articles, _ = parts(app)
        await settle(app, pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: "Refreshed: 1 new" in main.status.note)
        assert await app.live.check() == 0  # not while the refresh runs
        await settle(app, pilot)
        assert articles.count == 6 and articles.row_at(0).title == "Fetched by r"
        assert await app.live.check() == 0  # the app's own fetch: already shown
        assert "Refreshed: 1 new" in main.status.note


async def test_the_speaker_profile_and_lookup_by_person_on_the_team_store(
    team: PgStore,
) -> None:
    app = make_app(team)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j", "enter", "1")  # the NATO article, its quotes panel
        await settle(app, pilot)
        await pilot.press("w")  # the speaker profile of the first quote
        await wait_for(pilot, lambda: isinstance(app.screen, ProfileScreen))
        assert "Jens Stoltenberg" in screen_text(app)
        assert {r.quote.speaker for r in app.screen.results} == {"Jens Stoltenberg"}
        await pilot.press("escape", "l")
        await wait_for(pilot, lambda: isinstance(app.screen, QuoteLookup))
        await pilot.press(*"stoltenberg")
        await wait_for(pilot, lambda: bool(app.screen.results))
        assert "Quotes by Jens Stoltenberg under every name" in screen_text(app)


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _newer_schema(pg_cluster: postgres.Cluster, url: str) -> str:
    open_pg(url, "ann").close()  # made and migrated
    name = url.rsplit("/", 1)[1]
    import psycopg

    with psycopg.connect(pg_cluster.url(name), autocommit=True) as conn:
        conn.execute("UPDATE briefing_schema SET version = 999")
    return url


BAD = {
    "unreachable": (
        lambda c, url: f"postgresql://briefing:pw@127.0.0.1:{_unused_port()}/briefing",
        "cannot reach PostgreSQL",
        "is the server running",
    ),
    "wrong password": (
        lambda c, url: c.url(url.rsplit("/", 1)[1], password="not-it"),
        "refused the user or password",
        "check the user and password",
    ),
    "no such database": (
        lambda c, url: c.url("briefing_nowhere"),
        "there is no database 'briefing_nowhere'",
        "createdb briefing_nowhere",
    ),
    "other schema version": (
        _newer_schema,
        "written by a newer Briefing (schema 999",
        "upgrade Briefing on this machine",
    ),
    "typo": (
        lambda c, url: url + "?sslmod=require",  # sslmode
        "the PostgreSQL URL cannot be read: invalid URI query parameter",
        "write it as postgresql://",
    ),
    "host typo": (
        lambda c, url: url.replace("127.0.0.1", "127.0.0.l"),
        "cannot reach PostgreSQL at 127.0.0.l",
        "are the host and port in the URL right",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
async def test_a_bad_store_url_starts_the_app_saying_what_to_do(
    case: str, pg_cluster: postgres.Cluster, pg_url: str
) -> None:
    make_url, says, hint = BAD[case]
    url = make_url(pg_cluster, pg_url)
    with pytest.raises(StoreError) as refused:
        open_shared(PgTarget(url, KEY), make_config())
    error = refused.value
    assert error.message.startswith(KEY)  # names the key the URL came from
    assert says in error.message
    assert hint in (error.hint or "")
    assert "pw@" not in describe(error) and "not-it" not in describe(error)  # no password
    app = DamagedStoreApp(error)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, DamagedScreen))
        shown = screen_text(app)
        assert KEY in shown and "Nothing was written to the store" in shown
        await pilot.press("q")
    assert app.return_code == 4  # the store error's exit status, as documented


@pytest.mark.slow
def test_briefing_on_an_unreachable_server_starts_says_so_and_exits_4(tmp_path: Path) -> None:
    """The real command in a terminal (a pty): the app's screen says what is wrong, q quits,
    the terminal keeps the error, and the exit status is the store error's."""
    url = f"postgresql://briefing:pw@127.0.0.1:{_unused_port()}/briefing"
    code, seen = _in_a_terminal(tmp_path, url, (b"cannot reach PostgreSQL",), b"q", b"hint:")
    assert code == 4
    assert b"BRIEFING_STORE_URL" in seen


def test_briefing_opens_the_team_store_in_a_terminal(team: PgStore, pg_url: str, tmp_path: Path):
    """``briefing`` with BRIEFING_STORE_URL: the real command shows the team's list."""
    shown = (b"Team store", b"Markets steady as talks", b"NATO and Russia hold talks")
    code, seen = _in_a_terminal(tmp_path, pg_url, shown, b"Q", None)
    assert code == 0
    assert seen.index(b"Markets steady as talks") < seen.index(b"NATO and Russia hold talks")


def _in_a_terminal(
    tmp_path: Path, url: str, wait_for: tuple[bytes, ...], keys: bytes, after: bytes | None
) -> tuple[int, bytes]:
    """Run ``briefing`` on ``url`` in a pty until it has shown every text of ``wait_for``,
    press ``keys``; its exit status and everything the terminal showed."""
    # The terminal's size is the pty's: xdist workers carry COLUMNS=80 and LINES=24, which
    # would win over it (and cut the titles this test looks for).
    inherited = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env = {**inherited, "BRIEFING_STORE_URL": url, "TERM": "xterm-256color"}
    env["BRIEFING_CONFIG"] = str(tmp_path / "none.toml")
    (tmp_path / "none.toml").write_text(f'[store]\npath = "{tmp_path / "s.sqlite3"}"\n')
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))  # rows, cols
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui.cli"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        cwd=REPO,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    try:
        for text in wait_for:  # a frame may come in many writes: wait for all of them
            seen = _read_until(leader, text, seen)
        os.write(leader, keys)
        proc.wait(timeout=60)
        if after is not None:
            seen = _read_until(leader, after, seen, quiet=True)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    return proc.returncode, seen


def _read_until(fd: int, wanted: bytes, seen: bytes, *, quiet: bool = False) -> bytes:
    """What the terminal showed, read until ``wanted``. The deadline is a hang guard, not a
    speed target: a count of reads ran out when a loaded machine drew in many small writes."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if wanted in seen:
            return seen
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    if not quiet:
        raise AssertionError(f"{wanted!r} never shown; the terminal had {seen[-2000:]!r}")
    return seen
