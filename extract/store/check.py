"""Is the store whole? ``briefing store check``, and the checks made before writing.

A damaged store (a zeroed page, random bytes, a corrupt search index, a dropped
table, a garbled row) must give a message saying what to do, never a traceback,
and must not be written to: a write into a corrupt file can spread the damage.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from extract.store.connection import StoreDamaged
from extract.store.migrations import MIGRATIONS

SQLITE_HEADER = b"SQLite format 3\x00"
# Every table the schema has made by the last migration; one missing is damage.
TABLES = ("feeds", "articles", "article_feeds", "entities", "quotes", "articles_fts", "quotes_fts")
FTS_TABLES = ("articles_fts", "quotes_fts")
MAX_LISTED = 20  # problems of one kind listed; the rest are counted


@dataclass(slots=True)
class CheckReport:
    path: Path
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # what was looked at, for the user

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: Path) -> str | None:
    """What is wrong with the file before SQLite reads it: not SQLite at all."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read it ({exc.strerror or exc})"
    if head and head != SQLITE_HEADER:
        return "it is not an SQLite database (its header is wrong)"
    return None


def check_schema(conn: sqlite3.Connection) -> str | None:
    """A cheap look at the schema (a few microseconds): the version and the tables."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 0:
        return f"its schema version is {version}, which no Briefing writes"
    if version == 0 or version > len(MIGRATIONS):
        return None  # new: the migrations make it; newer: opening says so
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = [t for t in TABLES if t not in names]
    if missing:
        return f"table{'s' if len(missing) > 1 else ''} {', '.join(missing)} missing"
    return None


def check_store(path: Path, *, rows: bool = True) -> CheckReport:
    """Everything ``briefing store check`` looks at; ``rows`` also reads every stored
    page and quote (seconds for a large store)."""
    report = CheckReport(path)
    if not path.is_file():
        report.problems.append("there is no store file")
        return report
    problem = check_file(path)
    report.checked.append("file header")
    if problem:
        report.problems.append(problem)
        return report
    try:
        conn = sqlite3.connect(path.absolute().as_uri(), uri=True, timeout=15, isolation_level=None)
    except sqlite3.Error as exc:
        report.problems.append(f"SQLite cannot open it: {exc}")
        return report
    try:
        _check_with(conn, report, rows)
    finally:
        conn.close()
    return report


def _check_with(conn: sqlite3.Connection, report: CheckReport, rows: bool) -> None:
    steps = [("schema", _schema), ("integrity_check", _integrity), ("search index", _fts)]
    if rows:
        steps += [("stored pages", _pages), ("quote spans", _spans)]
    for name, step in steps:
        report.checked.append(name)
        try:
            report.problems += step(conn)
        except sqlite3.DatabaseError as exc:
            report.problems.append(f"{name}: {exc}")
        if report.problems and name == "schema":
            return  # the rest would only repeat it


def _schema(conn: sqlite3.Connection) -> list[str]:
    problem = check_schema(conn)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if problem is None and version > len(MIGRATIONS):
        problem = f"it was written by a newer Briefing (schema {version})"
    return [problem] if problem else []


def _integrity(conn: sqlite3.Connection) -> list[str]:
    result = [r[0] for r in conn.execute(f"PRAGMA integrity_check({MAX_LISTED})")]
    return [] if result == ["ok"] else [f"integrity_check: {line}" for line in result]


def _fts(conn: sqlite3.Connection) -> list[str]:
    """FTS5's own check that each index matches its table (inside a transaction that is
    rolled back: the check is an INSERT, though it writes nothing)."""
    problems = []
    for table in FTS_TABLES:
        try:
            # IMMEDIATE: take the write lock now, waiting the busy timeout for another
            # writer (a second fetch). A deferred BEGIN that upgrades to a write after that
            # writer committed fails at once with "database is locked", which is no damage.
            conn.execute("BEGIN IMMEDIATE")
            conn.execute(f"INSERT INTO {table} ({table}) VALUES ('integrity-check')")
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc):
                return []  # a read-only store: this one check cannot run
            if "locked" in str(exc) or "busy" in str(exc):
                continue  # busy past the timeout: not checked now, and no sign of damage
            problems.append(_fts_problem(table, exc))
        except sqlite3.DatabaseError as exc:
            problems.append(_fts_problem(table, exc))
        finally:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
    return problems


def _fts_problem(table: str, exc: BaseException) -> str:
    return (
        f"search index {table}: {exc} (the index can be rebuilt from the articles: "
        f"sqlite3 STORE \"INSERT INTO {table} ({table}) VALUES ('rebuild')\")"
    )


def _pages(conn: sqlite3.Connection) -> list[str]:
    bad = []
    for article_id, data in conn.execute(
        "SELECT id, html_zlib FROM articles WHERE html_zlib IS NOT NULL"
    ):
        try:
            zlib.decompress(data)
        except (zlib.error, TypeError):
            bad.append(article_id)
    return _rows("article", bad, "its stored page cannot be decompressed")


def _spans(conn: sqlite3.Connection) -> list[str]:
    bad = []
    for quote_id, spans in conn.execute("SELECT id, spans FROM quotes"):
        if not valid_spans(spans):
            bad.append(quote_id)
    return _rows("quote", bad, "its spans are not valid JSON pairs")


def valid_spans(raw: object) -> bool:
    try:
        spans = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        return False
    return isinstance(spans, list) and all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(n, int) for n in s) for s in spans
    )


def _rows(kind: str, ids: list[int], why: str) -> list[str]:
    if not ids:
        return []
    shown = ", ".join(map(str, ids[:MAX_LISTED])) + (" ..." if len(ids) > MAX_LISTED else "")
    return [f"{len(ids)} {kind}{'s' if len(ids) > 1 else ''} ({shown}): {why}"]


def ensure_whole(conn: sqlite3.Connection, path: Path) -> None:
    """Before a long write (a fetch, a reprocess): the schema, SQLite's quick_check and
    the search indexes' own check.
    Raises StoreDamaged, so nothing is written into a store that fails."""
    problem = check_schema(conn)
    if problem is None:
        result = [r[0] for r in conn.execute("PRAGMA quick_check(5)")]
        if result != ["ok"]:
            problem = "quick_check: " + "; ".join(result)
    if problem is None and conn.execute("PRAGMA user_version").fetchone()[0] > 0:
        problem = next(iter(_fts(conn)), None)
    if problem:
        raise StoreDamaged(path, problem)
