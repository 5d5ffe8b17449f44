"""``briefing export``: a cited briefing of the stored articles, as Markdown or HTML."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from extract.config import Config
from extract.errors import UsageError
from extract.store import ArticleFilter
from tui.cli_store import PgTarget, command_store

FORMAT_NAMES = {"markdown": "markdown", "md": "markdown", "html": "html"}


def day(text: str) -> str:
    """An argparse type: a YYYY-MM-DD date, said clearly when it is not one."""
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_export_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    export = sub.add_parser(
        "export",
        parents=[common],
        help="write a cited briefing (Markdown or HTML)",
        description="Write a briefing of the stored articles: a header (period, feeds, "
        "counts), the articles grouped by day and outlet with their lead and the "
        "quotes that matter, 'Who said what' grouped by person, and numbered "
        "references. Filters combine (all must hold). Markdown by default; "
        "--format html writes one self-contained page that prints well.",
    )
    export.add_argument(
        "--format",
        choices=sorted(FORMAT_NAMES),
        default="markdown",
        help="markdown (default) or html",
    )
    export.add_argument(
        "-o", "--output", metavar="PATH", help="write to this file (default: standard output)"
    )
    export.add_argument("--title", default="Briefing", help="the briefing's title")
    export.add_argument(
        "--since", metavar="DATE", type=day, help="articles published on or after DATE (YYYY-MM-DD)"
    )
    export.add_argument(
        "--until",
        metavar="DATE",
        type=day,
        help="articles published on or before DATE (YYYY-MM-DD)",
    )
    export.add_argument("--feed", metavar="NAME", help="only this feed")
    export.add_argument("--tag", metavar="TAG", help="only feeds with this tag")
    export.add_argument("--starred", action="store_true", help="only starred articles")
    export.add_argument("--unread", action="store_true", help="only unread articles")
    export.add_argument(
        "--search",
        metavar="WORDS",
        help="only articles whose title or text hold these words (as /)",
    )
    export.add_argument(
        "--speaker", metavar="NAME", help="only articles quoting NAME, and only NAME's quotes"
    )
    export.add_argument(
        "--watch", metavar="NAME", help="only articles the [[watch]] NAME has hits in"
    )
    export.add_argument(
        "--limit", metavar="N", type=_positive, help="at most the newest N articles"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number above 0")
    return value


def run_export(
    config: Config, store_path: Path, args: argparse.Namespace, pg: PgTarget | None = None
) -> int:
    from extract.export import ExportFilter, build_briefing, export_to_file, render

    if args.since and args.until and args.since > args.until:
        raise UsageError(f"--since {args.since} is after --until {args.until}")
    if args.watch is not None and args.watch not in {w.name for w in config.watches}:
        raise UsageError(f"no watch named {args.watch!r} in {config.path}")
    where = ExportFilter(
        view=ArticleFilter(feed=args.feed, tag=args.tag, starred=args.starred, unread=args.unread),
        since=args.since,
        until=args.until,
        search=args.search,
        speaker=args.speaker,
        watch=args.watch,
        limit=args.limit,
    )
    fmt = FORMAT_NAMES[args.format]
    with command_store(store_path, pg, config.user) as store:  # read/starred: the user's
        stored = store.feeds()
        if args.feed is not None and args.feed not in {f.name for f in stored}:
            raise UsageError(f"no feed named {args.feed!r} in the store")
        if args.tag is not None and args.tag not in {t for f in stored for t in f.tags}:
            raise UsageError(f"no feed is tagged {args.tag!r} in the store")
        if args.watch is not None:  # up to date with what is stored
            from extract.watchlist import evaluate_watches

            evaluate_watches(store, config.watches)
        if args.output is None:
            sys.stdout.write(render(build_briefing(store, where, title=args.title), fmt))
            return 0
        done = export_to_file(store, where, fmt, Path(args.output).expanduser(), title=args.title)
    print(
        f"briefing: wrote {done.articles} articles and {done.quotes} quotes to {done.path}",
        file=sys.stderr,
    )
    return 0
