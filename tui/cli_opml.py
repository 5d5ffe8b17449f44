"""``briefing opml``: subscription lists both ways.

briefing opml export [-o FILE]              the configured feeds as OPML (folders: tags)
briefing opml import FILE [--dry-run]       add a list's feeds to your config.toml
briefing opml import --print FILE           print them as [[feeds]] tables instead
briefing opml FILE                          the same as import --print (the old form)
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from extract.config import Config
from extract.errors import InputError, UsageError
from extract.safe_text import one_line

if TYPE_CHECKING:
    from extract.ingest.opml import OpmlList

MAX_OPML_BYTES = 10_000_000  # a subscription list of ~50,000 feeds
USAGE = (
    "briefing opml export [-o FILE]\n"
    "       briefing opml import FILE [--dry-run | --print]\n"
    "       briefing opml FILE   (the same as: import --print FILE)"
)


def add_opml_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    opml = sub.add_parser(
        "opml",
        parents=[common],
        usage=USAGE,
        help="OPML subscription lists: export your feeds, import a list into config.toml",
        description="export: write the configured feeds as OPML 2.0 (a folder per feed's "
        "first tag), to stdout or -o FILE. import FILE: add the list's web "
        "feeds to your config.toml in place, keeping its comments and layout; "
        "folders become tags; feeds whose URL or name is already configured are "
        "skipped and listed; entries that are not http(s) feeds are refused "
        "with the reason. With no config.toml of your own yet, it is created "
        "from the bundled default. --dry-run shows the change as a diff and "
        "writes nothing; --print prints [[feeds]] tables to paste instead.",
    )
    opml.add_argument(
        "words", nargs="+", metavar="export | import FILE | FILE", help=argparse.SUPPRESS
    )
    opml.add_argument(
        "--dry-run", action="store_true", help="import: show the diff of config.toml, write nothing"
    )
    # `--print FILE` (the documented form) or `import FILE --print`: FILE is optional here.
    opml.add_argument(
        "--print",
        nargs="?",
        const=True,
        default=False,
        dest="print_tables",
        metavar="FILE",
        help="import: print [[feeds]] tables instead of editing config.toml",
    )
    opml.add_argument("-o", "--output", metavar="FILE", help="export: write to FILE")


def run_opml(config: Config, args: argparse.Namespace) -> int:
    words = list(args.words)
    if isinstance(args.print_tables, str):  # import --print FILE
        words.append(args.print_tables)
    if words == ["export"]:
        return opml_export(config, args.output)
    if len(words) == 2 and words[0] == "import":
        return opml_import(
            config, Path(words[1]), dry_run=args.dry_run, print_tables=bool(args.print_tables)
        )
    if len(words) == 1 and words[0] not in ("export", "import"):
        return opml_import(config, Path(words[0]), dry_run=False, print_tables=True)
    raise UsageError(
        f"opml: expected 'export', 'import FILE' or FILE, not {' '.join(words)!r}",
        f"usage: {' '.join(USAGE.split())}",
    )


def opml_export(config: Config, output: str | None) -> int:
    from extract.ingest.opml import write_opml

    local = [f.name for f in config.feeds if f.is_local]
    text = write_opml(config.feeds, datetime.now(UTC))
    if output is None:
        sys.stdout.write(text)
    else:
        from extract.export.files import write_atomically

        write_atomically(Path(output).expanduser(), text)
        count = len(config.feeds) - len(local)
        print(f"briefing: wrote {count} feeds to {output}", file=sys.stderr)
    if not config.feeds:
        print(f"briefing: no feeds configured in {config.path}", file=sys.stderr)
    for name in local:
        print(
            f"briefing: left out {one_line(name)!r}: a local file, not a web feed", file=sys.stderr
        )
    return 0


def _read_list(path: Path) -> OpmlList:
    from extract.config import read_user_file
    from extract.ingest.opml import parse_opml

    try:  # a regular file, and at most MAX_OPML_BYTES (a FIFO or /dev/zero never ends)
        data = read_user_file(path, MAX_OPML_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    listed = parse_opml(data)
    if listed is None:
        raise InputError(
            f"{path} is not an OPML file", "export your subscriptions from your feed reader as OPML"
        )
    return listed


def opml_import(config: Config, path: Path, *, dry_run: bool, print_tables: bool) -> int:
    from extract.config_edit import apply_feed_import, plan_feed_import, user_config_path

    listed = _read_list(path)
    if print_tables:
        return _print_tables(listed, path)
    plan = plan_feed_import(listed, config, user_config_path(config))
    out = sys.stderr
    for s in plan.skipped:
        print(f"skipped {one_line(s.feed.name)!r} ({one_line(s.feed.url)}): {s.reason}", file=out)
    for r in plan.refused:
        print(f"refused {one_line(r.name)!r} ({one_line(r.url) or 'no URL'}): {r.reason}", file=out)
    if dry_run:
        sys.stdout.write(plan.diff())
        print(
            f"dry run: {len(plan.added)} feeds would be added to {plan.target}; nothing written",
            file=out,
        )
        return 0
    if plan.added:
        apply_feed_import(plan)
    made = " (created from the bundled default)" if plan.creates and plan.added else ""
    print(
        f"added {len(plan.added)} feeds to {plan.target}{made}; skipped "
        f"{len(plan.skipped)}, refused {len(plan.refused)}",
        file=out,
    )
    return 0


def _print_tables(listed: OpmlList, path: Path) -> int:
    from extract.ingest.events import json_line

    if not listed.feeds:
        raise InputError(
            f"no web feeds found in {path}",
            "export your subscriptions from your feed reader as OPML",
        )
    seen: set[str] = set()
    for feed in listed.feeds:  # JSON strings are valid TOML basic strings
        name = base = feed.name.strip() or feed.url
        n = 1
        while name in seen:  # feed names must be unique in config.toml
            n += 1
            name = f"{base} ({n})"
        seen.add(name)
        tags = f"tags = {json_line(list(feed.tags))}\n" if feed.tags else ""
        print(f"[[feeds]]\nname = {json_line(name)}\nurl = {json_line(feed.url)}\n{tags}")
    return 0
