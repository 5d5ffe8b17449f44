"""``e``: write the article list's current view (filter, pivot, search, starred) as a
briefing file in ``[export] dir``, off the UI thread, and say where it went."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from extract.errors import describe
from extract.export import Exported, ExportError, ExportFilter, export_to_file, new_export_path
from extract.safe_text import one_line
from extract.store import StoreApi, StoreError, open_store
from tui.widgets.article_list import FilterSource, RowSource

if TYPE_CHECKING:
    from tui.app import BriefingApp


def now() -> datetime:
    """The time a briefing is stamped with (and named after); tests fix it."""
    return datetime.now().astimezone()


def view_filter(source: RowSource) -> ExportFilter:
    """What the list shows, as an export filter: a filter as such, anything else (search
    results, a lookup) as the very articles listed."""
    if isinstance(source, FilterSource):
        return ExportFilter(view=source.where)
    return ExportFilter(article_ids=tuple(r.id for r in source.page(0, source.count())))


def export_view(app: BriefingApp, source: RowSource) -> None:
    """Export ``source`` in a thread; a notification says where the file went, or why not."""
    where, label = view_filter(source), one_line(source.label)
    settings = app.config.export
    store_path, shared = app.store_path, app.store

    def work() -> None:
        try:
            done = write_export(
                store_path or shared, where, settings.format, settings.dir, f"Briefing: {label}"
            )
        except (ExportError, StoreError) as exc:
            app.call_from_thread(
                app.notify,
                describe(exc),
                title="Export failed",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        articles = "article" if done.articles == 1 else "articles"
        app.call_from_thread(
            app.notify,
            f"{done.articles} {articles}, {done.quotes} quotes written to {done.path}",
            title="Briefing exported",
            timeout=10,
            markup=False,
        )

    app.run_worker(work, name="export", group="export", thread=True, exit_on_error=False)


def write_export(
    store: Path | StoreApi, where: ExportFilter, fmt: str, directory: Path, title: str
) -> Exported:
    """The briefing file of ``where``: read from the SQLite file at ``store`` on a
    connection of this thread's own, or from a store safe to share between threads (a
    team's PostgreSQL store, as the analyst whose read and starred state it shows)."""
    stamp = now()
    path = new_export_path(directory, fmt, stamp)
    if not isinstance(store, Path):
        return export_to_file(store, where, fmt, path, title=title, now=stamp)
    with open_store(store, readonly=True) as opened:  # its own connection, this thread
        return export_to_file(opened, where, fmt, path, title=title, now=stamp)
