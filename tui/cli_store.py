"""``briefing store copy`` and the PostgreSQL target the other commands are given."""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.text import Text

from extract.errors import UsageError


@dataclass(frozen=True, slots=True)
class PgTarget:
    """A PostgreSQL store to use instead of the file: its URL, and the key that named it."""

    url: str
    key: str


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
            f"read/starred of {user!r}: {report.state} articles; "
            f"{report.sampled} articles compared field by field: same"
        )
    )
    return 0
