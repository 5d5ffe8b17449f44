"""What each ``briefing`` subcommand does; output through rich, never as markup.

Each returns its exit code (0, or 1 when it ran but something failed on the way) and
raises a ``BriefingError`` for anything that stops it; ``tui.cli.main`` reports those."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from extract.config import Config, read_user_file
from extract.demo import feeds_to_poll
from extract.errors import (
    STDERR_PREFIX,
    BriefingError,
    ConfigError,
    StoreError,
    UsageError,
    describe,
)
from extract.ingest.events import Error, IngestEvent, json_line, to_json
from extract.ingest.events import Progress as ProgressEvent
from extract.ingest.pipeline import IngestReport, run_ingest
from extract.models import Analysis
from extract.safe_text import safe
from extract.store import Store, StoreApi, StoreDamaged, can_write, open_pg, open_store
from extract.store.check import check_store, ensure_whole
from extract.store.records import StoredQuote
from tui.cli_store import PgTarget

MAX_LIMIT = 2**63 - 1


def config_check(config: Config, store_path: Path) -> int:
    """Show where the (already validated) config was found and what it sets up."""
    from extract.nlp import resolve_model

    console = Console()
    where = "bundled default" if config.is_bundled else "found"
    console.print(Text(f"config OK ({where}): {config.path}"))
    if config.store_url:  # the server is not contacted: `briefing quotes` does that
        from extract.store.pg_connect import describe_url

        shared = f"PostgreSQL {describe_url(config.store_url)}, as user {config.user!r}"
        console.print(Text(f"store: {safe(shared)}"))
    console.print(Text(f"store: {store_path}"))
    console.print(Text(f"spaCy pipeline: {resolve_model(config.nlp.model)}"))  # or ModelNotFound
    if not config.feeds:
        console.print(Text("feeds: none configured; the demo briefing is used"))
    for feed in config.feeds:
        state = "" if feed.enabled else " (disabled)"
        console.print(Text(f"feed {safe(feed.name)}: {safe(feed.url)}{state}"))
    problems = key_problems(config)
    if problems:  # the same family as every config error: exit code 3, one message
        raise ConfigError(
            config.path,
            "",
            "; ".join(safe(p) for p in problems),
            "`?` in the app lists every binding id and the keys in force",
        )
    return 0


def key_problems(config: Config) -> list[str]:
    """What is wrong with ``[keys]``: the same check the app makes at start."""
    from tui.app import BriefingApp
    from tui.keymap import keymap_problems

    return keymap_problems(config.keys, BriefingApp.binding_contexts())


@contextmanager
def _fetch_store(config: Config, store_path: Path, pg: PgTarget | None) -> Iterator[StoreApi]:
    if pg is not None:
        with open_pg(pg.url, config.user, pg.key) as shared:
            yield shared
        return
    with open_store(store_path) as store:
        ensure_whole(store.conn, store.path)  # no writes into a damaged store
        yield store


def fetch(
    config: Config,
    store_path: Path,
    demo: bool,
    only: list[str] | None,
    progress: str | None,
    pg: PgTarget | None = None,
) -> int:
    feeds = feeds_to_poll(config, demo)
    if only:  # case-insensitive, like ``quotes --speaker``
        wanted = {name.casefold(): name for name in only}
        unknown = sorted(
            v for k, v in wanted.items() if k not in {f.name.casefold() for f in feeds}
        )
        if unknown:
            names = ", ".join(repr(f.name) for f in feeds) or "none"
            raise UsageError(
                f"no feed named {', '.join(map(repr, unknown))} in {config.path} (feeds: {names})",
                "`briefing config` lists the configured feeds",
            )
        feeds = tuple(f for f in feeds if f.name.casefold() in wanted)
    mode = progress or ("rich" if sys.stderr.isatty() else "none")
    from tui.cli_watch import watching

    # Watches run on PostgreSQL too: a hit two fetches find at once is stored, and
    # notified, once.
    with _fetch_store(config, store_path, pg) as store, watching(config, store) as watched:
        if mode == "jsonl":
            report = _run_jsonl(config, store, feeds)
        elif mode == "rich":
            report = _run_rich(config, store, feeds)
        else:
            report = run_ingest(config, store, feeds)
    if mode != "jsonl":
        Console().print(summary_table(report))
    watched.tell(sys.stderr)
    return 1 if report.all_failed else 0


def _run_jsonl(config: Config, store, feeds) -> IngestReport:  # noqa: ANN001
    def emit(event: IngestEvent) -> None:
        print(to_json(event), flush=True)

    try:
        return run_ingest(config, store, feeds, emit)
    except BriefingError as exc:  # the app shows this line as a notification
        emit(Error(describe(exc)))
        raise
    except Exception as exc:
        emit(Error(f"{type(exc).__name__}: {exc}"))
        raise


def _run_rich(config: Config, store, feeds) -> IngestReport:  # noqa: ANN001
    # Imported here: `--progress none` and `jsonl` (the app's refresh) draw no bars.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description:<9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=False) as bars:
        tasks = {
            stage: bars.add_task(stage, total=None) for stage in ("feeds", "pages", "analysis")
        }

        def emit(event: IngestEvent) -> None:
            if isinstance(event, ProgressEvent):
                bars.update(tasks[event.stage], completed=event.done, total=event.total)

        return run_ingest(config, store, feeds, emit)


def summary_table(report: IngestReport) -> Table:
    table = Table(title="Fetch summary")
    for column in ("feed", "status", "new", "unchanged", "pages failed", "not analysed", "reason"):
        table.add_column(column)
    for o in report.feeds:
        style = {"failed": "red", "unchanged": "dim"}.get(o.status, "green")
        table.add_row(
            Text(safe(o.name)),
            Text(o.status, style=style),
            str(o.new),
            str(o.unchanged),
            str(o.failed_pages),
            str(o.not_analysed),
            Text(safe(o.reason or "")),
        )
    return table


def analyse(config: Config, paths: list[Path], as_json: bool) -> int:
    from extract.ingest.clean import clean_page
    from extract.nlp import analyse_texts

    texts: list[str] = []
    problems = 0
    readable: list[Path] = []
    console = Console()
    for path in paths:
        try:  # the fetch's byte cap, and only regular files (not /dev/zero, not a FIFO)
            data = read_user_file(path, config.fetch.max_bytes)
        except OSError as exc:
            _skipped_file(console, path, str(exc.strerror or exc), as_json)
            problems += 1
            continue
        if path.suffix.lower() in (".html", ".htm"):
            page = clean_page(data, path.as_uri() if path.is_absolute() else None)
            texts.append(page.text if page else "")
        else:
            texts.append(data.decode("utf-8", errors="replace"))
        readable.append(path)
    # The fetch's bound on one text's analysis: the first `[nlp] max_chars` characters
    # (offsets still refer to the file's text).
    limit = config.nlp.max_chars
    capped = (t[:limit] for t in texts)
    for path, text, analysis in zip(readable, texts, analyse_texts(capped, config.nlp)):
        cut = (
            f"only the first {limit:,} of {len(text):,} characters were analysed"
            if len(text) > limit
            else None
        )
        note = "; ".join(n for n in (cut, analysis.note) if n) or None
        if as_json:
            print(json_line({**_analysis_json(path, analysis), "note": note}))
        else:
            _print_analysis(console, path, text, analysis)
            if note:
                console.print(Text(f"note: {note}"))
    return 1 if problems else 0


def _skipped_file(console: Console, path: Path, why: str, as_json: bool) -> None:
    """A file not analysed: said on stderr, and in the table's output too."""
    print(f"briefing: cannot read {safe(str(path))}: {safe(why)}", file=sys.stderr)
    if not as_json:  # JSON lines stay one per analysed file
        console.print(Text(f"{safe(str(path))}: skipped: {safe(why)}"))


def _analysis_json(path: Path, analysis: Analysis) -> dict[str, object]:
    return {
        "path": str(path),
        "analysed_with": analysis.analysed_with,
        "skipped": analysis.skipped,
        "entities": [asdict(e) for e in analysis.entities],
        "quotes": [asdict(q) for q in analysis.quotes],
    }


def _print_analysis(console: Console, path: Path, text: str, analysis: Analysis) -> None:
    table = Table(title=Text(safe(str(path))), show_lines=False)
    for column in ("kind", "speaker", "role", "how", "quote"):
        table.add_column(column, overflow="fold")
    for q in analysis.quotes:
        table.add_row(
            q.kind,
            Text(safe(q.speaker or "?")),
            Text(safe(q.role or "")),
            q.resolution,
            Text(safe(q.text)),
        )
    console.print(table)
    if analysis.skipped:
        console.print(Text(safe(analysis.skipped)))
    people = sorted({e.canonical for e in analysis.entities if e.label == "PERSON"})
    console.print(Text("people: " + safe(", ".join(people) or "none")))


def quotes(
    store_path: Path,
    speaker: str | None,
    since: str | None,
    limit: int,
    as_json: bool,
    pg: PgTarget | None = None,
) -> int:
    limit = max(0, min(limit, MAX_LIMIT))  # SQLite's integers end at 2**63 - 1
    if pg is None and not store_path.exists():  # a typo must not create an empty store
        raise StoreError(f"no store at {store_path}")
    # Writable, so an older store is migrated; read-only when it cannot be written.
    with (
        open_pg(pg.url, "", pg.key)
        if pg is not None
        else open_store(store_path, readonly=not can_write(store_path))
    ) as store:
        if speaker:
            from tui.cli_people import speaker_quotes

            rows = speaker_quotes(store, speaker, since, limit)  # PeopleError: exit 1
        else:
            rows = store.quotes_by(None, since, limit)
        _warn_skipped(store.skipped)
    return _print_quotes(rows, as_json)


def _print_quotes(rows: list[StoredQuote], as_json: bool) -> int:
    if as_json:
        for r in rows:
            q = r.quote
            print(
                json_line(
                    _exported(
                        {
                            "id": r.id,
                            "article_id": r.article_id,
                            "published": r.published,
                            "source": r.source,
                            "title": r.title,
                            "url": r.url,
                            **asdict(q),
                            "citation": r.citation(),
                        }
                    )
                )
            )
        return 0
    table = Table(title=f"{len(rows)} quotes")
    for column in ("date", "speaker", "how found", "role", "quote", "source"):
        table.add_column(column, overflow="fold")
    for r in rows:
        mark = "" if r.quote.kind == "direct" else " (reported)"
        table.add_row(
            (r.published or "")[:10],
            Text(safe(r.quote.speaker or "?")),
            r.quote.resolution,
            Text(safe(r.quote.role or "")),
            Text(safe(r.quote.text) + mark),
            Text(safe(r.source)),
        )
    Console().print(table)
    return 0


def _warn_skipped(skipped: list[str]) -> None:
    if skipped:
        print(
            f"briefing: {len(skipped)} damaged row(s) skipped ({safe(skipped[0])}"
            f"{', ...' if len(skipped) > 1 else ''}); see `briefing store check`",
            file=sys.stderr,
        )


def _exported(record: dict[str, object]) -> dict[str, object]:
    """An export is pasted and printed like the screen: text cleaned the same way."""
    return {k: safe(v) if isinstance(v, str) else v for k, v in record.items()}


def reprocess(config: Config, store_path: Path, pg: PgTarget | None = None) -> int:
    """Clean and analyse every stored article again (on PostgreSQL: the team's store, its
    people linked again in each article's transaction; corrections hold)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from extract.ingest.reprocess import reprocess_store
    from tui.cli_store import command_store

    console = Console(stderr=True)
    skipped: list[str] = []
    with (
        command_store(store_path, pg, config.user) as store,
        Progress(
            TextColumn("reprocess"), BarColumn(), MofNCompleteColumn(), console=console
        ) as bars,
    ):
        if isinstance(store, Store):
            ensure_whole(store.conn, store.path)  # no writes into a damaged store
        task = bars.add_task("reprocess", total=None)

        def step(done: int, total: int) -> None:
            bars.update(task, completed=done, total=total)

        count = reprocess_store(config, store, step, skipped)
    Console().print(Text(f"reprocessed {count} articles"))
    if skipped:
        for detail in skipped:
            print(f"briefing: skipped: {safe(detail)}", file=sys.stderr)
        print(
            f"briefing: {len(skipped)} article(s) left as they were; see `briefing store check`",
            file=sys.stderr,
        )
        return 1
    return 0


def store_check(store_path: Path, pg: PgTarget | None = None) -> int:
    """``briefing store check``: every check, what each found, and what to do."""
    if pg is not None:
        return _pg_check(pg)
    report = check_store(store_path)
    console = Console()
    console.print(Text(f"store: {store_path}"))
    if _printed_ok(console, report.checked, report.problems):
        return 0
    damaged = StoreDamaged(store_path, report.problems[0])
    print(STDERR_PREFIX + describe(damaged), file=sys.stderr)
    return damaged.exit_code


def _printed_ok(console: Console, checked: list[str], problems: list[str]) -> bool:
    """Print what a store check looked at and found; whether it found nothing wrong."""
    console.print(Text(f"checked: {', '.join(checked)}"))
    if not problems:
        console.print(Text("store OK"))
        return True
    for problem in problems:
        console.print(Text(f"problem: {safe(problem)}"))
    return False


def _pg_check(pg: PgTarget) -> int:
    """The PostgreSQL store: schema version, tables, counts, rows left wrong; exit 4 (a
    store error) when something is wrong, as for a damaged file."""
    from extract.store.pg_check import check_pg

    with open_pg(pg.url, "", pg.key) as store, store.reading_sql() as db:
        report = check_pg(db, store.where)
    console = Console()
    console.print(Text(f"store: PostgreSQL {safe(report.where)} (schema {report.version})"))
    counts = ", ".join(f"{n} {table}" for table, n in report.counts.items())
    if counts:
        console.print(Text(f"holds: {counts}; {report.analysts} analyst(s) with read/starred"))
    if _printed_ok(console, report.checked, report.problems):
        return 0
    error = StoreError(
        f"the PostgreSQL store {report.where} has {len(report.problems)} problem(s): "
        f"{report.problems[0]}",
        "`briefing reprocess` writes every analysis and its people again",
    )
    print(STDERR_PREFIX + describe(error), file=sys.stderr)
    return error.exit_code
