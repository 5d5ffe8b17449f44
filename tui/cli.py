"""The ``briefing`` command line: the app, and headless commands for scripts and cron."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from extract import __version__
from extract.config import STORE_URL_VAR, Config, load_config
from extract.errors import (
    EXIT_FAILURES,
    EXIT_INTERRUPTED,
    EXIT_OK,
    KINDS,
    STDERR_PREFIX,
    BriefingError,
    StoreError,
    describe,
)
from tui.cli_export import add_export_parser
from tui.cli_opml import add_opml_parser
from tui.cli_store import PgTarget
from tui.cli_watch import add_watch_parser


def _common_options(default: object) -> argparse.ArgumentParser:
    """``--config``, ``--store``, ``--demo``: accepted before and after the subcommand.

    The subcommands' copies default to ``SUPPRESS``, so an option given before the
    subcommand is not overwritten by the subcommand's default.
    """
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="PATH",
        default=default,
        help="config file (default: $BRIEFING_CONFIG, then the XDG config dir, "
        "then the bundled default)",
    )
    common.add_argument(
        "--store", metavar="PATH", default=default, help="SQLite store (overrides [store] path)"
    )
    common.add_argument(
        "--demo",
        action="store_true",
        default=default or False,
        help="use the bundled demo briefing and its own store (no network)",
    )
    return common


def iso_date(text: str) -> str:
    """An argparse type: a calendar date written YYYY-MM-DD."""
    try:
        if len(text) == 10:  # fromisoformat also takes 20240213 and 2024-W07
            return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD, e.g. 2024-02-13")


def build_parser() -> argparse.ArgumentParser:
    top = _common_options(None)
    common = _common_options(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="briefing",
        parents=[top],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="A terminal briefing reader: who said what, across your news feeds. "
        "With no command, opens the reader.",
        epilog=exit_codes_help(),
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _fetch_parser(sub, common)
    add_export_parser(sub, common)
    config = sub.add_parser(
        "config",
        parents=[common],
        help="validate and show the config",
        description="Validate the config and show where it was found.",
    )
    config.add_argument("--check", action="store_true", help="validate (the default action)")
    analyse = sub.add_parser(
        "analyse",
        parents=[common],
        help="find entities and quotes in files, without storing",
        description="Analyse files without storing them. An .html file is cleaned first; any "
        "other file is analysed as plain text exactly as it is, and offsets refer "
        "to that text. Many files share one model load.",
    )
    analyse.add_argument("paths", nargs="+", metavar="PATH")
    analyse.add_argument("--json", action="store_true", help="one JSON object per file per line")
    quotes = sub.add_parser(
        "quotes",
        parents=[common],
        help="list stored quotes, newest first",
        description="The stored quotes, newest first.",
    )
    quotes.add_argument(
        "--speaker",
        metavar="NAME",
        help="only this person, under any of their names: a name or alias, or "
        "a surname that fits one person (exit 1 with the candidates when "
        "it fits several or none)",
    )
    quotes.add_argument(
        "--since",
        metavar="DATE",
        type=iso_date,
        help="only articles published on or after DATE (YYYY-MM-DD)",
    )
    quotes.add_argument("--limit", type=_positive, default=1000, help="at most this many (1000)")
    quotes.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    add_opml_parser(sub, common)
    add_watch_parser(sub, common)
    store = sub.add_parser(
        "store",
        parents=[common],
        help="check the store for damage",
        description="`briefing store check`: is the store whole? Runs SQLite's integrity "
        "check, the search index's own check, and reads every stored page and "
        "quote. Exits 2 and says what to do when the store is damaged.",
    )
    store.add_argument(
        "action",
        choices=("check", "copy"),
        help="check: look for damage; copy: copy every article, quote and feed to --to",
    )
    store.add_argument(
        "--to",
        metavar="URL_OR_PATH",
        help="copy: the target, a postgresql:// URL or a SQLite file (new or empty)",
    )
    from tui import cli_people

    cli_people.add_parser(sub, common)
    sub.add_parser(
        "reprocess",
        parents=[common],
        help="re-run cleaning and NLP on stored articles, offline",
        description="Re-clean every stored page from its saved HTML and re-analyse "
        "it, e.g. after upgrading Briefing or the spaCy model. "
        "No network.",
    )
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return value


def exit_codes_help() -> str:
    """The exit codes, for ``--help`` (the README has the same table)."""
    rows = [(EXIT_OK, "done"), (EXIT_FAILURES, "done, but something failed (see the output)")]
    rows += [(kind.exit_code, f"{kind.kind} error") for kind in KINDS]
    rows.append((EXIT_INTERRUPTED, "interrupted"))
    return "exit codes:\n" + "\n".join(f"  {code:<4} {what}" for code, what in rows)


def _fetch_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    fetch = sub.add_parser(
        "fetch",
        parents=[common],
        help="poll feeds, fetch and analyse new articles",
        description="Poll the configured feeds, fetch each new article page, clean and analyse "
        "it, and store it. Exits 1 if every feed failed.",
    )
    fetch.add_argument(
        "--feed",
        metavar="NAME",
        action="append",
        help="only this feed (repeatable; case-insensitive)",
    )
    fetch.add_argument(
        "--progress",
        choices=("rich", "jsonl", "none"),
        default=None,
        help="progress display: rich bars (default on a terminal), JSON lines "
        "(for programs), or none",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code (the table is in ``extract.errors`` and the README)."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except BriefingError as exc:  # the one place errors meet the user on the command line
        print(STDERR_PREFIX + describe(exc), file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:  # a damaged store found in use, past the checks
        from extract.store.connection import StoreDamaged, is_damage

        if not is_damage(exc):
            raise
        damaged = StoreDamaged(resolve_store_path(load_config(args.config), args), str(exc))
        print(STDERR_PREFIX + describe(damaged), file=sys.stderr)
        return damaged.exit_code
    except KeyboardInterrupt:
        print(f"{STDERR_PREFIX}interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _dispatch(args: argparse.Namespace) -> int:
    try:
        return _run_command(args)
    except BrokenPipeError:
        return _stdout_closed()


def _stdout_closed() -> int:
    """The reader of our output went away (``briefing quotes | head``): stop quietly.

    Python would report the pipe again when it flushes stdout at exit, so stdout
    now points at /dev/null.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


def _run_command(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    store_path = resolve_store_path(config, args)
    pg = shared_store(config, args)
    if args.command is None:  # the reader: it needs none of the fetch machinery
        from tui.app import run_app

        run_app(config, store_path, args.demo, pg)
        return 0
    if pg is not None:
        return _run_on_postgres(config, pg, args)
    from tui import cli_commands as commands

    if args.command == "config":
        return commands.config_check(config, store_path)
    if args.command == "opml":
        from tui.cli_opml import run_opml

        return run_opml(config, args)
    if args.command == "watch":
        from tui.cli_watch import run_watch

        return run_watch(config, store_path, args)
    if args.command == "export":
        from tui.cli_export import run_export

        return run_export(config, store_path, args)
    if args.command == "fetch":
        return commands.fetch(config, store_path, args.demo, args.feed, args.progress)
    if args.command == "analyse":
        return commands.analyse(config, [Path(p) for p in args.paths], args.json)
    if args.command == "people":
        from tui import cli_people

        return cli_people.run(store_path, args, None, config.user)
    if args.command == "store" and args.action == "copy":
        from tui.cli_store import copy_command

        return copy_command(str(store_path), None, args.to, config.user)
    if args.command == "store":
        return commands.store_check(store_path)
    if args.command == "quotes":
        return commands.quotes(store_path, args.speaker, args.since, args.limit, args.json)
    return commands.reprocess(config, store_path)


def shared_store(config: Config, args: argparse.Namespace) -> PgTarget | None:
    """The PostgreSQL store of ``[store] url`` / ``BRIEFING_STORE_URL``, unless ``--store``
    or ``--demo`` names a file for this command."""
    if config.store_url is None or args.store or args.demo:
        return None
    key = STORE_URL_VAR if os.environ.get(STORE_URL_VAR) else f"[store] url in {config.path}"
    return PgTarget(config.store_url, key)


def _run_on_postgres(config: Config, pg: PgTarget, args: argparse.Namespace) -> int:
    from tui import cli_commands as commands

    if args.command == "fetch":
        return commands.fetch(config, config.store_path, False, args.feed, args.progress, pg)
    if args.command == "quotes":
        return commands.quotes(
            config.store_path, args.speaker, args.since, args.limit, args.json, pg
        )
    if args.command == "store" and args.action == "copy":
        from tui.cli_store import copy_command

        return copy_command(pg.url, pg.key, args.to, config.user)
    if args.command == "store":
        return commands.store_check(config.store_path, pg)
    if args.command in ("people", "watch", "export", "reprocess"):
        return _shared_command(config, pg, args)
    if args.command in ("config", "analyse", "opml"):
        return _run_command_on_file(args, config)  # these do not read the store
    what = f"`briefing {args.command}`"
    raise StoreError(
        f"{pg.key}: {what} does not use a PostgreSQL store yet",
        "run it on a SQLite copy (`briefing store copy --to FILE`, then `--store FILE`), "
        "or remove the URL",
    )


def _shared_command(config: Config, pg: PgTarget, args: argparse.Namespace) -> int:
    """The commands that read and write the team's store as analyst ``[user] name``."""
    from tui import cli_commands as commands

    if args.command == "people":
        from tui import cli_people

        return cli_people.run(config.store_path, args, pg, config.user)
    if args.command == "watch":
        from tui.cli_watch import run_watch

        return run_watch(config, config.store_path, args, pg)
    if args.command == "export":
        from tui.cli_export import run_export

        return run_export(config, config.store_path, args, pg)
    return commands.reprocess(config, config.store_path, pg)


def _run_command_on_file(args: argparse.Namespace, config: Config) -> int:
    from tui import cli_commands as commands

    if args.command == "config":
        return commands.config_check(config, config.store_path)
    if args.command == "opml":
        from tui.cli_opml import run_opml

        return run_opml(config, args)
    return commands.analyse(config, [Path(p) for p in args.paths], args.json)


def resolve_store_path(config: Config, args: argparse.Namespace) -> Path:
    """``--store``, else the demo's own store with ``--demo``, else ``[store] path``."""
    if args.store:
        return Path(args.store).expanduser()
    if args.demo:
        from extract.demo import demo_store_path

        return demo_store_path()
    return config.store_path


if __name__ == "__main__":
    sys.exit(main())
