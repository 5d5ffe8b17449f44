"""``briefing store copy`` and the PostgreSQL target the other commands are given."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from extract.errors import StoreError, UsageError

if TYPE_CHECKING:
    from extract.store import StoreApi


@dataclass(frozen=True, slots=True)
class PgTarget:
    """A PostgreSQL store to use instead of the file: its URL, and the key that named it."""

    url: str
    key: str


@contextmanager
def command_store(store_path: Path, pg: PgTarget | None, user: str) -> Iterator[StoreApi]:
    """The store a command reads and writes: the team's PostgreSQL store as analyst
    ``user``, or the file (which must exist: a typo must not create an empty store; opened
    writable, so an older store is migrated)."""
    from extract.store import open_pg, open_store

    if pg is not None:
        with open_pg(pg.url, user, pg.key) as shared:
            yield shared
        return
    if not store_path.exists():
        raise StoreError(f"no store at {store_path}")
    with open_store(store_path) as store:
        yield store


def copy_command(source: str, source_key: str | None, target: str | None, user: str) -> int:
    """Copy the store in use (the file, or ``[store] url``) into ``target``."""
    from extract.store.copy import copy_store, is_url
    from extract.store.pg_connect import describe_url

    if not target:
        raise UsageError(
            "`briefing store copy` needs --to: a postgresql:// URL or a new SQLite file"
        )
    if "://" in target and not is_url(target):  # a typo must not become a folder
        raise UsageError(
            f"--to {describe_url(target)!r} is neither a postgresql:// URL nor a file",
            "write postgresql://USER:PASSWORD@HOST:5432/DATABASE, or a path",
        )
    if target == source:
        raise UsageError("--to names the store being copied")
    report = copy_store(source, target, user, source_key=source_key or "source")
    shown = describe_url(target) if is_url(target) else target
    console = Console()
    counts = ", ".join(f"{n} {table}" for table, n in report.counts.items())
    console.print(Text(f"copied to {shown}: {counts}"))
    console.print(
        Text(
            f"read/starred of {user!r}: {report.state} articles, "
            f"{report.seen} watch hits seen; "
            f"{report.sampled} articles compared field by field: same"
        )
    )
    return 0
