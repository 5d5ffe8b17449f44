"""The watchlists in the app: a palette entry per watch that lists the articles it has hits
in (and marks them seen), and a message when a refresh brings new hits."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extract.safe_text import one_line
from extract.store import StoreApi, StoreError
from extract.store.watches import hit_article_rows, mark_watch_seen, unseen_counts
from tui.app_api import sql_store
from tui.widgets.article_list import ResultsSource

if TYPE_CHECKING:
    from tui.app import BriefingApp


def watch_label(name: str) -> str:
    return f"Watch {one_line(name)}"


def unseen(app: BriefingApp) -> dict[str, int]:
    """Unseen hits per configured watch (the store may hold hits of removed watches)."""
    if not app.config.watches:
        return {}
    names = {w.name for w in app.config.watches}
    return {k: v for k, v in unseen_counts(sql_store(app.store)).items() if k in names}


def show_watch(app: BriefingApp, name: str) -> None:
    """List the articles the watch has hits in; they are seen from now on."""
    rows = hit_article_rows(sql_store(app.store), name)
    app.main_screen.show_source(ResultsSource(rows, watch_label(name)))
    app.main_screen.articles.focus()

    def write(store: StoreApi) -> None:
        mark_watch_seen(sql_store(store), name)

    async def mark() -> None:
        try:
            await app.writer.run(write)
        except StoreError as exc:
            app.notify(
                f"Could not mark the hits seen: {one_line(str(exc))}",
                severity="warning",
                markup=False,
            )
            return
        app.main_screen.articles.reload()  # their watch marks go

    app.run_worker(mark(), group="store-write", exit_on_error=False)


def tell_new_hits(app: BriefingApp, before: dict[str, int]) -> None:
    """After a refresh: say which watches have new hits (markup off: names are the user's)."""
    after = unseen(app)
    grew = {name: n - before.get(name, 0) for name, n in after.items() if n > before.get(name, 0)}
    if not grew:
        return
    total = sum(grew.values())
    detail = ", ".join(f"{one_line(name)} {n}" for name, n in sorted(grew.items()))
    from tui import messages

    # The status line keeps it after the notification has gone (marked rows: ◆ in the list).
    app.main_screen.post_message(
        messages.WatchHits(f"Watchlist: {total} new {'hit' if total == 1 else 'hits'} ({detail}).")
    )
    app.notify(
        f"{total} new {'hit' if total == 1 else 'hits'}: {detail}. "
        "Ctrl+P, then Watch, to see them.",
        title="Watchlist",
        timeout=10,
        markup=False,
    )
