"""Shared pieces of the hardening tests: hostile strings, a terminal scan, a store
consistency check, and the ``Tally`` of figures that ``make hardening`` prints.

Each test asserts its own findings (``cli_problems(...) == []``). The report,
``tests/hostile/test_hardening_report.py``, counts into a ``Tally`` of its own, so
its figures are the same whether it runs alone or after every other test.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers.cli import briefing_process

REPO = Path(__file__).resolve().parents[2]

# Text a stranger may put in a title, a feed name, a body, a speaker's name.
HOSTILE_STRINGS: dict[str, str] = {
    "sgr": "\x1b[31mRED\x1b[0m",
    "osc8_link": "\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07",
    "osc52_clipboard": "\x1b]52;c;cm0gLXJmIH4K\x07",
    "window_title": "\x1b]0;pwned\x1b\\",
    "cursor_moves": "\x1b[2J\x1b[H\x1b[10A",
    "c1_csi": "\x9b31mC1\x9b0m",
    "c1_osc": "\x9d0;title\x9c",
    "bidi_override": "abc\u202egnp.exe\u202c",
    "bidi_isolate": "\u2066x\u2069\u2067y\u2069",
    "zero_width": "in\u200bvis\u200dible\ufeff",
    "nul_and_controls": "nul\x00bell\x07bs\x08del\x7f",
    "markup_bold": "[bold]not bold[/bold]",
    "markup_link": "[link=http://evil.example]click[/link]",
    "markup_close": "[/] stray [/]",
    "markup_unbalanced": "[[[ [red unbalanced",
    "markup_escape": "\\[bold]x",
}
# One string carrying all of them.
EVERYTHING = " | ".join(HOSTILE_STRINGS.values())
# What must show literally on the terminal (the markup, as typed).
LITERAL_MARKUP = (
    "[bold]not bold[/bold]",
    "[link=http://evil.example]click[/link]",
    "[/] stray [/]",
    "[[[ [red unbalanced",
)

# Characters that must never reach a terminal from untrusted text: ESC, the other
# C0 controls but \t \n \r, DEL and C1, bidi embeddings/overrides/isolates/marks,
# zero-width characters and the BOM, line/paragraph separators.
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\u2028\u2029]"
)


def forbidden_chars(data: bytes | str) -> list[str]:
    """The forbidden characters found in terminal output, as ``repr``s, in order."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return [repr(m.group()) for m in _FORBIDDEN.finditer(text)]


@dataclass
class Tally:
    """The figures ``make hardening`` prints; the report makes its own."""

    inputs: Counter[str] = field(default_factory=Counter)  # hostile inputs tried, by kind
    crashes: list[str] = field(default_factory=list)  # an exception or traceback escaped
    escapes: list[str] = field(default_factory=list)  # forbidden characters on the terminal
    kills: int = 0  # SIGKILLed fetches
    kills_intact: int = 0  # ... after which the store was whole and consistent
    writes: int = 0  # app-side writes made while a fetch ran
    writes_lost: int = 0
    timings: dict[str, float] = field(default_factory=dict)  # seconds, by case
    feeds_lost: list[str] = field(default_factory=list)  # a good feed lost to another one
    hangs: list[str] = field(default_factory=list)  # ran past its configured deadline
    damaged_stores: Counter[str] = field(default_factory=Counter)  # outcome -> count
    copied_escapes: list[str] = field(default_factory=list)  # in the clipboard or an export
    failed_checks: list[str] = field(default_factory=list)  # a case's other assertions

    def tried(self, kind: str, n: int = 1) -> None:
        self.inputs[kind] += n

    def crash(self, what: str) -> None:
        self.crashes.append(what)

    def scan(self, where: str, data: bytes | str) -> list[str]:
        """Scan terminal output; what is found is recorded and returned."""
        found = forbidden_chars(data)
        self.escapes.extend(f"{where}: {c}" for c in found)
        return found

    def scan_copied(self, where: str, text: str) -> list[str]:
        """Scan what was copied or exported (not the terminal); recorded and returned."""
        found = forbidden_chars(text)
        self.copied_escapes.extend(f"{where}: {c}" for c in found)
        return found

    def findings(self) -> int:
        """How many findings of any kind are recorded so far."""
        return (
            len(self.crashes)
            + len(self.escapes)
            + len(self.feeds_lost)
            + len(self.hangs)
            + len(self.copied_escapes)
            + len(self.failed_checks)
            + self.damaged_stores["NOT handled"]
        )

    def case_failed(self, category: str, what: str) -> None:
        """A hardening case that failed, counted in what it tests, not as a crash: a
        good feed lost ("feed lost"), a deadline passed ("hang"), an escape copied or
        exported ("copied"), a damaged store not handled ("damaged store"), or a check
        of its own ("check")."""
        if category == "damaged store":
            self.damaged_stores["NOT handled"] += 1
            return
        lists = {
            "feed lost": self.feeds_lost,
            "hang": self.hangs,
            "copied": self.copied_escapes,
            "check": self.failed_checks,
        }
        lists[category].append(what)

    def check_cli(self, where: str, out: subprocess.CompletedProcess[bytes]) -> None:
        """Record a traceback and forbidden characters in a finished command's output."""
        if has_traceback(out):
            self.crash(f"{where}: {out.stderr.decode(errors='replace')[-300:]}")
        self.scan(f"{where} stdout", out.stdout)
        self.scan(f"{where} stderr", out.stderr)

    def lines(self) -> list[str]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(self.inputs.items()))
        out = [
            f"hostile inputs tried: {sum(self.inputs.values())} ({kinds})",
            f"crashes: {len(self.crashes)}",
            f"escape sequences that reached the terminal: {len(self.escapes)}",
            f"kills survived with integrity: {self.kills_intact}/{self.kills}",
            f"concurrent writes lost: {self.writes_lost} of {self.writes}",
            f"feeds lost because of another feed: {len(self.feeds_lost)}",
            f"runs past their deadline: {len(self.hangs)}",
            f"escapes in anything copied or exported: {len(self.copied_escapes)}",
            f"other failed checks of the hostile cases: {len(self.failed_checks)}",
        ]
        if self.damaged_stores:
            out.append(
                "damaged stores: "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.damaged_stores.items()))
            )
        out += [f"  feed lost: {f}" for f in self.feeds_lost[:10]]
        out += [f"  hang: {h}" for h in self.hangs[:10]]
        out += [f"  crash: {c}" for c in self.crashes[:10]]
        out += [f"  escape: {e}" for e in self.escapes[:10]]
        out += [f"  copied escape: {e}" for e in self.copied_escapes[:10]]
        out += [f"  failed check: {e}" for e in self.failed_checks[:10]]
        out += [f"time {k}: {v:.2f}s" for k, v in sorted(self.timings.items())]
        return out


def briefing(
    *args: str,
    timeout: float = 240,
    env: dict[str, str] | None = None,
    cwd: Path = REPO,
    **kwargs: Any,
) -> subprocess.CompletedProcess[bytes]:
    """Run the real ``briefing`` command as a process; output kept as bytes for scanning
    (a crash, a hang or an escape shows only in a real process's output)."""
    return briefing_process(*args, timeout=timeout, env=env, cwd=cwd, text=False, **kwargs)


def has_traceback(out: subprocess.CompletedProcess[bytes]) -> bool:
    return b"Traceback" in out.stderr or b"Traceback" in out.stdout


def cli_problems(where: str, out: subprocess.CompletedProcess[bytes]) -> list[str]:
    """A traceback and the forbidden characters in a finished command's output; [] if none.

    Tests assert ``cli_problems(...) == []``; the report counts them in its ``Tally``.
    """
    problems = (
        [f"{where}: traceback {out.stderr.decode(errors='replace')[-300:]}"]
        if has_traceback(out)
        else []
    )
    problems += [f"{where} stdout: {c}" for c in forbidden_chars(out.stdout)]
    problems += [f"{where} stderr: {c}" for c in forbidden_chars(out.stderr)]
    return problems


def store_problems(path: Path) -> list[str]:
    """Everything wrong with a store after a crash; [] when it is whole.

    Opens its own plain sqlite3 connection (read-only), so it checks the file,
    not what a Store object believes.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        problems: list[str] = []
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result not in (["ok"], []):
            problems.append(f"integrity_check: {result[:3]}")
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        problems += row_problems(lambda sql: conn.execute(sql).fetchall())
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "articles_fts_docsize", "quotes", "quotes_fts_docsize")
        }
        if counts["articles"] != counts["articles_fts_docsize"]:
            problems.append(
                f"articles {counts['articles']} but "
                f"{counts['articles_fts_docsize']} in the search index"
            )
        if counts["quotes"] != counts["quotes_fts_docsize"]:
            problems.append(
                f"quotes {counts['quotes']} but {counts['quotes_fts_docsize']} in the search index"
            )
        return problems
    finally:
        conn.close()


def row_problems(query: Callable[[str], list[Any]]) -> list[str]:
    """What a crash may leave half-written, in rows: the checks both backends read alike
    (``query`` runs one SQL statement on the store and returns its rows)."""
    problems: list[str] = []
    # Analysed text has its analysis (or the reason it was skipped), in the same row.
    for row in query(
        "SELECT id, text_status FROM articles WHERE text <> '' "
        "AND analysed_with IS NULL AND analysis_skipped IS NULL"
    ):
        problems.append(f"article {row[0]} ({row[1]}) stored without its analysis")
    for row in query(
        "SELECT a.id, a.quote_count, (SELECT count(*) FROM quotes q "
        "WHERE q.article_id = a.id) FROM articles a WHERE a.quote_count <> "
        "(SELECT count(*) FROM quotes q WHERE q.article_id = a.id)"
    ):
        problems.append(f"article {row[0]}: quote_count {row[1]} but {row[2]} quotes")
    for row in query(
        "SELECT id FROM articles a WHERE NOT EXISTS "
        "(SELECT 1 FROM article_feeds af WHERE af.article_id = a.id)"
    ):
        problems.append(f"article {row[0]} belongs to no feed")
    for row in query(
        "SELECT id FROM articles WHERE text_status = 'full_text' "
        "AND (text = '' OR html_zlib IS NULL)"
    ):
        problems.append(f"article {row[0]}: full_text without text or page")
    return problems


def fts_integrity(path: Path) -> None:
    """FTS5's own check that the index matches the content tables (raises if not)."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        conn.execute("INSERT INTO quotes_fts (quotes_fts) VALUES ('integrity-check')")
    finally:
        conn.close()
