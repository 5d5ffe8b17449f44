"""``e``: write the article list's current view (filter, pivot, search, starred) as a
briefing file in ``[export] dir``, off the UI thread, and say where it went."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from extract.errors import describe
from extract.export import Exported, ExportError, ExportFilter, export_to_file, new_export_path
from extract.safe_text import one_line
from extract.store import StoreError, open_store
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
    store_path = app.store_path
    if store_path is None:  # the briefing writer reads a SQLite file, for now
        app.notify(
            "Export is not on PostgreSQL yet: copy the store to a file "
            "(`briefing store copy --to FILE`) and export from it (`--store FILE`).",
            title="Export",
            severity="warning",
            timeout=8,
            markup=False,
        )
        return

    def work() -> None:
        try:
            done = write_export(
                store_path, where, settings.format, settings.dir, f"Briefing: {label}"
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
    store_path: Path, where: ExportFilter, fmt: str, directory: Path, title: str
) -> Exported:
    stamp = now()
    with open_store(store_path, readonly=True) as store:  # its own connection, this thread
        return export_to_file(
            store, where, fmt, new_export_path(directory, fmt, stamp), title=title, now=stamp
        )
