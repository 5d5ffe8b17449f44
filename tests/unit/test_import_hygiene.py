"""The core stays headless, and the reader never loads spaCy to show the store."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.httpserver import Handler, TestServer

REPO = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_extract_sources_never_import_tui_or_textual() -> None:
    offenders = {
        str(p.relative_to(REPO)): sorted(imported_modules(p) & {"tui", "textual"})
        for p in (REPO / "extract").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


@pytest.mark.slow
def test_importing_every_extract_module_loads_no_textual() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts)
        for p in (REPO / "extract").rglob("*.py")
        if p.name != "__init__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_store_and_ingest_imports_do_not_load_spacy() -> None:
    code = (
        "import sys, extract.store, extract.ingest.pipeline, extract.ingest.reprocess\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_fetch_path_imports_no_cleaner_feed_parser_or_spacy_until_needed() -> None:
    """An idle re-poll (every feed unchanged) parses no feed and cleans no page: the
    modules it imports must not pull in trafilatura, feedparser or spaCy."""
    code = (
        "import sys, tui.cli_commands, extract.ingest.pipeline\n"
        "print(sorted(m for m in ('trafilatura', 'feedparser', 'spacy', 'py3langid')"
        " if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


# Heavy modules an idle re-poll has no use for: the cleaner (trafilatura, lxml), the feed
# parser, the language identifier, spaCy, and httpx's command line (click, pygments).
NOT_ON_AN_IDLE_REPOLL = (
    "spacy",
    "trafilatura",
    "lxml",
    "feedparser",
    "py3langid",
    "click",
    "pygments",
    "importlib.metadata",
    "ctypes",
    "rich.progress",
)


def test_briefing_fetch_with_nothing_new_imports_no_cleaner_or_spacy(
    http_server: TestServer, tmp_path: Path
) -> None:
    """A real ``briefing fetch`` whose every feed answers 304: the modules it imported,
    from the interpreter's own record (``-X importtime``), hold none of the heavy ones."""
    http_server.handle("/feed", lambda h, rest, q: _conditional_empty_feed(h))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[store]\npath = "{tmp_path / "store.sqlite3"}"\n\n'
        f'[[feeds]]\nname = "Idle"\nurl = "{http_server.url("/feed/idle.xml")}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "BRIEFING_CONFIG": str(config), "NO_COLOR": "1"}
    command = [sys.executable, "-X", "importtime", "-m", "tui.cli", "fetch", "--progress", "none"]
    first = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr[-2000:]
    again = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "unchanged" in again.stdout
    assert http_server.requests[-1].headers.get("if-none-match") == IDLE_ETAG
    imported = {line.split("|")[-1].strip() for line in again.stderr.splitlines() if "|" in line}
    assert "extract.ingest.fetch" in imported  # the record is the fetch's own
    assert sorted(m for m in NOT_ON_AN_IDLE_REPOLL if m in imported) == []
    assert sorted(m for m in imported if m.split(".")[0] in NOT_ON_AN_IDLE_REPOLL) == []
    assert not any(m.startswith("rich.progress") for m in imported)  # no bars are drawn


IDLE_ETAG = '"idle-v1"'


def _conditional_empty_feed(h: Handler) -> None:
    if h.headers.get("If-None-Match") == IDLE_ETAG:
        h.send(304, b"", {"ETag": IDLE_ETAG})
        return
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>I</title></channel></rss>'
    h.send(200, body, {"ETag": IDLE_ETAG, "Content-Type": "application/rss+xml"})
