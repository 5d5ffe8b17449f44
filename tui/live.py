"""Live refresh: articles another process stored show up in the list by themselves.

On a team's PostgreSQL store, fetches on other machines add articles; on a SQLite file, a
``briefing fetch`` from cron does. Every ``POLL_SECONDS`` the app asks the store for its
newest article id (one index lookup, the cheapest question that changes when an article
is added) and, when it grew, reloads the list, which keeps the cursor on its article.

On PostgreSQL the question runs on a thread (a server far away or gone must not freeze
the keys); a store that cannot be reached is said once in the status line, and said
again when it is back. SQLite answers in microseconds, on the UI thread.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from extract.errors import StoreError, describe
from extract.safe_text import one_line

if TYPE_CHECKING:
    from tui.app import BriefingApp

POLL_SECONDS = 10.0


class NewArticles:
    """Watches the store's newest article id for the app."""

    def __init__(self, app: BriefingApp) -> None:
        self.app = app
        self.latest: int | None = None  # the newest id seen (None: not asked yet)
        self.lost_error: StoreError | None = None  # the store is unreachable since then

    def start(self) -> None:
        """Remember what is there now, and look again every ``app.poll_every`` seconds."""
        if self.app.poll_every is None:
            return
        self._tick()  # the starting point: what the first frame shows
        self.app.set_interval(self.app.poll_every, self._tick, name="live refresh")

    def _tick(self) -> None:
        # Not while a look is under way (a slow answer is not asked again on top of
        # itself), nor during the app's own refresh (it shows its articles as they come).
        if not self._running("live", "refresh"):
            self.app.run_worker(self.check(), group="live", exit_on_error=False)

    def _running(self, *groups: str) -> bool:
        return any(w.group in groups and w.is_running for w in self.app.workers)

    async def check(self, *, say: bool = True) -> int:
        """Ask the store for new articles; reload the list if there are; how many the
        list gained (0 for none, or when the store cannot be reached). ``say=False``
        after the app's own refresh, which showed its articles as they came."""
        if say and self._running("refresh"):  # its articles are its own; it looks after
            return 0
        store = self.app.store
        try:
            if self.app.store_path is None:  # PostgreSQL: a thread of the pool's own
                latest = await asyncio.to_thread(store.latest_article_id)
            else:
                latest = store.latest_article_id()
        except StoreError as exc:
            self.lost(exc)
            return 0
        self._back()
        previous, self.latest = self.latest, latest
        if previous is None or latest <= previous or not say:
            return 0
        return self._reload()

    def _reload(self) -> int:
        articles = self.app.main_screen.articles
        before = articles.count
        articles.reload()
        gained = max(articles.count - before, 0)
        note = (
            f"{gained} new article(s) stored elsewhere."
            if gained
            else "New articles stored elsewhere (none in this view)."
        )
        self.app.main_screen.status.say(note)
        return gained

    def lost(self, error: StoreError) -> None:
        """A read of the team's store failed (the server gone, mostly): said once (status
        line and a notification); the app goes on showing what it has, and the next look
        that gets an answer says so."""
        if self.lost_error is not None:
            return
        self.lost_error = error
        self.app.main_screen.status.say(f"Store error: {one_line(error.message)}")
        self.app.notify(
            describe(error),  # the command line's words, each part one safe line
            title="Store error",
            severity="error",
            timeout=10,
            markup=False,
        )

    def _back(self) -> None:
        if self.lost_error is not None:
            self.lost_error = None
            self.app.main_screen.status.say("The store answers again.")
