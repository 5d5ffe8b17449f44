"""Writing a briefing to a file: whole or not at all, under a name that is not taken."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from extract.errors import EXIT_FAILURES, BriefingError
from extract.export.briefing import Briefing, build_briefing
from extract.export.html import render_html
from extract.export.markdown import render_markdown
from extract.store import StoreApi
from extract.store.exports import ExportFilter

RENDERERS = {"markdown": render_markdown, "html": render_html}
SUFFIXES = {"markdown": ".md", "html": ".html"}


class ExportError(BriefingError):
    """The briefing (or another file) could not be written; the message says where and why."""

    kind = "export"
    exit_code = EXIT_FAILURES


@dataclass(frozen=True, slots=True)
class Exported:
    path: Path
    articles: int
    quotes: int


def render(briefing: Briefing, fmt: str) -> str:
    return RENDERERS[fmt](briefing)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file and a rename: a reader (or a crash)
    never sees half a briefing."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def new_export_path(directory: Path, fmt: str, now: datetime) -> Path:
    """``briefing-2026-12-02-0614.md`` in ``directory`` (created), ``-2``, ``-3``... if taken."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create {directory}: {exc.strerror or exc}") from None
    stem, suffix = f"briefing-{now:%Y-%m-%d-%H%M}", SUFFIXES[fmt]
    path, n = directory / f"{stem}{suffix}", 1
    while path.exists():
        n += 1
        path = directory / f"{stem}-{n}{suffix}"
    return path


def export_to_file(
    store: StoreApi,
    where: ExportFilter,
    fmt: str,
    path: Path,
    *,
    title: str = "Briefing",
    now: datetime | None = None,
) -> Exported:
    briefing = build_briefing(store, where, title=title, now=now)
    write_atomically(path, render(briefing, fmt))
    return Exported(path, briefing.article_count, briefing.quote_count)
