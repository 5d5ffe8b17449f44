"""``briefing watch``: the watchlists' hits for scripts and cron; and the watch step that
runs after every ``briefing fetch``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from extract.config import Config
from extract.safe_text import one_line
from extract.store import StoreApi, StoreError
from tui.cli_store import PgTarget, command_store

if TYPE_CHECKING:
    from extract.watchlist import WatchReport


@dataclass
class Watched:
    """What the watch steps around a fetch found, to tell the user."""

    new: int = 0
    backlog: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, report: WatchReport) -> None:
        self.new += len(report.new_hits)
        self.backlog += report.backlog
        self.failures += report.notify_failures

    def tell(self, out: TextIO) -> None:
        if self.new:
            print(
                f"briefing: {self.new} new watchlist {_hits(self.new)} (briefing watch --new)",
                file=out,
            )
        if self.backlog:
            print(
                f"briefing: {self.backlog} watchlist {_hits(self.backlog)} in the articles "
                "stored before "
                "(a new watch looks back once, without notifying)",
                file=out,
            )
        for problem in self.failures:
            print(f"briefing: {one_line(problem)}", file=out)


@contextmanager
def watching(config: Config, store: StoreApi) -> Iterator[Watched]:
    """Around a fetch: a new watch first takes in what is already stored (its backlog, not
    notified), so that what the fetch adds is news to every watch; after the fetch, the new
    articles are looked at and notified. A watch problem never fails the fetch."""
    watched = Watched()
    _evaluate(config, store, watched)
    yield watched
    _evaluate(config, store, watched)


def _evaluate(config: Config, store: StoreApi, watched: Watched) -> None:
    if not config.watches:
        return
    from extract.watchlist import evaluate_watches

    try:
        watched.add(evaluate_watches(store, config.watches))
    except StoreError as exc:
        watched.failures.append(f"watchlists not updated: {exc}")


def add_watch_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    watch = sub.add_parser(
        "watch",
        parents=[common],
        help="list watchlist hits (for scripts and cron)",
        description="The hits of the [[watch]] lists in config.toml, newest first. Hits are "
        "found after every fetch (only new articles are looked at). With --new, "
        "only unseen hits, and the exit status is 1 when there are any, so cron "
        "can mail them.",
    )
    watch.add_argument("--json", action="store_true", help="one JSON object per hit per line")
    watch.add_argument(
        "--new", action="store_true", help="only unseen hits; exit 1 when there are some"
    )
    watch.add_argument("--mark-seen", action="store_true", help="mark the listed hits seen")
    watch.add_argument("--name", metavar="WATCH", help="only this watch")


def run_watch(
    config: Config, store_path: Path, args: argparse.Namespace, pg: PgTarget | None = None
) -> int:
    """On PostgreSQL, hits are the team's and "seen" (``--new``, ``--mark-seen``) is
    this analyst's own (``[user] name``)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from extract.ingest.events import json_line
    from extract.store.watches import hits, mark_seen
    from extract.watchlist import evaluate_watches, hit_json

    names = {w.name for w in config.watches}
    if args.name is not None and args.name not in names:
        from extract.errors import UsageError

        raise UsageError(f"no watch named {args.name!r} in {config.path}")
    with command_store(store_path, pg, config.user) as store:
        report = evaluate_watches(store, config.watches)  # a new watch's backlog, at once
        for problem in report.notify_failures:
            print(f"briefing: {one_line(problem)}", file=sys.stderr)
        found = [h for h in hits(store, only_new=args.new, watch=args.name) if h.watch in names]
        if args.mark_seen and found:
            mark_seen(store, [h.id for h in found])
    if args.json:
        for h in found:
            print(json_line(hit_json(h)))
    else:
        table = Table(
            title=f"{len(found)} {'new ' if args.new else ''}watchlist {_hits(len(found))}"
        )
        for column in ("watch", "date", "matched", "title", "source", "new"):
            table.add_column(column, overflow="fold")
        for h in found:
            table.add_row(
                Text(one_line(h.watch)),
                (h.published or "")[:10],
                Text(one_line(h.matched)),
                Text(one_line(h.title)),
                Text(one_line(h.source)),
                "" if h.seen else "•",
            )
        Console().print(table)
    return 1 if args.new and found else 0


def _hits(n: int) -> str:
    return "hit" if n == 1 else "hits"
