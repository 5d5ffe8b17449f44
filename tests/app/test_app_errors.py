"""The app words errors as the command line does: ``describe`` of the same error."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from extract.errors import RefreshFailed, StoreError, describe
from extract.store import Store
from tests.helpers.app import SIZE, make_config, parts, wait_for
from tests.helpers.storefactory import build_store
from tui.app import BriefingApp

# A stand-in for `briefing fetch`: fails the way the real one does (tui.cli.main).
FAILING_FETCH = (
    "import sys\n"
    "sys.stderr.write('warming up\\n')\n"
    "sys.stderr.write('briefing: store error: the store s.sqlite3 is locked\\n'\n"
    "                 'hint: close the other writer\\n')\n"
    "sys.exit(4)\n"
)


async def test_a_failed_refresh_is_notified_with_the_cli_wording(store: Store) -> None:
    app = BriefingApp(store, make_config(), fetch_argv=[sys.executable, "-c", FAILING_FETCH])
    async with app.run_test(size=SIZE) as pilot:
        main, _, _ = parts(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        [error] = [n for n in app._notifications if n.severity == "error"]
        expected = RefreshFailed(
            "the fetch exited with status 4: store error: the store s.sqlite3 is locked",
            "close the other writer",
        )
        assert error.message == describe(expected)
        assert error.message.endswith("\nhint: close the other writer")
        status = str(main.query_one("#status").render())
        assert "Refresh failed: the fetch exited with status 4" in status
        assert "hint" not in status  # the status line is one line: the message only


async def test_a_refused_write_is_notified_with_the_cli_wording(tmp_path: Path) -> None:
    store = build_store(tmp_path / "briefing.sqlite3")
    app = BriefingApp(store, make_config(), write_timeout=0.5)
    locker = sqlite3.connect(store.path, isolation_level=None)
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            locker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
            await pilot.press("s")
            await wait_for(pilot, lambda: any(n.severity == "error" for n in app._notifications))
            [error] = [n for n in app._notifications if n.severity == "error"]
            refused = StoreError(f"cannot write to the store {store.path}: database is locked")
            assert error.message == f"Could not star/unstar the article: {describe(refused)}"
            locker.execute("ROLLBACK")
    finally:
        locker.close()
        store.close()
